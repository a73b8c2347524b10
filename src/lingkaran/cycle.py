"""The intervention cycle: its steps, their order and the gates between them. Pure: no I/O.

engagement → assessment → planning → intervention → (monitoring) → evaluation → termination.
Evaluation loops back to assessment or planning; `reopen` starts the next cycle at assessment.
"""

from dataclasses import dataclass

from lingkaran.errors import InvalidInput, StepRefused
from lingkaran.messages import N_, _

PHASES = ("engagement", "assessment", "planning", "intervention", "monitoring", "evaluation", "termination")
# The six steps drawn around the ring; monitoring is the loop between intervention and evaluation.
RING = ("engagement", "assessment", "planning", "intervention", "evaluation", "termination")

PHASE_LABELS = {
    "engagement": N_("Engagement"),
    "assessment": N_("Assessment"),
    "planning": N_("Planning"),
    "intervention": N_("Intervention"),
    "monitoring": N_("Monitoring"),
    "evaluation": N_("Evaluation"),
    "termination": N_("Termination"),
}

LEVELS = ("mikro", "mezzo", "makro")
LEVEL_ALIASES = {"micro": "mikro", "meso": "mezzo", "macro": "makro"}
LEVEL_LABELS = {
    "mikro": N_("mikro: an individual"),
    "mezzo": N_("mezzo: a family or group"),
    "makro": N_("makro: a community"),
}

ACTIVITY_KINDS = (
    "home-visit", "counselling", "phone-call", "group-session", "referral", "advocacy", "case-conference", "other",
)
ACTIVITY_ALIASES = {"counseling": "counselling", "home_visit": "home-visit"}

RISK_LEVELS = ("low", "medium", "high")
DECISIONS = ("terminate", "continue", "replan", "reassess")
DECISION_NEXT_PHASE = {
    "terminate": "evaluation",
    "continue": "intervention",
    "replan": "planning",
    "reassess": "assessment",
}
TERMINATION_REASONS = ("goals-met", "referred", "transferred", "withdrew", "moved", "died", "other")
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

    @property
    def closed(self) -> bool:
        return self.status == "closed"


def normalize_level(value: str) -> str:
    """Accept mikro/mezzo/makro and the English micro/meso/macro; refuse anything else."""
    return _choice(value, LEVELS, LEVEL_ALIASES, "--level")


def normalize_activity(value: str) -> str:
    """Accept a known activity kind (counseling as counselling)."""
    return _choice(value, ACTIVITY_KINDS, ACTIVITY_ALIASES, "--activity")


def normalize_risk(value: str) -> str:
    """Accept low, medium or high."""
    return _choice(value, RISK_LEVELS, {}, "--risk")


def normalize_decision(value: str) -> str:
    """Accept one of the evaluation decisions."""
    return _choice(value, DECISIONS, {}, "--decision")


def normalize_reason(value: str) -> str:
    """Accept one of the termination reasons."""
    return _choice(value, TERMINATION_REASONS, {"goals_met": "goals-met"}, "--reason")


def _choice(value: str, valid: tuple[str, ...], aliases: dict[str, str], flag: str) -> str:
    key = value.strip().lower()
    key = aliases.get(key, key)
    if key not in valid:
        raise InvalidInput(
            _("{flag} {value!r} is not valid; use one of: {valid}").format(
                flag=flag, value=value, valid=", ".join(valid)
            )
        )
    return key


def phase_label(phase: str) -> str:
    """The phase's name in the interface language."""
    return _(PHASE_LABELS[phase])


def _refuse(state: CaseState, needed: str, command: str) -> StepRefused:
    return StepRefused(
        _("case {case} needs {step} first: run `lingkaran {command}`").format(
            case=state.case_id, step=phase_label(needed), command=command.format(case=state.case_id)
        )
    )


def _require_active(state: CaseState) -> None:
    if state.closed:
        raise StepRefused(
            _("case {case} is closed: only `monitor` (follow-up) and `reopen` apply; "
              "run `lingkaran reopen {case} --reason TEXT` to start a new cycle").format(case=state.case_id)
        )


def after_assess(state: CaseState) -> str:
    """Assessment (or re-assessment) is allowed at any active step; the case returns to assessment."""
    _require_active(state)
    return "assessment"


def after_plan(state: CaseState) -> str:
    """Planning needs an assessment in this cycle."""
    _require_active(state)
    if state.assessments == 0:
        raise _refuse(state, "assessment", "assess {case} --domain NAME=1..5")
    return "planning"


def after_intervene(state: CaseState) -> str:
    """An activity needs at least one open goal to serve."""
    _require_active(state)
    if state.open_goals == 0:
        raise _refuse(state, "planning", "plan {case} --goal TEXT")
    return "intervention"


def after_monitor(state: CaseState) -> str:
    """Monitoring needs intervention under way; on a closed case it is a follow-up and changes no step."""
    if state.closed:
        return state.phase
    if state.interventions == 0:
        raise _refuse(state, "intervention", "intervene {case} --activity KIND --note TEXT")
    return "monitoring"


def after_evaluate(state: CaseState, decision: str) -> str:
    """Evaluation needs a goal and an intervention; the decision says where the cycle goes next."""
    _require_active(state)
    if state.open_goals == 0:
        raise _refuse(state, "planning", "plan {case} --goal TEXT")
    if state.interventions == 0:
        raise _refuse(state, "intervention", "intervene {case} --activity KIND --note TEXT")
    return DECISION_NEXT_PHASE[decision]


def after_terminate(state: CaseState, reason: str) -> str:
    """Unplanned endings may come at any step; a planned one (goals met) needs an evaluation first."""
    _require_active(state)
    if reason in PLANNED_REASONS and state.evaluations == 0:
        raise _refuse(state, "evaluation", "evaluate {case} --score N=LEVEL --decision terminate")
    return "termination"


def after_reopen(state: CaseState) -> str:
    """Only a closed case can be reopened, and never one whose client has died."""
    if not state.closed:
        raise StepRefused(_("case {case} is still open; there is nothing to reopen").format(case=state.case_id))
    if state.close_reason == "died":
        raise StepRefused(_("case {case} was closed because the client died; it cannot be reopened").format(
            case=state.case_id))
    return "assessment"


def next_commands(state: CaseState) -> list[str]:
    """The commands that move this case on from where it stands, most likely first."""
    case = state.case_id
    if state.closed:
        return [f"monitor {case} --note TEXT", f"reopen {case} --reason TEXT"]
    by_phase = {
        "engagement": [f"assess {case} --domain NAME=1..5"],
        "assessment": [f"plan {case} --goal TEXT"],
        "planning": [f"intervene {case} --activity KIND --note TEXT"],
        "intervention": [f"intervene {case} --activity KIND --note TEXT", f"monitor {case} --note TEXT",
                         f"evaluate {case} --score N=LEVEL --decision DECISION"],
        "monitoring": [f"intervene {case} --activity KIND --note TEXT",
                       f"evaluate {case} --score N=LEVEL --decision DECISION"],
        "evaluation": [f"terminate {case} --reason goals-met --summary TEXT"],
    }
    return by_phase[state.phase]


# Which ring step each kind of event marks as reached; reopen re-engages the client.
STEP_OF_EVENT = {
    "open": "engagement", "reopen": "engagement", "assess": "assessment", "plan": "planning",
    "intervene": "intervention", "monitor": "monitoring", "evaluate": "evaluation", "terminate": "termination",
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
