"""A write that waited for the lock while `restore` (or encrypt, decrypt, rekey) swapped the file is refused,
never committed into the replaced file that nobody reads again."""

import json
import os
import subprocess
import sys

import pytest

from lingkaran.errors import DatabaseUnusable, ExitCode
from lingkaran.store import database, events
from tests.helpers import LINGKARAN, PASSPHRASE


def event_count(path) -> int:
    conn = database.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM events").fetchone()[0]
    finally:
        conn.close()


def test_a_writer_whose_file_was_replaced_is_refused_and_writes_nothing(cli, opened_case, db_path, tmp_path):
    cli.ok("backup", tmp_path / "copy.db")
    writer = database.connect(db_path)  # opened before the swap, as a command waiting for the lock is
    replaced = tmp_path / "replaced.db"
    os.link(db_path, replaced)  # keeps the old file readable after the rename, to see what reached it
    before = event_count(replaced)
    os.replace(tmp_path / "copy.db", db_path)  # what restore does while it holds the lock
    with pytest.raises(DatabaseUnusable, match="was replaced .* nothing was written; run the command again"):
        with database.transaction(writer):
            events.append(writer, None, "import", phase=None, cycle=None, occurred_on="2026-06-15", data={})
    writer.close()
    assert event_count(replaced) == before
    with database.transaction(database.connect(db_path)) as reopened:  # a new run writes into the restored file
        events.append(reopened, None, "import", phase=None, cycle=None, occurred_on="2026-06-15", data={})


NOTE_WRITER = """
import subprocess, sys, json
lingkaran, tag, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
acknowledged = []
for n in range(count):
    text = f"{tag} {n}"
    done = subprocess.run([lingkaran, "note", "1", text], capture_output=True, text=True)
    if done.returncode == 0:
        acknowledged.append(text)
    elif done.returncode != 5:
        sys.exit(f"unexpected exit {done.returncode}: {done.stderr}")
print(json.dumps(acknowledged))
"""


def notes_in(path) -> set[str]:
    import sqlcipher3

    conn = sqlcipher3.connect(str(path))
    conn.execute("PRAGMA key = '{}'".format(PASSPHRASE.replace("'", "''")))
    try:
        return {row[0] for row in conn.execute("SELECT text FROM notes")}
    finally:
        conn.close()


def test_no_acknowledged_note_is_lost_while_an_encrypted_caseload_is_restored(
    lingkaran,
    key_file,
    db_path,  # noqa: F811
    tmp_path,
):
    pytest.importorskip("sqlcipher3", reason="encryption needs the secure extra (sqlcipher3)")
    assert lingkaran("init", "--encrypt").returncode == 0
    assert lingkaran("open", "Siti", "--level", "mikro", "--problem", "Left school", "--consent").returncode == 0
    backup = tmp_path / "before.db"
    assert lingkaran("backup", backup).returncode == 0
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", NOTE_WRITER, LINGKARAN, tag, "12"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("first", "second", "third")
    ]
    restores = []
    while any(writer.poll() is None for writer in writers) and len(restores) < 12:
        restores.append(lingkaran("restore", backup, "--yes"))
    acknowledged = set()
    for writer in writers:
        out, err = writer.communicate(timeout=180)
        assert writer.returncode == 0, err
        acknowledged |= set(json.loads(out))
    assert all(done.returncode in (0, ExitCode.DATABASE_UNUSABLE) for done in restores)
    kept = set().union(*(notes_in(path) for path in db_path.parent.glob("*before-restore*") if path.is_file()))
    assert acknowledged <= notes_in(db_path) | kept  # every acknowledged note is in the caseload or a kept copy
    assert lingkaran("check").returncode == 0
