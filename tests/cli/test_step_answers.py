"""Named results: a step's flags and its guided prompts come back as one dataclass per step, read by field name."""

import dataclasses

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from lingkaran.cli.guide import ANY_OF, NEEDS, guided
from lingkaran.cli.session import Session
from lingkaran.errors import InvalidInput
from lingkaran.prompts.answers import PlanAnswers, ReopenAnswers, StepAnswers
from lingkaran.prompts.asker import Asker

ENTER = "\r"
BY_STEP = {kind.step: kind for kind in StepAnswers.__subclasses__()}


def test_every_guided_step_has_its_answers_with_every_value_it_needs():
    assert set(BY_STEP) == set(NEEDS)
    for step, kind in BY_STEP.items():
        fields = {field.name for field in dataclasses.fields(kind)}
        assert set(NEEDS[step]) | set(ANY_OF.get(step, ())) <= fields, step
        assert "date" in fields or step == "amend", step  # a correction is dated the day it is made: no --date


def test_the_order_keywords_are_given_in_changes_nothing_and_a_misspelt_one_fails_at_once():
    given = dict(
        case="3", goal=["Back to school"], weight=["1=2"], target=None, gas=None, revise=None, drop=None, date="today"
    )
    assert PlanAnswers(**given) == PlanAnswers(**dict(reversed(given.items())))
    with pytest.raises(TypeError):
        PlanAnswers(**given, wieght=["1=3"])


def test_answers_given_in_full_come_back_as_they_were_without_asking():
    given = PlanAnswers(
        case="3", goal=None, weight=["1=2"], target=None, gas=None, revise=None, drop=None, date="today"
    )
    assert guided(Session(no_input=True), given) is given


def test_a_missing_value_without_a_terminal_is_named_by_its_flag():
    with pytest.raises(InvalidInput, match="missing CASE, --reason"):
        guided(Session(no_input=True), ReopenAnswers(case=None, reason=None, date="today"))


def test_the_guided_prompt_gives_back_the_steps_answers_with_what_was_asked_filled_in(cli, db_path, active_case):
    from lingkaran.prompts import flow

    cli.ok("terminate", active_case, "--reason", "moved", "--summary", "The family moved to Bandung")
    run = Session(db_flag=db_path)
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text("".join(["They came back to the city", ENTER, "y"]))
        completed = flow.guide(
            run,
            ReopenAnswers(case=active_case, reason=None, date="2026-06-15"),
            whole_step=True,
            ask=Asker(input=pipe, output=DummyOutput()),
        )
    run.close()
    assert completed == ReopenAnswers(case=active_case, reason="They came back to the city", date="2026-06-15")
