import pytest

from lingkaran.domain.gas import format_level, t_score


@pytest.mark.parametrize(
    "levels, expected",
    [
        ([0, 0, 0], 50.00),
        ([1, 1, 1], 63.69),
        ([-1, -1, -1], 36.31),
    ],
)
def test_unweighted_t_scores_match_the_published_check_values(levels, expected):
    assert round(t_score(levels), 2) == expected


def test_weighted_t_score_matches_the_published_check_value():
    assert round(t_score([-2, 0, -1, 2, 0, 1], [3, 5, 1, 4, 2, 6]), 2) == 55.00


def test_a_single_goal_at_plus_two():
    # one goal: T = 50 + 10·2 / √(0.7 + 0.3) = 70
    assert t_score([2]) == pytest.approx(70.0)


def test_t_score_refuses_no_goals_and_mismatched_weights():
    with pytest.raises(ValueError):
        t_score([])
    with pytest.raises(ValueError):
        t_score([1, 0], [1])


def test_levels_are_written_with_a_sign():
    assert [format_level(level) for level in (-2, 0, 1, None)] == ["-2", "0", "+1", "–"]


@pytest.mark.parametrize(
    "t, decision",
    [
        (63.69, "terminate"),
        (50.0, "terminate"),
        (49.99, "continue"),
        (40.0, "continue"),
        (39.99, "replan"),
        (26.7, "replan"),
    ],
)
def test_the_t_score_suggests_the_decision_the_worker_then_makes(t, decision):
    from lingkaran.domain.gas import suggested_decision

    assert suggested_decision(t) == decision
