"""Reading a case's free notes."""

import sqlite3


def latest(conn: sqlite3.Connection, case_id: int, limit: int = 3) -> list[dict]:
    """A case's most recent notes, newest first (index: case_id, written_on)."""
    rows = conn.execute(
        "SELECT uuid, written_on, phase, text FROM notes WHERE case_id = ? ORDER BY written_on DESC, id DESC LIMIT ?",
        [case_id, limit],
    )
    return [dict(row) for row in rows]
