"""The intervention cycle: its steps, their order and the gates between them. Pure: no I/O.

engagement → assessment → planning → intervention → (monitoring) → evaluation → termination.
Evaluation loops back to assessment or planning; `reopen` starts the next cycle at assessment.
"""

from dataclasses import dataclass

from lingkaran.errors import StepRefused
from lingkaran.messages import N_, _
from lingkaran.values import choose

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
LEVEL_LABELS = {
    "mikro": N_("mikro: an individual"),
    "mezzo": N_("mezzo: a family or group"),
    "makro": N_("makro: a community"),
}

ACTIVITY_KINDS = (
    "home-visit", "counselling", "phone-call", "group-session", "referral", "advocacy", "case-conference", "other",
    "intake", "assessment-session",
)
ACTIVITY_LABELS = {
    "intake": N_("intake"),
    "assessment-session": N_("assessment-session"),
    "home-visit": N_("home-visit"),
    "counselling": N_("counselling"),
    "phone-call": N_("phone-call"),
    "group-session": N_("group-session"),
    "referral": N_("referral"),
    "advocacy": N_("advocacy"),
    "case-conference": N_("case-conference"),
    "other": N_("other"),
}

RISK_LEVELS = ("low", "medium", "high")
RISK_LABELS = {"low": N_("low"), "medium": N_("medium"), "high": N_("high")}
DECISIONS = ("terminate", "continue", "replan", "reassess")
DECISION_LABELS = {
    "terminate": N_("terminate"),
    "continue": N_("continue"),
    "replan": N_("replan"),
    "reassess": N_("reassess"),
}
DECISION_NEXT_PHASE = {
    "terminate": "evaluation",
    "continue": "intervention",
    "replan": "planning",
    "reassess": "assessment",
}
# The termination reasons of practice (alasan terminasi), in the order practice lists them, then `other`.
TERMINATION_REASONS = ("goals-met", "service-ended", "referred", "transferred", "withdrew", "moved", "died", "other")
REASON_LABELS = {
    "goals-met": N_("goals-met"),
    "service-ended": N_("service-ended"),
    "referred": N_("referred"),
    "transferred": N_("transferred"),
    "withdrew": N_("withdrew"),
    "moved": N_("moved"),
    "died": N_("died"),
    "other": N_("other"),
}
PLANNED_REASONS = frozenset({"goals-met"})
STATUS_LABELS = {
    "active": N_("active"),
    "closed": N_("closed"),
    "open": N_("open"),
    "dropped": N_("dropped"),
}

# Words typed for a value, besides the value itself: English spellings and the practice's Indonesian terms.
# Stored values stay English (mikro/mezzo/makro for levels); every Indonesian label is among them (a test checks
# it), so what `--lang id` shows can be typed back. Documented in docs/language.md and docs/id/panduan.md.
LEVEL_ALIASES = {"micro": "mikro", "meso": "mezzo", "macro": "makro", "messo": "mezzo"}
ACTIVITY_ALIASES = {
    "counseling": "counselling", "kunjungan-rumah": "home-visit", "kunjungan": "home-visit",
    "konseling": "counselling", "telepon": "phone-call", "sesi-kelompok": "group-session",
    "rujukan": "referral", "advokasi": "advocacy", "konferensi-kasus": "case-conference", "lainnya": "other",
    "pendekatan-awal": "intake", "penerimaan": "intake", "sesi-asesmen": "assessment-session",
    "asesmen-psikologis": "assessment-session", "wawancara-asesmen": "assessment-session",
}
RISK_ALIASES = {"rendah": "low", "sedang": "medium", "tinggi": "high"}
DECISION_ALIASES = {
    "terminasi": "terminate", "lanjut": "continue", "lanjutkan": "continue", "lanjutkan-intervensi": "continue",
    "rencana-ulang": "replan", "susun-ulang-rencana": "replan", "asesmen-ulang": "reassess",
}
REASON_ALIASES = {
    "tujuan-tercapai": "goals-met", "tercapai": "goals-met", "masa-layanan-berakhir": "service-ended",
    "layanan-berakhir": "service-ended", "masa-layanan-habis": "service-ended", "dirujuk": "referred",
    "dialihkan": "transferred",
    "dialihkan-ke-pekerja-sosial-lain": "transferred", "mengundurkan-diri": "withdrew",
    "klien-mengundurkan-diri": "withdrew", "putus-layanan": "withdrew", "pindah": "moved", "pindah-domisili": "moved",
    "meninggal": "died", "meninggal-dunia": "died", "lainnya": "other",
}
PHASE_ALIASES = {
    "asesmen": "assessment", "rencana": "planning", "perencanaan": "planning", "intervensi": "intervention",
    "pemantauan": "monitoring", "evaluasi": "evaluation", "terminasi": "termination",
}


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


def normalize_level(value: str) -> str:
    """Accept mikro/mezzo/makro and the English micro/meso/macro; refuse anything else."""
    return choose(value, LEVELS, LEVEL_ALIASES, "--level")


def normalize_activity(value: str) -> str:
    """Accept a known activity kind (counseling as counselling, kunjungan-rumah as home-visit, ...)."""
    return choose(value, ACTIVITY_KINDS, ACTIVITY_ALIASES, "--activity")


def normalize_risk(value: str) -> str:
    """Accept low, medium or high (rendah, sedang, tinggi)."""
    return choose(value, RISK_LEVELS, RISK_ALIASES, "--risk")


def normalize_decision(value: str) -> str:
    """Accept one of the evaluation decisions (or its Indonesian word)."""
    return choose(value, DECISIONS, DECISION_ALIASES, "--decision")


def normalize_reason(value: str) -> str:
    """Accept one of the termination reasons (or its Indonesian words: pindah, dirujuk, ...)."""
    return choose(value, TERMINATION_REASONS, REASON_ALIASES, "--reason")


def normalize_phase(value: str, flag: str = "--phase") -> str:
    """Accept a step of the cycle by its name (or its Indonesian name: asesmen, rencana, ...)."""
    return choose(value, PHASES, PHASE_ALIASES, flag)


def label(labels: dict[str, str], value: str | None) -> str:
    """A stored value's word in the interface language (the value itself when it has no label)."""
    if value is None:
        return ""
    return _(labels[value]) if value in labels else value


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


def _kept_or(state: CaseState, step: str, small_edit: bool) -> str:
    """A small edit (a risk level, a target date) once the case is past `step` leaves it where it is; anything
    else takes the case to `step`."""
    past = PHASES.index(state.phase) > PHASES.index(step)
    return state.phase if small_edit and past else step


def after_assess(state: CaseState, small_edit: bool = False) -> str:
    """Assessment (or re-assessment) is allowed at any active step; the case returns to assessment, unless
    `small_edit` (no domain rated: a risk level, a need, a summary) is recorded after it."""
    _require_active(state)
    return _kept_or(state, "assessment", small_edit)


def after_plan(state: CaseState, small_edit: bool = False) -> str:
    """Planning needs an assessment in this cycle; new goals take the case to planning, a `small_edit` of the
    goals it has (a target, a weight, a wording, GAS levels, a goal dropped) leaves a case past planning there."""
    _require_active(state)
    if state.assessments == 0:
        raise _refuse(state, "assessment", "assess {case} --domain NAME=1..5")
    return _kept_or(state, "planning", small_edit)


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
    """Unplanned endings may come at any step; a planned one (goals met) needs an evaluation that decided to
    terminate (the case waits at evaluation only after `--decision terminate`)."""
    _require_active(state)
    if reason in PLANNED_REASONS and (state.evaluations == 0 or state.phase != "evaluation"):
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


def is_catch_up(entry_on: str, latest_step_on: str | None) -> bool:
    """An entry dated before the cycle's latest step is catch-up from paper notes: recorded as history, it never
    moves back what the later work set (the step, the last contact, the planned follow-up)."""
    return bool(latest_step_on) and entry_on < latest_step_on


def step_after_entry(current: str, proposed: str, entry_on: str, latest_step_on: str | None) -> str:
    """Where the case stands after an entry: a catch-up entry leaves the step where the later work put it."""
    return current if is_catch_up(entry_on, latest_step_on) else proposed


def follow_up_after_entry(stored: str | None, given: str | None, entry_on: str, latest_step_on: str | None
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
        "assessment": ([f"assess {case} --domain NAME=1..5", f"plan {case} --goal TEXT"] if state.reassessment_due
                       else [f"plan {case} --goal TEXT"] if state.assessments
                       else [f"assess {case} --domain NAME=1..5"]),
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
