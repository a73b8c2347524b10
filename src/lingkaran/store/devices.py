"""Where each event comes from and what it knew: this file's device, its sequence, its clock, the case's heads.

Every caseload file writes as one device (a random UUID made with the file). A copy of the file (another
laptop, another user, a `cp`, a restored backup) must never continue the same device's sequence, so the device
is stored with a fingerprint of where the file lives (machine, user, file system and inode): the first write
after the fingerprint changed mints a new device. Each device numbers its events 1, 2, 3… with no gap; each event
names as parents the case's heads (its latest events, which no other event names as parent). Events written
before devices existed are `legacy`: no sequence, no parents; among themselves they follow their clock.
"""

import contextlib
import functools
import hashlib
import json
import os
import sqlite3
import time
import uuid as uuidlib

from lingkaran.domain import hlc

LEGACY = "legacy"
MACHINE_ID_FILES = ("/etc/machine-id", "/var/lib/dbus/machine-id")
TABLES_SQL = (
    # the device this file writes as now, where the file lived when it got it, and the latest clock stamp seen
    "CREATE TABLE this_device (id INTEGER PRIMARY KEY CHECK (id = 1), device TEXT NOT NULL, fingerprint TEXT, "
    "clock TEXT)",
    # each case's heads: its events that no other event of the case follows (parents of the next one written)
    "CREATE TABLE case_heads (case_uuid TEXT NOT NULL, event_uuid TEXT NOT NULL, "
    "PRIMARY KEY (case_uuid, event_uuid)) WITHOUT ROWID",
    # per device, the highest sequence this file has held with none missing below it: it only grows, so an
    # event removed from the middle of a device's chain later shows as a gap below it (`check`)
    "CREATE TABLE device_sequences (device TEXT PRIMARY KEY, contiguous INTEGER NOT NULL) WITHOUT ROWID",
)


def wall_ms() -> int:
    """This computer's clock in milliseconds (one place reads it, so tests can make it wrong)."""
    return time.time_ns() // 1_000_000


def fingerprint(conn: sqlite3.Connection) -> str:
    """Where the open file lives: the machine, the user, and the file's device and inode, hashed. Worked out once
    a connection (an open file stays where it was opened; an import asks for every event it stores)."""
    known = getattr(conn, "device_fingerprint", None)
    if known is not None:
        return known
    found_fingerprint = _place_fingerprint(conn)
    with contextlib.suppress(AttributeError):  # a plain sqlite3 connection (a test's) keeps no attributes
        conn.device_fingerprint = found_fingerprint  # type: ignore[attr-defined]  # CaseloadConnection's own
    return found_fingerprint


def _place_fingerprint(conn: sqlite3.Connection) -> str:
    path = next((row[2] for row in conn.execute("PRAGMA database_list") if row[1] == "main"), "")
    try:
        found = os.stat(path) if path else None
    except OSError:
        found = None
    place = (
        _machine_id(),
        os.getuid() if hasattr(os, "getuid") else 0,
        found.st_dev if found else "",
        found.st_ino if found else "",
    )
    return hashlib.sha256("\x1f".join(map(str, place)).encode()).hexdigest()[:32]


@functools.cache
def _machine_id() -> str:
    """The machine's id (read once a run: an import asks for every event it stores)."""
    for name in MACHINE_ID_FILES:
        try:
            with open(name, encoding="ascii") as file:
                text = file.read().strip()
        except (OSError, UnicodeDecodeError):
            continue
        if text:
            return text
    import socket  # only when this laptop names itself, once: not on every run's start-up

    return socket.gethostname()


def mint(conn: sqlite3.Connection, clock: str | None) -> str:
    """Give this file a new device (keeping the latest clock stamp it has seen)."""
    device = str(uuidlib.uuid4())
    conn.execute(
        "INSERT OR REPLACE INTO this_device (id, device, fingerprint, clock) VALUES (1, ?, ?, ?)",
        [device, fingerprint(conn), clock],
    )
    return device


def this_device(conn: sqlite3.Connection) -> str:
    """The device this file writes as (as stored: `current` is what a write uses)."""
    return conn.execute("SELECT device FROM this_device").fetchone()[0]


def current(conn: sqlite3.Connection) -> tuple[str, str | None]:
    """The device a write here is stamped with, and the latest clock stamp seen; a file that was copied or
    moved since its last write gets a new device first (call inside the write's transaction)."""
    device, stored_fingerprint, clock = conn.execute("SELECT device, fingerprint, clock FROM this_device").fetchone()
    if stored_fingerprint != fingerprint(conn):
        device = mint(conn, clock)
    return device, clock


def heads(conn: sqlite3.Connection, case_uuid: str | None) -> list[str]:
    """A case's heads, sorted: the parents of the next event written for it (none for an event of no case)."""
    if case_uuid is None:
        return []
    return [
        row[0]
        for row in conn.execute(
            "SELECT event_uuid FROM case_heads WHERE case_uuid = ? ORDER BY event_uuid", [case_uuid]
        )
    ]


def stamp(conn: sqlite3.Connection, case_uuid: str | None) -> dict:
    """The origin fields of a new local event: device, next sequence, clock, parents, and the device's previous
    hash (call inside the write's transaction)."""
    device, last_clock = current(conn)
    last = conn.execute("SELECT seq, hash FROM events WHERE device = ? ORDER BY seq DESC LIMIT 1", [device]).fetchone()
    clock = hlc.tick(last_clock, wall_ms())
    conn.execute("UPDATE this_device SET clock = ?", [clock])
    return {
        "device": device,
        "seq": last[0] + 1 if last else 1,
        "clock": clock,
        "parents": parents_text(heads(conn, case_uuid)),
        "prev_hash": last[1] if last else None,
    }


def parents_text(parents: list[str]) -> str:
    """How parents are stored and hashed: the sorted uuids as compact JSON."""
    return json.dumps(sorted(parents), separators=(",", ":"))


def absorb_clock(conn: sqlite3.Connection, remote: str) -> None:
    """An event arrived from another device: later local stamps come after its stamp, unless it is far ahead."""
    last = conn.execute("SELECT clock FROM this_device").fetchone()[0]
    seen = hlc.receive(last, remote, wall_ms())
    if seen != last:
        conn.execute("UPDATE this_device SET clock = ?", [seen])


def linked(conn: sqlite3.Connection, event: dict) -> None:
    """After an event is stored: it becomes a head of its case (in place of its parents), and its device's run
    of sequences without a gap grows when it extends it."""
    if event["case_uuid"] is not None:
        _update_heads(conn, event)
    if event["seq"] is not None:
        _extend_sequence(conn, event["device"], event["seq"])


def _update_heads(conn: sqlite3.Connection, event: dict) -> None:
    if event["device"] == LEGACY:  # legacy events follow one another by clock: only the latest can be a head
        latest = conn.execute(
            "SELECT uuid, clock FROM events WHERE case_uuid = ? AND device = ? AND uuid != ? "
            "ORDER BY clock DESC, uuid DESC LIMIT 1",
            [event["case_uuid"], LEGACY, event["uuid"]],
        ).fetchone()
        if latest is not None and (latest[1], latest[0]) > (event["clock"], event["uuid"]):
            return
        replaced = parents_text([latest[0]] if latest else [])
    else:
        replaced = event["parents"]
    conn.execute(
        "DELETE FROM case_heads WHERE case_uuid = ? AND event_uuid IN (SELECT value FROM json_each(?))",
        [event["case_uuid"], replaced],
    )
    conn.execute(
        "INSERT OR IGNORE INTO case_heads (case_uuid, event_uuid) VALUES (?, ?)", [event["case_uuid"], event["uuid"]]
    )


def write_heads(conn: sqlite3.Connection, heads: dict[str, set[str]]) -> None:
    """Make these the heads of these cases (an import into an empty caseload worked them out as it went)."""
    conn.executemany("DELETE FROM case_heads WHERE case_uuid = ?", ([case_uuid] for case_uuid in heads))
    conn.executemany(
        "INSERT INTO case_heads (case_uuid, event_uuid) VALUES (?, ?)",
        ([case_uuid, event] for case_uuid, events in heads.items() for event in events),
    )


def write_sequences(conn: sqlite3.Connection, contiguous: dict[str, int]) -> None:
    """Record each device's run of sequences held without a gap (as worked out by an import into an empty
    caseload)."""
    conn.executemany(
        "INSERT INTO device_sequences (device, contiguous) VALUES (?, ?) "
        "ON CONFLICT (device) DO UPDATE SET contiguous = excluded.contiguous",
        contiguous.items(),
    )


def _extend_sequence(conn: sqlite3.Connection, device: str, seq: int) -> None:
    row = conn.execute("SELECT contiguous FROM device_sequences WHERE device = ?", [device]).fetchone()
    held = row[0] if row else 0
    if seq != held + 1:
        return
    for (following,) in conn.execute(
        "SELECT seq FROM events WHERE device = ? AND seq > ? ORDER BY seq", [device, held]
    ).fetchall():
        if following != held + 1:
            break
        held = following
    conn.execute(
        "INSERT INTO device_sequences (device, contiguous) VALUES (?, ?) "
        "ON CONFLICT (device) DO UPDATE SET contiguous = excluded.contiguous",
        [device, held],
    )
