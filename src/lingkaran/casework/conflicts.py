"""Conflicts: single-valued facts two copies wrote without seeing each other, kept with every value until a
person decides (`resolve`), and the records a merge applied although they broke a cycle rule (reviews).

The projection finds them (projection.py, causal.Facts) and keeps them in the `conflicts` table while the case
shows one value provisionally: the later by (clock, device, uuid). A resolution is an event like any other: its
parents are the case's heads, so it has every conflicting write in its past and merges cleanly wherever it goes.
"""

import datetime as dt
import sqlite3

from lingkaran.casework import projection
from lingkaran.errors import InvalidInput
from lingkaran.messages import _
from lingkaran.store import erasure, events, records
from lingkaran.store import projection as store
from lingkaran.store.transactions import transaction

TEXT_FACTS = ("problem", "goal", "correction")  # facts whose value is text a person may type with --value
SETTLE_BY_TYPING = ("text", "scale")  # of a goal's fields, those that are text


def resolve(conn: sqlite3.Connection, reference: str, *, keep: int | None, value: str | None, on: dt.date) -> dict:
    """Settle a conflict with one of its sides (`keep`, from 1) or a value typed now, or mark a review as seen:
    one `resolve` event, and the case rebuilt with it."""
    with transaction(conn):
        conflict = store.find_conflict(conn, reference)
        if conflict is None:
            raise InvalidInput(
                _("no open conflict {ref!r}; `lingkaran conflicts` lists them with their codes").format(ref=reference)
            )
        case = records.find_case(conn, str(conflict["case_id"]))
        erasure.refuse_if_erased(conn, case)
        data = {"conflict": conflict["code"], **_decision(conflict, keep, value)}
        event = events.append(
            conn,
            records.case_ref(case),
            "resolve",
            phase=case["phase"],
            cycle=case["cycle"],
            occurred_on=on.isoformat(),
            data=data,
        )
        projection.rebuild(conn, case["id"])
        return {
            "code": conflict["code"],
            "case_id": case["id"],
            "fact": conflict["fact"],
            "kept": keep,
            "value": data.get("value"),
            "event_uuid": event["uuid"],
        }


def _decision(conflict: dict, keep: int | None, value: str | None) -> dict:
    """What the resolve event records, or a refusal saying what to give."""
    if keep is not None and value is not None:
        raise InvalidInput(_("give --keep N or --value TEXT, not both"))
    if conflict["kind"] != "value":
        if value is not None or keep not in (None, 1):
            raise InvalidInput(
                _(
                    "{code} lists records to review, not a choice between values: run `lingkaran "
                    "resolve {code}` once you have looked at them"
                ).format(code=conflict["code"])
            )
        return {"review": [record["event_uuid"] for record in conflict["sides"]]}
    sides = conflict["sides"]
    if value is not None and not _typed_value_fits(conflict["fact"]):
        raise InvalidInput(
            _("{code} is settled by choosing a side: give --keep 1 to --keep {count}").format(
                code=conflict["code"], count=len(sides)
            )
        )
    if value is None and not (keep and 1 <= keep <= len(sides)):
        raise InvalidInput(
            _("give --keep 1 to --keep {count} (the sides `lingkaran conflicts` numbers), or --value TEXT").format(
                count=len(sides)
            )
        )
    chosen = value if value is not None else sides[keep - 1]["value"]
    return {"fact": conflict["fact"], "value": chosen, "kept": keep, "sides": [side["event_uuid"] for side in sides]}


def _typed_value_fits(fact: list) -> bool:
    return fact[0] in TEXT_FACTS and (fact[0] != "goal" or fact[2] in SETTLE_BY_TYPING)
