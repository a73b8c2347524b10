"""The projection: a case's record tables rebuilt by replaying its events (docs/design-merge-projection.md).

`project` is pure: a case's events in, its rows out, the same rows for the same set of events in whatever order
they arrived. It follows each command's own rules (casework, casenotes, consent, helping_work), so the rows a
command wrote directly equal the rows its event rebuilds (tests/test_projection.py proves it for every kind of
event). The cycle's gates are not replayed: they apply when a person writes. What a merged history breaks (an
activity after a concurrent termination) is applied and flagged for review; single-valued facts that were
written concurrently keep every value as a conflict (causal.Facts).

Events written before an event carried a value the rows need are rebuilt as far as they carry: rows their
events do not name get a UUID derived from their parent record (store.events.derived_uuid), as commands now
give them, and a goal's target date set with the goal is kept from the row (KEEP).
"""

import sqlite3
from dataclasses import dataclass, field

from lingkaran.domain import causal, cycle, gas
from lingkaran.domain import helping_system as helping
from lingkaran.store.events import derived_uuid
from lingkaran.store.projection import KEEP

ERASED = {"erased": True}
CASE_COLUMNS = (
    "client",
    "level",
    "problem",
    "source",
    "worker",
    "consent",
    "consent_on",
    "consent_scope",
    "phase",
    "status",
    "cycle",
    "opened_on",
    "closed_on",
    "close_reason",
    "follow_up_on",
    "last_contact_on",
    "updated_at",
    "sex",
    "born",
    "born_on",
    "address",
    "phone",
    "nik",
    "kk",
    "guardian",
    "guardian_relation",
    "guardian_phone",
    "ppks",
)
MEMBER_IDENTITY = ("sex", "born_on", "address", "phone", "nik", "kk")  # members have had `born` since m004
# Every table holding a case's rows, parents first: the projection rebuilds each of them.
PROJECTED_TABLES = (
    "cases",
    "members",
    "team",
    "referrals",
    "assessments",
    "ratings",
    "goals",
    "activities",
    "activity_workers",
    "goal_levels",
    "monitoring",
    "evaluations",
    "terminations",
    "notes",
    "amendments",
    "consents",
    "case_links",
    "ecomap_changes",
)
# Kinds whose gate needs an active case: recorded on a cycle already closed, they were written concurrently.
NEEDS_ACTIVE = ("assess", "plan", "intervene", "monitor", "evaluate", "member-add", "team-add", "refer")


@dataclass
class Projection:
    """A case as its events make it: the `cases` row and each table's rows by UUID (references hold the UUID of
    the row they point at), the conflicts among single-valued facts and the records flagged for review."""

    case: dict | None
    rows: dict[str, dict[str, dict]]
    conflicts: list[dict] = field(default_factory=list)
    reviews: list[dict] = field(default_factory=list)


def project(events: list[dict]) -> Projection:
    """Replay a case's events (as store.projection.case_events reads them) into its rows."""
    replay = _Replay()
    for event in causal.replay_order(events):
        handler = HANDLERS.get(event["kind"])  # kinds without rows (forget, share, handover) change none
        opening = event["kind"] == "open"
        if handler is None or event["data"] == ERASED or opening == (replay.case is not None):
            continue  # nothing is recorded for a case before its opening, and it opens once
        handler(replay, event)
        if event["kind"] in cycle.STEP_OF_EVENT:
            replay.reached(event)
    return replay.result()


def _same(key: tuple, one: object, other: object) -> bool:
    """Whether two values of a fact agree: two terminations with the same content are one closing."""
    if key[0] == "termination":
        return {**one, "uuid": None} == {**other, "uuid": None}
    if key[0] == "referral":
        return one["status"] == other["status"]
    return one == other


class _Replay:
    """The case as the events replayed so far made it."""

    def __init__(self):
        self.case: dict | None = None
        self.rows: dict[str, dict[str, dict]] = {table: {} for table in PROJECTED_TABLES if table != "cases"}
        self.facts = causal.Facts(_same)
        self.goal_numbers: dict[int, str] = {}  # number → goal uuid, in the order goals were added
        self.observed_on: dict[str, str] = {}  # goal uuid → date of its newest observed level
        self.latest_step: dict[int, str] = {}  # cycle → date of its latest step
        self.termination_of: dict[int, str] = {}  # cycle → uuid of its (provisional) termination
        self.decisions: list[tuple[dict, dict]] = []  # consent decisions: (event, value)
        self.reviews: dict[str, dict] = {}

    def add(self, table: str, row: dict) -> dict:
        self.rows[table][row["uuid"]] = row
        return row

    def touch(self, event: dict) -> None:
        self.case["updated_at"] = event["recorded_at"]

    def reached(self, event: dict) -> None:
        """Remember the latest step of the event's cycle (cycle.is_catch_up compares against it)."""
        self.latest_step[event["cycle"]] = max(self.latest_step.get(event["cycle"], ""), event["occurred_on"])

    def entry(self, event: dict, contact: bool = True, values: dict | None = None) -> None:
        """A step within a cycle (casework._record_entry): phase and contact move unless it is catch-up; on a
        cycle already closed it is applied and flagged for review instead of moving the case."""
        case, on = self.case, event["occurred_on"]
        if contact:
            case["last_contact_on"] = cycle.later_contact(case["last_contact_on"], on)
        if not self.flagged(event):
            case["phase"] = cycle.step_after_entry(
                case["phase"], event["phase"], on, self.latest_step.get(event["cycle"])
            )
            case.update(values or {})
        self.touch(event)

    def flagged(self, event: dict) -> bool:
        """Flag an event whose gate needed an active case when its cycle is closed here (a merged history)."""
        ended = self.case["cycle"] > event["cycle"] or self.case["status"] == "closed"
        follow_up = event["kind"] == "monitor" and event["data"].get("after_close")
        if event["kind"] not in NEEDS_ACTIVE or follow_up or not ended:
            return False
        self.reviews[event["uuid"]] = {
            "event_uuid": event["uuid"],
            "kind": event["kind"],
            "cycle": event["cycle"],
            "occurred_on": event["occurred_on"],
            "device": event.get("device"),
            "author": event["data"].get("author") or event["data"].get("by"),
        }
        return True

    def goal(self, reference: object) -> str | None:
        """A goal's uuid from a reference in an event: its uuid, or (older events) its number then."""
        if isinstance(reference, str) and reference in self.rows["goals"]:
            return reference
        number = int(reference) if isinstance(reference, int) or str(reference).isdigit() else None
        return self.goal_numbers.get(number)

    def number(self, goal_uuid: str) -> int:
        return self.rows["goals"][goal_uuid]["number"]

    def write(self, key: tuple, event: dict, value: object) -> None:
        """A single-valued fact written by an event: the fact's (provisional) value goes into the rows."""
        _set_fact(self, key, self.facts.write(key, event, value))

    def result(self) -> Projection:
        rows = {
            **self.rows,
            "terminations": {uuid: self.rows["terminations"][uuid] for uuid in self.termination_of.values()},
        }
        case_uuid = self.case["uuid"] if self.case else ""
        conflicts = [_conflict(case_uuid, key, self.facts.sides(key)) for key in self.facts.in_conflict()]
        return Projection(self.case, rows, conflicts, _reviews(case_uuid, self.reviews.values()))


def _reviews(case_uuid: str, flagged: list[dict]) -> list[dict]:
    """The records to review, one item per cycle they were written into after it was closed elsewhere."""
    by_cycle: dict[int, list[dict]] = {}
    for record in flagged:
        by_cycle.setdefault(record["cycle"], []).append(record)
    return [
        {"code": causal.conflict_code(case_uuid, ["review", number]), "cycle": number, "events": records}
        for number, records in sorted(by_cycle.items())
    ]


def _conflict(case_uuid: str, key: tuple, sides: list[causal.Write]) -> dict:
    return {
        "code": causal.conflict_code(case_uuid, list(key)),
        "fact": list(key),
        "sides": [
            {
                "value": side.value,
                "event_uuid": side.event["uuid"],
                "kind": side.event["kind"],
                "device": side.event.get("device"),
                "clock": side.event.get("clock"),
                "author": side.event["data"].get("author"),
                "occurred_on": side.event["occurred_on"],
                "recorded_at": side.event["recorded_at"],
            }
            for side in sides
        ],
    }


def _set_fact(replay: _Replay, key: tuple, value: object) -> None:
    """Put a fact's value where the rows keep it."""
    kind, *rest = key
    if kind in ("problem", "level"):
        replay.case[kind] = value
    elif kind == "consent":
        replay.case.update(
            {
                "consent": int(value["given"]),
                "consent_on": value["decided_on"],
                "consent_scope": value["scope"] if value["given"] else None,
            }
        )
    elif kind == "termination":
        _set_termination(replay, rest[0], value)
    elif kind == "goal" and rest[0] in replay.rows["goals"]:
        goal = replay.rows["goals"][rest[0]]
        if rest[1] == "scale":
            goal["scale"] = {**(goal["scale"] or {}), rest[2]: value}
        else:
            goal[rest[1]] = value
    elif kind == "referral" and rest[0] in replay.rows["referrals"]:
        replay.rows["referrals"][rest[0]].update(value)
    elif kind == "correction" and rest[1] in replay.rows[rest[0]]:
        replay.rows[rest[0]][rest[1]][rest[2]] = value


def _set_termination(replay: _Replay, cycle_number: int, termination: dict) -> None:
    replay.rows["terminations"].setdefault(termination["uuid"], termination)
    replay.termination_of[cycle_number] = termination["uuid"]
    case = replay.case
    if case["cycle"] == cycle_number and case["status"] == "closed":
        kept = replay.rows["terminations"][termination["uuid"]]
        case.update(
            {"closed_on": kept["closed_on"], "close_reason": kept["reason"], "follow_up_on": kept["follow_up_on"]}
        )


# --- the steps of the cycle (casework) ------------------------------------------------------------------------


def _open(replay: _Replay, event: dict) -> None:
    data = event["data"]
    replay.case = {"uuid": event["case_uuid"], **{column: data.get(column) for column in CASE_COLUMNS}}
    if data.get("consent"):
        decision = {"given": True, "decided_on": data["consent_on"], "scope": data.get("consent_scope")}
        replay.add(
            "consents",
            {
                "uuid": derived_uuid(event["case_uuid"], "consent"),
                "case_id": event["case_uuid"],
                "given": 1,
                "scope": decision["scope"],
                "decided_on": decision["decided_on"],
                "recorded_at": data["updated_at"],
            },
        )
        replay.decisions.append((event, decision))


def _assess(replay: _Replay, event: dict) -> None:
    data, case_uuid = event["data"], replay.case["uuid"]
    assessment = replay.add(
        "assessments",
        {
            "uuid": data["assessment_uuid"],
            "case_id": case_uuid,
            "cycle": event["cycle"],
            "assessed_on": event["occurred_on"],
            "risk": data.get("risk"),
            "summary": data.get("summary"),
            "strengths": data.get("strengths") or [],
            "needs": data.get("needs") or [],
            "member_id": data.get("member_uuid"),
        },
    )
    for domain, score in (data.get("ratings") or {}).items():
        replay.add(
            "ratings",
            {
                "uuid": derived_uuid(assessment["uuid"], domain),
                "assessment_id": assessment["uuid"],
                "domain": domain,
                "score": score,
            },
        )
    if data.get("problem"):
        replay.write(("problem",), event, data["problem"])
    replay.entry(event)


def _plan(replay: _Replay, event: dict) -> None:
    data = event["data"]
    for added in data.get("added") or []:
        number = len(replay.goal_numbers) + 1
        replay.add(
            "goals",
            {
                "uuid": added["uuid"],
                "case_id": replay.case["uuid"],
                "number": number,
                "text": added["text"],
                "weight": 1.0,
                "target_on": added.get("target_on", KEEP),
                "scale": None,
                "status": "open",
                "latest_level": None,
                "set_on": event["occurred_on"],
                "cycle": event["cycle"],
                "member_id": added.get("member_uuid"),
            },
        )
        replay.goal_numbers[number] = added["uuid"]
    for reference, values in _goal_changes(data).items():
        goal_uuid = replay.goal(reference)
        for column, value in values.items():
            if goal_uuid is None:
                continue
            if column == "scale":
                for level, text in value.items():
                    replay.write(("goal", goal_uuid, "scale", level), event, text)
            else:
                replay.write(("goal", goal_uuid, column), event, value)
    replay.entry(event, contact=False)


def _goal_changes(data: dict) -> dict:
    """A plan's changes by goal uuid (older events: by the goal's number then)."""
    return data["goal_changes"] if "goal_changes" in data else data.get("changed") or {}


def _intervene(replay: _Replay, event: dict) -> None:
    _activity(replay, event, recorded_as=None)
    replay.entry(event)


def _contact(replay: _Replay, event: dict) -> None:
    """A contact (contacts.contact): an activity at any step that moves no step but is a contact."""
    _activity(replay, event, recorded_as="contact")
    replay.case["last_contact_on"] = cycle.later_contact(replay.case["last_contact_on"], event["occurred_on"])
    replay.touch(event)


def _activity(replay: _Replay, event: dict, recorded_as: str | None) -> None:
    """An activity's row and the other people who went along (a joint visit)."""
    data = event["data"]
    goals = [goal for goal in map(replay.goal, data.get("goal_uuids", data.get("goals") or [])) if goal]
    replay.add(
        "activities",
        {
            "uuid": data["activity_uuid"],
            "case_id": replay.case["uuid"],
            "cycle": event["cycle"],
            "kind": data["kind"],
            "note": data["note"],
            "minutes": data.get("minutes"),
            "by_name": data.get("by"),
            "occurred_on": event["occurred_on"],
            "goal_numbers": [replay.number(goal) for goal in goals],
            "goal_uuids": goals,
            "team_id": data.get("team_uuid"),
            "member_id": data.get("member_uuid"),
            "recorded_as": recorded_as,
            "participants": data.get("participants"),
        },
    )
    for worker in data.get("with") or []:
        replay.add(
            "activity_workers",
            {
                "uuid": worker["worker_uuid"],
                "activity_id": data["activity_uuid"],
                "team_id": worker.get("team_uuid"),
                "name": worker["name"],
            },
        )


def _identity(replay: _Replay, event: dict) -> None:
    """Who the client (or a member) is and how to reach them, changed (identity_work.set_identity)."""
    data = event["data"]
    member = replay.rows["members"].get(data.get("member_uuid") or "")
    (member if member is not None else replay.case).update(data.get("values") or {})
    replay.touch(event)


def _levels(replay: _Replay, event: dict, entry_uuid: str, levels: dict, source: str) -> dict[str, int]:
    """Observed GAS levels (casework._record_levels): one row each, in the order of the goals' numbers; the
    newest becomes the goal's latest."""
    named = {
        goal: level
        for goal, level in ((replay.goal(reference), level) for reference, level in levels.items())
        if goal is not None
    }
    observed = {}
    for goal_uuid, level in sorted(named.items(), key=lambda item: replay.number(item[0])):
        observed[goal_uuid] = level
        replay.add(
            "goal_levels",
            {
                "uuid": derived_uuid(entry_uuid, goal_uuid),
                "goal_id": goal_uuid,
                "case_id": replay.case["uuid"],
                "level": level,
                "source": source,
                "observed_on": event["occurred_on"],
                "cycle": event["cycle"],
            },
        )
        if gas.is_newest_observation(event["occurred_on"], replay.observed_on.get(goal_uuid)):
            replay.rows["goals"][goal_uuid]["latest_level"] = level
            replay.observed_on[goal_uuid] = event["occurred_on"]
    return observed


def _monitor(replay: _Replay, event: dict) -> None:
    data, on = event["data"], event["occurred_on"]
    _levels(replay, event, data["monitoring_uuid"], data.get("goal_levels", data.get("progress") or {}), "monitor")
    replay.add(
        "monitoring",
        {
            "uuid": data["monitoring_uuid"],
            "case_id": replay.case["uuid"],
            "cycle": event["cycle"],
            "note": data["note"],
            "observed_on": on,
            "follow_up_on": data.get("follow_up_on"),
            "after_close": int(bool(data.get("after_close"))),
        },
    )
    # The event keeps the follow-up this entry planned: given, or (not catch-up) the case's next one.
    follow_up = cycle.follow_up_after_entry(
        replay.case["follow_up_on"], data.get("follow_up_on"), on, replay.latest_step.get(event["cycle"])
    )
    replay.entry(event, values={"follow_up_on": follow_up})


def _evaluate(replay: _Replay, event: dict) -> None:
    data = event["data"]
    scored = _levels(
        replay, event, data["evaluation_uuid"], data.get("goal_scores", data.get("scores") or {}), "evaluate"
    )
    replay.add(
        "evaluations",
        {
            "uuid": data["evaluation_uuid"],
            "case_id": replay.case["uuid"],
            "cycle": event["cycle"],
            "evaluated_on": event["occurred_on"],
            "t_score": data.get("t_score"),
            "decision": data["decision"],
            "note": data.get("note"),
            "scores": {str(replay.number(goal)): level for goal, level in scored.items()},
            "goal_scores": scored,
        },
    )
    replay.entry(event)


def _terminate(replay: _Replay, event: dict) -> None:
    data, case = event["data"], replay.case
    termination = {
        "uuid": data["termination_uuid"],
        "case_id": case["uuid"],
        "cycle": event["cycle"],
        "reason": data["reason"],
        "summary": data["summary"],
        "closed_on": event["occurred_on"],
        "follow_up_on": data.get("follow_up_on"),
        "destination": data.get("destination"),
        "referral_id": data.get("referral_uuid"),
    }
    replay.rows["terminations"][termination["uuid"]] = termination
    if case["status"] == "active" and case["cycle"] == event["cycle"]:
        for goal in replay.rows["goals"].values():
            if goal["status"] == "open":
                goal["status"] = "closed"
        case.update({"status": "closed", "phase": event["phase"]})
    replay.write(("termination", event["cycle"]), event, termination)
    replay.touch(event)


def _reopen(replay: _Replay, event: dict) -> None:
    case = replay.case
    if case["status"] == "closed" and event["data"]["cycle"] > case["cycle"]:
        case.update(
            {
                "status": "active",
                "cycle": event["data"]["cycle"],
                "closed_on": None,
                "close_reason": None,
                "follow_up_on": None,
                "phase": event["phase"],
                "last_contact_on": cycle.later_contact(case["last_contact_on"], event["occurred_on"]),
            }
        )
    replay.touch(event)


# --- notes, corrections, consent (casenotes, consent) ---------------------------------------------------------


def _note(replay: _Replay, event: dict) -> None:
    data = event["data"]
    replay.add(
        "notes",
        {
            "uuid": data["note_uuid"],
            "case_id": replay.case["uuid"],
            "cycle": event["cycle"],
            "phase": event["phase"],
            "written_on": event["occurred_on"],
            "text": data["text"],
        },
    )


def _amend(replay: _Replay, event: dict) -> None:
    from lingkaran.domain.event_records import AMENDABLE

    data = event["data"]
    table, _uuid_key, column, _text_key = AMENDABLE[data["amends_kind"]]
    replay.add(
        "amendments",
        {
            "uuid": data["amendment_uuid"],
            "case_id": replay.case["uuid"],
            "event_uuid": data["amends"],
            "record_table": table,
            "record_uuid": data["record_uuid"],
            "field": column,
            "text": data["note"],
            "reason": data["reason"],
            "amended_on": event["occurred_on"],
        },
    )
    replay.write(("correction", table, data["record_uuid"], column), event, data["note"])


def _consent(replay: _Replay, event: dict) -> None:
    """A consent decision; the case's consent is the latest decision (by date) its writer had seen."""
    data = event["data"]
    replay.add(
        "consents",
        {
            "uuid": data["consent_uuid"],
            "case_id": replay.case["uuid"],
            "given": int(data["given"]),
            "scope": data.get("scope"),
            "decided_on": event["occurred_on"],
            "recorded_at": event["recorded_at"],
        },
    )
    decision = {"given": bool(data["given"]), "decided_on": event["occurred_on"], "scope": data.get("scope")}
    replay.decisions.append((event, decision))
    seen = [value for writer, value in replay.decisions if writer is event or causal.had_seen(event, writer)]
    replay.write(("consent",), event, max(reversed(seen), key=lambda value: value["decided_on"]))
    replay.touch(event)


# --- the helping system (helping_work) ------------------------------------------------------------------------


def _helping(add: callable) -> callable:
    """A helping-system event: its rows, and the case stamped as changed (the cycle's step stays)."""

    def handler(replay: _Replay, event: dict) -> None:
        if event["kind"] in NEEDS_ACTIVE:
            replay.flagged(event)
        add(replay, event, event["data"])
        replay.touch(event)

    return handler


def _member_add(replay: _Replay, event: dict, data: dict) -> None:
    replay.add(
        "members",
        {
            "uuid": data["member_uuid"],
            "case_id": replay.case["uuid"],
            "name": data["name"],
            "role": data.get("role"),
            "relation": data.get("relation"),
            "born": data.get("born"),
            "note": data.get("note"),
            "added_on": event["occurred_on"],
            "removed_on": None,
            **{column: data.get(column) for column in MEMBER_IDENTITY},
        },
    )


def _person_remove(table: str, uuid_key: str) -> callable:
    def remove(replay: _Replay, event: dict, data: dict) -> None:
        if data[uuid_key] in replay.rows[table]:
            replay.rows[table][data[uuid_key]]["removed_on"] = event["occurred_on"]

    return remove


def _team_add(replay: _Replay, event: dict, data: dict) -> None:
    replay.add(
        "team",
        {
            "uuid": data["team_uuid"],
            "case_id": replay.case["uuid"],
            "name": data["name"],
            "role": data["role"],
            "agency": data.get("agency"),
            "contact": data.get("contact"),
            "added_on": event["occurred_on"],
            "removed_on": None,
        },
    )


def _link(replay: _Replay, event: dict, data: dict) -> None:
    replay.add(
        "case_links",
        {
            "uuid": data["link_uuid"],
            "parent_id": data["parent_uuid"],
            "child_id": replay.case["uuid"],
            "linked_on": event["occurred_on"],
        },
    )


def _unlink(replay: _Replay, event: dict, data: dict) -> None:
    replay.rows["case_links"].pop(data["link_uuid"], None)


def _refer(replay: _Replay, event: dict, data: dict) -> None:
    replay.add(
        "referrals",
        {
            "uuid": data["referral_uuid"],
            "case_id": replay.case["uuid"],
            "agency": data["agency"],
            "service": data["service"],
            "contact": data.get("contact"),
            "referred_on": event["occurred_on"],
            "due_on": data.get("due_on"),
            "status": "sent",
            "status_on": event["occurred_on"],
            "note": None,
            "consent_override": data.get("consent_override"),
        },
    )


def _referral_update(replay: _Replay, event: dict, data: dict) -> None:
    referral = replay.rows["referrals"].get(data["referral_uuid"])
    if referral is not None:
        replay.write(
            ("referral", referral["uuid"], "status"),
            event,
            {"status": data["status"], "status_on": event["occurred_on"], "note": data.get("note") or referral["note"]},
        )


def _ecomap_add(replay: _Replay, event: dict, data: dict) -> None:
    replay.add(
        "ecomap_changes",
        {
            "uuid": data["change_uuid"],
            "case_id": replay.case["uuid"],
            "system": data["system"],
            "kind": data["kind"],
            "tie": data["tie"],
            "flow": data["flow"],
            "note": data.get("note"),
            "changed_on": event["occurred_on"],
            "removed": 0,
        },
    )


def _ecomap_remove(replay: _Replay, event: dict, data: dict) -> None:
    """A system taken off the map keeps its last tie (older events: as the map stood on the day)."""
    if "tie" in data:
        tie = data
    else:
        on_map = helping.ecomap_at(list(replay.rows["ecomap_changes"].values()), event["occurred_on"])
        tie = next(
            (tie for name, tie in on_map.items() if name.casefold() == data["system"].casefold()),
            {"kind": None, "tie": None, "flow": None},
        )
    replay.add(
        "ecomap_changes",
        {
            "uuid": data["change_uuid"],
            "case_id": replay.case["uuid"],
            "system": data["system"],
            "kind": tie["kind"],
            "tie": tie["tie"],
            "flow": tie["flow"],
            "note": data.get("note"),
            "changed_on": event["occurred_on"],
            "removed": 1,
        },
    )


# --- decisions on conflicts (resolve) -------------------------------------------------------------------------


def _resolve(replay: _Replay, event: dict) -> None:
    data = event["data"]
    if "review" in data:  # the records a person has looked at
        for uuid in data["review"]:
            replay.reviews.pop(uuid, None)
    else:
        replay.write(tuple(data["fact"]), event, data["value"])
        replay.touch(event)


HANDLERS = {
    "open": _open,
    "assess": _assess,
    "plan": _plan,
    "intervene": _intervene,
    "contact": _contact,
    "identity": _identity,
    "monitor": _monitor,
    "evaluate": _evaluate,
    "terminate": _terminate,
    "reopen": _reopen,
    "note": _note,
    "amend": _amend,
    "consent": _consent,
    "resolve": _resolve,
    "member-add": _helping(_member_add),
    "member-remove": _helping(_person_remove("members", "member_uuid")),
    "team-add": _helping(_team_add),
    "team-remove": _helping(_person_remove("team", "team_uuid")),
    "link": _helping(_link),
    "unlink": _helping(_unlink),
    "refer": _helping(_refer),
    "referral-update": _helping(_referral_update),
    "ecomap-add": _helping(_ecomap_add),
    "ecomap-remove": _helping(_ecomap_remove),
}


# --- rebuilding a case in the file ----------------------------------------------------------------------------


@dataclass
class Rebuilt:
    """What a rebuild changed that people should hear about: goals and referrals that got another number (the
    numbers people type), new conflicts."""

    case_id: int
    renumbered: list[dict] = field(default_factory=list)  # {"kind": goal or referral, "uuid", "text", "was", "now"}
    conflicts: list[str] = field(default_factory=list)  # codes of conflicts that were not there before


def settle(conn: sqlite3.Connection, case_id: int) -> None:
    """After a person wrote to a case (inside the write's transaction): a case with open conflicts or reviews is
    rebuilt, so a write that decided one (a goal's text revised again, having seen both) clears it."""
    from lingkaran.store import projection as store

    if store.conflict_codes(conn, case_id):
        rebuild(conn, case_id)


def rebuild(conn: sqlite3.Connection, case_id: int) -> Rebuilt | None:
    """Replace a case's rows by the projection of its events (inside the caller's transaction). An erased case
    is left as erasure left it (its events hold no content), and so is a case whose opening is not here."""
    from lingkaran.store import erasure
    from lingkaran.store import projection as store

    if erasure.erased_on(conn, case_id):
        return None
    projected = project(store.case_events(conn, case_id))
    if projected.case is None:
        return None
    goals_before, referrals_before = store.goal_numbers(conn, case_id), store.referral_numbers(conn, case_id)
    conflicts_before = set(store.conflict_codes(conn, case_id))
    store.save(conn, projected, case_id)
    texts = {uuid: row["agency"] for uuid, row in projected.rows["referrals"].items()}
    texts.update((uuid, row["text"]) for uuid, row in projected.rows["goals"].items())
    renumbered = [
        {"kind": kind, "uuid": uuid, "text": texts[uuid], "was": before[uuid], "now": now}
        for kind, before, after in (
            ("goal", goals_before, store.goal_numbers(conn, case_id)),
            ("referral", referrals_before, store.referral_numbers(conn, case_id)),
        )
        for uuid, now in sorted(after.items(), key=lambda item: item[1])
        if before.get(uuid, now) != now
    ]
    new_conflicts = [
        item["code"] for item in projected.conflicts + projected.reviews if item["code"] not in conflicts_before
    ]
    return Rebuilt(case_id, renumbered, new_conflicts)


# --- what check compares -----------------------------------------------------------------------------------------


def record_findings(conn: sqlite3.Connection, already: list[dict], shown: int = 20) -> list[dict]:
    """Each case's rows against the replay of its events (what a rebuild would write): a state no event gave —
    a case closed or moved to another step, a rating, a consent, a goal's status or a referral's changed, a row
    deleted or planted — by table and row, the first `shown`; what `already` names is not named again. Erased
    cases, cases whose opening is not here and anonymised copies are left out: their events hold nothing to
    replay (an anonymised event keeps no personal value, so its records cannot be told from it)."""
    from lingkaran.casework.exchange.anonymise import pseudonym
    from lingkaran.messages import _
    from lingkaran.store import erasure
    from lingkaran.store import projection as store

    named = {(item.get("table"), item.get("row")) for item in already}
    gone = {item.get("table") for item in already if "event_uuid" in item and "row" not in item}
    erased = erasure.erased_case_ids(conn)
    found: list[dict] = []
    for (case_id,) in conn.execute("SELECT id FROM cases ORDER BY id").fetchall():
        projected = None if case_id in erased else project(store.case_events(conn, case_id))
        if projected is None or projected.case is None or projected.case["client"] == pseudonym(projected.case["uuid"]):
            continue
        for table, row, column in store.differences(conn, projected, case_id):
            if (table, row) in named or (row is None and table in gone):
                continue
            if row is None:
                message = _(
                    "a {table} record the events of case {case} wrote is no longer there; it was removed outside "
                    "lingkaran"
                ).format(table=table, case=case_id)
                found.append({"check": "records", "message": message, "table": table, "uuid": column})
            else:
                message = (
                    _(
                        "{table} row {row}: {column} is not what the events of its case make of it; it was changed "
                        "outside lingkaran"
                    ).format(table=table, row=row, column=column)
                    if column
                    else _(
                        "{table} row {row} was written by none of the events of its case; it was added outside "
                        "lingkaran"
                    ).format(table=table, row=row)
                )
                found.append({"check": "records", "message": message, "table": table, "row": row})
            if len(found) >= shown:
                return found
    return found
