"""The supervisor's words and rules: what a review may decide, and how the caseload summary ranks cases. Pure."""

from lingkaran.domain.parse import choose
from lingkaran.messages import N_

# What a supervisor decides after reading a case: carry on, change the plan, close it, take it higher up.
DECISIONS = ("continue", "change-plan", "close", "escalate")
DECISION_LABELS = {
    "continue": N_("continue"),
    "change-plan": N_("change-plan"),
    "close": N_("close"),
    "escalate": N_("escalate"),
}
DECISION_ALIASES = {
    "lanjut": "continue",
    "lanjutkan": "continue",
    "lanjutkan-intervensi": "continue",
    "ubah-rencana": "change-plan",
    "rencana-ulang": "change-plan",
    "replan": "change-plan",
    "tutup": "close",
    "akhiri": "close",
    "terminasi": "close",
    "eskalasi": "escalate",
    "naikkan": "escalate",
}
# What can be overdue on a case, in the order the summary lists them, with the letter it shows for each.
OVERDUE_KINDS = ("follow_up", "referrals", "goal_targets", "missed_visits")
OVERDUE_LETTERS = {"follow_up": N_("F"), "referrals": N_("R"), "goal_targets": N_("G"), "missed_visits": N_("V")}
OVERDUE_LABELS = {
    "follow_up": N_("follow-up"),
    "referrals": N_("referral answer"),
    "goal_targets": N_("goal target"),
    "missed_visits": N_("missed visit"),
}
RISK_ORDER = {"high": 0, "medium": 1, "low": 2, None: 3}


def normalize_decision(value: str) -> str:
    """Accept continue, change-plan, close or escalate (lanjutkan, ubah-rencana, tutup, eskalasi)."""
    return choose(value, DECISIONS, DECISION_ALIASES, "--decision")


def overdue_count(overdue: dict) -> int:
    """How many things are overdue on a case (a follow-up counts once, each referral, goal and visit once)."""
    return sum(1 if kind == "follow_up" else len(overdue[kind]) for kind in OVERDUE_KINDS if overdue.get(kind))


def urgency(row: dict) -> tuple:
    """The order a supervisor reads cases in: high risk first, then the most overdue, then by number."""
    return RISK_ORDER.get(row["risk"], 3), -row["overdue_count"], row["id"]
