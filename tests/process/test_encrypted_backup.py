"""check, backup and restore on an encrypted caseload: backups stay encrypted, restore never changes the kind."""

import json
import sqlite3
import stat
from pathlib import Path

import pytest

from lingkaran.errors import ExitCode
from lingkaran.store.encryption import file_kind
from tests.helpers import NAME, PASSPHRASE, traces_of

sqlcipher3 = pytest.importorskip("sqlcipher3", reason="encryption needs the secure extra (sqlcipher3)")


def keyed(path, passphrase=PASSPHRASE):
    """A SQLCipher connection outside lingkaran (closed by the caller)."""
    conn = sqlcipher3.connect(path, isolation_level=None)
    conn.execute("PRAGMA key = '{}'".format(passphrase.replace("'", "''")))
    return conn


def every_record(path, passphrase=PASSPHRASE) -> dict[str, list[tuple]]:
    """Every row of every table, sorted: two caseloads with equal records give equal results."""
    conn = keyed(path, passphrase)
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    records = {table: sorted(conn.execute(f'SELECT * FROM "{table}"'), key=repr) for table in tables}
    conn.close()
    return records


def plain_sqlite_cannot_read(path) -> bool:
    conn = sqlite3.connect(path)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError:
        return True
    finally:
        conn.close()
    return False


def leftovers(folder) -> list[str]:
    """Hidden partial copies a backup or restore should have cleaned up."""
    return [path.name for path in folder.iterdir() if path.name.startswith(".")]


@pytest.fixture
def encrypted(cli, key_file):  # noqa: F811 (the fixture imported above)
    """An encrypted caseload, created before any case is opened in it."""
    cli.ok("init", "--encrypt")


def test_a_backup_of_an_encrypted_caseload_is_encrypted_private_and_holds_no_name(
    lingkaran,
    db_path,
    key_file,  # noqa: F811
    tmp_path,
):
    assert lingkaran("init", "--encrypt").returncode == 0
    opened = lingkaran("open", NAME, "--level", "mikro", "--problem", f"{NAME} left school", "--consent")
    assert opened.returncode == 0, opened.stderr
    target = tmp_path / "backups" / "monday.db"
    target.parent.mkdir(mode=0o700)
    made = lingkaran("backup", target, "--json")
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["backup"] == str(target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert file_kind(target) == "encrypted"
    raw = target.read_bytes()
    assert not [trace for trace in traces_of(NAME) if trace in raw]
    assert plain_sqlite_cannot_read(target)
    assert every_record(target) == every_record(db_path)
    assert leftovers(target.parent) == [] and leftovers(db_path.parent) == []


def test_timestamped_backups_of_an_encrypted_caseload_rotate_and_all_stay_encrypted(
    cli, db_path, encrypted, opened_case, tmp_path
):
    folder = tmp_path / "kept"
    folder.mkdir(mode=0o700)
    made = [cli.json("backup", folder, "--keep", "2")["backup"] for _ in range(3)]
    on_disk = sorted(str(path) for path in folder.iterdir())
    assert on_disk == sorted(made[1:])
    assert all(file_kind(folder / name) == "encrypted" for name in on_disk)


def test_check_passes_on_a_healthy_encrypted_caseload(cli, encrypted, active_case):
    cli.ok("backup")
    report = cli.json("check")
    assert report["ok"] is True and report["findings"] == [] and report["events"] > 0


def test_check_flags_a_key_file_others_can_read(cli, encrypted, opened_case, key_file):  # noqa: F811
    key_file.chmod(0o644)
    result = cli("check", "--json")
    assert result.exit_code == ExitCode.DATABASE_UNUSABLE
    findings = json.loads(result.stdout)["findings"]
    assert [(found["check"], found["path"]) for found in findings] == [("permissions", str(key_file))]
    assert "chmod 600" in findings[0]["message"]


def test_check_catches_tampering_inside_an_encrypted_caseload(cli, db_path, encrypted, active_case):
    conn = keyed(db_path)
    conn.execute("DROP TRIGGER events_no_rewrite")
    conn.execute("UPDATE events SET kind = 'close' WHERE id = 2")
    conn.close()
    result = cli("check", "--json")
    assert result.exit_code == ExitCode.DATABASE_UNUSABLE
    # "close" is no kind of event: a values finding beside the broken schema and chain
    assert {found["check"] for found in json.loads(result.stdout)["findings"]} == {"schema", "audit", "values"}


def test_restore_of_an_encrypted_backup_brings_back_every_record(cli, db_path, encrypted, active_case):
    backup = cli.json("backup")["backup"]
    records = every_record(db_path)
    cli.ok("open", "Budi Santoso", "--level", "mikro", "--problem", "Lost his job", "--consent")
    cli.ok("intervene", active_case, "--activity", "phone-call", "--note", "Called her mother")
    restored = cli.json("restore", backup, "--yes")
    assert restored["encrypted"] is True
    assert file_kind(db_path) == "encrypted" and plain_sqlite_cannot_read(db_path)
    assert every_record(db_path) == records
    kept = Path(restored["kept"])
    assert file_kind(kept) == "encrypted" and stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert any("Budi Santoso" in row for row in every_record(kept)["cases"])
    assert cli.json("check")["ok"] is True
    assert leftovers(db_path.parent) == []


def test_an_encrypted_backup_restores_into_a_new_caseload_with_its_passphrase(
    lingkaran,
    db_path,
    key_file,  # noqa: F811
    tmp_path,
):
    lingkaran("init", "--encrypt")
    lingkaran("open", NAME, "--level", "mikro", "--problem", "Left school", "--consent")
    backup = tmp_path / "copy.db"
    lingkaran("backup", backup)
    new_laptop = tmp_path / "new" / "caseload.db"
    restored = lingkaran("--db", new_laptop, "restore", backup, "--json")
    assert restored.returncode == 0, restored.stderr
    assert json.loads(restored.stdout)["kept"] is None
    assert file_kind(new_laptop) == "encrypted"
    shown = lingkaran("--db", new_laptop, "list", "--json")
    assert [case["client"] for case in json.loads(shown.stdout)] == [NAME]


def refused_restore(lingkaran, db_path, backup, *extra, env=None):
    """A restore that must change nothing: exit 5, one stderr line, the caseload's bytes as they were."""
    before = db_path.read_bytes()
    result = lingkaran(*extra, "restore", backup, "--yes", env=env)
    assert result.returncode == ExitCode.DATABASE_UNUSABLE, result.stderr
    assert result.stdout == "" and result.stderr.count("\n") == 1, result.stderr
    assert db_path.read_bytes() == before
    assert [path.name for path in db_path.parent.iterdir() if "before-restore" in path.name] == []
    assert leftovers(db_path.parent) == []
    return result.stderr


def test_a_backup_encrypted_with_another_key_is_refused(lingkaran, db_path, key_file, tmp_path):  # noqa: F811
    other_key = tmp_path / "other.key"
    other_key.write_text("another long passphrase\n")
    other_key.chmod(0o600)
    other, backup = tmp_path / "other.db", tmp_path / "other-backup.db"
    lingkaran("--db", other, "--key-file", other_key, "init", "--encrypt")
    assert lingkaran("--db", other, "--key-file", other_key, "backup", backup).returncode == 0
    lingkaran("init", "--encrypt")
    message = refused_restore(lingkaran, db_path, backup)
    assert "does not open with the caseload's passphrase" in message


def test_a_plain_backup_is_refused_over_an_encrypted_caseload_and_the_other_way_round(
    lingkaran, db_path, key_file, tmp_path
):  # noqa: F811
    plain, plain_backup = tmp_path / "plain.db", tmp_path / "plain-backup.db"
    lingkaran("--db", plain, "init", env={"LINGKARAN_KEY_FILE": ""})  # a plain one: without the key file
    lingkaran("--db", plain, "backup", plain_backup)
    lingkaran("init", "--encrypt")
    assert "would store the records unencrypted" in refused_restore(lingkaran, db_path, plain_backup)
    encrypted_backup = tmp_path / "encrypted-backup.db"
    lingkaran("backup", encrypted_backup)
    assert "is encrypted but the caseload" in refused_restore(lingkaran, plain, encrypted_backup, "--db", plain)


def test_restoring_an_encrypted_backup_without_its_passphrase_is_refused(
    lingkaran,
    db_path,
    key_file,
    tmp_path,  # noqa: F811
    monkeypatch,
):
    lingkaran("init", "--encrypt")
    backup = tmp_path / "copy.db"
    lingkaran("backup", backup)
    monkeypatch.delenv("LINGKARAN_KEY_FILE")
    assert "LINGKARAN_KEY_FILE" in refused_restore(lingkaran, db_path, backup)


def test_an_encrypted_caseload_is_never_opened_with_the_plain_sqlite3_module(
    cli, db_path, encrypted, active_case, monkeypatch
):
    """sqlite3 and SQLCipher are two SQLite libraries that do not see each other's locks: never mix them."""
    opened_plainly = []
    plain_connect = sqlite3.connect
    monkeypatch.setattr(
        sqlite3, "connect", lambda *args, **kwargs: opened_plainly.append(args[0]) or plain_connect(*args, **kwargs)
    )
    backup = cli.json("backup")["backup"]
    cli.json("check")
    cli.json("restore", backup, "--yes")
    assert opened_plainly == []


def test_a_plain_backup_restored_into_a_new_caseload_with_a_key_file_given_is_encrypted(
    lingkaran,
    tmp_path,
    key_file,  # noqa: F811
):
    """lingkaran never starts a plain caseload while a key file is given: the restored one is encrypted with it."""
    plain, backup = tmp_path / "plain.db", tmp_path / "plain-backup.db"
    env = {"LINGKARAN_KEY_FILE": ""}
    lingkaran("--db", plain, "open", NAME, "--level", "mikro", "--problem", "Left school", "--consent", env=env)
    assert lingkaran("--db", plain, "backup", backup, env=env).returncode == 0
    new_laptop = tmp_path / "new" / "caseload.db"
    restored = lingkaran("--db", new_laptop, "restore", backup, "--json")
    assert restored.returncode == 0, restored.stderr
    assert json.loads(restored.stdout)["encrypted"] is True
    assert file_kind(new_laptop) == "encrypted" and plain_sqlite_cannot_read(new_laptop)
    assert not any(trace in new_laptop.read_bytes() for trace in traces_of(NAME))
    assert [case["client"] for case in json.loads(lingkaran("--db", new_laptop, "list", "--json").stdout)] == [NAME]
    checked = lingkaran("--db", new_laptop, "check", "--json")
    assert checked.returncode == 0, checked.stdout
    assert leftovers(new_laptop.parent) == []
