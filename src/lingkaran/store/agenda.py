"""The queries behind the dashboard and the agenda: each one indexed, none a loop over cases."""

import sqlite3

from lingkaran.domain.vocabularies import PHASE
from lingkaran.store.erasure import NOT_ERASED

# The columns of a case the dashboard and agenda show (never the free text).
CASE_COLUMNS = (
    "id",
    "uuid",
    "client",
    "level",
    "phase",
    "status",
    "cycle",
    "opened_on",
    "closed_on",
    "close_reason",
    "consent",
    "follow_up_on",
    "last_contact_on",
)
_SELECT = "SELECT " + ", ".join(f"c.{column}" for column in CASE_COLUMNS)
_PHASE_ORDER = (
    "CASE c.phase " + " ".join(f"WHEN '{phase}' THEN {index}" for index, phase in enumerate(PHASE.values)) + " END"
)


def _rows(conn: sqlite3.Connection, sql: str, params: list | tuple | dict = ()) -> list[dict]:
    rows = [dict(row) for row in conn.execute(sql, params)]
    for row in rows:
        if "consent" in row:
            row["consent"] = bool(row["consent"])
    return rows


def active_cases(conn: sqlite3.Connection) -> list[dict]:
    """Every active case, in the cycle's order of steps, then by number (index: status, phase)."""
    return _rows(conn, f"{_SELECT} FROM cases AS c WHERE c.status = 'active' ORDER BY {_PHASE_ORDER}, c.id")


def follow_ups_until(conn: sqlite3.Connection, until: str) -> list[dict]:
    """Cases (active or closed, not erased) whose next follow-up falls on or before `until`, earliest first."""
    return _rows(
        conn,
        f"{_SELECT} FROM cases AS c WHERE c.follow_up_on <= ? AND {NOT_ERASED} ORDER BY c.follow_up_on, c.id",
        [until],
    )


def without_contact_since(conn: sqlite3.Connection, since: str) -> list[dict]:
    """Active cases whose last contact was before `since` (or never recorded), longest silence first."""
    # Two indexed halves (index: status, last_contact_on); an OR would make SQLite read every active case.
    return _rows(
        conn,
        f"{_SELECT} FROM cases AS c WHERE c.status = 'active' AND c.last_contact_on IS NULL "
        f"UNION ALL {_SELECT} FROM cases AS c WHERE c.status = 'active' AND c.last_contact_on < ? "
        f"ORDER BY last_contact_on, id",
        [since],
    )


def closed_awaiting_follow_up(conn: sqlite3.Connection) -> list[dict]:
    """Closed cases (not erased) with a post-termination follow-up still planned, earliest first."""
    # `+c.status`: read the few planned follow-ups (index: follow_up_on), not every closed case.
    return _rows(
        conn,
        f"{_SELECT} FROM cases AS c WHERE +c.status = 'closed' AND c.follow_up_on IS NOT NULL "
        f"AND {NOT_ERASED} ORDER BY c.follow_up_on, c.id",
    )


def without_consent(conn: sqlite3.Connection) -> list[dict]:
    """Active cases with no recorded consent (index: consent, status)."""
    return _rows(conn, f"{_SELECT} FROM cases AS c WHERE c.consent = 0 AND c.status = 'active' ORDER BY c.id")


def goal_targets_until(conn: sqlite3.Connection, until: str) -> list[dict]:
    """Open goals whose target date falls on or before `until` and whose level was not yet recorded on or
    after it, earliest first (index: goals status, target_on)."""
    return _rows(
        conn,
        f"""
        {_SELECT}, g.number AS goal_number, g.text AS goal_text, g.target_on
        FROM goals AS g JOIN cases AS c ON c.id = g.case_id
        WHERE g.status = 'open' AND g.target_on <= ?
          AND NOT EXISTS (SELECT 1 FROM goal_levels AS l WHERE l.goal_id = g.id AND l.observed_on >= g.target_on)
        ORDER BY g.target_on, c.id, g.number""",
        [until],
    )


def cases_by_id(conn: sqlite3.Connection, case_ids: set[int]) -> dict[int, dict]:
    """The case rows of the given cases, by id, in one query (primary key)."""
    if not case_ids:
        return {}
    marks = ", ".join("?" * len(case_ids))
    return {
        row["id"]: row for row in _rows(conn, f"{_SELECT} FROM cases AS c WHERE c.id IN ({marks})", sorted(case_ids))
    }
