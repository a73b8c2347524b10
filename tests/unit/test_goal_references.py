"""A goal is named by its number or by the start of its UUID, and a UUID may start with digits only."""

from lingkaran.domain.parse import parse_goal_number


def test_a_small_number_is_a_goal_number():
    assert parse_goal_number("3", "--goal") == 3


def test_eight_digits_are_the_start_of_a_uuid_not_a_goal_number():
    assert parse_goal_number("59264601", "--goal") == "59264601"
