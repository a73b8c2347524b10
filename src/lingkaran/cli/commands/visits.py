"""`visit`: plan visits, list the schedule (for a phone's calendar too), record one as done, cancel one."""

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

import typer

from lingkaran.cli.commands import command_app
from lingkaran.cli.options import ByOption, CaseArgument, DateOption, JsonFlag, ParticipantsOption, people
from lingkaran.cli.output import confirm, print_json, show
from lingkaran.cli.session import session
from lingkaran.domain import parse as values
from lingkaran.domain.vocabularies import ACTIVITY
from lingkaran.errors import InvalidInput
from lingkaran.messages import _, ngettext

app = command_app()

visit_app = typer.Typer(
    help=_("Planned visits: a schedule per case and for the worker."), no_args_is_help=True, rich_markup_mode=None
)
VisitArgument = Annotated[
    str | None,
    typer.Argument(metavar="ID", help=_("The visit's number (see `lingkaran visit list`)."), show_default=False),
]
WEEK_DAYS = 7
LIST_FORMATS = ("text", "ics")


@visit_app.command("plan")
def visit_plan(
    ctx: typer.Context,
    case: CaseArgument = None,
    on: Annotated[
        str | None,
        typer.Option("--on", help=_("The day of the visit (YYYY-MM-DD, today, tomorrow)."), show_default=False),
    ] = None,
    at: Annotated[
        str | None, typer.Option("--at", help=_("The time, HH:MM (none: some time that day)."), show_default=False)
    ] = None,
    place: Annotated[
        str | None, typer.Option(help=_("Where (the client's home, the school, the village hall)."), show_default=False)
    ] = None,
    purpose: Annotated[str | None, typer.Option(help=_("What the visit is for."), show_default=False)] = None,
    activity: Annotated[
        str | None, typer.Option(help=_("The kind of activity (default home-visit)."), show_default=False)
    ] = None,
    minutes: Annotated[
        int | None, typer.Option(help=_("How long it is expected to take (default 60)."), show_default=False)
    ] = None,
    by: ByOption = None,
    json_output: JsonFlag = False,
) -> None:
    """Put a visit on the schedule: day, time, place, who goes and why."""
    from lingkaran.casework import visits

    run = session(ctx)
    run.require({"CASE": case, "--on": on})
    today = run.today()
    result = visits.plan_visit(
        run.conn(),
        case,
        on=values.parse_date(on, today, "--on"),
        today=today,
        at=visits.parse_time(at) if at else None,
        place=values.clean_text(place, "--place"),
        purpose=values.clean_text(purpose, "--purpose"),
        kind=ACTIVITY.parse(activity or "home-visit"),
        by=people(by),
        minutes=values.parse_minutes(minutes),
    )
    from lingkaran.render.visits import when_text

    confirm(
        json_output,
        result,
        _("Case {id}: visit {visit} planned for {when}.").format(
            id=result["case_id"], visit=result["visit_id"], when=when_text(result)
        ),
    )


@visit_app.command("list")
def visit_list(
    ctx: typer.Context,
    case: CaseArgument = None,
    week: Annotated[bool, typer.Option("--week", help=_("Only this week: today and the six days after."))] = False,
    by: Annotated[
        str | None, typer.Option("--by", help=_("Only the visits this person goes on."), show_default=False)
    ] = None,
    all_visits: Annotated[
        bool, typer.Option("--all", help=_("Done and cancelled visits too, past ones included."))
    ] = False,
    fmt: Annotated[
        str, typer.Option("--format", help=_("text, or ics: an iCalendar file for a phone's calendar."))
    ] = "text",
    names: Annotated[
        bool,
        typer.Option(
            "--names",
            help=_("ics: put the client's name in each event (a phone's calendar is often copied to a cloud service)."),
        ),
    ] = False,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help=_("Write to this new file (mode 0600)."), show_default=False)
    ] = None,
    json_output: JsonFlag = False,
) -> None:
    """The schedule: planned visits from today on (and any missed), earliest first; --format ics for a phone."""
    from lingkaran.store import records
    from lingkaran.store import visits as store

    run = session(ctx)
    fmt = _list_format(fmt, json_output)
    today = run.today()
    conn = run.conn()
    case_id = records.find_case(conn, case)["id"] if case else None
    end = (today + dt.timedelta(days=WEEK_DAYS - 1)).isoformat() if week else None
    found = store.schedule(
        conn,
        start=None if all_visits else today.isoformat(),
        end=end,
        case_id=case_id,
        planned_only=not all_visits,
        with_missed=not all_visits,
    )
    if by:
        found = [visit for visit in found if by.casefold() in (name.casefold() for name in visit["by_names"] or [])]
    if fmt == "ics":
        _write_calendar(found, names, output)
    elif json_output:
        print_json([_visit_object(visit, today) for visit in found])
    else:
        from lingkaran.render.visits import schedule_table

        show(schedule_table([_visit_object(visit, today) for visit in found], week))


def _list_format(fmt: str, json_output: bool) -> str:
    fmt = fmt.strip().lower()
    if fmt not in LIST_FORMATS:
        raise InvalidInput(
            _("--format {value!r} is not valid; use one of: {valid}").format(value=fmt, valid=", ".join(LIST_FORMATS))
        )
    if fmt == "ics" and json_output:
        raise InvalidInput(_("--json and --format ics are two outputs; choose one"))
    return fmt


def _visit_object(visit: dict, today: dt.date) -> dict:
    """A visit as scripts see it (docs/scripting.md)."""
    fields = (
        "id",
        "uuid",
        "case_id",
        "case_uuid",
        "client",
        "planned_on",
        "at",
        "place",
        "purpose",
        "kind",
        "by_names",
        "minutes",
        "status",
        "status_on",
        "reason",
    )
    missed = visit["status"] == "planned" and visit["planned_on"] < today.isoformat()
    return {**{field: visit.get(field) for field in fields}, "by": visit.get("by_names") or [], "missed": missed}


def _write_calendar(found: list[dict], names: bool, output: Path | None) -> None:
    from lingkaran.cli.files import output_file
    from lingkaran.render.calendar_file import calendar

    text = calendar(found, dt.datetime.now(dt.UTC), names=names)
    with output_file(output) as out:
        out.write(text.encode("utf-8"))
    if output is not None:
        sys.stderr.write(
            ngettext("Wrote {count} visit to {path}", "Wrote {count} visits to {path}", len(found)).format(
                count=len(found), path=output
            )
            + "\n"
        )


@visit_app.command("done")
def visit_done(
    ctx: typer.Context,
    visit: VisitArgument = None,
    note: Annotated[
        str | None, typer.Option(help=_("What was done and observed (- reads it from stdin)."), show_default=False)
    ] = None,
    minutes: Annotated[
        int | None, typer.Option(help=_("Minutes of contact (default: as planned)."), show_default=False)
    ] = None,
    goal: Annotated[
        list[int] | None, typer.Option(help=_("A goal number the visit served; repeatable."), show_default=False)
    ] = None,
    by: ByOption = None,
    participants: ParticipantsOption = None,
    member: Annotated[
        str | None, typer.Option(help=_("The client-system member this concerns."), show_default=False)
    ] = None,
    date: Annotated[
        str | None,
        typer.Option("--date", help=_("The day it happened (default: the day planned)."), show_default=False),
    ] = None,
    json_output: JsonFlag = False,
) -> None:
    """Record a planned visit as done: one command makes it an activity (or a contact before a plan)."""
    from lingkaran.casework import contacts, visits
    from lingkaran.cli.session import read_text_argument

    run = session(ctx)
    note = read_text_argument(note)
    run.require({"ID": visit, "--note": note})
    today = run.today()
    result = visits.done_visit(
        run.conn(),
        visit,
        on=values.parse_step_date(date, today) if date else None,
        today=today,
        note=values.clean_text(note, "--note", required=True),
        minutes=values.parse_minutes(minutes),
        goal_numbers=[values.parse_goal_number(str(number), "--goal") for number in goal or []],
        participants=contacts.check_participants(participants),
        by=people(by) if by else [],
        member=member,
    )
    if json_output:
        print_json(result)
        return
    from lingkaran.cli.output import print_lines
    from lingkaran.render.plain import colour_allowed, step_line

    message = _("Case {id}: visit {visit} recorded ({kind}).").format(
        id=result["case_id"], visit=result["visit_id"], kind=ACTIVITY.label(result["kind"])
    )
    print_lines([step_line(result, message, colour=colour_allowed())])


@visit_app.command("cancel")
def visit_cancel(
    ctx: typer.Context,
    visit: VisitArgument = None,
    reason: Annotated[str | None, typer.Option(help=_("Why it is called off."), show_default=False)] = None,
    date: DateOption = "today",
    json_output: JsonFlag = False,
) -> None:
    """Take a planned visit off the schedule (the log keeps it, with the reason)."""
    from lingkaran.casework import visits

    run = session(ctx)
    run.require({"ID": visit, "--reason": reason})
    result = visits.cancel_visit(
        run.conn(),
        visit,
        reason=values.clean_text(reason, "--reason", required=True),
        on=values.parse_step_date(date, run.today()),
    )
    confirm(
        json_output,
        result,
        _("Case {id}: visit {visit} cancelled.").format(id=result["case_id"], visit=result["visit_id"]),
    )


app.add_typer(visit_app, name="visit")
