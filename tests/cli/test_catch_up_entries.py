"""Catching up from paper notes: an older activity, assessment, monitoring note or evaluation is recorded with
its own date, but never moves the case's last contact or its step backwards."""

import pytest

from lingkaran.domain import cycle


def test_an_entry_dated_before_the_latest_step_leaves_the_step_where_it_is():
    assert cycle.step_after_entry("evaluation", "intervention", "2026-06-05", "2026-08-10") == "evaluation"
    assert cycle.step_after_entry("intervention", "monitoring", "2026-06-05", "2026-08-10") == "intervention"


def test_an_entry_on_or_after_the_latest_step_moves_the_case_as_usual():
    assert cycle.step_after_entry("evaluation", "intervention", "2026-08-10", "2026-08-10") == "intervention"
    assert cycle.step_after_entry("planning", "intervention", "2026-08-11", "2026-08-10") == "intervention"
    assert cycle.step_after_entry("engagement", "assessment", "2026-06-02", None) == "assessment"


def test_last_contact_is_the_later_of_the_stored_and_the_new_date():
    assert cycle.later_contact("2026-08-10", "2026-06-05") == "2026-08-10"
    assert cycle.later_contact("2026-06-05", "2026-08-10") == "2026-08-10"
    assert cycle.later_contact(None, "2026-06-05") == "2026-06-05"


@pytest.fixture
def visited_in_august(cli, planned_case, monkeypatch) -> str:
    """Case 1 planned on 06-03, with a home visit on 08-10; today is 08-12."""
    monkeypatch.setenv("LINGKARAN_TODAY", "2026-08-12")
    cli.ok(
        "intervene", planned_case, "--activity", "home-visit", "--note", "Visit", "--goal", "1", "--date", "2026-08-10"
    )
    return planned_case


@pytest.mark.parametrize(
    "entry",
    [
        ["intervene", "--activity", "phone-call", "--note", "From paper notes", "--goal", "1"],
        ["monitor", "--note", "From paper notes", "--progress", "1=0"],
        ["assess", "--domain", "education=3"],
        ["evaluate", "--score", "1=0", "--decision", "replan"],
    ],
)
def test_an_older_entry_keeps_the_last_contact_and_the_step(cli, visited_in_august, entry):
    kind, *flags = entry
    cli.ok(kind, visited_in_august, *flags, "--date", "2026-06-05")
    case = cli.json("show", visited_in_august)
    assert case["last_contact_on"] == "2026-08-10" and case["phase"] == "intervention"
    assert kind in [event["kind"] for event in cli.json("log", visited_in_august)], "the entry itself is kept"
    overdue = [row["id"] for row in cli.json("dashboard")["no_contact"]]
    assert int(visited_in_august) not in overdue


def test_an_older_activity_does_not_undo_a_decision_to_terminate(cli, visited_in_august):
    cli.ok("evaluate", visited_in_august, "--score", "1=0", "--decision", "terminate", "--date", "2026-08-11")
    cli.ok(
        "intervene",
        visited_in_august,
        "--activity",
        "phone-call",
        "--note",
        "Paper note",
        "--goal",
        "1",
        "--date",
        "2026-06-05",
    )
    assert cli.json("show", visited_in_august)["phase"] == "evaluation"
    cli.ok("terminate", visited_in_august, "--reason", "goals-met", "--summary", "Done", "--date", "2026-08-12")


def test_a_note_dated_in_the_past_neither_moves_the_step_nor_the_last_contact(cli, visited_in_august):
    cli.ok("note", visited_in_august, "Called the school", "--date", "2026-06-05")
    case = cli.json("show", visited_in_august)
    assert case["last_contact_on"] == "2026-08-10" and case["phase"] == "intervention"


def test_a_plan_change_dated_before_the_latest_activity_does_not_send_the_case_back_to_planning(cli, visited_in_august):
    cli.ok("plan", visited_in_august, "--goal", "Found in the paper file", "--date", "2026-06-05")
    case = cli.json("show", visited_in_august)
    assert case["phase"] == "intervention" and len(case["goals"]) == 3
