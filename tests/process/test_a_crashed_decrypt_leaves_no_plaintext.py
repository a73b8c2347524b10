"""A `decrypt` (or `encrypt`, `rekey`) killed half-way leaves nothing behind for long: the plain-text copy it was
building is removed by the next command that opens the caseload (which says so on stderr), never while a
conversion is still making it; and a hot journal it left is rolled back before `check` judges the file, so the
right passphrase is never called wrong."""

import sqlite3
import subprocess
import sys

import pytest

from tests.helpers import PASSPHRASE, killed_when

NAME = "Siti Rahmawati"


@pytest.fixture
def encrypted_caseload(lingkaran, key_file, db_path, tmp_path):  # noqa: F811
    """An encrypted caseload of a few megabytes, so that converting it takes a moment to interrupt."""
    pytest.importorskip("sqlcipher3", reason="encryption needs the secure extra (sqlcipher3)")
    assert lingkaran("init", "--encrypt").returncode == 0
    assert lingkaran("open", NAME, "--level", "mikro", "--problem", "Left school").returncode == 0
    long_note = "A long note from a case conference about Siti Rahmawati. " * 10_000
    for _note in range(6):
        assert lingkaran("note", "1", "-", input=long_note).returncode == 0
    return db_path


def converting(db_path):
    return db_path.with_name(db_path.name + ".converting")


def size(path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def test_the_plain_copy_of_a_killed_decrypt_is_removed_by_the_next_command(encrypted_caseload, lingkaran):
    db_path = encrypted_caseload
    left_behind = 0
    for _attempt in range(20):
        if left_behind >= 4:
            break
        if not killed_when(["decrypt"], lambda: size(converting(db_path)) > 1 << 20):  # a megabyte copied
            assert lingkaran("encrypt").returncode == 0  # it finished: encrypt it again for the next try
            continue
        if not converting(db_path).exists():
            continue
        left_behind += 1
        assert NAME.encode() in converting(db_path).read_bytes()  # the whole caseload, readable by anyone
        listed = lingkaran("list", "--json")
        assert listed.returncode == 0 and NAME in listed.stdout
        assert listed.stderr == (
            f"lingkaran: removed {converting(db_path)}, a copy of the caseload left by an "
            f"interrupted encrypt, decrypt or rekey\n"
        )
        assert sorted(path.name for path in db_path.parent.iterdir() if path.name.startswith(db_path.name)) == [
            db_path.name
        ]
        assert db_path.read_bytes()[:16] != b"SQLite format 3\x00"
        assert NAME.encode() not in db_path.read_bytes()
    assert left_behind >= 4
    assert lingkaran("check").returncode == 0


def test_a_copy_a_running_conversion_is_making_is_left_alone(encrypted_caseload, lingkaran):
    import sqlcipher3

    db_path = encrypted_caseload
    holder = sqlcipher3.connect(str(db_path), isolation_level=None)  # what decrypt holds while it copies
    holder.execute("PRAGMA key = '{}'".format(PASSPHRASE.replace("'", "''")))
    holder.execute("PRAGMA journal_mode = DELETE")
    holder.execute("BEGIN IMMEDIATE")
    converting(db_path).write_bytes(b"a copy being made")
    listed = lingkaran("list", "--json", env={"LINGKARAN_BUSY_TIMEOUT": "0.2"})
    assert listed.returncode == 0 and NAME in listed.stdout and listed.stderr == ""
    assert converting(db_path).read_bytes() == b"a copy being made"
    holder.execute("ROLLBACK")
    holder.close()
    listed = lingkaran("list", "--json")
    assert listed.returncode == 0 and "removed" in listed.stderr and not converting(db_path).exists()


HOT_JOURNAL = """
import os, signal, sys
path, key = sys.argv[1], sys.argv[2]
if key:
    import sqlcipher3 as sqlite
else:
    import sqlite3 as sqlite
conn = sqlite.connect(path, isolation_level=None)
if key:
    conn.execute("PRAGMA key = '{}'".format(key.replace("'", "''")))
conn.execute("PRAGMA journal_mode = DELETE")
conn.execute("PRAGMA cache_size = 5")  # the changed pages do not fit: they reach the file before any commit
conn.execute("BEGIN IMMEDIATE")
conn.execute("UPDATE notes SET text = 'half-written'")
os.kill(os.getpid(), signal.SIGKILL)
"""


def leave_a_hot_journal(db_path, key: str) -> None:
    """A writer in rollback-journal mode killed in the middle of its transaction, as a killed rekey is."""
    subprocess.run([sys.executable, "-c", HOT_JOURNAL, str(db_path), key])
    assert size(db_path.with_name(db_path.name + "-journal")) > 0


def test_check_rolls_back_a_hot_journal_before_it_judges_an_encrypted_caseload(encrypted_caseload, lingkaran):
    db_path = encrypted_caseload
    leave_a_hot_journal(db_path, PASSPHRASE)
    checked = lingkaran("check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stderr == (
        f"lingkaran: rolled back {db_path}-journal, left by an interrupted command; the "
        f"caseload is as it was before that command\n"
    )
    assert "half-written" not in lingkaran("show", "1", "--json").stdout


def test_check_rolls_back_a_hot_journal_of_a_plain_caseload_too(cli, opened_case, db_path, lingkaran):
    cli.ok("note", opened_case, "Called the school")
    leave_a_hot_journal(db_path, "")
    checked = lingkaran("check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "rolled back" in checked.stderr
    conn = sqlite3.connect(db_path)
    assert [row[0] for row in conn.execute("SELECT text FROM notes")] == ["Called the school"]
    conn.close()


@pytest.mark.parametrize("command", ["decrypt", "rekey"])
def test_a_conversion_killed_as_it_leaves_wal_mode_is_checked_with_the_right_passphrase(
    encrypted_caseload, lingkaran, tmp_path, command
):
    db_path = encrypted_caseload
    new_key = tmp_path / "new.key"
    new_key.write_text("another long passphrase\n")
    new_key.chmod(0o600)
    args = [command, "--new-key-file", str(new_key)] if command == "rekey" else [command]
    journal = db_path.with_name(db_path.name + "-journal")
    pristine = db_path.read_bytes()
    for _attempt in range(6):
        for left in db_path.parent.glob(db_path.name + "*"):
            left.unlink()
        db_path.write_bytes(pristine)
        db_path.chmod(0o600)
        killed_when(args, journal.exists)
        if db_path.read_bytes()[:16] == b"SQLite format 3\x00":  # killed after decrypt's swap: plain, no key
            keys = [{"LINGKARAN_KEY_FILE": ""}]
        else:  # the old passphrase, or the new one if rekey's swap was done
            keys = [{}, {"LINGKARAN_KEY_FILE": str(new_key)}]
        checked = [lingkaran("check", env=env) for env in keys]
        assert any(result.returncode == 0 for result in checked), [result.stderr for result in checked]
        assert not converting(db_path).exists()
