"""Conflicts: single-valued facts two copies wrote without seeing each other, kept with every value until a
person decides (`resolve`), and the records a merge applied although they broke a cycle rule (reviews).

The projection finds them (projection.py, causal.Facts) and keeps them in the `conflicts` table while the case
shows one value provisionally: the later by (clock, device, uuid). A resolution is an event like any other: its
parents are the case's heads, so it has every conflicting write in its past and merges cleanly wherever it goes.
"""

import datetime as dt
import sqlite3

from lingkaran import cycle, helping, projection
from lingkaran.errors import InvalidInput
from lingkaran.messages import N_, _, ngettext
from lingkaran.store import erasure, events, records
from lingkaran.store import projection as store
from lingkaran.store.database import transaction

GOAL_FIELDS = {"text": N_("goal {number}: its text"), "weight": N_("goal {number}: its weight"),
               "target_on": N_("goal {number}: its target date"), "status": N_("goal {number}: its status"),
               "scale": N_("goal {number}: GAS level {level}")}
RECORD_LABELS = {"notes": N_("note"), "activities": N_("activity note"), "monitoring": N_("monitoring note"),
                 "evaluations": N_("evaluation note"), "terminations": N_("termination summary"),
                 "assessments": N_("assessment summary")}
RECORD_OTHER = N_("record")  # a name of its own: nested in the _() that translates it, Babel would miss it
TEXT_FACTS = ("problem", "goal", "correction")  # facts whose value is text a person may type with --value
SETTLE_BY_TYPING = ("text", "scale")  # of a goal's fields, those that are text


def listing(conn: sqlite3.Connection, case_id: int | None = None) -> list[dict]:
    """Every open conflict and review (of one case), with what it is about and each side in words."""
    return [_described(conn, row) for row in store.conflict_rows(conn, case_id)]


def _described(conn: sqlite3.Connection, row: dict) -> dict:
    fact = row["fact"]
    found = {"code": row["code"], "case_id": row["case_id"], "case_uuid": row["case_uuid"], "client": row["client"],
             "kind": "conflict" if row["kind"] == "value" else "review", "fact": fact}
    if row["kind"] != "value":
        records = [{"number": number, **_origin(record)} for number, record in enumerate(row["sides"], start=1)]
        return {**found, "what": ngettext(
            "{count} record written after cycle {cycle} was closed on another copy",
            "{count} records written after cycle {cycle} was closed on another copy",
            len(records)).format(count=len(records), cycle=fact[1]), "sides": records, "provisional": None}
    sides = [{"number": number, "value": side["value"], "shown": shown(fact, side["value"]), **_origin(side)}
             for number, side in enumerate(row["sides"], start=1)]
    return {**found, "what": what(conn, row["case_id"], fact), "sides": sides, "provisional": len(sides)}


def _origin(written: dict) -> dict:
    """Who wrote a side or a record to review, where and when."""
    return {**{key: written.get(key) for key in ("author", "device", "clock", "occurred_on", "recorded_at",
                                                  "event_uuid")}, "event_kind": written.get("kind")}


def what(conn: sqlite3.Connection, case_id: int, fact: list) -> str:
    """What a conflict is about, in words: "the problem statement", "goal 3: its text"…"""
    kind, *rest = fact
    if kind == "termination":
        return _("the termination of cycle {cycle}").format(cycle=rest[0])
    if kind == "goal":
        number = store.goal_numbers(conn, case_id).get(rest[0], "?")
        return _(GOAL_FIELDS[rest[1]]).format(number=number, level=rest[2] if len(rest) > 2 else "")
    if kind == "referral":
        found = conn.execute("SELECT id FROM referrals WHERE uuid = ?", [rest[0]]).fetchone()
        return _("referral {number}: its status").format(number=found[0] if found else "?")
    if kind == "correction":
        return _("the correction of a {record} ({uuid})").format(record=_(RECORD_LABELS.get(rest[0], RECORD_OTHER)),
                                                                uuid=rest[1][:8])
    return {"problem": _("the problem statement"), "level": _("the level"), "consent": _("consent")}.get(kind, kind)


def shown(fact: list, value: object) -> str:
    """One side's value in words."""
    kind = fact[0]
    if kind == "termination":
        return _("closed {date} ({reason}): {summary}").format(
            date=value["closed_on"], reason=cycle.label(cycle.REASON_LABELS, value["reason"]), summary=value["summary"])
    if kind == "consent":
        if value["given"]:
            return _("given on {date} for: {scope}").format(date=value["decided_on"], scope=value["scope"] or "")
        return _("withdrawn on {date}").format(date=value["decided_on"])
    if kind == "referral":
        return cycle.label(helping.REFERRAL_STATUS_LABELS, value["status"])
    if kind == "goal" and fact[2] == "status":
        return cycle.label(cycle.STATUS_LABELS, value)
    if kind == "level":
        return cycle.label(cycle.LEVEL_LABELS, value)
    return "" if value is None else str(value)


def resolve(conn: sqlite3.Connection, reference: str, *, keep: int | None, value: str | None, on: dt.date) -> dict:
    """Settle a conflict with one of its sides (`keep`, from 1) or a value typed now, or mark a review as seen:
    one `resolve` event, and the case rebuilt with it."""
    with transaction(conn):
        conflict = store.find_conflict(conn, reference)
        if conflict is None:
            raise InvalidInput(_("no open conflict {ref!r}; `lingkaran conflicts` lists them with their codes")
                               .format(ref=reference))
        case = records.find_case(conn, str(conflict["case_id"]))
        erasure.refuse_if_erased(conn, case)
        data = {"conflict": conflict["code"], **_decision(conflict, keep, value)}
        event = events.append(conn, records.case_ref(case), "resolve", phase=case["phase"], cycle=case["cycle"],
                              occurred_on=on.isoformat(), data=data)
        projection.rebuild(conn, case["id"])
        return {"code": conflict["code"], "case_id": case["id"], "what": _described(conn, conflict)["what"],
                "kept": keep, "value": data.get("value"), "event_uuid": event["uuid"]}


def _decision(conflict: dict, keep: int | None, value: str | None) -> dict:
    """What the resolve event records, or a refusal saying what to give."""
    if keep is not None and value is not None:
        raise InvalidInput(_("give --keep N or --value TEXT, not both"))
    if conflict["kind"] != "value":
        if value is not None or keep not in (None, 1):
            raise InvalidInput(_("{code} lists records to review, not a choice between values: run `lingkaran "
                                 "resolve {code}` once you have looked at them").format(code=conflict["code"]))
        return {"review": [record["event_uuid"] for record in conflict["sides"]]}
    sides = conflict["sides"]
    if value is not None and not _typed_value_fits(conflict["fact"]):
        raise InvalidInput(_("{code} is settled by choosing a side: give --keep 1 to --keep {count}").format(
            code=conflict["code"], count=len(sides)))
    if value is None and not (keep and 1 <= keep <= len(sides)):
        raise InvalidInput(_("give --keep 1 to --keep {count} (the sides `lingkaran conflicts` numbers), or "
                             "--value TEXT").format(count=len(sides)))
    chosen = value if value is not None else sides[keep - 1]["value"]
    return {"fact": conflict["fact"], "value": chosen, "kept": keep,
            "sides": [side["event_uuid"] for side in sides]}


def _typed_value_fits(fact: list) -> bool:
    return fact[0] in TEXT_FACTS and (fact[0] != "goal" or fact[2] in SETTLE_BY_TYPING)


def marks(conn: sqlite3.Connection, case_id: int) -> list[dict]:
    """What `show` marks as in conflict or to review for one case: each code and what it is about."""
    return [{"code": item["code"], "kind": item["kind"], "what": item["what"]} for item in listing(conn, case_id)]
