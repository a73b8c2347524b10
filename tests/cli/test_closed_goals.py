"""Goals that are closed (met in an earlier cycle) or dropped are history: no command rewrites them."""

import pytest

from lingkaran.errors import ExitCode
from tests.helpers import refused


@pytest.fixture
def second_cycle(cli, active_case) -> str:
    """Case 1 closed with goal 1 met and goal 2 dropped, then reopened and assessed again."""
    cli.ok("plan", active_case, "--drop", "2", "--date", "2026-06-05")
    cli.ok("evaluate", active_case, "--score", "1=0", "--decision", "terminate", "--date", "2026-06-06")
    cli.ok("terminate", active_case, "--reason", "goals-met", "--summary", "Back at school", "--date", "2026-06-07")
    cli.ok("reopen", active_case, "--reason", "Dropped out again", "--date", "2026-06-08")
    cli.ok("assess", active_case, "--domain", "education=2", "--date", "2026-06-09")
    return active_case


@pytest.mark.parametrize(
    "change",
    [
        ["--revise", "1=Rewritten"],
        ["--weight", "1=9"],
        ["--drop", "1"],
        ["--target", "1=2026-12-31"],
        ["--gas", "1:0=Attends"],
    ],
)
def test_a_goal_met_in_an_earlier_cycle_cannot_be_changed(cli, db_path, second_cycle, change):
    message = refused(cli, db_path, ExitCode.INVALID_INPUT, "plan", second_cycle, "--goal", "New", *change)
    assert "goal 1 is closed; name an open goal" in message


def test_a_dropped_goal_cannot_be_dropped_again_or_revised(cli, db_path, second_cycle):
    message = refused(cli, db_path, ExitCode.INVALID_INPUT, "plan", second_cycle, "--goal", "New", "--drop", "2")
    assert "goal 2 is dropped; name an open goal" in message
    refused(cli, db_path, ExitCode.INVALID_INPUT, "plan", second_cycle, "--goal", "New", "--revise", "2=Again")


def test_new_goals_are_still_planned_in_the_next_cycle(cli, second_cycle):
    planned = cli.json("plan", second_cycle, "--goal", "Finish the school year", "--weight", "3=2")
    assert [(goal["number"], goal["status"]) for goal in planned["goals"]] == [
        (1, "closed"),
        (2, "dropped"),
        (3, "open"),
    ]


def test_a_follow_up_records_progress_on_met_goals_but_not_on_dropped_ones(cli, db_path, active_case):
    cli.ok("plan", active_case, "--drop", "2", "--date", "2026-06-05")
    cli.ok("terminate", active_case, "--reason", "withdrew", "--summary", "Moved", "--date", "2026-06-07")
    message = refused(
        cli, db_path, ExitCode.INVALID_INPUT, "monitor", active_case, "--progress", "2=2", "--note", "Called"
    )
    assert "goal 2 is dropped" in message
    cli.ok("monitor", active_case, "--progress", "1=1", "--note", "Still at school")
