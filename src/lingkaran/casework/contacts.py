"""Every contact counts from the first day: an activity recorded with `contact` needs no plan and moves no step.

An intake visit, an assessment session, a psychologist's assessment: work with the client before any goal
exists (or beside the goals, at any step). It is an activity like those of `intervene` (stats, team minutes,
`show` and the last contact count it) but is marked `recorded_as = 'contact'`, so the cycle's rules never take
it for intervention (monitoring and evaluation still need `intervene`). A joint visit credits every person who
went (`activity_workers`); a group session keeps its number of participants.
"""

import datetime as dt
import sqlite3

from lingkaran.casework import helping_work
from lingkaran.casework.cases import case_to_write
from lingkaran.domain import cycle
from lingkaran.errors import InvalidInput
from lingkaran.messages import _
from lingkaran.store import events, records
from lingkaran.store.transactions import transaction

MAX_PARTICIPANTS = 100_000  # a village meeting, not a typo of a phone number


def check_participants(participants: int | None) -> int | None:
    """How many people took part (a group session, a community meeting): none, or 1 to 100,000."""
    if participants is not None and not 1 <= participants <= MAX_PARTICIPANTS:
        raise InvalidInput(
            _("--participants: {value} is not a number of people from 1 to {most}").format(
                value=participants, most=MAX_PARTICIPANTS
            )
        )
    return participants


def record_activity(
    conn: sqlite3.Connection,
    case: dict,
    *,
    on: dt.date,
    kind: str,
    note: str,
    goal_numbers: list[int],
    minutes: int | None,
    by: list[str],
    member: str | None,
    participants: int | None,
    recorded_as: str | None,
    goal_uuids: list[str] | None = None,
) -> dict:
    """Insert one activity (inside the caller's transaction) with everyone who carried it out; returns the
    content its event records. The first person named is the activity's own `by`; the others go along."""
    people = [helping_work.team_member_of(conn, case, name, on) for name in _distinct(by)] or [
        helping_work.team_member_of(conn, case, None, on)
    ]
    member_ref = helping_work.member_of(conn, case, member, on)
    activity = records.insert(
        conn,
        "activities",
        {
            "case_id": case["id"],
            "cycle": case["cycle"],
            "kind": kind,
            "note": note,
            "minutes": minutes,
            "by_name": people[0].name,
            "occurred_on": on.isoformat(),
            "goal_numbers": goal_numbers,
            "goal_uuids": list(goal_uuids or []),
            "team_id": people[0].id,
            "member_id": member_ref.id,
            "recorded_as": recorded_as,
            "participants": participants,
        },
    )
    also = [
        records.insert(
            conn, "activity_workers", {"activity_id": activity["id"], "team_id": person.id, "name": person.name}
        )
        | {"team_uuid": person.uuid}
        for person in people[1:]
    ]
    data = {
        "activity_uuid": activity["uuid"],
        "kind": kind,
        "note": note,
        "goals": goal_numbers,
        "goal_uuids": activity["goal_uuids"],
        "minutes": minutes,
        "by": people[0].name,
        "team_uuid": people[0].uuid,
        "member": member_ref.name,
        "member_uuid": member_ref.uuid,
    }
    if also:
        data["with"] = [
            {"name": worker["name"], "team_uuid": worker["team_uuid"], "worker_uuid": worker["uuid"]} for worker in also
        ]
    if participants is not None:
        data["participants"] = participants
    return data


def _distinct(names: list[str]) -> list[str]:
    """Each person once, in the order named (a name typed twice is one person who went)."""
    first_spelling: dict[str, str] = {}
    for name in names:
        first_spelling.setdefault(name.casefold(), name)
    return list(first_spelling.values())


def contact(
    conn: sqlite3.Connection,
    reference: str,
    *,
    on: dt.date,
    kind: str,
    note: str,
    minutes: int | None,
    by: list[str],
    member: str | None = None,
    participants: int | None = None,
) -> dict:
    """Record a contact with the client at any step, before a plan too: it moves no step, it is a contact."""
    with transaction(conn):
        case = case_to_write(conn, reference, on)
        _not_before_the_cycle(conn, case, on)
        data = record_activity(
            conn,
            case,
            on=on,
            kind=kind,
            note=note,
            goal_numbers=[],
            minutes=minutes,
            by=by,
            member=member,
            participants=participants,
            recorded_as="contact",
        )
        records.touch_case(
            conn, case, {"last_contact_on": cycle.later_contact(case["last_contact_on"], on.isoformat())}
        )
        event = events.append(
            conn,
            records.case_ref(case),
            "contact",
            phase=case["phase"],
            cycle=case["cycle"],
            occurred_on=on.isoformat(),
            data=data,
        )
        return {"case_id": case["id"], "phase": case["phase"], "event_uuid": event["uuid"], **data}


def _not_before_the_cycle(conn: sqlite3.Connection, case: dict, on: dt.date) -> None:
    """A contact of a reopened case belongs to its current cycle: not dated before that cycle began."""
    if case["status"] != "active" or case["cycle"] == 1:
        return
    started, _latest = records.cycle_span(conn, case["id"], case["cycle"], ("reopen",))
    if started and on.isoformat() < started:
        raise InvalidInput(
            _("--date {date} is before {what} ({limit})").format(
                date=on.isoformat(), what=_("this cycle began"), limit=started
            )
        )
