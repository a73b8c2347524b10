"""A killed `lingkaran init --encrypt` never leads to a caseload in plain text: the encrypted file is built under a
temporary name and gets the caseload's name only when whole, no plain caseload is started while a key file is
given, and `check` says when a key file is given for a caseload that is not encrypted."""

import json
import os
import random
import time
from collections.abc import Callable

import pytest

from lingkaran.errors import ExitCode
from tests.helpers import after, killed_when

NAME = "Siti Rahmawati"
NOT_PLAIN = (
    "there is no caseload at {path} yet and a key file is given (--key-file or LINGKARAN_KEY_FILE), so "
    "lingkaran will not start a plain one: start it encrypted with `lingkaran init --encrypt`, or leave "
    "out the key file"
)


@pytest.fixture(autouse=True)
def secure_extra():
    pytest.importorskip("sqlcipher3", reason="encryption needs the secure extra (sqlcipher3)")


def on_disk(folder) -> bytes:
    return b"".join(path.read_bytes() for path in folder.iterdir() if path.is_file())


def something_in(folder) -> Callable[[], bool]:
    """The moment anything appears in `folder`, as a `ready` for `killed_when`."""
    return lambda: folder.exists() and any(folder.iterdir())


def test_init_encrypt_killed_at_any_moment_never_leads_to_a_plain_caseload(lingkaran, key_file, tmp_path):  # noqa: F811
    started = time.monotonic()
    assert lingkaran("--db", tmp_path / "timed" / "caseload.db", "init", "--encrypt").returncode == 0
    typical = time.monotonic() - started
    rng, kills = random.Random(4), 0
    for attempt in range(12):
        db_path = tmp_path / f"attempt-{attempt}" / "caseload.db"
        moment = something_in(db_path.parent) if attempt % 2 == 0 else after(typical * rng.uniform(0.2, 1.0))
        kills += killed_when(["--db", db_path, "init", "--encrypt"], moment)  # the instant a file appears, or later
        opened = lingkaran("--db", db_path, "open", NAME, "--level", "mikro", "--problem", "Left school")
        if opened.returncode == 0:  # the kill came after the caseload got its name: it is whole and encrypted
            assert db_path.read_bytes()[:16] != b"SQLite format 3\x00"
        else:
            assert opened.returncode == ExitCode.DATABASE_UNUSABLE
            assert opened.stderr == f"lingkaran: {NOT_PLAIN.format(path=db_path)}\n"
            assert not db_path.exists() or db_path.stat().st_size == 0
            assert lingkaran("--db", db_path, "init", "--encrypt").returncode == 0  # the remedy it names works
            assert lingkaran("--db", db_path, "open", NAME, "--level", "mikro", "--problem", "x").returncode == 0
        assert NAME.encode() not in on_disk(db_path.parent)
        assert lingkaran("--db", db_path, "check").returncode == 0
    assert kills >= 6


def test_no_plain_caseload_is_started_while_a_key_file_is_given(cli, key_file, db_path, monkeypatch):  # noqa: F811
    for command in (["open", NAME, "--level", "mikro", "--problem", "Left school"], ["init"], ["list"]):
        result = cli(*command)
        assert result.exit_code == ExitCode.DATABASE_UNUSABLE, command
        assert result.stderr == f"lingkaran: {NOT_PLAIN.format(path=db_path)}\n"
        assert not db_path.exists()
    db_path.write_bytes(b"")  # what a killed `init --encrypt` of an older lingkaran left
    assert cli("open", NAME, "--level", "mikro", "--problem", "Left school").exit_code == ExitCode.DATABASE_UNUSABLE
    assert db_path.read_bytes() == b""
    assert cli.json("init", "--encrypt")["encrypted"] is True
    monkeypatch.delenv("LINGKARAN_KEY_FILE")
    plain = db_path.with_name("plain.db")
    assert cli.json("--db", plain, "init")["encrypted"] is False  # without a key file, plain is the person's choice


def test_check_says_when_a_key_file_is_given_for_a_plain_caseload(cli, key_file, db_path, monkeypatch):  # noqa: F811
    with monkeypatch.context() as without_key:
        without_key.delenv("LINGKARAN_KEY_FILE")
        cli.ok("open", NAME, "--level", "mikro", "--problem", "Left school")
        assert cli("check").exit_code == 0
    result = cli("check", "--json")
    assert result.exit_code == ExitCode.DATABASE_UNUSABLE
    assert json.loads(result.stdout)["findings"] == [
        {
            "check": "encryption",
            "path": str(db_path),
            "message": f"a key file is given ({key_file}) but the caseload {db_path} is not encrypted: anyone with the "
            f"file can read it; encrypt it with `lingkaran encrypt`",
        }
    ]
    cli.ok("encrypt")
    assert cli("check").exit_code == 0
    assert os.stat(db_path).st_mode & 0o077 == 0
