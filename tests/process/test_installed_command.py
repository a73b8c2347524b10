"""The installed `lingkaran` command, run as a real process on a real file, around the whole cycle."""

import json
import sqlite3

from lingkaran.errors import ExitCode


def step(lingkaran, *args):
    result = lingkaran(*args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_case_goes_around_the_whole_cycle_and_loops_back(lingkaran, db_path):
    opened = lingkaran(
        "open", "Wulan Sari", "--level", "mikro", "--problem", "Exhausted carer", "--consent", "--date", "2026-05-01"
    )
    assert opened.returncode == 0 and opened.stdout.strip() == "1"
    step(lingkaran, "assess", "1", "--domain", "social-support=1", "--domain", "health=2", "--date", "2026-05-02")
    step(
        lingkaran,
        "plan",
        "1",
        "--goal",
        "Weekly respite",
        "--goal",
        "Allowance granted",
        "--weight",
        "2=3",
        "--date",
        "2026-05-03",
    )
    step(
        lingkaran,
        "intervene",
        "1",
        "--activity",
        "home-visit",
        "--note",
        "First visit",
        "--goal",
        "1",
        "--minutes",
        "90",
        "--date",
        "2026-05-04",
    )
    assert (
        step(lingkaran, "monitor", "1", "--progress", "1=-1", "--note", "Slow start", "--date", "2026-05-20")["phase"]
        == "monitoring"
    )
    replanned = step(
        lingkaran, "evaluate", "1", "--score", "1=-1", "--score", "2=-1", "--decision", "replan", "--date", "2026-06-01"
    )
    # weights 1 and 3, both at -1: T = 50 − 10·4 / √(0.7·10 + 0.3·16) = 38.36
    assert replanned["phase"] == "planning" and replanned["t_score"] == 38.36
    step(lingkaran, "plan", "1", "--goal", "Joins the carers' group", "--date", "2026-06-02")
    step(
        lingkaran,
        "intervene",
        "1",
        "--activity",
        "group-session",
        "--note",
        "Went with her",
        "--goal",
        "3",
        "--date",
        "2026-06-05",
    )
    final = step(
        lingkaran,
        "evaluate",
        "1",
        "--score",
        "1=1",
        "--score",
        "2=0",
        "--score",
        "3=2",
        "--decision",
        "terminate",
        "--date",
        "2026-06-10",
    )
    assert final["phase"] == "evaluation" and final["t_score"] > 50
    closed = step(
        lingkaran,
        "terminate",
        "1",
        "--reason",
        "goals-met",
        "--summary",
        "Respite and allowance in place",
        "--follow-up",
        "2026-09-10",
        "--destination",
        "Home, with the carers' group",
        "--date",
        "2026-06-12",
    )
    assert closed["phase"] == "termination"
    case = step(lingkaran, "show", "1")
    assert case["status"] == "closed" and case["closed_on"] == "2026-06-12" and case["follow_up_on"] == "2026-09-10"
    assert [goal["status"] for goal in case["goals"]] == ["closed"] * 3
    kinds = [event["kind"] for event in step(lingkaran, "log", "1")]
    assert kinds == [
        "open",
        "assess",
        "plan",
        "intervene",
        "monitor",
        "evaluate",
        "plan",
        "intervene",
        "evaluate",
        "terminate",
    ]
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_an_unplanned_ending_then_reopen(lingkaran):
    lingkaran("open", "Ani", "--level", "mikro", "--problem", "Pregnant at 16")
    closed = step(lingkaran, "terminate", "1", "--reason", "referred", "--summary", "To the shelter")
    assert closed["reason"] == "referred"
    follow_up = step(lingkaran, "monitor", "1", "--note", "Settled at the shelter")
    assert follow_up["after_close"] is True
    reopened = step(lingkaran, "reopen", "1", "--reason", "Left the shelter")
    assert reopened == {**reopened, "phase": "assessment", "cycle": 2}
    assert step(lingkaran, "show", "1")["status"] == "active"


def test_every_exit_code(lingkaran, db_path, tmp_path):
    assert lingkaran("--version").returncode == ExitCode.OK
    bad = lingkaran("open", "X", "--level", "galactic", "--problem", "p")
    assert bad.returncode == ExitCode.INVALID_INPUT and "mikro" in bad.stderr
    missing = lingkaran("open")
    assert missing.returncode == ExitCode.INVALID_INPUT and "CLIENT" in missing.stderr
    assert lingkaran("show", "99").returncode == ExitCode.NO_SUCH_CASE
    lingkaran("open", "X", "--level", "mikro", "--problem", "p")
    refused = lingkaran("intervene", "1", "--activity", "home-visit", "--note", "n")
    assert refused.returncode == ExitCode.STEP_REFUSED
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"\x00not sqlite" * 1000)
    unusable = lingkaran("--db", junk, "list")
    assert unusable.returncode == ExitCode.DATABASE_UNUSABLE and "not a lingkaran database" in unusable.stderr
    for result in (bad, missing, refused, unusable):
        assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1


def test_a_locked_caseload_waits_then_fails_with_exit_5(lingkaran, db_path):
    lingkaran("open", "X", "--level", "mikro", "--problem", "p")
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    result = lingkaran("open", "Y", "--level", "mikro", "--problem", "p", env={"LINGKARAN_BUSY_TIMEOUT": "0.2"})
    holder.execute("ROLLBACK")
    assert result.returncode == ExitCode.DATABASE_UNUSABLE and "locked" in result.stderr


def test_python_dash_m_runs_too(db_path):
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "lingkaran", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("lingkaran ")


def test_the_database_and_its_wal_are_private_on_disk(lingkaran, db_path):
    lingkaran("open", "X", "--level", "mikro", "--problem", "p")
    holder = sqlite3.connect(db_path)  # keeps the WAL file from being removed at close
    holder.execute("SELECT count(*) FROM cases").fetchone()
    for path in (db_path, db_path.with_name(db_path.name + "-wal")):
        assert path.stat().st_mode & 0o777 == 0o600, path
    holder.close()
