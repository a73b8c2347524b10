"""Reading what a correction needs: the event it points to, the record behind it, earlier corrections."""

import sqlite3

from lingkaran.errors import InvalidInput
from lingkaran.messages import _
from lingkaran.store.records import UUID_PREFIX
from lingkaran.store.sqlite import stored_json


def find_event(conn: sqlite3.Connection, reference: str) -> dict:
    """The event a user named by its UUID (or the UUID's first 8+ characters), with `data` decoded."""
    prefix = reference.strip().lower()
    rows = []
    if UUID_PREFIX.fullmatch(prefix):
        rows = conn.execute(
            "SELECT * FROM events WHERE uuid >= ? AND uuid < ? LIMIT 2", [prefix, prefix + "g"]
        ).fetchall()
    if len(rows) > 1:
        raise InvalidInput(_("{ref!r} matches more than one event; give more of the UUID").format(ref=reference))
    if not rows:
        raise InvalidInput(
            _("no event {ref!r} in this caseload; `lingkaran log CASE --json` lists each event's uuid").format(
                ref=reference
            )
        )
    return {**dict(rows[0]), "data": stored_json(rows[0]["data"])}


def record_by_uuid(conn: sqlite3.Connection, table: str, record_uuid: str) -> dict | None:
    """One record of `table` by its UUID (index: uuid)."""
    row = conn.execute(f"SELECT * FROM {table} WHERE uuid = ?", [record_uuid]).fetchone()
    return dict(row) if row else None


def case_events_of_kinds(conn: sqlite3.Connection, case_id: int, kinds: tuple[str, ...]) -> list[dict]:
    """A case's events of these kinds, oldest first, with `data` decoded (what `amend` may be pointed at)."""
    marks = ", ".join("?" for _kind in kinds)
    rows = conn.execute(
        f"SELECT * FROM events WHERE case_id = ? AND kind IN ({marks}) ORDER BY id", [case_id, *kinds]
    ).fetchall()
    return [{**dict(row), "data": stored_json(row["data"])} for row in rows]
