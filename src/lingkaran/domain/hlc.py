"""The hybrid logical clock that stamps every event: wall-clock time that never runs backwards (no I/O here).

A stamp is fixed-width text, `2026-12-03T08:15:08.123Z-0000`: UTC milliseconds, then a 4-hex-digit counter that
orders events stamped within one millisecond, so comparing two stamps as text compares them as clocks. A laptop
whose clock is behind keeps counting on from the latest stamp it has seen; one whose clock is ahead stamps
ahead, and those stamps are kept, flagged, and not absorbed by other files (`receive`), so one wrong clock does
not drag everyone's clock forward. Causality is carried by an event's parents; the clock only breaks ties and
dates things for people.
"""

import datetime as dt
import re

MAX_AHEAD_MS = 24 * 60 * 60 * 1000  # a stamp more than a day past the wall clock is not believed
COUNTER_LIMIT = 0xFFFF
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
LAST_MS = (dt.datetime(9999, 12, 31, 23, 59, 59, 999000, tzinfo=dt.UTC) - EPOCH) // dt.timedelta(milliseconds=1)
STAMP_LENGTH = len("2026-12-03T08:15:08.123Z-0000")


def stamp(ms: int, counter: int = 0) -> str:
    """The text form of a clock reading: milliseconds since 1970 (UTC) and the counter."""
    ms = min(max(ms, 0), LAST_MS)  # four-digit years keep the text fixed-width
    moment = EPOCH + dt.timedelta(milliseconds=ms)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}Z-{counter:04x}"


def parse(text: str) -> tuple[int, int]:
    """The milliseconds and counter of a stamp."""
    # by position, not strptime (ten times slower, and an import parses every event's stamp); a malformed stamp
    # raises ValueError here or fails is_stamp's round trip
    if len(text) < STAMP_LENGTH or text[4] + text[7] + text[10] + text[13] + text[16] + text[19] != "--T::.":
        raise ValueError(text)
    moment = dt.datetime(
        int(text[0:4]),
        int(text[5:7]),
        int(text[8:10]),
        int(text[11:13]),
        int(text[14:16]),
        int(text[17:19]),
        int(text[20:23]) * 1000,
        tzinfo=dt.UTC,
    )
    return (moment - EPOCH) // dt.timedelta(milliseconds=1), int(text[25:29], 16)


def is_stamp(text: object) -> bool:
    """Whether a value is a well-formed stamp: the text `stamp` writes for a real moment from 1970 on."""
    if not isinstance(text, str) or not _STAMP_TEXT.fullmatch(text):
        return False
    try:
        return parse(text)[0] >= 0  # a date that does not exist (February 30th) raises
    except ValueError:
        return False


_STAMP_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z-[0-9a-f]{4}")


def tick(last: str | None, wall_ms: int) -> str:
    """The stamp of a new local event: after every stamp seen so far, and at least the wall clock."""
    if last is None:
        return stamp(wall_ms)
    last_ms, counter = parse(last)
    if wall_ms > last_ms:
        return stamp(wall_ms)
    if counter < COUNTER_LIMIT:
        return stamp(last_ms, counter + 1)
    return stamp(last_ms + 1)


def receive(last: str | None, remote: str, wall_ms: int) -> str | None:
    """The latest stamp seen once `remote` arrives; a remote stamp far ahead of the wall clock is not absorbed."""
    if is_far_ahead(remote, wall_ms):
        return last
    return remote if last is None or remote > last else last


def is_far_ahead(text: str, wall_ms: int) -> bool:
    """Whether a stamp lies more than a day past the wall clock (a laptop whose clock was set wrong)."""
    return parse(text)[0] > wall_ms + MAX_AHEAD_MS


def from_instant(recorded_at: str | None) -> str:
    """The stamp an event written before clocks existed gets: its `recorded_at` time, counter 0 (1970 when that
    is not a readable time, as only a hand-edited file would have)."""
    try:
        moment = dt.datetime.fromisoformat(recorded_at or "")
    except ValueError:
        return stamp(0)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return stamp((moment - EPOCH) // dt.timedelta(milliseconds=1))
