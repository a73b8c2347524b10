"""Reading planned visits: one by its number, a schedule between two dates, a case's next visit."""

import sqlite3

from lingkaran.domain.parse import is_whole_number
from lingkaran.errors import InvalidInput
from lingkaran.messages import _
from lingkaran.store.erasure import NOT_ERASED
from lingkaran.store.records import as_dict

_WITH_CASE = (
    "SELECT v.*, c.client, c.uuid AS case_uuid, c.phase, c.status AS case_status FROM visits v "
    "JOIN cases c ON c.id = v.case_id"
)


def find_visit(conn: sqlite3.Connection, reference: str) -> dict:
    """A visit named by its number (or its UUID, or the UUID's first 8+ characters)."""
    reference = reference.strip().lower()
    row = None
    if is_whole_number(reference):
        row = conn.execute("SELECT * FROM visits WHERE id = ?", [int(reference)]).fetchone()
    if row is None and len(reference) >= 8:
        rows = conn.execute(
            "SELECT * FROM visits WHERE uuid >= ? AND uuid < ? LIMIT 2", [reference, reference + "g"]
        ).fetchall()
        row = rows[0] if len(rows) == 1 else None
    if row is None:
        raise InvalidInput(_("no visit {ref!r}; `lingkaran visit list` shows them").format(ref=reference))
    return as_dict(row)


def schedule(
    conn: sqlite3.Connection,
    *,
    start: str | None,
    end: str | None,
    case_id: int | None = None,
    planned_only: bool = True,
    with_missed: bool = False,
) -> list[dict]:
    """Visits from `start` to `end` (either open), earliest first, each with its case's client and step: only
    those still planned unless `planned_only` is False; `with_missed`: planned ones before `start` too (a visit
    neither done nor cancelled stays on the schedule). Erased cases' visits are left out (index: status,
    planned_on)."""
    clauses = [NOT_ERASED]
    if planned_only:
        clauses.append("v.status = 'planned'")
    if case_id is not None:
        clauses.append("v.case_id = :case_id")
    window = ["v.planned_on >= :start"] if start else []
    window += ["v.planned_on <= :end"] if end else []
    if start and with_missed:
        window = [f"({' AND '.join(window)} OR (v.status = 'planned' AND v.planned_on < :start))"]
    rows = conn.execute(
        f"{_WITH_CASE} WHERE {' AND '.join(clauses + window)} ORDER BY v.planned_on, coalesce(v.at, '99:99'), v.id",
        {"start": start, "end": end, "case_id": case_id},
    )
    return [as_dict(row) for row in rows]


def next_visits(conn: sqlite3.Connection, today: str) -> dict[int, dict]:
    """Each case's next planned visit on or after today, by case."""
    rows = conn.execute(
        "SELECT * FROM visits WHERE status = 'planned' AND planned_on >= ? "
        "ORDER BY planned_on DESC, coalesce(at, '99:99') DESC, id DESC",
        [today],
    )
    return {row["case_id"]: as_dict(row) for row in rows}  # the earliest is written last
