"""A caseload named by a relative path (`--db rel.db`, LINGKARAN_DB=rel.db) is reported by its absolute path,
so a script that keeps what `init`, `check` or `backup` printed can use it from any folder."""

import json

import pytest

from tests.helpers import run_lingkaran


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_init_and_check_report_the_absolute_path_of_a_relative_db(in_tmp):
    created = json.loads(run_lingkaran("--db", "rel.db", "init", "--json").stdout)
    assert created["path"] == str(in_tmp / "rel.db")
    checked = json.loads(run_lingkaran("--db", "rel.db", "check", "--json").stdout)
    assert checked["database"] == str(in_tmp / "rel.db")


def test_a_relative_lingkaran_db_is_reported_absolute_too(in_tmp):
    created = run_lingkaran("init", "--json", env={"LINGKARAN_DB": "sub/x.db"})
    assert json.loads(created.stdout)["path"] == str(in_tmp / "sub" / "x.db")


def test_backup_names_its_file_by_its_absolute_path(in_tmp):
    run_lingkaran("--db", "rel.db", "init")
    backup = json.loads(run_lingkaran("--db", "rel.db", "backup", "--json").stdout)["backup"]
    assert backup.startswith(str(in_tmp) + "/") and (in_tmp / backup).exists()


def test_encrypt_reports_the_absolute_path(in_tmp):
    pytest.importorskip("sqlcipher3", reason="encryption needs the secure extra (sqlcipher3)")
    key = in_tmp / "caseload.key"
    key.write_text("a long enough passphrase\n")
    key.chmod(0o600)
    run_lingkaran("--db", "rel.db", "init")
    result = run_lingkaran("--db", "rel.db", "--key-file", str(key), "encrypt", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["path"] == str(in_tmp / "rel.db")


def test_a_backup_to_a_relative_path_or_folder_is_reported_by_its_absolute_path(in_tmp):
    run_lingkaran("--db", "rel.db", "init")
    (in_tmp / "backups").mkdir()
    named = json.loads(run_lingkaran("--db", "rel.db", "backup", "backups/one.db", "--json").stdout)
    assert named["backup"] == str(in_tmp / "backups" / "one.db")
    first = run_lingkaran("--db", "rel.db", "backup", "backups", "--keep", "1").stdout.strip()  # b=$(lingkaran backup)
    assert first.startswith(str(in_tmp / "backups") + "/") and (in_tmp / first).exists()
    rotated = json.loads(run_lingkaran("--db", "rel.db", "backup", "backups", "--keep", "1", "--json").stdout)
    assert rotated["backup"].startswith(str(in_tmp / "backups") + "/") and rotated["removed"] == [first]


def test_restore_reports_the_absolute_path_of_a_relative_backup(in_tmp):
    run_lingkaran("--db", "rel.db", "init")
    run_lingkaran("--db", "rel.db", "backup", "one.db")
    restored = json.loads(run_lingkaran("--db", "rel.db", "restore", "one.db", "--yes", "--json").stdout)
    assert restored["restored"] == str(in_tmp / "one.db") and restored["database"] == str(in_tmp / "rel.db")
