"""The hybrid logical clock: stamps never run backwards, compare as text as they do as clocks, and a stamp far
ahead of the wall clock is not absorbed."""

from hypothesis import given
from hypothesis import strategies as st

from lingkaran.domain import hlc

DAY_MS = 24 * 60 * 60 * 1000
WALL = 1_781_000_000_000  # 2026-06-09


def test_a_stamp_is_fixed_width_text_of_milliseconds_and_a_counter():
    assert hlc.stamp(WALL) == "2026-06-09T10:13:20.000Z-0000"
    assert hlc.stamp(WALL + 123, 0x2A) == "2026-06-09T10:13:20.123Z-002a"
    assert hlc.parse("2026-06-09T10:13:20.123Z-002a") == (WALL + 123, 0x2A)
    assert hlc.is_stamp("2026-06-09T10:13:20.123Z-002a")
    assert not hlc.is_stamp("2026-06-09T10:13:20.123Z") and not hlc.is_stamp(None)


def test_tick_follows_the_wall_clock_when_it_is_ahead_of_every_stamp_seen():
    assert hlc.tick(None, WALL) == hlc.stamp(WALL)
    assert hlc.tick(hlc.stamp(WALL), WALL + 5) == hlc.stamp(WALL + 5)


def test_a_clock_that_is_behind_keeps_counting_on_from_the_latest_stamp():
    latest = hlc.stamp(WALL, 7)
    assert hlc.tick(latest, WALL - 10 * 365 * DAY_MS) == hlc.stamp(WALL, 8)
    assert hlc.tick(hlc.stamp(WALL, 0xFFFF), WALL) == hlc.stamp(WALL + 1)


def test_receive_absorbs_a_later_stamp_but_not_one_far_ahead_of_the_wall_clock():
    mine = hlc.stamp(WALL)
    assert hlc.receive(mine, hlc.stamp(WALL + 60_000), WALL) == hlc.stamp(WALL + 60_000)
    assert hlc.receive(mine, hlc.stamp(WALL - 60_000), WALL) == mine
    years_ahead = hlc.stamp(WALL + 3 * 365 * DAY_MS)
    assert hlc.receive(mine, years_ahead, WALL) == mine
    assert hlc.is_far_ahead(years_ahead, WALL) and not hlc.is_far_ahead(hlc.stamp(WALL + DAY_MS), WALL)


def test_an_event_from_before_clocks_gets_its_recorded_time():
    assert hlc.from_instant("2026-06-09T10:13:20.123456+00:00") == "2026-06-09T10:13:20.123Z-0000"
    assert hlc.from_instant("2026-06-09T17:13:20.123456+07:00") == "2026-06-09T10:13:20.123Z-0000"
    assert hlc.from_instant("not a time") == "1970-01-01T00:00:00.000Z-0000"


readings = st.tuples(st.integers(min_value=0, max_value=hlc.LAST_MS), st.integers(min_value=0, max_value=0xFFFF))


@given(readings, readings)
def test_text_order_is_clock_order(first, second):
    assert (hlc.stamp(*first) < hlc.stamp(*second)) == (first < second)


@given(st.lists(st.integers(min_value=0, max_value=hlc.LAST_MS - 1), min_size=1, max_size=30))
def test_ticks_strictly_increase_whatever_the_wall_clock_does(walls):
    last = None
    for wall in walls:
        stamp = hlc.tick(last, wall)
        assert last is None or stamp > last
        last = stamp


def test_a_stamp_is_only_the_text_lingkaran_writes():
    """A negative counter (`int("-0af", 16)` reads it) and a day that does not exist are no stamps."""
    assert hlc.is_stamp("1970-01-01T00:00:00.000Z-0000") and hlc.is_stamp("9999-12-31T23:59:59.999Z-ffff")
    for text in (
        "2026-06-09T10:13:20.123Z--0af",
        "2026-02-30T10:13:20.123Z-0000",
        "1969-12-31T23:59:59.999Z-0000",
        "2026-06-09T10:13:20.123Z-00AF",
        "2026-06-09T10:13:20.123Z-002a\n",
        "+026-06-09T10:13:20.123Z-002a",
    ):
        assert not hlc.is_stamp(text), text
