"""Catch-up from paper notes, continued: an older `monitor --follow-up` does not replace the follow-up the
later work planned (a `terminate` is never catch-up: it cannot be dated before the latest step)."""

import pytest

from lingkaran.domain import cycle


@pytest.fixture
def worked_case(cli, active_case, monkeypatch) -> str:
    """Case 1 assessed, planned and visited in early June; today is 2026-08-20."""
    monkeypatch.setenv("LINGKARAN_TODAY", "2026-08-20")
    return active_case


def test_an_entry_is_catch_up_only_when_dated_before_the_latest_step():
    assert cycle.is_catch_up("2026-06-20", "2026-08-15")
    assert not cycle.is_catch_up("2026-08-15", "2026-08-15")
    assert not cycle.is_catch_up("2026-08-16", "2026-08-15")
    assert not cycle.is_catch_up("2026-06-20", None)


def test_a_backdated_follow_up_leaves_the_planned_one_alone(cli, worked_case):
    cli.ok("monitor", worked_case, "--note", "aug", "--follow-up", "2026-09-01", "--date", "2026-08-15")
    cli.ok("monitor", worked_case, "--note", "june paper", "--follow-up", "2026-06-25", "--date", "2026-06-20")
    assert cli.json("show", worked_case)["follow_up_on"] == "2026-09-01"
    assert [item for item in cli.json("due") if item["kind"] == "follow-up"] == [], "nothing overdue on 08-20"


def test_a_backdated_contact_after_the_follow_up_date_still_completes_it(cli, worked_case):
    cli.ok("monitor", worked_case, "--note", "july", "--follow-up", "2026-07-01", "--date", "2026-06-10")
    cli.ok("intervene", worked_case, "--activity", "phone-call", "--note", "aug", "--date", "2026-08-15")
    cli.ok("monitor", worked_case, "--note", "july paper", "--date", "2026-07-05")
    assert cli.json("show", worked_case)["follow_up_on"] is None


def test_a_follow_up_dated_on_the_latest_step_day_is_set_as_usual(cli, worked_case):
    cli.ok("monitor", worked_case, "--note", "aug", "--follow-up", "2026-09-01", "--date", "2026-08-15")
    cli.ok("monitor", worked_case, "--note", "aug too", "--follow-up", "2026-08-29", "--date", "2026-08-15")
    assert cli.json("show", worked_case)["follow_up_on"] == "2026-08-29"
