"""`export` and `import`: the caseload as JSON, NDJSON or CSV, to move between machines or to a spreadsheet."""

import itertools
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Annotated, BinaryIO

import typer

from lingkaran.cli.options import JsonFlag
from lingkaran.cli.session import print_json, session
from lingkaran.errors import InvalidInput
from lingkaran.messages import N_, _, ngettext

OutputOption = Annotated[Path | None, typer.Option(
    "--output", "-o", help=_("Write to this new file (mode 0600) instead of stdout."), show_default=False)]


@contextmanager
def output_file(path: Path | None) -> Iterator[BinaryIO]:
    """stdout, or a new private file that appears only once it is completely written (bytes, UTF-8 text)."""
    if path is None:
        sys.stdout.flush()
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    from lingkaran.store.files import create_private_file

    if path.exists():
        raise InvalidInput(_("{path} already exists; choose another name or remove it first").format(path=path))
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        create_private_file(partial, make_folder=False)  # the caller's folder must be there already
        with partial.open("wb") as out:
            yield out
        os.replace(partial, path)
    except OSError as error:  # the caller named a place that cannot take the file: their input, exit 2
        raise InvalidInput(_("cannot write {path}: {reason}").format(path=path, reason=error.strerror)) from None
    finally:
        with suppress(FileNotFoundError, NotADirectoryError):  # never made, or its folder is a file
            partial.unlink()


def export(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", help=_("json, ndjson (one record a line) or csv (one row a case)."))
                   ] = "json",
    case: Annotated[str | None, typer.Option(help=_("Only this case (number or UUID)."), show_default=False)] = None,
    anonymize: Annotated[bool, typer.Option(
        "--anonymize", help=_("Pseudonyms for clients; free text, names, birth dates and places left out."))] = False,
    output: OutputOption = None,
    force: Annotated[bool, typer.Option(
        "--force", help=_("Export cases even though they have no recorded consent."))] = False,
) -> None:
    """Export the caseload or one case, with its events, as JSON, NDJSON or CSV."""
    from lingkaran.casework import exchange
    from lingkaran.render.progress import progress_bar

    fmt = exchange.check_format(fmt)
    conn = session(ctx).conn()
    plan = exchange.plan_export(conn, case, force)
    with output_file(output) as out, \
            progress_bar(None if fmt == "csv" else plan.total, N_("Exporting")) as advance:
        if plan.without_consent:  # said once the output is open: a refused export stays one line on stderr
            sys.stderr.write("lingkaran: " + _("exporting case(s) {cases} without recorded consent (--force)")
                             .format(cases=exchange.case_numbers(plan.without_consent)) + "\n")
        written = exchange.write_export(conn, plan, out, fmt, anonymize, advance)
    if output is not None:
        sys.stderr.write(ngettext("Exported {count} record to {path}", "Exported {count} records to {path}",
                                  written).format(count=written, path=output) + "\n")


def import_file(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help=_("The file to import; - reads stdin."))],
    fmt: Annotated[str | None, typer.Option(
        "--format", help=_("csv, json or ndjson (default: recognised from the first line)."),
        show_default=False)] = None,
    skip_invalid: Annotated[bool, typer.Option(
        "--skip-invalid", help=_("CSV: import the valid rows and report the others."))] = False,
    json_output: JsonFlag = False,
) -> None:
    """Import a lingkaran export (idempotent by UUID) or a CSV of cases."""
    from lingkaran.casework import exchange
    from lingkaran.render.progress import progress_bar

    run = session(ctx)
    with _input_lines(file) as lines:
        first = next(lines, "")
        fmt = exchange.check_format(fmt) if fmt else exchange.detect_format(first)
        lines.settle(bounded=fmt != "json")  # JSON is read whole (it has no lines); NDJSON and CSV line by line
        # counted for the progress bar only in a regular file: a pipe (`import <(…)`, /dev/stdin) read twice loses lines
        total = _line_count(file) if sys.stderr.isatty() and str(file) != "-" and file.is_file() else None
        try:
            with progress_bar(total, N_("Importing")) as advance:
                result = exchange.run_import(run.conn(), itertools.chain([first], lines), fmt, name=file.name or "-",
                                             today=run.today(), skip_invalid=skip_invalid, advance=advance)
        except exchange.RowsInvalid as error:
            if len(error.rows) > 1:
                sys.stderr.writelines(f"lingkaran: {row}\n" for row in error.rows)
            raise
    for row in result.invalid:
        sys.stderr.write("lingkaran: " + _("skipped {file} {row}").format(file=file.name, row=row) + "\n")
    if result.counted is False:
        sys.stderr.write("lingkaran: " + _("{file} does not end with the counts of what it holds (an export by an "
                                           "older lingkaran), so whether it is complete cannot be told").format(
            file=file.name or "-") + "\n")
    if json_output:
        print_json(result.as_dict())
        return
    records = sum(result.imported.values())
    sys.stdout.write(_("Imported {records} records ({cases} cases) and {events} events; {present} already here."
                       ).format(records=records, cases=result.imported.get("cases", 0), events=result.events,
                                present=result.already_present) + "\n")


@contextmanager
def _input_lines(file: Path) -> Iterator["BoundedLines"]:
    """The lines of the file (or stdin), refusing what cannot be read as UTF-8 text."""
    try:
        if str(file) == "-":
            yield BoundedLines(sys.stdin)
            return
        with file.open(encoding="utf-8-sig", newline="") as stream:
            yield BoundedLines(stream)
    except OSError as error:
        raise InvalidInput(_("cannot read {path}: {reason}").format(path=file, reason=error.strerror)) from None
    except UnicodeDecodeError:
        raise InvalidInput(_("{path} is not UTF-8 text").format(path=file)) from None


class BoundedLines:
    """The lines of a text stream, none read past MAX_LINE characters while bounded: a line of an export or a
    spreadsheet holds at most a few texts of a megabyte each, and a 100-million-character line would otherwise
    be read whole into memory before any rule could refuse it. A longer line stops the import (exit 2).

    The first line is read before the format is known; if it is that long it is handed over cut, and `settle`
    refuses it for NDJSON and CSV, or lets the rest follow for JSON (a whole document on one line)."""

    MAX_LINE = 16_000_000

    def __init__(self, stream):
        self.stream, self.bounded, self.number, self.cut = stream, None, 0, False

    def settle(self, bounded: bool) -> None:
        """Read the rest bounded (NDJSON, CSV) or whole (JSON)."""
        self.bounded = bounded
        if bounded and self.cut:
            self._refuse()

    def __iter__(self) -> "BoundedLines":
        return self

    def __next__(self) -> str:
        line = self.stream.readline(-1 if self.bounded is False else self.MAX_LINE + 1)
        if not line:
            raise StopIteration
        self.number += 1
        if self.bounded is not False and len(line) > self.MAX_LINE and not line.endswith("\n"):
            self.cut = True
            if self.bounded:
                self._refuse()
        return line

    def _refuse(self) -> None:
        raise InvalidInput(_("line {number} is longer than {limit} characters, more than any export or spreadsheet "
                             "line lingkaran reads; nothing was imported").format(
            number=self.number, limit=self.MAX_LINE))


def _line_count(file: Path) -> int:
    with file.open("rb") as stream:
        return sum(1 for _line in stream)


def register(app: typer.Typer) -> None:
    """Add export and import to the app."""
    app.command("export")(export)
    app.command("import")(import_file)
