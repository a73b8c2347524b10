"""The helping system: client-system members, case links, the team, referrals out."""

from typing import Annotated

import typer

from lingkaran.cli.commands import command_app
from lingkaran.cli.guide import guided
from lingkaran.cli.identity import (
    AddressOption,
    BornOption,
    KkOption,
    NikOption,
    PhoneOption,
    SexOption,
    identity_changes,
)
from lingkaran.cli.options import CaseArgument, DateOption, JsonFlag, choice_option
from lingkaran.cli.output import confirm, print_json, show
from lingkaran.cli.session import session
from lingkaran.domain import parse
from lingkaran.domain.vocabularies import REFERRAL_STATUS, TEAM_ROLE
from lingkaran.messages import _
from lingkaran.prompts.answers import MemberAddAnswers, ReferAnswers, TeamAddAnswers

app = command_app()

member_app = typer.Typer(
    help=_("The client system: members of a family or group, groups and leaders of a community."),
    no_args_is_help=True,
    rich_markup_mode=None,
)
team_app = typer.Typer(
    help=_("The intervention system: the people who carry out the work."), no_args_is_help=True, rich_markup_mode=None
)
referral_app = typer.Typer(
    help=_("Referrals out to other agencies: list them, record their outcome."),
    no_args_is_help=True,
    rich_markup_mode=None,
)

NameArgument = Annotated[
    str | None, typer.Argument(metavar="NAME", help=_("The person's or system's name."), show_default=False)
]
NoteOption = Annotated[str | None, typer.Option(help=_("A short note."), show_default=False)]
ReasonOption = Annotated[str | None, typer.Option(help=_("Why (kept in the log)."), show_default=False)]


def _work():
    """The write operations, imported when a command runs (so `--help` loads no database code)."""
    from lingkaran.casework import helping_work

    return helping_work


@member_app.command("add")
def member_add(
    ctx: typer.Context,
    case: CaseArgument = None,
    name: NameArgument = None,
    role: Annotated[
        str | None,
        typer.Option(help=_("Their role: mother, child, chair, group, leader, institution, …"), show_default=False),
    ] = None,
    relation: Annotated[
        str | None, typer.Option(help=_("How they relate to the client (e.g. head of household)."), show_default=False)
    ] = None,
    born: BornOption = None,
    sex: SexOption = None,
    address: AddressOption = None,
    phone: PhoneOption = None,
    nik: NikOption = None,
    kk: KkOption = None,
    note: NoteOption = None,
    date: DateOption = "today",
    json_output: JsonFlag = False,
) -> None:
    """Add a member to a case's client system."""
    run = session(ctx)
    given = guided(run, MemberAddAnswers(case=case, name=name, role=role, relation=relation, note=note, date=date))
    today = run.today()
    details = identity_changes(today, ctx.params)
    result = _work().add_member(
        run.conn(),
        given.case,
        name=parse.clean_text(given.name, "NAME", required=True),
        role=parse.clean_text(given.role, "--role", required=True),
        relation=parse.clean_text(given.relation, "--relation"),
        note=parse.clean_text(given.note, "--note"),
        on=parse.parse_step_date(given.date, today),
        details=details,
    )
    confirm(
        json_output,
        result,
        _("Case {id}: {name} added as {role}.").format(id=result["case_id"], name=result["name"], role=result["role"]),
    )


@member_app.command("list")
def member_list(
    ctx: typer.Context,
    case: CaseArgument = None,
    all_members: Annotated[bool, typer.Option("--all", help=_("Include removed members."))] = False,
    json_output: JsonFlag = False,
) -> None:
    """List the members of a case's client system."""
    _list_people(ctx, case, "members", all_members, json_output)


@member_app.command("remove")
def member_remove(
    ctx: typer.Context,
    case: CaseArgument = None,
    name: NameArgument = None,
    reason: ReasonOption = None,
    date: DateOption = "today",
    json_output: JsonFlag = False,
) -> None:
    """Record that someone is no longer part of the client system (their history stays)."""
    run = session(ctx)
    run.require({"CASE": case, "NAME": name})
    result = _work().remove_member(
        run.conn(),
        case,
        name=name,
        reason=parse.clean_text(reason, "--reason"),
        on=parse.parse_step_date(date, run.today()),
    )
    confirm(
        json_output,
        result,
        _("Case {id}: {name} removed from the client system.").format(id=result["case_id"], name=result["name"]),
    )


@team_app.command("add")
def team_add(
    ctx: typer.Context,
    case: CaseArgument = None,
    name: NameArgument = None,
    role: Annotated[str | None, choice_option(TEAM_ROLE)] = None,
    agency: Annotated[str | None, typer.Option(help=_("Where they work."), show_default=False)] = None,
    contact: Annotated[
        str | None, typer.Option(help=_("How to reach them (phone, email)."), show_default=False)
    ] = None,
    date: DateOption = "today",
    json_output: JsonFlag = False,
) -> None:
    """Add a person to the case's team (the intervention system)."""
    run = session(ctx)
    given = guided(run, TeamAddAnswers(case=case, name=name, role=role, agency=agency, contact=contact, date=date))
    result = _work().add_team_member(
        run.conn(),
        given.case,
        name=parse.clean_text(given.name, "NAME", required=True),
        role=TEAM_ROLE.parse(given.role),
        agency=parse.clean_text(given.agency, "--agency"),
        contact=parse.clean_text(given.contact, "--contact"),
        on=parse.parse_step_date(given.date, run.today()),
    )
    confirm(
        json_output,
        result,
        _("Case {id}: {name} ({role}) is on the team.").format(
            id=result["case_id"], name=result["name"], role=TEAM_ROLE.label(result["role"])
        ),
    )


@team_app.command("list")
def team_list(
    ctx: typer.Context,
    case: CaseArgument = None,
    all_members: Annotated[bool, typer.Option("--all", help=_("Include people who left the team."))] = False,
    json_output: JsonFlag = False,
) -> None:
    """List the case's team with the contact minutes each has recorded."""
    _list_people(ctx, case, "team", all_members, json_output)


def _list_people(ctx: typer.Context, case: str | None, table: str, include_removed: bool, json_output: bool) -> None:
    """`member list` and `team list`: the people of one case, as JSON or as a table."""
    from lingkaran.store import helping_system as store
    from lingkaran.store import records

    run = session(ctx)
    run.require({"CASE": case})
    found = records.find_case(run.conn(), case)
    load = store.members if table == "members" else store.team_with_minutes
    people = load(run.conn(), found["id"], include_removed=include_removed)
    if json_output:
        print_json(people)
        return
    from lingkaran.render import helping_system as render_helping

    show((render_helping.members_table if table == "members" else render_helping.team_table)(found, people))


@team_app.command("remove")
def team_remove(
    ctx: typer.Context,
    case: CaseArgument = None,
    name: NameArgument = None,
    reason: ReasonOption = None,
    date: DateOption = "today",
    json_output: JsonFlag = False,
) -> None:
    """Take a person off the team (the work they recorded stays theirs)."""
    run = session(ctx)
    run.require({"CASE": case, "NAME": name})
    result = _work().remove_team_member(
        run.conn(),
        case,
        name=name,
        reason=parse.clean_text(reason, "--reason"),
        on=parse.parse_step_date(date, run.today()),
    )
    confirm(
        json_output, result, _("Case {id}: {name} left the team.").format(id=result["case_id"], name=result["name"])
    )


@app.command()
def link(
    ctx: typer.Context,
    case: CaseArgument = None,
    part_of: Annotated[
        str | None, typer.Option(help=_("The family, group or community case it is part of."), show_default=False)
    ] = None,
    date: DateOption = "today",
    json_output: JsonFlag = False,
) -> None:
    """Make a case part of a family, group or community case (both cases show the link)."""
    run = session(ctx)
    run.require({"CASE": case, "--part-of": part_of})
    result = _work().link_cases(run.conn(), case, part_of, parse.parse_step_date(date, run.today()))
    confirm(
        json_output,
        result,
        _("Case {child} is part of case {parent} ({client}).").format(
            child=result["child_id"], parent=result["parent_id"], client=result["parent_client"]
        ),
    )


@app.command()
def unlink(
    ctx: typer.Context,
    case: CaseArgument = None,
    part_of: Annotated[
        str | None, typer.Option(help=_("The case it is no longer part of."), show_default=False)
    ] = None,
    date: DateOption = "today",
    json_output: JsonFlag = False,
) -> None:
    """Undo a link made with `link` (the log keeps that it existed)."""
    run = session(ctx)
    run.require({"CASE": case, "--part-of": part_of})
    result = _work().unlink_cases(run.conn(), case, part_of, parse.parse_step_date(date, run.today()))
    confirm(
        json_output,
        result,
        _("Case {child} is no longer part of case {parent}.").format(
            child=result["child_id"], parent=result["parent_id"]
        ),
    )


@app.command()
def refer(
    ctx: typer.Context,
    case: CaseArgument = None,
    to: Annotated[
        str | None, typer.Option("--to", help=_("The agency the client is referred to."), show_default=False)
    ] = None,
    service: Annotated[str | None, typer.Option(help=_("The service asked for."), show_default=False)] = None,
    contact: Annotated[
        str | None, typer.Option(help=_("The contact person at the agency."), show_default=False)
    ] = None,
    due: Annotated[str | None, typer.Option(help=_("When an answer is due (YYYY-MM-DD)."), show_default=False)] = None,
    force: Annotated[bool, typer.Option("--force", help=_("Refer without recorded consent (needs --reason)."))] = False,
    reason: Annotated[
        str | None, typer.Option(help=_("Why --force overrides missing consent."), show_default=False)
    ] = None,
    date: DateOption = "today",
    json_output: JsonFlag = False,
) -> None:
    """Refer the client to another agency (needs the client's consent)."""
    run = session(ctx)
    given = guided(
        run,
        ReferAnswers(
            case=case, to=to, service=service, contact=contact, due=due, force=force, reason=reason, date=date
        ),
    )
    today = run.today()
    result = _work().refer(
        run.conn(),
        given.case,
        agency=parse.clean_text(given.to, "--to", required=True),
        service=parse.clean_text(given.service, "--service", required=True),
        contact=parse.clean_text(given.contact, "--contact"),
        due=parse.parse_date(given.due, today, "--due") if given.due else None,
        force=force,
        reason=parse.clean_text(given.reason, "--reason"),
        on=parse.parse_step_date(given.date, today),
    )
    message = _("Case {id}: referral {ref} sent to {agency}.").format(
        id=result["case_id"], ref=result["referral_id"], agency=result["agency"]
    )
    if result["consent_override"]:
        message += " " + _("Recorded as an override of missing consent.")
    confirm(json_output, result, message)


@referral_app.command("update")
def referral_update(
    ctx: typer.Context,
    referral: Annotated[
        str | None, typer.Argument(metavar="ID", help=_("The referral's number."), show_default=False)
    ] = None,
    status: Annotated[str | None, choice_option(REFERRAL_STATUS)] = None,
    note: NoteOption = None,
    date: DateOption = "today",
    json_output: JsonFlag = False,
) -> None:
    """Record a referral's outcome: sent → accepted or declined, accepted → completed."""
    run = session(ctx)
    run.require({"ID": referral, "--status": status})
    result = _work().update_referral(
        run.conn(),
        referral,
        status=REFERRAL_STATUS.parse(status),
        note=parse.clean_text(note, "--note"),
        on=parse.parse_step_date(date, run.today()),
    )
    confirm(
        json_output,
        result,
        _("Referral {ref} to {agency}: {status}.").format(
            ref=result["referral_id"], agency=result["agency"], status=REFERRAL_STATUS.label(result["status"])
        ),
    )


@referral_app.command("list")
def referral_list(
    ctx: typer.Context,
    case: CaseArgument = None,
    open_only: Annotated[
        bool, typer.Option("--open", help=_("Only referrals still waiting (sent, accepted)."))
    ] = False,
    overdue: Annotated[bool, typer.Option("--overdue", help=_("Only open referrals past their due date."))] = False,
    json_output: JsonFlag = False,
) -> None:
    """List referrals: the whole caseload's, or one case's."""
    from lingkaran.store import helping_system as store
    from lingkaran.store import records

    run = session(ctx)
    case_id = records.find_case(run.conn(), case)["id"] if case else None
    if overdue:
        found = store.overdue_referrals(run.conn(), run.today().isoformat(), case_id)
    else:
        found = store.list_referrals(run.conn(), case_id=case_id, open_only=open_only)
    if json_output:
        print_json(found)
        return
    from lingkaran.render.helping_system import referrals_table

    show(referrals_table(found, run.today().isoformat()))


app.add_typer(member_app, name="member")
app.add_typer(team_app, name="team")
app.add_typer(referral_app, name="referral")
