"""Consent (UU PDP art. 20–22, NASW 1.03/1.07): each decision is one entry in the case's consent history.

`cases.consent` and `cases.consent_on` stay the current state (other commands read them); `consents` keeps
every decision with its date and scope, so consent can be proven later.
"""

import datetime as dt
import sqlite3

from lingkaran.casework import projection
from lingkaran.casework.cases import case_to_write
from lingkaran.domain import identity
from lingkaran.errors import InvalidInput
from lingkaran.messages import _
from lingkaran.store import consents, events, records
from lingkaran.store.transactions import transaction


def record(conn: sqlite3.Connection, reference: str, *, given: bool, scope: str | None, on: dt.date) -> dict:
    """Record that the client gave or withdrew consent on a date; the case's current consent follows it."""
    if given and not scope:
        raise InvalidInput(_("say what the client consents to with --scope TEXT"))
    with transaction(conn):
        case = case_to_write(conn, reference, on)
        given_by = identity.consent_given_by(case, on) if given else None  # a child's consent is the guardian's
        stamp = events.now_utc()  # the row, the case and the event share it, as the projection gives them
        entry = records.insert(
            conn,
            "consents",
            {
                "case_id": case["id"],
                "given": int(given),
                "scope": scope,
                "given_by": given_by,
                "decided_on": on.isoformat(),
                "recorded_at": stamp,
            },
        )
        current = consents.history(conn, case["id"])[-1]  # a decision dated earlier than the last does not override it
        records.touch_case(
            conn,
            case,
            {
                "consent": int(current["given"]),
                "consent_on": current["decided_on"],
                "consent_scope": current["scope"] if current["given"] else None,
            },
            at=stamp,
        )
        data = {"consent_uuid": entry["uuid"], "given": given, "scope": scope, "given_by": given_by}
        events.append(
            conn,
            records.case_ref(case),
            "consent",
            phase=case["phase"],
            cycle=case["cycle"],
            occurred_on=on.isoformat(),
            data=data,
            recorded_at=stamp,
        )
        projection.settle(conn, case["id"])
        return {"case_id": case["id"], "phase": case["phase"], "decided_on": on.isoformat(), **data}
