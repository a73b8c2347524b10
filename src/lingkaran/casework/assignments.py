"""Who holds a case on the agency hub: `share` adds a colleague, `handover` moves the case to one.

Each is one event that travels (kind `share` or `handover`, data {"worker": NAME}); the hub applies it when it
arrives (store/hub/migrations.py), and this laptop's next sync drops a case it handed over once the hub holds
all of its events (casework/hub_sync.py). Nothing else changes here: the case's rows stay as they are.
"""

import datetime as dt
import sqlite3

from lingkaran.casework.cases import case_to_write
from lingkaran.store import events, records
from lingkaran.store.transactions import transaction

KINDS = ("share", "handover")


def assign(conn: sqlite3.Connection, kind: str, reference: str, worker: str, on: dt.date) -> dict:
    """Record that a case is shared with, or handed over to, a hub worker (one transaction, one event)."""
    from lingkaran.store.hub.workers import checked_name

    worker = checked_name(worker)
    with transaction(conn):
        case = case_to_write(conn, reference, on)
        event = events.append(
            conn,
            records.case_ref(case),
            kind,
            phase=case["phase"],
            cycle=case["cycle"],
            occurred_on=on.isoformat(),
            data={"worker": worker},
        )
    return {
        "case_id": case["id"],
        "uuid": case["uuid"],
        "kind": kind,
        "worker": worker,
        "event_uuid": event["uuid"],
        "occurred_on": on.isoformat(),
    }
