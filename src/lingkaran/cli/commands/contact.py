"""`contact`: a visit, session or call recorded at any step, before a plan too."""

from typing import Annotated

import typer

from lingkaran.cli.commands import command_app
from lingkaran.cli.options import ByOption, CaseArgument, DateOption, JsonFlag, ParticipantsOption, people
from lingkaran.cli.output import print_json, print_lines
from lingkaran.cli.session import read_text_argument, session
from lingkaran.domain import parse as values
from lingkaran.domain.vocabularies import ACTIVITY
from lingkaran.messages import _

app = command_app()

ActivityOption = Annotated[
    str | None,
    typer.Option(
        help=_(
            "intake, assessment-session, home-visit, counselling, phone-call, group-session, case-conference or "
            "other (and the rest `intervene` takes)."
        ),
        show_default=False,
    ),
]


@app.command()
def contact(
    ctx: typer.Context,
    case: CaseArgument = None,
    activity: ActivityOption = None,
    note: Annotated[
        str | None, typer.Option(help=_("What was done and observed (- reads it from stdin)."), show_default=False)
    ] = None,
    minutes: Annotated[int | None, typer.Option(help=_("Minutes of contact."), show_default=False)] = None,
    by: ByOption = None,
    participants: ParticipantsOption = None,
    member: Annotated[
        str | None,
        typer.Option(
            help=_("The client-system member this concerns (see `lingkaran member list CASE`)."), show_default=False
        ),
    ] = None,
    date: DateOption = "today",
    json_output: JsonFlag = False,
) -> None:
    """A contact at any step (an intake visit, an assessment session): it counts, needs no plan, moves no step."""
    run = session(ctx)
    note = read_text_argument(note)
    run.require({"CASE": case, "--activity": activity, "--note": note})
    from lingkaran.casework import contacts

    result = contacts.contact(
        run.conn(),
        case,
        on=values.parse_step_date(date, run.today()),
        kind=ACTIVITY.parse(activity),
        note=values.clean_text(note, "--note", required=True),
        minutes=values.parse_minutes(minutes),
        by=people(by),
        member=member,
        participants=contacts.check_participants(participants),
    )
    if json_output:
        print_json(result)
        return
    from lingkaran.render.plain import colour_allowed, step_line

    message = _("Case {id}: {kind} recorded as a contact (event {uuid}).").format(
        id=result["case_id"], kind=ACTIVITY.label(result["kind"]), uuid=result["event_uuid"][:8]
    )
    print_lines([step_line(result, message, colour=colour_allowed())])
