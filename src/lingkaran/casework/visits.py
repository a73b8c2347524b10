"""Planned visits as operations: plan one, record it as done (one command turns it into an activity), cancel it.

Each is one write transaction with its event; none moves the case's step by itself. `done` records the visit
as `intervene` would once a plan is in force (the case at planning, intervention or monitoring), otherwise as a
`contact` (an intake visit, an assessment visit, a visit after closing), and then a `visit-done` event links the
visit to that activity.
"""

import datetime as dt
import re
import sqlite3

from lingkaran.casework import contacts
from lingkaran.casework import steps as casework
from lingkaran.casework.cases import case_to_write
from lingkaran.errors import InvalidInput, StepRefused
from lingkaran.messages import N_, _
from lingkaran.store import events, records, tables
from lingkaran.store import visits as store
from lingkaran.store.transactions import transaction

STATUS_LABELS = {"planned": N_("planned"), "done": N_("done"), "cancelled": N_("cancelled")}
# Where a visit is work on the plan (`intervene`); at any other step it is a contact.
PLAN_IN_FORCE = ("planning", "intervention", "monitoring")


def parse_time(text: str) -> str:
    """--at: a time of day HH:MM (24 hours; 9:30 is 09:30)."""
    found = re.fullmatch(r"([0-9]{1,2})[:.]([0-9]{2})", text.strip())
    if not found or int(found[1]) > 23 or int(found[2]) > 59:
        raise InvalidInput(_("--at {value!r} is not a time; use HH:MM, e.g. 09:30 or 14:00").format(value=text))
    return f"{int(found[1]):02d}:{found[2]}"


def _event(conn: sqlite3.Connection, case: dict, kind: str, on: dt.date, data: dict) -> dict:
    records.touch_case(conn, case, {})
    return events.append(
        conn,
        records.case_ref(case),
        kind,
        phase=case["phase"],
        cycle=case["cycle"],
        occurred_on=on.isoformat(),
        data=data,
    )


def plan_visit(
    conn: sqlite3.Connection,
    reference: str,
    *,
    on: dt.date,
    today: dt.date,
    at: str | None,
    place: str | None,
    purpose: str | None,
    kind: str,
    by: list[str],
    minutes: int | None,
) -> dict:
    """Put a visit on the schedule: today or later, on an active case."""
    if on < today:
        raise InvalidInput(
            _(
                "--on {date} is in the past; record a visit that happened with `lingkaran contact` or "
                "`lingkaran intervene`"
            ).format(date=on.isoformat())
        )
    with transaction(conn):
        case = case_to_write(conn, reference, today)
        if case["status"] != "active":
            raise StepRefused(
                _("case {case} is closed; run `lingkaran reopen {case} --reason TEXT` first").format(case=case["id"])
            )
        visit = records.insert(
            conn,
            "visits",
            {
                "case_id": case["id"],
                "planned_on": on.isoformat(),
                "at": at,
                "place": place,
                "purpose": purpose,
                "kind": kind,
                "by_names": by,
                "minutes": minutes,
                "status": "planned",
                "status_on": today.isoformat(),
            },
        )
        data = {
            "visit_uuid": visit["uuid"],
            "visit_id": visit["id"],
            "planned_on": on.isoformat(),
            "at": at,
            "place": place,
            "purpose": purpose,
            "kind": kind,
            "by": by,
            "minutes": minutes,
        }
        _event(conn, case, "visit-plan", today, data)
        return {"case_id": case["id"], "phase": case["phase"], "client": case["client"], **data}


def _planned(conn: sqlite3.Connection, reference: str) -> tuple[dict, dict]:
    """The visit named and its case, refusing one that is no longer planned."""
    visit = store.find_visit(conn, reference)
    case = records.find_case(conn, str(visit["case_id"]))
    if visit["status"] != "planned":
        raise StepRefused(
            _("visit {id} is already {status} ({date})").format(
                id=visit["id"], status=_(STATUS_LABELS[visit["status"]]), date=visit["status_on"]
            )
        )
    return visit, case


def done_visit(
    conn: sqlite3.Connection,
    reference: str,
    *,
    on: dt.date | None,
    today: dt.date,
    note: str,
    minutes: int | None,
    goal_numbers: list[int],
    participants: int | None,
    by: list[str],
    member: str | None,
) -> dict:
    """Record a planned visit as done: the activity (intervention or contact) and the link to it."""
    with transaction(conn):
        visit, case = _planned(conn, reference)
        on = on or _planned_day(visit, today)
        recorded = _record_work(
            conn,
            case,
            visit,
            on=on,
            note=note,
            minutes=minutes,
            goal_numbers=goal_numbers,
            participants=participants,
            by=by or visit["by_names"] or [],
            member=member,
        )  # who went: as planned
        activity_id = tables.local_id(conn, "activities", recorded["activity_uuid"])
        records.update(
            conn, "visits", visit["id"], {"status": "done", "status_on": on.isoformat(), "activity_id": activity_id}
        )
        case = records.find_case(conn, str(case["id"]))
        data = {
            "visit_uuid": visit["uuid"],
            "visit_id": visit["id"],
            "activity_uuid": recorded["activity_uuid"],
            "recorded_as": recorded["recorded_as"],
        }
        _event(conn, case, "visit-done", on, data)
        return {**recorded, **data, "phase": recorded["phase"], "case_id": case["id"]}


def _planned_day(visit: dict, today: dt.date) -> dt.date:
    """The day a visit done without --date happened: the day it was planned for, once that day has come."""
    planned = dt.date.fromisoformat(visit["planned_on"])
    if planned > today:
        raise InvalidInput(
            _("visit {id} is planned for {date}, which has not come yet; give the day it happened with --date").format(
                id=visit["id"], date=visit["planned_on"]
            )
        )
    return planned


def _record_work(
    conn: sqlite3.Connection,
    case: dict,
    visit: dict,
    *,
    on: dt.date,
    note: str,
    minutes: int | None,
    goal_numbers: list[int],
    participants: int | None,
    by: list[str],
    member: str | None,
) -> dict:
    """The visit's activity: `intervene` once a plan is in force (or goals are named), else a `contact`."""
    minutes = visit["minutes"] if minutes is None else minutes
    if goal_numbers or (case["status"] == "active" and case["phase"] in PLAN_IN_FORCE):
        result = casework.intervene(
            conn,
            str(case["id"]),
            on=on,
            kind=visit["kind"],
            note=note,
            goal_numbers=goal_numbers,
            minutes=minutes,
            by=by,
            member=member,
            participants=participants,
        )
        return {**result, "recorded_as": "intervene"}
    result = contacts.contact(
        conn,
        str(case["id"]),
        on=on,
        kind=visit["kind"],
        note=note,
        minutes=minutes,
        by=by,
        member=member,
        participants=participants,
    )
    return {**result, "recorded_as": "contact"}


def cancel_visit(conn: sqlite3.Connection, reference: str, *, reason: str, on: dt.date) -> dict:
    """Take a planned visit off the schedule, with the reason (the log keeps it)."""
    with transaction(conn):
        visit, case = _planned(conn, reference)
        case_to_write(conn, str(case["id"]), on)
        records.update(
            conn, "visits", visit["id"], {"status": "cancelled", "status_on": on.isoformat(), "reason": reason}
        )
        data = {"visit_uuid": visit["uuid"], "visit_id": visit["id"], "reason": reason}
        _event(conn, case, "visit-cancel", on, data)
        return {"case_id": case["id"], "phase": case["phase"], **data}
