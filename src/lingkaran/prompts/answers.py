"""What a step's flags and its guided prompts give the command: one dataclass per step, read by field name.

A command builds its step's answers from its parameters by keyword, `cli.guide.guided` completes them at the
prompt when some are missing (`prompts.flow.guide`), and the command reads `answers.goal`, never a position in a
tuple: reordering a keyword cannot swap two values silently, and a misspelt one fails at once. The field order is
the order the guided summary lists the answers in. Light on purpose (no questionary): every step command loads it.
"""

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class StepAnswers:
    """The values of one step, in the form its flags take them (None: not given)."""

    step: ClassVar[str]


@dataclass(frozen=True)
class OpenAnswers(StepAnswers):
    step = "open"
    client: str | None
    level: str | None
    problem: str | None
    source: str | None
    consent: bool | None
    consent_scope: str | None
    worker: str | None
    date: str


@dataclass(frozen=True)
class AssessAnswers(StepAnswers):
    step = "assess"
    case: str | None
    domain: list[str] | None
    strength: list[str] | None
    need: list[str] | None
    risk: str | None
    summary: str | None
    problem: str | None
    member: str | None
    date: str


@dataclass(frozen=True)
class PlanAnswers(StepAnswers):
    step = "plan"
    case: str | None
    goal: list[str] | None
    weight: list[str] | None
    target: list[str] | None
    gas: list[str] | None
    revise: list[str] | None
    drop: list[int] | None
    date: str


@dataclass(frozen=True)
class InterveneAnswers(StepAnswers):
    step = "intervene"
    case: str | None
    activity: str | None
    goal: list[int] | None
    minutes: int | None
    by: list[str] | str | None  # several people on a joint visit
    member: str | None
    note: str | None
    date: str


@dataclass(frozen=True)
class MonitorAnswers(StepAnswers):
    step = "monitor"
    case: str | None
    progress: list[str] | None
    note: str | None
    follow_up: str | None
    date: str


@dataclass(frozen=True)
class EvaluateAnswers(StepAnswers):
    step = "evaluate"
    case: str | None
    score: list[str] | None
    decision: str | None
    note: str | None
    date: str


@dataclass(frozen=True)
class TerminateAnswers(StepAnswers):
    step = "terminate"
    case: str | None
    reason: str | None
    summary: str | None
    follow_up: str | None
    destination: str | None
    date: str


@dataclass(frozen=True)
class ReopenAnswers(StepAnswers):
    step = "reopen"
    case: str | None
    reason: str | None
    date: str


# The daily commands: the same prompt layer completes them at a terminal (docs/guided-session.md).


@dataclass(frozen=True)
class NoteAnswers(StepAnswers):
    step = "note"
    case: str | None
    text: str | None
    date: str


@dataclass(frozen=True)
class AmendAnswers(StepAnswers):
    step = "amend"
    event: str | None
    field: str | None  # "client" with --client: the name on the event that opened the case
    text: str | None
    reason: str | None


@dataclass(frozen=True)
class ReferAnswers(StepAnswers):
    step = "refer"
    case: str | None
    to: str | None
    service: str | None
    contact: str | None
    due: str | None
    force: bool
    reason: str | None
    date: str


@dataclass(frozen=True)
class EcomapAddAnswers(StepAnswers):
    step = "ecomap_add"
    case: str | None
    system: str | None
    kind: str | None
    tie: str | None
    flow: str | None
    note: str | None
    date: str


@dataclass(frozen=True)
class TeamAddAnswers(StepAnswers):
    step = "team_add"
    case: str | None
    name: str | None
    role: str | None
    agency: str | None
    contact: str | None
    date: str


@dataclass(frozen=True)
class MemberAddAnswers(StepAnswers):
    step = "member_add"
    case: str | None
    name: str | None
    role: str | None
    relation: str | None
    note: str | None
    date: str
