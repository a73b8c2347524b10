"""Reading and writing the case records: cases, assessments, goals, activities and the rest."""

import json
import re
import sqlite3
from collections.abc import Iterator
from typing import overload

from lingkaran.domain.cycle import CaseState
from lingkaran.domain.parse import is_whole_number
from lingkaran.errors import InvalidInput, NoSuchCase
from lingkaran.messages import _
from lingkaran.store.events import CaseRef, new_uuid, now_utc
from lingkaran.store.sqlite import stored_json

UUID_PREFIX = re.compile(r"[0-9a-f]{8}[0-9a-f-]{0,28}")
JSON_COLUMNS = ("strengths", "needs", "scale", "goal_numbers", "scores", "goal_uuids", "goal_scores", "by_names")


@overload
def as_dict(row: sqlite3.Row) -> dict: ...
@overload
def as_dict(row: None) -> None: ...
def as_dict(row: sqlite3.Row | None) -> dict | None:
    """A row as a plain dict with its JSON columns decoded (None for no row)."""
    if row is None:
        return None
    record = dict(row)
    for column in JSON_COLUMNS:
        if record.get(column) is not None:
            record[column] = stored_json(record[column])
    return record


def insert(conn: sqlite3.Connection, table: str, values: dict) -> dict:
    """Insert one record with a fresh UUID; JSON-encode lists and dicts. Returns it with its id."""
    record = {"uuid": new_uuid(), **values}
    stored = _encoded(record)
    cursor = conn.execute(
        f"INSERT INTO {table} ({', '.join(stored)}) VALUES ({', '.join('?' * len(stored))})", list(stored.values())
    )
    return {"id": cursor.lastrowid, **record}


def update(conn: sqlite3.Connection, table: str, record_id: int, values: dict) -> None:
    """Change some columns of one record."""
    stored = _encoded(values)
    assignments = ", ".join(f"{column} = ?" for column in stored)
    conn.execute(f"UPDATE {table} SET {assignments} WHERE id = ?", [*stored.values(), record_id])


def _encoded(values: dict) -> dict:
    """Lists and dicts are stored as JSON text."""
    return {k: json_text(v) if isinstance(v, list | dict) else v for k, v in values.items()}


def json_text(value: list | dict) -> str:
    """A list or dict as the JSON text a JSON column stores."""
    return _JSON.encode(value)


_JSON = json.JSONEncoder(ensure_ascii=False)  # built once: an import encodes hundreds of thousands


def find_case(conn: sqlite3.Connection, reference: str) -> dict:
    """The case a user named by its number or by its UUID (or the UUID's first 8+ characters)."""
    reference = reference.strip()
    row = None
    if is_whole_number(reference):
        row = conn.execute("SELECT * FROM cases WHERE id = ?", [int(reference)]).fetchone()
    if row is None and UUID_PREFIX.fullmatch(reference.lower()):
        rows = conn.execute(
            "SELECT * FROM cases WHERE uuid >= ? AND uuid < ? LIMIT 2", [reference.lower(), reference.lower() + "g"]
        ).fetchall()
        if len(rows) > 1:
            raise InvalidInput(_("{ref!r} matches more than one case; give more of the UUID").format(ref=reference))
        row = rows[0] if rows else None
    if row is None:
        raise NoSuchCase(
            _("no case {ref!r} in this caseload; `lingkaran list --all` shows every case").format(ref=reference)
        )
    return dict(row)


def case_ref(case: dict) -> CaseRef:
    """The ids an event needs from a case record."""
    return CaseRef(case["id"], case["uuid"])


def case_state(conn: sqlite3.Connection, case: dict) -> CaseState:
    """What the cycle's rules need to know about a case, counted for its current cycle."""
    counts = conn.execute(
        """SELECT
             (SELECT count(*) FROM assessments WHERE case_id = :id AND cycle = :cycle),
             (SELECT count(*) FROM goals WHERE case_id = :id AND status = 'open'),
             (SELECT count(*) FROM activities WHERE case_id = :id AND cycle = :cycle
               AND recorded_as IS NOT 'contact'),  -- a `contact` is not intervention
             (SELECT count(*) FROM evaluations WHERE case_id = :id AND cycle = :cycle),
             -- whether the cycle's latest assessment or evaluation (by date, then as entered) decided reassess
             (SELECT kind = 'evaluate' AND json_extract(data, '$.decision') = 'reassess' FROM events
               WHERE case_id = :id AND cycle = :cycle AND kind IN ('assess', 'evaluate')
               ORDER BY occurred_on DESC, id DESC LIMIT 1)""",
        {"id": case["id"], "cycle": case["cycle"]},
    ).fetchone()
    assessments, open_goals, interventions, evaluations, reassess = counts
    return CaseState(
        case["id"],
        case["status"],
        case["phase"],
        case["cycle"],
        assessments,
        open_goals,
        interventions,
        evaluations,
        close_reason=case["close_reason"],
        reassessment_due=bool(reassess),
    )


def cycle_span(conn: sqlite3.Connection, case_id: int, cycle: int, kinds: tuple[str, ...]) -> tuple[str, str]:
    """The dates of the first and the latest step (events of `kinds`) of one cycle of a case."""
    marks = ", ".join("?" * len(kinds))
    row = conn.execute(
        f"SELECT min(occurred_on), max(occurred_on) FROM events WHERE case_id = ? AND cycle = ? AND kind IN ({marks})",
        [case_id, cycle, *kinds],
    ).fetchone()
    return row[0], row[1]


def touch_case(conn: sqlite3.Connection, case: dict, values: dict, at: str | None = None) -> None:
    """Update a case's own columns and stamp when it last changed (`at`: the instant of its event)."""
    update(conn, "cases", case["id"], {**values, "updated_at": at or now_utc()})


def goals(conn: sqlite3.Connection, case_id: int) -> list[dict]:
    """A case's goals by number."""
    rows = conn.execute("SELECT * FROM goals WHERE case_id = ? ORDER BY number", [case_id])
    return [as_dict(row) for row in rows]


def goals_by_case(conn: sqlite3.Connection, case_ids: list[int]) -> dict[int, list[dict]]:
    """The goals of many cases at once, grouped by case id."""
    grouped: dict[int, list[dict]] = {case_id: [] for case_id in case_ids}
    if case_ids:
        rows = conn.execute(
            "SELECT * FROM goals WHERE case_id IN (SELECT value FROM json_each(?)) ORDER BY case_id, number",
            [json.dumps(case_ids)],
        )
        for row in rows:
            grouped[row["case_id"]].append(as_dict(row))
    return grouped


def latest_observation_on(conn: sqlite3.Connection, goal_id: int) -> str | None:
    """The date of a goal's newest observed level (monitor or evaluate), or None before any."""
    return conn.execute("SELECT max(observed_on) FROM goal_levels WHERE goal_id = ?", [goal_id]).fetchone()[0]


def last_id(conn: sqlite3.Connection, table: str) -> int:
    """The highest id a table has given so far (0 when empty): rows above it are the ones added after."""
    return conn.execute(f"SELECT coalesce(max(id), 0) FROM [{table}]").fetchone()[0]


def newest_observation(goal_id: str, column: str) -> str:
    """SQL for a column of the newest observed level of the goal `goal_id` names, as casework keeps a goal's latest
    level (gas.is_newest_observation: by date, on one day the later entry)."""
    return (
        f"(SELECT l.{column} FROM goal_levels l WHERE l.goal_id = {goal_id} "
        "ORDER BY l.observed_on DESC, l.id DESC LIMIT 1)"
    )


def refresh_latest_levels(conn: sqlite3.Connection, observed_after: int) -> int:
    """Give each goal that got observed levels with an id above `observed_after` (an import) the level of its
    newest observation; returns how many goals changed."""
    newest = newest_observation("goals.id", "level")
    return conn.execute(
        f"UPDATE goals SET latest_level = {newest} WHERE latest_level IS NOT {newest} "
        "AND id IN (SELECT goal_id FROM goal_levels WHERE id > ?)",
        [observed_after],
    ).rowcount


def next_goal_number(conn: sqlite3.Connection, case_id: int) -> int:
    """The number the next new goal of a case gets."""
    return conn.execute("SELECT coalesce(max(number), 0) + 1 FROM goals WHERE case_id = ?", [case_id]).fetchone()[0]


def assessments(conn: sqlite3.Connection, case_id: int, limit: int = 2, rated_only: bool = False) -> list[dict]:
    """The latest assessments of a case, newest first, each with its domain ratings (`rated_only`: only those
    that rated a domain)."""
    rated = " AND EXISTS (SELECT 1 FROM ratings WHERE assessment_id = assessments.id)" if rated_only else ""
    rows = conn.execute(
        f"SELECT * FROM assessments WHERE case_id = ?{rated} ORDER BY assessed_on DESC, id DESC LIMIT ?",
        [case_id, limit],
    ).fetchall()
    found = [as_dict(row) for row in rows]
    for assessment in found:
        ratings = conn.execute(
            "SELECT domain, score FROM ratings WHERE assessment_id = ? ORDER BY id", [assessment["id"]]
        )
        assessment["ratings"] = {row["domain"]: row["score"] for row in ratings}
    return found


def domain_ratings(conn: sqlite3.Connection, case_id: int) -> list[dict]:
    """Every domain rating of a case with its date and whose it is (the member's name; None: the client or the
    client system as a whole), oldest first, as entered on one day."""
    rows = conn.execute(
        "SELECT r.domain, r.score, a.assessed_on, a.member_id, m.name AS member FROM ratings r "
        "JOIN assessments a ON a.id = r.assessment_id LEFT JOIN members m ON m.id = a.member_id "
        "WHERE a.case_id = ? ORDER BY a.assessed_on, a.id, r.id",
        [case_id],
    )
    return [dict(row) for row in rows]


def latest_risk(conn: sqlite3.Connection, case_id: int) -> dict | None:
    """The risk level of the latest assessment that recorded one, with its date (None if none did)."""
    row = conn.execute(
        "SELECT risk, assessed_on FROM assessments WHERE case_id = ? AND risk IS NOT NULL "
        "ORDER BY assessed_on DESC, id DESC LIMIT 1",
        [case_id],
    ).fetchone()
    return dict(row) if row else None


def activities(conn: sqlite3.Connection, case_id: int, limit: int = 5) -> list[dict]:
    """A case's most recent activities, newest first."""
    rows = conn.execute(
        "SELECT * FROM activities WHERE case_id = ? ORDER BY occurred_on DESC, id DESC LIMIT ?", [case_id, limit]
    )
    return [as_dict(row) for row in rows]


def latest(conn: sqlite3.Connection, table: str, case_id: int, date_column: str) -> dict | None:
    """The most recent record of one kind (evaluation, termination, …) for a case."""
    row = conn.execute(
        f"SELECT * FROM {table} WHERE case_id = ? ORDER BY {date_column} DESC, id DESC LIMIT 1", [case_id]
    ).fetchone()
    return as_dict(row)


def list_cases(conn: sqlite3.Connection, *, include_closed: bool, phase: str | None, level: str | None) -> list[dict]:
    """Cases for the caseload list: active ones unless `include_closed`, optionally one phase or level."""
    return list(iter_cases(conn, include_closed=include_closed, phase=phase, level=level))


def iter_cases(
    conn: sqlite3.Connection, *, include_closed: bool, phase: str | None, level: str | None
) -> Iterator[dict]:
    """The same cases as `list_cases`, one at a time as SQLite returns them (constant memory)."""
    where, params = _case_filter(include_closed, phase, level)
    for row in conn.execute(f"SELECT * FROM cases {where} ORDER BY id", params):
        yield dict(row)


def case_json_texts(
    conn: sqlite3.Connection,
    case_fields: tuple[str, ...],
    goal_fields: tuple[str, ...],
    *,
    include_closed: bool,
    phase: str | None,
    level: str | None,
) -> Iterator[str]:
    """Each case with its goals as one JSON object, encoded by SQLite itself (several times faster than
    building dicts and json.dumps for an agency's caseload): the fields named, flags as true/false, JSON
    columns as JSON, goals by number under "goals"."""
    where, params = _case_filter(include_closed, phase, level)
    goal_object = _json_object(goal_fields, "goal")
    sql = (
        f"SELECT json_object({_json_pairs(case_fields, 'cases')}, "
        f"'erased', json(CASE WHEN {ERASED_SQL} THEN 'true' ELSE 'false' END), 'goals', "
        f"(SELECT json_group_array({goal_object}) FROM "
        f"(SELECT * FROM goals WHERE case_id = cases.id ORDER BY number) AS goal), 'members', {MEMBERS_SQL}, "
        f"'conflicts', {CONFLICTS_SQL}) "
        f"FROM cases {where} ORDER BY id"
    )
    for (text,) in conn.execute(sql, params):
        yield text


BOOLEAN_COLUMNS = ("consent",)
# Per-case flags the caseload shows, as correlated subqueries on indexed columns.
ERASED_SQL = "EXISTS (SELECT 1 FROM events WHERE events.case_id = cases.id AND events.kind = 'forget')"
MEMBERS_SQL = "(SELECT count(*) FROM members WHERE members.case_id = cases.id AND members.removed_on IS NULL)"
CONFLICTS_SQL = "(SELECT count(*) FROM conflicts WHERE conflicts.case_id = cases.id)"  # open ones and reviews


def caseload_rows(
    conn: sqlite3.Connection, columns: tuple[str, ...], *, include_closed: bool, phase: str | None, level: str | None
) -> Iterator[dict]:
    """The named columns of each listed case plus `consent`, `erased` and `members`, one case at a time."""
    where, params = _case_filter(include_closed, phase, level)
    sql = (
        f"SELECT {', '.join(columns)}, consent, {ERASED_SQL} AS erased, {MEMBERS_SQL} AS members "
        f"FROM cases {where} ORDER BY id"
    )
    for row in conn.execute(sql, params):
        yield dict(row)


def _json_pairs(fields: tuple[str, ...], table: str) -> str:
    def value(field: str) -> str:
        if field in BOOLEAN_COLUMNS:
            return f"json(CASE WHEN {table}.{field} THEN 'true' ELSE 'false' END)"
        if field in JSON_COLUMNS:
            return f"json({table}.{field})"
        return f"{table}.{field}"

    return ", ".join(f"'{field}', {value(field)}" for field in fields)


def _json_object(fields: tuple[str, ...], table: str) -> str:
    return f"json_object({_json_pairs(fields, table)})"


# A case handed over to a colleague and dropped here (store/hub_state.py) is no longer in the caseload's lists.
HELD_HERE = "uuid NOT IN (SELECT case_uuid FROM handed_over)"


def _case_filter(include_closed: bool, phase: str | None, level: str | None) -> tuple[str, list]:
    """The WHERE clause of the caseload list and its parameters."""
    clauses, params = [HELD_HERE], []
    if not include_closed:
        clauses.append("status = 'active'")
    if phase:
        clauses.append("phase = ?")
        params.append(phase)
    if level:
        clauses.append("level = ?")
        params.append(level)
    return (f"WHERE {' AND '.join(clauses)}" if clauses else ""), params
