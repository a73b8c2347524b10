"""Dates as people write them, in the interface language."""

import datetime as dt

from lingkaran.messages import N_, _

MONTHS = (
    N_("Jan"),
    N_("Feb"),
    N_("Mar"),
    N_("Apr"),
    N_("May"),
    N_("Jun"),
    N_("Jul"),
    N_("Aug"),
    N_("Sep"),
    N_("Oct"),
    N_("Nov"),
    N_("Dec"),
)


def date_text(iso: str | None) -> str:
    """A date as people write it: 28 Nov 2026 (month names in the interface language)."""
    if not iso:
        return "–"
    year, month, day = iso[:10].split("-")
    return f"{int(day)} {_(MONTHS[int(month) - 1])} {year}"


MONTH_NAMES = (
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)


def long_date_text(iso: str | None) -> str:
    """A date as a letter writes it, the month in words in the interface language: 3 December 2026, and in
    Indonesian 3 Desember 2026."""
    if not iso:
        return "–"
    year, month, day = iso[:10].split("-")
    return f"{int(day)} {_(MONTH_NAMES[int(month) - 1])} {year}"


WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


def day_text(iso: str) -> str:
    """A day as a planner shows it: Tue 16 Jun 2026."""
    return f"{_(WEEKDAYS[dt.date.fromisoformat(iso).weekday()])} {date_text(iso)}"


def when_text(visit: dict) -> str:
    """The day and time of a visit (no time: some time that day)."""
    return day_text(visit["planned_on"]) + (f" {visit['at']}" if visit.get("at") else "")
