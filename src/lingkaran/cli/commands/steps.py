"""The seven steps of the cycle as commands: parse the flags, call casework, print the result.

Each command imports casework (the write path: hashing, UUIDs) itself, so read commands never load it.
"""

import sys
from typing import Annotated

import typer

from lingkaran.cli.commands import command_app
from lingkaran.cli.guide import guided
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
from lingkaran.cli.options import (
    ByOption,
    CaseArgument,
    DateOption,
    JsonFlag,
    ParticipantsOption,
    choice_option,
    given_as,
    people,
)
from lingkaran.cli.output import confirm, print_json, print_lines
from lingkaran.cli.session import read_text_argument, session
from lingkaran.domain import parse as values
from lingkaran.domain.vocabularies import ACTIVITY, DECISION, LEVEL, REASON, RISK
from lingkaran.messages import _, ngettext
from lingkaran.prompts.answers import (
    AssessAnswers,
    EvaluateAnswers,
    InterveneAnswers,
    MonitorAnswers,
    OpenAnswers,
    PlanAnswers,
    ReopenAnswers,
    TerminateAnswers,
)
from lingkaran.store import settings

app = command_app()

MemberOption = Annotated[
    str | None,
    typer.Option(
        "--member",
        help=_("The client-system member this concerns (see `lingkaran member list CASE`)."),
        show_default=False,
    ),
]


@app.command("open")
def open_case(
    ctx: typer.Context,
    client: Annotated[
        str | None,
        typer.Argument(help=_("The client's name (a person, family, group or community)."), show_default=False),
    ] = None,
    level: Annotated[str | None, choice_option(LEVEL)] = None,
    problem: Annotated[
        str | None, typer.Option(help=_("The presenting problem, in the client's words."), show_default=False)
    ] = None,
    source: Annotated[str | None, typer.Option(help=_("Who referred the client."), show_default=False)] = None,
    consent: Annotated[
        bool | None,
        typer.Option("--consent/--no-consent", help=_("Whether the client gave informed consent."), show_default=False),
    ] = None,
    consent_scope: Annotated[
        str | None,
        typer.Option(help=_("What the client consented to (e.g. case management and referral)."), show_default=False),
    ] = None,
    worker: Annotated[
        str | None,
        typer.Option(envvar="LINGKARAN_WORKER", help=_("The responsible social worker."), show_default=False),
    ] = None,
    part_of: Annotated[
        str | None,
        typer.Option(help=_("The family, group or community case this case is part of."), show_default=False),
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
    """Engagement: open a new case and print its number."""
    run = session(ctx)
    given = guided(
        run,
        OpenAnswers(
            client=client,
            level=level,
            problem=problem,
            source=source,
            consent=consent,
            consent_scope=consent_scope,
            worker=worker,
            date=date,
        ),
    )
    today = run.today()
    worker = given.worker or settings.get("worker")
    details = identity_changes(today, ctx.params)
    from lingkaran.casework import steps as casework

    case = casework.open_case(
        run.conn(),
        client=values.clean_text(given.client, "CLIENT", required=True),
        level=LEVEL.parse(given.level),
        problem=values.clean_text(given.problem, "--problem", required=True),
        source=values.clean_text(given.source, "--source"),
        consent=bool(given.consent),
        worker=values.clean_text(worker, given_as(ctx, "worker", "--worker")),
        on=values.parse_step_date(given.date, today),
        part_of=part_of,
        consent_scope=values.clean_text(given.consent_scope, "--consent-scope"),
        details=details,
    )
    if json_output:
        from lingkaran.readmodels import case_view

        print_json(case_view.case_object(case, []))
    elif sys.stdout.isatty():
        from lingkaran.render.plain import colour_allowed, step_line

        message = _("Opened case {id} for {client} ({level}). Next: lingkaran assess {id}").format(
            id=case["id"], client=case["client"], level=case["level"]
        )
        print_lines([step_line(case, message, colour=colour_allowed())])
    else:
        sys.stdout.write(f"{case['id']}\n")


@app.command()
def assess(
    ctx: typer.Context,
    case: CaseArgument = None,
    domain: Annotated[
        list[str] | None,
        typer.Option(
            help=_("A domain rating NAME=1..5 (1 in crisis … 5 thriving); repeat for each domain."), show_default=False
        ),
    ] = None,
    strength: Annotated[
        list[str] | None, typer.Option(help=_("A strength or resource; repeatable."), show_default=False)
    ] = None,
    need: Annotated[list[str] | None, typer.Option(help=_("A need; repeatable."), show_default=False)] = None,
    risk: Annotated[str | None, choice_option(RISK)] = None,
    summary: Annotated[
        str | None, typer.Option(help=_("The assessment in a few sentences."), show_default=False)
    ] = None,
    problem: Annotated[
        str | None,
        typer.Option(
            help=_("The problem as the assessment understands it; the case's problem statement becomes this."),
            show_default=False,
        ),
    ] = None,
    member: MemberOption = None,
    date: DateOption = "today",
    json_output: JsonFlag = False,
) -> None:
    """Assessment: rate life domains, note strengths, needs and risk."""
    from lingkaran.domain.assessment_domains import domain_aliases, domain_names

    run = session(ctx)
    given = guided(
        run,
        AssessAnswers(
            case=case,
            domain=domain,
            strength=strength,
            need=need,
            risk=risk,
            summary=summary,
            problem=problem,
            member=member,
            date=date,
        ),
    )
    from lingkaran.casework import steps as casework

    result = casework.assess(
        run.conn(),
        given.case,
        on=values.parse_step_date(given.date, run.today()),
        ratings=values.parse_ratings(given.domain or [], domain_names(), domain_aliases()),
        strengths=[t for t in (values.clean_text(s, "--strength") for s in given.strength or []) if t],
        needs=[t for t in (values.clean_text(n, "--need") for n in given.need or []) if t],
        risk=RISK.parse(given.risk) if given.risk else None,
        summary=values.clean_text(given.summary, "--summary"),
        member=given.member,
        problem=values.clean_text(given.problem, "--problem"),
    )
    count = len(result["ratings"])
    confirm(
        json_output,
        result,
        ngettext(
            "Case {id}: assessment recorded ({count} domain rated).",
            "Case {id}: assessment recorded ({count} domains rated).",
            count,
        ).format(id=result["case_id"], count=count),
        step=True,
    )


@app.command()
def plan(
    ctx: typer.Context,
    case: CaseArgument = None,
    goal: Annotated[
        list[str] | None,
        typer.Option(help=_("A new goal; repeatable. Goals are numbered 1, 2, 3…"), show_default=False),
    ] = None,
    weight: Annotated[
        list[str] | None, typer.Option(help=_("A goal's weight N=WEIGHT (default 1)."), show_default=False)
    ] = None,
    target: Annotated[
        list[str] | None,
        typer.Option(help=_("Target date: DATE for this call's new goals, or N=DATE for goal N."), show_default=False),
    ] = None,
    gas: Annotated[
        list[str] | None,
        typer.Option("--gas", help=_("A GAS level description N:LEVEL=TEXT (LEVEL −2…+2)."), show_default=False),
    ] = None,
    revise: Annotated[list[str] | None, typer.Option(help=_("Reword goal N: N=TEXT."), show_default=False)] = None,
    drop: Annotated[
        list[str] | None, typer.Option(help=_("Drop goal N from the plan; repeatable."), show_default=False)
    ] = None,
    member: MemberOption = None,
    date: DateOption = "today",
    json_output: JsonFlag = False,
) -> None:
    """Planning: set goals with weights, target dates and GAS levels."""
    run = session(ctx)
    given = guided(
        run,
        PlanAnswers(case=case, goal=goal, weight=weight, target=target, gas=gas, revise=revise, drop=drop, date=date),
    )
    today = run.today()
    on = values.parse_step_date(given.date, today)
    default_target, targets = values.parse_targets(given.target or [], today, on)
    from lingkaran.casework import steps as casework

    result = casework.plan(
        run.conn(),
        given.case,
        on=on,
        new_goals=[values.clean_text(text, "--goal", required=True) for text in given.goal or []],
        default_target=default_target,
        weights=values.parse_weights(given.weight or []),
        targets=targets,
        scales=values.parse_scales(given.gas or []),
        revisions=values.parse_goal_texts(given.revise or [], "--revise"),
        dropped=[values.parse_goal_number(str(number), "--drop") for number in given.drop or []],
        member=member,
    )
    count = sum(goal["status"] == "open" for goal in result["goals"])
    confirm(
        json_output,
        result,
        ngettext(
            "Case {id}: plan recorded ({count} open goal).", "Case {id}: plan recorded ({count} open goals).", count
        ).format(id=result["case_id"], count=count),
        step=True,
    )


@app.command()
def intervene(
    ctx: typer.Context,
    case: CaseArgument = None,
    activity: Annotated[str | None, choice_option(ACTIVITY)] = None,
    note: Annotated[
        str | None, typer.Option(help=_("What was done and observed (- reads it from stdin)."), show_default=False)
    ] = None,
    goal: Annotated[
        list[str] | None,
        typer.Option(
            help=_("A goal this activity served: its number or the start of its UUID; repeatable."), show_default=False
        ),
    ] = None,
    minutes: Annotated[int | None, typer.Option(help=_("Minutes of contact."), show_default=False)] = None,
    by: ByOption = None,
    participants: ParticipantsOption = None,
    member: MemberOption = None,
    date: DateOption = "today",
    json_output: JsonFlag = False,
) -> None:
    """Intervention: record one activity with the client."""
    run = session(ctx)
    given = guided(
        run,
        InterveneAnswers(
            case=case,
            activity=activity,
            goal=goal,
            minutes=minutes,
            by=by,
            member=member,
            note=read_text_argument(note),
            date=date,
        ),
    )
    from lingkaran.casework import contacts
    from lingkaran.casework import steps as casework

    result = casework.intervene(
        run.conn(),
        given.case,
        on=values.parse_step_date(given.date, run.today()),
        kind=ACTIVITY.parse(given.activity),
        note=values.clean_text(given.note, "--note", required=True),
        goal_numbers=[values.parse_goal_number(str(n), "--goal") for n in given.goal or []],
        minutes=values.parse_minutes(given.minutes),
        by=people(given.by),
        member=given.member,
        participants=contacts.check_participants(participants),
    )
    confirm(
        json_output,
        result,
        _("Case {id}: {kind} recorded (event {uuid}).").format(
            id=result["case_id"], kind=ACTIVITY.label(result["kind"]), uuid=result["event_uuid"][:8]
        ),
        step=True,
    )


@app.command()
def monitor(
    ctx: typer.Context,
    case: CaseArgument = None,
    progress: Annotated[
        list[str] | None,
        typer.Option(help=_("Progress on a goal as N=LEVEL (GAS −2…+2); repeatable."), show_default=False),
    ] = None,
    note: Annotated[
        str | None, typer.Option(help=_("What you observed (- reads it from stdin)."), show_default=False)
    ] = None,
    follow_up: Annotated[str | None, typer.Option(help=_("Date of the next follow-up."), show_default=False)] = None,
    date: DateOption = "today",
    json_output: JsonFlag = False,
) -> None:
    """Monitoring: progress on goals; after termination, a follow-up contact."""
    run = session(ctx)
    given = guided(
        run, MonitorAnswers(case=case, progress=progress, note=read_text_argument(note), follow_up=follow_up, date=date)
    )
    today = run.today()
    from lingkaran.casework import steps as casework

    on = values.parse_step_date(given.date, today)
    result = casework.monitor(
        run.conn(),
        given.case,
        on=on,
        progress=values.parse_goal_levels(given.progress or [], "--progress"),
        note=values.clean_text(given.note, "--note", required=True),
        follow_up=values.parse_later_date(given.follow_up, today, "--follow-up", on) if given.follow_up else None,
    )
    message = _("Case {id}: follow-up recorded.") if result["after_close"] else _("Case {id}: monitoring recorded.")
    confirm(json_output, result, message.format(id=result["case_id"]), step=True)


@app.command()
def evaluate(
    ctx: typer.Context,
    case: CaseArgument = None,
    score: Annotated[
        list[str] | None,
        typer.Option(help=_("A goal's attained level N=LEVEL (GAS −2…+2); repeat for each goal."), show_default=False),
    ] = None,
    decision: Annotated[str | None, choice_option(DECISION)] = None,
    note: Annotated[str | None, typer.Option(help=_("The evaluation in a few sentences."), show_default=False)] = None,
    date: DateOption = "today",
    json_output: JsonFlag = False,
) -> None:
    """Evaluation: score each goal, compute the GAS T-score, decide what comes next."""
    run = session(ctx)
    given = guided(run, EvaluateAnswers(case=case, score=score, decision=decision, note=note, date=date))
    from lingkaran.casework import steps as casework

    result = casework.evaluate(
        run.conn(),
        given.case,
        on=values.parse_step_date(given.date, run.today()),
        scores=values.parse_goal_levels(given.score, "--score"),
        decision=DECISION.parse(given.decision),
        note=values.clean_text(given.note, "--note"),
    )
    decided = DECISION.label(result["decision"])
    confirm(
        json_output,
        result,
        _("Case {id}: evaluated, T-score {t_score:.2f}, decision {decision}.").format(
            id=result["case_id"], t_score=result["t_score"], decision=decided
        ),
        step=True,
    )


@app.command()
def terminate(
    ctx: typer.Context,
    case: CaseArgument = None,
    reason: Annotated[str | None, choice_option(REASON)] = None,
    summary: Annotated[
        str | None, typer.Option(help=_("What was achieved and how gains will be kept."), show_default=False)
    ] = None,
    follow_up: Annotated[
        str | None, typer.Option(help=_("Date of a follow-up contact after closing."), show_default=False)
    ] = None,
    destination: Annotated[
        str | None,
        typer.Option(
            help=_("Where the client goes: the environment they return to, or the service they are referred to."),
            show_default=False,
        ),
    ] = None,
    referral: Annotated[
        str | None,
        typer.Option(
            help=_("With --reason referred: the referral it ends in (default: the case's latest open referral)."),
            show_default=False,
        ),
    ] = None,
    date: DateOption = "today",
    json_output: JsonFlag = False,
) -> None:
    """Termination: close the case with a reason and a summary."""
    run = session(ctx)
    given = guided(
        run,
        TerminateAnswers(
            case=case, reason=reason, summary=summary, follow_up=follow_up, destination=destination, date=date
        ),
    )
    today = run.today()
    from lingkaran.casework import steps as casework

    on = values.parse_step_date(given.date, today)
    result = casework.terminate(
        run.conn(),
        given.case,
        on=on,
        reason=REASON.parse(given.reason),
        summary=values.clean_text(given.summary, "--summary", required=True),
        follow_up=values.parse_later_date(given.follow_up, today, "--follow-up", on) if given.follow_up else None,
        destination=values.clean_text(given.destination, "--destination"),
        referral=referral,
    )
    confirm(
        json_output,
        result,
        _("Case {id}: closed ({reason}).").format(id=result["case_id"], reason=REASON.label(result["reason"])),
        step=True,
    )


@app.command()
def reopen(
    ctx: typer.Context,
    case: CaseArgument = None,
    reason: Annotated[str | None, typer.Option(help=_("Why the case is opened again."), show_default=False)] = None,
    date: DateOption = "today",
    json_output: JsonFlag = False,
) -> None:
    """Reopen a closed case: the next cycle starts at assessment."""
    run = session(ctx)
    given = guided(run, ReopenAnswers(case=case, reason=reason, date=date))
    from lingkaran.casework import steps as casework

    result = casework.reopen(
        run.conn(),
        given.case,
        on=values.parse_step_date(given.date, run.today()),
        reason=values.clean_text(given.reason, "--reason", required=True),
    )
    confirm(
        json_output,
        result,
        _("Case {id}: reopened, cycle {cycle}.").format(id=result["case_id"], cycle=result["cycle"]),
        step=True,
    )
