"""The helping system's rules: who may be linked, how a referral's status moves, how an ecomap changes. Pure.

Client systems (members of a family, group or community), the intervention system (the team), referrals out to
other agencies, and the ecomap (Hartman, 1978): the client at the centre, the systems of their life around it,
each tie strong, tenuous or stressful, with energy flowing in, out, both ways or not at all.
"""

from lingkaran.domain.vocabularies import ECOMAP_CHANGE, REFERRAL_STATUS, TIE
from lingkaran.errors import InvalidInput, StepRefused
from lingkaran.messages import _

OPEN_REFERRAL_STATUSES = ("sent", "accepted")
AWAITING_ANSWER = ("sent",)  # --due is when the agency's answer is due: accepted or declined, it has come
# status: the statuses it may move to
REFERRAL_MOVES = {"sent": ("accepted", "declined"), "accepted": ("completed",), "declined": (), "completed": ()}
LINK_PARENT_LEVELS = ("mezzo", "makro")


def referral_move(current: str, new: str) -> str:
    """The status a referral moves to: sent → accepted | declined, accepted → completed; refuse the rest."""
    if new not in REFERRAL_MOVES[current]:
        word = REFERRAL_STATUS.label
        allowed = ", ".join(word(status) for status in REFERRAL_MOVES[current]) or _("none: it is finished")
        raise StepRefused(
            _("a referral that is {current} cannot become {new} (next: {allowed})").format(
                current=word(current), new=word(new), allowed=allowed
            )
        )
    return new


def is_open_referral(status: str) -> bool:
    """Whether a referral is still waiting for an outcome."""
    return status in OPEN_REFERRAL_STATUSES


def is_overdue(referral: dict, today: str | None) -> bool:
    """Whether a referral still waiting for its answer is past the date the answer was due: an accepted one has
    had its answer (the service may take longer; it is open until completed, not overdue)."""
    return bool(today and referral["status"] in AWAITING_ANSWER and referral["due_on"] and referral["due_on"] < today)


def check_referral_consent(
    consent: bool, force: bool, reason: str | None, *, withdrawn_on: str | None = None
) -> str | None:
    """Referring shares the client's data: it needs current consent, or --force with a reason (the override).

    `withdrawn_on`: the date the client withdrew consent, when they did (the refusal says so, not "not recorded").
    """
    if consent:
        return None
    if not force and withdrawn_on:
        raise StepRefused(
            _(
                "the client withdrew consent on {date}; a referral shares their data. Record their "
                "consent again, or override with --force --reason TEXT"
            ).format(date=withdrawn_on)
        )
    if not force:
        raise StepRefused(
            _(
                "the client's consent is not recorded; a referral shares their data. Record consent, "
                "or override with --force --reason TEXT"
            )
        )
    if not reason:
        raise InvalidInput(_("--force needs --reason TEXT: why the referral goes without consent"))
    return reason


def check_link(child: dict, parent: dict, ancestors_of_parent: set[int]) -> None:
    """A case can be part of a family, group or community case; never of itself or of its own part."""
    if child["id"] == parent["id"]:
        raise InvalidInput(_("a case cannot be part of itself"))
    if parent["level"] not in LINK_PARENT_LEVELS:
        raise InvalidInput(
            _("case {parent} is {level}; a case can be part of a mezzo or makro case only").format(
                parent=parent["id"], level=parent["level"]
            )
        )
    if child["id"] in ancestors_of_parent:
        raise InvalidInput(
            _("case {parent} is already part of case {child}; links cannot go round in a circle").format(
                parent=parent["id"], child=child["id"]
            )
        )


def ecomap_at(changes: list[dict], on: str | None = None) -> dict[str, dict]:
    """The map as it stood on a date: each system's latest change on or before it, removed systems left out.

    `changes` are rows with system, kind, tie, flow, note, changed_on, removed, in the order they were made.
    Systems are matched without regard to case; the map keeps the name as last written.
    """
    latest: dict[str, dict] = {}
    for change in sorted(changes, key=lambda c: c["changed_on"]):  # stable: same-day changes keep their order
        if on is None or change["changed_on"] <= on:
            latest[change["system"].casefold()] = change
    return {change["system"]: _tie(change) for change in latest.values() if not change["removed"]}


def _tie(change: dict) -> dict:
    return {
        "system": change["system"],
        "kind": change["kind"],
        "tie": change["tie"],
        "flow": change["flow"],
        "note": change["note"],
        "since": change["changed_on"],
    }


def first_map_date(changes: list[dict]) -> str | None:
    """The date the ecomap was first drawn (the intake map), or None when it is empty."""
    return min((change["changed_on"] for change in changes), default=None)


def ecomap_diff(before: dict[str, dict], after: dict[str, dict]) -> list[dict]:
    """What changed between two maps, system by system: new, gone, stronger, weaker, changed (flow/kind), same."""
    before_by_key = {name.casefold(): tie for name, tie in before.items()}
    after_by_key = {name.casefold(): tie for name, tie in after.items()}
    rows = []
    for key in sorted(before_by_key.keys() | after_by_key.keys()):
        old, new = before_by_key.get(key), after_by_key.get(key)
        tie = new or old or {}  # the key came from one of the two maps: one of them holds it
        rows.append(
            {
                "system": tie["system"],
                "kind": tie["kind"],
                "change": _change(old, new),
                "before": tie_summary(old),
                "after": tie_summary(new),
            }
        )
    order = ECOMAP_CHANGE.values
    return sorted(rows, key=lambda row: (order.index(row["change"]), row["system"].casefold()))


def _change(old: dict | None, new: dict | None) -> str:
    if old is None:
        return "new"
    if new is None:
        return "gone"
    step = TIE.values.index(new["tie"]) - TIE.values.index(old["tie"])
    if step:
        return "stronger" if step > 0 else "weaker"
    return "same" if (old["flow"], old["kind"]) == (new["flow"], new["kind"]) else "changed"


def tie_summary(tie: dict | None) -> dict | None:
    """A tie in brief (strength and flow), for comparisons and events."""
    return None if tie is None else {"tie": tie["tie"], "flow": tie["flow"]}
