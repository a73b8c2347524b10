"""Dates at the ends of the calendar: refused up front with one line, never an overflow deep in date arithmetic.

lingkaran works with dates from 1900-01-01 to 2999-12-31 (today, every date flag, LINGKARAN_TODAY); day counts
are at most 3650 and retention at most 1000 years, so no sum of them can leave Python's calendar.
"""

import json

import pytest

from lingkaran.errors import ExitCode
from tests.helpers import row_counts

READING = [
    ("due",),
    ("dashboard",),
    ("retention",),
    ("referral", "list", "--overdue"),
    ("stats",),
    ("show", "1"),
    ("ecomap", "show", "1"),
    ("report", "1"),
]
WRITING = [
    ("open", "Budi", "--level", "mikro", "--problem", "p"),
    ("note", "1", "Visited"),
    ("intervene", "1", "--activity", "home-visit", "--note", "x"),
]


def refused_in_one_line(result, needle: str) -> None:
    assert result.exit_code == ExitCode.INVALID_INPUT, (result.exit_code, result.output)
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("lingkaran: "), result.stderr
    assert needle in result.stderr and "Traceback" not in result.output and result.stdout == ""


@pytest.mark.parametrize("today", ["9999-12-31", "0001-01-01", "3000-01-01"])
def test_a_pretended_today_outside_the_calendar_is_refused_up_front(cli, active_case, db_path, monkeypatch, today):
    before = row_counts(db_path)
    monkeypatch.setenv("LINGKARAN_TODAY", today)
    for args in READING + WRITING:
        refused_in_one_line(
            cli(*args),
            f"LINGKARAN_TODAY {today!r} is outside the dates lingkaran works with (1900-01-01 to 2999-12-31)",
        )
    assert row_counts(db_path) == before


def test_the_installed_command_says_so_in_one_line(lingkaran, opened_case):
    result = lingkaran("due", env={"LINGKARAN_TODAY": "9999-12-31"})
    assert result.returncode == ExitCode.INVALID_INPUT and result.stdout == ""
    assert result.stderr == (
        "lingkaran: LINGKARAN_TODAY '9999-12-31' is outside the dates lingkaran works with (1900-01-01 to 2999-12-31)\n"
    )


def test_a_date_flag_outside_the_calendar_is_refused_and_nothing_is_written(cli, active_case, db_path):
    before = row_counts(db_path)
    for args in [
        ("monitor", "1", "--note", "ok", "--follow-up", "9999-12-31"),
        ("plan", "1", "--revise", "1=Goes daily", "--target", "1=9999-12-31"),
        ("refer", "1", "--to", "Dinsos", "--service", "food", "--due", "9999-12-31"),
        ("open", "Budi", "--level", "mikro", "--problem", "p", "--date", "0001-01-01"),
        ("stats", "--from", "0001-01-01"),
        ("ecomap", "show", "1", "--at", "9999-12-31"),
    ]:
        refused_in_one_line(cli(*args), "is outside the dates lingkaran works with (1900-01-01 to 2999-12-31)")
    assert row_counts(db_path) == before


def test_the_last_day_still_works_everywhere_and_tomorrow_is_refused_not_overflowed(cli, active_case, monkeypatch):
    monkeypatch.setenv("LINGKARAN_TODAY", "2999-12-31")
    for args in READING:
        assert cli(*args).exit_code == 0, (args, cli(*args).output)
    assert cli("due", "--within", "3650").exit_code == 0
    assert cli("dashboard", "--days", "3650").exit_code == 0
    cli.ok("monitor", active_case, "--note", "ok", "--follow-up", "2999-12-31")
    refused_in_one_line(
        cli("monitor", active_case, "--note", "ok", "--follow-up", "tomorrow"), "--follow-up '3000-01-01' is outside"
    )


def test_the_first_day_still_works_with_the_longest_retention(cli, opened_case, monkeypatch, tmp_path):
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.json").write_text(json.dumps({"retention_years": 1000, "no_contact_days": 1000}))
    monkeypatch.setenv("LINGKARAN_TODAY", "1900-01-01")
    assert cli("retention").exit_code == 0 and cli("dashboard").exit_code == 0


def test_a_hand_edited_retention_setting_is_refused_with_its_fix(cli, opened_case, tmp_path):
    (tmp_path / "config").mkdir()
    for stored in (10**9, -5, "many", 0, None):
        (tmp_path / "config" / "config.json").write_text(json.dumps({"retention_years": stored}))
        refused_in_one_line(cli("retention"), "`lingkaran config set retention_years VALUE`")
