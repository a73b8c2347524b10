"""A step missing values: at a terminal, guide the worker through it; otherwise name the missing flags at once.

Light on purpose: questionary and prompt_toolkit are imported (by lingkaran.prompts) only when a prompt is
really shown, so scripts and `--json` runs never load them.
"""

from typing import Any

from lingkaran.cli.session import Session

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
}
# Steps whose flags are each optional but not all at once: given none of them, a terminal guides the worker.
ANY_OF = {
    "assess": ("domain", "strength", "need", "risk", "summary"),
    "plan": ("goal", "weight", "target", "gas", "revise", "drop"),
}


def _empty(value: object) -> bool:
    return value is None or value == "" or value == []


def guided(run: Session, step: str, **given: Any) -> tuple:
    """The step's values in the order given, completed at the prompt when some are missing and we may ask."""
    required = {flag: given[name] for name, flag in NEEDS[step].items()}
    missing = any(_empty(value) for value in required.values())
    nothing = step in ANY_OF and all(_empty(given.get(name)) for name in ANY_OF[step])
    if missing or nothing:
        if run.interactive():
            from lingkaran import prompts

            given = prompts.guide(run, step, given)
        else:
            run.require(required)
    return tuple(given.values())
