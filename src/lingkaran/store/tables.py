"""The SQL of export and import, driven by the schema so every record table is covered, also ones added later.

A record table is any table with an integer `id` and a `uuid` (the event log aside). Its integer foreign keys
(`PRAGMA foreign_key_list`) leave the file as the referenced record's UUID, under the column's name with `_id`
replaced by `_uuid` (`case_id` → `case_uuid`); import maps them back to this file's ids.
"""

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from lingkaran.store.records import JSON_COLUMNS

# Tables whose local integer id leaves an export too, as "number", for information only: import never keeps
# it (a case gets the next number free where it arrives) but says which number a case had where it came from.
NUMBERED = ("cases",)
EVENT_FIELDS = ("uuid", "case_uuid", "kind", "phase", "cycle", "occurred_on", "recorded_at", "data", "content_hash")
# where an event comes from and its place in its device's chain (store/devices.py): it keeps them wherever it goes
ORIGIN_FIELDS = ("device", "seq", "clock", "parents", "prev_hash", "hash")
LOCAL_EVENT_KINDS = ("import",)  # bookkeeping of the file that imported an export; not in exports


@dataclass(frozen=True)
class Table:
    """What export and import need to know about one record table."""

    name: str
    columns: tuple[str, ...]  # every column except the local integer id
    references: dict[str, str]  # foreign-key column → the record table it points to
    not_null: frozenset[str]
    types: dict[str, str]  # column → its declared type (INTEGER, TEXT, REAL)

    def exported_name(self, column: str) -> str:
        """The key a column has in an export: a reference carries the other record's UUID."""
        if column not in self.references:
            return column
        return f"{column[:-3]}_uuid" if column.endswith("_id") else f"{column}_uuid"


def record_tables(conn: sqlite3.Connection) -> list[Table]:
    """Every record table, each after the tables it references (read once per connection and schema: a merge
    rebuilding a few hundred cases asks for them with every case)."""
    version = conn.execute("PRAGMA schema_version").fetchone()[0]
    kept = getattr(conn, "record_tables", None)
    if kept is not None and kept[0] == version:
        return list(kept[1])
    found = _read_record_tables(conn)
    if hasattr(conn, "record_tables"):  # lingkaran's own connection class; a plain sqlite3 one reads every time
        conn.record_tables = (version, tuple(found))  # type: ignore[attr-defined]
    return found


def _read_record_tables(conn: sqlite3.Connection) -> list[Table]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite^_%' ESCAPE '^' "
        "AND name NOT LIKE '^_%' ESCAPE '^' AND name != 'events' AND sql NOT LIKE 'CREATE VIRTUAL%' ORDER BY name"
    )
    found: dict[str, Table] = {}
    for (name,) in rows.fetchall():
        # by position, so any connection will do: (cid, name, type, notnull, default, pk)
        info = conn.execute(f"PRAGMA table_info([{name}])").fetchall()
        columns = [row[1] for row in info]
        if "id" not in columns or "uuid" not in columns:
            continue
        # (id, seq, table, from, to, on_update, on_delete, match)
        references = {
            row[3]: row[2] for row in conn.execute(f"PRAGMA foreign_key_list([{name}])") if row[4] in (None, "id")
        }
        found[name] = Table(
            name,
            tuple(c for c in columns if c != "id"),
            references,
            frozenset(row[1] for row in info if row[3]),
            {row[1]: row[2].upper() for row in info},
        )
    return _parents_first(found)


def _parents_first(tables: dict[str, Table]) -> list[Table]:
    ordered: dict[str, Table] = {}

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in ordered or name in path or name not in tables:
            return
        for parent in tables[name].references.values():
            visit(parent, (*path, name))
        ordered[name] = tables[name]

    for name in tables:
        visit(name, ())
    return list(ordered.values())


def case_scope(tables: list[Table]) -> dict[str, str]:
    """For a one-case export, the condition (on alias `t`, parameter `:case_id`) that picks each table's rows.

    A table belongs to a case through a chain of references ending at `cases`; a table outside every chain
    that such a table references (a directory of agencies, say) contributes the rows referenced. Tables in
    neither group are left out of a one-case export.

    A row that refers to `cases` more than once (a member's link to the family case) goes only when every case
    it names is this one: the other case stays behind, and the receiving caseload could not resolve the row.
    """
    by_name = {table.name: table for table in tables}
    scope = {"cases": "t.id = :case_id"}
    for table in tables:  # parents come first, so a parent's condition is known before its children
        case_columns = [column for column, parent in table.references.items() if parent == "cases"]
        if case_columns:
            scope[table.name] = _only_this_case(case_columns)
            continue
        for column, parent in table.references.items():
            if parent in scope and parent != table.name:
                scope.setdefault(table.name, f"t.[{column}] IN (SELECT t.id FROM [{parent}] t WHERE {scope[parent]})")
    for table in tables:
        if table.name in scope:
            continue
        used_by = [
            f"t.id IN (SELECT t.[{column}] FROM [{child.name}] t WHERE {scope[child.name]})"
            for child in tables
            if child.name in scope and child.name != table.name
            for column, parent in child.references.items()
            if parent == table.name
        ]
        if used_by:
            scope[table.name] = " OR ".join(used_by)
    return {name: scope[name] for name in by_name if name in scope}


def _only_this_case(columns: list[str]) -> str:
    """The row names the exported case and no other case (an optional second reference may be empty)."""
    if len(columns) == 1:
        return f"t.[{columns[0]}] = :case_id"
    named = ", ".join(f"t.[{column}]" for column in columns)
    return " AND ".join(
        [f":case_id IN ({named})", *(f"coalesce(t.[{column}], :case_id) = :case_id" for column in columns)]
    )


def count(conn: sqlite3.Connection, table: str, condition: str | None, params: dict) -> int:
    """How many rows of a table an export will write."""
    return conn.execute(f"SELECT count(*) FROM [{table}] t WHERE {condition or '1'}", params).fetchone()[0]


class Chunk(NamedTuple):
    """Export lines of one table, oldest first, joined by SQLite with a separator: one bytes object for up to
    CHUNK lines (a Python object a line, counting the events among them and joining them again in Python were
    about a sixth of the export's CPU)."""

    table: str
    line_count: int
    lines: bytes


Chunks = Iterator[Chunk]
CHUNK = 500  # lines a chunk holds at most: 250 to 5,000 took the same time, 2,000 held 9 MB more (20 anonymising)


def record_chunks(
    conn: sqlite3.Connection, table: Table, condition: str | None, params: dict, separator: bytes = b"\n"
) -> Chunks:
    """A table's rows as export lines `{"table": …, "record": …}`, oldest first, encoded by SQLite itself
    (an agency's export is hundreds of MB; building dicts and json.dumps in Python took three times the CPU).
    References leave as UUIDs, JSON columns as JSON."""
    pairs = ", ".join(
        [
            *(["'number', t.id"] if table.name in NUMBERED else []),
            *(f"'{table.exported_name(column)}', {_exported_value(table, column)}" for column in table.columns),
        ]
    )
    line = f"""'{{"table":"{table.name}","record":' || json_object({pairs}) || '}}'"""
    # joined, not a subquery a value: goal_levels' two references took SQLite 0.016 s as subqueries, 0.007 s joined
    joins = "".join(
        f" LEFT JOIN [{parent}] {_referenced(column)} ON {_referenced(column)}.id = t.[{column}]"
        for column, parent in table.references.items()
    )
    yield from _chunks(
        conn, table.name, f"SELECT t.id, {line} AS line FROM [{table.name}] t{joins}", condition, params, separator
    )


def _referenced(column: str) -> str:
    """The alias of the record a reference column points at."""
    return f"[{column} record]"


def _exported_value(table: Table, column: str) -> str:
    value = f"t.[{column}]"
    if column in table.references:
        return f"{_referenced(column)}.uuid"
    if column in JSON_COLUMNS:  # free text that happens to sit in a JSON column stays text
        return f"CASE WHEN json_valid({value}) THEN json({value}) ELSE {value} END"
    if table.types[column] == "REAL":  # SQLite writes 15 digits; a number that needs 17 keeps them
        return (
            f"CASE WHEN typeof({value}) != 'real' THEN {value} "
            f"WHEN CAST(printf('%!.15g', {value}) AS REAL) = {value} THEN json(printf('%!.15g', {value})) "
            f"ELSE json(printf('%!.17g', {value})) END"
        )
    return value


def event_count(conn: sqlite3.Connection, case_id: int | None, every_kind: bool = False) -> int:
    """How many events an export (or, with `every_kind`, a bundle) will write."""
    return conn.execute(
        f"SELECT count(*) FROM events WHERE {_event_condition(case_id, every_kind)}", {"case_id": case_id}
    ).fetchone()[0]


def event_chunks(
    conn: sqlite3.Connection, case_id: int | None, every_kind: bool = False, separator: bytes = b"\n"
) -> Chunks:
    """The events an export carries as lines `{"table": "events", "record": …}`, in the order they were
    recorded here, encoded by SQLite. `data` is written as stored: lingkaran stores it as canonical JSON, and
    parsing it again was 40% of the events' time; text that is not even shaped like an object goes through
    `json()`, which stops the export as damaged instead of writing a broken line."""
    pairs = ", ".join(
        f"'{name}', {'json(parents)' if name == 'parents' else name}"
        for name in (*EVENT_FIELDS, *ORIGIN_FIELDS)
        if name != "data"
    )
    # The fields' object gives up its closing brace to take `data`. rtrim looks at the end only (substr and length
    # counted every character) and takes exactly one brace: the last value, `hash`, is text, never an object.
    fields = f"rtrim(json_object({pairs}), '}}')"
    # The shape is read from the bytes: substr(text, -1) counts every character of the data to find its last.
    shaped = "substr(CAST(data AS BLOB), 1, 1) = x'7b' AND substr(CAST(data AS BLOB), -1) = x'7d'"
    data = f"CASE WHEN {shaped} THEN data ELSE json(data) END"
    line = f"""'{{"table":"events","record":' || {fields} || ',"data":' || {data} || '}}}}'"""
    condition = _event_condition(case_id, every_kind)
    yield from _chunks(
        conn, "events", f"SELECT t.id, {line} AS line FROM events t", condition, {"case_id": case_id}, separator
    )


def _chunks(
    conn: sqlite3.Connection, table: str, lines: str, condition: str | None, params: dict, separator: bytes
) -> Chunks:
    """The lines a query gives (its rows' `id` and `line`, the table as `t`), for the rows meeting `condition`,
    CHUNK at a time, in the order of their ids.

    Each chunk starts after the last id of the one before, so each costs what it holds. group_concat joins the
    lines in the order the subquery gives them (SQLite 3.44 can also say so inside the call; the SQLite of
    older systems cannot)."""
    sql = (
        "SELECT max(id), count(*), CAST(group_concat(line, :separator) AS BLOB) "
        f"FROM ({lines} WHERE ({condition or '1'}) AND t.id > :after ORDER BY t.id LIMIT {CHUNK})"
    )
    cursor = conn.cursor()
    cursor.row_factory = None  # plain tuples
    after = -(2**63)  # below every id a caseload holds (SQLite hands out positive ones)
    while True:
        last, count, joined = cursor.execute(sql, {**params, "separator": separator, "after": after}).fetchone()
        if not count:
            return
        yield Chunk(table, count, joined)
        after = last


def _event_condition(case_id: int | None, every_kind: bool = False) -> str:
    kinds = ", ".join(f"'{kind}'" for kind in LOCAL_EVENT_KINDS)
    condition = "1" if every_kind else f"kind NOT IN ({kinds})"
    return condition + (" AND case_id = :case_id" if case_id is not None else "")


def cases_without_consent(conn: sqlite3.Connection, case_id: int | None) -> list[int]:
    """The numbers of the exported cases that have no recorded consent."""
    condition = "consent = 0" + (" AND id = :case_id" if case_id is not None else "")
    return [row[0] for row in conn.execute(f"SELECT id FROM cases WHERE {condition} ORDER BY id", {"case_id": case_id})]


def local_id(conn: sqlite3.Connection, table: str, uuid: str) -> int | None:
    """This file's id for the record with `uuid`, or None."""
    row = conn.execute(f"SELECT id FROM [{table}] WHERE uuid = ?", [uuid]).fetchone()
    return row[0] if row else None


def insert_arrived(conn: sqlite3.Connection, table: Table, values: list) -> int | None:
    """Store a record that arrived from elsewhere (values in the order of `table.columns`) unless its UUID is
    here already; its id here, or None."""
    cursor = conn.execute(_insert_sql(table.name, table.columns), values)
    return cursor.lastrowid if cursor.rowcount else None


@cache
def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    return (
        f"INSERT INTO [{table}] ({', '.join(f'[{column}]' for column in columns)}) "
        f"VALUES ({', '.join('?' * len(columns))}) ON CONFLICT (uuid) DO NOTHING"
    )


def case_rows(conn: sqlite3.Connection, case_id: int | None) -> Iterator[dict]:
    """Cases for the CSV export, one row each with a few figures from their records."""
    where = "WHERE t.id = :case_id" if case_id is not None else ""
    cursor = conn.execute(
        f"""SELECT t.*,
              (SELECT count(*) FROM goals g WHERE g.case_id = t.id AND g.status = 'open') AS open_goals,
              (SELECT count(*) FROM activities a WHERE a.case_id = t.id) AS activities,
              (SELECT coalesce(sum(a.minutes), 0) FROM activities a WHERE a.case_id = t.id) AS contact_minutes,
              (SELECT e.t_score FROM evaluations e WHERE e.case_id = t.id
                ORDER BY e.evaluated_on DESC, e.id DESC LIMIT 1) AS latest_t_score
            FROM cases t {where} ORDER BY t.id""",
        {"case_id": case_id},
    )
    for row in cursor:
        yield dict(row)
