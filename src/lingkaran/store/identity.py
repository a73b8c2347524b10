"""Finding a case by a phone number, however it was written (0812-3456-7890, +62 812 3456 7890)."""

import sqlite3

from lingkaran.domain.identity import phone_key

# Every phone number a case holds: the client's, the guardian's, each member's (left members too).
_PHONES = """
    SELECT c.id AS case_id, c.uuid AS case_uuid, c.client, c.phase, c.opened_on AS occurred_on,
           c.uuid AS record_uuid, 'client' AS whose, NULL AS name, c.phone AS phone FROM cases c
    UNION ALL SELECT c.id, c.uuid, c.client, c.phase, c.opened_on, c.uuid, 'guardian', c.guardian, c.guardian_phone
    FROM cases c
    UNION ALL SELECT c.id, c.uuid, c.client, c.phase, m.added_on, m.uuid, 'member', m.name, m.phone
    FROM members m JOIN cases c ON c.id = m.case_id"""


def by_phone(conn: sqlite3.Connection, query: str, *, case_id: int | None, limit: int) -> list[dict]:
    """The clients, guardians and members whose phone number contains the digits of `query` (a number, or
    part of one), by case."""
    conn.create_function("phone_key", 1, phone_key, deterministic=True)
    where = "AND case_id = :case_id" if case_id is not None else ""
    rows = conn.execute(
        f"SELECT * FROM ({_PHONES}) WHERE phone IS NOT NULL "
        f"AND instr(phone_key(phone), :key) > 0 {where} ORDER BY case_id, whose LIMIT :limit",
        {"key": phone_key(query), "case_id": case_id, "limit": limit},
    )
    return [dict(row) for row in rows]
