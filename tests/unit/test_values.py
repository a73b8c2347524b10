import datetime as dt

import pytest

from lingkaran.domain import parse
from lingkaran.errors import InvalidInput

TODAY = dt.date(2026, 6, 15)


def test_dates_accept_iso_and_words():
    assert parse.parse_date("2026-01-31", TODAY) == dt.date(2026, 1, 31)
    assert parse.parse_date("today", TODAY) == TODAY
    assert parse.parse_date("yesterday", TODAY) == dt.date(2026, 6, 14)
    assert parse.parse_date("kemarin", TODAY) == dt.date(2026, 6, 14)


@pytest.mark.parametrize("bad", ["2026-02-30", "31/01/2026", "2026-1-1", "", "soon", "２０２６-01-01"])
def test_bad_dates_are_refused_with_the_flag_name(bad):
    with pytest.raises(InvalidInput, match="--date"):
        parse.parse_date(bad, TODAY)


def test_a_step_cannot_be_dated_in_the_future():
    with pytest.raises(InvalidInput, match="future"):
        parse.parse_step_date("2026-06-16", TODAY)


def test_goal_levels_accept_signs_and_unicode_minus():
    assert parse.parse_goal_levels(["1=+1", "2=−2", "3=0"], "--score") == {1: 1, 2: -2, 3: 0}


@pytest.mark.parametrize("bad", ["1=3", "1", "=1", "x=1", "0=1", "1=one", "1=1.5"])
def test_bad_goal_level_pairs_are_refused(bad):
    with pytest.raises(InvalidInput, match="--score"):
        parse.parse_goal_levels([bad], "--score")


def test_a_goal_given_twice_is_refused():
    with pytest.raises(InvalidInput, match="twice"):
        parse.parse_goal_levels(["1=0", "1=1"], "--score")


def test_ratings_refuse_unknown_domains_listing_the_valid_ones():
    with pytest.raises(InvalidInput, match="housing, income"):
        parse.parse_ratings(["astrology=3"], ["housing", "income"])
    with pytest.raises(InvalidInput, match="1 \\(in crisis\\) to 5"):
        parse.parse_ratings(["housing=6"], ["housing"])
    assert parse.parse_ratings(["Housing=2"], ["housing"]) == {"housing": 2}


def test_targets_split_into_a_default_and_per_goal_dates():
    default, targets = parse.parse_targets(["2026-12-31", "2=2027-01-15"], TODAY, TODAY)
    assert default == "2026-12-31" and targets == {2: "2027-01-15"}


def test_a_target_cannot_lie_before_the_plan_that_sets_it():
    with pytest.raises(InvalidInput, match="--target 2020-01-01 is before 2026-06-15"):
        parse.parse_targets(["1=2020-01-01"], TODAY, TODAY)


def test_gas_descriptions_parse_goal_and_level():
    assert parse.parse_scales(["1:-2=never attends", "1:+1=attends daily"]) == {
        1: {"-2": "never attends", "1": "attends daily"}
    }
    with pytest.raises(InvalidInput, match="N:LEVEL=TEXT"):
        parse.parse_scales(["1=attends"])


def test_weights_must_be_positive_numbers():
    assert parse.parse_weights(["1=2.5"]) == {1: 2.5}
    for bad in ("1=0", "1=-1", "1=nan", "1=heavy"):
        with pytest.raises(InvalidInput, match="--weight"):
            parse.parse_weights([bad])


def test_text_is_stripped_and_required_text_cannot_be_blank():
    assert parse.clean_text("  hello ", "--note") == "hello"
    with pytest.raises(InvalidInput, match="--note must not be empty"):
        parse.clean_text("   ", "--note", required=True)
