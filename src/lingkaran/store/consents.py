"""Reading a case's consent history (the decisions `consent` and `open --consent` recorded)."""

import sqlite3


def history(conn: sqlite3.Connection, case_id: int) -> list[dict]:
    """A case's consent decisions, oldest first."""
    rows = conn.execute("SELECT uuid, given, scope, given_by, decided_on FROM consents WHERE case_id = ? "
                        "ORDER BY decided_on, id", [case_id])
    return [{**dict(row), "given": bool(row["given"])} for row in rows]
