"""Turn what the user typed into checked values: dates, goal levels, domain ratings. Pure."""

import datetime as dt
import re
from collections.abc import Callable
from typing import Literal, overload

from lingkaran.domain.gas import LEVELS
from lingkaran.errors import InvalidInput
from lingkaran.messages import _

DATE_WORDS = {"today": 0, "hari-ini": 0, "yesterday": -1, "kemarin": -1, "tomorrow": 1, "besok": 1}
MINUS_SIGNS = str.maketrans({"−": "-", "–": "-"})
MAX_TEXT = 1_000_000  # one megabyte of text in a single field is plenty for any note
MIN_WEIGHT, MAX_WEIGHT = 0.01, 1000.0  # tiny weights would make the T-score's denominator vanish
# The dates lingkaran works with. Day counts are at most 3650 and retention at most 1000 years, so no date
# computed from one of these (due windows, no-contact thresholds, retention cut-offs) leaves Python's calendar.
EARLIEST_DATE, LATEST_DATE = dt.date(1900, 1, 1), dt.date(2999, 12, 31)
# The computer's clock cannot be right before this lingkaran was written (a clock without power resets to 1970 or
# 1980): such a reading, or one after LATEST_DATE, is refused rather than dating records with it.
EARLIEST_CLOCK = dt.date(2026, 1, 1)
# C0 controls but tab and newline, DEL, and C1 controls: printed, they would move the cursor, clear the screen or
# retitle the window (ESC, CSI). Notes and names may have several lines, so newline and tab stay.
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


GoalRef = int | str  # a goal as a user named it: its number, or the first characters of its UUID
GOAL_UUID_PREFIX = re.compile(r"[0-9a-f]{4}[0-9a-f-]{0,32}")
MAX_GOAL_DIGITS = 4  # a case holds fewer than 10,000 goals, so five digits or more start a UUID


def is_whole_number(text: str) -> bool:
    """True for plain ASCII digits only (str.isdigit also accepts ² and other digits int() refuses)."""
    return re.fullmatch(r"[0-9]{1,18}", text.strip()) is not None


def parse_date(text: str, today: dt.date, flag: str = "--date") -> dt.date:
    """A date as YYYY-MM-DD, or today / yesterday / tomorrow (also in Indonesian)."""
    word = text.strip().lower()
    if word in DATE_WORDS:
        return in_calendar(today + dt.timedelta(days=DATE_WORDS[word]), flag)  # today is in range: no overflow
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", word):
            raise ValueError(word)
        return in_calendar(dt.date.fromisoformat(word), flag)
    except ValueError:
        raise InvalidInput(
            _("{flag} {value!r} is not a date; use YYYY-MM-DD, today or yesterday").format(flag=flag, value=text)
        ) from None


def in_calendar(date: dt.date, flag: str) -> dt.date:
    """A date between EARLIEST_DATE and LATEST_DATE; anything else is refused before any arithmetic with it."""
    if not EARLIEST_DATE <= date <= LATEST_DATE:
        raise InvalidInput(
            _("{flag} {value!r} is outside the dates lingkaran works with ({earliest} to {latest})").format(
                flag=flag, value=date.isoformat(), earliest=EARLIEST_DATE.isoformat(), latest=LATEST_DATE.isoformat()
            )
        )
    return date


def clock_date(read: Callable[[], dt.date]) -> dt.date:
    """Today by the computer's clock (`read`), refused when the clock cannot be right."""
    reading = _clock_reading(read)
    if reading is None:
        raise InvalidInput(
            _(
                "the computer's clock cannot be read as a date; set the clock, or give the date with "
                "LINGKARAN_TODAY=YYYY-MM-DD"
            )
        )
    if not EARLIEST_CLOCK <= reading <= LATEST_DATE:
        raise InvalidInput(
            _(
                "the computer's clock says {date}, which cannot be today (lingkaran needs a date from "
                "{earliest} to {latest}); set the clock, or give the date with "
                "LINGKARAN_TODAY=YYYY-MM-DD"
            ).format(date=reading.isoformat(), earliest=EARLIEST_CLOCK.isoformat(), latest=LATEST_DATE.isoformat())
        )
    return reading


def wrong_clock(read: Callable[[], dt.date]) -> str | None:
    """What the computer's clock says when it cannot be right (for a message), or None when it can be."""
    reading = _clock_reading(read)
    if reading is None:
        return _("a time that is not a date")
    return None if EARLIEST_CLOCK <= reading <= LATEST_DATE else reading.isoformat()


def _clock_reading(read: Callable[[], dt.date]) -> dt.date | None:
    try:
        return read()
    except (OverflowError, ValueError, OSError):  # a clock past year 9999, or beyond what the platform holds
        return None


def parse_later_date(text: str, today: dt.date, flag: str, earliest: dt.date) -> dt.date:
    """A date that lies ahead: a follow-up or a target, on or after the step that sets it."""
    date = parse_date(text, today, flag)
    if date < earliest:
        raise InvalidInput(
            _("{flag} {date} is before {earliest}, the date of this step").format(
                flag=flag, date=date.isoformat(), earliest=earliest.isoformat()
            )
        )
    return date


def parse_step_date(text: str, today: dt.date, flag: str = "--date") -> dt.date:
    """The date a step (or a consent decision) happened: not in the future (follow-up dates may be)."""
    date = parse_date(text, today, flag)
    if date > today:
        raise InvalidInput(
            _("{flag} {date} is in the future; record a step on or after the day it happens").format(
                flag=flag, date=date.isoformat()
            )
        )
    return date


def refuse_before_opening(on: dt.date, opened_on: str, flag: str, case_id: int | None = None) -> None:
    """Nothing about a case (a step, a consent decision) is dated before the case was opened."""
    if on.isoformat() >= opened_on:
        return
    if case_id is None:  # a case still being imported has no number yet
        raise InvalidInput(
            _("{flag} {date} is before the case was opened ({opened})").format(
                flag=flag, date=on.isoformat(), opened=opened_on
            )
        )
    raise InvalidInput(
        _("{flag} {date} is before case {case} was opened ({opened})").format(
            flag=flag, date=on.isoformat(), case=case_id, opened=opened_on
        )
    )


def parse_level(text: str, flag: str) -> int:
    """A Goal Attainment Scaling level: −2, −1, 0, +1 or +2."""
    try:
        level = int(text.strip().translate(MINUS_SIGNS))
    except ValueError:
        level = None
    if level not in LEVELS:
        raise InvalidInput(
            _("{flag}: {value!r} is not a GAS level; use -2, -1, 0, +1 or +2").format(flag=flag, value=text)
        )
    return level


def typed_key(text: str) -> str:
    """A typed word in the shape values are stored in: lower case, spaces and underscores as hyphens."""
    return "-".join(text.lower().replace("_", " ").split())


def choose(value: str, valid: tuple[str, ...], aliases: dict[str, str], flag: str) -> str:
    """One of a fixed set of stored values, typed as itself or as an alias (its Indonesian word, a spelling)."""
    key = typed_key(value)
    key = aliases.get(key, key)
    if key not in valid:
        raise InvalidInput(
            _("{flag} {value!r} is not valid; use one of: {valid}").format(
                flag=flag, value=value, valid=", ".join(valid)
            )
        )
    return key


def split_pair(text: str, flag: str, shape: str) -> tuple[str, str]:
    """Split `KEY=VALUE`, refusing anything else with the expected shape in the message."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip() or not value.strip():
        raise InvalidInput(_("{flag} {value!r} should look like {shape}").format(flag=flag, value=text, shape=shape))
    return key.strip(), value.strip()


def parse_goal_number(text: str, flag: str) -> GoalRef:
    """A goal as the user named it: its number (a whole number from 1 up) or the first four or more characters
    of its UUID, which casework looks up among the case's goals."""
    text = text.strip()
    if is_whole_number(text) and int(text) >= 1 and len(text) <= MAX_GOAL_DIGITS:
        return int(text)
    if GOAL_UUID_PREFIX.fullmatch(text.lower()):  # a UUID prefix may be all digits: longer than any goal number
        return text.lower()
    raise InvalidInput(
        _("{flag}: {value!r} is neither a goal number nor the start of a goal's UUID").format(flag=flag, value=text)
    )


def parse_goal_levels(pairs: list[str], flag: str) -> dict[GoalRef, int]:
    """`N=LEVEL` pairs (goal = GAS level), each goal at most once."""
    levels: dict[GoalRef, int] = {}
    for pair in pairs:
        number, level = split_pair(pair, flag, _("N=LEVEL (e.g. 1=+1)"))
        goal_number = parse_goal_number(number, flag)
        if goal_number in levels:
            raise InvalidInput(_("{flag}: goal {number} is given twice").format(flag=flag, number=goal_number))
        levels[goal_number] = parse_level(level, flag)
    return levels


def parse_ratings(pairs: list[str], known_domains: list[str], aliases: dict[str, str] | None = None) -> dict[str, int]:
    """`NAME=1..5` domain ratings, each domain known (by key or by an alias such as its Indonesian name)."""
    ratings: dict[str, int] = {}
    for pair in pairs:
        name, score = split_pair(pair, "--domain", _("NAME=1..5 (e.g. housing=2)"))
        domain = typed_key(name)
        domain = (aliases or {}).get(domain, domain)
        if domain not in known_domains:
            raise InvalidInput(
                _("--domain: unknown domain {name!r}; valid domains: {valid}").format(
                    name=name, valid=", ".join(known_domains)
                )
            )
        if not is_whole_number(score) or not 1 <= int(score) <= 5:
            raise InvalidInput(
                _("--domain {name}: {score!r} is not a rating from 1 (in crisis) to 5 (thriving)").format(
                    name=domain, score=score
                )
            )
        ratings[domain] = int(score)
    return ratings


def parse_weight(text: str, flag: str = "--weight") -> float:
    """A goal's relative importance: a number from 0.01 to 1000 (e.g. importance × difficulty)."""
    try:
        weight = float(text)
    except ValueError:
        weight = float("nan")
    if not (MIN_WEIGHT <= weight <= MAX_WEIGHT):
        raise InvalidInput(
            _("{flag}: {value!r} is not a weight; use a number from {low:g} to {high:g}").format(
                flag=flag, value=text, low=MIN_WEIGHT, high=MAX_WEIGHT
            )
        )
    return weight


def parse_minutes(minutes: int | None) -> int | None:
    """Minutes of contact: none, or 0 to a day."""
    if minutes is not None and not 0 <= minutes <= 24 * 60:
        raise InvalidInput(_("--minutes: {value} is not a duration from 0 to 1440 minutes").format(value=minutes))
    return minutes


@overload
def clean_text(text: str | None, flag: str, required: Literal[True]) -> str: ...
@overload
def clean_text(text: str | None, flag: str, required: bool = False) -> str | None: ...
def clean_text(text: str | None, flag: str, required: bool = False) -> str | None:
    """Strip surrounding space; refuse empty required text, text beyond a megabyte and control characters."""
    if text is None or not text.strip():
        if required:
            raise InvalidInput(_("{flag} must not be empty").format(flag=flag))
        return None
    if len(text) > MAX_TEXT:
        raise InvalidInput(_("{flag} is longer than {limit} characters").format(flag=flag, limit=MAX_TEXT))
    text = text.replace("\r\n", "\n")  # a note written on Windows or pasted from one
    if control := CONTROL_CHARACTER.search(text):
        raise InvalidInput(
            _("{flag} contains a control character (U+{code:04X}); only newlines and tabs are allowed").format(
                flag=flag, code=ord(control.group())
            )
        )
    return encodable(text, flag).strip()


def encodable(text: str, flag: str) -> str:
    """Refuse text that cannot be stored: bytes that were not UTF-8 arrive from the shell as lone surrogates."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(
            _("{flag} contains bytes that are not UTF-8 text; check the terminal's encoding").format(flag=flag)
        ) from None
    return text


def parse_goal_texts(pairs: list[str], flag: str) -> dict[GoalRef, str]:
    """`N=TEXT` pairs: a new wording for goal N."""
    texts: dict[GoalRef, str] = {}
    for pair in pairs:
        number, text = split_pair(pair, flag, "N=TEXT")
        texts[parse_goal_number(number, flag)] = clean_text(text, flag, required=True)
    return texts


def parse_weights(pairs: list[str]) -> dict[GoalRef, float]:
    """`N=WEIGHT` pairs for goal weights."""
    weights: dict[GoalRef, float] = {}
    for pair in pairs:
        number, weight = split_pair(pair, "--weight", _("N=WEIGHT (e.g. 1=3)"))
        weights[parse_goal_number(number, "--weight")] = parse_weight(weight)
    return weights


def parse_targets(values: list[str], today: dt.date, planned_on: dt.date) -> tuple[str | None, dict[GoalRef, str]]:
    """`--target DATE` (for this call's new goals) and `--target N=DATE` (for goal N), none before the plan."""
    default: str | None = None
    targets: dict[GoalRef, str] = {}
    for value in values:
        if "=" in value:
            number, date_text = split_pair(value, "--target", _("DATE or N=DATE"))
            targets[parse_goal_number(number, "--target")] = parse_later_date(
                date_text, today, "--target", planned_on
            ).isoformat()
        else:
            default = parse_later_date(value, today, "--target", planned_on).isoformat()
    return default, targets


def parse_scales(values: list[str]) -> dict[GoalRef, dict[str, str]]:
    """`--gas N:LEVEL=TEXT`: what goal N looks like at one GAS level (−2 … +2)."""
    scales: dict[GoalRef, dict[str, str]] = {}
    for value in values:
        key, text = split_pair(value, "--gas", _("N:LEVEL=TEXT (e.g. 1:0=attends 4 days a week)"))
        number, sep, level = key.partition(":")
        if not sep:
            raise InvalidInput(
                _("{flag} {value!r} should look like {shape}").format(
                    flag="--gas", value=value, shape=_("N:LEVEL=TEXT (e.g. 1:0=attends 4 days a week)")
                )
            )
        goal_number = parse_goal_number(number, "--gas")
        scales.setdefault(goal_number, {})[str(parse_level(level, "--gas"))] = clean_text(text, "--gas", True)
    return scales


def missing(value: object) -> bool:
    """A value counts as not given when it is None, empty text or an empty list."""
    return value is None or value == "" or value == []
