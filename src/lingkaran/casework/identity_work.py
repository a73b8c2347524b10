"""Changing who the client (or a client-system member) is and how to reach them: one transaction, one event.

The `identity` event carries the new value of every field it changed (a replay of the log rebuilds the
record), and the field names, which are all `log` shows: a NIK or a phone number never appears in the timeline.
"""

import datetime as dt
import sqlite3

from lingkaran.casework.cases import case_to_write
from lingkaran.casework.helping_work import member_of
from lingkaran.domain import identity
from lingkaran.errors import InvalidInput
from lingkaran.messages import _
from lingkaran.store import events, records
from lingkaran.store.transactions import transaction


def set_identity(conn: sqlite3.Connection, reference: str, *, member: str | None, changes: dict, on: dt.date) -> dict:
    """Set (or, with None, clear) identity and contact fields of a case's client or of one of its members."""
    if not changes:
        raise InvalidInput(
            _("nothing to change: give at least one of {flags}").format(
                flags=", ".join(dict.fromkeys(identity.FLAGS.values()))
            )
        )
    if member:
        _refuse_case_only(changes)
    with transaction(conn):
        case = case_to_write(conn, reference, on)
        table, record, who = _target(conn, case, member, on)
        changed = {field: value for field, value in changes.items() if record.get(field) != value}
        if changed:
            records.update(conn, table, record["id"], changed)
            records.touch_case(conn, case, {})
            data = {"member_uuid": who.uuid, "member": who.name, "changed": list(changed), "values": changed}
            events.append(
                conn,
                records.case_ref(case),
                "identity",
                phase=case["phase"],
                cycle=case["cycle"],
                occurred_on=on.isoformat(),
                data=data,
            )
        return {
            "case_id": case["id"],
            "phase": case["phase"],
            "member": who.name,
            "member_uuid": who.uuid,
            "changed": list(changed),
            "values": changed,
        }


def _refuse_case_only(changes: dict) -> None:
    """A guardian and the PPKS category belong to the case's client, not to a member."""
    for field in identity.CASE_ONLY_FIELDS:
        if field in changes:
            raise InvalidInput(
                _("{flag} applies to the case's client, not to a member: leave out --member").format(
                    flag=identity.FLAGS[field]
                )
            )


def _target(conn: sqlite3.Connection, case: dict, member: str | None, on: dt.date):
    """The table and record whose details change (the case, or the member named), and who that is."""
    if not member:
        return "cases", case, member_of(conn, case, None)
    who = member_of(conn, case, member, on)
    return "members", records.as_dict(conn.execute("SELECT * FROM members WHERE id = ?", [who.id]).fetchone()), who
