"""The SQL of the projection: a case's events read for replay, and its rows brought to what the replay gave.

Rows are matched by UUID, so a row that stays keeps its local id (the numbers people type: a member's, a
referral's) and only what differs is written; rows the events no longer give are deleted. A case's rows are
found through foreign keys from `cases`, as erasure finds them (a link belongs to the case that is part of
the other: its `link` event is on that case).
"""

import json
import sqlite3
from collections.abc import Iterator
from typing import Any

from lingkaran.store import tables
from lingkaran.store.records import JSON_COLUMNS, json_text
from lingkaran.store.sqlite import stored_json

OWNER_COLUMN = {"case_links": "child_id"}
KEEP = "\x00keep"  # a value the events do not carry: the row keeps what it holds (None for a new row)
EVENT_COLUMNS = ("id", "uuid", "kind", "phase", "cycle", "occurred_on", "recorded_at", "data")
ORDERING_COLUMNS = ("device", "seq", "clock", "parents", "author")  # present once events carry them


def case_events(conn: sqlite3.Connection, case_id: int) -> list[dict]:
    """A case's events in the order this file recorded them, `data` (and `parents`) decoded."""
    present = {row[1] for row in conn.execute("PRAGMA table_info(events)")}
    columns = [*EVENT_COLUMNS, *(column for column in ORDERING_COLUMNS if column in present)]
    case_uuid = conn.execute("SELECT uuid FROM cases WHERE id = ?", [case_id]).fetchone()[0]
    rows = conn.execute(f"SELECT {', '.join(columns)} FROM events WHERE case_id = ? ORDER BY id", [case_id])
    found = []
    for row in rows:
        event = {**dict(zip(columns, row, strict=False)), "case_uuid": case_uuid, "data": stored_json(row[7])}
        if isinstance(event.get("parents"), str):
            event["parents"] = stored_json(event["parents"])
        found.append(event)
    return found


def goal_numbers(conn: sqlite3.Connection, case_id: int) -> dict[str, int]:
    """Each goal's number by its uuid."""
    return dict(conn.execute("SELECT uuid, number FROM goals WHERE case_id = ?", [case_id]).fetchall())


def referral_numbers(conn: sqlite3.Connection, case_id: int) -> dict[str, int]:
    """Each referral's number (its local id) by its uuid."""
    return dict(conn.execute("SELECT uuid, id FROM referrals WHERE case_id = ?", [case_id]).fetchall())


def conflict_codes(conn: sqlite3.Connection, case_id: int) -> list[str]:
    """The codes of a case's open conflicts and reviews (none before the conflicts table exists)."""
    if not _has_table(conn, "conflicts"):
        return []
    return [row[0] for row in conn.execute("SELECT code FROM conflicts WHERE case_id = ?", [case_id])]


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [name]).fetchone() is not None


def owned_tables(conn: sqlite3.Connection, names: tuple[str, ...]) -> list[tuple[tables.Table, str]]:
    """The named record tables, parents first, each with the condition (on alias `t`, parameter `:case_id`)
    that picks one case's rows."""
    conditions: dict[str, str] = {}
    found = []
    for table in tables.record_tables(conn):
        if table.name not in names:
            continue
        conditions[table.name] = _owner_condition(table, conditions)
        found.append((table, conditions[table.name]))
    return found


def _owner_condition(table: tables.Table, known: dict[str, str]) -> str:
    if table.name == "cases":
        return "t.id = :case_id"
    if table.name in OWNER_COLUMN:
        return f"t.[{OWNER_COLUMN[table.name]}] = :case_id"
    if table.references.get("case_id") == "cases":
        return "t.case_id = :case_id"
    column, parent = next((column, parent) for column, parent in table.references.items() if parent in known)
    return f"t.[{column}] IN (SELECT t.id FROM [{parent}] t WHERE {known[parent]})"


def save(conn: sqlite3.Connection, projected, case_id: int | None) -> int:
    """Bring a case's rows to the projection's (`projection.Projection`): update, insert, then delete. Without
    `case_id` the case is new here; returns its id."""
    conn.execute("PRAGMA defer_foreign_keys = ON")  # rows go before the rows they point at are rewritten
    owned = owned_tables(conn, tuple(projected.rows) + ("cases",))
    ids: dict[tuple[str, str], int] = {}
    existing = {table.name: _existing(conn, table, condition, case_id, ids) for table, condition in owned}
    cases_table = next(table for table, _condition in owned if table.name == "cases")
    _write_row(conn, cases_table, projected.case, existing["cases"].get(projected.case["uuid"]), ids)
    case_id = ids[("cases", projected.case["uuid"])]
    records = [table for table, _condition in owned if table.name != "cases"]
    _in_replay_order(conn, records, existing, projected.rows, ids)
    for table in reversed(records):  # first, so a row the events give again under another uuid can take its place
        _delete(
            conn,
            table,
            [row["id"] for uuid, row in existing[table.name].items() if uuid not in projected.rows[table.name]],
        )
    _free_goal_numbers(conn, projected.rows.get("goals", {}), existing.get("goals", {}))
    for table in records:
        for row in projected.rows[table.name].values():
            _write_row(conn, table, row, existing[table.name].get(row["uuid"]), ids)
    _save_conflicts(conn, case_id, projected)
    return case_id


UNCOMPARED = ("updated_at", "latest_level")


def differences(conn: sqlite3.Connection, projected, case_id: int) -> Iterator[tuple[str, int | None, str]]:
    """What `save` would change in a case's rows, changing nothing: (table, row id, column) of each value no
    event wrote, (table, None, uuid) of each row the events wrote that is gone, (table, row id, "") of each row
    none wrote. Left out: `updated_at` (the case's events stamp it, but older caseloads stamped it a moment
    before the event, and no view shows it), a goal's `latest_level` (`check`'s own finding, "levels", since an
    import of observations made elsewhere can leave it stale), and rows that point at what is not here (a link
    to a family case this file does not hold), which `save` leaves out too."""
    owned = owned_tables(conn, tuple(projected.rows) + ("cases",))
    ids: dict[tuple[str, str], int] = {}
    existing = {table.name: _existing(conn, table, condition, case_id, ids) for table, condition in owned}
    for table, _condition in owned:
        wanted = {projected.case["uuid"]: projected.case} if table.name == "cases" else projected.rows[table.name]
        for uuid, row in wanted.items():
            here, values = existing[table.name].get(uuid), _stored(conn, table, row, ids)
            if values is None:
                continue
            if here is None:
                yield table.name, None, uuid
                continue
            changed = _changed(values, here, UNCOMPARED)
            if changed:
                yield table.name, here["id"], next(iter(changed))
        for uuid, here in existing[table.name].items():
            if uuid not in wanted:
                yield table.name, here["id"], ""


def _delete(conn: sqlite3.Connection, table: tables.Table, row_ids: list[int]) -> None:
    conn.executemany(f"DELETE FROM [{table.name}] WHERE id = ?", [[row_id] for row_id in row_ids])


def _in_replay_order(
    conn: sqlite3.Connection,
    records: list[tables.Table],
    existing: dict[str, dict],
    projected: dict[str, dict],
    ids: dict[tuple[str, str], int],
) -> None:
    """Lists break ties between rows of one day by local id (the later entry last), so a case's rows must have
    ids in replay order on every copy: when a merge put another copy's rows between this one's, the case's rows
    of that table are written again, in replay order, with the rows that point at them (their parents' ids
    change); the case keeps its number, and a referral whose number changes is reported by the rebuild, as a
    goal's is. Only those tables: two laptops' notes of one day rewrote every record of the case before."""
    rewritten = {table.name for table in records if not _follows_replay(existing[table.name], projected[table.name])}
    while grown := {
        table.name
        for table in records
        if table.name not in rewritten and rewritten.intersection(table.references.values())
    }:
        rewritten |= grown
    for table in reversed(records):  # children first: ratings before their assessment
        if table.name not in rewritten:
            continue
        _delete(conn, table, [row["id"] for row in existing[table.name].values()])
        for uuid in existing[table.name]:
            ids.pop((table.name, uuid), None)
        existing[table.name] = {}


def _follows_replay(existing: dict[str, dict], projected: dict[str, dict]) -> bool:
    """Whether the rows already here come first in replay order, in the order of their ids."""
    kept = [uuid for uuid in existing if uuid in projected]
    return list(projected)[: len(kept)] == kept


def _existing(
    conn: sqlite3.Connection,
    table: tables.Table,
    condition: str,
    case_id: int | None,
    ids: dict[tuple[str, str], int],
) -> dict[str, dict]:
    rows = conn.execute(f"SELECT * FROM [{table.name}] t WHERE {condition} ORDER BY t.id", {"case_id": case_id})
    found = {row["uuid"]: dict(row) for row in rows}
    for uuid, row in found.items():
        ids[(table.name, uuid)] = row["id"]
    return found


def _free_goal_numbers(conn: sqlite3.Connection, goals: dict[str, dict], existing: dict[str, dict]) -> None:
    """Goals about to take another number first give theirs up (the numbers are unique within a case)."""
    moving = [
        [-row["id"], row["id"]]
        for uuid, row in existing.items()
        if uuid not in goals or goals[uuid]["number"] != row["number"]
    ]
    conn.executemany("UPDATE goals SET number = ? WHERE id = ?", moving)


def _write_row(
    conn: sqlite3.Connection, table: tables.Table, row: dict, existing: dict | None, ids: dict[tuple[str, str], int]
) -> None:
    """Insert a projected row, or update what differs in the row with its uuid."""
    values = _stored(conn, table, row, ids)
    if values is None:
        return
    if existing is None:
        values = {column: None if value == KEEP else value for column, value in values.items()}
        cursor = conn.execute(
            f"INSERT INTO [{table.name}] ({', '.join(f'[{c}]' for c in values)}) "
            f"VALUES ({', '.join('?' * len(values))})",
            list(values.values()),
        )
        ids[(table.name, row["uuid"])] = cursor.lastrowid or 0  # always set after an INSERT
        return
    changed = _changed(values, existing)
    if changed:
        conn.execute(
            f"UPDATE [{table.name}] SET {', '.join(f'[{c}] = ?' for c in changed)} WHERE id = ?",
            [*changed.values(), existing["id"]],
        )


def _changed(values: dict, existing: dict, uncompared: tuple[str, ...] = ()) -> dict:
    """The projected values that differ from the row here (a value the projection keeps as it is left out)."""
    return {
        column: value
        for column, value in values.items()
        if column not in uncompared and value != KEEP and not _same_value(column, value, existing[column])
    }


def _stored(conn: sqlite3.Connection, table: tables.Table, row: dict, ids: dict[tuple[str, str], int]) -> dict | None:
    """A projected row as the table stores it: references as this file's ids, JSON as text; None when a
    reference it cannot do without is not here (a family case this file does not hold)."""
    values = {}
    for column in table.columns:
        value = row.get(column)
        if column in table.references and value is not None:
            parent = table.references[column]
            value = ids.get((parent, value)) or (tables.local_id(conn, parent, value) if parent == "cases" else None)
            if value is None and column in table.not_null:
                return None
        elif isinstance(value, list | dict):
            value = json_text(value)
        values[column] = value
    return values


def _same_value(column: str, value: Any, stored: Any) -> bool:
    if column in JSON_COLUMNS and value is not None and stored is not None:
        return json.loads(value) == stored_json(stored)
    return value == stored


def _save_conflicts(conn: sqlite3.Connection, case_id: int, projected) -> None:
    """The case's open conflicts and reviews, as the replay found them (derived: never exported)."""
    if not _has_table(conn, "conflicts"):
        return
    conn.execute("DELETE FROM conflicts WHERE case_id = ?", [case_id])
    rows = [
        [item["code"], case_id, "value", json_text(item["fact"]), json_text(item["sides"])]
        for item in projected.conflicts
    ]
    rows += [
        [item["code"], case_id, "review", json_text(["review", item["cycle"]]), json_text(item["events"])]
        for item in projected.reviews
    ]
    conn.executemany("INSERT INTO conflicts (code, case_id, kind, fact, sides) VALUES (?, ?, ?, ?, ?)", rows)


def snapshot(conn: sqlite3.Connection, case_id: int, names: tuple[str, ...]) -> dict[str, list[dict]]:
    """A case's rows without local ids: references as the UUIDs they point at, JSON decoded, sorted by uuid
    (what a rebuild must give back, and what two merged copies must agree on)."""
    found = {}
    for table, condition in owned_tables(conn, names):
        rows = conn.execute(f"SELECT * FROM [{table.name}] t WHERE {condition} ORDER BY t.uuid", {"case_id": case_id})
        found[table.name] = [dict(_portable(conn, table, dict(row))) for row in rows]
    return found


def _portable(conn: sqlite3.Connection, table: tables.Table, row: dict) -> Iterator[tuple[str, object]]:
    for column in table.columns:
        value = row[column]
        if column in table.references and value is not None:
            value = conn.execute(f"SELECT uuid FROM [{table.references[column]}] WHERE id = ?", [value]).fetchone()[0]
        elif column in JSON_COLUMNS and value is not None:
            value = stored_json(value)
        yield column, value


def conflict_rows(conn: sqlite3.Connection, case_id: int | None = None) -> list[dict]:
    """Open conflicts and reviews of the cases not erased (one case's with `case_id`), case by case, as found;
    `fact` and `sides` decoded."""
    from lingkaran.store.erasure import NOT_ERASED

    one_case = "AND x.case_id = :case " if case_id is not None else ""  # searched by its index, not scanned
    rows = conn.execute(
        "SELECT x.code, x.case_id, c.uuid AS case_uuid, c.client, x.kind, x.fact, x.sides FROM conflicts x "
        f"JOIN cases c ON c.id = x.case_id WHERE {NOT_ERASED} {one_case}ORDER BY x.case_id, x.id",
        {"case": case_id},
    )
    return [{**dict(row), "fact": stored_json(row["fact"]), "sides": stored_json(row["sides"] or "[]")} for row in rows]


def find_conflict(conn: sqlite3.Connection, reference: str) -> dict | None:
    """The open conflict or review whose code starts with `reference` (None: none or more than one)."""
    prefix = reference.strip().lower()
    found = [row for row in conflict_rows(conn) if row["code"].startswith(prefix)] if len(prefix) >= 4 else []
    return found[0] if len(found) == 1 else None


def conflict_counts(conn: sqlite3.Connection, case_ids: list[int]) -> dict[int, int]:
    """How many open conflicts and reviews each of the cases has (cases with none are left out)."""
    return dict(
        conn.execute(
            "SELECT case_id, count(*) FROM conflicts WHERE case_id IN (SELECT value FROM "
            "json_each(?)) GROUP BY case_id",
            [json.dumps(case_ids)],
        ).fetchall()
    )


def adopt_derived_uuids(conn: sqlite3.Connection) -> None:
    """Ratings and the consent recorded at a case's opening, to which an older lingkaran gave random UUIDs,
    take the UUIDs commands now derive from their parent record (events.derived_uuid), so rebuilding an older
    case from its events changes none of its rows (erased cases keep theirs: they are never rebuilt)."""
    from lingkaran.store.events import derived_uuid

    ratings = [
        [derived_uuid(assessment_uuid, domain), rating_id]
        for rating_id, assessment_uuid, domain in conn.execute(
            "SELECT r.id, a.uuid, r.domain FROM ratings r JOIN assessments a ON a.id = r.assessment_id"
        )
    ]
    # the consent at opening: the earliest decision of a case that no `consent` event recorded
    openings = [
        [derived_uuid(case_uuid, "consent"), consent_id]
        for case_uuid, consent_id in conn.execute(
            "SELECT c.uuid, min(k.id) FROM consents k JOIN cases c ON c.id = k.case_id WHERE k.given = 1 "
            "AND k.uuid NOT IN (SELECT json_extract(data, '$.consent_uuid') FROM events WHERE kind = 'consent' "
            "AND json_extract(data, '$.consent_uuid') IS NOT NULL) "
            "AND c.id NOT IN (SELECT case_id FROM events WHERE kind = 'forget' AND case_id IS NOT NULL) GROUP BY c.id"
        )
    ]
    conn.executemany("UPDATE ratings SET uuid = ? WHERE id = ?", ratings)
    conn.executemany("UPDATE consents SET uuid = ? WHERE id = ?", openings)
