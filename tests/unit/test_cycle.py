"""The cycle's rules, as pure functions."""

import pytest

from lingkaran.domain import cycle, vocabularies
from lingkaran.domain.cycle import CaseState
from lingkaran.errors import InvalidInput, StepRefused


def state(**changes) -> CaseState:
    values = dict(case_id=7, status="active", phase="engagement", cycle=1)
    values.update(changes)
    return CaseState(**values)


def test_assessment_is_allowed_at_any_active_step_and_returns_the_case_to_assessment():
    for phase in ("engagement", "planning", "intervention", "monitoring", "evaluation"):
        assert cycle.next_phase("assess", state(phase=phase)) == "assessment"


def test_plan_is_refused_before_any_assessment_and_names_the_command():
    with pytest.raises(StepRefused) as refused:
        cycle.next_phase("plan", state())
    assert "lingkaran assess 7" in refused.value.message


def test_plan_after_an_assessment_moves_to_planning():
    assert cycle.next_phase("plan", state(phase="assessment", assessments=1)) == "planning"


def test_intervene_needs_an_open_goal():
    with pytest.raises(StepRefused, match="plan 7"):
        cycle.next_phase("intervene", state(phase="assessment", assessments=1))
    assert cycle.next_phase("intervene", state(phase="planning", assessments=1, open_goals=2)) == "intervention"


def test_evaluate_needs_a_goal_and_an_intervention():
    with pytest.raises(StepRefused, match="plan 7"):
        cycle.next_phase("evaluate", state(interventions=1), "continue")
    with pytest.raises(StepRefused, match="intervene 7"):
        cycle.next_phase("evaluate", state(open_goals=1), "continue")


@pytest.mark.parametrize(
    "decision, phase",
    [
        ("terminate", "evaluation"),
        ("continue", "intervention"),
        ("replan", "planning"),
        ("reassess", "assessment"),
    ],
)
def test_the_evaluation_decision_says_where_the_cycle_goes(decision, phase):
    assert cycle.next_phase("evaluate", state(open_goals=1, interventions=1), decision) == phase


def test_monitor_needs_intervention_but_follows_up_a_closed_case_without_moving_it():
    with pytest.raises(StepRefused, match="intervene 7"):
        cycle.next_phase("monitor", state(phase="planning"))
    assert cycle.next_phase("monitor", state(phase="intervention", interventions=1)) == "monitoring"
    assert cycle.next_phase("monitor", state(status="closed", phase="termination")) == "termination"


def test_a_planned_termination_needs_an_evaluation_that_decided_to_terminate():
    with pytest.raises(StepRefused, match="evaluate 7"):
        cycle.next_phase("terminate", state(phase="intervention"), "goals-met")
    with pytest.raises(StepRefused, match="--decision terminate"):
        # evaluated, but the decision sent the case back to planning
        cycle.next_phase("terminate", state(phase="planning", evaluations=1), "goals-met")
    assert cycle.next_phase("terminate", state(phase="evaluation", evaluations=1), "goals-met") == "termination"


def test_next_commands_after_a_reopen_and_after_a_death():
    assert cycle.next_commands(state(phase="assessment", cycle=2))[0].startswith("assess 7")
    closed = cycle.next_commands(state(status="closed", phase="termination", close_reason="died"))
    assert not any(command.startswith("reopen") for command in closed)


@pytest.mark.parametrize("reason", ["referred", "transferred", "withdrew", "moved", "died", "other"])
def test_unplanned_endings_can_happen_at_any_step(reason):
    assert cycle.next_phase("terminate", state(phase="engagement"), reason) == "termination"


@pytest.mark.parametrize("step", ["assess", "plan", "intervene"])
def test_nothing_but_monitor_and_reopen_touches_a_closed_case(step):
    with pytest.raises(StepRefused, match="reopen 7"):
        cycle.next_phase(step, state(status="closed", phase="termination", assessments=1, open_goals=1))
    with pytest.raises(StepRefused, match="reopen 7"):
        cycle.next_phase("evaluate", state(status="closed", open_goals=1, interventions=1), "continue")
    with pytest.raises(StepRefused, match="reopen 7"):
        cycle.next_phase("terminate", state(status="closed"), "other")


def test_reopen_needs_a_closed_case_whose_client_is_alive():
    with pytest.raises(StepRefused):
        cycle.next_phase("reopen", state())
    with pytest.raises(StepRefused, match="died"):
        cycle.next_phase("reopen", state(status="closed", close_reason="died"))
    assert cycle.next_phase("reopen", state(status="closed", close_reason="moved")) == "assessment"


def test_levels_accept_english_aliases_and_refuse_others_listing_the_valid_ones():
    assert [vocabularies.LEVEL.parse(v) for v in ("mikro", "Micro", "mezzo", "macro")] == [
        "mikro",
        "mikro",
        "mezzo",
        "makro",
    ]
    with pytest.raises(InvalidInput, match="mikro, mezzo, makro"):
        vocabularies.LEVEL.parse("national")


def test_home_visit_and_counseling_spelling_are_valid_activities():
    assert vocabularies.ACTIVITY.parse("home-visit") == "home-visit"
    assert vocabularies.ACTIVITY.parse("counseling") == "counselling"


def test_reached_on_keeps_the_latest_date_of_each_step():
    dates = cycle.reached_on({"open": "2026-01-01", "reopen": "2026-03-01", "evaluate": "2026-02-01", "note": "x"})
    assert dates == {"engagement": "2026-03-01", "evaluation": "2026-02-01"}


def test_next_commands_point_forward_from_each_phase():
    assert cycle.next_commands(state())[0].startswith("assess 7")
    assert cycle.next_commands(state(phase="evaluation"))[0].startswith("terminate 7")
    assert "reopen 7" in cycle.next_commands(state(status="closed", phase="termination"))[1]
