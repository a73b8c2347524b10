"""The queries behind the supervisor's caseload summary and a case's reviews: one query a figure, none a loop."""

import sqlite3

from lingkaran.store.erasure import NOT_ERASED


def latest_risks(conn: sqlite3.Connection) -> dict[int, dict]:
    """Each case's latest risk level assessed (as `show` takes it: by date, then as entered), by case."""
    rows = conn.execute(
        "SELECT case_id, risk, assessed_on FROM assessments WHERE risk IS NOT NULL ORDER BY case_id, assessed_on, id"
    )
    return {row["case_id"]: dict(row) for row in rows}  # the latest is written last


def missed_visits(conn: sqlite3.Connection, today: str) -> dict[int, list[int]]:
    """The visits still planned for a day before today, by case (index: visits status, planned_on)."""
    missed: dict[int, list[int]] = {}
    for row in conn.execute(
        "SELECT case_id, id FROM visits WHERE status = 'planned' AND planned_on < ? ORDER BY planned_on, id", [today]
    ):
        missed.setdefault(row["case_id"], []).append(row["id"])
    return missed


def last_reviews(conn: sqlite3.Connection) -> dict[int, dict]:
    """Each case's latest supervisor's review, by case."""
    rows = conn.execute("SELECT case_id, reviewed_on, by_name, decision FROM reviews ORDER BY case_id, reviewed_on, id")
    return {row["case_id"]: dict(row) for row in rows}


def reviews(conn: sqlite3.Connection, case_id: int) -> list[dict]:
    """A case's reviews, newest first."""
    rows = conn.execute(
        "SELECT uuid, cycle, phase, reviewed_on, by_name, comment, decision FROM reviews "
        "WHERE case_id = ? ORDER BY reviewed_on DESC, id DESC",
        [case_id],
    )
    return [dict(row) for row in rows]


def active_case_rows(conn: sqlite3.Connection, worker: str | None) -> list[dict]:
    """Active cases not erased (one worker's when named, matched without regard to case), by number."""
    where = "AND c.worker = :worker COLLATE NOCASE" if worker else ""
    rows = conn.execute(
        "SELECT c.id, c.uuid, c.client, c.level, c.phase, c.worker, c.last_contact_on, "
        f"c.follow_up_on FROM cases c WHERE c.status = 'active' AND {NOT_ERASED} {where} "
        "ORDER BY c.id",
        {"worker": worker},
    )
    return [dict(row) for row in rows]
