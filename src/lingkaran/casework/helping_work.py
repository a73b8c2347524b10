"""The helping system as operations on the caseload: members, links, team, referrals, ecomap.

Like casework.py, each function is one write transaction that writes its rows and appends one event to the
case's timeline. These records do not move the case around the cycle: events keep the case's phase.
"""

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

from lingkaran.casework import projection
from lingkaran.domain import helping_system, parse
from lingkaran.domain.vocabularies import REFERRAL_STATUS
from lingkaran.errors import InvalidInput, StepRefused
from lingkaran.messages import _
from lingkaran.store import erasure, events, records
from lingkaran.store import helping_system as store
from lingkaran.store.transactions import transaction


@contextmanager
def _on_case(conn: sqlite3.Connection, reference: str, on: dt.date, *, active: bool = False) -> Iterator[dict]:
    """A write transaction on one case, refusing dates before it opened (and a closed case if `active`)."""
    with transaction(conn):
        case = records.find_case(conn, reference)
        erasure.refuse_if_erased(conn, case)
        _check_date(case, on)
        if active and case["status"] == "closed":
            raise StepRefused(
                _("case {case} is closed; run `lingkaran reopen {case} --reason TEXT` first").format(case=case["id"])
            )
        yield case


def _check_date(case: dict, on: dt.date) -> None:
    parse.refuse_before_opening(on, case["opened_on"], "--date", case["id"])


def _event(conn: sqlite3.Connection, case: dict, kind: str, on: dt.date, data: dict) -> dict:
    """Append the event of a helping-system change; the case stays where it is in the cycle."""
    stamp = events.now_utc()
    records.touch_case(conn, case, {}, at=stamp)
    event = events.append(
        conn,
        records.case_ref(case),
        kind,
        phase=case["phase"],
        cycle=case["cycle"],
        occurred_on=on.isoformat(),
        data=data,
        recorded_at=stamp,
    )
    projection.settle(conn, case["id"])
    return event


def _find(conn: sqlite3.Connection, table: str, case: dict, name: str) -> dict:
    person = store.find_person(conn, table, case["id"], name)
    if person is None:
        current = ", ".join(
            p["name"] for p in (store.members if table == "members" else store.team)(conn, case["id"])
        ) or _("none")
        raise InvalidInput(
            _("{name!r} is not a current {what} of case {case} (current: {current})").format(
                name=name,
                what=_("member") if table == "members" else _("team member"),
                case=case["id"],
                current=current,
            )
        )
    return person


# Client systems -------------------------------------------------------------------------------------------


def add_member(
    conn: sqlite3.Connection,
    reference: str,
    *,
    name: str,
    role: str,
    relation: str | None,
    note: str | None,
    on: dt.date,
    details: dict | None = None,
) -> dict:
    """Add a member to a case's client system (a family member, a group, a leader, an institution), with who
    they are and how to reach them (`details`: identity.PERSON_FIELDS)."""
    details = details or {}
    with _on_case(conn, reference, on, active=True) as case:
        if store.find_person(conn, "members", case["id"], name):
            raise InvalidInput(_("case {case} already has a member named {name!r}").format(case=case["id"], name=name))
        member = records.insert(
            conn,
            "members",
            {
                "case_id": case["id"],
                "name": name,
                "role": role,
                "relation": relation,
                "born": details.get("born"),
                "note": note,
                "added_on": on.isoformat(),
                **details,
            },
        )
        data = {
            "member_uuid": member["uuid"],
            "name": name,
            "role": role,
            "relation": relation,
            "born": details.get("born"),
            "note": note,
            **details,
        }
        _event(conn, case, "member-add", on, data)
        return {"case_id": case["id"], "member_id": member["id"], **data}


def _remove_person(
    conn: sqlite3.Connection, table: str, reference: str, name: str, reason: str | None, on: dt.date
) -> dict:
    """Date a member's or team member's leaving; the record, the work naming them and the log stay."""
    kind, uuid_key = ("member-remove", "member_uuid") if table == "members" else ("team-remove", "team_uuid")
    with _on_case(conn, reference, on) as case:
        person = _find(conn, table, case, name)
        if on.isoformat() < person["added_on"]:  # else the list shows a stay that ends before it began
            raise InvalidInput(
                _("--date {date} is before {name} was added ({added})").format(
                    date=on.isoformat(), name=person["name"], added=person["added_on"]
                )
            )
        records.update(conn, table, person["id"], {"removed_on": on.isoformat()})
        data = {uuid_key: person["uuid"], "name": person["name"], "reason": reason}
        _event(conn, case, kind, on, data)
        return {"case_id": case["id"], **data}


def remove_member(conn: sqlite3.Connection, reference: str, *, name: str, reason: str | None, on: dt.date) -> dict:
    """Mark a member as no longer part of the client system (the record and its history stay)."""
    return _remove_person(conn, "members", reference, name, reason, on)


class PersonRef(NamedTuple):
    """A member or team member a record points at: local id, UUID for exchange, name as recorded (all None: nobody)."""

    id: int | None
    uuid: str | None
    name: str | None


def member_of(conn: sqlite3.Connection, case: dict, name: str | None, on: dt.date | None = None) -> PersonRef:
    """The member an assessment, goal or activity concerns: a current member or (a record caught up from paper
    notes) one who has left since but was a member on its date `on`; any other name is refused."""
    if not name:
        return PersonRef(None, None, None)
    former = None
    if on is not None and store.find_person(conn, "members", case["id"], name) is None:
        former = store.former_person(conn, "members", case["id"], name, on.isoformat())
    member = former or _find(conn, "members", case, name)
    return PersonRef(member["id"], member["uuid"], member["name"])


def link_in_transaction(conn: sqlite3.Connection, child: dict, parent_reference: str, on: dt.date) -> dict:
    """Record that `child` is part of the case named by `parent_reference`; call inside a transaction."""
    parent = records.find_case(conn, parent_reference)
    erasure.refuse_if_erased(conn, parent)  # an erased family case takes no new members' cases
    helping_system.check_link(child, parent, store.ancestors(conn, parent["id"]))
    if store.link(conn, parent["id"], child["id"]):
        raise InvalidInput(
            _("case {child} is already part of case {parent}").format(child=child["id"], parent=parent["id"])
        )
    record = records.insert(
        conn, "case_links", {"parent_id": parent["id"], "child_id": child["id"], "linked_on": on.isoformat()}
    )
    data = _link_data(record["uuid"], parent, child)
    _event(conn, child, "link", on, data)
    return {"case_id": child["id"], "part_of": parent["id"], **data, **_link_names(parent, child)}


def link_cases(conn: sqlite3.Connection, child_reference: str, parent_reference: str, on: dt.date) -> dict:
    """Make one case part of a family, group or community case (both cases list the link)."""
    with _on_case(conn, child_reference, on) as child:
        return link_in_transaction(conn, child, parent_reference, on)


def unlink_cases(conn: sqlite3.Connection, child_reference: str, parent_reference: str, on: dt.date) -> dict:
    """Undo a link between two cases (the log keeps that it existed)."""
    with _on_case(conn, child_reference, on) as child:
        parent = records.find_case(conn, parent_reference)
        found = store.link(conn, parent["id"], child["id"])
        if not found:
            raise InvalidInput(
                _("case {child} is not part of case {parent}").format(child=child["id"], parent=parent["id"])
            )
        store.delete_link(conn, found["id"])
        data = _link_data(found["uuid"], parent, child)
        _event(conn, child, "unlink", on, data)
        return {"case_id": child["id"], **data, **_link_names(parent, child)}


def _link_data(link_uuid: str, parent: dict, child: dict) -> dict:
    """What a link or unlink event records: the two cases by id and UUID, never by name (the child's log must
    not keep the family's name after the family case is erased)."""
    return {
        "link_uuid": link_uuid,
        "parent_uuid": parent["uuid"],
        "parent_id": parent["id"],
        "child_uuid": child["uuid"],
        "child_id": child["id"],
    }


def _link_names(parent: dict, child: dict) -> dict:
    """The two clients' names, for the command's own output only."""
    return {"parent_client": parent["client"], "child_client": child["client"]}


# The intervention system -----------------------------------------------------------------------------------


def add_team_member(
    conn: sqlite3.Connection,
    reference: str,
    *,
    name: str,
    role: str,
    agency: str | None,
    contact: str | None,
    on: dt.date,
) -> dict:
    """Add a person to the case's intervention system (the team)."""
    with _on_case(conn, reference, on, active=True) as case:
        if store.find_person(conn, "team", case["id"], name):
            raise InvalidInput(_("case {case} already has {name!r} on its team").format(case=case["id"], name=name))
        person = records.insert(
            conn,
            "team",
            {
                "case_id": case["id"],
                "name": name,
                "role": role,
                "agency": agency,
                "contact": contact,
                "added_on": on.isoformat(),
            },
        )
        data = {"team_uuid": person["uuid"], "name": name, "role": role, "agency": agency, "contact": contact}
        _event(conn, case, "team-add", on, data)
        return {"case_id": case["id"], "team_id": person["id"], **data}


def remove_team_member(conn: sqlite3.Connection, reference: str, *, name: str, reason: str | None, on: dt.date) -> dict:
    """Take a person off the team (their recorded work stays theirs)."""
    return _remove_person(conn, "team", reference, name, reason, on)


def team_member_of(conn: sqlite3.Connection, case: dict, by: str | None, on: dt.date | None = None) -> PersonRef:
    """The team member who carried out an activity, when `by` names one: on the team now, or (an activity
    caught up from paper notes) someone who has left the team since but was on it on the activity's date `on`.

    A name that is not on the team is kept as written, unlinked (the worker may not have built a team).
    """
    person = store.find_person(conn, "team", case["id"], by) if by else None
    if by and person is None and on is not None:
        person = store.former_person(conn, "team", case["id"], by, on.isoformat())
    return PersonRef(person["id"], person["uuid"], person["name"]) if person else PersonRef(None, None, by)


# Referrals -------------------------------------------------------------------------------------------------


def refer(
    conn: sqlite3.Connection,
    reference: str,
    *,
    agency: str,
    service: str,
    contact: str | None,
    due: dt.date | None,
    force: bool,
    reason: str | None,
    on: dt.date,
) -> dict:
    """Refer the client out to another agency; needs current consent or an override with a reason."""
    if due is not None and due < on:
        raise InvalidInput(_("--due {due} is before the referral ({on})").format(due=due, on=on))
    if reason and not force:
        raise InvalidInput(_("--reason explains a --force override; give --force too, or leave --reason out"))
    with _on_case(conn, reference, on, active=True) as case:
        override = helping_system.check_referral_consent(
            bool(case["consent"]), force, reason, withdrawn_on=case["consent_on"]
        )
        referral = records.insert(
            conn,
            "referrals",
            {
                "case_id": case["id"],
                "agency": agency,
                "service": service,
                "contact": contact,
                "referred_on": on.isoformat(),
                "due_on": due.isoformat() if due else None,
                "status": "sent",
                "status_on": on.isoformat(),
                "consent_override": override,
            },
        )
        data = {
            "referral_uuid": referral["uuid"],
            "referral_id": referral["id"],
            "agency": agency,
            "service": service,
            "contact": contact,
            "due_on": referral["due_on"],
            "status": "sent",
            "consent_override": override,
        }
        _event(conn, case, "refer", on, data)
        return {"case_id": case["id"], **data}


def update_referral(conn: sqlite3.Connection, reference: str, *, status: str, note: str | None, on: dt.date) -> dict:
    """Move a referral on: sent → accepted or declined, accepted → completed (also after the case closed)."""
    with transaction(conn):
        referral = store.find_referral(conn, reference)
        case = records.find_case(conn, str(referral["case_id"]))
        erasure.refuse_if_erased(conn, case)
        if on.isoformat() < referral["referred_on"]:
            raise InvalidInput(
                _("--date {date} is before the referral was made ({made})").format(
                    date=on.isoformat(), made=referral["referred_on"]
                )
            )
        new_status = helping_system.referral_move(referral["status"], status)
        if on.isoformat() < referral["status_on"]:  # completed before it was accepted: the outcome out of order
            raise InvalidInput(
                _("--date {date} is before the referral became {status} ({since})").format(
                    date=on.isoformat(), status=REFERRAL_STATUS.label(referral["status"]), since=referral["status_on"]
                )
            )
        records.update(
            conn,
            "referrals",
            referral["id"],
            {"status": new_status, "status_on": on.isoformat(), "note": note if note else referral["note"]},
        )
        data = {
            "referral_uuid": referral["uuid"],
            "referral_id": referral["id"],
            "agency": referral["agency"],
            "from": referral["status"],
            "status": new_status,
            "note": note,
        }
        _event(conn, case, "referral-update", on, data)
        return {"case_id": case["id"], **data}


def referral_for_termination(
    conn: sqlite3.Connection, case: dict, reason: str, referral_reference: str | None
) -> dict | None:
    """The referral a termination `referred` links to: the one named, else the case's latest open one."""
    if referral_reference is None:
        return store.latest_open_referral(conn, case["id"]) if reason == "referred" else None
    if reason != "referred":
        raise InvalidInput(_("--referral goes with --reason referred"))
    referral = store.find_referral(conn, referral_reference)
    if referral["case_id"] != case["id"]:
        raise InvalidInput(
            _("referral {ref} belongs to case {other}, not case {case}").format(
                ref=referral["id"], other=referral["case_id"], case=case["id"]
            )
        )
    return referral


# Ecomap ----------------------------------------------------------------------------------------------------


def ecomap_add(
    conn: sqlite3.Connection,
    reference: str,
    *,
    system: str,
    kind: str | None,
    tie: str,
    flow: str | None,
    note: str | None,
    on: dt.date,
) -> dict:
    """Draw a system on the client's ecomap, or redraw its tie (each change is dated).

    Redrawing keeps the system's kind and flow unless new ones are given; a new system needs its kind.
    """
    with _on_case(conn, reference, on) as case:
        before = helping_system.ecomap_at(store.ecomap_changes(conn, case["id"]), on.isoformat())
        previous = next((t for name, t in before.items() if name.casefold() == system.casefold()), None)
        if kind is None and previous is None:
            raise InvalidInput(_("missing --kind: {system!r} is new on this ecomap").format(system=system))
        kind = kind or previous["kind"]
        flow = flow or (previous["flow"] if previous else "none")
        change = records.insert(
            conn,
            "ecomap_changes",
            {
                "case_id": case["id"],
                "system": system,
                "kind": kind,
                "tie": tie,
                "flow": flow,
                "note": note,
                "changed_on": on.isoformat(),
                "removed": 0,
            },
        )
        data = {
            "change_uuid": change["uuid"],
            "system": system,
            "kind": kind,
            "tie": tie,
            "flow": flow,
            "note": note,
            "before": helping_system.tie_summary(previous),
        }
        _event(conn, case, "ecomap-add", on, data)
        return {"case_id": case["id"], **data}


def ecomap_remove(conn: sqlite3.Connection, reference: str, *, system: str, note: str | None, on: dt.date) -> dict:
    """Take a system off the ecomap from this date on (earlier maps still show it)."""
    with _on_case(conn, reference, on) as case:
        current = helping_system.ecomap_at(store.ecomap_changes(conn, case["id"]), on.isoformat())
        found = next((t for name, t in current.items() if name.casefold() == system.casefold()), None)
        if found is None:
            raise InvalidInput(
                _("{system!r} is not on the ecomap of case {case} (on it: {names})").format(
                    system=system, case=case["id"], names=", ".join(current) or _("nothing yet")
                )
            )
        change = records.insert(
            conn,
            "ecomap_changes",
            {
                "case_id": case["id"],
                "system": found["system"],
                "kind": found["kind"],
                "tie": found["tie"],
                "flow": found["flow"],
                "note": note,
                "changed_on": on.isoformat(),
                "removed": 1,
            },
        )
        data = {
            "change_uuid": change["uuid"],
            "system": found["system"],
            "kind": found["kind"],
            "tie": found["tie"],
            "flow": found["flow"],
            "note": note,
        }
        _event(conn, case, "ecomap-remove", on, data)
        return {"case_id": case["id"], **data}


def ecomap(
    conn: sqlite3.Connection, reference: str, *, on: str, compare_from: str | None = None, compare: bool = False
) -> dict:
    """The ecomap of a case on a date, and with `compare` what changed since intake (or `compare_from`)."""
    case = records.find_case(conn, reference)
    changes = store.ecomap_changes(conn, case["id"])
    ties = list(helping_system.ecomap_at(changes, on).values())
    result = {"case_id": case["id"], "client": case["client"], "level": case["level"], "on": on, "systems": ties}
    if compare:
        start = compare_from or helping_system.first_map_date(changes) or on
        before = helping_system.ecomap_at(changes, start)
        result.update(
            {"from": start, "changes": helping_system.ecomap_diff(before, helping_system.ecomap_at(changes, on))}
        )
    return result
