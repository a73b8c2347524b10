"""Crashes and company: every command is one transaction, a kill at any moment keeps what was acknowledged,
two writers at once both get through, and an interrupted restore leaves one whole caseload or the other."""

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from lingkaran.store import database
from tests.helpers import LINGKARAN

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")


@pytest.fixture
def traced(monkeypatch):
    """Every SQL statement the commands run, in order, gathered from the connections lingkaran opens."""
    statements: list[str] = []
    real_connect = database.connect

    def connect(*args, **kwargs):
        conn = real_connect(*args, **kwargs)
        conn.set_trace_callback(lambda sql: statements.append(" ".join(sql.split())))
        return conn

    monkeypatch.setattr(database, "connect", connect)
    return statements


def transactions(statements: list[str]) -> list[list[str]]:
    """Group the write statements by the transaction they ran in; a write outside one fails the test."""
    groups, current = [], None
    for sql in statements:
        word = sql.split(" ", 1)[0].upper()
        if sql.upper() == "BEGIN IMMEDIATE":
            assert current is None, "transactions never nest"
            current = []
        elif word in ("COMMIT", "ROLLBACK"):
            groups.append(current + [word])
            current = None
        elif word in WRITES:
            assert current is not None, f"a write outside BEGIN IMMEDIATE: {sql}"
            current.append(sql)
    assert current is None, "a transaction was left open"
    return groups


def test_every_command_writes_in_exactly_one_begin_immediate_transaction(cli, traced):
    cli.ok("list")  # creates and migrates the file before we count
    steps = [
        ["open", "Siti", "--level", "mikro", "--problem", "Left school", "--consent"],
        ["assess", "1", "--domain", "education=2", "--strength", "Loves drawing", "--need", "Fees"],
        ["plan", "1", "--goal", "Back to school", "--goal", "Weekly talk", "--weight", "1=2", "--gas", "1:0=Goes"],
        ["intervene", "1", "--activity", "home-visit", "--note", "Visit", "--goal", "1"],
        ["monitor", "1", "--progress", "1=0", "--note", "Better"],
        ["evaluate", "1", "--score", "1=1", "--score", "2=0", "--decision", "terminate"],
        ["terminate", "1", "--reason", "goals-met", "--summary", "Back at school"],
        ["monitor", "1", "--note", "Follow-up call"],
        ["reopen", "1", "--reason", "Dropped out again"],
    ]
    for args in steps:
        traced.clear()
        cli.ok(*args)
        [writes] = transactions(traced)
        assert writes[-1] == "COMMIT" and any(sql.startswith("INSERT INTO events") for sql in writes), args
    for refused in (
        ["intervene", "1", "--activity", "home-visit", "--note", "x"],
        ["show", "1"],
        ["check"],
        ["backup"],
        ["list", "--all"],
        ["log", "1"],
    ):
        traced.clear()
        cli(*refused)
        assert all(group[-1] == "ROLLBACK" for group in transactions(traced)), refused


def test_the_helping_system_notes_and_import_write_in_one_transaction_each(cli, traced, tmp_path):
    cli.ok("list")
    cli.ok("open", "Keluarga Ayu", "--level", "mezzo", "--problem", "Eviction", "--consent")
    cli.ok("open", "Budi", "--level", "mikro", "--problem", "Left school", "--consent")
    steps = [
        ["member", "add", "1", "Ibu Sri", "--role", "mother"],
        ["member", "remove", "1", "Ibu Sri", "--reason", "Moved out"],
        ["team", "add", "1", "Rina", "--role", "social-worker"],
        ["team", "remove", "1", "Rina"],
        ["link", "2", "--part-of", "1"],
        ["unlink", "2", "--part-of", "1"],
        ["refer", "1", "--to", "LBH", "--service", "Legal aid"],
        ["referral", "update", "1", "--status", "accepted"],
        ["ecomap", "add", "1", "School", "--tie", "strong", "--kind", "school"],
        ["ecomap", "remove", "1", "School"],
        ["note", "1", "Grandmother came too"],
    ]
    for args in steps:
        traced.clear()
        cli.ok(*args)
        [writes] = transactions(traced)
        assert writes[-1] == "COMMIT" and any(sql.startswith("INSERT INTO events") for sql in writes), args
    note_event = cli.json("log", "1")[-1]["uuid"]
    traced.clear()
    cli.ok("amend", note_event, "--note", "Grandmother and uncle came", "--reason", "Forgot the uncle")
    [writes] = transactions(traced)
    assert writes[-1] == "COMMIT"
    cli.ok("export", "--output", tmp_path / "all.json")
    traced.clear()
    cli.ok("--db", tmp_path / "other.db", "list")
    traced.clear()
    cli.ok("--db", tmp_path / "other.db", "import", tmp_path / "all.json")
    [writes] = transactions(traced)
    assert writes[-1] == "COMMIT" and sum(sql.startswith("INSERT INTO events") for sql in writes) > 10
    assert cli("--db", tmp_path / "other.db", "check").exit_code == 0


def run_and_maybe_kill(
    args: list[str], stdin_path, delay: float | None = None, watch=None
) -> tuple[bool, str, int, str]:
    """Start lingkaran and SIGKILL it if still running, either after `delay` seconds or the moment the file
    `watch` changes (its WAL: the commit is being written). Returns (killed, stdout, exit code, stderr)."""
    with open(stdin_path, "rb") as stdin:
        before = _signature(watch) if watch else None
        process = subprocess.Popen(
            [LINGKARAN, *args], stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        if watch:
            while process.poll() is None and _signature(watch) == before:
                time.sleep(0.0002)
        else:
            time.sleep(delay)
        killed = process.poll() is None
        if killed:
            process.send_signal(signal.SIGKILL)
        out, err = process.communicate(timeout=60)
    return killed, out, process.returncode, err


def _signature(path) -> tuple[int, int] | None:
    try:
        status = os.stat(path)
    except FileNotFoundError:
        return None
    return status.st_size, status.st_mtime_ns


def acknowledged(stdout: str) -> dict | None:
    """The result a command printed, if it printed all of it before it died."""
    try:
        return json.loads(stdout)
    except ValueError:
        return None


def test_writers_killed_at_random_moments_lose_nothing_they_acknowledged(cli, db_path, tmp_path):
    case = cli.json("open", "Siti", "--level", "mikro", "--problem", "Left school")["id"]
    cli.ok("assess", case, "--domain", "education=2")
    cli.ok("plan", case, "--goal", "Back to school")
    small, large = tmp_path / "small.txt", tmp_path / "large.txt"
    small.write_text("Home visit, all well")
    large.write_text("A long note from a case conference. " * 20_000)  # 720 kB: a long write to die in
    durations = []
    for _warm_up in range(2):  # the first run of a fresh install also compiles lingkaran: aim at a warm run
        started = time.monotonic()
        subprocess.run(
            [LINGKARAN, "intervene", str(case), "--activity", "home-visit", "--note", "-"],
            stdin=open(large, "rb"),
            check=True,
            capture_output=True,
        )
        durations.append(time.monotonic() - started)
    typical = min(durations)  # to aim the kills at the end of a run, where the writing happens

    def writer(seed: int) -> tuple[int, list[dict]]:
        rng, kills, results = random.Random(seed), 0, []
        for _attempt in range(150):
            if kills >= 28:
                break
            if rng.random() < 0.25:
                args = ["open", f"Client {seed}-{_attempt}", "--level", "mezzo", "--problem", "Eviction", "--json"]
            else:
                args = ["intervene", str(case), "--activity", "phone-call", "--note", "-", "--json"]
            if rng.random() < 0.5:  # the moment the WAL changes: in the middle of writing the commit
                killed, out, code, err = run_and_maybe_kill(args, large, watch=f"{db_path}-wal")
            else:  # anywhere in the run: starting, parsing, waiting for the lock, writing, printing
                killed, out, code, err = run_and_maybe_kill(
                    args, rng.choice([small, large]), typical * rng.uniform(0.3, 1.2)
                )
            kills += killed
            assert killed or code == 0, err  # never a failure of its own: no lock error, no damage
            if result := acknowledged(out):
                results.append(result)
        return kills, results

    with ThreadPoolExecutor(2) as pool:  # two writers at once: a killed one may hold the lock the other waits for
        outcomes = list(pool.map(writer, (1, 2)))
    assert sum(kills for kills, _ in outcomes) >= 50
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    activity_uuids = {row[0] for row in conn.execute("SELECT uuid FROM activities")}
    case_uuids = {row[0] for row in conn.execute("SELECT uuid FROM cases")}
    for result in (result for _, results in outcomes for result in results):
        assert result.get("activity_uuid", result.get("uuid")) in activity_uuids | case_uuids, result
    # each record landed with its event, or neither did
    assert (
        conn.execute("SELECT count(*) FROM activities").fetchone()[0]
        == conn.execute("SELECT count(*) FROM events WHERE kind = 'intervene'").fetchone()[0]
    )
    assert (
        conn.execute("SELECT count(*) FROM cases").fetchone()[0]
        == conn.execute("SELECT count(*) FROM events WHERE kind = 'open'").fetchone()[0]
    )
    conn.close()
    checked = subprocess.run([LINGKARAN, "check"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr


WRITER = """
import io, json, sys
from lingkaran.cli.app import app
tag, count = sys.argv[1], int(sys.argv[2])
codes, output = [], sys.stdout
for n in range(count):
    sys.stdout = io.StringIO()
    try:
        app(["intervene", "1", "--activity", "phone-call", "--note", f"{tag} {n}", "--json"])
    except SystemExit as exit:
        codes.append(exit.code)
sys.stdout = output
print(json.dumps(codes))
"""


def test_two_writers_at_once_both_get_every_write_in(cli, db_path):
    """Two processes, each running 200 `intervene` commands through the CLI as fast as they can, on one file."""
    cli.ok("open", "Siti", "--level", "mikro", "--problem", "Left school")
    cli.ok("assess", "1", "--domain", "education=2")
    cli.ok("plan", "1", "--goal", "Back to school")
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, tag, "200"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for tag in ("first", "second")
    ]
    for writer in writers:
        out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0 and err == "", err  # no "database is locked", nor anything else
        assert json.loads(out) == [0] * 200
    notes = [row["note"] for row in cli.json("show", "1")["activities"]]
    assert len(notes) == 5
    conn = sqlite3.connect(db_path)
    stored = [row[0] for row in conn.execute("SELECT note FROM activities")]
    assert sorted(stored) == sorted(f"{tag} {n}" for tag in ("first", "second") for n in range(200))
    assert conn.execute("SELECT count(*) FROM events WHERE kind = 'intervene'").fetchone()[0] == 400
    assert cli("check").exit_code == 0


def test_two_first_runs_at_once_create_one_caseload(tmp_path):
    for round_number in range(2):
        path = tmp_path / f"new{round_number}" / "caseload.db"
        runs = [
            subprocess.Popen(
                [LINGKARAN, "--db", str(path), "open", name, "--level", "mikro", "--problem", "p"],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for name in ("A", "B")
        ]
        for run in runs:
            out, err = run.communicate(timeout=60)
            assert run.returncode == 0, err
        conn = sqlite3.connect(path)
        assert sorted(row[0] for row in conn.execute("SELECT client FROM cases")) == ["A", "B"]
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        conn.close()


def test_a_restore_killed_at_any_moment_leaves_one_whole_caseload(cli, db_path, tmp_path):
    cli.ok("open", "Siti", "--level", "mikro", "--problem", "Left school")
    backup = cli.json("backup", tmp_path)["backup"]
    empty = tmp_path / "empty"
    empty.write_text("")
    rng, kills = random.Random(7), 0
    durations = []
    for _warm_up in range(3):  # the first run of a fresh install also compiles lingkaran: aim at a warm run
        started = time.monotonic()
        subprocess.run([LINGKARAN, "restore", backup, "--yes"], capture_output=True, check=True)
        durations.append(time.monotonic() - started)
    typical = min(durations)
    for _attempt in range(80):
        if kills >= 12:
            break
        conn = sqlite3.connect(db_path)
        if [row[0] for row in conn.execute("SELECT client FROM cases")] == ["Siti"]:
            cli.ok("open", "Budi", "--level", "mikro", "--problem", "Lost his job")
        conn.close()
        killed, _out, code, err = run_and_maybe_kill(
            ["restore", backup, "--yes"], empty, typical * rng.uniform(0.1, 0.9)
        )
        kills += killed
        assert killed or code == 0, err
        conn = sqlite3.connect(db_path)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert [row[0] for row in conn.execute("SELECT client FROM cases")] in (["Siti"], ["Siti", "Budi"])
        conn.close()
    assert kills >= 10
    assert cli("check").exit_code == 0
    cli.ok("assess", "1", "--domain", "housing=2")
    left_over = [p.name for p in db_path.parent.iterdir() if p.name.endswith(".partial")]
    assert all(os.stat(db_path.parent / name).st_mode & 0o077 == 0 for name in left_over)


def test_a_writer_past_the_busy_timeout_stops_with_exit_5_and_writes_nothing(lingkaran, cli, planned_case, db_path):
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    result = lingkaran(
        "intervene", "1", "--activity", "home-visit", "--note", "Waited too long", env={"LINGKARAN_BUSY_TIMEOUT": "0.3"}
    )
    holder.execute("ROLLBACK")
    holder.close()
    assert result.returncode == 5 and result.stderr.count("\n") == 1
    assert "locked" in result.stderr and "LINGKARAN_BUSY_TIMEOUT" in result.stderr
    assert cli.json("show", "1")["activities"] == []
    assert lingkaran("intervene", "1", "--activity", "home-visit", "--note", "Now it works").returncode == 0
