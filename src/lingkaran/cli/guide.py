"""A step (or a daily command: note, amend, refer, ecomap add, team add, member add) missing values: at a terminal,
guide the worker through it; otherwise name the missing flags at once.

Light on purpose: questionary and prompt_toolkit are imported (by lingkaran.prompts.flow) only when a prompt is
really shown, so scripts and `--json` runs never load them.
"""

from typing import TYPE_CHECKING, TypeVar

from lingkaran.cli.session import Session
from lingkaran.domain.parse import missing

if TYPE_CHECKING:  # loaded only when a prompt is shown: nine dataclasses cost every run milliseconds to build
    from lingkaran.prompts.answers import StepAnswers

Answers = TypeVar("Answers", bound="StepAnswers")

# The values each step cannot do without, by parameter name, with the flag that gives each.
NEEDS = {
    "open": {"client": "CLIENT", "level": "--level", "problem": "--problem"},
    "assess": {"case": "CASE"},
    "plan": {"case": "CASE"},
    "intervene": {"case": "CASE", "activity": "--activity", "note": "--note"},
    "monitor": {"case": "CASE", "note": "--note"},
    "evaluate": {"case": "CASE", "score": "--score", "decision": "--decision"},
    "terminate": {"case": "CASE", "reason": "--reason", "summary": "--summary"},
    "reopen": {"case": "CASE", "reason": "--reason"},
    "note": {"case": "CASE", "text": "TEXT"},
    "amend": {"event": "EVENT_UUID", "text": "--note", "reason": "--reason"},
    "refer": {"case": "CASE", "to": "--to", "service": "--service"},
    "ecomap_add": {"case": "CASE", "system": "SYSTEM", "tie": "--tie"},
    "team_add": {"case": "CASE", "name": "NAME", "role": "--role"},
    "member_add": {"case": "CASE", "name": "NAME", "role": "--role"},
}
# Steps whose flags are each optional but not all at once: given none of them, a terminal guides the worker.
ANY_OF = {
    "assess": ("domain", "strength", "need", "risk", "summary", "problem"),
    "plan": ("goal", "weight", "target", "gas", "revise", "drop"),
}


def case_or_chosen(run: Session, case: str | None, command: str) -> str:
    """The case given, or at a terminal one picked from the caseload; otherwise CASE is named as missing."""
    if not missing(case):
        return case
    if not run.interactive():
        run.require({"CASE": case})
    from lingkaran.prompts import flow

    return flow.pick_case(run, command)


def guided(run: Session, given: Answers) -> Answers:
    """The step's answers as given, completed at the prompt when some are missing and we may ask."""
    step, values = given.step, vars(given)
    # Beyond the case, something the step needs is missing: the worker is guided through the whole step.
    whole_step = any(missing(values[name]) for name in NEEDS[step] if name != "case") or (
        step in ANY_OF and all(missing(values[name]) for name in ANY_OF[step])
    )
    if whole_step or ("case" in values and missing(values["case"])):
        if run.interactive():
            from lingkaran.prompts import flow

            return flow.guide(run, given, whole_step)
        run.require({flag: values[name] for name, flag in NEEDS[step].items()})
    return given
