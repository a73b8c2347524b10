"""Caseload figures for the worker's monthly report (the shape `stats --json` prints)."""

import sqlite3
import statistics

from lingkaran.store import helping_system as helping_queries
from lingkaran.store import stats as queries


def figures(conn: sqlite3.Connection, start: str | None, end: str | None) -> dict:
    """Cases opened and closed, active cases now, contacts (by kind, by team member and by role), mean T-score
    and median days to close."""
    t_scores = queries.latest_t_scores(conn, start, end)
    durations = queries.days_to_close(conn, start, end)
    closed = queries.closed_by_reason(conn, start, end)
    return {
        "from": start,
        "to": end,
        "opened": queries.opened(conn, start, end),
        "opened_by_ppks": queries.opened_by_ppks(conn, start, end),
        "closed": sum(row["cases"] for row in closed),
        "closed_by_reason": closed,
        "active_by_step_and_level": queries.active_by_step_and_level(conn),
        "contacts_by_kind": queries.contacts_by_kind(conn, start, end),
        "contact_minutes_by_person": helping_queries.contact_minutes(conn, start=start, end=end),
        "contact_minutes_by_role": helping_queries.contact_minutes_by_role(conn, start=start, end=end),
        "evaluated_cases": len(t_scores),
        "mean_t_score": round(statistics.fmean(t_scores), 2) if t_scores else None,
        "median_days_to_close": _median_days(durations),
    }


def _median_days(durations: list[int]) -> int | float | None:
    """The median as a whole number of days, or a half day when it lies between the middle two (even count)."""
    if not durations:
        return None
    median = statistics.median(durations)
    return int(median) if median == int(median) else median
