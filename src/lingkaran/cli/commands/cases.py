"""Reading the caseload: list, show, log."""

from typing import Annotated

import typer

from lingkaran.cli.commands import command_app
from lingkaran.cli.guide import case_or_chosen
from lingkaran.cli.options import CaseArgument, JsonFlag, choice_option
from lingkaran.cli.output import print_json, print_lines, show, write_json_array
from lingkaran.cli.session import session
from lingkaran.domain.vocabularies import LEVEL, PHASE
from lingkaran.messages import _

app = command_app()


@app.command("list")
def list_cases(
    ctx: typer.Context,
    all_cases: Annotated[bool, typer.Option("--all", help=_("Include closed cases."))] = False,
    phase: Annotated[str | None, choice_option(PHASE)] = None,
    level: Annotated[str | None, typer.Option(help=_("Only cases at this level."), show_default=False)] = None,
    json_output: JsonFlag = False,
) -> None:
    """List active cases (all with --all), one line each with its cycle strip."""
    from lingkaran.readmodels import case_view

    run = session(ctx)
    chosen = {"include_closed": all_cases, "phase": _phase(phase), "level": LEVEL.parse(level) if level else None}
    if json_output:
        write_json_array(case_view.caseload_json(run.conn(), **chosen))
        return
    from lingkaran.render.plain import caseload_lines

    filters = " ".join(f"{flag} {value}" for flag, value in (("--phase", phase), ("--level", level)) if value)
    print_lines(
        caseload_lines(
            case_view.caseload_lines_data(run.conn(), **chosen), filters=filters, closed_left_out=not all_cases
        )
    )


def _phase(value: str | None) -> str | None:
    return PHASE.parse(value) if value is not None else None


@app.command("show")
def show_case(ctx: typer.Context, case: CaseArgument = None, json_output: JsonFlag = False) -> None:
    """Show one case: its ring around the cycle, goals, domains and recent work."""
    from lingkaran.readmodels import case_view

    run = session(ctx)
    case = case_or_chosen(run, case, "show")
    if json_output:
        print_json(case_view.case_detail(run.conn(), case, run.today().isoformat()))
        return
    detail = case_view.card_detail(run.conn(), case, run.today().isoformat())
    from lingkaran.render.rich_views import case_card

    show(case_card(detail))


@app.command()
def log(
    ctx: typer.Context,
    case: CaseArgument = None,
    full: Annotated[bool, typer.Option("--full", help=_("Every text whole, not cut to a line."))] = False,
    json_output: JsonFlag = False,
) -> None:
    """Show a case's timeline: every event, oldest first, by cycle and step."""
    from lingkaran.readmodels import case_view

    run = session(ctx)
    case = case_or_chosen(run, case, "log")
    found, events = case_view.timeline(run.conn(), case)
    if json_output:
        print_json(events)
        return
    from lingkaran.render.rich_views import timeline

    show(timeline(found, events, full=full))
