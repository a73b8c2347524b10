"""The queries behind `stats`: counts over a date range, each on an indexed date column."""

import sqlite3

from lingkaran.domain.vocabularies import LEVEL, PHASE

FIRST_DAY, LAST_DAY = "0001-01-01", "9999-12-31"


def _range(start: str | None, end: str | None) -> dict:
    return {"start": start or FIRST_DAY, "end": end or LAST_DAY}


def opened(conn: sqlite3.Connection, start: str | None, end: str | None) -> int:
    """Cases opened in the range (index: cases.opened_on)."""
    return conn.execute(
        "SELECT count(*) FROM cases WHERE opened_on BETWEEN :start AND :end", _range(start, end)
    ).fetchone()[0]


def closed_by_reason(conn: sqlite3.Connection, start: str | None, end: str | None) -> list[dict]:
    """Terminations in the range by reason, most frequent first (index: terminations.closed_on)."""
    rows = conn.execute(
        "SELECT reason, count(*) AS cases FROM terminations WHERE closed_on BETWEEN :start AND :end "
        "GROUP BY reason ORDER BY cases DESC, reason",
        _range(start, end),
    )
    return [dict(row) for row in rows]


def active_by_step_and_level(conn: sqlite3.Connection) -> list[dict]:
    """Active cases now, counted by step and level (index: cases.status, phase)."""
    rows = conn.execute(
        "SELECT phase, level, count(*) AS cases FROM cases WHERE status = 'active' GROUP BY phase, level"
    )
    return sorted(
        (dict(row) for row in rows),
        key=lambda row: (PHASE.values.index(row["phase"]), LEVEL.values.index(row["level"])),
    )


def contacts_by_kind(conn: sqlite3.Connection, start: str | None, end: str | None) -> list[dict]:
    """Activities in the range by kind, with their contact minutes, how many were recorded with `contact` (no plan
    needed) and the participants of group sessions (index: activities occurred_on, kind, minutes)."""
    rows = conn.execute(
        "SELECT kind, count(*) AS contacts, coalesce(sum(minutes), 0) AS minutes, "
        "count(recorded_as) AS recorded_as_contact, sum(participants) AS participants "
        "FROM activities WHERE occurred_on BETWEEN :start AND :end GROUP BY kind "
        "ORDER BY contacts DESC, kind",
        _range(start, end),
    )
    return [dict(row) for row in rows]


def latest_t_scores(conn: sqlite3.Connection, start: str | None, end: str | None) -> list[float]:
    """Each evaluated case's latest T-score in the range (index: evaluations.evaluated_on)."""
    # SQLite takes the bare t_score from the row holding the max: latest as show and report take it, by date
    # (fixed-width YYYY-MM-DD), then the one entered later (two on one day: the second), without a full scan.
    rows = conn.execute(
        "SELECT t_score, max(evaluated_on || printf('%012d', id)) FROM evaluations "
        "WHERE evaluated_on BETWEEN :start AND :end AND t_score IS NOT NULL GROUP BY case_id",
        _range(start, end),
    )
    return [row[0] for row in rows]


def days_to_close(conn: sqlite3.Connection, start: str | None, end: str | None) -> list[int]:
    """For each termination in the range, the days from the start of its cycle (opening, or the reopening
    that began it) to the close."""
    rows = conn.execute(
        """
        SELECT CAST(julianday(t.closed_on) - julianday(CASE WHEN t.cycle = 1 THEN c.opened_on ELSE coalesce(
                 (SELECT max(e.occurred_on) FROM events AS e
                  WHERE e.case_id = t.case_id AND +e.kind = 'reopen' AND e.cycle = t.cycle),
                 c.opened_on) END) AS INTEGER)
        FROM terminations AS t JOIN cases AS c ON c.id = t.case_id
        WHERE t.closed_on BETWEEN :start AND :end""",
        _range(start, end),
    )
    return [row[0] for row in rows]


def opened_by_ppks(conn: sqlite3.Connection, start: str | None, end: str | None) -> list[dict]:
    """Cases opened in the range by PPKS category (None: no category recorded), most frequent first."""
    rows = conn.execute(
        "SELECT ppks, count(*) AS cases FROM cases WHERE opened_on BETWEEN :start AND :end "
        "GROUP BY ppks ORDER BY cases DESC, ppks",
        _range(start, end),
    )
    return [dict(row) for row in rows]
