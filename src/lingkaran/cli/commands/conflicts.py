"""Conflicts after a merge: conflicts (what two copies wrote without seeing each other) and resolve."""

from typing import Annotated

import typer

from lingkaran.cli.commands import command_app
from lingkaran.cli.options import JsonFlag
from lingkaran.cli.output import emit, print_json, print_lines
from lingkaran.cli.session import session
from lingkaran.messages import _

app = command_app()


@app.command()
def conflicts(
    ctx: typer.Context,
    case: Annotated[
        str | None, typer.Argument(metavar="CASE", help=_("Only this case's (its number or UUID)."), show_default=False)
    ] = None,
    json_output: JsonFlag = False,
) -> None:
    """List what two copies of the caseload wrote without seeing each other, with every side, until settled."""
    from lingkaran.readmodels import conflicts as found
    from lingkaran.store import records

    conn = session(ctx).conn()
    case_id = records.find_case(conn, case)["id"] if case else None
    items = found.listing(conn, case_id)
    if json_output:
        print_json(items)
        return
    from lingkaran.render.conflicts import conflict_lines

    print_lines(conflict_lines(items))


@app.command()
def resolve(
    ctx: typer.Context,
    conflict: Annotated[
        str,
        typer.Argument(
            metavar="CONFLICT",
            help=_("The conflict's code (or its first characters), as `lingkaran conflicts` shows it."),
        ),
    ],
    keep: Annotated[
        int | None, typer.Option(help=_("Keep side N, as `lingkaran conflicts` numbers them."), show_default=False)
    ] = None,
    value: Annotated[
        str | None,
        typer.Option(
            help=_("Settle a text (a problem, a goal, a correction) with this wording instead."), show_default=False
        ),
    ] = None,
    json_output: JsonFlag = False,
) -> None:
    """Settle a conflict with one of its sides (or a new text), or mark a record to review as seen."""
    from lingkaran.casework import conflicts as found
    from lingkaran.domain import parse as values

    run = session(ctx)
    typed = values.clean_text(value, "--value", required=True) if value is not None else None
    from lingkaran.readmodels.conflicts import what

    settled = found.resolve(run.conn(), conflict, keep=keep, value=typed, on=run.today())
    result = {
        "code": settled["code"],
        "case_id": settled["case_id"],
        "what": what(run.conn(), settled["case_id"], settled["fact"]),
        **{key: settled[key] for key in ("kept", "value", "event_uuid")},
    }
    emit(
        json_output,
        result,
        lambda: _("Case {case}: {what} settled (conflict {code}).").format(
            case=result["case_id"], what=result["what"], code=result["code"]
        ),
    )
