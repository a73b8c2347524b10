"""Changes to records already here that arrive by import as events: a correction (`amend`) or a plan's
revision of a goal made on another laptop. The record here then shows what its events say, as if the change
had been typed here, and `check` (which compares records with their events) finds them in agreement.
"""

import sqlite3

from lingkaran.domain.event_records import AMENDABLE

GOAL_CHANGES = ("text", "weight", "target_on", "scale", "status")


def corrected_record(data: dict) -> tuple[str, str, str, str] | None:
    """What an `amend` event's data corrects: (table, column, record uuid, new text), or None if it says none."""
    target = AMENDABLE.get(str(data.get("amends_kind")))
    if target is None or not isinstance(data.get("record_uuid"), str) or not isinstance(data.get("note"), str):
        return None
    return target[0], target[2], data["record_uuid"], data["note"]


def apply_correction(conn: sqlite3.Connection, table: str, column: str, record_uuid: str, text: str) -> None:
    """Show a correction made elsewhere in the record here (if the record is here)."""
    conn.execute(f"UPDATE [{table}] SET [{column}] = ? WHERE uuid = ?", [text, record_uuid])


def revised_goals(data: dict) -> dict[int, dict]:
    """A `plan` event's changes to goals it did not add: goal number → {column: value}."""
    revised = {}
    for number, changes in (data.get("changed") or {}).items():
        if isinstance(number, str) and number.isdigit() and isinstance(changes, dict):
            revised[int(number)] = {column: value for column, value in changes.items() if column in GOAL_CHANGES}
    return {number: changes for number, changes in revised.items() if changes}


def apply_revision(conn: sqlite3.Connection, case_id: int, number: int, changes: dict) -> None:
    """Give goal `number` of a case here the columns a plan made elsewhere changed (JSON values as text)."""
    from lingkaran.store.records import update

    row = conn.execute("SELECT id FROM goals WHERE case_id = ? AND number = ?", [case_id, number]).fetchone()
    if row is not None:
        update(conn, "goals", row[0], changes)
