"""Caseload figures for the monthly report."""

from typing import Annotated

import typer

from lingkaran.cli.commands import command_app
from lingkaran.cli.options import JsonFlag
from lingkaran.cli.output import print_json, show
from lingkaran.cli.session import session
from lingkaran.errors import InvalidInput
from lingkaran.messages import _

app = command_app()


@app.command()
def stats(
    ctx: typer.Context,
    start: Annotated[
        str | None, typer.Option("--from", help=_("First day counted (YYYY-MM-DD)."), show_default=False)
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", help=_("Last day counted (YYYY-MM-DD)."), show_default=False)
    ] = None,
    json_output: JsonFlag = False,
) -> None:
    """Caseload figures: opened, closed by reason, active by step and level, contacts, T-scores."""
    from lingkaran.domain import parse
    from lingkaran.readmodels import stats as caseload_stats

    run = session(ctx)
    today = run.today()
    first = parse.parse_date(start, today, "--from").isoformat() if start else None
    last = parse.parse_date(end, today, "--to").isoformat() if end else None
    if first and last and first > last:
        raise InvalidInput(_("--from {start} is after --to {end}").format(start=first, end=last))
    figures = caseload_stats.figures(run.conn(), first, last)
    if json_output:
        print_json(figures)
        return
    from lingkaran.render.daily import stats_view

    show(stats_view(figures))
