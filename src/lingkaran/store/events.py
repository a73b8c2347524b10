"""The append-only event log: every change is one event, chained by hashes so tampering shows.

content_hash = sha256(canonical JSON of the event's data); hash = sha256(previous hash and the event's
fields, with content_hash standing in for the data). Erasing an event's personal content later (the right to
erasure) can blank `data` and still leave the chain verifiable.
"""

import datetime as dt
import hashlib
import json
import sqlite3
import uuid as uuidlib
from dataclasses import dataclass

from lingkaran.store.sqlite import stored_json


@dataclass(frozen=True)
class CaseRef:
    """The two ids of a case an event belongs to: the local integer and the portable UUID."""

    id: int
    uuid: str


def new_uuid() -> str:
    """A fresh random UUID for any record."""
    return str(uuidlib.uuid4())


def now_utc() -> str:
    """The current instant as an ISO-8601 UTC timestamp."""
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")


def canonical_json(data: object) -> str:
    """JSON with sorted keys and no spacing, so the same content always hashes the same."""
    return _CANONICAL.encode(data)


_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)  # built once: imports


def content_hash(data: object) -> str:
    """The hash of an event's content."""
    return hashlib.sha256(canonical_json(data).encode()).hexdigest()


def chain_hash(prev_hash: str | None, fields: dict) -> str:
    """The hash that links an event to the one before it."""
    parts = [prev_hash or "", *(str(fields[name] if fields[name] is not None else "") for name in CHAINED_FIELDS)]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


CHAINED_FIELDS = ("uuid", "case_uuid", "kind", "phase", "cycle", "occurred_on", "recorded_at", "content_hash")


def append(conn: sqlite3.Connection, case: CaseRef | None, kind: str, *, phase: str | None, cycle: int | None,
           occurred_on: str | None, data: dict) -> dict:
    """Append one event; call inside the same transaction as the change it records."""
    content = canonical_json(data)  # encoded once: it is both stored and hashed
    event = {
        "uuid": new_uuid(), "case_id": case.id if case else None, "case_uuid": case.uuid if case else None,
        "kind": kind, "phase": phase, "cycle": cycle, "occurred_on": occurred_on, "recorded_at": now_utc(),
        "data": content, "content_hash": hashlib.sha256(content.encode()).hexdigest(),
    }
    Chain(conn).link(event)
    return event


class Chain:
    """The end of this file's event chain: each event appended is linked to the one before it. One command's
    event reads the end once; an import follows it across all the events it appends."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        last = conn.execute("SELECT hash FROM events ORDER BY id DESC LIMIT 1").fetchone()
        self.last_hash: str | None = last[0] if last else None

    def link(self, event: dict, *, unless_present: bool = False) -> bool:
        """Give the event its place in the chain (prev_hash, hash) and insert it; with `unless_present`, an
        event whose uuid the log already holds is left out (False, nothing written)."""
        event["prev_hash"] = self.last_hash
        event["hash"] = chain_hash(self.last_hash, event)
        sql = (f"INSERT INTO events ({', '.join(event)}) VALUES ({', '.join('?' * len(event))})"
               + (" ON CONFLICT (uuid) DO NOTHING" if unless_present else ""))
        if not self.conn.execute(sql, list(event.values())).rowcount:
            return False
        self.last_hash = event["hash"]
        return True

    def append_arrived(self, event: dict, case_id: int | None, content: str) -> bool:
        """Append an event recorded on another machine with its canonical `content`: its uuid, times, data and
        content hash stay as they were, only its place in this file's chain is new. False if it is here already."""
        return self.link({**{name: event.get(name) for name in CHAINED_FIELDS}, "case_id": case_id, "data": content},
                         unless_present=True)


def for_case(conn: sqlite3.Connection, case_id: int) -> list[dict]:
    """A case's timeline, oldest first, with `data` decoded."""
    rows = conn.execute(
        "SELECT uuid, case_uuid, kind, phase, cycle, occurred_on, recorded_at, data FROM events "
        "WHERE case_id = ? ORDER BY id", [case_id])
    return [{**dict(row), "data": stored_json(row["data"])} for row in rows]


def step_dates(conn: sqlite3.Connection, case_id: int, cycle: int) -> dict[str, str]:
    """The latest date each kind of step was recorded in one cycle (follow-ups after closing left out)."""
    rows = conn.execute(
        "SELECT kind, max(occurred_on) AS reached_on FROM events WHERE case_id = ? AND cycle = ? "
        "AND (phase IS NOT 'termination' OR kind = 'terminate') GROUP BY kind", [case_id, cycle])
    return {row["kind"]: row["reached_on"] for row in rows}
