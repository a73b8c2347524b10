"""The benchmark scripts still run: a tiny caseload generated, every command timed once (no timings asserted)."""

import sqlite3
import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def run_script(name: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(BENCHMARKS / name), *map(str, args)], capture_output=True, text=True, timeout=120
    )


def test_the_generator_builds_cases_at_every_step_through_casework(tmp_path):
    path = tmp_path / "bench.db"
    result = run_script("generate.py", "--cases", "40", "--db", path, "--today", "2026-06-15")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("40 cases, ")
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM cases").fetchone()[0] == 40
    assert conn.execute("SELECT count(DISTINCT phase) FROM cases").fetchone()[0] >= 4
    assert conn.execute("SELECT count(*) FROM events").fetchone()[0] > 40 * 10
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_the_generator_refuses_to_write_into_an_existing_file(tmp_path):
    path = tmp_path / "bench.db"
    path.write_text("mine")
    result = run_script("generate.py", "--cases", "1", "--db", path)
    assert result.returncode == 2 and path.read_text() == "mine"


def test_the_runner_times_every_command_in_quick_mode(tmp_path):
    result = run_script("run.py", "--cases", "12", "--quick", "--work", tmp_path, "--today", "2026-06-15")
    assert result.returncode == 0, result.stderr
    table = result.stdout
    for command in (
        "lingkaran --help",
        "lingkaran show 6",
        "lingkaran list",
        "lingkaran list --all --json",
        "lingkaran log 6",
        "lingkaran intervene",
    ):
        assert f"| `{command}" in table, command
    assert "failed" not in table
    assert "Reading one case" in table and "SQLite VM steps" in table


def test_the_floors_script_measures_reading_writing_inserting_and_indexing(tmp_path):
    path = tmp_path / "bench.db"
    assert run_script("generate.py", "--cases", "15", "--db", path, "--today", "2026-06-15").returncode == 0
    result = run_script("floors.py", "--db", path)
    assert result.returncode == 0, result.stderr
    rows = (
        sqlite3.connect(path)
        .execute("SELECT (SELECT count(*) FROM cases) + (SELECT count(*) FROM events)")
        .fetchone()[0]
    )
    head, *measured = result.stdout.splitlines()
    assert head.startswith("bench.db: ") and int(head.split()[1].replace(",", "")) > rows
    assert [line.split("  ")[1].strip() for line in measured] == [
        "read",
        "write",
        "insert, UUID indexes kept",
        "search index",
        "insert, UUID indexes kept: commit",
        "insert, indexes after",
        "insert, indexes after: commit",
    ]
    assert {item.name for item in tmp_path.iterdir()} <= {"bench.db", "bench.db-wal", "bench.db-shm"}


def test_the_sync_cost_script_times_merging_a_day_and_syncing_beside_show(tmp_path):
    from tests.postgres_server import find_binaries

    hub = [] if find_binaries() else ["--no-hub"]
    result = run_script(
        "sync_cost.py", "--cases", "12", "--runs", "1", "--work", tmp_path, "--today", "2026-06-15", *hub
    )
    assert result.returncode == 0, result.stderr
    table = result.stdout
    labels = ["lingkaran show CASE", "python -c 'import psycopg'", "lingkaran import day-plain.lkb"]
    labels += (
        ["lingkaran sync (nothing new)", "lingkaran sync (a day", "lingkaran sync (a new worker"] if not hub else []
    )
    for label in labels:
        assert f"| `{label}" in table, label
    assert "failed" not in table
