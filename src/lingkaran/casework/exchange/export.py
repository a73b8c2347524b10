"""Export: what a file holds (consent checked), written as JSON, NDJSON or CSV, streamed a chunk at a time."""

import csv
import io
import itertools
import re
import sqlite3
from dataclasses import dataclass, field
from functools import partial
from typing import BinaryIO

import orjson

from lingkaran.casework.exchange.anonymise import anonymized_event, anonymized_record
from lingkaran.casework.exchange.formats import FORMAT_NAME, FORMAT_VERSION, Advance, no_progress
from lingkaran.casework.exchange.spreadsheet import csv_columns, spreadsheet_text
from lingkaran.errors import InvalidInput
from lingkaran.messages import _
from lingkaran.store import consents, events, records, tables, transactions
from lingkaran.store.sqlite import locked_or_unusable
from lingkaran.store.tables import Table


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


def export_chunks(
    conn: sqlite3.Connection, plan: Export, anonymize: bool, every_kind: bool = False, separator: bytes = b"\n"
) -> tables.Chunks:
    """Every record, then every event, as lines `{"table": …, "record": …}` joined by `separator`, in chunks,
    streamed.

    Records that point at events (a correction, say) follow the events, so each reference can be resolved on
    import when it is read. A bundle (`every_kind`) carries the `import` events too: they are in their device's
    chain.
    """
    after_events = [(table, condition) for table, condition in plan.tables if "events" in table.references.values()]
    chosen = [entry for entry in plan.tables if entry not in after_events]
    params = {"case_id": plan.case_id}
    chunks = itertools.chain(
        *(tables.record_chunks(conn, table, condition, params, separator) for table, condition in chosen),
        tables.event_chunks(conn, plan.case_id, every_kind, separator),
        *(tables.record_chunks(conn, table, condition, params, separator) for table, condition in after_events),
    )
    if not anonymize:
        return chunks
    by_name = {table.name: table for table, _condition in plan.tables}
    return (_anonymized_chunk(by_name, chunk, separator) for chunk in chunks)


def _anonymized_chunk(by_name: dict[str, Table], chunk: tables.Chunk, separator: bytes) -> tables.Chunk:
    lines = [line for line in map(partial(_anonymized_line, by_name), chunk.lines.split(separator)) if line]
    return chunk._replace(line_count=len(lines), lines=separator.join(lines))


def _anonymized_line(by_name: dict[str, Table], line: bytes) -> bytes | None:
    try:
        item = orjson.loads(line)
    except orjson.JSONDecodeError:  # a line SQLite built from the columns: text no JSON reader takes is damage
        raise locked_or_unusable(sqlite3.DatabaseError("malformed JSON")) from None
    if item["table"] == "events":
        record = anonymized_event(item["record"])
    else:
        record = anonymized_record(by_name[item["table"]], item["record"])
    return None if record is None else orjson.dumps({**item, "record": record})


def write_export(
    conn: sqlite3.Connection, plan: Export, out: BinaryIO, fmt: str, anonymize: bool, advance: Advance = no_progress
) -> int:
    """Write the export as it is read, a chunk of records at a time; returns how many records were written.

    It ends with the counts of what it holds (NDJSON: a last line {"end": {...}}; JSON: "end" after the
    records), so an import can tell a file cut short, even at a line boundary, from a whole one."""
    with transactions.snapshot(conn):
        if fmt == "csv":
            return _write_csv(conn, plan, out, anonymize, advance)
        return _write_json(conn, plan, out, fmt, anonymize, advance)


def _write_json(
    conn: sqlite3.Connection, plan: Export, out: BinaryIO, fmt: str, anonymize: bool, advance: Advance
) -> int:
    head = orjson.dumps(header(plan, anonymize))
    out.write(head + b"\n" if fmt == "ndjson" else head[:-1] + b',"records":[\n')
    separator = b"\n" if fmt == "ndjson" else b",\n"
    written = events_written = 0
    for chunk in export_chunks(conn, plan, anonymize, separator=separator):
        if not chunk.line_count:
            continue  # anonymised away
        if fmt == "json" and written:
            out.write(separator)
        out.write(escaped_controls(chunk.lines, as_stored=chunk.table == "events"))
        if fmt == "ndjson":
            out.write(separator)
        written += chunk.line_count
        events_written += chunk.line_count if chunk.table == "events" else 0
        advance(chunk.line_count)
    end = orjson.dumps({"records": written - events_written, "events": events_written})
    out.write(b'{"end":' + end + b"}\n" if fmt == "ndjson" else b'\n],"end":' + end + b"}\n")
    return written


# Control characters JSON may carry raw (DEL and the C1 controls, U+0080–U+009F: CSI is U+009B) and C0 ones that
# only text edited by hand could hold raw, as they stand in UTF-8. The separators between lines are newlines,
# which never stand raw inside a JSON line, so it is left alone.
RAW_CONTROL = re.compile(rb"[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]")


def escaped_controls(lines: bytes, as_stored: bool = True) -> bytes:
    """JSON lines with every control character as a \\u escape: an export printed to a terminal can never
    retitle the window or clear the screen, and the JSON means the same (DEL, U+0080–U+009F included).

    SQLite's JSON functions escape the C0 controls themselves; only text written `as_stored` (an event's data)
    can hold them raw, and looking for them is the one pass over every byte (two scans for single bytes, in C,
    tell the rest: the regex alone took 0.1 s a megabyte)."""
    if b"\xc2" not in lines and b"\x7f" not in lines and not (as_stored and _holds_raw_c0(lines)):
        return lines
    return RAW_CONTROL.sub(lambda found: b"\\u%04x" % ord(found.group().decode()), lines)


def _holds_raw_c0(lines: bytes) -> bool:
    return len(lines.translate(None, RAW_C0)) != len(lines)


RAW_C0 = bytes([*range(0x0A), *range(0x0B, 0x20)])


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
