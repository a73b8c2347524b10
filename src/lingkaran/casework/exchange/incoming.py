"""Import of lingkaran's own files: records and events arrive, checked, and merge into this caseload."""

import datetime as dt
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from lingkaran.casework.exchange.formats import FORMAT_NAME, FORMAT_VERSION, Advance, no_progress
from lingkaran.domain import record_rules
from lingkaran.domain.privacy import PERSONAL_COLUMNS
from lingkaran.errors import InvalidInput, StepRefused
from lingkaran.messages import N_, _
from lingkaran.store import arrivals, arrived_changes, erasure, events, records, search_index, tables
from lingkaran.store.sqlite import database_errors
from lingkaran.store.tables import Table


@dataclass
class ImportResult:
    """What an import did: new records per table, new events, what was already here, rows refused."""

    format: str
    imported: dict[str, int] = field(default_factory=dict)
    events: int = 0
    already_present: int = 0
    invalid: list[str] = field(default_factory=list)
    erased: list[int] = field(default_factory=list)  # cases whose `forget` arrived with the import
    renumbered: list[dict] = field(default_factory=list)  # goals a merge gave another number: case, uuid, text…
    conflicts: list[str] = field(default_factory=list)  # codes of the conflicts the merge brought
    # cases that arrived under another number than they had where they were exported: uuid, from, to, client
    renumbered_cases: list[dict] = field(default_factory=list)
    counted: bool | None = None  # the export's closing counts matched (False: an older export without them)
    ignored_columns: list[str] = field(default_factory=list)  # CSV columns lingkaran does not import
    erased_text_arrived: bool = False  # text for an erased case, blanked on arrival: the file must be compacted

    def changed(self) -> bool:
        return bool(self.events or any(self.imported.values()))

    def as_dict(self) -> dict:
        return {
            "format": self.format,
            "imported": self.imported,
            "events": self.events,
            "already_present": self.already_present,
            "invalid": self.invalid,
            "erased": self.erased,
            "renumbered": self.renumbered,
            "conflicts": self.conflicts,
            "renumbered_cases": self.renumbered_cases,
            "counted": self.counted,
            "ignored_columns": self.ignored_columns,
        }


@dataclass(frozen=True)
class Source:
    """What an import knows of the file its items come from. A bundle carries the `import` events of the
    devices it holds (an export's import recorded one in its device's chain, and a chain has no gaps). Only the
    team can write a sealed bundle (its passphrase) or what a sync pulls (the hub's logins): there a `terminate`
    arriving with a `forget` is its writer's closing. Anyone can write an export or a plain bundle, hashes and
    parents included (they hold no secret), so there it is not."""

    bundle: bool = False
    authenticated: bool = False


EXPORT, PLAIN_BUNDLE = Source(), Source(bundle=True)
SEALED_BUNDLE, HUB = Source(bundle=True, authenticated=True), Source(authenticated=True)


class Where:
    """Where an item sits in the file ("line 12"), put into words only when something is wrong there."""

    __slots__ = ("template", "number")

    def __init__(self, template: str, number: int):
        self.template, self.number = template, number

    def __str__(self) -> str:
        return _(self.template).format(number=self.number)


IDS_HELD = 40_000  # ids of records others point at, kept in hand during an import (about 8 MB)


class _Arrival:
    """What one import keeps in hand: the record tables, this file's ids of records other records point at
    (most references are to records the same import just stored), and the end of the event chain."""

    def __init__(self, conn: sqlite3.Connection, today: dt.date, counted: list["Counts"], source: Source):
        self.conn, self.today, self.counted, self.source = conn, today.isoformat(), counted, source
        self.tables = {table.name: table for table in tables.record_tables(conn)}
        # per table, each column in order: its key in the file, the table it points at, the rule its value keeps
        self.fields = {
            name: [
                (
                    table.exported_name(column),
                    column,
                    table.references.get(column),
                    record_rules.column_check(name, column, table.types[column]),
                )
                for column in table.columns
            ]
            for name, table in self.tables.items()
        }
        self.keys = {
            name: {key for key, *_rest in fields} | ({"number"} if name in tables.NUMBERED else set())
            for name, fields in self.fields.items()
        }
        self.renumbered: list[dict] = []
        self.referenced = {parent for table in self.tables.values() for parent in table.references.values()}
        self.ids: dict[tuple[str, str], int] = {}
        self.erased_here = erasure.erased_case_ids(conn)
        self.forgets: dict[int, Where] = {}  # cases whose `forget` arrived now, with where it stood in the file
        self.cases_before = records.last_id(conn, "cases")  # cases up to this id were here before the import
        self.events_before = records.last_id(conn, "events")
        self.merged: set[int] = set()  # cases held here before that received events: rebuilt from all of them
        self.arrived: set[str] = set()  # uuids of the goals and referrals that arrived: their numbers are new here
        self.device_forgets: list[tuple[Where, dict, int | None]] = []  # checked once every event is in
        self.chain = events.Chain(conn)
        self.log = arrivals.Log(conn)
        # per table, the positions of the dates of what happened (never after today) and of the personal text a
        # command requires (blank only where erasure or an anonymised export blanked it)
        self.happened = {
            name: [i for i, column in enumerate(table.columns) if record_rules.happened_on(column)]
            for name, table in self.tables.items()
        }
        self.required = {
            name: [
                i
                for i, column in enumerate(table.columns)
                if column in table.not_null
                and column in PERSONAL_COLUMNS.get(name, ())
                and table.types[column] == "TEXT"
            ]
            for name, table in self.tables.items()
        }
        self.blank: dict[int, tuple[Where, str, str]] = {}  # case id → where a required text arrived blank

    def anonymized(self) -> bool:
        """Whether the file is an anonymised export (its header says so)."""
        return bool(self.counted) and self.counted[0].anonymized

    def local_id(self, table: str, uuid: object) -> int | None:
        """This file's id of a record, or None."""
        if not isinstance(uuid, str):
            return None
        found = self.ids.get((table, uuid))
        if found is None:
            if table == "events":
                self.log.write_waiting()
            found = tables.local_id(self.conn, table, uuid)
            if found is not None:
                self.stored(table, uuid, found)
        return found

    def check_value(self, where: Where, table: str, column: str, value: object) -> None:
        """Refuse a value no command would store in this column."""
        rule = next((rule for _key, name, _parent, rule in self.fields.get(table, ()) if name == column), None)
        if value is not None and rule and not rule(value):
            raise _not_allowed(where, table, column, rule, value)

    def stored(self, table: str, uuid: str, record_id: int) -> None:
        """Remember the id a record has here, if other records may point at it. A cache, not a register: past
        IDS_HELD ids it starts again and misses are read by index (holding all made an import of 10,000 cases
        hold 45 MB of them)."""
        if table in self.referenced:
            if len(self.ids) >= IDS_HELD:
                self.ids.clear()
            self.ids[(table, uuid)] = record_id

    def refuse_future_dates(self, where: Where, table: Table, values: list) -> None:
        """A date of what happened (an opening, a step, a decision) is never after today, as for the commands."""
        for i in self.happened[table.name]:
            if values[i] is not None and values[i] > self.today:
                raise InvalidInput(
                    _(
                        "{where}: {table} {column} {date} is in the future (today is {today}); no "
                        "command records what has not happened yet"
                    ).format(where=where, table=table.name, column=table.columns[i], date=values[i], today=self.today)
                )

    def note_blanks(self, where: Where, table: Table, values: list, record_id: int) -> None:
        """Required personal text that arrived blank: only erasure, or an anonymised export, leaves it so."""
        if self.anonymized():
            return
        for i in self.required[table.name]:
            if isinstance(values[i], str) and not values[i].strip():
                case_id = record_id if table.name == "cases" else values[table.columns.index("case_id")]
                self.blank.setdefault(case_id, (where, table.name, table.columns[i]))

    def refuse_blanks(self) -> None:
        """After the last item: blank required text is allowed only in cases that are erased now."""
        erased = erasure.erased_case_ids(self.conn)
        for case_id, (where, table, column) in self.blank.items():
            if case_id not in erased:
                raise InvalidInput(
                    _(
                        "{where}: {table} {column} is empty; a command requires it (only an erased case "
                        "or an anonymised export leaves it blank)"
                    ).format(where=where, table=table, column=column)
                )


def import_items(
    conn: sqlite3.Connection,
    items: Iterator[tuple[Where, dict]],
    result: ImportResult,
    advance: Advance = no_progress,
    *,
    today: dt.date,
    counted: list["Counts"] | None = None,
    cases_before: int | None = None,
    source: Source = EXPORT,
) -> None:
    """Import lingkaran's own records and events (call inside one transaction), held to the commands' rules.
    Cases past `cases_before` (default: every case here now) are new: built from what arrives, not rebuilt."""
    arrival = _Arrival(conn, today, counted if counted is not None else [], source)
    if cases_before is not None:
        arrival.cases_before = cases_before
    levels_before = records.last_id(conn, "goal_levels")
    with search_index.filled_at_end(conn):
        for where, item in items:
            if not isinstance(item, dict) or not isinstance(item.get("record"), dict):
                raise InvalidInput(_('{where}: expected {{"table": …, "record": {{…}}}}').format(where=where))
            name, record = item.get("table"), item["record"]
            if name == "events":
                added = _import_event(arrival, where, record)
            elif name in arrival.tables:
                added = _import_record(arrival, where, arrival.tables[name], record)
            else:
                raise InvalidInput(
                    _("{where}: this caseload has no table {table!r} (written by a newer lingkaran?)").format(
                        where=where, table=name
                    )
                )
            if added:
                if name == "events":
                    result.events += 1
                else:
                    result.imported[name] = result.imported.get(name, 0) + 1
            else:
                result.already_present += 1
            advance(1)
        arrival.log.settle()
    records.refresh_latest_levels(conn, levels_before)  # levels observed elsewhere for goals kept here
    arrived_after = None if source.authenticated else arrival.events_before
    for where, forget, case_id in arrival.device_forgets:
        arrivals.refuse_forged_forget(conn, where, forget, case_id, arrived_after)
    _refuse_erasing_what_forget_would_not(arrival)
    result.erased, result.erased_text_arrived = erasure.erase_again(conn, arrival.erased_here)
    arrival.refuse_blanks()
    _merge(arrival, result)
    result.renumbered_cases = arrival.renumbered


def _merge(arrival: _Arrival, result: ImportResult) -> None:
    """Rebuild each case held here that received events from all of its events (cases new here arrived as
    their projection); goals that took other numbers and new conflicts go into the result."""
    from lingkaran.casework import projection
    from lingkaran.store.goals import name_goals_by_uuid

    for case_id in sorted(arrival.merged):
        rebuilt = projection.rebuild(arrival.conn, case_id)
        if rebuilt:  # a number people knew changed; one that arrived with the import was nobody's yet
            result.renumbered += [
                {"case_id": case_id, **item} for item in rebuilt.renumbered if item["uuid"] not in arrival.arrived
            ]
            result.conflicts += rebuilt.conflicts
    name_goals_by_uuid(arrival.conn)  # records from an older lingkaran name goals only by number


def _import_record(arrival: _Arrival, where: Where, table: Table, record: dict) -> bool:
    uuid = record.get("uuid")
    if not isinstance(uuid, str) or not uuid:
        raise InvalidInput(_("{where}: a {table} record without a uuid").format(where=where, table=table.name))
    unknown = record.keys() - arrival.keys[table.name]
    if unknown:
        raise InvalidInput(
            _("{where}: {table} has no field(s) {fields} here (written by a newer lingkaran?)").format(
                where=where, table=table.name, fields=", ".join(sorted(unknown))
            )
        )
    values = []
    for key, column, parent, rule in arrival.fields[table.name]:
        value = record.get(key)
        if value is None:
            pass
        elif parent:
            value = arrival.local_id(parent, value)
            if value is None:
                if arrival.local_id(table.name, uuid) is not None:
                    return False  # here already: what it points at need not be in the file
                raise _dangling(where, parent, record.get(key))
        elif rule and not rule(value):
            raise _not_allowed(where, table.name, column, rule, value)
        elif isinstance(value, list | dict):
            value = records.json_text(value)
        values.append(value)
    arrival.refuse_future_dates(where, table, values)
    try:
        record_id = _insert_arrived(arrival.conn, table, values)
    except database_errors("IntegrityError") as error:  # sqlite3's or sqlcipher3's
        raise _not_stored(where, table, values, error) from None
    if record_id is None:
        return False
    arrival.note_blanks(where, table, values, record_id)
    arrival.stored(table.name, uuid, record_id)
    number = record.get("number")
    if table.name == "cases" and type(number) is int and number != record_id:
        arrival.renumbered.append({"uuid": uuid, "from": number, "to": record_id, "client": record.get("client")})
    if table.name in ("goals", "referrals"):
        arrival.arrived.add(uuid)
    return True


def _insert_arrived(conn: sqlite3.Connection, table: Table, values: list) -> int | None:
    """Store an arrived record; a goal whose number a goal here has taken (both copies added one since they
    parted) takes the next free one until the case is rebuilt from its events."""
    try:
        return tables.insert_arrived(conn, table, values)
    except database_errors("IntegrityError") as error:
        if table.name != "goals" or "goals.number" not in str(error):
            raise
    at = table.columns.index("number")
    case_id = values[table.columns.index("case_id")]
    return tables.insert_arrived(
        conn, table, [*values[:at], records.next_goal_number(conn, case_id), *values[at + 1 :]]
    )


def _not_stored(where: Where, table: Table, values: list, error: Exception) -> InvalidInput:
    return InvalidInput(
        _("{where}: the {table} record cannot be stored: {reason}").format(where=where, table=table.name, reason=error)
    )


def _not_allowed(where: Where, table: str, column: str, rule: record_rules.Check, value: object) -> InvalidInput:
    """A value no command would have stored; the value itself is named only when it is short and in the place
    of one of a few codes (a long one may be anything, free text too)."""
    shown = (
        f" {value!r}"
        if isinstance(rule, record_rules.OneOf) and type(value) in (str, int) and len(str(value)) <= 40
        else ""
    )
    return InvalidInput(
        _("{where}: {table} {column}{value} is not valid here; expected {expected}").format(
            where=where, table=table, column=column, value=shown, expected=record_rules.expected(rule)
        )
    )


def _dangling(where: Where, table: str, uuid: object) -> InvalidInput:
    return InvalidInput(
        _("{where}: refers to {table} {uuid} which is neither in the file before it nor in this caseload").format(
            where=where, table=table, uuid=uuid
        )
    )


def _import_event(arrival: _Arrival, where: Where, event: dict) -> bool:
    """Append an event from another machine (one for a case erased here is kept blanked)."""
    missing = [name for name in ("uuid", "kind", "recorded_at", "content_hash") if not event.get(name)]
    if missing or "data" not in event:
        raise InvalidInput(
            _("{where}: an event without {fields}").format(where=where, fields=", ".join(missing or ["data"]))
        )
    _check_chained_types(where, event)
    content, matches = _canonical_content(where, event)  # encoded once: it is both checked and stored
    if event["data"] != {"erased": True} and not matches:
        raise InvalidInput(
            _("{where}: event {uuid} does not match its content_hash (changed after export?)").format(
                where=where, uuid=event["uuid"]
            )
        )
    case_id = None
    if event.get("case_uuid"):
        case_id = arrival.local_id("cases", event["case_uuid"])
        if case_id is None:
            raise _dangling(where, "cases", event["case_uuid"])
    if event["kind"] == "forget" and case_id is None:
        raise InvalidInput(_("{where}: a forget event names no case").format(where=where))
    if case_id not in arrival.erased_here:
        _held_to_commands(arrival, where, event, case_id)
    added = _store_arrived(arrival, where, event, case_id, content)
    if added and case_id is not None and case_id <= arrival.cases_before:
        arrival.merged.add(case_id)
    if added:
        _apply_arrived_change(arrival, where, event, case_id)
    return added


def _canonical_content(where: Where, event: dict) -> tuple[str, bool]:
    """An arriving event's data as canonical JSON and whether it matches the event's content hash; refused when
    nested deeper than any event lingkaran writes."""
    try:
        content, matches = events.arrived_content(event["data"], event["content_hash"])
    except RecursionError:
        content, matches = None, False
    # counting brackets is a cheap upper bound of the depth: the walk is needed only past it
    if content is None or (
        content.count("[") + content.count("{") > record_rules.MAX_NESTING
        and not record_rules.nested_at_most(event["data"])
    ):
        raise InvalidInput(
            _("{where}: event {uuid} holds data nested more than {levels} levels deep; no command writes that").format(
                where=where, uuid=event["uuid"], levels=record_rules.MAX_NESTING
            )
        )
    return content, matches


def _store_arrived(arrival: _Arrival, where: Where, event: dict, case_id: int | None, content: str) -> bool:
    """Store an arrived event: a device event with its origin, a legacy one linked into this file's chain; a
    forget is checked once every event is in, and what arrives for a case erased here is kept blanked."""
    erased_here = case_id in arrival.erased_here
    if arrivals.is_device_event(event):
        added = arrival.log.arrive(where, event, case_id, content, erased_here)
        if added and event["kind"] == "forget" and not erased_here:
            arrival.device_forgets.append((where, event, case_id))
        return added
    if erased_here and event["kind"] != "forget":
        content = erasure.ERASED_DATA  # erasure wins: kept blanked, so every copy holds the same events
    arrival.log.settle()  # a legacy event is linked by reading the log
    added = arrival.chain.append_arrived(event, case_id, content)
    if added and event["kind"] == "forget" and not erased_here:
        arrival.forgets.setdefault(case_id, where)
    return added


def _held_to_commands(arrival: _Arrival, where: Where, event: dict, case_id: int | None) -> None:
    """What no command writes: an event dated after today, a second `open` of a case, another file's own
    bookkeeping (`import` events) arriving other than in its device's chain in a bundle."""
    if event["kind"] in tables.LOCAL_EVENT_KINDS and not (arrival.source.bundle and arrivals.is_device_event(event)):
        raise InvalidInput(
            _("{where}: {kind} events are the bookkeeping of the caseload that made them and never leave it").format(
                where=where, kind=event["kind"]
            )
        )
    if event.get("occurred_on") and event["occurred_on"] > arrival.today:
        raise InvalidInput(
            _(
                "{where}: event {uuid} is dated {date}, in the future (today is {today}); no command "
                "records what has not happened yet"
            ).format(where=where, uuid=event["uuid"], date=event["occurred_on"], today=arrival.today)
        )
    if event["kind"] == "open" and case_id is not None and arrival.log.opened_by_another(case_id, event["uuid"]):
        raise InvalidInput(
            _("{where}: event {uuid} opens case {case} a second time; a case is opened once").format(
                where=where, uuid=event["uuid"], case=event["case_uuid"]
            )
        )


def _refuse_erasing_what_forget_would_not(arrival: _Arrival) -> None:
    """An import may not erase what `lingkaran forget` refuses: each case whose `forget` arrived must, with the
    file's records and events in, be closed (here, or in its latest cycle by the log) and have its opening."""
    for case_id, where in arrival.forgets.items():
        if not erasure.closed_in_latest_cycle(
            arrival.conn, case_id, arrival.events_before, arrival.source.authenticated
        ):
            raise StepRefused(
                _(
                    "{where}: the file erases case {case}, which is still active here; an import cannot "
                    "erase an active case (close it first with `lingkaran terminate {case}`); nothing "
                    "was imported"
                ).format(where=where, case=case_id)
            )
        if not erasure.opening_recorded(arrival.conn, case_id):
            raise InvalidInput(
                _(
                    "{where}: the file erases case {case}, whose opening is neither in the file nor in "
                    "this caseload; nothing was imported"
                ).format(where=where, case=case_id)
            )


def _apply_arrived_change(arrival: _Arrival, where: Where, event: dict, case_id: int | None) -> None:
    """A correction or a goal's revision made elsewhere shows in the record here too, as if typed here."""
    if event["kind"] == "amend" and (corrected := arrived_changes.corrected_record(event["data"])):
        table, column, record_uuid, text = corrected
        arrival.check_value(where, table, column, text)
        arrived_changes.apply_correction(arrival.conn, table, column, record_uuid, text)
    elif event["kind"] == "plan" and case_id is not None:
        for number, changes in arrived_changes.revised_goals(event["data"]).items():
            for column, value in changes.items():
                arrival.check_value(where, "goals", column, value)
            arrived_changes.apply_revision(arrival.conn, case_id, number, changes)


def _check_chained_types(where: Where, event: dict) -> None:
    """The hash covers the fields as text: refuse types SQLite would store differently (1.0 for a cycle), and
    values `log`, the agenda and reports could not read (the content hash covers only `data`)."""
    for name in ("uuid", "case_uuid", "kind", "content_hash"):
        if not (event.get(name) is None or isinstance(event[name], str)):
            raise InvalidInput(_("{where}: an event's {field} must be text").format(where=where, field=name))
    for name, rule in record_rules.EVENT_RULES.items():
        if event.get(name) is not None and not rule(event[name]):
            raise _not_allowed(where, "events", name, rule, event[name])


class Counts:
    """What an import has read of an export, held against the counts the export ends with.

    An export that announces them (`"counted": true` in its header) and ends without them was cut short; an
    older export without them is read as it is, and `complete` stays None so the import can say so."""

    def __init__(self, head: dict):
        self.announced = head.get("counted") is True
        self.anonymized = head.get("anonymized") is True
        self.read = {"records": 0, "events": 0}
        self.complete: bool | None = None

    def item(self, item: object) -> None:
        is_event = isinstance(item, dict) and item.get("table") == "events"
        self.read["events" if is_event else "records"] += 1

    def end(self, counts: object, where: Where | str) -> None:
        """The export's closing counts: they must be the numbers of records and events read."""
        if not isinstance(counts, dict) or {key: counts.get(key) for key in self.read} != self.read:
            raise InvalidInput(
                _(
                    "{where}: the export says it holds {counts} but {records} records and {events} "
                    "events were read; the file is incomplete or was edited, and nothing was "
                    "imported"
                ).format(where=where, counts=_count_text(counts), **self.read)
            )
        self.complete = True

    def finish(self) -> None:
        """After the last item: an export that announced its counts must have ended with them."""
        if self.announced and not self.complete:
            raise InvalidInput(
                _(
                    "the file ends before the counts an export closes with ({records} records and "
                    "{events} events read): it was cut short, and nothing was imported"
                ).format(**self.read)
            )


def _count_text(counts: object) -> str:
    if isinstance(counts, dict) and all(type(counts.get(key)) is int for key in ("records", "events")):
        return _("{records} records and {events} events").format(records=counts["records"], events=counts["events"])
    return _("counts that are not numbers")


def ndjson_items(lines: Iterable[str], counted: list[Counts] | None = None) -> Iterator[tuple[Where, dict]]:
    """The items of an NDJSON export after its header line, each with its line number; the closing counts are
    checked (and handed over in `counted`) when the file ends."""
    counts = None
    for number, text in enumerate(lines, start=1):
        if not text or text.isspace():
            continue
        where = Where(N_("line {number}"), number)
        item = _parse_json(text, where)
        if counts is None:
            check_header(item)
            counts = Counts(item)
            (counted if counted is not None else []).append(counts)
        elif counts.complete:
            raise InvalidInput(_("{where}: nothing may follow the counts an export closes with").format(where=where))
        elif isinstance(item, dict) and "end" in item and "table" not in item:
            counts.end(item["end"], where)
        else:
            counts.item(item)
            yield where, item
    if counts is None:
        raise InvalidInput(_("the file is empty"))
    counts.finish()


def json_items(lines: Iterable[str], counted: list[Counts] | None = None) -> Iterator[tuple[Where, dict]]:
    """The items of a JSON export (read whole: JSON has no line-by-line form), checked against its counts."""
    document = _parse_json("".join(lines), _("the file"))
    check_header(document)
    items = document.get("records")
    if not isinstance(items, list):
        raise InvalidInput(_('the file has no "records" list'))
    counts = Counts(document)
    (counted if counted is not None else []).append(counts)
    for item in items:
        counts.item(item)
    if "end" in document:
        counts.end(document["end"], _("the file"))
    counts.finish()
    for number, item in enumerate(items, start=1):
        yield Where(N_("record {number}"), number), item


def _parse_json(text: str, where: Where | str) -> object:
    """One JSON value, parsed by orjson (several times json's speed; it refuses what json would let through
    and no JSON writer makes: lone surrogates, NaN, more than 1,024 levels of nesting)."""
    import orjson  # only import reads JSON this way

    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as error:
        if "depth limit" in error.msg:
            raise _too_deep(where) from None
        raise InvalidInput(_("{where} is not valid JSON: {reason}").format(where=where, reason=error.msg)) from None


def _too_deep(where: Where | str) -> InvalidInput:
    return InvalidInput(_("{where} is nested too deeply to be a lingkaran export").format(where=where))


def check_header(document: object) -> None:
    """Refuse anything but a lingkaran export this version can read."""
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise InvalidInput(
            _('not a lingkaran export (no "format": "{name}" header); for a spreadsheet use --format csv').format(
                name=FORMAT_NAME
            )
        )
    if document.get("version") != FORMAT_VERSION:
        raise InvalidInput(
            _("export format version {found} is not one this lingkaran reads ({known})").format(
                found=document.get("version"), known=FORMAT_VERSION
            )
        )
