"""Reading a file never changes it: `check` of a backup, or a report from one, leaves every byte as it was.

A backup is one self-contained file in the rollback-journal mode (header bytes 18-19 are 1, 1); opening it as
a caseload used to switch it to WAL (2, 2). The switch now happens only before lingkaran first writes.
"""

import hashlib
import json
import sqlite3

import pytest

from lingkaran.errors import ExitCode
from lingkaran.store.database import SCHEMA_VERSION

JOURNAL_MODE_BYTES = slice(18, 20)


def fingerprint(path) -> tuple[bytes, str]:
    data = path.read_bytes()
    return data[JOURNAL_MODE_BYTES], hashlib.sha256(data).hexdigest()


@pytest.fixture
def backup_file(cli, active_case, tmp_path):
    target = tmp_path / "backups" / "monday.db"
    cli.ok("backup", target)
    assert fingerprint(target)[0] == b"\x01\x01", "a backup is in the rollback-journal mode"
    return target


def test_reading_a_backup_leaves_its_bytes_as_they_were(lingkaran, backup_file):
    before = fingerprint(backup_file)
    for args in [
        ("check",),
        ("check", "--json"),
        ("show", "1", "--json"),
        ("log", "1"),
        ("due",),
        ("export", "--format", "ndjson"),
        ("search", "school"),
    ]:
        result = lingkaran("--db", backup_file, *args)
        assert result.returncode in (0, 5), result.stderr  # check may find the test's open folder permissions
        assert "Traceback" not in result.stderr
        assert fingerprint(backup_file) == before, args
        assert sorted(path.name for path in backup_file.parent.iterdir()) == ["monday.db"]


def test_the_first_write_still_puts_the_caseload_in_wal(lingkaran, backup_file):
    lingkaran("--db", backup_file, "check")
    assert lingkaran("--db", backup_file, "note", "1", "Called her mother").returncode == 0
    assert fingerprint(backup_file)[0] == b"\x02\x02"
    assert sqlite3.connect(backup_file).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_check_of_a_file_from_an_older_lingkaran_reports_it_instead_of_migrating_it(lingkaran, backup_file):
    conn = sqlite3.connect(backup_file)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")  # as an older lingkaran left it
    conn.close()
    before = fingerprint(backup_file)
    result = lingkaran("--db", backup_file, "check", "--json")
    assert result.returncode == ExitCode.DATABASE_UNUSABLE and result.stderr.count("\n") == 1
    report = json.loads(result.stdout)
    assert report["schema_version"] == SCHEMA_VERSION - 1
    assert any(
        problem["check"] == "schema" and "older lingkaran" in problem["message"] for problem in report["findings"]
    )
    assert fingerprint(backup_file) == before


def test_check_of_a_copy_taken_with_its_wal_leaves_both_files_alone(lingkaran, cli, active_case, db_path, tmp_path):
    """`cp caseload.db* elsewhere/` of a caseload in use: the journal must not be folded into the copy."""
    writer = sqlite3.connect(db_path, isolation_level=None)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("UPDATE cases SET worker = 'Rina' WHERE id = 1")  # lands in the -wal, not yet in the file
    copy = tmp_path / "copy" / "caseload.db"
    copy.parent.mkdir()
    for suffix in ("", "-wal"):
        copy.with_name(copy.name + suffix).write_bytes(db_path.with_name(db_path.name + suffix).read_bytes())
    writer.close()
    before = fingerprint(copy)
    checked = lingkaran("--db", copy, "check", "--json")
    assert checked.returncode in (0, 5) and "Traceback" not in checked.stderr
    assert json.loads(checked.stdout)["events"] == 4
    assert fingerprint(copy) == before and copy.with_name("caseload.db-wal").exists()
