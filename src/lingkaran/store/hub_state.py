"""This laptop's side of an agency hub, in the caseload file: what was pushed, the pull cursor, dropped cases.

Per hub address (`hub_syncs`): every local event up to `pushed_through` (a local event id) is on that hub;
`legacy_device` is the pseudo-device this file's legacy events travel under there, `legacy_pushed` how many of
them went; `cursor_txid`, `cursor_seq` is the hub's pull cursor (store/hub/sync.py). A case dropped after a
handover is listed in `handed_over`: its rows and events are blanked as erasure blanks them, without a `forget`
(the case lives on elsewhere). docs/design.md, "Syncing with an agency hub".
"""

import json
import sqlite3
import uuid as uuidlib

from lingkaran.store import erasure, events
from lingkaran.store.devices import LEGACY
from lingkaran.store.tables import LOCAL_EVENT_KINDS

LEGACY_PREFIX = "legacy:"  # a legacy event on the hub: device "legacy:<uuid>", with a number for the hub's rules
ENVELOPE_FIELDS = (
    "uuid",
    "device",
    "seq",
    "clock",
    "parents",
    "case_uuid",
    "kind",
    "phase",
    "cycle",
    "occurred_on",
    "recorded_at",
    "data",
    "content_hash",
    "prev_hash",
    "hash",
)


def peek(conn: sqlite3.Connection, hub: str) -> dict | None:
    """What this file has exchanged with the hub; None when it never synced with it."""
    row = conn.execute("SELECT * FROM hub_syncs WHERE hub = ?", [hub]).fetchone()
    return dict(row) if row else None


def state(conn: sqlite3.Connection, hub: str) -> dict:
    """What this file has exchanged with the hub (a fresh row when it never synced with it)."""
    known = peek(conn, hub)
    if known is None:
        conn.execute(
            "INSERT INTO hub_syncs (hub, legacy_device) VALUES (?, ?)", [hub, LEGACY_PREFIX + str(uuidlib.uuid4())]
        )
        known = peek(conn, hub)
    assert known is not None  # just inserted
    return known


def unpushed(conn: sqlite3.Connection, known: dict) -> tuple[list[dict], int, int]:
    """The events written or received here after `pushed_through`, as envelopes; the last local id among them and
    the legacy count once they are pushed. A legacy event gets the next number of this file's legacy device."""
    rows = conn.execute(
        f"SELECT id, {', '.join(ENVELOPE_FIELDS)}, case_uuid IN (SELECT case_uuid FROM handed_over) AS dropped"
        " FROM events WHERE id > ? ORDER BY id",
        [known["pushed_through"]],
    )
    envelopes, through, legacy = [], known["pushed_through"], known["legacy_pushed"]
    for row in rows:
        through = row["id"]
        if row["kind"] in LOCAL_EVENT_KINDS:  # this file's own bookkeeping never leaves it (as in exports)
            continue
        envelope = {name: row[name] for name in ENVELOPE_FIELDS}
        envelope["parents"] = json.loads(envelope["parents"] or "[]")
        if envelope["device"] == LEGACY or envelope["seq"] is None:
            legacy += 1  # counted even when not sent, so each legacy event keeps its number on every push
            envelope.update(device=known["legacy_device"], seq=legacy)
        if not row["dropped"]:  # a dropped case's blanked events must never stand in for the real ones
            envelopes.append(envelope)
    return envelopes, through, legacy


def last_pushed(conn: sqlite3.Connection, known: dict) -> str | None:
    """The uuid of the last event this file put on the hub (or pulled from it), to ask whether the hub still has
    it; None before the first push."""
    row = conn.execute(
        f"SELECT uuid FROM events WHERE id <= ? AND kind NOT IN ({', '.join('?' * len(LOCAL_EVENT_KINDS))})"
        " ORDER BY id DESC LIMIT 1",
        [known["pushed_through"], *LOCAL_EVENT_KINDS],
    ).fetchone()
    return row[0] if row else None


def start_over(conn: sqlite3.Connection, hub: str, *, push: bool, pull: bool) -> None:
    """The hub went back to a backup: send everything again (it keeps what it has once, by uuid), and read
    again from the start (what is here already is recognised and left alone)."""
    if push:
        conn.execute("UPDATE hub_syncs SET pushed_through = 0, legacy_pushed = 0 WHERE hub = ?", [hub])
    if pull:
        conn.execute("UPDATE hub_syncs SET cursor_txid = 0, cursor_seq = 0 WHERE hub = ?", [hub])


def as_arriving(envelope: dict) -> dict:
    """A pulled envelope as an import reads an event: data decoded; a legacy one back under `legacy`."""
    event = {**envelope, "data": json.loads(envelope["data"])}
    if event["device"].startswith(LEGACY_PREFIX):
        event.update(device=LEGACY, seq=None, parents=[])
    return event


def mark_pushed(conn: sqlite3.Connection, hub: str, through: int, legacy: int) -> None:
    """Every local event up to `through` is on the hub now."""
    conn.execute(
        "UPDATE hub_syncs SET pushed_through = max(pushed_through, ?), legacy_pushed = max(legacy_pushed, ?)"
        " WHERE hub = ?",
        [through, legacy, hub],
    )


def last_event_id(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()[0]


def advance_cursor(conn: sqlite3.Connection, hub: str, cursor: tuple[int, int], pulled_from: int) -> None:
    """Keep the hub's cursor after a merge; the events just pulled are on the hub too, so when nothing was
    written here between the push and the pull (`pulled_from` is still the pushed mark) they need no push."""
    conn.execute(
        "UPDATE hub_syncs SET cursor_txid = ?, cursor_seq = ?, synced_at = ?, pushed_through = CASE "
        "WHEN pushed_through = ? THEN ? ELSE pushed_through END WHERE hub = ?",
        [cursor[0], cursor[1], events.now_utc(), pulled_from, last_event_id(conn), hub],
    )


def held_cases(conn: sqlite3.Connection) -> dict[str, int]:
    """The cases here that were not dropped: local id by uuid."""
    return dict(conn.execute("SELECT uuid, id FROM cases WHERE uuid NOT IN (SELECT case_uuid FROM handed_over)"))


def all_pushed(conn: sqlite3.Connection, case_id: int, pushed_through: int, pulled_after: int) -> bool:
    """Whether every event of the case is on the hub: pushed (id up to the mark) or just pulled (after
    `pulled_after`); none written here between the push and the pull."""
    return (
        conn.execute(
            "SELECT NOT EXISTS (SELECT 1 FROM events WHERE case_id = ? AND id > ? AND id <= ?)",
            [case_id, pushed_through, pulled_after],
        ).fetchone()[0]
        == 1
    )


def drop(conn: sqlite3.Connection, hub: str, case_uuid: str, case_id: int) -> None:
    """Keep nothing of a case this laptop may no longer see: its records deleted, its row's personal data and
    its events' content blanked as erasure does (their uuids and hashes stay, so every chain still verifies), and
    the case listed as handed over so lists leave it out. Call inside the sync's transaction."""
    erasure.blank_case(conn, case_id)
    conn.execute(
        "INSERT OR REPLACE INTO handed_over (case_uuid, hub, dropped_at) VALUES (?, ?, ?)",
        [case_uuid, hub, events.now_utc()],
    )


def dropped(conn: sqlite3.Connection) -> set[str]:
    """The uuids of the cases dropped after a handover."""
    return {row[0] for row in conn.execute("SELECT case_uuid FROM handed_over")}


def take_back(conn: sqlite3.Connection, case_uuid: str, pulled: list[dict]) -> None:
    """A dropped case assigned to this laptop again: its events' content comes back from what was pulled (each
    checked against its content hash), and it is no longer listed as handed over."""
    for event in pulled:
        if (
            event["data"] != erasure.ERASED_DATA
            and events.content_hash(json.loads(event["data"])) == event["content_hash"]
        ):
            conn.execute(
                "UPDATE events SET data = ? WHERE uuid = ? AND data = ?",
                [event["data"], event["uuid"], erasure.ERASED_DATA],
            )
    conn.execute("DELETE FROM handed_over WHERE case_uuid = ?", [case_uuid])
