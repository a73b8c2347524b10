"""Ctrl-C tells the truth: "nothing was written" only when nothing was, and "saved" when the change was committed
before the interrupt arrived (a retry would record it twice); a Ctrl-C while lingkaran is still starting ends
with the same one line, never a KeyboardInterrupt traceback."""

import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

from lingkaran.errors import ExitCode
from tests.helpers import LINGKARAN

NOTHING_WRITTEN = "lingkaran: interrupted; nothing was written\n"
SAVED = "lingkaran: interrupted after the change was saved; it is in the caseload, so do not run the command again\n"


def test_ctrl_c_after_the_commit_says_the_note_was_saved(cli, active_case, monkeypatch):
    from lingkaran.cli import output

    def interrupted_output(data):
        raise KeyboardInterrupt  # the note is committed; Ctrl-C arrives while its result is printed

    with monkeypatch.context() as patch:
        patch.setattr(output, "print_json", interrupted_output)
        result = cli("note", active_case, "Called the school", "--json")
    assert result.exit_code == ExitCode.INTERRUPTED
    assert result.stderr == SAVED and result.stdout == ""
    assert [note["text"] for note in cli.json("show", active_case)["notes"]] == ["Called the school"]


def notes_stored(db_path: Path) -> int:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("SELECT count(*) FROM notes").fetchone()[0]
    finally:
        conn.close()


def wal_size(db_path: Path) -> int:
    try:
        return os.stat(f"{db_path}-wal").st_size
    except FileNotFoundError:
        return 0


def test_a_real_ctrl_c_the_moment_the_wal_is_written_says_what_happened(cli, active_case, db_path, tmp_path):
    """SIGINT the instant the WAL grows: a short note's first write there is its commit (Python acts on the signal
    once COMMIT returns: saved), a 720 kB note spills to the WAL before it commits (rolled back: nothing)."""
    short_note, long_note = tmp_path / "short.txt", tmp_path / "long.txt"
    short_note.write_text("Home visit, all well")
    long_note.write_text("A long note from a case conference. " * 20_000)
    outcomes = set()
    for note in [short_note, long_note] * 5:
        before = notes_stored(db_path)
        with note.open("rb") as stdin:
            process = subprocess.Popen(
                [LINGKARAN, "note", active_case, "-"],
                stdin=stdin,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            while process.poll() is None and wal_size(db_path) == 0:
                time.sleep(0.0002)
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
            out, err = process.communicate(timeout=60)
        stored = notes_stored(db_path) - before
        assert stored == (process.returncode == 0 or err == SAVED), (process.returncode, err)
        assert process.returncode in (0, ExitCode.INTERRUPTED) and err in ("", SAVED, NOTHING_WRITTEN), err
        outcomes.add((process.returncode, stored))
    assert (ExitCode.INTERRUPTED, 1) in outcomes  # the moment that used to say "nothing was written" was reached


def test_ctrl_c_while_lingkaran_is_starting_is_one_line_never_a_traceback(cli):
    cli.ok("list")
    durations = []
    for _warm_up in range(2):
        started = time.monotonic()
        subprocess.run([LINGKARAN, "list"], capture_output=True, check=True)
        durations.append(time.monotonic() - started)
    typical = min(durations)
    steps = 24
    for step in range(steps):  # from Python's own start-up, through loading lingkaran, to the command's end
        process = subprocess.Popen([LINGKARAN, "list"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(typical * step / steps)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
        ours = [line for line in err.splitlines() if "File " in line and "/lingkaran/" in line]
        assert ours == [], err  # a traceback through lingkaran's code
        if process.returncode == ExitCode.INTERRUPTED:
            assert err == NOTHING_WRITTEN
        elif process.returncode != 0:  # Python was still starting, before any code of ours: its own way out
            assert process.returncode == -signal.SIGINT or err.startswith("Fatal Python error: init_")
