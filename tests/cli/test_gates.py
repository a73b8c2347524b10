"""The cycle's gates: one table in the domain (`cycle.GATES`), asked by the commands and the guided prompts alike."""

import ast
import datetime as dt
import itertools
from pathlib import Path

import pytest
import typer

import lingkaran
from lingkaran.casework import steps
from lingkaran.cli.app import app
from lingkaran.domain import cycle
from lingkaran.domain.cycle import CaseState
from lingkaran.domain.vocabularies import DECISION, PHASE, REASON
from lingkaran.errors import StepRefused
from lingkaran.store.database import connect

# Every case a gate can meet: each status, step, count of this cycle's work and reason for closing.
STATES = [
    CaseState(7, status, phase, 1, assessments, open_goals, interventions, evaluations, close_reason)
    for status, phase, assessments, open_goals, interventions, evaluations, close_reason in itertools.product(
        ("active", "closed"), PHASE.values, (0, 1), (0, 1), (0, 1), (0, 1), (None, "moved", "died")
    )
]
# The choices a step records, where it records one.
CHOICES = {"evaluate": DECISION.values, "terminate": REASON.values}


def test_every_step_of_the_cycle_has_a_gate_and_opening_a_case_has_none():
    assert set(cycle.GATES) == set(cycle.STEP_OF_EVENT) - {"open"}


def test_every_gate_moves_the_case_to_a_phase_and_evaluate_has_one_for_each_decision():
    for step, gate in cycle.GATES.items():
        destinations = gate.moves_to.values() if step == "evaluate" else [gate.moves_to]
        assert set(destinations) <= set(PHASE.values), step
    assert tuple(cycle.GATES["evaluate"].moves_to) == DECISION.values
    assert set(cycle.GATES["terminate"].needs_by_choice) <= set(REASON.values)


def test_what_a_gate_needs_names_a_phase_and_a_command_that_exists():
    commands = typer.main.get_command(app).list_commands(None)
    needs = {
        need
        for gate in cycle.GATES.values()
        for need in (*gate.needs, *itertools.chain.from_iterable(gate.needs_by_choice.values()))
    }
    assert needs
    for need in needs:
        assert need.step in PHASE
        assert need.command.split()[0] in commands


@pytest.mark.parametrize("step", sorted(cycle.GATES))
def test_the_prompts_grey_a_case_exactly_when_the_command_would_refuse_every_choice(step):
    for state in STATES:
        allowed = []
        for choice in CHOICES.get(step, [None]):
            try:
                allowed.append(cycle.next_phase(step, state, choice))
            except StepRefused:
                pass
        assert (cycle.refusal(step, state) is None) == bool(allowed), (step, state)


@pytest.mark.parametrize("step", sorted(cycle.GATES))
def test_a_refusal_is_the_message_the_command_gives(step):
    for state in STATES:
        for choice in CHOICES.get(step, [None]):
            message = cycle.refusal(step, state, choice)
            if message is None:
                continue
            with pytest.raises(StepRefused) as refused:
                cycle.next_phase(step, state, choice)
            assert refused.value.message == message


def test_searching_for_the_gates_finds_one_table_in_the_domain():
    package = Path(lingkaran.__file__).parent
    defined = [
        path.relative_to(package).as_posix()
        for path in sorted(package.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Assign) and any(getattr(target, "id", None) == "GATES" for target in node.targets)
    ]
    assert defined == ["domain/cycle.py"]


def queries_of_the_cycle_span(db_path, write) -> int:
    """How many times `write(conn)` reads the dates of the cycle's first and latest step."""
    conn = connect(db_path)
    statements = []
    conn.set_trace_callback(statements.append)
    try:
        write(conn)
    finally:
        conn.set_trace_callback(None)
        conn.close()
    return sum("min(occurred_on), max(occurred_on)" in statement for statement in statements)


@pytest.mark.parametrize(
    "write",
    [
        lambda conn, case: steps.intervene(
            conn,
            case,
            on=dt.date(2026, 6, 10),
            kind="phone-call",
            note="Called",
            goal_numbers=[1],
            minutes=None,
            by=None,
        ),
        lambda conn, case: steps.monitor(
            conn, case, on=dt.date(2026, 6, 10), progress={1: 0}, note="Going well", follow_up=dt.date(2026, 7, 1)
        ),
        lambda conn, case: steps.plan(
            conn,
            case,
            on=dt.date(2026, 6, 10),
            new_goals=["Sleeps through"],
            default_target=None,
            weights={},
            targets={},
            scales={},
            revisions={},
            dropped=[],
        ),
        lambda conn, case: steps.assess(
            conn, case, on=dt.date(2026, 6, 10), ratings={}, strengths=[], needs=[], risk="low", summary=None
        ),
        lambda conn, case: steps.evaluate(
            conn, case, on=dt.date(2026, 6, 10), scores={1: 1, 2: 0}, decision="continue", note=None
        ),
    ],
    ids=["intervene", "monitor", "plan", "assess", "evaluate"],
)
def test_a_step_reads_the_dates_of_its_cycle_once(db_path, active_case, write):
    assert queries_of_the_cycle_span(db_path, lambda conn: write(conn, active_case)) == 1
