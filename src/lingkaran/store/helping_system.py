"""Reading the helping system: members, case links, the team, referrals, the ecomap, contact minutes."""

import sqlite3

from lingkaran.domain.parse import is_whole_number
from lingkaran.errors import InvalidInput
from lingkaran.messages import _
from lingkaran.store.erasure import NOT_ERASED


def members(conn: sqlite3.Connection, case_id: int, *, include_removed: bool = False) -> list[dict]:
    """A case's client-system members (current ones unless `include_removed`), in the order they were added."""
    current = "" if include_removed else "AND removed_on IS NULL"
    rows = conn.execute(f"SELECT * FROM members WHERE case_id = ? {current} ORDER BY id", [case_id])
    return [dict(row) for row in rows]


def member_counts(conn: sqlite3.Connection, case_ids: list[int]) -> dict[int, int]:
    """How many current members each case has."""
    counts = dict.fromkeys(case_ids, 0)
    rows = conn.execute("SELECT case_id, count(*) AS n FROM members WHERE removed_on IS NULL GROUP BY case_id")
    for row in rows:
        if row["case_id"] in counts:
            counts[row["case_id"]] = row["n"]
    return counts


def team(conn: sqlite3.Connection, case_id: int, *, include_removed: bool = False) -> list[dict]:
    """A case's team: the people of the intervention system."""
    current = "" if include_removed else "AND removed_on IS NULL"
    rows = conn.execute(f"SELECT * FROM team WHERE case_id = ? {current} ORDER BY id", [case_id])
    return [dict(row) for row in rows]


def team_with_minutes(conn: sqlite3.Connection, case_id: int, *, include_removed: bool = False) -> list[dict]:
    """The team, each person with the contact minutes of the activities linked to them (`intervene --by`).

    By link, not by name: work typed under the name of someone who had left the team is not on the team (as
    `show` counts it), a person added again is two rows, and an erased case's people have no names left.
    """
    minutes: dict[int, int] = {}
    for source in ("activities", f"({_WENT_ALONG})"):
        for team_id, total in conn.execute(
            f"SELECT team_id, coalesce(sum(minutes), 0) FROM {source} "
            "WHERE case_id = ? AND team_id IS NOT NULL GROUP BY team_id",
            [case_id],
        ):
            minutes[team_id] = minutes.get(team_id, 0) + total
    return [
        {**person, "minutes": minutes.get(person["id"], 0)}
        for person in team(conn, case_id, include_removed=include_removed)
    ]


def find_person(conn: sqlite3.Connection, table: str, case_id: int, name: str) -> dict | None:
    """A current member or team member of a case named by their name (any case) or local id."""
    name = name.strip()
    if is_whole_number(name):
        row = conn.execute(
            f"SELECT * FROM {table} WHERE case_id = ? AND id = ? AND removed_on IS NULL", [case_id, int(name)]
        ).fetchone()
        if row:
            return dict(row)
    rows = conn.execute(
        f"SELECT * FROM {table} WHERE case_id = ? AND removed_on IS NULL ORDER BY id", [case_id]
    ).fetchall()
    matches = [dict(row) for row in rows if row["name"].casefold() == name.casefold()]
    return matches[0] if matches else None


def former_person(conn: sqlite3.Connection, table: str, case_id: int, name: str, on: str) -> dict | None:
    """A member or team member (`table`) who has left the case but was part of it on `on` (added on or before,
    left on or after)."""
    rows = conn.execute(
        f"SELECT * FROM {table} WHERE case_id = ? AND removed_on IS NOT NULL AND added_on <= ? "
        "AND removed_on >= ? ORDER BY id DESC",
        [case_id, on, on],
    ).fetchall()
    matches = [dict(row) for row in rows if row["name"].casefold() == name.strip().casefold()]
    return matches[0] if matches else None


def linked_cases(conn: sqlite3.Connection, case_id: int) -> dict[str, list[dict]]:
    """The cases this case is part of (`part_of`) and the cases that are part of it (`parts`)."""
    parents = conn.execute(
        "SELECT c.id, c.uuid, c.client, c.level, c.status, l.linked_on FROM case_links l "
        "JOIN cases c ON c.id = l.parent_id WHERE l.child_id = ? ORDER BY c.id",
        [case_id],
    )
    children = conn.execute(
        "SELECT c.id, c.uuid, c.client, c.level, c.status, l.linked_on FROM case_links l "
        "JOIN cases c ON c.id = l.child_id WHERE l.parent_id = ? ORDER BY c.id",
        [case_id],
    )
    return {"part_of": [dict(row) for row in parents], "parts": [dict(row) for row in children]}


def link(conn: sqlite3.Connection, parent_id: int, child_id: int) -> dict | None:
    """The link between two cases, if there is one."""
    row = conn.execute(
        "SELECT * FROM case_links WHERE parent_id = ? AND child_id = ?", [parent_id, child_id]
    ).fetchone()
    return dict(row) if row else None


def ancestors(conn: sqlite3.Connection, case_id: int) -> set[int]:
    """Every case this case is part of, directly or through another."""
    rows = conn.execute(
        "WITH RECURSIVE up(id) AS (SELECT parent_id FROM case_links WHERE child_id = ? "
        "UNION SELECT l.parent_id FROM case_links l JOIN up ON l.child_id = up.id) SELECT id FROM up",
        [case_id],
    )
    return {row[0] for row in rows}


def delete_link(conn: sqlite3.Connection, link_id: int) -> None:
    """Remove a case link (its history stays in the event log)."""
    conn.execute("DELETE FROM case_links WHERE id = ?", [link_id])


def referrals(conn: sqlite3.Connection, case_id: int) -> list[dict]:
    """A case's referrals, newest first."""
    rows = conn.execute("SELECT * FROM referrals WHERE case_id = ? ORDER BY referred_on DESC, id DESC", [case_id])
    return [dict(row) for row in rows]


def find_referral(conn: sqlite3.Connection, reference: str) -> dict:
    """A referral named by its number (or its UUID or the UUID's first 8+ characters)."""
    reference = reference.strip().lower()
    row = None
    if is_whole_number(reference):
        row = conn.execute("SELECT * FROM referrals WHERE id = ?", [int(reference)]).fetchone()
    if row is None and len(reference) >= 8:  # a UUID's first characters may all be digits, as find_case knows
        rows = conn.execute(
            "SELECT * FROM referrals WHERE uuid >= ? AND uuid < ? LIMIT 2", [reference, reference + "g"]
        ).fetchall()
        row = rows[0] if len(rows) == 1 else None
    if row is None:
        raise InvalidInput(_("no referral {ref!r}; `lingkaran referral list` shows them").format(ref=reference))
    return dict(row)


def latest_open_referral(conn: sqlite3.Connection, case_id: int) -> dict | None:
    """The case's most recent referral still waiting for an outcome (sent or accepted)."""
    row = conn.execute(
        "SELECT * FROM referrals WHERE case_id = ? AND status IN ('sent', 'accepted') "
        "ORDER BY referred_on DESC, id DESC LIMIT 1",
        [case_id],
    ).fetchone()
    return dict(row) if row else None


def overdue_referrals(conn: sqlite3.Connection, today: str, case_id: int | None = None) -> list[dict]:
    """Referrals still awaiting their answer (sent, of cases not erased) whose due date has passed, oldest due
    first, with the client's name (an accepted referral has had its answer: it is not overdue).

    For the dashboard and `due`: each row has the referral's fields plus `client` and `days_overdue`.
    """
    where = "AND r.case_id = :case" if case_id is not None else ""
    rows = conn.execute(
        "SELECT r.*, c.client, CAST(julianday(:today) - julianday(r.due_on) AS INTEGER) AS days_overdue "
        "FROM referrals r JOIN cases c ON c.id = r.case_id "
        f"WHERE r.status = 'sent' AND r.due_on < :today AND {NOT_ERASED} {where} "
        "ORDER BY r.due_on, r.id",
        {"today": today, "case": case_id},
    )
    return [dict(row) for row in rows]


def open_referrals_due_by(conn: sqlite3.Connection, until: str) -> list[dict]:
    """Referrals awaiting their answer (sent, of cases not erased) due on or before `until`, earliest due first
    (index: status, due_on).

    For `due`, which lists what falls due in the coming days as well as what is overdue.
    """
    rows = conn.execute(
        "SELECT r.*, c.client FROM referrals r JOIN cases c ON c.id = r.case_id "
        f"WHERE r.status = 'sent' AND r.due_on <= ? AND {NOT_ERASED} "
        "ORDER BY r.due_on, r.id",
        [until],
    )
    return [dict(row) for row in rows]


def list_referrals(conn: sqlite3.Connection, *, case_id: int | None, open_only: bool) -> list[dict]:
    """Referrals across the caseload (or one case), newest first, with the client's name."""
    clauses, params = [], []
    if case_id is not None:
        clauses.append("r.case_id = ?")
        params.append(case_id)
    if open_only:
        clauses.append("r.status IN ('sent', 'accepted')")
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = conn.execute(
        f"SELECT r.*, c.client FROM referrals r JOIN cases c ON c.id = r.case_id {where} "
        "ORDER BY r.referred_on DESC, r.id DESC",
        params,
    )
    return [dict(row) for row in rows]


def ecomap_changes(conn: sqlite3.Connection, case_id: int) -> list[dict]:
    """Every dated change to a case's ecomap, in the order they were made."""
    rows = conn.execute(
        "SELECT system, kind, tie, flow, note, changed_on, removed FROM ecomap_changes WHERE case_id = ? ORDER BY id",
        [case_id],
    )
    return [dict(row) for row in rows]


# Each activity once for the person who carried it out and once more for everyone who went with them (a joint
# visit credits each of them with its minutes): the second source of contact minutes.
_WENT_ALONG = (
    "SELECT a.case_id, a.occurred_on, a.minutes, w.team_id, w.name AS by_name FROM activity_workers w "
    "JOIN activities a ON a.id = w.activity_id"
)


def contact_minutes(
    conn: sqlite3.Connection, case_id: int | None = None, start: str | None = None, end: str | None = None
) -> list[dict]:
    """Contact minutes by who carried the work out, with their team role (None when not on the team).

    For `stats` and `report`: rows of name, role, activities, minutes, most minutes first; one case or the
    whole caseload, activities from `start` to `end` (both optional, inclusive). Activities recorded without
    --by count under name None; a joint visit counts for each person who went.
    """
    totals: dict[tuple, dict] = {}
    for source in ("activities", f"({_WENT_ALONG})"):
        for row in _minutes_by_person(conn, source, case_id, start, end):
            key = ((row["name"] or "").casefold() if row["name"] is not None else None, row["role"])
            total = totals.setdefault(key, {**row, "activities": 0, "minutes": 0})
            total["activities"] += row["activities"]
            total["minutes"] += row["minutes"]
    return sorted(totals.values(), key=lambda row: (-row["minutes"], (row["name"] or "").casefold()))


def _minutes_by_person(
    conn: sqlite3.Connection, source: str, case_id: int | None, start: str | None, end: str | None
) -> list[dict]:
    """One source's activities counted by person (indexed: activities case_id or occurred_on)."""
    clauses = (["a.case_id = :case"] if case_id is not None else []) + (
        ["a.occurred_on BETWEEN :start AND :end"] if start or end else []
    )
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = conn.execute(
        "SELECT coalesce(t.name, a.by_name) AS name, t.role AS role, count(*) AS activities, "
        f"coalesce(sum(a.minutes), 0) AS minutes FROM {source} a LEFT JOIN team t ON t.id = a.team_id "
        f"{where} GROUP BY coalesce(t.name, a.by_name) COLLATE NOCASE, t.role",
        {"case": case_id, "start": start or "0001-01-01", "end": end or "9999-12-31"},
    )
    return [dict(row) for row in rows]


def contact_minutes_by_role(
    conn: sqlite3.Connection, case_id: int | None = None, start: str | None = None, end: str | None = None
) -> list[dict]:
    """Contact minutes by team role (None for work by people not on the team), most minutes first."""
    totals: dict[str | None, dict] = {}
    for row in contact_minutes(conn, case_id, start, end):
        total = totals.setdefault(row["role"], {"role": row["role"], "activities": 0, "minutes": 0})
        total["activities"] += row["activities"]
        total["minutes"] += row["minutes"]
    return sorted(totals.values(), key=lambda total: -total["minutes"])
