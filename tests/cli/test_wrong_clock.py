"""A computer whose clock is wrong (a flat clock battery says 1970; a typo says 3000) must not date records:
every command that needs today refuses with exit 2 and one line saying so, and writes nothing. The clock is made
wrong in-process, by replacing the function that reads it; the real clock is never touched."""

import datetime as dt
import sqlite3

import pytest

from lingkaran.cli import session
from lingkaran.errors import ExitCode


@pytest.fixture
def clock(monkeypatch):
    """Set the computer's clock for this test (today is no longer pinned by LINGKARAN_TODAY)."""
    monkeypatch.delenv("LINGKARAN_TODAY")

    def set_clock(reading):
        def read():
            if isinstance(reading, Exception):
                raise reading
            return reading

        monkeypatch.setattr(session, "system_date", read)

    return set_clock


def case_count(db_path) -> int:
    if not db_path.exists():
        return 0
    conn = sqlite3.connect(db_path)
    count = conn.execute("SELECT count(*) FROM cases").fetchone()[0]
    conn.close()
    return count


def refused_for_the_clock(result) -> str:
    assert result.exit_code == ExitCode.INVALID_INPUT, result.stdout
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    return result.stderr


@pytest.mark.parametrize("reading", [dt.date(1970, 1, 1), dt.date(3000, 1, 1), dt.date(2025, 12, 31)])
def test_open_is_refused_when_the_clock_is_wrong_and_nothing_is_written(cli, db_path, clock, reading):
    clock(reading)
    message = refused_for_the_clock(cli("open", "Siti", "--level", "mikro", "--problem", "x", "--consent"))
    assert message == (
        f"lingkaran: the computer's clock says {reading.isoformat()}, which cannot be today "
        "(lingkaran needs a date from 2026-01-01 to 2999-12-31); set the clock, or give the date "
        "with LINGKARAN_TODAY=YYYY-MM-DD\n"
    )
    assert case_count(db_path) == 0


def test_a_clock_that_cannot_be_read_as_a_date_is_refused_the_same_way(cli, clock):
    clock(OverflowError("timestamp out of range for platform time_t"))
    assert "the computer's clock cannot be read as a date" in refused_for_the_clock(cli("due"))


def test_commands_that_read_today_are_refused_not_silently_wrong(cli, active_case, clock):
    clock(dt.date(1970, 1, 1))
    for command in (("due",), ("show", active_case), ("stats",), ("note", active_case, "hello"), ("retention",)):
        assert "clock says 1970-01-01" in refused_for_the_clock(cli(*command)), command


def test_commands_that_never_need_today_still_run_with_a_wrong_clock(cli, active_case, clock):
    clock(dt.date(1970, 1, 1))
    assert cli.ok("list").stdout and cli.ok("log", active_case).stdout
    assert cli.json("check")["ok"] is True


def test_lingkaran_today_works_around_a_wrong_clock(cli, db_path, clock, monkeypatch):
    clock(dt.date(1970, 1, 1))
    monkeypatch.setenv("LINGKARAN_TODAY", "2026-06-15")
    assert cli.json("open", "Siti", "--level", "mikro", "--problem", "x", "--consent")["opened_on"] == "2026-06-15"
    monkeypatch.setenv("LINGKARAN_TODAY", "today")  # a word for today still needs the clock
    assert "clock says 1970-01-01" in refused_for_the_clock(cli("due"))


def test_a_right_clock_is_today(cli, clock):
    clock(dt.date(2026, 11, 28))
    assert cli.json("open", "Siti", "--level", "mikro", "--problem", "x", "--consent")["opened_on"] == "2026-11-28"


def test_the_clock_is_read_by_the_date_of_this_computer():
    assert session.system_date() == dt.date.today()
