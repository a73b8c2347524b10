"""Import from a spreadsheet: one case a CSV row, as `lingkaran open` would open it."""

import csv
import datetime as dt
import itertools
import re
import sqlite3
from collections.abc import Iterable

from lingkaran.casework.exchange.formats import Advance, no_progress
from lingkaran.casework.exchange.incoming import ImportResult
from lingkaran.casework.exchange.spreadsheet import csv_columns, formula_text
from lingkaran.domain import parse
from lingkaran.domain.vocabularies import LEVEL
from lingkaran.errors import InvalidInput
from lingkaran.messages import _
from lingkaran.store import tables

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


def csv_cases(
    conn: sqlite3.Connection,
    lines: Iterable[str],
    today: dt.date,
    result: ImportResult,
    advance: Advance = no_progress,
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
