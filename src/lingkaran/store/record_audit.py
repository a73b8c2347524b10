"""`check`'s comparison of the records with the events that wrote them.

The hash chain proves the event log was not edited; the records `show` and `report` print are only as good as
their agreement with it. Every record a command writes has an event holding the same content, so a record
edited behind lingkaran's back (with a SQLite tool), a record added without its event (a planted row, or an
import cut short) and a record removed while its event stays are all visible here. Erased cases are left out:
their events no longer hold the content to compare with. The records are measured only against a log whose
chain verifies and links that hold: anything else is the audit's or the foreign keys' finding, and comparing
with it would only repeat that.
"""

import itertools
import json
import sqlite3
from collections.abc import Iterator

from lingkaran.domain.event_records import AMENDABLE, OCCURRED, RECORDED, Recorded, comparable
from lingkaran.messages import _
from lingkaran.store.erasure import ERASED_DATA
from lingkaran.store.records import JSON_COLUMNS

Corrections = dict[tuple[str, str], dict[str, object]]
NOT_ERASED = "NOT EXISTS (SELECT 1 FROM events f WHERE f.case_id = {case} AND f.kind = 'forget')"


def record_findings(conn: sqlite3.Connection, shown: int = 20) -> list[dict]:
    """Records that differ from the latest content of their events, records without the event that wrote
    them, events whose record is gone, cases opened twice: the first few."""
    corrections, goals = _corrections(conn), _planned_goals(conn)
    rules = _stored_value_rules(conn)
    found = itertools.chain(
        *(_differences(conn, kind, recorded, corrections, rules) for kind, recorded in RECORDED.items()),
        _goal_differences(conn, goals, rules),
        *(_without_event(conn, table) for table in dict.fromkeys(r.table for r in RECORDED.values() if r.always)),
        _opened_twice(conn),
    )
    return list(itertools.islice(found, shown))


def _finding(message: str, **details: object) -> dict:
    return {"check": "records", "message": message, **details}


def _events(
    conn: sqlite3.Connection, kind: str, joined: str = "", extra: str = "", condition: str = ""
) -> Iterator[tuple]:
    """The events of one kind that still hold their content, oldest first: (uuid, case_id, date, data, *extra),
    the extra columns from a `joined` table, and only those meeting `condition` if given."""
    cursor = conn.execute(
        f"SELECT e.uuid, e.case_id, e.occurred_on, e.data{extra} FROM events e {joined} "
        f"WHERE e.kind = ? AND e.data != ? AND json_valid(e.data) {condition} ORDER BY e.id",
        [kind, ERASED_DATA],
    )
    for uuid, case_id, occurred_on, text, *rest in cursor:
        try:
            data = json.loads(text)
        except RecursionError:  # nested ~1,000 deep: the audit of the chain says the content is not readable
            continue
        if isinstance(data, dict):
            yield uuid, case_id, occurred_on, data, *rest


def _data(key: str, alias: str = "e") -> str:
    """SQL for one key of an event's data (the events are only compared once the audit read every one as JSON,
    and the queries keep to those SQLite reads as JSON too)."""
    return f"json_extract({alias}.data, '$.\"{key}\"')"


def _corrections(conn: sqlite3.Connection) -> Corrections:
    """The latest corrected text of each corrected record: (table, record uuid) → {column: text}."""
    found: Corrections = {}
    for _uuid, _case, _on, data in _events(conn, "amend"):
        target = AMENDABLE.get(data.get("amends_kind"))
        if target and isinstance(data.get("record_uuid"), str) and "note" in data:
            found.setdefault((target[0], data["record_uuid"]), {})[target[2]] = data["note"]
    return found


def _stored_value_rules(conn: sqlite3.Connection) -> dict[str, dict]:
    """Each record table's column rules: a value that breaks its rule is a `values` finding, not repeated here."""
    from lingkaran.domain import record_rules
    from lingkaran.store import tables

    return {
        table.name: {
            column: record_rules.column_check(table.name, column, table.types[column]) for column in table.columns
        }
        for table in tables.record_tables(conn)
    }


def _stored(column: str, value: object) -> object:
    if column in JSON_COLUMNS and isinstance(value, str):
        try:
            return json.loads(value)
        except (ValueError, RecursionError):  # RecursionError: nested ~1,000 deep, past Python's parser
            return value
    return value


def _differences(
    conn: sqlite3.Connection, kind: str, recorded: Recorded, corrections: Corrections, rules: dict[str, dict]
) -> Iterator[dict]:
    """Each record of one kind of event that is gone or holds other content than its events recorded."""
    if recorded.table not in rules:
        return
    columns = [column for column in recorded.columns if column in rules[recorded.table]]
    match = "t.id = e.case_id" if recorded.uuid_key is None else f"t.uuid = {_data(recorded.uuid_key)}"
    joined = f"LEFT JOIN [{recorded.table}] t ON {match}"
    extra = ", t.id, t.uuid" + "".join(f", t.[{column}]" for column in columns)
    # SQLite passes over the records equal to their events as stored; the rest are compared here, with blanks
    # alike and corrections applied (hundreds of thousands of activities take a second this way, not ten)
    same = " AND ".join(f"{_as_json(column)} IS {_expected_sql(recorded.columns[column])}" for column in columns)
    condition = f"AND (t.id IS NULL OR NOT ({same or 1}))"
    for event_uuid, _case, occurred_on, data, row_id, record_uuid, *stored in _events(
        conn, kind, joined, extra, condition
    ):
        if recorded.uuid_key is not None and not data.get(recorded.uuid_key):
            continue  # an event that does not name its record (anonymised, or from before the key existed)
        if row_id is None:
            yield _finding(
                _("event {event} ({kind}) wrote a {table} record that is no longer there").format(
                    event=event_uuid, kind=kind, table=recorded.table
                ),
                table=recorded.table,
                event_uuid=event_uuid,
            )
            continue
        expected = {
            column: occurred_on if key == OCCURRED else data[key]
            for column, key in recorded.columns.items()
            if column in columns and key in (OCCURRED, *data)
        }
        expected.update(corrections.get((recorded.table, record_uuid), {}))
        column = _first_difference(recorded.table, expected, dict(zip(columns, stored, strict=False)), rules)
        if column is not None:
            yield _differs(recorded.table, row_id, column, event_uuid)


def _first_difference(table: str, expected: dict, stored: dict, rules: dict[str, dict]) -> str | None:
    """The first column whose stored value is not the expected one (values no command would store aside)."""
    for column, value in expected.items():
        actual = _stored(column, stored.get(column))
        rule = rules[table].get(column)
        if actual is not None and rule and not rule(actual):
            continue
        if comparable(value) != comparable(actual):
            return column
    return None


def _differs(table: str, row_id: int, column: str, event_uuid: str) -> dict:
    return _finding(
        _(
            "{table} row {row}: {column} is not what its events recorded (event {event}); it was "
            "changed outside lingkaran"
        ).format(table=table, row=row_id, column=column, event=event_uuid),
        table=table,
        row=row_id,
        event_uuid=event_uuid,
    )


def _planned_goals(conn: sqlite3.Connection) -> dict[str, tuple[str, dict]]:
    """What the plans recorded of each goal: goal uuid → (the plan event, {column: value}), revisions included."""
    goals: dict[str, tuple[str, dict]] = {}
    numbered: dict[tuple[int, str], str] = {}
    for event_uuid, case_id, occurred_on, data in _events(conn, "plan"):
        for added in data.get("added") or ():
            if isinstance(added, dict) and isinstance(added.get("uuid"), str):
                goals[added["uuid"]] = (event_uuid, {"text": added.get("text"), "set_on": occurred_on})
                numbered[(case_id, str(added.get("number")))] = added["uuid"]
        for number, changes in (data.get("changed") or {}).items():
            uuid = numbered.get((case_id, number))
            if uuid in goals and isinstance(changes, dict):
                goals[uuid][1].update(
                    {
                        column: value
                        for column, value in changes.items()
                        if column in ("text", "weight", "target_on", "scale")
                    }
                )
    return goals


def _goal_differences(
    conn: sqlite3.Connection, goals: dict[str, tuple[str, dict]], rules: dict[str, dict]
) -> Iterator[dict]:
    if "goals" not in rules:
        return
    for row_id, uuid, *stored in conn.execute(
        "SELECT id, uuid, text, set_on, weight, target_on, scale FROM goals ORDER BY id"
    ):
        if uuid not in goals:
            continue
        event_uuid, expected = goals[uuid]
        column = _first_difference(
            "goals",
            expected,
            dict(zip(("text", "set_on", "weight", "target_on", "scale"), stored, strict=False)),
            rules,
        )
        if column is not None:
            yield _differs("goals", row_id, column, event_uuid)


def _expected_sql(key: str) -> str:
    return "e.occurred_on" if key == OCCURRED else _data(key)


def _as_json(column: str) -> str:
    """SQL for a record's column as json_extract gives the same value from an event (JSON columns minified)."""
    if column in JSON_COLUMNS:
        return f"(CASE WHEN json_valid(t.[{column}]) THEN json(t.[{column}]) ELSE t.[{column}] END)"
    return f"t.[{column}]"


def _without_event(conn: sqlite3.Connection, table: str) -> Iterator[dict]:
    """Records no event wrote (added with a SQLite tool, or left by an import cut short): erased cases aside."""
    kinds = [kind for kind, recorded in RECORDED.items() if recorded.table == table]
    marks = ", ".join("?" * len(kinds))
    if table == "cases":
        written, case = (
            f"t.id NOT IN (SELECT case_id FROM events WHERE kind IN ({marks}) AND case_id IS NOT NULL)",
            "t.id",
        )
    else:
        key = _data(RECORDED[kinds[0]].uuid_key or "uuid", alias="w")
        written = (
            f"t.uuid NOT IN (SELECT coalesce({key}, '') FROM events w WHERE w.kind IN ({marks}) "
            "AND json_valid(w.data))"
        )  # coalesce: one NULL in a NOT IN list would hide every record
        case = "t.case_id"
    rows = conn.execute(
        f"SELECT t.id FROM [{table}] t WHERE {written} AND {NOT_ERASED.format(case=case)} ORDER BY t.id", kinds
    )
    for (row_id,) in rows:
        yield _finding(
            _(
                "{table} row {row} has no `{kind}` event: it was added outside lingkaran, or an import was cut short"
            ).format(table=table, row=row_id, kind=kinds[0]),
            table=table,
            row=row_id,
        )


def _opened_twice(conn: sqlite3.Connection) -> Iterator[dict]:
    """A case has one `open` event; a second one (a forged import) would rewrite how it began."""
    rows = conn.execute(
        "SELECT case_id FROM events WHERE kind = 'open' AND case_id IS NOT NULL GROUP BY case_id "
        "HAVING count(*) > 1 ORDER BY case_id"
    )
    for (case_id,) in rows:
        yield _finding(_("case {case} has more than one `open` event").format(case=case_id), table="cases", row=case_id)
