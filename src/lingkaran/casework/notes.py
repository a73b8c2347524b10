"""Free case notes and corrections: each one a record plus one event, in one write transaction.

A correction never edits the past silently: the corrected event stays as it was; a new `amend` event points
to it (its UUID in `data.amends`), the record it created shows the corrected text, and `amendments` keeps
the correction with its reason.
"""

import datetime as dt
import sqlite3

from lingkaran.casework import projection
from lingkaran.casework.cases import case_to_write
from lingkaran.domain.event_records import AMENDABLE, OTHER_FIELDS
from lingkaran.errors import InvalidInput
from lingkaran.messages import _
from lingkaran.store import corrections, erasure, events, records
from lingkaran.store.transactions import transaction

ERASED = {"erased": True}


def add_note(conn: sqlite3.Connection, reference: str, *, text: str, on: dt.date) -> dict:
    """A free note on a case at whatever step it is (closed cases too); it does not change the step."""
    with transaction(conn):
        case = case_to_write(conn, reference, on)
        note = records.insert(
            conn,
            "notes",
            {
                "case_id": case["id"],
                "cycle": case["cycle"],
                "phase": case["phase"],
                "written_on": on.isoformat(),
                "text": text,
            },
        )
        data = {"note_uuid": note["uuid"], "text": text}
        event = events.append(
            conn,
            records.case_ref(case),
            "note",
            phase=case["phase"],
            cycle=case["cycle"],
            occurred_on=on.isoformat(),
            data=data,
        )
        return {
            "case_id": case["id"],
            "phase": case["phase"],
            "event_uuid": event["uuid"],
            "written_on": on.isoformat(),
            **data,
        }


def amend(
    conn: sqlite3.Connection, event_reference: str, *, text: str, reason: str, on: dt.date, field: str | None = None
) -> dict:
    """Correct the free text an event recorded: a new `amend` event and the record showing the new text.

    `field` names another text than the event's own (the client's name on the event that opened the case)."""
    with transaction(conn):
        event = corrections.find_event(conn, event_reference)
        table, column, text_key, record = _record_to_correct(conn, event, field)
        case = records.find_case(conn, str(event["case_id"]))
        erasure.refuse_if_erased(conn, case)
        amendment = records.insert(
            conn,
            "amendments",
            {
                "case_id": case["id"],
                "event_uuid": event["uuid"],
                "record_table": table,
                "record_uuid": record["uuid"],
                "field": column,
                "text": text,
                "reason": reason,
                "amended_on": on.isoformat(),
            },
        )
        records.update(conn, table, record["id"], {column: text})
        data = {
            "amendment_uuid": amendment["uuid"],
            "amends": event["uuid"],
            "amends_kind": event["kind"],
            "record_uuid": record["uuid"],
            "field": text_key,
            "note": text,
            "reason": reason,
        }
        appended = events.append(
            conn,
            records.case_ref(case),
            "amend",
            phase=case["phase"],
            cycle=case["cycle"],
            occurred_on=on.isoformat(),
            data=data,
        )
        projection.settle(conn, case["id"])
        return {
            "case_id": case["id"],
            "phase": case["phase"],
            "event_uuid": appended["uuid"],
            "previous": record[column],
            **data,
        }


def current_text(conn: sqlite3.Connection, event_reference: str, field: str | None = None) -> str:
    """The text a correction of this event would replace, as it reads now (earlier corrections included); refused
    as `amend` refuses it when the event cannot be corrected."""
    _table, column, _text_key, record = _record_to_correct(conn, corrections.find_event(conn, event_reference), field)
    return record[column] or ""


def _record_to_correct(conn: sqlite3.Connection, event: dict, field: str | None) -> tuple[str, str, str, dict]:
    """The table, column, event field and record a correction of `event` goes to, or the refusal saying why not."""
    table, uuid_key, column, text_key = _amendable(event, field)
    record_uuid = event["case_uuid"] if uuid_key is None else event["data"].get(uuid_key)
    record = corrections.record_by_uuid(conn, table, record_uuid or "")
    if record is None:
        raise InvalidInput(_("event {uuid} has no record left to correct").format(uuid=event["uuid"]))
    return table, column, text_key, record


def amendable_events(conn: sqlite3.Connection, case_id: int, field: str | None = None) -> list[dict]:
    """The events of a case a correction can go to (`field`: the name, only on the event that opened it), each
    with its current `text`; erased ones and records gone are left out."""
    kinds = tuple(kind for kind, other in OTHER_FIELDS if other == field) if field else tuple(AMENDABLE)
    found = []
    for event in corrections.case_events_of_kinds(conn, case_id, kinds):
        try:
            found.append({**event, "text": current_text(conn, event["uuid"], field)})
        except InvalidInput:
            continue
    return found


def _amendable(event: dict, field: str | None = None) -> tuple[str, str | None, str, str]:
    """The record and field an event's correction goes to, or a one-line refusal saying why not."""
    if field is not None and (event["kind"], field) not in OTHER_FIELDS:
        raise InvalidInput(
            _(
                "--client corrects the name on the event that opened the case (`lingkaran log CASE "
                "--json`: the first event)"
            )
        )
    if event["kind"] == "amend":
        raise InvalidInput(
            _("event {uuid} is itself a correction; amend the original event {original} again").format(
                uuid=event["uuid"], original=event["data"].get("amends")
            )
        )
    if event["kind"] not in AMENDABLE:
        raise InvalidInput(
            _("{kind} events cannot be amended; amend accepts the events of: {kinds}").format(
                kind=event["kind"], kinds=", ".join(AMENDABLE)
            )
        )
    if event["data"] == ERASED or event["case_id"] is None:
        raise InvalidInput(_("event {uuid} was erased; there is nothing to correct").format(uuid=event["uuid"]))
    return OTHER_FIELDS[(event["kind"], field)] if field else AMENDABLE[event["kind"]]
