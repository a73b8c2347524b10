"""Which record each kind of event wrote, and which of the record's columns its `data` holds. Pure: no I/O.

Every command writes a record and an event with the same content in one transaction, so the event log can
vouch for the records: `check` compares each record with the latest content of its events (the event that
made it, then the `amend` events that corrected its text and, for a goal, the plans that revised it).
"""

from dataclasses import dataclass, field

OCCURRED = "@occurred_on"  # stands for the event's own date rather than a key of its data


@dataclass(frozen=True)
class Recorded:
    """The record an event of one kind wrote: its table, the data key holding its UUID (None: the event's own
    case), its columns → the data keys holding their values, and whether every such record has that event."""

    table: str
    uuid_key: str | None
    columns: dict[str, str] = field(default_factory=dict)
    always: bool = True


RECORDED = {
    "open": Recorded(
        "cases",
        None,
        {
            "client": "client",
            "level": "level",
            "problem": "problem",
            "source": "source",
            "worker": "worker",
            "opened_on": "opened_on",
        },
    ),
    "note": Recorded("notes", "note_uuid", {"text": "text", "written_on": OCCURRED}),
    "assess": Recorded(
        "assessments",
        "assessment_uuid",
        {"summary": "summary", "risk": "risk", "strengths": "strengths", "needs": "needs", "assessed_on": OCCURRED},
    ),
    "intervene": Recorded(
        "activities",
        "activity_uuid",
        {
            "kind": "kind",
            "note": "note",
            "minutes": "minutes",
            "by_name": "by",
            "goal_uuids": "goal_uuids",
            "occurred_on": OCCURRED,
        },
    ),
    "contact": Recorded(
        "activities",
        "activity_uuid",
        {"kind": "kind", "note": "note", "minutes": "minutes", "by_name": "by", "occurred_on": OCCURRED},
    ),
    "monitor": Recorded(
        "monitoring",
        "monitoring_uuid",
        {"note": "note", "follow_up_on": "follow_up_on", "after_close": "after_close", "observed_on": OCCURRED},
    ),
    "evaluate": Recorded(
        "evaluations",
        "evaluation_uuid",
        {
            "note": "note",
            "decision": "decision",
            "t_score": "t_score",
            "goal_scores": "goal_scores",
            "evaluated_on": OCCURRED,
        },
    ),
    "terminate": Recorded(
        "terminations",
        "termination_uuid",
        {
            "reason": "reason",
            "summary": "summary",
            "follow_up_on": "follow_up_on",
            "destination": "destination",
            "closed_on": OCCURRED,
        },
    ),
    "amend": Recorded("amendments", "amendment_uuid", {"text": "note", "reason": "reason", "amended_on": OCCURRED}),
    # A case opened with consent gets its first consent entry without a `consent` event.
    "consent": Recorded(
        "consents", "consent_uuid", {"given": "given", "scope": "scope", "decided_on": OCCURRED}, always=False
    ),
    "member-add": Recorded(
        "members",
        "member_uuid",
        {"name": "name", "role": "role", "relation": "relation", "born": "born", "note": "note", "added_on": OCCURRED},
    ),
    "team-add": Recorded(
        "team",
        "team_uuid",
        {"name": "name", "role": "role", "agency": "agency", "contact": "contact", "added_on": OCCURRED},
    ),
    "refer": Recorded(
        "referrals",
        "referral_uuid",
        {
            "agency": "agency",
            "service": "service",
            "contact": "contact",
            "due_on": "due_on",
            "consent_override": "consent_override",
            "referred_on": OCCURRED,
        },
    ),
    "ecomap-add": Recorded(
        "ecomap_changes",
        "change_uuid",
        {"system": "system", "kind": "kind", "tie": "tie", "flow": "flow", "note": "note", "changed_on": OCCURRED},
    ),
    "ecomap-remove": Recorded(
        "ecomap_changes", "change_uuid", {"system": "system", "note": "note", "changed_on": OCCURRED}
    ),
}

# Which events can be corrected with `amend`: the event kind → (the table of the record it created, the key
# of that record's UUID in the event's data, the column holding the free text, the data key of that text).
AMENDABLE = {
    "note": ("notes", "note_uuid", "text", "text"),
    "intervene": ("activities", "activity_uuid", "note", "note"),
    "contact": ("activities", "activity_uuid", "note", "note"),
    "monitor": ("monitoring", "monitoring_uuid", "note", "note"),
    "evaluate": ("evaluations", "evaluation_uuid", "note", "note"),
    "terminate": ("terminations", "termination_uuid", "summary", "summary"),
    "assess": ("assessments", "assessment_uuid", "summary", "summary"),
    "open": ("cases", None, "problem", "problem"),  # None: the record is the event's own case
}
# The other texts an event's correction may go to, by event kind and field (`amend --client`): the right to
# correct the client's name (UU PDP art. 6; privacy.md).
OTHER_FIELDS = {("open", "client"): ("cases", None, "client", "client")}


def kinds_of(table: str) -> tuple[str, ...]:
    """The kinds of event that write records of `table`."""
    return tuple(kind for kind, recorded in RECORDED.items() if recorded.table == table)


def comparable(value: object) -> object:
    """A value as events and records both hold it: blanks (None, "", [], {}) alike — erasure and anonymised
    exports blank records and events in their own ways — and true/false as the 1/0 SQLite stores."""
    if value in (None, "", [], {}):
        return None
    if isinstance(value, bool):
        return int(value)
    return value
