"""What keeps lingkaran fast at an agency's size, checked as behaviour (no timings): nested transactions for bulk
loading, indexed reads of one case, the streamed JSON list and the plain caseload list."""

import datetime as dt
import json
import sqlite3

import pytest

from lingkaran.casework import steps
from lingkaran.errors import StepRefused
from lingkaran.readmodels import case_view
from lingkaran.render.plain import caseload_lines, cells
from lingkaran.store.database import connect, transaction

ON = dt.date(2026, 6, 1)


def open_case(conn, client="Siti"):
    return steps.open_case(
        conn, client=client, level="mikro", problem="Left school", source=None, consent=True, worker=None, on=ON
    )


def test_steps_inside_one_outer_transaction_commit_together(db_path):
    conn = connect(db_path)
    with transaction(conn):
        for client in ("Siti", "Budi", "Wulan"):
            open_case(conn, client)
        assert conn.in_transaction
    other = sqlite3.connect(db_path)
    assert other.execute("SELECT count(*) FROM cases").fetchone()[0] == 3
    assert other.execute("SELECT count(*) FROM events").fetchone()[0] == 3


def test_a_refused_step_inside_an_outer_transaction_undoes_only_itself(db_path):
    conn = connect(db_path)
    with transaction(conn):
        case = open_case(conn)
        with pytest.raises(StepRefused):
            steps.intervene(
                conn, str(case["id"]), on=ON, kind="home-visit", note="n", goal_numbers=[], minutes=None, by=None
            )
        steps.assess(
            conn, str(case["id"]), on=ON, ratings={"education": 2}, strengths=[], needs=[], risk=None, summary=None
        )
    kinds = [row[0] for row in conn.execute("SELECT kind FROM events ORDER BY id")]
    assert kinds == ["open", "assess"]


def test_a_failure_in_the_outer_transaction_undoes_every_step_in_it(db_path):
    conn = connect(db_path)
    with pytest.raises(RuntimeError), transaction(conn):
        open_case(conn)
        raise RuntimeError("stop")
    assert conn.execute("SELECT count(*) FROM cases").fetchone()[0] == 0
    assert not conn.in_transaction


def statements_while(conn, action) -> list[str]:
    """Every SQL statement `action` runs, with its parameters filled in."""
    seen: list[str] = []
    conn.set_trace_callback(seen.append)
    action()
    conn.set_trace_callback(None)
    return [sql for sql in seen if sql.lstrip().upper().startswith("SELECT")]


def test_showing_and_logging_a_case_read_only_through_indexes(db_path):
    conn = connect(db_path)
    for number in range(30):
        case = open_case(conn, f"Client {number}")
        steps.assess(
            conn,
            str(case["id"]),
            on=ON,
            ratings={"education": 2},
            strengths=["s"],
            needs=["n"],
            risk="low",
            summary=None,
        )
    reads = statements_while(conn, lambda: (case_view.case_detail(conn, "15"), case_view.timeline(conn, "15")))
    assert len(reads) >= 8
    for sql in reads:
        plan = " | ".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
        full_scans = [step for step in plan.split(" | ") if step.startswith("SCAN ") and step != "SCAN CONSTANT ROW"]
        assert full_scans == [], f"{sql}\n{plan}"


def test_list_json_is_one_array_with_a_case_a_line(cli, active_case):
    cli.ok("open", "Budi", "--level", "mikro", "--problem", "Lost his job")
    output = cli.ok("list", "--json").stdout
    lines = output.splitlines()
    assert lines[0] == "[" and lines[-1] == "]" and len(lines) == 4
    assert [json.loads(line.rstrip(","))["client"] for line in lines[1:-1]] == ["Siti Rahmawati", "Budi"]
    assert json.loads(output)[0]["goals"][0]["number"] == 1


def test_list_json_made_by_sqlite_equals_the_case_objects_made_in_python(cli, db_path, active_case):
    cli.ok("plan", active_case, "--gas", "1:-1=Never goes", "--gas", '1:0=Goes "most" days', "--weight", "2=2.5")
    cli.ok("open", "Ani \u202eLestari\t✓ 王", "--level", "mezzo", "--problem", "Line one\nline two", "--no-consent")
    cli.ok("open", "Closed one", "--level", "makro", "--problem", "p", "--consent")
    cli.ok("terminate", "3", "--reason", "moved", "--summary", "Left the village")
    listed = cli.json("list", "--all")
    conn = connect(db_path)
    assert listed == case_view.caseload(conn, include_closed=True, phase=None, level=None)
    assert listed[0]["goals"][0]["scale"] == {"-1": "Never goes", "0": 'Goes "most" days'}
    assert [case["consent"] for case in listed] == [True, False, True]
    assert cli.json("list", "--level", "makro") == []


def test_the_caseload_list_fits_the_width_and_cuts_long_names():
    cases = [
        {
            "id": 7,
            "client": "Keluarga besar Bapak Hartono Wibowo dari RT 05 " * 3,
            "level": "mezzo",
            "phase": "monitoring",
            "status": "active",
            "cycle": 2,
            "opened_on": "2026-06-01",
        },
        {
            "id": 12,
            "client": "王小明",
            "level": "mikro",
            "phase": "termination",
            "status": "closed",
            "cycle": 1,
            "opened_on": "2026-01-09",
        },
    ]
    lines = list(caseload_lines(cases, width=80))
    assert all(cells(line) <= 80 for line in lines)
    assert "…" in lines[2] and "●●●◉○○↻ 2" in lines[2] and "Monitoring" in lines[2]
    assert lines[3].startswith("12  王小明") and "closed" in lines[3] and "9 Jan 2026" in lines[3]


def test_an_empty_caseload_list_says_how_to_open_a_case():
    assert "lingkaran open" in next(caseload_lines([]))
