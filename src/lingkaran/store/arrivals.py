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
from lingkaran.store import chains, devices, events, records
from lingkaran.store.erasure import ERASED_DATA
from lingkaran.store.sqlite import database_errors

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


class Log:
    """Where one import's device events are checked and stored: with what arrived before them in memory while
    the caseload held no events (`IntoEmpty`: a file imported into a new caseload, a new laptop's first pull),
    else in this file's log (`InFile`); the same checks, the same outcome."""

    def __init__(self, conn: sqlite3.Connection):
        empty = conn.execute("SELECT NOT EXISTS (SELECT 1 FROM events)").fetchone()[0]
        self.current: InFile | IntoEmpty = IntoEmpty(conn) if empty else InFile(conn)

    def arrive(self, where: object, event: dict, case_id: int | None, content: str, erased_here: bool) -> bool:
        """Store a device event from elsewhere as it was written; False when it is here already."""
        row = _stored_form(where, event, case_id, content)
        here = self.current.held(row)
        if here is not None:
            if here[0] != row["hash"] and here[1] != devices.LEGACY:
                raise _differs(where, row)
            return False
        _refuse_misplaced(self.current, where, row)
        if erased_here and row["kind"] != "forget":
            row["data"] = ERASED_DATA  # erasure wins: its content_hash stays, so its chain still verifies
        self.current.store(where, row)
        return True

    def opened_by_another(self, case_id: int, uuid: str) -> bool:
        """Whether an `open` event other than this one is here for the case."""
        return self.current.opened_by_another(case_id, uuid)

    def write_waiting(self) -> None:
        """Store the events held back, so the log can be read (a record that points at an event)."""
        self.current.write_waiting()

    def settle(self) -> None:
        """Write all that is held back and go on in the file: before a legacy event is linked (that reads the
        log and the heads) and after the last event."""
        self.current = self.current.settle()


def _differs(where: object, row: dict) -> InvalidInput:
    return InvalidInput(
        _("{where}: event {uuid} differs from the event with that uuid here").format(where=where, uuid=row["uuid"])
    )


class InFile:
    """Arriving events checked against this file's log and stored in it, a few statements each."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def held(self, row: dict) -> tuple[str, str] | None:
        """The hash and device of the event with the row's uuid here, or None."""
        return self.conn.execute("SELECT hash, device FROM events WHERE uuid = ?", [row["uuid"]]).fetchone()

    def own_device(self) -> str:
        return devices.current(self.conn)[0]

    def neighbours(self, device: str, seq: int) -> list[tuple[str, str | None] | None]:
        """(hash, previous hash) of the device's events at the sequences before, at and after `seq` (or None)."""
        sql = "SELECT hash, prev_hash FROM events WHERE device = ? AND seq = ?"
        return [self.conn.execute(sql, [device, at]).fetchone() for at in (seq - 1, seq, seq + 1)]

    def holds_in_case(self, uuid: str, case_uuid: str | None) -> bool:
        sql = "SELECT 1 FROM events WHERE uuid = ? AND case_uuid IS ?"
        return self.conn.execute(sql, [uuid, case_uuid]).fetchone() is not None

    def opened_by_another(self, case_id: int, uuid: str) -> bool:
        sql = "SELECT 1 FROM events WHERE case_id = ? AND kind = 'open' AND uuid != ?"
        return self.conn.execute(sql, [case_id, uuid]).fetchone() is not None

    def store(self, where: object, row: dict) -> None:
        events.insert(self.conn, row)
        devices.absorb_clock(self.conn, row["clock"])

    def write_waiting(self) -> None:
        pass  # nothing waits

    def settle(self) -> "InFile":
        return self


class IntoEmpty:
    """Arriving events for a caseload that held none: what arrived before answers most checks from memory (each
    device's latest event, each case's heads, each case's opening), the events are stored in batches, and the
    cases' heads, the devices' runs of sequences and the clock are written once, at the end. What memory cannot
    answer (an event below its device's latest, as a pull by case brings them; a parent that is no longer a
    head of its case) is asked of the file once the batch is written, as `InFile` asks it."""

    BATCH = 2_000

    def __init__(self, conn: sqlite3.Connection):
        self.conn, self.file = conn, InFile(conn)
        self.device = devices.current(conn)[0]
        self.latest: dict[str, tuple[int, str]] = {}  # per device: the highest sequence arrived and its hash
        self.heads: dict[str, set[str]] = {}  # per case uuid: the events no later event names as a parent
        self.opened: dict[int, str] = {}  # per case: its `open` event
        self.far_ahead = hlc.stamp(devices.wall_ms() + hlc.MAX_AHEAD_MS, hlc.COUNTER_LIMIT)
        self.latest_clock = ""  # the latest stamp that is not far ahead: the one the clock absorbs
        self.waiting: list[tuple[object, dict]] = []

    def _below_latest(self, device: str, seq: int) -> bool:
        """Whether the device's events arrived so far reach past `seq` (then the file is asked)."""
        if seq <= self.latest.get(device, (0, ""))[0]:
            self.write_waiting()
            return True
        return False

    def held(self, row: dict) -> tuple[str, str] | None:
        # above its device's latest it cannot have arrived (one with its uuid and another origin fails the insert)
        return self.file.held(row) if self._below_latest(row["device"], row["seq"]) else None

    def own_device(self) -> str:
        return self.device

    def neighbours(self, device: str, seq: int) -> list[tuple[str, str | None] | None]:
        if self._below_latest(device, seq):
            return self.file.neighbours(device, seq)
        latest_seq, latest_hash = self.latest.get(device, (0, ""))
        return [(latest_hash, None) if latest_seq and seq == latest_seq + 1 else None, None, None]

    def holds_in_case(self, uuid: str, case_uuid: str | None) -> bool:
        if case_uuid is not None and uuid in self.heads.get(case_uuid, ()):
            return True
        self.write_waiting()
        return self.file.holds_in_case(uuid, case_uuid)

    def opened_by_another(self, case_id: int, uuid: str) -> bool:
        return self.opened.get(case_id, uuid) != uuid

    def store(self, where: object, row: dict) -> None:
        if row["seq"] > self.latest.get(row["device"], (0, ""))[0]:
            self.latest[row["device"]] = (row["seq"], row["hash"])
        if row["case_uuid"] is not None:
            heads = self.heads.setdefault(row["case_uuid"], set())
            heads.difference_update(json.loads(row["parents"]))
            heads.add(row["uuid"])
        if row["kind"] == "open" and row["case_id"] is not None:
            self.opened.setdefault(row["case_id"], row["uuid"])
        if self.latest_clock < row["clock"] <= self.far_ahead:
            self.latest_clock = row["clock"]
        self.waiting.append((where, row))
        if len(self.waiting) >= self.BATCH:
            self.write_waiting()

    def write_waiting(self) -> None:
        if not self.waiting:
            return
        before = records.last_id(self.conn, "events")
        try:
            events.insert_many(self.conn, [row for _where, row in self.waiting])
        except database_errors("IntegrityError") as error:  # a uuid that arrived twice, in different events
            if "events.uuid" not in str(error):
                raise
            where, row = self.waiting[records.last_id(self.conn, "events") - before]
            raise _differs(where, row) from None
        self.waiting.clear()

    def settle(self) -> InFile:
        """Write what is held back, the heads, the runs of sequences and the clock; go on `InFile`."""
        self.write_waiting()
        devices.write_heads(self.conn, self.heads)
        runs = chains.contiguous_sequences(self.conn)  # each as `devices.linked` leaves it, event by event
        devices.write_sequences(self.conn, {device: run for device, run in runs.items() if run})
        if self.latest_clock:
            devices.absorb_clock(self.conn, self.latest_clock)
        return self.file


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


def _refuse_misplaced(log: InFile | IntoEmpty, where: object, row: dict) -> None:
    """Refuse an event that contradicts its device's chain here or follows events that are not here."""
    if row["device"] == log.own_device():  # a copy that has not written yet becomes a device of its own
        raise InvalidInput(
            _(
                "{where}: event {uuid} claims to be from this caseload's own device, which never "
                "wrote it (two files wrote as one device?)"
            ).format(where=where, uuid=row["uuid"])
        )
    before, taken, after = log.neighbours(row["device"], row["seq"])
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
        if not log.holds_in_case(parent, row["case_uuid"]):
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
