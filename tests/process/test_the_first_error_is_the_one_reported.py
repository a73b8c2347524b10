"""When a write fails, the user hears why: a full disk says the disk is full (not SQLite's "cannot rollback - no
transaction is active" from a second rollback), and a writer that waited while `encrypt` swapped the file says
the file was replaced (not that it is damaged: encrypt overwrites the file it replaced with zeros)."""

import os
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from lingkaran.errors import ExitCode
from tests.helpers import LINGKARAN


@pytest.fixture
def small_disk(tmp_path):
    """A 3 MB file system of its own (tmpfs), mounted for this test: root on Linux only."""
    disk = tmp_path / "disk"
    disk.mkdir(mode=0o700)
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs to fill needs root")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3M,mode=0700", "tmpfs", str(disk)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=True)


def test_a_full_disk_says_the_disk_is_full_and_writes_nothing(small_disk, tmp_path, lingkaran):
    caseload = small_disk / "caseload.db"
    env = {"LINGKARAN_DB": str(caseload)}
    assert lingkaran("open", "Siti", "--level", "mikro", "--problem", "Left school", env=env).returncode == 0
    note = "A long note from a case conference. " * 25_000  # 900 kB: with its WAL and index, more than is free
    for _attempt in range(3):  # again and again: each attempt is rolled back whole and frees what it took
        result = lingkaran("note", "1", "-", input=note, env=env)
        assert result.returncode == ExitCode.DATABASE_UNUSABLE, result.stderr
        assert result.stderr == (
            "lingkaran: the disk is full (database or disk is full); free some space and run the command again\n"
        )
    conn = sqlite3.connect(caseload)
    assert conn.execute("SELECT count(*) FROM notes").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == 1
    conn.close()
    assert lingkaran("note", "1", "A short one fits", env=env).returncode == 0
    checked = lingkaran("check", "--json", env=env)
    assert '"check": "integrity"' not in checked.stdout and '"check": "audit"' not in checked.stdout


def swap_and_zero(db_path: Path, new_file: Path) -> None:
    """What `encrypt` does to the caseload: rename the new file over it, then overwrite the old one with zeros."""
    old_file = new_file.with_name("old.db")
    os.link(db_path, old_file)
    os.replace(new_file, db_path)
    with open(old_file, "r+b") as old:
        old.write(b"\0" * os.fstat(old.fileno()).st_size)


def waits_for_the_lock(pid: int) -> bool:
    """Whether the process sleeps in SQLite's busy handler (Linux /proc)."""
    return "nanosleep" in Path(f"/proc/{pid}/wchan").read_text()


@pytest.mark.skipif(not Path("/proc/self/wchan").exists(), reason="needs Linux /proc to see the wait begin")
def test_a_writer_that_waited_while_the_file_was_swapped_and_zeroed_is_told_it_was_replaced(
    cli, opened_case, db_path, tmp_path
):
    cli.ok("backup", tmp_path / "new.db")  # stands in for the encrypted copy encrypt swaps in
    holder = sqlite3.connect(db_path, isolation_level=None)  # stands in for encrypt: out of WAL mode, locked
    holder.execute("PRAGMA journal_mode = DELETE")
    holder.execute("BEGIN IMMEDIATE")
    writer = subprocess.Popen(
        [LINGKARAN, "note", opened_case, "Written while encrypt ran"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for _attempt in range(600):  # until it waits for the write lock (at most a minute)
            if writer.poll() is not None or waits_for_the_lock(writer.pid):
                break
            time.sleep(0.1)
        swap_and_zero(db_path, tmp_path / "new.db")
        holder.execute("ROLLBACK")
        holder.close()
        out, err = writer.communicate(timeout=60)
    finally:
        if writer.poll() is None:
            writer.kill()
    assert writer.returncode == ExitCode.DATABASE_UNUSABLE and out == ""
    assert err == (
        f"lingkaran: the caseload {db_path} was replaced (by restore, encrypt, decrypt or rekey) while "
        f"this command waited for it; nothing was written; run the command again\n"
    )
    assert cli.json("show", opened_case)["notes"] == []


def test_a_command_reading_a_file_swapped_and_zeroed_under_it_is_told_it_was_replaced(
    cli, opened_case, db_path, tmp_path, monkeypatch
):
    from lingkaran.store import records

    cli.ok("backup", tmp_path / "new.db")
    find_case = records.find_case

    def swapped_then_found(conn, reference):
        swap_and_zero(db_path, tmp_path / "new.db")
        return find_case(conn, reference)

    monkeypatch.setattr(records, "find_case", swapped_then_found)
    result = cli("show", opened_case)
    assert result.exit_code == ExitCode.DATABASE_UNUSABLE
    assert "was replaced (by restore, encrypt, decrypt or rekey)" in result.stderr and "damaged" not in result.stderr


FILE_SIZE_LIMIT = """
import resource, signal, subprocess, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write fails with EFBIG instead of killing the process
resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))
sys.exit(subprocess.run(sys.argv[1:]).returncode)
"""


def test_a_write_past_a_file_size_limit_says_the_disk_could_not_be_written_and_writes_nothing(
    cli, opened_case, db_path
):
    """A quota or a file-size limit fails the write with EFBIG, not ENOSPC: SQLite says "disk I/O error", and
    the line said the caseload could not be used, which it still can."""
    import sys

    result = subprocess.run(
        [sys.executable, "-c", FILE_SIZE_LIMIT, LINGKARAN, "note", opened_case, "x" * 100_000],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == ExitCode.DATABASE_UNUSABLE, result.stderr
    assert result.stderr == (
        "lingkaran: the disk could not be written (disk I/O error): it is full, or past a quota or a file-size "
        "limit; free some space and run the command again\n"
    )
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM notes").fetchone()[0] == 0
    conn.close()
    assert cli("note", opened_case, "A short one fits").exit_code == 0


def test_a_demo_that_does_not_fit_leaves_no_half_built_file_filling_the_disk(small_disk, lingkaran):
    result = lingkaran("--db", small_disk / "demo.db", "demo")
    assert result.returncode == ExitCode.DATABASE_UNUSABLE and result.stderr.count("\n") == 1, result.stderr
    assert "the disk is full" in result.stderr
    assert sorted(path.name for path in small_disk.iterdir()) == []  # its 3 MB WAL stayed, so nothing else fit
