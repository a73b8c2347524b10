"""Events that arrive from another caseload copy keep who they are: device, sequence, clock, parents and hashes.

An arriving device event is stored exactly as it was written (so the same set of events is the same bytes in
every file that holds it, and `sync status` digests agree) after checking that it is what its hash says, that
it fits its device's chain where the neighbouring events are here, and that every parent is here. An event for
a case erased here is stored with its content blanked: erasure wins, and the chain stays whole.
"""

import json
import sqlite3

from lingkaran.domain import hlc
from lingkaran.errors import InvalidInput, StepRefused
from lingkaran.messages import _
from lingkaran.store import devices, events, records
from lingkaran.store.erasure import ERASED_DATA

ORIGIN_TYPES: dict[str, type | tuple[type, ...]] = {
    "device": str,
    "seq": int,
    "clock": str,
    "prev_hash": (str, type(None)),
    "hash": str,
}


def is_device_event(event: dict) -> bool:
    """Whether an arriving event was written by a device (not before devices existed)."""
    return event.get("device") not in (None, devices.LEGACY)


def arrive(
    conn: sqlite3.Connection, where: object, event: dict, case_id: int | None, content: str, erased_here: bool
) -> bool:
    """Store a device event from elsewhere as it was written; False when it is here already."""
    row = _stored_form(where, event, case_id, content)
    here = conn.execute("SELECT hash FROM events WHERE uuid = ?", [row["uuid"]]).fetchone()
    if here is not None:
        if (
            here[0] != row["hash"]
            and conn.execute("SELECT device FROM events WHERE uuid = ?", [row["uuid"]]).fetchone()[0] != devices.LEGACY
        ):
            raise InvalidInput(
                _("{where}: event {uuid} differs from the event with that uuid here").format(
                    where=where, uuid=row["uuid"]
                )
            )
        return False
    _refuse_misplaced(conn, where, row)
    if erased_here and row["kind"] != "forget":
        row["data"] = ERASED_DATA  # erasure wins: its content_hash stays, so its chain still verifies
    events.insert(conn, row)
    devices.absorb_clock(conn, row["clock"])
    return True


def _stored_form(where: object, event: dict, case_id: int | None, content: str) -> dict:
    """The event as this file stores it, once its origin fields are of the right kinds and its hash holds."""
    for name, kinds in ORIGIN_TYPES.items():
        value = event.get(name)
        if not isinstance(value, kinds) or isinstance(value, bool) or value == "":
            raise InvalidInput(_("{where}: an event's {field} is missing or not valid").format(where=where, field=name))
    parents = event.get("parents")
    if (
        event["seq"] < 1
        or not hlc.is_stamp(event["clock"])
        or not isinstance(parents, list)
        or not all(isinstance(parent, str) for parent in parents)
    ):
        raise InvalidInput(
            _("{where}: event {uuid} has a sequence, clock or parents no lingkaran writes").format(
                where=where, uuid=event["uuid"]
            )
        )
    row = {
        **{name: event.get(name) for name in events.CHAINED_FIELDS},
        "case_id": case_id,
        "data": content,
        **{name: event[name] for name in ORIGIN_TYPES},
        "parents": devices.parents_text(parents),
    }
    if events.chain_hash(row["prev_hash"], row, events.DEVICE_CHAINED_FIELDS) != row["hash"]:
        raise InvalidInput(
            _("{where}: event {uuid} does not match its hash (changed after it was written?)").format(
                where=where, uuid=row["uuid"]
            )
        )
    return row


def _refuse_misplaced(conn: sqlite3.Connection, where: object, row: dict) -> None:
    """Refuse an event that contradicts its device's chain here or follows events that are not here."""
    if row["device"] == devices.current(conn)[0]:  # a copy that has not written yet becomes a device of its own
        raise InvalidInput(
            _(
                "{where}: event {uuid} claims to be from this caseload's own device, which never "
                "wrote it (two files wrote as one device?)"
            ).format(where=where, uuid=row["uuid"])
        )
    before, taken, after = (
        conn.execute("SELECT hash, prev_hash FROM events WHERE device = ? AND seq = ?", [row["device"], seq]).fetchone()
        for seq in range(row["seq"] - 1, row["seq"] + 2)
    )
    if (
        taken is not None
        or (row["seq"] == 1 and row["prev_hash"] is not None)
        or (before is not None and before[0] != row["prev_hash"])
        or (after is not None and after[1] != row["hash"])
    ):
        raise InvalidInput(
            _("{where}: event {uuid} does not fit the chain of device {device} here (sequence {seq})").format(
                where=where, uuid=row["uuid"], device=row["device"], seq=row["seq"]
            )
        )
    for parent in json.loads(row["parents"]):
        if (
            conn.execute(
                "SELECT 1 FROM events WHERE uuid = ? AND case_uuid IS ?", [parent, row["case_uuid"]]
            ).fetchone()
            is None
        ):
            raise InvalidInput(
                _(
                    "{where}: event {uuid} follows event {parent}, which is neither in the file before "
                    "it nor in this caseload"
                ).format(where=where, uuid=row["uuid"], parent=parent)
            )


def refuse_forged_forget(
    conn: sqlite3.Connection, where: object, forget: dict, case_id: int | None, arrived_after: int | None = None
) -> None:
    """A `forget` that arrived erases its case only if the case is closed here or its writer had seen the
    termination of the case's latest cycle (in the forget's causal past); otherwise the import is refused.
    With `arrived_after` (a file anyone could have written: an export, a plain bundle), a termination that
    arrived with the same file (event ids past it) does not count: its hash and parents prove nothing without a
    secret, so two forged lines, a `terminate` and a `forget` from a made-up device, could erase an active case."""
    if case_id is None:
        raise InvalidInput(_("{where}: a forget event names no case").format(where=where))
    closed = conn.execute("SELECT status = 'closed' FROM cases WHERE id = ?", [case_id]).fetchone()
    if closed and closed[0]:
        return
    past = causal_past(conn, forget["case_uuid"], forget["parents"], arrived_after)
    # the latest cycle here too: a reopening the forget's writer had not seen keeps the case active
    here = conn.execute("SELECT max(cycle) FROM events WHERE case_id = ? AND kind != 'forget'", [case_id]).fetchone()
    latest_cycle = max([here[0] or 0, *(cycle or 0 for kind, cycle in past if kind != "forget")])
    if ("terminate", latest_cycle) in past:
        return
    if arrived_after is not None:  # closed, if at all, only by the file itself: closing is for the person here
        raise StepRefused(
            _(
                "{where}: the file erases case {case}, which is still active here; an import cannot "
                "erase an active case (close it first with `lingkaran terminate {case}`); nothing "
                "was imported"
            ).format(where=where, case=case_id)
        )
    raise StepRefused(
        _(
            "{where}: the file erases case {case}, which its writer had not seen closed; an import "
            "cannot erase an active case; nothing was imported"
        ).format(where=where, case=case_id)
    )


def causal_past(
    conn: sqlite3.Connection, case_uuid: str, parents: list[str], arrived_after: int | None = None
) -> set[tuple[str, int | None]]:
    """(kind, cycle) of every event before the given parents: through parents, and legacy events by clock; with
    `arrived_after`, only of the events that were here before (ids up to it)."""
    held = "" if arrived_after is None else " AND id <= :held"
    rows = conn.execute(
        "WITH RECURSIVE past(uuid) AS (SELECT value FROM json_each(:parents) UNION SELECT p.value FROM events AS e "
        "JOIN past ON e.uuid = past.uuid, json_each(e.parents) AS p) "
        f"SELECT kind, cycle, device, clock, uuid FROM events WHERE uuid IN past{held}",
        {"parents": json.dumps(parents), "held": arrived_after},
    ).fetchall()
    legacy = [(clock, uuid) for _kind, _cycle, device, clock, uuid in rows if device == devices.LEGACY]
    found = {(kind, cycle) for kind, cycle, *_rest in rows}
    if legacy:  # legacy events follow one another by clock: the latest one seen brings all before it
        clock, uuid = max(legacy)
        found |= set(
            conn.execute(
                "SELECT kind, cycle FROM events WHERE case_uuid = :case AND device = :legacy AND "
                f"(clock < :clock OR (clock = :clock AND uuid <= :uuid)){held}",
                {"case": case_uuid, "legacy": devices.LEGACY, "clock": clock, "uuid": uuid, "held": arrived_after},
            ).fetchall()
        )
    return found


def arrived_by_case(conn: sqlite3.Connection, last_event: int, last_case: int) -> list[dict]:
    """Per case that events arrived for (event ids past `last_event`): its number, uuid, client, whether it is
    new here (past `last_case`), how many events, whether it is erased."""
    rows = conn.execute(
        f"SELECT cases.id, cases.uuid, cases.client, cases.id > ?, count(*), {records.ERASED_SQL} "
        "FROM events AS e JOIN cases ON cases.id = e.case_id WHERE e.id > ? GROUP BY cases.id ORDER BY cases.id",
        [last_case, last_event],
    )
    return [
        {"case": case_id, "uuid": uuid, "client": client, "new": bool(new), "events": count, "erased": bool(erased)}
        for case_id, uuid, client, new, count, erased in rows
    ]
