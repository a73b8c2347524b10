"""Export and import of the caseload: lingkaran's own JSON/NDJSON, and CSV for spreadsheets.

The record tables come from the schema (store.tables.record_tables), so a table another part of lingkaran
adds later travels too. Import is one transaction and idempotent by UUID: a record or event already here is
left as it is. Imported events keep their uuid, times, data and content hash and are linked into this file's
hash chain where they land; one `import` event records the import itself (see docs/export-formats.md).
"""

import csv
import datetime as dt
import hashlib
import io
import itertools
import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import BinaryIO

from lingkaran.domain import parse, record_rules
from lingkaran.domain.privacy import PERSONAL_COLUMNS, PERSONAL_EVENT_KEYS
from lingkaran.domain.vocabularies import LEVEL
from lingkaran.errors import InvalidInput, StepRefused
from lingkaran.messages import N_, _
from lingkaran.store import arrivals, arrived_changes, consents, erasure, events, records, search_index, tables
from lingkaran.store.sqlite import database_errors
from lingkaran.store.tables import Table

FORMAT_NAME = "lingkaran-export"
FORMAT_VERSION = 1
FORMATS = ("json", "ndjson", "csv")
CSV_FIGURES = ("open_goals", "activities", "contact_minutes", "latest_t_score")
CSV_IMPORT_COLUMNS = ("uuid", "client", "level", "problem", "opened_on", "source", "worker", "consent", "consent_on")
CSV_ALIASES = {
    "opened": "opened_on",
    "date": "opened_on",
    "name": "client",
    "klien": "client",
    "masalah": "problem",
    "tingkat": "level",
    "tanggal": "opened_on",
    # the headers an Indonesian agency's spreadsheet uses
    "nama": "client",
    "nama_klien": "client",
    "permasalahan": "problem",
    "tanggal_buka": "opened_on",
    "tgl": "opened_on",
    "tanggal_dibuka": "opened_on",
    "sumber": "source",
    "sumber_rujukan": "source",
    "pekerja": "worker",
    "pekerja_sosial": "worker",
    "petugas": "worker",
    "persetujuan": "consent",
    "tanggal_persetujuan": "consent_on",
}
CSV_DELIMITERS = (",", ";", "\t")  # a spreadsheet in an Indonesian (or other European) locale saves with ";"
DAY_FIRST = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})")
YES = {"1", "yes", "y", "true", "ya"}
NO = {"", "0", "no", "n", "false", "tidak"}
Advance = Callable[[int], None]


def _no_progress(count: int) -> None:
    """Used when nobody is watching."""


def check_format(value: str, allowed: tuple[str, ...] = FORMATS) -> str:
    """One of the formats, given with --format."""
    fmt = value.strip().lower().replace("jsonl", "ndjson")
    if fmt not in allowed:
        raise InvalidInput(
            _("--format {value!r} is not valid; use one of: {valid}").format(value=value, valid=", ".join(allowed))
        )
    return fmt


def detect_format(first_line: str) -> str:
    """The format of a file to import, from its first line: an export's header, a JSON document, or CSV."""
    if not first_line.lstrip().startswith(("{", "[")):
        return "csv"
    try:
        json.loads(first_line)
        return "ndjson"
    except RecursionError:
        return "ndjson"  # a whole document on one line, nested too deeply: reading it says so
    except ValueError:
        return "json"


# --- anonymising -------------------------------------------------------------------------------------------


def pseudonym(case_uuid: str) -> str:
    """A client's stand-in name: the same for the same case in every export, and says nothing about them."""
    return f"client-{case_uuid[:8]}"


def _blank(value: object, required: bool) -> object:
    if isinstance(value, list):
        return []
    if isinstance(value, dict):
        return {}
    return "" if required and isinstance(value, str) else None


def anonymized_record(table: Table, record: dict) -> dict | None:
    """A record with personal columns blanked (the client named by pseudonym); None for unclassified tables."""
    if table.name not in PERSONAL_COLUMNS:
        return None  # a table nobody classified for privacy is left out rather than risk leaking it
    for column in PERSONAL_COLUMNS[table.name]:
        record[column] = _blank(record.get(column), column in table.not_null)
    if table.name == "cases":
        record["client"] = pseudonym(record["uuid"])
    return record


def anonymized_event(event: dict) -> dict:
    """An event with personal keys of its data blanked; data of kinds nobody classified is dropped."""
    data = event["data"]
    if data != {"erased": True}:
        keys = PERSONAL_EVENT_KEYS.get(event["kind"])
        data = (
            {} if keys is None else {key: _blank(value, False) if key in keys else value for key, value in data.items()}
        )
        if event["kind"] == "open" and event["case_uuid"]:
            data["client"] = pseudonym(event["case_uuid"])
    origin_dropped = {name: None for name in tables.ORIGIN_FIELDS}  # new content: no longer the device's event
    return {**event, **origin_dropped, "data": data, "content_hash": events.content_hash(data)}


# --- export ------------------------------------------------------------------------------------------------


@dataclass
class Export:
    """What one export will write: which case (or all), the tables with their row conditions, the size."""

    case_id: int | None
    case_uuid: str | None
    tables: list[tuple[Table, str | None]]
    total: int
    without_consent: list[int] = field(default_factory=list)


def plan_export(conn: sqlite3.Connection, reference: str | None, force: bool) -> Export:
    """Decide what to export and refuse cases without recorded consent unless forced."""
    case = records.find_case(conn, reference) if reference else None
    case_id = case["id"] if case else None
    every_table = tables.record_tables(conn)
    if case:
        scope = tables.case_scope(every_table)
        chosen = [(table, scope[table.name]) for table in every_table if table.name in scope]
    else:
        chosen = [(table, None) for table in every_table]
    params = {"case_id": case_id}
    total = sum(tables.count(conn, table.name, condition, params) for table, condition in chosen)
    missing = tables.cases_without_consent(conn, case_id)
    if missing and not force:
        raise InvalidInput(_no_consent_message(missing, consents.withdrawn_on(conn, missing)))
    return Export(case_id, case["uuid"] if case else None, chosen, total + tables.event_count(conn, case_id), missing)


def _no_consent_message(missing: list[int], withdrawn: dict[int, str]) -> str:
    """Why an export is refused: the cases whose client withdrew consent (and when), those never asked."""
    never = [case_id for case_id in missing if case_id not in withdrawn]
    reasons = [
        _("case {case}: consent withdrawn on {date}").format(case=case_id, date=date)
        for case_id, date in list(withdrawn.items())[:10]
    ]
    if never:
        reasons.append(_("no recorded consent for case(s) {cases}").format(cases=case_numbers(never)))
    return _("{reasons}; exporting their records needs --force").format(reasons="; ".join(reasons))


def case_numbers(numbers: list[int], shown: int = 10) -> str:
    """Case numbers for a one-line message: the first few, then how many more."""
    text = ", ".join(map(str, numbers[:shown]))
    return (
        text if len(numbers) <= shown else _("{first} and {count} more").format(first=text, count=len(numbers) - shown)
    )


def header(plan: Export, anonymize: bool) -> dict:
    """The first thing in a JSON or NDJSON export: what it is and where it came from."""
    from lingkaran.store.database import SCHEMA_VERSION

    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "schema": SCHEMA_VERSION,
        "exported_at": events.now_utc(),
        "case": plan.case_uuid,
        "anonymized": anonymize,
        "counted": True,
    }


def export_batches(
    conn: sqlite3.Connection, plan: Export, anonymize: bool, every_kind: bool = False
) -> tables.LineBatches:
    """Every record, then every event, as lines `{"table": …, "record": …}`, in batches, streamed.

    Records that point at events (a correction, say) follow the events, so each reference can be resolved on
    import when it is read. A bundle (`every_kind`) carries the `import` events too: they are in their device's
    chain.
    """
    after_events = [(table, condition) for table, condition in plan.tables if "events" in table.references.values()]
    chosen = [entry for entry in plan.tables if entry not in after_events]
    params = {"case_id": plan.case_id}
    batches = itertools.chain(
        *(tables.record_lines(conn, table, condition, params) for table, condition in chosen),
        tables.event_lines(conn, plan.case_id, every_kind),
        *(tables.record_lines(conn, table, condition, params) for table, condition in after_events),
    )
    if not anonymize:
        return batches
    by_name = {table.name: table for table, _condition in plan.tables}
    return ([line for line in map(partial(_anonymized_line, by_name), batch) if line] for batch in batches)


def _anonymized_line(by_name: dict[str, Table], line: bytes) -> bytes | None:
    item = json.loads(line)
    if item["table"] == "events":
        record = anonymized_event(item["record"])
    else:
        record = anonymized_record(by_name[item["table"]], item["record"])
    return None if record is None else _line({**item, "record": record}).encode()


def _line(item: object) -> str:
    return json.dumps(item, ensure_ascii=False, separators=(",", ":"))


def write_export(
    conn: sqlite3.Connection, plan: Export, out: BinaryIO, fmt: str, anonymize: bool, advance: Advance = _no_progress
) -> int:
    """Write the export as it is read, a batch of records at a time; returns how many records were written.

    It ends with the counts of what it holds (NDJSON: a last line {"end": {...}}; JSON: "end" after the
    records), so an import can tell a file cut short, even at a line boundary, from a whole one."""
    if fmt == "csv":
        return _write_csv(conn, plan, out, anonymize, advance)
    head = _line(header(plan, anonymize)).encode()
    out.write(head + b"\n" if fmt == "ndjson" else head[:-1] + b',"records":[\n')
    separator = b"\n" if fmt == "ndjson" else b",\n"
    written = events_written = 0
    for batch in export_batches(conn, plan, anonymize):
        if fmt == "json" and written and batch:
            out.write(separator)
        out.write(escaped_controls(separator.join(batch)) + (separator if fmt == "ndjson" and batch else b""))
        written += len(batch)
        events_written += sum(line.startswith(EVENT_LINE) for line in batch)
        advance(len(batch))
    end = _line({"records": written - events_written, "events": events_written}).encode()
    out.write(b'{"end":' + end + b"}\n" if fmt == "ndjson" else b'\n],"end":' + end + b"}\n")
    return written


EVENT_LINE = b'{"table":"events"'  # how every event's line begins, written by SQLite or by _line
# Control characters JSON may carry raw (DEL and the C1 controls, U+0080–U+009F: CSI is U+009B) and C0 ones that
# only text edited by hand could hold raw, as they stand in UTF-8. The separators between lines are newlines,
# which never stand raw inside a JSON line, so it is left alone.
RAW_CONTROL = re.compile(rb"[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]")


def escaped_controls(lines: bytes) -> bytes:
    """JSON lines with every control character as a \\u escape: an export printed to a terminal can never
    retitle the window or clear the screen, and the JSON means the same (DEL, U+0080–U+009F included)."""
    if b"\xc2" not in lines and len(lines.translate(None, RAW_C0_AND_DEL)) == len(lines):
        return lines  # the usual case, told by two passes in C: the regex alone took 0.1 s a megabyte
    return RAW_CONTROL.sub(lambda found: b"\\u%04x" % ord(found.group().decode()), lines)


RAW_C0_AND_DEL = bytes([*range(0x0A), *range(0x0B, 0x20), 0x7F])


def csv_columns(conn: sqlite3.Connection) -> list[str]:
    """The columns of the CSV export: the case number, every column of `cases`, then a few figures."""
    cases_table = next(table for table in tables.record_tables(conn) if table.name == "cases")
    return ["id", *cases_table.columns, *CSV_FIGURES]


# A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV injection"): `=HYPERLINK(…)`
# in a client's name would run when a supervisor opens the export. Such a cell is written after a `'`.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _looks_escaped(text: str) -> bool:
    """Quotes then a formula start (`'=x`, `''-5`): the shape of a cell `spreadsheet_text` wrote a `'` into."""
    return text.startswith("'") and text.lstrip("'").startswith(FORMULA_STARTS)


def spreadsheet_text(value: object) -> object:
    """A CSV cell's value: control characters written as the six characters `\\u001b` (as in JSON), and text
    that a spreadsheet would take for a formula with a leading `'` (numbers stay).

    Text that already starts with quotes before a formula start (a name `'=x`) gets one too, so that
    `formula_text` takes exactly one `'` from every cell of that shape and each text comes back as it was.
    """
    if not isinstance(value, str):
        return value
    value = CELL_CONTROL.sub(lambda found: f"\\u{ord(found.group()):04x}", value)
    if value.startswith(FORMULA_STARTS) or _looks_escaped(value):
        return "'" + value
    return value


# CSV has no escapes, so a control character would reach the terminal or the spreadsheet raw: ESC and BEL
# retitle a terminal's window, NUL cuts a cell short in some spreadsheets. No command stores one (tab and
# newline aside, which multi-line notes need and a quoted cell keeps), so writing them escaped loses nothing.
CELL_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def formula_text(cell: str) -> str:
    """The text `spreadsheet_text` wrote: a CSV cell read back without the `'` it put before a formula."""
    return cell[1:] if _looks_escaped(cell) else cell


def _write_csv(conn: sqlite3.Connection, plan: Export, out: BinaryIO, anonymize: bool, advance: Advance) -> int:
    cases_table = next(table for table, _condition in plan.tables if table.name == "cases")
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    columns = csv_columns(conn)
    csv.writer(text, lineterminator="\n").writerow(columns)
    # Every text cell quoted: a spreadsheet set to split on `;` (as Indonesian Excel is) keeps `a;=1+2` whole.
    writer = csv.DictWriter(
        text, fieldnames=columns, extrasaction="ignore", lineterminator="\n", quoting=csv.QUOTE_NONNUMERIC
    )
    written = 0
    for row in tables.case_rows(conn, plan.case_id):
        if anonymize:
            row = anonymized_record(cases_table, row)
        writer.writerow({column: spreadsheet_text(value) for column, value in row.items()})
        written += 1
        advance(1)
    text.detach()  # the stream stays open for whoever opened it
    return written


# --- import ------------------------------------------------------------------------------------------------


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


class Where:
    """Where an item sits in the file ("line 12"), put into words only when something is wrong there."""

    __slots__ = ("template", "number")

    def __init__(self, template: str, number: int):
        self.template, self.number = template, number

    def __str__(self) -> str:
        return _(self.template).format(number=self.number)


class _Arrival:
    """What one import keeps in hand: the record tables, this file's ids of records other records point at
    (most references are to records the same import just stored), and the end of the event chain."""

    def __init__(self, conn: sqlite3.Connection, today: dt.date, counted: list["Counts"]):
        self.conn, self.today, self.counted = conn, today.isoformat(), counted
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
        self.merged: set[int] = set()  # cases held here before that received events: rebuilt from all of them
        self.arrived: set[str] = set()  # uuids of the goals and referrals that arrived: their numbers are new here
        self.device_forgets: list[tuple[Where, dict, int | None]] = []  # checked once every event is in
        self.chain = events.Chain(conn)
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
            found = tables.local_id(self.conn, table, uuid)
            if found is not None and table in self.referenced:
                self.ids[(table, uuid)] = found
        return found

    def check_value(self, where: Where, table: str, column: str, value: object) -> None:
        """Refuse a value no command would store in this column."""
        rule = next((rule for _key, name, _parent, rule in self.fields.get(table, ()) if name == column), None)
        if value is not None and rule and not rule(value):
            raise _not_allowed(where, table, column, rule, value)

    def stored(self, table: str, uuid: str, record_id: int) -> None:
        """Remember the id a new record got here, if other records may point at it."""
        if table in self.referenced:
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
    advance: Advance = _no_progress,
    *,
    today: dt.date,
    counted: list["Counts"] | None = None,
) -> None:
    """Import lingkaran's own records and events (call inside one transaction), held to the commands' rules."""
    arrival = _Arrival(conn, today, counted if counted is not None else [])
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
    records.refresh_latest_levels(conn, levels_before)  # levels observed elsewhere for goals kept here
    for where, forget, case_id in arrival.device_forgets:
        arrivals.refuse_forged_forget(conn, where, forget, case_id)
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
    content = events.canonical_json(event["data"])  # encoded once: it is both checked and stored
    if event["data"] != {"erased": True} and hashlib.sha256(content.encode()).hexdigest() != event["content_hash"]:
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


def _store_arrived(arrival: _Arrival, where: Where, event: dict, case_id: int | None, content: str) -> bool:
    """Store an arrived event: a device event with its origin, a legacy one linked into this file's chain; a
    forget is checked once every event is in, and what arrives for a case erased here is kept blanked."""
    erased_here = case_id in arrival.erased_here
    if arrivals.is_device_event(event):
        added = arrivals.arrive(arrival.conn, where, event, case_id, content, erased_here)
        if added and event["kind"] == "forget" and not erased_here:
            arrival.device_forgets.append((where, event, case_id))
        return added
    if erased_here and event["kind"] != "forget":
        content = erasure.ERASED_DATA  # erasure wins: kept blanked, so every copy holds the same events
    added = arrival.chain.append_arrived(event, case_id, content)
    if added and event["kind"] == "forget" and not erased_here:
        arrival.forgets.setdefault(case_id, where)
    return added


def _held_to_commands(arrival: _Arrival, where: Where, event: dict, case_id: int | None) -> None:
    """What no command writes: an event dated after today, a second `open` of a case, this file's own
    bookkeeping (`import` events) arriving from another."""
    if event["kind"] in tables.LOCAL_EVENT_KINDS:
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
    if (
        event["kind"] == "open"
        and case_id is not None
        and arrival.conn.execute(
            "SELECT 1 FROM events WHERE case_id = ? AND kind = 'open' AND uuid != ?", [case_id, event["uuid"]]
        ).fetchone()
    ):
        raise InvalidInput(
            _("{where}: event {uuid} opens case {case} a second time; a case is opened once").format(
                where=where, uuid=event["uuid"], case=event["case_uuid"]
            )
        )


def _refuse_erasing_what_forget_would_not(arrival: _Arrival) -> None:
    """An import may not erase what `lingkaran forget` refuses: each case whose `forget` arrived must, with the
    file's records and events in, be closed (here, or in its latest cycle by the log) and have its opening."""
    for case_id, where in arrival.forgets.items():
        if not erasure.closed_in_latest_cycle(arrival.conn, case_id):
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
    try:
        return json.loads(text)
    except ValueError as error:
        raise InvalidInput(_("{where} is not valid JSON: {reason}").format(where=where, reason=error.msg)) from None
    except RecursionError:  # Python's parser recurses once per level: ~1,000 nested brackets exhaust it
        raise InvalidInput(_("{where} is nested too deeply to be a lingkaran export").format(where=where)) from None


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


# --- CSV import --------------------------------------------------------------------------------------------


def csv_cases(
    conn: sqlite3.Connection,
    lines: Iterable[str],
    today: dt.date,
    result: ImportResult,
    advance: Advance = _no_progress,
) -> None:
    """Open one case per valid CSV row (call inside one transaction); collect each bad row with its line."""
    lines = iter(lines)
    first = next(lines, "")
    reader = csv.reader(itertools.chain([first], lines), delimiter=csv_delimiter(first))
    csv.field_size_limit(parse.MAX_TEXT)  # a cell as long as a command takes; its row is then held to the rules
    head = _csv_row(reader, 1)
    if head is None:
        raise InvalidInput(_("the file is empty"))
    columns = _csv_header(head, set(csv_columns(conn)), result)
    line = reader.line_num + 1
    while (row := _csv_row(reader, line)) is not None:
        if any(cell.strip() for cell in row):
            try:
                _import_csv_row(conn, columns, row, today, result)
            except InvalidInput as error:
                result.invalid.append(_("line {line}: {problem}").format(line=line, problem=error.message))
        line = reader.line_num + 1
        advance(1)


def _csv_row(reader, line: int) -> list[str] | None:
    """The next row, or None at the end. What the csv module cannot read stops the whole import (also with
    --skip-invalid: past a cell it could not read, where the next row begins is anybody's guess)."""
    try:
        return next(reader)
    except StopIteration:
        return None
    except csv.Error as error:
        if "field limit" in str(error):
            raise InvalidInput(
                _("line {line}: a cell is longer than {limit} characters; nothing was imported").format(
                    line=line, limit=parse.MAX_TEXT
                )
            ) from None
        raise InvalidInput(
            _("line {line} cannot be read as CSV ({reason}); nothing was imported").format(line=line, reason=error)
        ) from None


def csv_delimiter(header: str) -> str:
    """The separator of a CSV file, from its header line: the one of `,`, `;` and tab it uses most (a header
    is column names, so it holds no separator inside a name)."""
    return max(CSV_DELIMITERS, key=header.count)


def _csv_header(head: list[str], exported: set[str], result: ImportResult) -> list[str | None]:
    """The column each CSV field feeds (None: ignored, a figure from an export or a column lingkaran does not
    import, which `result.ignored_columns` names)."""
    columns: list[str | None] = []
    for name in head:
        key = "_".join(name.strip().lower().split())
        key = CSV_ALIASES.get(key, key)
        if key in CSV_IMPORT_COLUMNS:
            columns.append(key)
        else:
            columns.append(None)
            if key not in exported and name.strip():
                result.ignored_columns.append(name.strip())
    missing = [name for name in ("client", "level", "problem") if name not in columns]
    if missing:
        raise InvalidInput(_("line 1: the header needs column(s) {names}").format(names=", ".join(missing)))
    return columns


def _import_csv_row(
    conn: sqlite3.Connection, columns: list[str | None], row: list[str], today: dt.date, result: ImportResult
) -> None:
    if len(row) != len(columns):
        raise InvalidInput(
            _("{found} fields where the header has {expected}").format(found=len(row), expected=len(columns))
        )
    cells = {column: formula_text(cell.strip()) for column, cell in zip(columns, row, strict=False) if column}
    uuid = _csv_uuid(cells.get("uuid"))
    if uuid and tables.local_id(conn, "cases", uuid) is not None:
        result.already_present += 1
        return
    opened = parse.parse_date(iso_date(cells.get("opened_on") or "today", "opened_on"), today, "opened_on")
    if opened > today:
        raise InvalidInput(_("opened_on {date} is in the future").format(date=opened.isoformat()))
    consent = _yes_no(cells.get("consent", ""), "consent")
    consent_on = _consent_date(cells.get("consent_on"), today, opened)
    from lingkaran.casework.steps import record_opening

    record_opening(
        conn,
        client=parse.clean_text(cells.get("client"), "client", required=True),
        level=LEVEL.parse(cells.get("level", "")),
        problem=parse.clean_text(cells.get("problem"), "problem", required=True),
        source=parse.clean_text(cells.get("source"), "source"),
        consent=consent,
        worker=parse.clean_text(cells.get("worker"), "worker"),
        on=opened,
        consent_on=consent_on,
        uuid=uuid,
    )
    result.imported["cases"] = result.imported.get("cases", 0) + 1
    result.events += 1


def _consent_date(text: str | None, today: dt.date, opened: dt.date) -> str | None:
    """A row's consent date, under the rules of `lingkaran consent`: not in the future, not before the opening."""
    if not text:
        return None
    decided = parse.parse_step_date(iso_date(text, "consent_on"), today, "consent_on")
    parse.refuse_before_opening(decided, opened.isoformat(), "consent_on")
    return decided.isoformat()


def iso_date(text: str, column: str) -> str:
    """A spreadsheet's date as YYYY-MM-DD: day first (3/12/2026, 03-12-2026, 3.12.2026 are 3 December, as an
    Indonesian spreadsheet writes them); a date whose second number cannot be a month is refused, not guessed."""
    found = DAY_FIRST.fullmatch(text.strip())
    if not found:
        return text
    day, month, year = (int(part) for part in found.groups())
    if month > 12:
        raise InvalidInput(
            _("{column} {value!r}: dates are read day first (DD/MM/YYYY); write it as YYYY-MM-DD").format(
                column=column, value=text
            )
        )
    return f"{year:04}-{month:02}-{day:02}"


def _csv_uuid(text: str | None) -> str | None:
    """A case that left as a CSV row comes back under its own UUID, so importing it twice adds it once."""
    if not text:
        return None
    if not re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", text.lower()):
        raise InvalidInput(_("uuid {value!r} is not a UUID").format(value=text))
    return text.lower()


def _yes_no(text: str, column: str) -> bool:
    word = text.strip().lower()
    if word in YES:
        return True
    if word in NO:
        return False
    raise InvalidInput(_("{column} {value!r} is not yes or no").format(column=column, value=text))


# --- running an import -------------------------------------------------------------------------------------


class RowsInvalid(InvalidInput):
    """Some CSV rows cannot be imported; nothing was."""

    def __init__(self, name: str, rows: list[str]):
        self.rows = [f"{name} {row}" for row in rows]
        if len(rows) == 1:
            message = _("{row}; nothing was imported (--skip-invalid imports the valid rows)").format(row=self.rows[0])
        else:
            message = _(
                "{count} rows are invalid; nothing was imported (--skip-invalid imports the valid rows)"
            ).format(count=len(rows))
        super().__init__(message)


def run_import(
    conn: sqlite3.Connection,
    lines: Iterable[str],
    fmt: str,
    *,
    name: str,
    today: dt.date,
    skip_invalid: bool,
    advance: Advance = _no_progress,
) -> ImportResult:
    """Import a file in one transaction, recording one `import` event when anything new arrived."""
    from lingkaran.store.transactions import larger_cache, transaction

    result = ImportResult(fmt)
    with larger_cache(conn), transaction(conn):
        if fmt == "csv":
            csv_cases(conn, lines, today, result, advance)
            if result.invalid and not skip_invalid:
                raise RowsInvalid(name, result.invalid)
        else:
            counted: list[Counts] = []
            items = (ndjson_items if fmt == "ndjson" else json_items)(lines, counted)
            import_items(conn, items, result, advance, today=today, counted=counted)
            result.counted = bool(counted and counted[0].complete)
        if result.changed():  # a file that brought an erased case's text may be named after the client
            events.append(
                conn,
                None,
                "import",
                phase=None,
                cycle=None,
                occurred_on=today.isoformat(),
                data={"file": None if result.erased_text_arrived else name, **result.as_dict()},
            )
    if result.erased_text_arrived:
        erasure.compact(conn)  # the erased text must not survive in free pages or the WAL
    return result
