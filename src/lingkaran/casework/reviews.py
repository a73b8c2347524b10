"""A supervisor's review recorded on a case: one record and its `review` event in one transaction.

A review moves no step and closes nothing: it is what the supervisor said and decided; the worker acts on it
(`plan`, `terminate`, a referral) with the commands of the cycle.
"""

import datetime as dt
import sqlite3

from lingkaran.casework.cases import case_to_write
from lingkaran.store import events, records
from lingkaran.store.transactions import transaction


def review(
    conn: sqlite3.Connection, reference: str, *, by: str, comment: str | None, decision: str, on: dt.date
) -> dict:
    """Record a supervisor's review of a case (active or closed) on a date."""
    with transaction(conn):
        case = case_to_write(conn, reference, on)
        record = records.insert(
            conn,
            "reviews",
            {
                "case_id": case["id"],
                "cycle": case["cycle"],
                "phase": case["phase"],
                "reviewed_on": on.isoformat(),
                "by_name": by,
                "comment": comment,
                "decision": decision,
            },
        )
        records.touch_case(conn, case, {})
        data = {"review_uuid": record["uuid"], "by": by, "comment": comment, "decision": decision}
        event = events.append(
            conn,
            records.case_ref(case),
            "review",
            phase=case["phase"],
            cycle=case["cycle"],
            occurred_on=on.isoformat(),
            data=data,
        )
        return {
            "case_id": case["id"],
            "phase": case["phase"],
            "event_uuid": event["uuid"],
            "reviewed_on": on.isoformat(),
            **data,
        }
