"""`client`: who the client (or a member) is and how to reach them."""

import datetime as dt
from typing import Annotated

import typer

from lingkaran.cli.commands import command_app
from lingkaran.cli.guide import case_or_chosen
from lingkaran.cli.identity import (
    AddressOption,
    BornOption,
    GuardianOption,
    GuardianPhoneOption,
    GuardianRelationOption,
    KkOption,
    NikOption,
    PhoneOption,
    PpksOption,
    SexOption,
    identity_changes,
)
from lingkaran.cli.options import CaseArgument, DateOption, JsonFlag
from lingkaran.cli.output import print_json, show
from lingkaran.cli.session import session
from lingkaran.messages import _

app = command_app()


@app.command()
def client(
    ctx: typer.Context,
    case: CaseArgument = None,
    member: Annotated[
        str | None,
        typer.Option(
            help=_("A member of the client system instead of the client (see `lingkaran member list CASE`)."),
            show_default=False,
        ),
    ] = None,
    sex: SexOption = None,
    born: BornOption = None,
    address: AddressOption = None,
    phone: PhoneOption = None,
    nik: NikOption = None,
    kk: KkOption = None,
    guardian: GuardianOption = None,
    guardian_relation: GuardianRelationOption = None,
    guardian_phone: GuardianPhoneOption = None,
    ppks: PpksOption = None,
    date: DateOption = "today",
    json_output: JsonFlag = False,
) -> None:
    """Who the client is and how to reach them: show it, or change it with flags ("" clears a field)."""
    run = session(ctx)
    case = case_or_chosen(run, case, "client")
    today = run.today()
    changes = identity_changes(today, ctx.params, clearing=True)
    if not changes:
        _show_identity(run, case, today, json_output)
        return
    from lingkaran.casework import identity_work
    from lingkaran.domain import parse as values

    result = identity_work.set_identity(
        run.conn(), case, member=member, changes=changes, on=values.parse_step_date(date, today)
    )
    if json_output:
        print_json(result)
        return
    from lingkaran.render.identity import changed_line

    show(changed_line(result))


def _show_identity(run, case: str, today: dt.date, json_output: bool) -> None:
    """The client's and the members' identity and contact details."""
    from lingkaran.readmodels import case_view as views

    found = views.identity_detail(run.conn(), case, today)
    if json_output:
        print_json(found)
        return
    from lingkaran.render.identity import identity_card

    show(identity_card(found))
