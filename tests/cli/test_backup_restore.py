"""`lingkaran backup` and `lingkaran restore`: online private copies, and a checked, crash-safe way back."""

import os
import signal
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

from lingkaran.cli.session import Session
from lingkaran.errors import ExitCode
from lingkaran.store.database import SCHEMA_VERSION


def clients(path) -> list[str]:
    conn = sqlite3.connect(path)
    found = [row[0] for row in conn.execute("SELECT client FROM cases ORDER BY id")]
    conn.close()
    return found


def open_case(cli, client):
    return cli.json("open", client, "--level", "mikro", "--problem", "Needs help")["id"]


def backups(folder) -> list[Path]:
    return sorted(path for path in Path(folder).iterdir() if "-backup-" in path.name)


def test_backup_writes_a_private_timestamped_copy_beside_the_caseload(cli, db_path):
    open_case(cli, "Siti")
    result = cli("backup")
    assert result.exit_code == 0, result.stderr
    path = Path(result.stdout.strip())
    assert path.parent == db_path.parent and path.name.startswith("caseload-backup-") and path.suffix == ".db"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert clients(path) == ["Siti"]
    copy = sqlite3.connect(path)
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete", "a backup is one self-contained file"
    copy.close()
    assert [p.name for p in db_path.parent.iterdir() if p.name.startswith(".")] == [], "no partial file left"


def test_backup_works_while_another_program_is_writing(cli, db_path):
    open_case(cli, "Siti")
    writer = sqlite3.connect(db_path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE cases SET client = 'half-written'")
    path = cli.json("backup")["backup"]
    writer.execute("ROLLBACK")
    assert clients(path) == ["Siti"], "the backup holds what was committed, nothing half-written"


def test_backup_keep_rotates_the_oldest_away(cli, db_path, tmp_path):
    open_case(cli, "Siti")
    unrelated = db_path.parent / "caseload-backup-notes.db"
    unrelated.write_text("mine")
    made = [cli.json("backup", "--keep", "2") for _ in range(4)]
    assert [str(p) for p in backups(db_path.parent) if p != unrelated] == [made[2]["backup"], made[3]["backup"]]
    assert made[3]["removed"] == [made[1]["backup"]]
    assert unrelated.read_text() == "mine", "only lingkaran's own timestamped backups are rotated"


def test_backup_into_a_folder_and_to_a_named_file(cli, tmp_path):
    open_case(cli, "Siti")
    folder = tmp_path / "usb"
    folder.mkdir()
    into_folder = Path(cli.json("backup", folder, "--keep", "1")["backup"])
    assert into_folder.parent == folder and clients(into_folder) == ["Siti"]
    named = tmp_path / "friday.db"
    assert cli.json("backup", named)["backup"] == str(named) and clients(named) == ["Siti"]


def test_backup_refuses_bad_requests_and_writes_nothing(cli, db_path, tmp_path):
    open_case(cli, "Siti")
    existing = tmp_path / "existing.db"
    existing.write_text("keep me")
    before = sorted(tmp_path.iterdir())
    for args, words in (
        (["backup", existing], "already exists"),
        (["backup", "--keep", "0"], "--keep"),
        (["backup", tmp_path / "x.db", "--keep", "2"], "folder"),
    ):
        result = cli(*args)
        assert result.exit_code == ExitCode.INVALID_INPUT and words in result.stderr, result.stderr
        assert result.stderr.count("\n") == 1
    assert sorted(tmp_path.iterdir()) == before and existing.read_text() == "keep me"


def test_backup_and_check_never_create_a_caseload(cli, tmp_path):
    for command in ("backup", "check"):
        result = cli("--db", tmp_path / "none.db", command)
        assert result.exit_code == ExitCode.DATABASE_UNUSABLE and "no caseload" in result.stderr
    assert not (tmp_path / "none.db").exists()


def test_restore_brings_back_the_backup_and_keeps_the_replaced_caseload(cli, db_path):
    open_case(cli, "Siti")
    backup = cli.json("backup")["backup"]
    open_case(cli, "Budi")
    restored = cli.json("restore", backup, "--yes")
    assert clients(db_path) == ["Siti"]
    assert restored == {
        **restored,
        "restored": backup,
        "database": str(db_path),
        "events": 1,
        "schema_version": SCHEMA_VERSION,
    }
    kept = Path(restored["kept"])
    assert "-before-restore-" in kept.name and clients(kept) == ["Siti", "Budi"]
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600 and stat.S_IMODE(db_path.stat().st_mode) == 0o600
    assert cli("check").exit_code == 0
    open_case(cli, "Ani")
    assert [case["client"] for case in cli.json("list")] == ["Siti", "Ani"]
    assert sqlite3.connect(db_path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_restore_without_a_terminal_needs_yes(cli, db_path):
    open_case(cli, "Siti")
    backup = cli.json("backup")["backup"]
    open_case(cli, "Budi")
    before = sorted(db_path.parent.iterdir())
    result = cli("restore", backup)
    assert result.exit_code == ExitCode.INVALID_INPUT and "--yes" in result.stderr
    assert clients(db_path) == ["Siti", "Budi"] and sorted(db_path.parent.iterdir()) == before


def test_restore_asks_on_a_terminal(cli, db_path, monkeypatch):
    open_case(cli, "Siti")
    backup = cli.json("backup")["backup"]
    open_case(cli, "Budi")
    monkeypatch.setattr(Session, "interactive", lambda self: True)
    declined = cli("restore", backup, input="n\n")
    assert declined.exit_code == ExitCode.INTERRUPTED and clients(db_path) == ["Siti", "Budi"]
    assert "Replace" in declined.stdout
    assert cli("restore", backup, input="y\n").exit_code == 0 and clients(db_path) == ["Siti"]


def test_restore_into_an_empty_place_needs_no_confirmation(cli, db_path, tmp_path):
    open_case(cli, "Siti")
    backup = cli.json("backup")["backup"]
    new_laptop = tmp_path / "new" / "caseload.db"
    result = cli.json("--db", new_laptop, "restore", backup)
    assert result["kept"] is None and clients(new_laptop) == ["Siti"]
    assert stat.S_IMODE(new_laptop.parent.stat().st_mode) == 0o700


def test_restore_refuses_what_is_not_a_sound_backup(cli, db_path, tmp_path):
    open_case(cli, "Siti")
    good = Path(cli.json("backup")["backup"])
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all " * 500)
    newer = tmp_path / "newer.db"
    newer.write_bytes(good.read_bytes())
    sqlite3.connect(newer).execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    tampered = tmp_path / "tampered.db"
    tampered.write_bytes(good.read_bytes())
    sqlite3.connect(tampered, isolation_level=None).execute("UPDATE events SET data = replace(data, 'Siti', 'Sri')")
    foreign = tmp_path / "foreign.db"
    sqlite3.connect(foreign).execute("CREATE TABLE recipes (name)")
    before = {path: path.read_bytes() for path in db_path.parent.iterdir()}
    for path, words in (
        (junk, "not a usable"),
        (newer, "newer lingkaran"),
        (tampered, "content was changed"),
        (foreign, "not a lingkaran caseload"),
    ):
        result = cli("restore", path, "--yes")
        assert result.exit_code == ExitCode.DATABASE_UNUSABLE and words in result.stderr, result.stderr
        assert result.stderr.count("\n") == 1
    missing = cli("restore", tmp_path / "missing.db", "--yes")
    assert missing.exit_code == ExitCode.INVALID_INPUT and "no backup file" in missing.stderr
    assert {path: path.read_bytes() for path in db_path.parent.iterdir()} == before, "nothing changed or left"


def test_restore_discards_a_stale_wal_instead_of_replaying_it(cli, db_path):
    """A writer killed with committed pages still in its WAL must not have them replayed onto the restored file."""
    open_case(cli, "Siti")
    backup = cli.json("backup")["backup"]
    killed = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "import sqlite3, sys, time\n"
                f"conn = sqlite3.connect({str(db_path)!r}, isolation_level=None)\n"
                'conn.execute("PRAGMA wal_autocheckpoint = 0")\n'
                "for n in range(50): conn.execute(\"UPDATE cases SET client = ?\", [f'Rewritten {n}'])\n"
                "print('written', flush=True)\n"
                "time.sleep(60)\n"
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert killed.stdout.readline() == "written\n"
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    wal = Path(f"{db_path}-wal")
    assert wal.stat().st_size > 0, "the killed writer left its WAL behind"
    kept = cli.json("restore", backup, "--yes")["kept"]
    assert not wal.exists() and not Path(f"{db_path}-shm").exists()
    assert clients(db_path) == ["Siti"] and clients(kept) == ["Rewritten 49"], "the old WAL went into the kept copy"
    assert cli("check").exit_code == 0


def test_restore_waits_for_then_refuses_a_caseload_in_use(cli, db_path, monkeypatch):
    open_case(cli, "Siti")
    backup = cli.json("backup")["backup"]
    reader = sqlite3.connect(db_path)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM cases").fetchone()
    monkeypatch.setenv("LINGKARAN_BUSY_TIMEOUT", "0.2")
    result = cli("restore", backup, "--yes")
    reader.close()
    assert result.exit_code == ExitCode.DATABASE_UNUSABLE and "using the caseload" in result.stderr
    assert clients(db_path) == ["Siti"]
    assert not [p for p in db_path.parent.iterdir() if p.name.startswith(".")], "the staged copy is cleaned up"
    assert os.path.exists(db_path)


def test_a_partial_copy_left_by_a_killed_backup_is_cleared_later(cli, db_path):
    open_case(cli, "Siti")
    stale = db_path.parent / ".caseload-backup-x.db.0123abcd.partial"
    fresh = db_path.parent / ".caseload-backup-y.db.4567cdef.partial"
    for path in (stale, fresh):
        path.write_text("half a backup")
    an_hour_ago = stale.stat().st_mtime - 3700
    os.utime(stale, (an_hour_ago, an_hour_ago))
    cli.ok("backup")
    assert not stale.exists() and fresh.exists(), "a fresh one may belong to a backup still running"


def test_a_backup_that_cannot_be_written_is_exit_5_in_one_line(cli, tmp_path):
    open_case(cli, "Siti")
    (tmp_path / "a-file").write_text("not a folder")
    result = cli("backup", tmp_path / "a-file" / "copy.db")
    assert result.exit_code == ExitCode.DATABASE_UNUSABLE and "a-file" in result.stderr
    assert result.stderr.count("\n") == 1 and isinstance(result.exception, SystemExit)
