"""Conflicts as a person reads them: every open conflict and review with what it is about and each side in words.
Settling one is a write (casework/conflicts.py)."""

import sqlite3

from lingkaran.domain.vocabularies import GOAL_STATUS, LEVEL, REASON, REFERRAL_STATUS
from lingkaran.messages import N_, _, ngettext
from lingkaran.store import projection as store

GOAL_FIELDS = {
    "text": N_("goal {number}: its text"),
    "weight": N_("goal {number}: its weight"),
    "target_on": N_("goal {number}: its target date"),
    "status": N_("goal {number}: its status"),
    "scale": N_("goal {number}: GAS level {level}"),
}


RECORD_LABELS = {
    "notes": N_("note"),
    "activities": N_("activity note"),
    "monitoring": N_("monitoring note"),
    "evaluations": N_("evaluation note"),
    "terminations": N_("termination summary"),
    "assessments": N_("assessment summary"),
}


RECORD_OTHER = N_("record")  # a name of its own: nested in the _() that translates it, Babel would miss it


def listing(conn: sqlite3.Connection, case_id: int | None = None) -> list[dict]:
    """Every open conflict and review (of one case), with what it is about and each side in words."""
    return [_described(conn, row) for row in store.conflict_rows(conn, case_id)]


def _described(conn: sqlite3.Connection, row: dict) -> dict:
    fact = row["fact"]
    found = {
        "code": row["code"],
        "case_id": row["case_id"],
        "case_uuid": row["case_uuid"],
        "client": row["client"],
        "kind": "conflict" if row["kind"] == "value" else "review",
        "fact": fact,
    }
    if row["kind"] != "value":
        records = [{"number": number, **_origin(record)} for number, record in enumerate(row["sides"], start=1)]
        return {
            **found,
            "what": ngettext(
                "{count} record written after cycle {cycle} was closed on another copy",
                "{count} records written after cycle {cycle} was closed on another copy",
                len(records),
            ).format(count=len(records), cycle=fact[1]),
            "sides": records,
            "provisional": None,
        }
    sides = [
        {"number": number, "value": side["value"], "shown": shown(fact, side["value"]), **_origin(side)}
        for number, side in enumerate(row["sides"], start=1)
    ]
    return {**found, "what": what(conn, row["case_id"], fact), "sides": sides, "provisional": len(sides)}


def _origin(written: dict) -> dict:
    """Who wrote a side or a record to review, where and when."""
    return {
        **{key: written.get(key) for key in ("author", "device", "clock", "occurred_on", "recorded_at", "event_uuid")},
        "event_kind": written.get("kind"),
    }


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
        return _("the correction of a {record} ({uuid})").format(
            record=_(RECORD_LABELS.get(rest[0], RECORD_OTHER)), uuid=rest[1][:8]
        )
    return {"problem": _("the problem statement"), "level": _("the level"), "consent": _("consent")}.get(kind, kind)


def shown(fact: list, value: object) -> str:
    """One side's value in words."""
    kind = fact[0]
    if kind == "termination":
        return _("closed {date} ({reason}): {summary}").format(
            date=value["closed_on"], reason=REASON.label(value["reason"]), summary=value["summary"]
        )
    if kind == "consent":
        if value["given"]:
            return _("given on {date} for: {scope}").format(date=value["decided_on"], scope=value["scope"] or "")
        return _("withdrawn on {date}").format(date=value["decided_on"])
    if kind == "referral":
        return REFERRAL_STATUS.label(value["status"])
    if kind == "goal" and fact[2] == "status":
        return GOAL_STATUS.label(value)
    if kind == "level":
        return LEVEL.label(value)
    return "" if value is None else str(value)


def marks(conn: sqlite3.Connection, case_id: int) -> list[dict]:
    """What `show` marks as in conflict or to review for one case: each code and what it is about."""
    return [{"code": item["code"], "kind": item["kind"], "what": item["what"]} for item in listing(conn, case_id)]
