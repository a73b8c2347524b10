"""The schema a caseload of each version should have, and how a file's schema differs from it.

The expected schema is built by running the migrations into an in-memory database, so it is never written
down twice. Every table, index, trigger and view is compared by its SQL (spacing aside): a trigger planted to
rewrite new notes, or the event log's guards replaced by triggers of the same name that do nothing, show up
as objects lingkaran did not make. SQLite's own statistics tables (`ANALYZE`) are left alone, and the tables
SQLite keeps for a full-text index are compared by name only: their SQL is SQLite's, and varies by version.
"""

import re
import sqlite3
from functools import cache

Schema = dict[tuple[str, str], str | None]  # (type, name) → its SQL, spacing normalised
IGNORED = re.compile(r"sqlite_stat\d")


def normalised(sql: str | None) -> str | None:
    """SQL with every run of spacing made one space, so layout alone never counts as a change."""
    return None if sql is None else " ".join(sql.split())


def schema_of(conn: sqlite3.Connection) -> Schema:
    """Every object in a file's schema with its SQL."""
    rows = conn.execute("SELECT type, name, sql FROM sqlite_master")
    return {(kind, name): normalised(sql) for kind, name, sql in rows if not IGNORED.fullmatch(name)}


@cache
def expected_schema(version: int) -> Schema:
    """The schema the first `version` migrations make (an empty one for version 0)."""
    from sqlite_utils import Database

    from lingkaran.store.migrations import migrations

    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        db = Database(conn)
        steps = [migration.name for migration in migrations.pending(db)]
        if version:
            migrations.apply(db, stop_before=steps[version] if version < len(steps) else None)
        return schema_of(conn)
    finally:
        conn.close()


def differences(found: Schema, expected: Schema) -> tuple[list, list, list]:
    """What a file's schema has that the expected one has not, what differs, and what is missing: lists of
    (type, name), in name order."""
    shadow = tuple(f"{name}_" for kind, name in expected if kind == "table" and _is_virtual(expected[(kind, name)]))
    extra = [key for key in found if key not in expected]
    changed = [
        key
        for key in found
        if key in expected and found[key] != expected[key] and not (key[0] == "table" and key[1].startswith(shadow))
    ]
    missing = [key for key in expected if key not in found]
    return sorted(extra, key=_by_name), sorted(changed, key=_by_name), sorted(missing, key=_by_name)


def _is_virtual(sql: str | None) -> bool:
    return sql is not None and sql.upper().startswith("CREATE VIRTUAL TABLE")


def _by_name(key: tuple[str, str]) -> str:
    return key[1]
