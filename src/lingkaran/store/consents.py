"""Reading a case's consent history (the decisions `consent` and `open --consent` recorded)."""

import json
import sqlite3


def withdrawn_on(conn: sqlite3.Connection, case_ids: list[int]) -> dict[int, str]:
    """The cases among `case_ids` whose latest consent decision withdrew it, with the date it was withdrawn."""
    rows = conn.execute(
        "SELECT case_id, decided_on, given FROM consents WHERE case_id IN (SELECT value FROM json_each(?)) "
        "ORDER BY case_id, decided_on, id",
        [json.dumps(case_ids)],
    )
    latest = {case_id: (decided_on, given) for case_id, decided_on, given in rows}
    return {case_id: decided_on for case_id, (decided_on, given) in latest.items() if not given}


def history(conn: sqlite3.Connection, case_id: int) -> list[dict]:
    """A case's consent decisions, oldest first."""
    rows = conn.execute(
        "SELECT uuid, given, scope, given_by, decided_on FROM consents WHERE case_id = ? ORDER BY decided_on, id",
        [case_id],
    )
    return [{**dict(row), "given": bool(row["given"])} for row in rows]
