"""`export` and `import`: the caseload as JSON, NDJSON or CSV, to move between machines or to a spreadsheet."""

import itertools
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from lingkaran.cli.commands import command_app
from lingkaran.cli.files import OutputOption, output_file
from lingkaran.cli.options import JsonFlag
from lingkaran.cli.output import print_json, print_lines
from lingkaran.cli.session import session
from lingkaran.errors import InvalidInput
from lingkaran.messages import N_, _, ngettext

app = command_app()


@app.command()
def export(
    ctx: typer.Context,
    fmt: Annotated[
        str, typer.Option("--format", help=_("json, ndjson (one record a line) or csv (one row a case)."))
    ] = "json",
    case: Annotated[str | None, typer.Option(help=_("Only this case (number or UUID)."), show_default=False)] = None,
    anonymize: Annotated[
        bool,
        typer.Option(
            "--anonymize", help=_("Pseudonyms for clients; free text, names, birth dates and places left out.")
        ),
    ] = False,
    output: OutputOption = None,
    force: Annotated[
        bool, typer.Option("--force", help=_("Export cases even though they have no recorded consent."))
    ] = False,
) -> None:
    """Export the caseload or one case, with its events, as JSON, NDJSON or CSV."""
    from lingkaran.casework.exchange import export as exporting
    from lingkaran.casework.exchange import formats
    from lingkaran.render.progress import progress_bar

    fmt = formats.check_format(fmt)
    conn = session(ctx).conn()
    plan = exporting.plan_export(conn, case, force)
    with output_file(output) as out, progress_bar(None if fmt == "csv" else plan.total, N_("Exporting")) as advance:
        if plan.without_consent:  # said once the output is open: a refused export stays one line on stderr
            sys.stderr.write(
                "lingkaran: "
                + _("exporting case(s) {cases} without recorded consent (--force)").format(
                    cases=exporting.case_numbers(plan.without_consent)
                )
                + "\n"
            )
        written = exporting.write_export(conn, plan, out, fmt, anonymize, advance)
    if output is not None:
        sys.stderr.write(
            ngettext("Exported {count} record to {path}", "Exported {count} records to {path}", written).format(
                count=written, path=output
            )
            + "\n"
        )


@app.command("import")
def import_file(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help=_("The file to import; - reads stdin."))],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format", help=_("csv, json or ndjson (default: recognised from the first line)."), show_default=False
        ),
    ] = None,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help=_("CSV: import the valid rows and report the others."))
    ] = False,
    passphrase_file: Annotated[
        Path | None,
        typer.Option(
            "--passphrase-file",
            help=_("A bundle: a file holding the team's passphrase (else asked at a terminal)."),
            show_default=False,
        ),
    ] = None,
    json_output: JsonFlag = False,
) -> None:
    """Import a bundle from a colleague, a lingkaran export (idempotent by UUID) or a CSV of cases."""
    from lingkaran.casework.exchange import formats, running
    from lingkaran.render.progress import progress_bar

    bundle = _bundle_bytes(file)
    if bundle is not None:
        from lingkaran.cli.commands.sync import import_bundle

        import_bundle(ctx, file, bundle, passphrase_file, json_output)
        return
    if passphrase_file is not None:
        raise InvalidInput(_("--passphrase-file is for bundles, and {path} is not one").format(path=file))
    run = session(ctx)
    with _input_lines(file) as lines:
        first = next(lines, "")
        fmt = formats.check_format(fmt) if fmt else formats.detect_format(first)
        lines.settle(bounded=fmt != "json")  # JSON is read whole (it has no lines); NDJSON and CSV line by line
        # counted for the progress bar only in a regular file: a pipe (`import <(…)`, /dev/stdin) read twice loses lines
        total = _line_count(file) if sys.stderr.isatty() and str(file) != "-" and file.is_file() else None
        try:
            with progress_bar(total, N_("Importing")) as advance:
                result = running.run_import(
                    run.conn(),
                    itertools.chain([first], lines),
                    fmt,
                    name=file.name or "-",
                    today=run.today(),
                    skip_invalid=skip_invalid,
                    advance=advance,
                )
        except running.RowsInvalid as error:
            if len(error.rows) > 1:
                sys.stderr.writelines(f"lingkaran: {row}\n" for row in error.rows)
            raise
    for row in result.invalid:
        sys.stderr.write("lingkaran: " + _("skipped {file} {row}").format(file=file.name, row=row) + "\n")
    if result.ignored_columns:
        sys.stderr.write(
            "lingkaran: "
            + _("{file}: column(s) {names} not imported (lingkaran has no place for them)").format(
                file=file.name or "-", names=", ".join(map(repr, result.ignored_columns))
            )
            + "\n"
        )
    if result.counted is False:
        sys.stderr.write(
            "lingkaran: "
            + _(
                "{file} does not end with the counts of what it holds (an export by an "
                "older lingkaran), so whether it is complete cannot be told"
            ).format(file=file.name or "-")
            + "\n"
        )
    if json_output:
        print_json(result.as_dict())
        return
    records = sum(result.imported.values())
    sys.stdout.write(
        _("Imported {records} records ({cases} cases) and {events} events; {present} already here.").format(
            records=records, cases=result.imported.get("cases", 0), events=result.events, present=result.already_present
        )
        + "\n"
    )
    from lingkaran.render.conflicts import merge_lines

    print_lines(merge_lines(result.renumbered, result.conflicts))
    _renumbered_lines(result.renumbered_cases)


def _bundle_bytes(file: Path) -> bytes | None:
    """The whole file when it is a bundle (recognised by its first line), else None."""
    if str(file) == "-" or not file.is_file():
        return None
    from lingkaran.casework.bundles import is_bundle

    try:
        with file.open("rb") as stream:
            if not is_bundle(stream.read(64)):
                return None
            stream.seek(0)
            return stream.read()
    except OSError as error:
        raise InvalidInput(_("cannot read {path}: {reason}").format(path=file, reason=error.strerror)) from None


RENUMBERED_SHOWN = 20  # a colleague's whole caseload merged in: the first few (`import --json` lists every one)


def _renumbered_lines(renumbered: list[dict]) -> None:
    """Which number each arriving case has here, when it had another where it came from."""
    from lingkaran.render.plain import printable

    for case in renumbered[:RENUMBERED_SHOWN]:
        sys.stdout.write(
            printable(
                _("Case {old} there is case {new} here ({client}).").format(
                    old=case["from"], new=case["to"], client=case["client"] or "–"
                )
            )
            + "\n"
        )
    more = len(renumbered) - RENUMBERED_SHOWN
    if more > 0:
        sys.stdout.write(
            ngettext("… and {count} more case renumbered", "… and {count} more cases renumbered", more).format(
                count=more
            )
            + "\n"
        )


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
        raise InvalidInput(
            _('{path} is not UTF-8 text; from Excel, save it as "CSV UTF-8"').format(path=file)
        ) from None


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
        raise InvalidInput(
            _(
                "line {number} is longer than {limit} characters, more than any export or spreadsheet "
                "line lingkaran reads; nothing was imported"
            ).format(number=self.number, limit=self.MAX_LINE)
        )


def _line_count(file: Path) -> int:
    with file.open("rb") as stream:
        return sum(1 for _line in stream)
