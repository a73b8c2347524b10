"""What the values of a stored record may be. Commands only ever write values their own checks allowed; a
record arriving from elsewhere (an import from another laptop, a hand-edited export) is held to the same rules
here, so nothing in it can make a later command fail. Pure: no I/O, no SQL.
"""

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

from lingkaran.domain import assessment_domains, gas, identity, supervision
from lingkaran.domain import parse as values
from lingkaran.domain import vocabularies as words
from lingkaran.domain.privacy import PERSONAL_EVENT_KEYS
from lingkaran.messages import N_, _

Check = Callable[[object], bool]
VISIT_STATUSES = ("planned", "done", "cancelled")  # a visit on the schedule, recorded as done, or called off


def _parses(parse: Callable[[str], object], text: str) -> bool:
    try:
        parse(text)
    except ValueError:
        return False
    return True


def _date(value: object) -> bool:
    """YYYY-MM-DD within the dates lingkaran works with (a later one would overflow the agenda's arithmetic)."""
    return (
        isinstance(value, str)
        and len(value) == 10
        and _DATES[0] <= value <= _DATES[1]
        and _parses(dt.date.fromisoformat, value)
    )


_DATES = (values.EARLIEST_DATE.isoformat(), values.LATEST_DATE.isoformat())


def _instant(value: object) -> bool:
    return isinstance(value, str) and _parses(dt.datetime.fromisoformat, value)


def _whole(value: object) -> bool:
    return type(value) is int


def _number(value: Any) -> bool:
    return type(value) in (int, float) and math.isfinite(value)


def _text(value: object) -> bool:
    """Text as a command takes it (values.clean_text): at most MAX_TEXT characters, no control characters."""
    return isinstance(value, str) and len(value) <= values.MAX_TEXT and not values.CONTROL_CHARACTER.search(value)


class OneOf:
    """A rule allowing a few stored values (true and false are not 1 and 0 here)."""

    def __init__(self, *choices: str | int):
        self.choices = choices

    def __call__(self, value: object) -> bool:
        return type(value) in (str, int) and value in self.choices


class Between:
    """A rule allowing whole numbers from `low` to `high`."""

    def __init__(self, low: int, high: int):
        self.low, self.high = low, high

    def __call__(self, value: object) -> bool:
        return type(value) is int and self.low <= value <= self.high


def _id_number(value: object) -> bool:
    return isinstance(value, str) and value.isascii() and value.isdigit() and len(value) == identity.ID_DIGITS


def _phone(value: object) -> bool:
    return isinstance(value, str) and identity.PHONE.fullmatch(value) is not None


def _clock_time(value: object) -> bool:
    return isinstance(value, str) and len(value) == 5 and _parses(dt.time.fromisoformat, value)


def _object(value: object) -> bool:
    return isinstance(value, dict)


MAX_NESTING = 32  # lingkaran's own events nest four levels deep at most


def nested_at_most(value: object, levels: int = MAX_NESTING) -> bool:
    """Whether the lists and objects in a JSON value nest no more than `levels` deep. Walked a level at a time,
    not recursively: data nested nearly as deep as Python's stack allows passes the import's parser, then stops
    `check` or a restore with a RecursionError when they read it again from deeper in the stack."""
    containers: list[Any] = [value]
    for _level in range(levels):
        containers = [
            child
            for container in containers
            for child in (container.values() if isinstance(container, dict) else container)
            if isinstance(child, dict | list)
        ]
        if not containers:
            return True
    return False


def _texts(value: object) -> bool:
    return isinstance(value, list) and all(_text(item) for item in value)


def _goal_numbers(value: object) -> bool:
    return isinstance(value, list) and all(_whole(item) for item in value)


def _goal_scores(value: object) -> bool:
    return isinstance(value, dict) and all(type(level) is int and level in gas.LEVELS for level in value.values())


def _scale(value: object) -> bool:
    return isinstance(value, dict) and all(
        key in {str(level) for level in gas.LEVELS} and _text(text) for key, text in value.items()
    )


def _scores(value: object) -> bool:
    return isinstance(value, dict) and all(key.isdigit() and value[key] in gas.LEVELS for key in value)


def _weight(value: Any) -> bool:
    return _number(value) and values.MIN_WEIGHT <= value <= values.MAX_WEIGHT


# What each kind of value is called in a message, so a refusal says what was expected.
EXPECTED: dict[Check, str] = {
    _date: N_("a date YYYY-MM-DD from 1900 to 2999"),
    _instant: N_("an ISO date and time"),
    _whole: N_("a whole number"),
    _number: N_("a number"),
    _text: N_("text of at most 1,000,000 characters without control characters"),
    _texts: N_("a list of texts"),
    _goal_numbers: N_("a list of goal numbers"),
    _scale: N_("GAS levels -2..2 with their texts"),
    _scores: N_("goal numbers with GAS levels -2..2"),
    _weight: N_("a goal weight"),
    _goal_scores: N_("goal UUIDs with GAS levels -2..2"),
    _object: N_("a JSON object"),
    _id_number: N_("16 digits"),
    _phone: N_("a phone number"),
    _clock_time: N_("a time HH:MM"),
}

FLAG = OneOf(0, 1)
# By declared column type, for every column no rule below names.
BY_TYPE: dict[str, Check] = {"INTEGER": _whole, "REAL": _number, "TEXT": _text}
# By column name, in every table.
CYCLE = Between(1, 10_000)
BY_NAME: dict[str, Check] = {
    "recorded_at": _instant,
    "updated_at": _instant,
    "cycle": CYCLE,
    "strengths": _texts,
    "needs": _texts,
    "goal_numbers": _goal_numbers,
    "scale": _scale,
    "scores": _scores,
    "goal_uuids": _texts,
    "goal_scores": _goal_scores,
    "nik": _id_number,
    "kk": _id_number,
    "phone": _phone,
    "guardian_phone": _phone,
    "by_names": _texts,
}
# By table and column: the stored values of each vocabulary, of GAS and of the assessment domains.
BY_COLUMN: dict[tuple[str, str], Check] = {
    ("cases", "level"): OneOf(*words.LEVEL.values),
    ("cases", "phase"): OneOf(*words.PHASE.values),
    ("cases", "status"): OneOf(*words.CASE_STATUS.values),
    ("cases", "close_reason"): OneOf(*words.REASON.values),
    ("cases", "consent"): FLAG,
    ("consents", "given"): FLAG,
    ("notes", "phase"): OneOf(*words.PHASE.values),
    ("assessments", "risk"): OneOf(*words.RISK.values),
    ("ratings", "score"): OneOf(*assessment_domains.SCALE),
    ("ratings", "domain"): OneOf(*assessment_domains.domain_names()),
    ("activities", "minutes"): Between(0, 24 * 60),
    ("members", "born"): Between(identity.FIRST_YEAR, values.LATEST_DATE.year),
    ("cases", "born"): Between(identity.FIRST_YEAR, values.LATEST_DATE.year),
    ("cases", "sex"): OneOf(*identity.SEXES),
    ("members", "sex"): OneOf(*identity.SEXES),
    ("cases", "ppks"): OneOf(*identity.PPKS),
    ("goals", "number"): Between(1, 10_000),
    ("goals", "status"): OneOf(*words.GOAL_STATUS.values),
    ("goals", "weight"): _weight,
    ("goals", "latest_level"): OneOf(*gas.LEVELS),
    ("goal_levels", "level"): OneOf(*gas.LEVELS),
    ("activities", "kind"): OneOf(*words.ACTIVITY.values),
    ("monitoring", "after_close"): FLAG,
    ("evaluations", "decision"): OneOf(*words.DECISION.values),
    ("terminations", "reason"): OneOf(*words.REASON.values),
    ("team", "role"): OneOf(*words.TEAM_ROLE.values),
    ("referrals", "status"): OneOf(*words.REFERRAL_STATUS.values),
    ("ecomap_changes", "kind"): OneOf(*words.ECOMAP_KIND.values),
    ("ecomap_changes", "tie"): OneOf(*words.TIE.values),
    ("ecomap_changes", "flow"): OneOf(*words.FLOW.values),
    ("ecomap_changes", "removed"): FLAG,
    ("visits", "kind"): OneOf(*words.ACTIVITY.values),
    ("visits", "status"): OneOf(*VISIT_STATUSES),
    ("visits", "minutes"): Between(0, 24 * 60),
    ("visits", "at"): _clock_time,
    ("reviews", "decision"): OneOf(*supervision.DECISIONS),
    ("reviews", "phase"): OneOf(*words.PHASE.values),
}


# The kinds of event lingkaran writes: every kind is classified for privacy, so that list is the list of kinds.
EVENT_KINDS = tuple(PERSONAL_EVENT_KEYS)
# The fields of an event besides the ones its hash chain covers as text (uuid, content_hash): what `log`, the
# agenda and the reports read from them.
EVENT_RULES = {
    "kind": OneOf(*EVENT_KINDS),
    "occurred_on": _date,
    "phase": OneOf(*words.PHASE.values),
    "cycle": CYCLE,
    "recorded_at": _instant,
    "data": _object,
}
# Dates of plans, which lie ahead; every other date (`…_on`) is of something that happened, never in the future.
PLANNED_DATES = ("follow_up_on", "target_on", "due_on")


def happened_on(column: str) -> bool:
    """Whether a date column holds when something happened (an opening, a step, a decision), not a plan."""
    return column.endswith("_on") and column not in PLANNED_DATES


def column_check(table: str, column: str, declared_type: str) -> Check | None:
    """The rule a column's non-null values must meet (None: any value will do)."""
    if (table, column) in BY_COLUMN:
        return BY_COLUMN[(table, column)]
    if column in BY_NAME:
        return BY_NAME[column]
    if column.endswith("_on"):
        return _date
    return BY_TYPE.get(declared_type.upper())


def expected(check: Check) -> str:
    """What a rule expects, in words for a message."""
    if isinstance(check, OneOf):
        return _("one of: {values}").format(values=", ".join(map(str, check.choices)))
    if isinstance(check, Between):
        return _("a whole number from {low} to {high}").format(low=check.low, high=check.high)
    return _(EXPECTED[check])
