"""Consent (UU PDP): recorded at open with its date and scope, changed by `consent`, flagged where it is missing."""

import sqlite3

from sqlite_utils import Database

from lingkaran.errors import ExitCode
from lingkaran.store.database import connect
from lingkaran.store.migrations import migrations


def event_count(db_path) -> int:
    conn = sqlite3.connect(db_path)
    count = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    conn.close()
    return count


def test_consent_is_recorded_at_open_with_its_date_and_scope(cli):
    case = cli.json(
        "open",
        "Budi",
        "--level",
        "mikro",
        "--problem",
        "Lost his job",
        "--consent",
        "--consent-scope",
        "case management and referral to the job centre",
        "--date",
        "2026-06-02",
    )
    assert case["consent"] is True and case["consent_on"] == "2026-06-02"
    assert case["consent_scope"] == "case management and referral to the job centre"
    shown = cli.json("show", str(case["id"]))
    assert [(c["given"], c["decided_on"], c["scope"]) for c in shown["consents"]] == [
        (True, "2026-06-02", "case management and referral to the job centre")
    ]


def test_withdrawing_consent_changes_the_current_state_and_keeps_the_history(cli, opened_case):
    result = cli.json("consent", opened_case, "--withdrawn", "--date", "2026-06-05")
    assert result["given"] is False and result["case_id"] == int(opened_case)
    case = cli.json("show", opened_case)
    assert case["consent"] is False and case["consent_on"] == "2026-06-05" and case["consent_scope"] is None
    cli.json("consent", opened_case, "--given", "--scope", "home visits only", "--date", "2026-06-09")
    case = cli.json("show", opened_case)
    assert case["consent"] is True and case["consent_scope"] == "home visits only"
    assert [c["given"] for c in case["consents"]] == [True, False, True]
    assert [event["kind"] for event in cli.json("log", opened_case)] == ["open", "consent", "consent"]


def test_a_decision_dated_before_the_latest_one_does_not_override_it(cli, opened_case):
    cli.json("consent", opened_case, "--withdrawn", "--date", "2026-06-10")
    cli.json("consent", opened_case, "--given", "--scope", "everything", "--date", "2026-06-05")
    case = cli.json("show", opened_case)
    assert case["consent"] is False and case["consent_on"] == "2026-06-10"


def test_list_and_show_flag_a_case_without_consent_in_words(cli, opened_case):
    cli.json("open", "Ani", "--level", "mikro", "--problem", "p")
    listed = cli.ok("list").stdout
    siti, ani = [line for line in listed.splitlines() if "Siti" in line or "Ani" in line]
    assert "no consent" not in siti and "⚠ no consent" in ani
    assert "⚠ NOT recorded" in cli.ok("show", "2").stdout
    cli.json("consent", opened_case, "--withdrawn")
    assert "⚠ withdrawn 15 Jun 2026" in cli.ok("show", opened_case).stdout


def test_bad_consent_input_is_exit_2_and_writes_nothing(cli, db_path, opened_case):
    before = event_count(db_path)
    for args in (
        ["consent", opened_case],
        ["consent", opened_case, "--given"],
        ["consent", opened_case, "--given", "--scope", "x", "--date", "2026-05-01"],
        ["consent", opened_case, "--withdrawn", "--date", "2027-01-01"],
        ["open", "Ani", "--level", "mikro", "--problem", "p", "--consent-scope", "all"],
    ):
        result = cli(*args)
        assert result.exit_code == ExitCode.INVALID_INPUT, args
        assert result.stderr.startswith("lingkaran: ") and result.stderr.count("\n") == 1, result.stderr
    assert cli("consent", "99", "--withdrawn").exit_code == ExitCode.NO_SUCH_CASE
    assert event_count(db_path) == before


def test_the_migration_turns_consent_given_before_it_into_history(db_path):
    db = Database(db_path)
    migrations.apply(db, stop_before="m003_consent")
    db.execute(
        "INSERT INTO cases (uuid, client, level, problem, phase, status, cycle, opened_on, consent, "
        "consent_on) VALUES ('u1', 'A', 'mikro', 'p', 'engagement', 'active', 1, '2026-01-02', 1, "
        "'2026-01-03'), ('u2', 'B', 'mikro', 'p', 'engagement', 'active', 1, '2026-01-02', 0, NULL)"
    )
    db.execute("PRAGMA user_version = 1")
    db.conn.commit()
    db.close()
    conn = connect(db_path)
    rows = conn.execute("SELECT case_id, given, decided_on, uuid FROM consents").fetchall()
    assert [tuple(row)[:3] for row in rows] == [(1, 1, "2026-01-03")] and rows[0]["uuid"]
