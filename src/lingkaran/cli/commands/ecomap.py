"""`lingkaran ecomap`: the client's systems and ties (Hartman, 1978), drawn, dated, compared.

Grammar: `ecomap show|add|remove CASE …`. For speed `ecomap CASE` means `ecomap show CASE`, and the issue's
word order `ecomap CASE add SYSTEM …` is accepted too (the case number is moved after the subcommand).
"""

from typing import Annotated

import typer
from typer.core import TyperGroup

from lingkaran.cli.commands import command_app
from lingkaran.cli.guide import guided
from lingkaran.cli.options import CaseArgument, DateOption, JsonFlag, choice_option
from lingkaran.cli.output import confirm, print_json, show
from lingkaran.cli.session import session
from lingkaran.domain import parse
from lingkaran.domain.vocabularies import ECOMAP_KIND, FLOW, TIE
from lingkaran.errors import InvalidInput
from lingkaran.messages import _
from lingkaran.prompts.answers import EcomapAddAnswers

app = command_app()

HELP_NAMES = ("-h", "--help")


def _work():
    """The write operations, imported when a command runs (so `--help` loads no database code)."""
    from lingkaran.casework import helping_work

    return helping_work


class EcomapGroup(TyperGroup):
    """Routes `ecomap CASE …` to `show`, and `ecomap CASE add|remove …` to `add|remove CASE …`."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in HELP_NAMES:
            if len(args) > 1 and args[1] in self.commands:
                args = [args[1], args[0], *args[2:]]
            else:
                args = ["show", *args]
        return super().parse_args(ctx, args)


ecomap_app = typer.Typer(
    cls=EcomapGroup,
    no_args_is_help=True,
    rich_markup_mode=None,
    help=_(
        "The ecomap: the client's systems and ties. `ecomap CASE` shows it; `ecomap add|remove CASE SYSTEM` changes it."
    ),
)

SystemArgument = Annotated[
    str | None,
    typer.Argument(
        metavar="SYSTEM", help=_("The system's name: a person, a school, a clinic, the mosque, …"), show_default=False
    ),
]
NoteOption = Annotated[str | None, typer.Option(help=_("What the tie is like."), show_default=False)]


@ecomap_app.command("show")
def ecomap_show(
    ctx: typer.Context,
    case: CaseArgument = None,
    at: Annotated[str | None, typer.Option(help=_("Show the map as it was on this date."), show_default=False)] = None,
    compare: Annotated[bool, typer.Option("--compare", help=_("Compare the intake map with now (or --at)."))] = False,
    since: Annotated[
        str | None,
        typer.Option(
            "--from",
            help=_("With --compare: the earlier date (default: when the map was first drawn)."),
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[str, typer.Option("--format", help=_("text, json or dot (Graphviz)."))] = "text",
    output: Annotated[
        str | None, typer.Option(help=_("Write to this file (created private) instead of stdout."), show_default=False)
    ] = None,
    json_output: JsonFlag = False,
) -> None:
    """Draw the client's ecomap: the client at the centre, the systems around, ties and flows."""
    run = session(ctx)
    run.require({"CASE": case})
    today = run.today()
    output_format = "json" if json_output else output_format.strip().lower()
    if output_format not in ("text", "json", "dot"):
        raise InvalidInput(
            _("--format {value!r} is not valid; use one of: text, json, dot").format(value=output_format)
        )
    on = parse.parse_date(at, today, "--at").isoformat() if at else today.isoformat()
    start = parse.parse_date(since, today, "--from").isoformat() if since else None
    if start and not compare:
        raise InvalidInput(_("--from goes with --compare"))
    if start and start > on:
        raise InvalidInput(_("--from {start} is after --at {end}").format(start=start, end=on))
    if output and output_format == "text":
        raise InvalidInput(_("--output writes --format dot or --format json"))
    result = _work().ecomap(run.conn(), case, on=on, compare_from=start, compare=compare)
    if output_format == "dot":
        from lingkaran.render.helping_system import ecomap_dot

        _write(output, ecomap_dot(result["client"], on, result["systems"]))
    elif output_format == "json":
        if output:
            import json

            _write(output, json.dumps(result, ensure_ascii=False, indent=2) + "\n")
        else:
            print_json(result)
    else:
        from lingkaran.render.helping_system import ecomap_comparison, ecomap_view

        show(ecomap_comparison(result) if compare else ecomap_view(result))


def _write(output: str | None, text: str) -> None:
    if output is None:
        import sys

        sys.stdout.write(text)
        return
    from pathlib import Path

    from lingkaran.cli.files import output_file

    with output_file(Path(output).expanduser()) as out:  # the same new private file as export and report write
        out.write(text.encode("utf-8"))


@ecomap_app.command("add")
def ecomap_add(
    ctx: typer.Context,
    case: CaseArgument = None,
    system: SystemArgument = None,
    kind: Annotated[str | None, choice_option(ECOMAP_KIND)] = None,
    tie: Annotated[str | None, choice_option(TIE)] = None,
    flow: Annotated[str | None, choice_option(FLOW)] = None,
    note: NoteOption = None,
    date: DateOption = "today",
    json_output: JsonFlag = False,
) -> None:
    """Draw a system on the ecomap, or redraw its tie (adding an existing system changes it)."""
    run = session(ctx)
    given = guided(run, EcomapAddAnswers(case=case, system=system, kind=kind, tie=tie, flow=flow, note=note, date=date))
    result = _work().ecomap_add(
        run.conn(),
        given.case,
        system=parse.clean_text(given.system, "SYSTEM", required=True),
        kind=ECOMAP_KIND.parse(given.kind) if given.kind else None,
        tie=TIE.parse(given.tie),
        flow=FLOW.parse(given.flow) if given.flow else None,
        note=parse.clean_text(given.note, "--note"),
        on=parse.parse_step_date(given.date, run.today()),
    )
    verb = _("redrawn") if result["before"] else _("drawn")
    confirm(
        json_output,
        result,
        _("Case {id}: {system} {verb} ({tie}, flow {flow}).").format(
            id=result["case_id"],
            system=result["system"],
            verb=verb,
            tie=TIE.label(result["tie"]),
            flow=FLOW.label(result["flow"]),
        ),
    )


@ecomap_app.command("remove")
def ecomap_remove(
    ctx: typer.Context,
    case: CaseArgument = None,
    system: SystemArgument = None,
    note: NoteOption = None,
    date: DateOption = "today",
    json_output: JsonFlag = False,
) -> None:
    """Take a system off the ecomap from this date (earlier maps still show it)."""
    run = session(ctx)
    run.require({"CASE": case, "SYSTEM": system})
    result = _work().ecomap_remove(
        run.conn(),
        case,
        system=system,
        note=parse.clean_text(note, "--note"),
        on=parse.parse_step_date(date, run.today()),
    )
    confirm(
        json_output,
        result,
        _("Case {id}: {system} taken off the ecomap.").format(id=result["case_id"], system=result["system"]),
    )


app.add_typer(ecomap_app, name="ecomap")
