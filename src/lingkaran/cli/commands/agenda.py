"""The day's overview: the dashboard (also `lingkaran` alone) and the agenda of what is due."""

from typing import Annotated

import typer

from lingkaran.cli.commands import command_app
from lingkaran.cli.options import JsonFlag
from lingkaran.cli.output import print_json, show
from lingkaran.cli.session import session
from lingkaran.errors import InvalidInput
from lingkaran.messages import _

app = command_app()

DaysOption = Annotated[
    int | None,
    typer.Option(
        "--days",
        help=_("Flag active cases with no contact in this many days (default: the no_contact_days setting, 30)."),
        show_default=False,
    ),
]
WithinOption = Annotated[int, typer.Option("--within", help=_("Show what falls due in the next DAYS days too."))]


def _whole_days(value: int, flag: str, lowest: int) -> int:
    if not lowest <= value <= 3650:
        raise InvalidInput(
            _("{flag} must be a whole number of days from {lowest} to 3650, not {value}").format(
                flag=flag, lowest=lowest, value=value
            )
        )
    return value


@app.command()
def dashboard(ctx: typer.Context, days: DaysOption = None, json_output: JsonFlag = False) -> None:
    """The caseload at a glance: cases by step, follow-ups due, overdue referrals, silent cases, missing consent."""
    from lingkaran.readmodels import dashboard as board
    from lingkaran.store import settings

    run = session(ctx)
    no_contact_days = _whole_days(days if days is not None else settings.get("no_contact_days"), "--days", 1)
    context = board.Context(today=run.today(), no_contact_days=no_contact_days)
    sections = board.dashboard(run.conn(), context)
    if json_output:
        print_json(sections)
        return
    from lingkaran.render.daily import dashboard_view

    show(dashboard_view(board.SECTIONS, sections, context))


@app.command()
def due(ctx: typer.Context, within: WithinOption = 7, json_output: JsonFlag = False) -> None:
    """The agenda: follow-ups, goal target dates and referrals, overdue first, with the command to record each."""
    from lingkaran.readmodels import dashboard as board

    run = session(ctx)
    items = board.due(run.conn(), run.today(), _whole_days(within, "--within", 0))
    if json_output:
        print_json(items)
        return
    from lingkaran.render.daily import agenda_table

    show(agenda_table(items, within))
