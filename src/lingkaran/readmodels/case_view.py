"""Read models: the case objects that `list`, `show` and `--json` print (documented in docs/scripting.md)."""

import datetime as dt
import itertools
import sqlite3
from collections.abc import Iterator

from lingkaran.domain import cycle, identity
from lingkaran.domain.helping_system import ecomap_at, is_overdue
from lingkaran.store import consents, erasure, events, helping_system, notes, records, supervision
from lingkaran.store.projection import conflict_counts

CASE_FIELDS = (
    "id",
    "uuid",
    "client",
    "level",
    "phase",
    "status",
    "cycle",
    "opened_on",
    "closed_on",
    "close_reason",
    "problem",
    "source",
    "worker",
    "consent",
    "consent_on",
    "consent_scope",
    "follow_up_on",
    "last_contact_on",
    "ppks",
)
CASES_PER_BATCH = 500
LIST_FIELDS = ("id", "client", "level", "phase", "status", "cycle", "opened_on")  # a line of the human list
GOAL_FIELDS = ("number", "uuid", "text", "weight", "target_on", "status", "latest_level", "scale", "cycle")


def goal_object(goal: dict) -> dict:
    """A goal as scripts see it."""
    return {field: goal.get(field) for field in GOAL_FIELDS}


def case_object(case: dict, goals: list[dict], erased: bool = False) -> dict:
    """The case object: the fields every case has in JSON, with its goals."""
    obj = {field: case.get(field) for field in CASE_FIELDS}
    obj["consent"] = bool(obj["consent"])
    obj["erased"] = erased
    obj["goals"] = [goal_object(goal) for goal in goals]
    return obj


def caseload(conn: sqlite3.Connection, *, include_closed: bool, phase: str | None, level: str | None) -> list[dict]:
    """The case objects for `list`."""
    return list(iter_caseload(conn, include_closed=include_closed, phase=phase, level=level))


def caseload_json(
    conn: sqlite3.Connection, *, include_closed: bool, phase: str | None, level: str | None
) -> Iterator[str]:
    """The case objects for `list --json` as JSON text, one a case, encoded by SQLite (the same objects as
    `iter_caseload` makes: a test compares them)."""
    return records.case_json_texts(
        conn, CASE_FIELDS, GOAL_FIELDS, include_closed=include_closed, phase=phase, level=level
    )


def iter_caseload(
    conn: sqlite3.Connection, *, include_closed: bool, phase: str | None, level: str | None
) -> Iterator[dict]:
    """The case objects for `list`, one at a time: goals and member counts are read for a batch of cases at
    once, so memory stays flat however large the caseload."""
    cases = records.iter_cases(conn, include_closed=include_closed, phase=phase, level=level)
    erased = erasure.erased_case_ids(conn)
    while batch := list(itertools.islice(cases, CASES_PER_BATCH)):
        ids = [case["id"] for case in batch]
        goals, members = records.goals_by_case(conn, ids), helping_system.member_counts(conn, ids)
        conflicts = conflict_counts(conn, ids)
        for case in batch:
            yield {
                **case_object(case, goals[case["id"]], case["id"] in erased),
                "members": members[case["id"]],
                "conflicts": conflicts.get(case["id"], 0),
            }


def caseload_lines_data(
    conn: sqlite3.Connection, *, include_closed: bool, phase: str | None, level: str | None
) -> Iterator[dict]:
    """Only what the human `list` shows of each case (LIST_FIELDS and its flags), one case at a time."""
    return records.caseload_rows(conn, LIST_FIELDS, include_closed=include_closed, phase=phase, level=level)


def case_detail(conn: sqlite3.Connection, reference: str, today: str | None = None) -> dict:
    """Everything `show` displays about one case."""
    case = records.find_case(conn, reference)
    erased_on = erasure.erased_on(conn, case["id"])
    detail = case_object(case, records.goals(conn, case["id"]), erased=erased_on is not None)
    detail["erased_on"] = erased_on
    detail["identity"] = identity.client_details(case, _day(today))
    detail["consents"] = consents.history(conn, case["id"])
    detail["consent_given_by"] = detail["consents"][-1]["given_by"] if case["consent"] and detail["consents"] else None
    state = records.case_state(conn, case)
    detail["reached_on"] = cycle.reached_on(events.step_dates(conn, case["id"], case["cycle"]))
    detail["assessments"] = records.assessments(conn, case["id"], limit=2)
    detail["domain_ratings"] = latest_ratings(records.domain_ratings(conn, case["id"]))
    detail["activities"] = records.activities(conn, case["id"], limit=5)
    detail["notes"] = notes.latest(conn, case["id"], limit=3)
    detail["evaluation"] = records.latest(conn, "evaluations", case["id"], "evaluated_on")
    detail["termination"] = records.latest(conn, "terminations", case["id"], "closed_on") if state.closed else None
    detail["visits"] = [] if erased_on else _planned_visits(conn, case["id"])
    detail["reviews"] = supervision.reviews(conn, case["id"])
    detail["next"] = [] if erased_on else [f"lingkaran {command}" for command in cycle.next_commands(state)]
    detail["conflicts"] = conflict_marks(conn, case["id"])
    detail.update(helping_detail(conn, case, today))
    if erased_on:  # nothing more can be recorded for an erased case: no answer is awaited (as --overdue says)
        for referral in detail["referrals"]:
            referral["overdue"] = False
    return detail


def conflict_marks(conn: sqlite3.Connection, case_id: int) -> list[dict]:
    """The case's open conflicts and reviews: what `show` marks (its values there are provisional)."""
    from lingkaran.readmodels.conflicts import marks

    return marks(conn, case_id)


def latest_ratings(ratings: list[dict]) -> list[dict]:
    """The latest rating of each domain for each person (the client system as a whole is one), with the one
    before it of the same person and domain: a member's rating is never compared with another's."""
    history: dict[tuple, list[dict]] = {}
    for rating in ratings:  # oldest first
        history.setdefault((rating["member_id"], rating["domain"]), []).append(rating)
    return [
        {
            "member": latest[-1]["member"],
            "domain": domain,
            "score": latest[-1]["score"],
            "assessed_on": latest[-1]["assessed_on"],
            "previous": latest[-2]["score"] if len(latest) > 1 else None,
            "previous_on": latest[-2]["assessed_on"] if len(latest) > 1 else None,
        }
        for (_member_id, domain), latest in sorted(history.items(), key=lambda item: item[0][0] or 0)
    ]


def _planned_visits(conn: sqlite3.Connection, case_id: int) -> list[dict]:
    """A case's visits still planned, earliest first (missed ones too)."""
    from lingkaran.store.visits import schedule

    fields = ("id", "uuid", "planned_on", "at", "place", "purpose", "kind", "by_names", "minutes")
    return [
        {field: visit[field] for field in fields} for visit in schedule(conn, start=None, end=None, case_id=case_id)
    ]


def card_detail(conn: sqlite3.Connection, reference: str, today: str | None = None) -> dict:
    """What the human `show` draws: case_detail and the latest risk level assessed (the domain table is
    case_detail's latest rating per domain per person: an assessment of needs or risk alone, or of one member,
    hides none of them)."""
    detail = case_detail(conn, reference, today)
    detail["risk"] = records.latest_risk(conn, detail["id"])
    return detail


def helping_detail(conn: sqlite3.Connection, case: dict, today: str | None) -> dict:
    """The helping system around a case: linked cases, members, team, referrals, contact minutes."""
    links = helping_system.linked_cases(conn, case["id"])
    referrals = helping_system.referrals(conn, case["id"])
    for referral in referrals:
        referral["overdue"] = is_overdue(referral, today)
    return {
        "part_of": links["part_of"],
        "parts": links["parts"],
        "members": helping_system.members(conn, case["id"]),
        "team": helping_system.team_with_minutes(conn, case["id"]),
        "referrals": referrals,
        "ecomap_systems": len(ecomap_at(helping_system.ecomap_changes(conn, case["id"]), today)),
        "contact_minutes": {
            "by_person": helping_system.contact_minutes(conn, case["id"]),
            "by_role": helping_system.contact_minutes_by_role(conn, case["id"]),
        },
    }


def _day(today: str | None) -> dt.date | None:
    """The day ages are counted on: today as the command saw it."""
    return dt.date.fromisoformat(today) if today else None


def identity_detail(conn: sqlite3.Connection, reference: str, today: dt.date) -> dict:
    """What `client CASE` shows: the client's identity and contact details and each current member's."""
    case = records.find_case(conn, reference)
    members = [
        {
            "name": member["name"],
            "role": member["role"],
            "relation": member["relation"],
            "member_uuid": member["uuid"],
            **identity.person_details(member, today),
        }
        for member in helping_system.members(conn, case["id"])
    ]
    return {
        "case_id": case["id"],
        "client": case["client"],
        "level": case["level"],
        "status": case["status"],
        "erased": erasure.erased_on(conn, case["id"]) is not None,
        "ppks": case["ppks"],
        "identity": identity.client_details(case, today),
        "members": members,
    }


TIMELINE_FIELDS = ("uuid", "case_uuid", "kind", "phase", "cycle", "occurred_on", "recorded_at", "data")


def timeline(conn: sqlite3.Connection, reference: str) -> tuple[dict, list[dict]]:
    """A case and its events, oldest first: in the order the projection replays them (what each writer had
    seen first, then by clock), so every copy holding the same events tells them in the same order."""
    from lingkaran.domain.causal import replay_order
    from lingkaran.store.projection import case_events

    case = records.find_case(conn, reference)
    return case, [
        {field: event[field] for field in TIMELINE_FIELDS} for event in replay_order(case_events(conn, case["id"]))
    ]
