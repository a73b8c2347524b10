"""The seven steps as operations on the caseload: pass the step's gate, write, append the event.

Each function runs in one write transaction, so the record and its event land together or not at all: it opens
the case (`_step`), asks the cycle's gate where the step moves the case (`cycle.next_phase`, the table
`cycle.GATES`), writes its rows, and appends its event (`_record_entry`). Values arrive already parsed
(domain/parse.py, domain/vocabularies.py); what needs the database to check (goal numbers, dates against the
case's opening) is checked here.
"""

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from lingkaran.casework import contacts, helping_work, projection
from lingkaran.casework.cases import case_to_write
from lingkaran.domain import assessment_domains as domains
from lingkaran.domain import cycle, gas, identity, vocabularies
from lingkaran.domain.parse import GoalRef
from lingkaran.errors import InvalidInput
from lingkaran.messages import _
from lingkaran.store import events, records
from lingkaran.store.transactions import transaction


@dataclass(frozen=True)
class Step:
    """A step being written to one case: its record, its state for the gates, and the date of the latest step of
    its current cycle (None before any), read once per step."""

    case: dict
    state: cycle.CaseState
    latest_on: str | None


@contextmanager
def _step(conn: sqlite3.Connection, reference: str, on: dt.date, after_latest: bool = False) -> Iterator[Step]:
    """Open a write transaction on one case and hand over what the step's gate and its entry need.

    A step is never dated before its cycle began; with `after_latest` (closing a case), not before the latest
    step either. Activities may be entered out of order: a worker catching up from paper notes does that.
    """
    with transaction(conn):
        case = case_to_write(conn, reference, on)
        started, latest = records.cycle_span(conn, case["id"], case["cycle"], tuple(cycle.STEP_OF_EVENT))
        if case["status"] == "active":
            limit, what = (latest, _("the case's latest step")) if after_latest else (started, _("this cycle began"))
            if limit and on.isoformat() < limit:
                raise InvalidInput(
                    _("--date {date} is before {what} ({limit})").format(date=on.isoformat(), what=what, limit=limit)
                )
        yield Step(case, records.case_state(conn, case), latest)


def _record(
    conn: sqlite3.Connection,
    case: dict,
    kind: str,
    phase: str,
    on: dt.date,
    data: dict,
    case_values: dict | None = None,
    cycle_number: int | None = None,
) -> dict:
    """Move the case to `phase`, apply any other case changes, and append the event that says so."""
    stamp = events.now_utc()
    records.touch_case(conn, case, {"phase": phase, **(case_values or {})}, at=stamp)
    event = events.append(
        conn,
        records.case_ref(case),
        kind,
        phase=phase,
        cycle=cycle_number or case["cycle"],
        occurred_on=on.isoformat(),
        data=data,
        recorded_at=stamp,
    )
    projection.settle(conn, case["id"])
    return event


def _record_entry(
    conn: sqlite3.Connection,
    step: Step,
    kind: str,
    phase: str,
    on: dt.date,
    data: dict,
    case_values: dict | None = None,
    contact: bool = True,
) -> tuple[str, str]:
    """Record a step within the cycle (assess, plan, intervene, monitor, evaluate; `contact`: it was a contact
    with the client), which may be catch-up from paper notes: an entry older than the cycle's latest step
    moves neither the step nor the last contact back (cycle.step_after_entry). Returns the case's phase after
    and the event's UUID (what `amend` takes).
    """
    case = step.case
    phase = cycle.step_after_entry(case["phase"], phase, on.isoformat(), step.latest_on)
    if contact:
        case_values = {
            **(case_values or {}),
            "last_contact_on": cycle.later_contact(case["last_contact_on"], on.isoformat()),
        }
    return phase, _record(conn, case, kind, phase, on, data, case_values)["uuid"]


def open_case(
    conn: sqlite3.Connection,
    *,
    client: str,
    level: str,
    problem: str,
    source: str | None,
    consent: bool,
    worker: str | None,
    on: dt.date,
    part_of: str | None = None,
    consent_scope: str | None = None,
    details: dict | None = None,
) -> dict:
    """Engagement: open a new case at the start of its first cycle (`part_of`: the family case it belongs to),
    with the client's consent and its scope if given, and who the client is (`details`: identity.CASE_FIELDS)."""
    if consent_scope and not consent:
        raise InvalidInput(_("--consent-scope describes consent that was given: add --consent"))
    with transaction(conn):
        case = record_opening(
            conn,
            client=client,
            level=level,
            problem=problem,
            source=source,
            consent=consent,
            worker=worker,
            on=on,
            consent_scope=consent_scope,
            details=details,
        )
        if part_of:
            helping_work.link_in_transaction(conn, case, part_of, on)
        return case


def record_opening(
    conn: sqlite3.Connection,
    *,
    client: str,
    level: str,
    problem: str,
    source: str | None,
    consent: bool,
    worker: str | None,
    on: dt.date,
    consent_on: str | None = None,
    uuid: str | None = None,
    consent_scope: str | None = None,
    details: dict | None = None,
) -> dict:
    """Write a new case, its consent if given, and its `open` event inside the caller's transaction (open, import).

    A child's consent is their guardian's (identity.consent_given_by), recorded with the consent."""
    details = details or {}
    given_by = (
        identity.consent_given_by(details, dt.date.fromisoformat(consent_on) if consent_on else on) if consent else None
    )
    values = {
        "client": client,
        "level": level,
        "problem": problem,
        "source": source,
        "worker": worker,
        "consent": int(consent),
        "consent_on": (consent_on or on.isoformat()) if consent else None,
        "consent_scope": consent_scope if consent else None,
        "phase": "engagement",
        "status": "active",
        "cycle": 1,
        "opened_on": on.isoformat(),
        "last_contact_on": on.isoformat(),
        "updated_at": events.now_utc(),
        **details,
    }
    case = records.insert(conn, "cases", {**values, **({"uuid": uuid} if uuid else {})})
    if consent:
        records.insert(
            conn,
            "consents",
            {
                "uuid": events.derived_uuid(case["uuid"], "consent"),
                "case_id": case["id"],
                "given": 1,
                "scope": consent_scope,
                "decided_on": values["consent_on"],
                "recorded_at": values["updated_at"],
                **({"given_by": given_by} if given_by else {}),
            },
        )
    data = {**values, **({"consent_given_by": given_by} if given_by else {})}
    events.append(
        conn,
        records.case_ref(case),
        "open",
        phase="engagement",
        cycle=1,
        occurred_on=on.isoformat(),
        data=data,
        recorded_at=values["updated_at"],
    )
    return case


def assess(
    conn: sqlite3.Connection,
    reference: str,
    *,
    on: dt.date,
    ratings: dict[str, int],
    strengths: list[str],
    needs: list[str],
    risk: str | None,
    summary: str | None,
    member: str | None = None,
    problem: str | None = None,
) -> dict:
    """Assessment: domain ratings, strengths, needs, risk, and the problem restated; the case (re)enters
    assessment."""
    if not (ratings or strengths or needs or risk or summary or problem):
        raise InvalidInput(
            _("nothing to record: give at least one of --domain, --strength, --need, --risk, --summary, --problem")
        )
    with _step(conn, reference, on) as step:
        case = step.case
        phase = cycle.next_phase("assess", step.state, small_edit=not ratings)
        domains.refuse_other_levels(ratings, case["level"], member=bool(member))
        member_ref = helping_work.member_of(conn, case, member, on)
        assessment = records.insert(
            conn,
            "assessments",
            {
                "case_id": case["id"],
                "cycle": case["cycle"],
                "assessed_on": on.isoformat(),
                "risk": risk,
                "summary": summary,
                "strengths": strengths,
                "needs": needs,
                "member_id": member_ref.id,
            },
        )
        for domain, score in sorted(ratings.items()):  # the order a replay gives (the event's keys are sorted)
            records.insert(
                conn,
                "ratings",
                {
                    "uuid": events.derived_uuid(assessment["uuid"], domain),
                    "assessment_id": assessment["id"],
                    "domain": domain,
                    "score": score,
                },
            )
        data = {
            "assessment_uuid": assessment["uuid"],
            "ratings": ratings,
            "strengths": strengths,
            "needs": needs,
            "risk": risk,
            "summary": summary,
            "member": member_ref.name,
            "member_uuid": member_ref.uuid,
            **({"problem": problem} if problem else {}),
        }
        phase, event_uuid = _record_entry(
            conn, step, "assess", phase, on, data, {"problem": problem} if problem else None
        )
        return {"case_id": case["id"], "phase": phase, "event_uuid": event_uuid, **data}


def plan(
    conn: sqlite3.Connection,
    reference: str,
    *,
    on: dt.date,
    new_goals: list[str],
    default_target: str | None,
    weights: dict[GoalRef, float],
    targets: dict[GoalRef, str],
    scales: dict[GoalRef, dict[str, str]],
    revisions: dict[GoalRef, str],
    dropped: list[GoalRef],
    member: str | None = None,
) -> dict:
    """Planning: add goals (numbered on from the last), revise or drop existing ones, set weights and scales.

    `member`: the client-system member this call's new goals concern.
    """
    if member and not new_goals:
        raise InvalidInput(_("--member names who this call's new goals concern: add them with --goal TEXT"))
    if default_target and not new_goals:
        raise InvalidInput(_("--target DATE applies to new goals: add --goal TEXT, or write --target N=DATE"))
    if not (new_goals or weights or targets or scales or revisions or dropped):
        raise InvalidInput(_("nothing to plan: give --goal TEXT (or --revise, --weight, --target, --gas, --drop)"))
    with _step(conn, reference, on) as step:
        case = step.case
        phase = cycle.next_phase("plan", step.state, small_edit=not new_goals)
        first_number = records.next_goal_number(conn, case["id"])
        member_ref = helping_work.member_of(conn, case, member, on)
        added = [
            records.insert(
                conn,
                "goals",
                {
                    "case_id": case["id"],
                    "number": first_number + offset,
                    "text": text,
                    "weight": 1.0,
                    "target_on": default_target,
                    "status": "open",
                    "set_on": on.isoformat(),
                    "cycle": case["cycle"],
                    "member_id": member_ref.id,
                },
            )
            for offset, text in enumerate(new_goals)
        ]
        existing = {goal["number"]: goal for goal in records.goals(conn, case["id"])}
        weights, targets, scales, revisions = (
            _by_number(existing, named) for named in (weights, targets, scales, revisions)
        )
        dropped = [_goal_number(existing, goal) for goal in dropped]
        changes = _goal_changes(existing, weights, targets, scales, revisions, dropped)
        for number, values in changes.items():
            records.update(conn, "goals", existing[number]["id"], values)
        data = {
            "added": [
                {
                    "number": g["number"],
                    "uuid": g["uuid"],
                    "text": g["text"],
                    "target_on": g["target_on"],
                    "member": member_ref.name,
                    "member_uuid": member_ref.uuid,
                }
                for g in added
            ],
            "changed": {str(number): values for number, values in changes.items()},
            # by uuid, each scale with only the levels given: what the projection replays
            "goal_changes": {
                existing[number]["uuid"]: {**values, **({"scale": scales[number]} if number in scales else {})}
                for number, values in changes.items()
            },
        }
        goals = records.goals(conn, case["id"])
        if not any(goal["status"] == "open" for goal in goals):
            raise InvalidInput(_("a plan needs at least one open goal: add one with --goal TEXT"))
        phase, event_uuid = _record_entry(conn, step, "plan", phase, on, data, contact=False)
        return {"case_id": case["id"], "phase": phase, "event_uuid": event_uuid, "goals": goals, **data}


def _goal_changes(
    existing: dict[int, dict],
    weights: dict[int, float],
    targets: dict[int, str],
    scales: dict[int, dict[str, str]],
    revisions: dict[int, str],
    dropped: list[int],
) -> dict[int, dict]:
    """Collect per-goal column changes, refusing goal numbers the case does not have or no longer works on.

    A closed goal (met in an earlier cycle) or a dropped one is history: changing it would rewrite that history.
    """
    changes: dict[int, dict] = {}
    for column, by_number in (("weight", weights), ("target_on", targets), ("text", revisions)):
        for number, value in by_number.items():
            changes.setdefault(_known_goal(existing, number, open_only=True), {})[column] = value
    for number, levels in scales.items():
        scale = {**(existing[_known_goal(existing, number, open_only=True)]["scale"] or {}), **levels}
        changes.setdefault(number, {})["scale"] = scale
    for number in dropped:
        changes.setdefault(_known_goal(existing, number, open_only=True), {})["status"] = "dropped"
    return changes


def _goal_number(goals_by_number: dict[int, dict], goal: GoalRef) -> int:
    """The number of a goal named by its number or by the start of its UUID (digits only: when no goal has
    that number, as find_case does)."""
    if isinstance(goal, int) and (goal in goals_by_number or len(str(goal)) < 4):
        return goal
    prefix = str(goal).lower()
    matches = [number for number, found in goals_by_number.items() if found["uuid"].startswith(prefix)]
    if len(matches) > 1:
        raise InvalidInput(
            _("{ref!r} matches more than one goal of this case; give more of the UUID").format(ref=str(goal))
        )
    if not matches:
        raise InvalidInput(
            _("no goal of this case is {ref!r} (goals: {known})").format(
                ref=str(goal), known=", ".join(str(n) for n in goals_by_number) or _("none yet")
            )
        )
    return matches[0]


def _by_number(goals_by_number: dict[int, dict], named: dict) -> dict:
    """Values given per goal (by number or UUID prefix), keyed by the goals' numbers."""
    found: dict[int, object] = {}
    for goal, value in named.items():
        number = _goal_number(goals_by_number, goal)
        if number in found:
            raise InvalidInput(_("goal {number} is named twice").format(number=number))
        found[number] = value
    return found


def _goals_named(conn: sqlite3.Connection, case: dict, named: dict) -> dict:
    """`_by_number` for a case's goals as they stand."""
    return _by_number({goal["number"]: goal for goal in records.goals(conn, case["id"])}, named)


def _known_goal(
    goals_by_number: dict[int, dict], goal: GoalRef, open_only: bool = False, not_dropped: bool = False
) -> int:
    """The number of the goal named if the case has it (and it is still open, with `open_only`; not dropped,
    with `not_dropped`), else a clear refusal."""
    number = _goal_number(goals_by_number, goal)
    if number not in goals_by_number:
        known = ", ".join(str(n) for n in goals_by_number) or _("none yet")
        raise InvalidInput(
            _("goal {number} does not exist in this case (goals: {known})").format(number=number, known=known)
        )
    if open_only and goals_by_number[number]["status"] != "open":
        still_open = ", ".join(str(n) for n, goal in goals_by_number.items() if goal["status"] == "open")
        raise InvalidInput(
            _("goal {number} is {status}; name an open goal ({open})").format(
                number=number,
                status=vocabularies.GOAL_STATUS.label(goals_by_number[number]["status"]),
                open=still_open or _("none yet"),
            )
        )
    if not_dropped and goals_by_number[number]["status"] == "dropped":
        kept = ", ".join(str(n) for n, goal in goals_by_number.items() if goal["status"] != "dropped")
        raise InvalidInput(
            _("goal {number} is dropped; name a goal that was worked on ({kept})").format(
                number=number, kept=kept or _("none yet")
            )
        )
    return number


def intervene(
    conn: sqlite3.Connection,
    reference: str,
    *,
    on: dt.date,
    kind: str,
    note: str,
    goal_numbers: list[GoalRef],
    minutes: int | None,
    by: str | list[str] | None,
    member: str | None = None,
    participants: int | None = None,
) -> dict:
    """Intervention: record one activity and the goals it served, linked to the team members who did it (`by`:
    one name, or everyone who went on a joint visit) and, for a group session, its number of participants."""
    with _step(conn, reference, on) as step:
        case = step.case
        phase = cycle.next_phase("intervene", step.state)
        goals_by_number = {goal["number"]: goal for goal in records.goals(conn, case["id"])}
        goal_numbers = [_known_goal(goals_by_number, goal, open_only=True) for goal in goal_numbers]
        data = contacts.record_activity(
            conn,
            case,
            on=on,
            kind=kind,
            note=note,
            goal_numbers=goal_numbers,
            minutes=minutes,
            by=[by] if isinstance(by, str) else list(by or []),
            member=member,
            participants=participants,
            recorded_as=None,
            goal_uuids=[goals_by_number[number]["uuid"] for number in goal_numbers],
        )
        phase, event_uuid = _record_entry(conn, step, "intervene", phase, on, data)
        return {"case_id": case["id"], "phase": phase, "event_uuid": event_uuid, **data}


def _record_levels(
    conn: sqlite3.Connection,
    case: dict,
    levels: dict[int, int],
    source: str,
    on: dt.date,
    open_only: bool,
    entry_uuid: str,
) -> dict[int, dict]:
    """Store observed GAS levels for goals, in the order of their numbers (as the projection replays them), and
    keep each goal's latest level (the newest observation's: a catch-up entry does not overwrite it,
    gas.is_newest_observation); returns the goals touched. Each level's UUID derives from the entry's
    (`entry_uuid`, a monitoring or evaluation) and the goal's.

    Without `open_only` (a follow-up after the close) closed goals take levels, dropped ones never do.
    """
    goals_by_number = {goal["number"]: goal for goal in records.goals(conn, case["id"])}
    for number, level in sorted(levels.items()):
        goal = goals_by_number[_known_goal(goals_by_number, number, open_only, not_dropped=True)]
        newest = gas.is_newest_observation(on.isoformat(), records.latest_observation_on(conn, goal["id"]))
        records.insert(
            conn,
            "goal_levels",
            {
                "uuid": events.derived_uuid(entry_uuid, goal["uuid"]),
                "goal_id": goal["id"],
                "case_id": case["id"],
                "level": level,
                "source": source,
                "observed_on": on.isoformat(),
                "cycle": case["cycle"],
            },
        )
        if newest:
            records.update(conn, "goals", goal["id"], {"latest_level": level})
    return {number: goals_by_number[number] for number in levels}


def monitor(
    conn: sqlite3.Connection,
    reference: str,
    *,
    on: dt.date,
    progress: dict[GoalRef, int],
    note: str,
    follow_up: dt.date | None,
) -> dict:
    """Monitoring: progress on goals; on a closed case, a follow-up contact that does not reopen it."""
    with _step(conn, reference, on) as step:
        case = step.case
        phase = cycle.next_phase("monitor", step.state)
        if step.state.closed:
            _not_before_close(case, on)
        progress = dict(sorted(_goals_named(conn, case, progress).items()))
        entry_uuid = events.new_uuid()
        observed = _record_levels(conn, case, progress, "monitor", on, not step.state.closed, entry_uuid)
        given = follow_up.isoformat() if follow_up else None
        next_follow_up = cycle.follow_up_after_entry(case["follow_up_on"], given, on.isoformat(), step.latest_on)
        # The row and the event keep what this entry planned (a catch-up's own follow-up is history).
        planned = given if cycle.is_catch_up(on.isoformat(), step.latest_on) else next_follow_up
        record = records.insert(
            conn,
            "monitoring",
            {
                "uuid": entry_uuid,
                "case_id": case["id"],
                "cycle": case["cycle"],
                "note": note,
                "observed_on": on.isoformat(),
                "follow_up_on": planned,
                "after_close": int(step.state.closed),
            },
        )
        data = {
            "monitoring_uuid": record["uuid"],
            "progress": {str(n): v for n, v in progress.items()},
            "goal_levels": {observed[n]["uuid"]: v for n, v in progress.items()},
            "note": note,
            "follow_up_on": planned,
            "after_close": step.state.closed,
        }
        phase, event_uuid = _record_entry(conn, step, "monitor", phase, on, data, {"follow_up_on": next_follow_up})
        return {"case_id": case["id"], "phase": phase, "event_uuid": event_uuid, **data}


def _not_before_close(case: dict, on: dt.date) -> None:
    """What follows a close (a follow-up, a reopening) cannot be dated before it."""
    if case["closed_on"] and on.isoformat() < case["closed_on"]:
        raise InvalidInput(
            _("--date {date} is before the case was closed ({closed})").format(
                date=on.isoformat(), closed=case["closed_on"]
            )
        )


def evaluate(
    conn: sqlite3.Connection,
    reference: str,
    *,
    on: dt.date,
    scores: dict[GoalRef, int],
    decision: str,
    note: str | None,
) -> dict:
    """Evaluation: each goal's attained level, the Kiresuk–Sherman T-score, and where the cycle goes next."""
    if not scores:
        raise InvalidInput(_("give each goal's attained level with --score N=LEVEL"))
    with _step(conn, reference, on) as step:
        case = step.case
        phase = cycle.next_phase("evaluate", step.state, decision)
        scores = dict(sorted(_goals_named(conn, case, scores).items()))
        entry_uuid = events.new_uuid()
        scored = _record_levels(conn, case, scores, "evaluate", on, True, entry_uuid)
        t_score = round(gas.t_score([scores[n] for n in scored], [scored[n]["weight"] for n in scored]), 2)
        evaluation = records.insert(
            conn,
            "evaluations",
            {
                "uuid": entry_uuid,
                "case_id": case["id"],
                "cycle": case["cycle"],
                "evaluated_on": on.isoformat(),
                "t_score": t_score,
                "decision": decision,
                "note": note,
                "scores": {str(n): v for n, v in scores.items()},
                "goal_scores": {scored[n]["uuid"]: v for n, v in scores.items()},
            },
        )
        data = {
            "evaluation_uuid": evaluation["uuid"],
            "scores": {str(n): v for n, v in scores.items()},
            "goal_scores": evaluation["goal_scores"],
            "t_score": t_score,
            "decision": decision,
            "note": note,
        }
        phase, event_uuid = _record_entry(conn, step, "evaluate", phase, on, data)
        return {"case_id": case["id"], "phase": phase, "event_uuid": event_uuid, **data}


def terminate(
    conn: sqlite3.Connection,
    reference: str,
    *,
    on: dt.date,
    reason: str,
    summary: str,
    follow_up: dt.date | None,
    destination: str | None,
    referral: str | None = None,
) -> dict:
    """Termination: close the case and its open goals, with the reason and where the client goes.

    A `referred` ending links to the referral named by `referral`, else to the case's latest open one.
    """
    with _step(conn, reference, on, after_latest=True) as step:
        case = step.case
        phase = cycle.next_phase("terminate", step.state, reason)
        follow_up_on = follow_up.isoformat() if follow_up else None
        linked = helping_work.referral_for_termination(conn, case, reason, referral)
        termination = records.insert(
            conn,
            "terminations",
            {
                "case_id": case["id"],
                "cycle": case["cycle"],
                "reason": reason,
                "summary": summary,
                "closed_on": on.isoformat(),
                "follow_up_on": follow_up_on,
                "destination": destination,
                "referral_id": linked["id"] if linked else None,
            },
        )
        conn.execute("UPDATE goals SET status = 'closed' WHERE case_id = ? AND status = 'open'", [case["id"]])
        data = {
            "termination_uuid": termination["uuid"],
            "reason": reason,
            "summary": summary,
            "follow_up_on": follow_up_on,
            "destination": destination,
            "referral_uuid": linked["uuid"] if linked else None,
            "referral_id": linked["id"] if linked else None,
        }
        _record(
            conn,
            case,
            "terminate",
            phase,
            on,
            data,
            {"status": "closed", "closed_on": on.isoformat(), "close_reason": reason, "follow_up_on": follow_up_on},
        )
        return {"case_id": case["id"], "phase": phase, **data}


def reopen(conn: sqlite3.Connection, reference: str, *, on: dt.date, reason: str) -> dict:
    """Start the next cycle of a closed case at assessment."""
    with _step(conn, reference, on) as step:
        case = step.case
        phase = cycle.next_phase("reopen", step.state)
        _not_before_close(case, on)
        new_cycle = case["cycle"] + 1
        data = {"reason": reason, "cycle": new_cycle}
        _record(
            conn,
            case,
            "reopen",
            phase,
            on,
            data,
            {
                "status": "active",
                "cycle": new_cycle,
                "closed_on": None,
                "close_reason": None,
                "follow_up_on": None,
                "last_contact_on": cycle.later_contact(case["last_contact_on"], on.isoformat()),
            },
            cycle_number=new_cycle,
        )
        return {"case_id": case["id"], "phase": phase, **data}
