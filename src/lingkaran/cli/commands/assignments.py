"""`share` and `handover`: who holds a case on the agency hub (events that travel with the next sync)."""

from typing import Annotated

import typer

from lingkaran.cli.commands import command_app
from lingkaran.cli.options import CaseArgument, DateOption, JsonFlag
from lingkaran.cli.output import emit
from lingkaran.cli.session import session
from lingkaran.domain import parse
from lingkaran.messages import _

app = command_app()

WorkerArgument = Annotated[
    str | None,
    typer.Argument(
        metavar="WORKER", help=_("The colleague's hub name (as `hub worker add` made it)."), show_default=False
    ),
]


def _assign(
    ctx: typer.Context, kind: str, case: str | None, worker: str | None, date: str, json_output: bool, done: str
) -> None:
    from lingkaran.casework import assignments

    run = session(ctx)
    run.require({"CASE": case, "WORKER": worker})
    result = assignments.assign(run.conn(), kind, case, worker, parse.parse_step_date(date, run.today()))
    emit(json_output, result, lambda: [done.format(id=result["case_id"], worker=result["worker"])])


@app.command()
def share(
    ctx: typer.Context,
    case: CaseArgument = None,
    worker: WorkerArgument = None,
    date: DateOption = "today",
    json_output: JsonFlag = False,
) -> None:
    """Share a case with a colleague on the agency hub: they receive it at their next sync."""
    _assign(
        ctx,
        "share",
        case,
        worker,
        date,
        json_output,
        _("Case {id}: shared with {worker} (sent at your next `lingkaran sync`)."),
    )


@app.command()
def handover(
    ctx: typer.Context,
    case: CaseArgument = None,
    worker: WorkerArgument = None,
    date: DateOption = "today",
    json_output: JsonFlag = False,
) -> None:
    """Hand a case over to a colleague: they receive its whole history; your laptop drops it after its last sync."""
    _assign(
        ctx,
        "handover",
        case,
        worker,
        date,
        json_output,
        _("Case {id}: handed over to {worker}; your next `lingkaran sync` sends it and then drops it here."),
    )
