"""Encryption at rest: an encrypted caseload reveals nothing on disk and works with every command."""

import json
import sqlite3
import stat
import sys

import pytest

from lingkaran.errors import ExitCode
from tests.helpers import NAME, PASSPHRASE, row_counts, traces_of

sqlcipher3 = pytest.importorskip("sqlcipher3", reason="encryption needs the secure extra (sqlcipher3)")


def on_disk(db_path) -> bytes:
    """The caseload file and its WAL, as raw bytes."""
    wal = db_path.with_name(db_path.name + "-wal")
    return db_path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def step(lingkaran, *args):
    result = lingkaran(*args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_case_goes_around_the_cycle_on_an_encrypted_caseload(lingkaran, db_path, key_file):
    assert step(lingkaran, "init", "--encrypt") == {"path": str(db_path), "created": True, "encrypted": True}
    step(
        lingkaran,
        "open",
        NAME,
        "--level",
        "mikro",
        "--problem",
        f"{NAME} left school",
        "--consent",
        "--consent-scope",
        "case management",
        "--date",
        "2026-06-01",
    )
    step(
        lingkaran,
        "assess",
        "1",
        "--domain",
        "education=2",
        "--summary",
        f"{NAME} misses her father",
        "--date",
        "2026-06-02",
    )
    step(lingkaran, "plan", "1", "--goal", "Back to school", "--date", "2026-06-03")
    # a second connection keeps the WAL on disk while commands write, so its bytes can be searched too
    holder = sqlcipher3.connect(db_path)
    holder.execute(f"PRAGMA key = '{PASSPHRASE.replace(chr(39), chr(39) * 2)}'")
    assert holder.execute("SELECT client FROM cases").fetchone()[0] == NAME
    step(
        lingkaran, "intervene", "1", "--activity", "home-visit", "--note", f"Met {NAME} at home", "--date", "2026-06-04"
    )
    step(lingkaran, "monitor", "1", "--progress", "1=0", "--note", "Attends", "--date", "2026-06-08")
    step(lingkaran, "evaluate", "1", "--score", "1=1", "--decision", "terminate", "--date", "2026-06-10")
    step(lingkaran, "terminate", "1", "--reason", "goals-met", "--summary", f"{NAME} is back", "--date", "2026-06-12")
    step(lingkaran, "consent", "1", "--withdrawn", "--date", "2026-06-13")
    noted = step(lingkaran, "note", "1", f"{NAME} phoned", "--date", "2026-06-13")
    step(lingkaran, "amend", noted["event_uuid"], "--note", f"{NAME}'s mother phoned", "--reason", "misheard")
    wal = db_path.with_name(db_path.name + "-wal")
    assert wal.stat().st_size > 0 and stat.S_IMODE(wal.stat().st_mode) == stat.S_IMODE(db_path.stat().st_mode) == 0o600
    raw = on_disk(db_path)
    assert not [trace for trace in traces_of(NAME) if trace in raw]
    holder.close()
    shown = step(lingkaran, "show", "1")
    assert shown["client"] == NAME and shown["status"] == "closed" and shown["consent"] is False
    assert [case["client"] for case in step(lingkaran, "list", "--all")] == [NAME]
    assert [event["kind"] for event in step(lingkaran, "log", "1")][-4:] == ["terminate", "consent", "note", "amend"]
    assert step(lingkaran, "search", "phoned")
    for command in ("dashboard", "due", "stats"):
        step(lingkaran, command)
    assert step(lingkaran, "retention") == []
    assert step(lingkaran, "forget", "1", "--yes")["case_id"] == 1
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(db_path).execute("SELECT count(*) FROM sqlite_master").fetchone()


def test_encrypt_then_decrypt_keeps_every_record_and_leaves_no_plaintext_behind(cli, db_path, active_case, key_file):
    before = cli.json("show", active_case)
    counts = row_counts(db_path)
    encrypted = cli.json("encrypt")
    assert encrypted == {"path": str(db_path), "encrypted": True, "tables": len(counts), "rows": sum(counts.values())}
    assert db_path.read_bytes()[:16] != b"SQLite format 3\x00"
    assert sorted(p.name for p in db_path.parent.iterdir() if p.name.startswith(db_path.name)) == [db_path.name]
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
    assert not [trace for trace in traces_of(NAME) if trace in on_disk(db_path)]
    assert cli.json("show", active_case) == before
    assert cli.json("decrypt")["encrypted"] is False
    assert row_counts(db_path) == counts
    assert cli.json("show", active_case) == before


def test_a_wrong_or_missing_key_is_exit_5_with_one_line(lingkaran, db_path, key_file, tmp_path, monkeypatch):
    step(lingkaran, "init", "--encrypt")
    wrong = tmp_path / "wrong.key"
    wrong.write_text("not the passphrase\n")
    wrong.chmod(0o600)
    monkeypatch.delenv("LINGKARAN_KEY_FILE")
    for args in (["--key-file", wrong, "list"], ["list"], ["--key-file", tmp_path / "missing.key", "list"]):
        result = lingkaran(*args)
        assert result.returncode == ExitCode.DATABASE_UNUSABLE, args
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("lingkaran: "), result.stderr
    assert "wrong passphrase" in lingkaran("--key-file", wrong, "list").stderr
    assert "LINGKARAN_KEY_FILE" in lingkaran("list").stderr
    assert lingkaran("--key-file", key_file, "list", "--json").stdout == "[]\n"


def test_the_plain_sqlite3_module_cannot_read_an_encrypted_caseload(cli, db_path, key_file):
    cli.ok("init", "--encrypt")
    cli.ok("open", NAME, "--level", "mikro", "--problem", "Left school")
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(db_path).execute("SELECT client FROM cases").fetchall()


def test_a_locked_encrypted_caseload_is_exit_5_not_a_traceback(lingkaran, db_path, key_file):
    step(lingkaran, "init", "--encrypt")
    holder = sqlcipher3.connect(db_path, isolation_level=None)
    holder.execute(f"PRAGMA key = '{PASSPHRASE.replace(chr(39), chr(39) * 2)}'")
    holder.execute("BEGIN IMMEDIATE")
    result = lingkaran("open", "Y", "--level", "mikro", "--problem", "p", env={"LINGKARAN_BUSY_TIMEOUT": "0.2"})
    holder.execute("ROLLBACK")
    assert result.returncode == ExitCode.DATABASE_UNUSABLE and "locked" in result.stderr
    assert "Traceback" not in result.stderr


def test_refusals_leave_the_file_untouched(cli, db_path, opened_case, key_file, tmp_path, monkeypatch):
    plain = db_path.read_bytes()
    assert cli("decrypt").exit_code == ExitCode.INVALID_INPUT
    assert cli("init", "--encrypt").exit_code == ExitCode.INVALID_INPUT
    short = tmp_path / "short.key"
    short.write_text("short\n")
    result = cli("--key-file", short, "encrypt")
    assert result.exit_code == ExitCode.INVALID_INPUT and "too short" in result.stderr
    monkeypatch.delenv("LINGKARAN_KEY_FILE")
    result = cli("encrypt")
    assert result.exit_code == ExitCode.INVALID_INPUT and "--key-file" in result.stderr
    assert db_path.read_bytes() == plain
    cli.ok("--key-file", key_file, "encrypt")
    assert cli("--key-file", key_file, "encrypt").exit_code == ExitCode.INVALID_INPUT


def test_the_passphrase_is_never_a_flag_value(cli):
    result = cli("encrypt", "--passphrase", "secret123")
    assert result.exit_code == ExitCode.INVALID_INPUT and "--passphrase" in result.stderr


def test_without_the_secure_extra_encrypt_says_how_to_install_it(cli, db_path, opened_case, monkeypatch):
    monkeypatch.setitem(sys.modules, "sqlcipher3", None)  # `import sqlcipher3` now fails
    before = db_path.read_bytes()
    for args in (["encrypt"], ["decrypt"], ["rekey"], ["init", "--encrypt"]):
        result = cli(*args)
        assert result.exit_code == ExitCode.INVALID_INPUT, args
        assert 'pip install "lingkaran[secure]"' in result.stderr
    assert db_path.read_bytes() == before


def test_an_encrypted_caseload_without_the_extra_is_exit_5(cli, db_path, key_file, monkeypatch):
    cli.ok("init", "--encrypt")
    monkeypatch.setitem(sys.modules, "sqlcipher3", None)
    result = cli("list")
    assert result.exit_code == ExitCode.DATABASE_UNUSABLE and "lingkaran[secure]" in result.stderr


def test_init_creates_a_private_caseload_in_a_private_folder(cli, tmp_path):
    path = tmp_path / "new" / "caseload.db"
    assert cli.json("--db", path, "init") == {"path": str(path), "created": True, "encrypted": False}
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert cli.json("--db", path, "init")["created"] is False


def test_at_a_terminal_a_new_passphrase_is_asked_twice(cli, db_path, monkeypatch):
    from lingkaran.cli.session import Session

    answers = iter(["first passphrase", "another one", "good passphrase", "good passphrase", "good passphrase"])
    monkeypatch.setattr(Session, "interactive", lambda self: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    result = cli("init", "--encrypt")
    assert result.exit_code == ExitCode.INVALID_INPUT and "differ" in result.stderr and not db_path.exists()
    cli.ok("init", "--encrypt")
    assert cli.json("list") == []  # asked once for the existing caseload's passphrase
    assert next(answers, None) is None


def test_encrypt_while_another_connection_has_the_caseload_open_changes_nothing(lingkaran, db_path, key_file):
    lingkaran("open", NAME, "--level", "mikro", "--problem", "p", env={"LINGKARAN_KEY_FILE": ""})  # a plain one
    holder = sqlite3.connect(db_path)  # another process's SQLite: the same library in-process would not see it
    holder.execute("SELECT count(*) FROM cases").fetchone()
    result = lingkaran("encrypt", env={"LINGKARAN_BUSY_TIMEOUT": "0.2"})
    assert result.returncode == ExitCode.DATABASE_UNUSABLE and "locked" in result.stderr
    assert holder.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    holder.close()
    assert db_path.read_bytes()[:16] == b"SQLite format 3\x00"
    assert not db_path.with_name(db_path.name + ".converting").exists()


def test_an_encrypted_caseload_of_an_older_schema_is_migrated_through_sqlcipher(db_path, key_file):
    from sqlite_utils import Database

    from lingkaran.store import encryption as keys
    from lingkaran.store.database import SCHEMA_VERSION, connect
    from lingkaran.store.migrations import migrations

    db = Database(db_path)
    migrations.apply(db, stop_before="m003_consent")
    db.execute("PRAGMA user_version = 1")
    db.close()
    keys.convert(db_path, None, PASSPHRASE, busy_timeout=1)
    conn = connect(db_path, passphrase=lambda: PASSPHRASE)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert "consent_scope" in [row[1] for row in conn.execute("PRAGMA table_info(cases)")]
    conn.close()


def test_json_output_of_the_privacy_commands_never_loads_rich(lingkaran, key_file):
    script = (
        "import sys; from lingkaran.cli import main; sys.argv = ['lingkaran', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "assert not [m for m in sys.modules if m.startswith('rich')], 'rich was imported'"
    )
    import subprocess

    for args in (["init", "--encrypt", "--json"], ["retention", "--json"], ["list", "--json"]):
        result = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


def a_key_file(tmp_path, name: str, passphrase: str):
    path = tmp_path / name
    path.write_text(passphrase + "\n")
    path.chmod(0o600)
    return path


def test_rekey_changes_the_passphrase_and_keeps_every_record(lingkaran, db_path, key_file, tmp_path):
    step(lingkaran, "init", "--encrypt")
    case = step(lingkaran, "open", NAME, "--level", "mikro", "--problem", "Left school")
    before = step(lingkaran, "show", str(case["id"]))
    new_key = a_key_file(tmp_path, "new.key", "a new long passphrase")
    result = step(lingkaran, "rekey", "--new-key-file", new_key)
    assert result["path"] == str(db_path) and result["encrypted"] is True and result["rows"] > 0
    old = lingkaran("list")
    assert old.returncode == ExitCode.DATABASE_UNUSABLE and "wrong passphrase" in old.stderr
    assert step(lingkaran, "--key-file", new_key, "show", str(case["id"])) == before
    assert sorted(p.name for p in db_path.parent.iterdir() if p.name.startswith(db_path.name)) == [db_path.name]
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
    assert not [trace for trace in traces_of(NAME) if trace in on_disk(db_path)]


def test_rekey_refusals_change_nothing(cli, db_path, key_file, tmp_path, monkeypatch):
    with monkeypatch.context() as without_key:  # a plain caseload is started only without a key file
        without_key.delenv("LINGKARAN_KEY_FILE")
        cli.ok("open", NAME, "--level", "mikro", "--problem", "Left school")
    plain = db_path.read_bytes()
    result = cli("rekey", "--new-key-file", a_key_file(tmp_path, "new.key", "a new long passphrase"))
    assert result.exit_code == ExitCode.INVALID_INPUT and "not encrypted" in result.stderr
    assert db_path.read_bytes() == plain
    cli.ok("encrypt")
    encrypted = db_path.read_bytes()
    refusals = [
        ((), "--new-key-file"),  # no terminal to ask at
        (("--new-key-file", a_key_file(tmp_path, "same.key", PASSPHRASE)), "same as the current"),
        (("--new-key-file", a_key_file(tmp_path, "short.key", "short")), "too short"),
    ]
    for args, message in refusals:
        result = cli("rekey", *args)
        assert result.exit_code == ExitCode.INVALID_INPUT and message in result.stderr, result.stderr
        assert result.stderr.count("\n") == 1
    wrong = a_key_file(tmp_path, "wrong.key", "not the passphrase")
    result = cli("--key-file", wrong, "rekey", "--new-key-file", tmp_path / "new.key")
    assert result.exit_code == ExitCode.DATABASE_UNUSABLE and "wrong passphrase" in result.stderr
    assert db_path.read_bytes() == encrypted


def test_at_a_terminal_rekey_asks_for_the_new_passphrase_twice(cli, db_path, key_file, monkeypatch):
    from lingkaran.cli.session import Session

    cli.ok("init", "--encrypt")
    answers = iter(["brand new passphrase", "brand new passphrase"])
    monkeypatch.setattr(Session, "interactive", lambda self: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    cli.ok("rekey")
    assert next(answers, None) is None
    fresh = db_path.parent / "fresh.key"
    fresh.write_text("brand new passphrase\n")
    fresh.chmod(0o600)
    assert cli.json("--key-file", fresh, "list") == []
