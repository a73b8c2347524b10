"""`contact`: a visit, session or call recorded at any step, before a plan too; and the --by and --participants
flags it shares with `intervene`."""

import os
from typing import Annotated

import typer

from lingkaran.cli.options import CaseArgument, DateOption, JsonFlag
from lingkaran.cli.session import print_json, print_lines, read_text_argument, session
from lingkaran.domain import parse as values
from lingkaran.domain.vocabularies import ACTIVITY
from lingkaran.messages import _

ByOption = Annotated[list[str] | None, typer.Option(
    "--by", help=_("Who carried it out (default: $LINGKARAN_WORKER, then the worker setting); repeat it for each "
                   "person who went on a joint visit."), show_default=False)]
ParticipantsOption = Annotated[int | None, typer.Option(
    help=_("How many people took part (a group session, a community meeting)."), show_default=False)]
ActivityOption = Annotated[str | None, typer.Option(
    help=_("intake, assessment-session, home-visit, counselling, phone-call, group-session, case-conference or "
           "other (and the rest `intervene` takes)."), show_default=False)]


def people(by: list[str] | str | None) -> list[str]:
    """The people named with --by (each once checked), else $LINGKARAN_WORKER, else the worker setting."""
    names = [by] if isinstance(by, str) else list(by or [])
    if names:
        return [name for name in (values.clean_text(name, "--by") for name in names) if name]
    if os.environ.get("LINGKARAN_WORKER"):
        return [values.clean_text(os.environ["LINGKARAN_WORKER"], "LINGKARAN_WORKER")]
    from lingkaran.store import settings as config

    worker = values.clean_text(config.get("worker"), "--by")
    return [worker] if worker else []


def contact(
    ctx: typer.Context,
    case: CaseArgument = None,
    activity: ActivityOption = None,
    note: Annotated[str | None, typer.Option(help=_("What was done and observed (- reads it from stdin)."),
                                             show_default=False)] = None,
    minutes: Annotated[int | None, typer.Option(help=_("Minutes of contact."), show_default=False)] = None,
    by: ByOption = None,
    participants: ParticipantsOption = None,
    member: Annotated[str | None, typer.Option(
        help=_("The client-system member this concerns (see `lingkaran member list CASE`)."),
        show_default=False)] = None,
    date: DateOption = "today",
    json_output: JsonFlag = False,
) -> None:
    """A contact at any step (an intake visit, an assessment session): it counts, needs no plan, moves no step."""
    run = session(ctx)
    note = read_text_argument(note)
    run.require({"CASE": case, "--activity": activity, "--note": note})
    from lingkaran.casework import contacts

    result = contacts.contact(
        run.conn(), case, on=values.parse_step_date(date, run.today()), kind=ACTIVITY.parse(activity),
        note=values.clean_text(note, "--note", required=True), minutes=values.parse_minutes(minutes),
        by=people(by), member=member, participants=contacts.check_participants(participants))
    if json_output:
        print_json(result)
        return
    from lingkaran.render.plain import colour_allowed, step_line

    message = _("Case {id}: {kind} recorded as a contact (event {uuid}).").format(
        id=result["case_id"], kind=ACTIVITY.label(result["kind"]), uuid=result["event_uuid"][:8])
    print_lines([step_line(result, message, colour=colour_allowed())])


def register(app: typer.Typer) -> None:
    """Add contact to the app."""
    app.command("contact")(contact)
