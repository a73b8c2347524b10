"""Running an import: one transaction, its `import` event, and the refusal of invalid CSV rows."""

import datetime as dt
import sqlite3
from collections.abc import Iterable

from lingkaran.casework.exchange.csv_cases import csv_cases
from lingkaran.casework.exchange.formats import Advance, no_progress
from lingkaran.casework.exchange.incoming import Counts, ImportResult, import_items, json_items, ndjson_items
from lingkaran.errors import InvalidInput
from lingkaran.messages import _
from lingkaran.store import erasure, events


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
    advance: Advance = no_progress,
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
