"""A CSV cell both ways: the export's columns, formulas and control characters made harmless, and read back."""

import re
import sqlite3

from lingkaran.store import tables

CSV_FIGURES = ("open_goals", "activities", "contact_minutes", "latest_t_score")


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
