"""Catch-up from paper notes, continued: an older observation of a goal (monitor or evaluate) does not
overwrite its latest level."""

import pytest

from lingkaran.domain import gas


@pytest.fixture
def worked_case(cli, active_case, monkeypatch) -> str:
    """Case 1 assessed, planned and visited in early June; today is 2026-08-20."""
    monkeypatch.setenv("LINGKARAN_TODAY", "2026-08-20")
    return active_case


def _goal(cli, case: str, number: int = 1) -> dict:
    return next(goal for goal in cli.json("show", case)["goals"] if goal["number"] == number)


def test_a_level_replaces_the_latest_only_when_observed_on_or_after_it():
    assert gas.is_newest_observation("2026-08-15", None)
    assert gas.is_newest_observation("2026-08-15", "2026-08-15"), "same day: the later entry wins"
    assert gas.is_newest_observation("2026-08-16", "2026-08-15")
    assert not gas.is_newest_observation("2026-06-20", "2026-08-15")


def test_a_backdated_monitor_keeps_the_newer_level(cli, worked_case):
    cli.ok("monitor", worked_case, "--note", "aug", "--progress", "1=2", "--date", "2026-08-15")
    cli.ok("monitor", worked_case, "--note", "june paper", "--progress", "1=-2", "--date", "2026-06-20")
    assert _goal(cli, worked_case)["latest_level"] == 2


def test_an_older_evaluation_entered_after_a_newer_one_keeps_the_newer_level(cli, worked_case):
    cli.ok(
        "evaluate", worked_case, "--score", "1=1", "--score", "2=0", "--decision", "continue", "--date", "2026-08-15"
    )
    cli.ok(
        "evaluate", worked_case, "--score", "1=-1", "--score", "2=-2", "--decision", "continue", "--date", "2026-06-20"
    )
    assert (_goal(cli, worked_case, 1)["latest_level"], _goal(cli, worked_case, 2)["latest_level"]) == (1, 0)


def test_a_backdated_level_still_counts_for_a_goal_never_observed_since(cli, worked_case):
    cli.ok("monitor", worked_case, "--note", "aug", "--progress", "1=2", "--date", "2026-08-15")
    cli.ok("monitor", worked_case, "--note", "june paper", "--progress", "2=-1", "--date", "2026-06-20")
    assert (_goal(cli, worked_case, 1)["latest_level"], _goal(cli, worked_case, 2)["latest_level"]) == (2, -1)


def test_the_same_day_the_later_entry_wins(cli, worked_case):
    cli.ok("monitor", worked_case, "--note", "morning", "--progress", "1=2", "--date", "2026-08-15")
    cli.ok("monitor", worked_case, "--note", "afternoon", "--progress", "1=0", "--date", "2026-08-15")
    assert _goal(cli, worked_case)["latest_level"] == 0
