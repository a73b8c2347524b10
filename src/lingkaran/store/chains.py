"""Reading the event log as chains: legacy events, each device's events, what a copy holds, and its digest.

The digest of a set of events is the same on every file that holds that set, whatever order it arrived in and
whether or not it was erased since: sha256 over the events sorted by uuid, one line each of uuid, content hash,
device and sequence (docs/design.md, "Working as a team").
"""

import hashlib
import sqlite3
from collections.abc import Iterator

from lingkaran.domain import hlc
from lingkaran.store.devices import LEGACY
from lingkaran.store.tables import LOCAL_EVENT_KINDS


def has_devices(conn: sqlite3.Connection) -> bool:
    """Whether the file's events have origins (a file from before that schema step has none)."""
    return any(row[1] == "device" for row in conn.execute("PRAGMA table_info(events)"))


def _rows(conn: sqlite3.Connection, sql: str, params: list | tuple = ()) -> Iterator[dict]:
    cursor = conn.execute(sql, params)
    columns = [column[0] for column in cursor.description]
    for row in cursor:
        yield dict(zip(columns, row, strict=False))


def legacy_rows(conn: sqlite3.Connection) -> Iterator[dict]:
    """The events of the file's legacy chain, in the order they arrived here."""
    if not has_devices(conn):
        return _rows(conn, "SELECT * FROM events ORDER BY id")
    return _rows(conn, "SELECT * FROM events WHERE device IS ? OR device IS NULL OR seq IS NULL ORDER BY id", [LEGACY])


def device_rows(conn: sqlite3.Connection) -> Iterator[dict]:
    """The events of every device's chain, by device and sequence."""
    if not has_devices(conn):
        return iter(())
    return _rows(conn, "SELECT * FROM events WHERE device IS NOT ? AND seq IS NOT NULL ORDER BY device, seq", [LEGACY])


def recorded_sequences(conn: sqlite3.Connection) -> dict[str, int]:
    """Per device, the highest sequence this file has held with none missing below it, as recorded."""
    if not has_devices(conn):
        return {}
    return dict(conn.execute("SELECT device, contiguous FROM device_sequences").fetchall())


def contiguous_sequences(conn: sqlite3.Connection) -> dict[str, int]:
    """Per device, the highest sequence held now with none missing below it (0: not even its first)."""
    held: dict[str, int] = {}
    for device, seq in conn.execute(
        "SELECT device, seq FROM events WHERE device IS NOT ? AND seq IS NOT NULL ORDER BY device, seq", [LEGACY]
    ):
        held.setdefault(device, 0)
        if seq == held[device] + 1:
            held[device] = seq
    return held


def missing_tails(conn: sqlite3.Connection) -> list[tuple[str, int, int]]:
    """Devices whose events were held up to a sequence and now end before it: (device, first, last missing)."""
    if not has_devices(conn):
        return []
    highest = dict(conn.execute("SELECT device, max(seq) FROM events WHERE seq IS NOT NULL GROUP BY device"))
    return [
        (device, (highest.get(device) or 0) + 1, held)
        for device, held in sorted(recorded_sequences(conn).items())
        if (highest.get(device) or 0) < held
    ]


def missing_parents(conn: sqlite3.Connection, shown: int = 1) -> list[tuple[str, str | None, str]]:
    """Events naming a parent this file does not hold in the same case: (event uuid, case uuid, parent)."""
    if not has_devices(conn):
        return []
    return conn.execute(
        "SELECT e.uuid, e.case_uuid, p.value FROM events AS e, json_each(e.parents) AS p WHERE NOT EXISTS "
        "(SELECT 1 FROM events AS f WHERE f.uuid = p.value AND f.case_uuid IS e.case_uuid) ORDER BY e.id LIMIT ?",
        [shown],
    ).fetchall()


def digest(conn: sqlite3.Connection, case_uuid: str | None = None) -> str:
    """The digest of the events held (of one case's, with `case_uuid`): equal files, equal digests."""
    local = ", ".join(f"'{kind}'" for kind in LOCAL_EVENT_KINDS)  # bookkeeping that never travels
    condition, params = (
        f"WHERE kind NOT IN ({local})" + (" AND case_uuid = ?" if case_uuid else ""),
        [case_uuid] if case_uuid else [],
    )
    columns = "uuid, content_hash, device, seq" if has_devices(conn) else "uuid, content_hash, 'legacy', NULL"
    summed = hashlib.sha256()
    for uuid, content, device, seq in conn.execute(f"SELECT {columns} FROM events {condition} ORDER BY uuid", params):
        summed.update(f"{uuid}\x1f{content}\x1f{device or LEGACY}\x1f{seq or ''}\n".encode())
    return summed.hexdigest()


def far_ahead(conn: sqlite3.Connection, wall_ms: int, shown: int = 20) -> list[dict]:
    """Events stamped more than a day past this computer's clock (written on a laptop whose clock was wrong)."""
    if not has_devices(conn):
        return []
    limit = hlc.stamp(wall_ms + hlc.MAX_AHEAD_MS, hlc.COUNTER_LIMIT)
    return [
        {"uuid": uuid, "device": device, "clock": clock}
        for uuid, device, clock in conn.execute(
            "SELECT uuid, device, clock FROM events WHERE clock > ? ORDER BY clock LIMIT ?", [limit, shown]
        )
    ]


def highest_sequences(conn: sqlite3.Connection) -> dict[str, int]:
    """Per device, the highest sequence held (gaps below it or not)."""
    return dict(
        conn.execute(
            "SELECT device, max(seq) FROM events WHERE device IS NOT ? AND seq IS NOT NULL GROUP BY device", [LEGACY]
        ).fetchall()
    )


def event_count(conn: sqlite3.Connection, case_uuid: str | None = None, legacy: bool = False) -> int:
    """How many events the file holds (of one case's; only legacy ones)."""
    conditions = ["1"] + ["case_uuid = :case"] * (case_uuid is not None) + ["device = :legacy"] * legacy
    return conn.execute(
        f"SELECT count(*) FROM events WHERE {' AND '.join(conditions)}", {"case": case_uuid, "legacy": LEGACY}
    ).fetchone()[0]
