"""The intervention cycle: its steps, their order and the gates between them. Pure: no I/O.

engagement → assessment → planning → intervention → (monitoring) → evaluation → termination.
Evaluation loops back to assessment or planning; `reopen` starts the next cycle at assessment.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from lingkaran.domain import vocabularies
from lingkaran.errors import StepRefused
from lingkaran.messages import _

# The six steps drawn around the ring; monitoring is the loop between intervention and evaluation.
RING = ("engagement", "assessment", "planning", "intervention", "evaluation", "termination")
# Where an evaluation's decision sends the case (after `terminate` it waits at evaluation for `lingkaran terminate`).
DECISION_NEXT_PHASE = {
    "terminate": "evaluation",
    "continue": "intervention",
    "replan": "planning",
    "reassess": "assessment",
}
PLANNED_REASONS = frozenset({"goals-met"})


@dataclass(frozen=True)
class CaseState:
    """What the cycle's rules need to know about one case (counts are for the current cycle)."""

    case_id: int
    status: str
    phase: str
    cycle: int
    assessments: int = 0
    open_goals: int = 0
    interventions: int = 0
    evaluations: int = 0
    close_reason: str | None = None
    reassessment_due: bool = False  # an evaluation decided to reassess and no assessment came after it

    @property
    def closed(self) -> bool:
        return self.status == "closed"


@dataclass(frozen=True)
class Need:
    """Something a step needs first in the current cycle: the step that gives it and the command that records it."""

    step: str
    command: str
    met: Callable[[CaseState], bool]


ASSESSED = Need("assessment", "assess {case} --domain NAME=1..5", lambda state: state.assessments > 0)
PLANNED = Need("planning", "plan {case} --goal TEXT", lambda state: state.open_goals > 0)
WORKED_ON = Need("intervention", "intervene {case} --activity KIND --note TEXT", lambda state: state.interventions > 0)
# The case waits at evaluation only after an evaluation decided to terminate.
DECIDED_TO_END = Need(
    "evaluation",
    "evaluate {case} --score N=LEVEL --decision terminate",
    lambda state: state.evaluations > 0 and state.phase == "evaluation",
)


@dataclass(frozen=True)
class Gate:
    """What one step needs before it is recorded for a case, and the phase it moves the case to."""

    moves_to: str | Mapping[str, str]  # a phase, or one for each choice the step records (evaluate's decision)
    needs: tuple[Need, ...] = ()  # checked in order: the first one not met is named in the refusal
    needs_by_choice: Mapping[str, tuple[Need, ...]] = field(default_factory=dict)  # more for some choices
    closed: str = "refused"  # on a closed case: "refused", "stays" (a follow-up changes no step) or "only"


# The gates of the cycle, one per step: what it needs first and where it moves the case. The commands
# (casework/steps.py) and the guided prompts (prompts/flow.py, prompts/steps.py) all ask these, through
# `next_phase` and `refusal`. Opening a case has no gate.
GATES = {
    "assess": Gate("assessment"),  # at any active step: the case returns to assessment
    "plan": Gate("planning", needs=(ASSESSED,)),
    "intervene": Gate("intervention", needs=(PLANNED,)),  # an activity serves an open goal
    "monitor": Gate("monitoring", needs=(WORKED_ON,), closed="stays"),  # after the close: a follow-up contact
    "evaluate": Gate(DECISION_NEXT_PHASE, needs=(PLANNED, WORKED_ON)),  # the decision says where the cycle goes
    # Unplanned endings may come at any step; a planned one (goals met) only after deciding to terminate.
    "terminate": Gate("termination", needs_by_choice={reason: (DECIDED_TO_END,) for reason in PLANNED_REASONS}),
    "reopen": Gate("assessment", closed="only"),  # the next cycle; never for a client who died
}


def next_phase(step: str, state: CaseState, choice: str | None = None, small_edit: bool = False) -> str:
    """The phase recording `step` moves this case to (`choice`: evaluate's decision, terminate's reason); raises
    StepRefused, naming what to do first, while the step's gate is shut. A `small_edit` (a risk level or a need
    without ratings, a goal's target, weight, wording or levels, a goal dropped) recorded once the case is past
    the step's phase leaves it where it is: it does not rewind the cycle."""
    check_gate(step, state, choice)
    gate = GATES[step]
    if state.closed and gate.closed == "stays":
        return state.phase
    phase = gate.moves_to if isinstance(gate.moves_to, str) else gate.moves_to[str(choice)]
    phases = vocabularies.PHASE.values  # in the order of the cycle
    if small_edit and phases.index(state.phase) > phases.index(phase):
        return state.phase
    return phase


def refusal(step: str, state: CaseState, choice: str | None = None) -> str | None:
    """Why the cycle refuses `step` for this case now, or None (without `choice`: None when some choice is allowed,
    which is how the guided prompts grey out a case before anything is chosen)."""
    try:
        check_gate(step, state, choice)
    except StepRefused as error:
        return error.message
    return None


def check_gate(step: str, state: CaseState, choice: str | None = None) -> None:
    """Raise StepRefused when `step` may not be recorded for this case now (without `choice`: checking only what
    every choice needs)."""
    gate = GATES[step]
    if gate.closed == "only":
        _require_reopenable(state)
    elif state.closed and gate.closed == "refused":
        raise StepRefused(
            _(
                "case {case} is closed: only `monitor` (follow-up) and `reopen` apply; "
                "run `lingkaran reopen {case} --reason TEXT` to start a new cycle"
            ).format(case=state.case_id)
        )
    elif state.closed:
        return
    for need in (*gate.needs, *gate.needs_by_choice.get(choice or "", ())):
        if not need.met(state):
            raise StepRefused(
                _("case {case} needs {step} first: run `lingkaran {command}`").format(
                    case=state.case_id,
                    step=vocabularies.PHASE.label(need.step),
                    command=need.command.format(case=state.case_id),
                )
            )


def _require_reopenable(state: CaseState) -> None:
    """Only a closed case can be reopened, and never one whose client has died."""
    if not state.closed:
        raise StepRefused(_("case {case} is still open; there is nothing to reopen").format(case=state.case_id))
    if state.close_reason == "died":
        raise StepRefused(
            _("case {case} was closed because the client died; it cannot be reopened").format(case=state.case_id)
        )


def is_catch_up(entry_on: str, latest_step_on: str | None) -> bool:
    """An entry dated before the cycle's latest step is catch-up from paper notes: recorded as history, it never
    moves back what the later work set (the step, the last contact, the planned follow-up)."""
    return latest_step_on is not None and entry_on < latest_step_on


def step_after_entry(current: str, proposed: str, entry_on: str, latest_step_on: str | None) -> str:
    """Where the case stands after an entry: a catch-up entry leaves the step where the later work put it."""
    return current if is_catch_up(entry_on, latest_step_on) else proposed


def follow_up_after_entry(
    stored: str | None, given: str | None, entry_on: str, latest_step_on: str | None
) -> str | None:
    """The case's follow-up after a monitoring entry: the one given, else the stored one while still ahead of
    the contact (a contact on or after the date does the follow-up). A catch-up entry never replaces one still
    due: the later work planned the current one. It may still complete it, as that contact did happen after it.
    When none is due, a catch-up's follow-up dated after the latest step is set: nothing recorded planned
    another or has come on or after it, and dropping it would leave the client with no follow-up at all."""
    still_due = stored if stored and stored > entry_on else None
    if given and not is_catch_up(entry_on, latest_step_on):
        return given
    if given and still_due is None and latest_step_on and given > latest_step_on:
        return given
    return still_due


def later_contact(stored: str | None, entry_on: str) -> str:
    """A case's last contact after an entry: the later of the stored date and the entry's own."""
    return max(stored or entry_on, entry_on)


def next_commands(state: CaseState) -> list[str]:
    """The commands that move this case on from where it stands, most likely first."""
    case = state.case_id
    if state.closed:
        follow_up = [f"monitor {case} --note TEXT"]
        return follow_up if state.close_reason == "died" else [*follow_up, f"reopen {case} --reason TEXT"]
    by_phase = {
        "engagement": [f"assess {case} --domain NAME=1..5"],
        "assessment": (
            [f"assess {case} --domain NAME=1..5", f"plan {case} --goal TEXT"]
            if state.reassessment_due
            else [f"plan {case} --goal TEXT"]
            if state.assessments
            else [f"assess {case} --domain NAME=1..5"]
        ),
        "planning": [f"intervene {case} --activity KIND --note TEXT"],
        "intervention": [
            f"intervene {case} --activity KIND --note TEXT",
            f"monitor {case} --note TEXT",
            f"evaluate {case} --score N=LEVEL --decision DECISION",
        ],
        "monitoring": [
            f"intervene {case} --activity KIND --note TEXT",
            f"evaluate {case} --score N=LEVEL --decision DECISION",
        ],
        "evaluation": [f"terminate {case} --reason goals-met --summary TEXT"],
    }
    return by_phase[state.phase]


# Which ring step each kind of event marks as reached; reopen re-engages the client.
STEP_OF_EVENT = {
    "open": "engagement",
    "reopen": "engagement",
    "assess": "assessment",
    "plan": "planning",
    "intervene": "intervention",
    "monitor": "monitoring",
    "evaluate": "evaluation",
    "terminate": "termination",
}


def reached_on(step_dates: dict[str, str]) -> dict[str, str]:
    """Turn the latest date of each kind of event into the latest date each phase was reached."""
    reached: dict[str, str] = {}
    for kind, date in step_dates.items():
        phase = STEP_OF_EVENT.get(kind)
        if phase and date and date > reached.get(phase, ""):
            reached[phase] = date
    return reached


def ring_position(phase: str) -> str:
    """The ring step a phase is drawn at: monitoring sits on the loop after intervention."""
    return "intervention" if phase == "monitoring" else phase
