"""The append-only event log: every change is one event, chained by hashes so tampering shows.

content_hash = sha256(canonical JSON of the event's data); hash = sha256(previous hash and the event's
fields, with content_hash standing in for the data). Erasing an event's personal content later (the right to
erasure) can blank `data` and still leave the chain verifiable.

Each device (caseload copy, store/devices.py) keeps its own chain: an event's previous hash is its device's
previous event's, and its hash covers its origin (device, sequence, clock, parents) too. Events written before
devices existed (`legacy`) keep the one chain of the file they are in, in the order they arrived there.
"""

import datetime as dt
import hashlib
import json
import sqlite3
import uuid as uuidlib
from dataclasses import dataclass
from typing import Any

from lingkaran.domain import hlc
from lingkaran.store import devices


@dataclass(frozen=True)
class CaseRef:
    """The two ids of a case an event belongs to: the local integer and the portable UUID."""

    id: int
    uuid: str


def new_uuid() -> str:
    """A fresh random UUID for any record."""
    return str(uuidlib.uuid4())


DERIVED_NAMESPACE = uuidlib.UUID("6f1c2b0e-4d3a-5e8f-9a7b-1c2d3e4f5a6b")  # lingkaran's, for derived_uuid


def derived_uuid(parent_uuid: str, name: str) -> str:
    """The UUID of a record that belongs to another one (a rating of an assessment, a level observed in a
    monitoring entry): derived from the parent's, so every copy replaying the same event gives the same one."""
    return str(uuidlib.uuid5(DERIVED_NAMESPACE, f"{parent_uuid}/{name}"))


def now_utc() -> str:
    """The current instant as an ISO-8601 UTC timestamp."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def canonical_json(data: object) -> str:
    """JSON with sorted keys and no spacing, so the same content always hashes the same."""
    return _CANONICAL.encode(data)


_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)  # built once: imports


def arrived_content(data: object, expected_hash: object) -> tuple[str, bool]:
    """The canonical text of an arrived event's data, and whether it matches the content hash it came with.

    orjson writes sorted, compact JSON several times faster than json; where its text hashes to the expected
    hash it is json's text byte for byte (the hash proves it), else json's own encoder decides. Raises
    RecursionError for data nested deeper than json can encode."""
    import orjson  # only arriving events are encoded this way

    try:
        fast = orjson.dumps(data, option=orjson.OPT_SORT_KEYS).decode()
    except orjson.JSONEncodeError:  # nested past its limit, or integers past 64 bits: json decides
        fast = None
    if fast is not None and hashlib.sha256(fast.encode()).hexdigest() == expected_hash:
        return fast, True
    content = canonical_json(data)  # the same text as orjson's cannot match either
    return content, content != fast and hashlib.sha256(content.encode()).hexdigest() == expected_hash


def content_hash(data: object) -> str:
    """The hash of an event's content."""
    return hashlib.sha256(canonical_json(data).encode()).hexdigest()


def chain_hash(prev_hash: str | None, fields: dict, names: tuple[str, ...] | None = None) -> str:
    """The hash that links an event to the one before it (over `names`: a legacy or a device event's fields)."""
    names = names or (CHAINED_FIELDS if fields.get("seq") is None else DEVICE_CHAINED_FIELDS)
    parts = [prev_hash or "", *(str(fields[name] if fields[name] is not None else "") for name in names)]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


CHAINED_FIELDS = ("uuid", "case_uuid", "kind", "phase", "cycle", "occurred_on", "recorded_at", "content_hash")
# a device event's hash covers where it comes from and what it knew (parents as their stored JSON text)
DEVICE_CHAINED_FIELDS = ("uuid", "device", "seq", "clock", "parents", *CHAINED_FIELDS[1:])


# Kinds whose events write a single-valued fact: each names the worker who wrote it (`author`, when the laptop
# has one: the CLI gives the connection an `author` function), so a conflict can say whose each side is.
AUTHORED_KINDS = frozenset({"assess", "plan", "terminate", "amend", "referral-update", "consent", "resolve"})


def append(
    conn: sqlite3.Connection,
    case: CaseRef | None,
    kind: str,
    *,
    phase: str | None,
    cycle: int | None,
    occurred_on: str | None,
    data: dict,
    recorded_at: str | None = None,
) -> dict:
    """Append one event; call inside the same transaction as the change it records (`recorded_at`: the instant
    the change stamped on its rows, so the projection gives them the same one)."""
    author = getattr(conn, "author", None)
    if kind in AUTHORED_KINDS and author is not None and (name := author()):
        data = {**data, "author": name}
    content = canonical_json(data)  # encoded once: it is both stored and hashed
    event: dict[str, Any] = {
        "uuid": new_uuid(),
        "case_id": case.id if case else None,
        "case_uuid": case.uuid if case else None,
        "kind": kind,
        "phase": phase,
        "cycle": cycle,
        "occurred_on": occurred_on,
        "recorded_at": recorded_at or now_utc(),
        "data": content,
        "content_hash": hashlib.sha256(content.encode()).hexdigest(),
    }
    if conn.execute("PRAGMA user_version").fetchone()[0] < DEVICES_SCHEMA:
        Chain(conn).link(event)  # a file not migrated yet: written as it was then, a legacy event once migrated
        return event
    event.update(devices.stamp(conn, event["case_uuid"]))
    event["hash"] = chain_hash(event["prev_hash"], event)
    insert(conn, event)
    return event


def insert(conn: sqlite3.Connection, event: dict, *, unless_present: bool = False) -> bool:
    """Store an event whose fields are complete, and update its case's heads and its device's sequence; with
    `unless_present`, an event whose uuid the log already holds is left out (False, nothing written)."""
    sql = f"INSERT INTO events ({', '.join(event)}) VALUES ({', '.join('?' * len(event))})" + (
        " ON CONFLICT (uuid) DO NOTHING" if unless_present else ""
    )
    if not conn.execute(sql, list(event.values())).rowcount:
        return False
    if "device" in event:
        devices.linked(conn, event)
    return True


def insert_many(conn: sqlite3.Connection, rows: list[dict]) -> None:
    """Store device events whose fields are complete and alike, in one statement (their cases' heads and their
    devices' sequences are the caller's to write)."""
    columns = list(rows[0])
    conn.executemany(
        f"INSERT INTO events ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        ([row[column] for column in columns] for row in rows),
    )


DEVICES_SCHEMA = 7  # the schema step (migrations.m007_events_travel) that gave events their origin


class Chain:
    """The end of this file's chain of legacy events (written before devices existed): each legacy event that
    arrives is linked to the one before it. An import follows it across all the events it appends."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.migrated = conn.execute("PRAGMA user_version").fetchone()[0] >= DEVICES_SCHEMA
        last = conn.execute(
            "SELECT hash FROM events" + " WHERE device = 'legacy'" * self.migrated + " ORDER BY id DESC LIMIT 1"
        ).fetchone()
        self.last_hash: str | None = last[0] if last else None

    def link(self, event: dict, *, unless_present: bool = False) -> bool:
        """Give a legacy event its place in the chain (prev_hash, hash) and insert it; with `unless_present`, an
        event whose uuid the log already holds is left out (False, nothing written)."""
        if self.migrated:
            event.update(
                device=devices.LEGACY, seq=None, clock=hlc.from_instant(event.get("recorded_at")), parents="[]"
            )
        event["prev_hash"] = self.last_hash
        event["hash"] = chain_hash(self.last_hash, event, CHAINED_FIELDS)
        if not insert(self.conn, event, unless_present=unless_present):
            return False
        self.last_hash = event["hash"]
        return True

    def append_arrived(self, event: dict, case_id: int | None, content: str) -> bool:
        """Append an event recorded on another machine with its canonical `content`: its uuid, times, data and
        content hash stay as they were, only its place in this file's chain is new. False if it is here already."""
        return self.link(
            {**{name: event.get(name) for name in CHAINED_FIELDS}, "case_id": case_id, "data": content},
            unless_present=True,
        )


def step_dates(conn: sqlite3.Connection, case_id: int, cycle: int) -> dict[str, str]:
    """The latest date each kind of step was recorded in one cycle (follow-ups after closing left out)."""
    rows = conn.execute(
        "SELECT kind, max(occurred_on) AS reached_on FROM events WHERE case_id = ? AND cycle = ? "
        "AND (phase IS NOT 'termination' OR kind = 'terminate') GROUP BY kind",
        [case_id, cycle],
    )
    return {row["kind"]: row["reached_on"] for row in rows}
