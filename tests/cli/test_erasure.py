"""The right to erasure (`forget`) and the retention period (`retention`)."""

import json
import sqlite3

import pytest

from lingkaran.cli.session import Session
from lingkaran.domain import privacy
from lingkaran.errors import ExitCode
from lingkaran.store import erasure, events
from lingkaran.store.database import connect

NAME = "Siti Rahmawati"
PERSONAL = [
    NAME,
    "Rahmawati",
    "misses her father",
    "Loves drawing",
    "Needs a uniform",
    "Met Siti at home",
    "Pak Rudi",
    "Bu Rina",
    "Back at school",
    "Attends 4 days",
    "Weekly talk",
    "Grandmother in Bogor",
    "case management",
    "Dinas Sosial",
]


@pytest.fixture
def closed_case(cli) -> str:
    """A case closed after a whole cycle, with something personal in every free-text field."""
    case = cli.json(
        "open",
        NAME,
        "--level",
        "mikro",
        "--problem",
        f"{NAME} left school",
        "--source",
        "Pak Rudi",
        "--worker",
        "Bu Rina",
        "--consent",
        "--consent-scope",
        "case management",
        "--date",
        "2026-06-01",
    )
    number = str(case["id"])
    cli.ok(
        "assess",
        number,
        "--domain",
        "education=2",
        "--domain",
        "family=3",
        "--strength",
        "Loves drawing",
        "--need",
        "Needs a uniform",
        "--risk",
        "medium",
        "--summary",
        "She misses her father",
        "--date",
        "2026-06-02",
    )
    cli.ok("member", "add", number, "Pak Rudi", "--role", "father", "--born", "1970", "--date", "2026-06-02")
    cli.ok(
        "plan",
        number,
        "--goal",
        "Back at school",
        "--gas",
        "1:0=Attends 4 days",
        "--goal",
        "Weekly talk",
        "--weight",
        "1=3",
        "--date",
        "2026-06-03",
    )
    cli.ok(
        "intervene",
        number,
        "--activity",
        "home-visit",
        "--note",
        "Met Siti at home",
        "--by",
        "Bu Rina",
        "--goal",
        "1",
        "--minutes",
        "60",
        "--date",
        "2026-06-04",
    )
    cli.ok("monitor", number, "--progress", "1=0", "--note", "Attends 4 days", "--date", "2026-06-06")
    cli.ok(
        "evaluate",
        number,
        "--score",
        "1=1",
        "--score",
        "2=0",
        "--decision",
        "terminate",
        "--note",
        "Weekly talk works",
        "--date",
        "2026-06-08",
    )
    cli.ok(
        "terminate",
        number,
        "--reason",
        "goals-met",
        "--summary",
        "Back at school",
        "--destination",
        "Grandmother in Bogor",
        "--date",
        "2026-06-10",
    )
    cli.ok("consent", number, "--withdrawn", "--date", "2026-06-11")
    noted = cli.json("note", number, "Pak Rudi phoned", "--date", "2026-06-12")
    cli.ok("amend", noted["event_uuid"], "--note", "Pak Rudi phoned about Siti", "--reason", "Bu Rina misheard")
    return number


@pytest.fixture
def other_case(cli) -> str:
    case = cli.json(
        "open", "Dinas Sosial Kota", "--level", "makro", "--problem", "Street children", "--date", "2026-06-01"
    )
    return str(case["id"])


def figures(db_path, case_id: str) -> dict:
    """What erasure must keep: levels, dates, ratings, GAS levels and scores."""
    conn = sqlite3.connect(db_path)
    queries = {
        "case": "SELECT level, phase, status, cycle, opened_on, closed_on, close_reason, consent FROM cases "
        "WHERE id = :id",
        "ratings": "SELECT domain, score FROM ratings JOIN assessments a ON a.id = assessment_id WHERE case_id = :id",
        "goals": "SELECT number, weight, status, latest_level FROM goals WHERE case_id = :id",
        "levels": "SELECT level, source, observed_on FROM goal_levels WHERE case_id = :id",
        "evaluations": "SELECT t_score, decision, scores, evaluated_on FROM evaluations WHERE case_id = :id",
        "activities": "SELECT kind, minutes, occurred_on FROM activities WHERE case_id = :id",
        "events": "SELECT kind, occurred_on, content_hash, hash FROM events WHERE case_id = :id",
    }
    found = {name: conn.execute(sql, {"id": int(case_id)}).fetchall() for name, sql in queries.items()}
    conn.close()
    return found


def personal_values(db_path, case_id: str) -> list:
    """Every personal column of every row of the case, in every table privacy.py lists."""
    conn = sqlite3.connect(db_path)
    filters = erasure.case_row_filters(conn)
    values = []
    for table, columns in privacy.PERSONAL_COLUMNS.items():
        for column in columns:
            values += [
                row[0]
                for row in conn.execute(
                    f'SELECT "{column}" FROM "{table}" WHERE {filters[table]}', {"case_id": int(case_id)}
                )
            ]
    conn.close()
    return values


def test_forget_erases_every_personal_detail_and_keeps_the_figures(cli, db_path, closed_case, other_case):
    kept, other_before = figures(db_path, closed_case), cli.json("show", other_case)
    assert any(personal_values(db_path, closed_case))
    result = cli.json("forget", closed_case, "--yes")
    assert result["case_id"] == int(closed_case) and result["rows"]["cases"] == 1 and result["events"] == 11
    assert all(value in (None, "") for value in personal_values(db_path, closed_case))
    after = figures(db_path, closed_case)
    assert after.pop("events")[:-1] == kept.pop("events") and after == kept
    assert cli.json("show", other_case) == other_before
    shown = cli.json("show", closed_case)
    assert shown["erased"] is True and shown["erased_on"] == "2026-06-15" and shown["client"] == ""
    log = cli.json("log", closed_case)
    assert all(event["data"] == {"erased": True} for event in log[:-1])
    assert log[-1]["kind"] == "forget" and "Siti" not in json.dumps(log[-1])
    assert "(erased)" in cli.ok("list", "--all").stdout and "(erased)" in cli.ok("show", closed_case).stdout


def test_the_audit_chain_still_verifies_after_forget(cli, db_path, closed_case, other_case):
    cli.ok("forget", closed_case, "--yes")
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    previous, forgotten = None, set()
    for row in conn.execute("SELECT * FROM events ORDER BY id").fetchall():
        assert row["prev_hash"] == previous and row["hash"] == events.chain_hash(previous, dict(row))
        data = json.loads(row["data"])
        if data == {"erased": True}:
            assert row["case_id"] not in forgotten  # erased events come before their case's forget event
        else:
            assert row["content_hash"] == events.content_hash(data)
        if row["kind"] == "forget":
            forgotten.add(row["case_id"])
        previous = row["hash"]
    erased = {row[0] for row in conn.execute("SELECT case_id FROM events WHERE data = '{\"erased\":true}'")}
    assert erased == forgotten == {int(closed_case)}


def test_no_trace_of_the_client_is_left_in_the_raw_file_even_from_older_versions(lingkaran, cli, db_path, closed_case):
    def raw() -> bytes:
        wal = db_path.with_name(db_path.name + "-wal")
        return db_path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")

    # What an older lingkaran (without secure_delete) leaves: stale copies of rewritten rows in the free space of
    # pages shared with other cases' rows. Measured: secure_delete alone misses these, VACUUM after erasure does not.
    older = sqlite3.connect(db_path)
    older.execute("PRAGMA secure_delete = OFF")
    older.executemany(
        "INSERT INTO cases (uuid, client, level, problem, phase, status, cycle, opened_on, consent) "
        "VALUES (?, ?, 'mikro', 'p', 'engagement', 'active', 1, '2026-06-01', 0)",
        [(f"u{number}", f"Other client {number}") for number in range(30)],
    )
    older.execute("UPDATE cases SET problem = client || ' and a long presenting problem, told at length'")
    older.commit()
    older.execute("UPDATE cases SET problem = 'p'")
    older.commit()
    older.close()
    assert NAME.encode() in raw()
    assert lingkaran("forget", closed_case, "--yes").returncode == 0
    left = [text for text in PERSONAL if text.encode() in raw() or text.encode("utf-16-le") in raw()]
    assert left == []
    # the search index stores words in lower case, in segments that keep a re-indexed row's old words
    assert [word for word in ("siti", "rahmawati", "bogor", "rudi") if word.encode() in raw().lower()] == []


def test_forget_asks_for_the_case_number_at_a_terminal(cli, closed_case, monkeypatch):
    monkeypatch.setattr(Session, "interactive", lambda self: True)
    refused = cli("forget", closed_case, input="2\n")
    assert refused.exit_code == ExitCode.INVALID_INPUT and "nothing was erased" in refused.stderr
    assert cli.json("show", closed_case)["erased"] is False
    assert cli("forget", closed_case, input=f"{closed_case}\n").exit_code == 0
    assert cli.json("show", closed_case)["erased"] is True


def test_forget_without_a_terminal_needs_yes(cli, db_path, closed_case):
    result = cli("forget", closed_case)
    assert result.exit_code == ExitCode.INVALID_INPUT and "--yes" in result.stderr
    assert cli.json("show", closed_case)["client"] == NAME


def test_an_active_case_an_erased_case_and_steps_after_erasure_are_refused(cli, closed_case, active_case):
    result = cli("forget", active_case, "--yes")
    assert result.exit_code == ExitCode.STEP_REFUSED and "terminate" in result.stderr
    cli.ok("forget", closed_case, "--yes")
    for args in (
        ["forget", closed_case, "--yes"],
        ["reopen", closed_case, "--reason", "back"],
        ["monitor", closed_case, "--note", "n"],
        ["consent", closed_case, "--given", "--scope", "s"],
        ["note", closed_case, "A new note"],
        ["member", "add", closed_case, "Bu Ani", "--role", "aunt"],
    ):
        result = cli(*args)
        assert result.exit_code == ExitCode.STEP_REFUSED and "erased" in result.stderr, args
    assert cli("forget", "99", "--yes").exit_code == ExitCode.NO_SUCH_CASE


def test_erasure_covers_a_table_added_later_through_its_foreign_keys(cli, db_path, closed_case, monkeypatch):
    conn = connect(db_path)
    conn.execute(
        "CREATE TABLE home_visit_contacts (id INTEGER PRIMARY KEY, uuid TEXT, activity_id INTEGER "
        "REFERENCES activities(id), contact TEXT NOT NULL, agency TEXT)"
    )
    conn.execute(
        "INSERT INTO home_visit_contacts (uuid, activity_id, contact, agency) "
        "SELECT 'r', id, 'Pak Rudi', 'Puskesmas' FROM activities"
    )
    conn.close()
    monkeypatch.setitem(privacy.PERSONAL_COLUMNS, "home_visit_contacts", ("contact",))
    cli.ok("forget", closed_case, "--yes")
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT contact, agency FROM home_visit_contacts").fetchall() == [("", "Puskesmas")]


def test_every_table_with_personal_columns_is_reached_from_cases(db_path):
    filters = erasure.case_row_filters(connect(db_path))
    assert {table for table, columns in privacy.PERSONAL_COLUMNS.items() if columns} <= set(filters)


def test_retention_lists_cases_closed_longer_than_the_period_and_erases_them(cli, db_path, closed_case):
    old = cli.json("open", "Old Client", "--level", "mezzo", "--problem", "p", "--date", "2019-03-01")["id"]
    cli.ok("terminate", str(old), "--reason", "moved", "--summary", "Moved away", "--date", "2020-03-01")
    recent = cli.json("open", "Recent Client", "--level", "mikro", "--problem", "p", "--date", "2023-01-01")["id"]
    cli.ok("terminate", str(recent), "--reason", "withdrew", "--summary", "s", "--date", "2024-01-01")
    due = cli.json("retention")
    assert [(case["id"], case["closed_on"], case["kept_until"], case["erased"]) for case in due] == [
        (old, "2020-03-01", "2025-03-01", False)
    ]
    assert "Old Client" in cli.ok("retention").stdout
    cli.ok("config", "set", "retention_years", "2")
    assert [case["id"] for case in cli.json("retention")] == [old, recent]
    refused = cli("retention", "--erase")
    assert refused.exit_code == ExitCode.INVALID_INPUT and "--yes" in refused.stderr
    erased = cli.json("retention", "--erase", "--yes")
    assert [(case["id"], case["erased"], case["client"]) for case in erased] == [(old, True, ""), (recent, True, "")]
    assert cli.json("retention") == [] and cli.json("show", closed_case)["erased"] is False
    raw = db_path.read_bytes()  # every command has closed the file, so the WAL is folded back into it
    assert NAME.encode() in raw and b"Old Client" not in raw and b"Recent Client" not in raw


def test_the_retention_cutoff_handles_leap_days():
    import datetime as dt

    assert privacy.retention_cutoff(dt.date(2028, 2, 29), 5) == dt.date(2023, 2, 28)
    assert privacy.shift_years(dt.date(2020, 3, 1), 5) == dt.date(2025, 3, 1)


def test_the_search_index_keeps_no_word_of_an_erased_case(cli, db_path):
    cli.ok("open", "X", "--level", "mikro", "--problem", "Kurniawati ditinggal suami")
    for number in range(4):
        cli.ok("open", f"Other {number}", "--level", "mikro", "--problem", f"another problem {number}")
    cli.ok("terminate", "1", "--reason", "withdrew", "--summary", "Kurniawati pindah")
    assert b"kurniawati" in db_path.read_bytes().lower()
    cli.ok("forget", "1", "--yes")
    assert b"kurniawati" not in db_path.read_bytes().lower()
    assert cli.json("search", "Kurniawati") == []
