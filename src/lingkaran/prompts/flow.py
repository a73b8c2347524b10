"""Guided prompts: questionary questions that complete a step's values. Imported only when really prompting.

`guide` picks the case (when it was left out), refuses a step the cycle does not allow before asking anything,
runs the step's questions (steps.py), shows a summary and asks to save. Answers come back in the same
form the flags take, and every answer is checked by the same parser that checks the flag, so a wrong answer is
asked again with that parser's reason. Ctrl-C or Esc at any question raises Interrupted: nothing is written (Ctrl-D
accepts the answer as it stands, as Enter does).
"""

import sqlite3
import sys
from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

import questionary

from lingkaran.domain import cycle, vocabularies
from lingkaran.domain import parse as values
from lingkaran.domain.parse import missing
from lingkaran.errors import Interrupted, NoSuchCase, StepRefused
from lingkaran.messages import N_, _
from lingkaran.prompts import steps
from lingkaran.prompts.answers import StepAnswers
from lingkaran.prompts.asker import Asker, Flow
from lingkaran.render.plain import client_name, printable
from lingkaran.store import drafts, records

Answers = TypeVar("Answers", bound=StepAnswers)


def choose_case(
    ask: Asker, conn: sqlite3.Connection, step: str, refusal: Callable[[dict], str | None] | None = None
) -> str:
    """A select of the cases this step (or read or daily command) applies to (id, client, current step); others
    are shown disabled, with `refusal`'s reason (a cycle step: its gate). Reading (`show`, `log`) and the daily
    commands apply to every case, closed ones too."""
    reading = step not in cycle.GATES
    if refusal is None and not reading:
        refusal = lambda case: cycle.refusal(step, records.case_state(conn, case))  # noqa: E731
    cases = records.list_cases(conn, include_closed=reading or step in ("monitor", "reopen"), phase=None, level=None)
    if not cases and (reading or not records.list_cases(conn, include_closed=True, phase=None, level=None)):
        # An empty caseload (a first day): say how to begin, not that no case "can take this step".
        raise NoSuchCase(_("No cases. Open one with: lingkaran open CLIENT --level mikro --problem TEXT"))
    choices = []
    for case in cases:
        if step == "reopen" and case["status"] != "closed":
            continue
        where = vocabularies.PHASE.label(case["phase"]) if case["status"] == "active" else _("closed")
        title = f"{case['id']:>4}  {printable(client_name(case))}  ({where})"
        choices.append(questionary.Choice(title, value=str(case["id"]), disabled=refusal and refusal(case)))
    if not any(choice.disabled is None for choice in choices):
        raise StepRefused(_("no case can take this step now; `lingkaran list` shows where each case stands"))
    return ask.select(_("Which case?"), choices)


def choose_event(ask: Asker, conn: sqlite3.Connection, field: str | None) -> str:
    """`amend` without an event: the case, then which of its entries to correct (date, kind, how it reads now)."""
    from lingkaran.casework import notes
    from lingkaran.render.plain import CORRECTED_LABELS

    case = records.find_case(conn, choose_case(ask, conn, "amend"))
    entries = notes.amendable_events(conn, case["id"], field)
    if not entries:
        raise NoSuchCase(_("case {id} has no entry to correct yet").format(id=case["id"]))
    choices = []
    for entry in entries:
        what = _(CORRECTED_LABELS["client" if field else entry["kind"]])
        words = " ".join(printable(entry["text"]).split())
        words = words if len(words) <= 50 else words[:49] + "…"
        choices.append(questionary.Choice(f"{entry['occurred_on']}  {what}: {words}", value=entry["uuid"]))
    return ask.select(_("Which entry to correct?"), choices, default=entries[-1]["uuid"])


LABELS = {
    "case": N_("Case"),
    "client": N_("Client"),
    "level": N_("Level"),
    "problem": N_("Presenting problem"),
    "source": N_("Referred by"),
    "consent": N_("Informed consent"),
    "worker": N_("Social worker"),
    "date": N_("Date"),
    "domain": N_("Domain ratings"),
    "strength": N_("Strengths"),
    "need": N_("Needs"),
    "risk": N_("Risk"),
    "summary": N_("Summary"),
    "drop": N_("Goals dropped"),
    "goal": N_("New goals"),
    "gas": N_("GAS levels"),
    "weight": N_("Weights"),
    "target": N_("Target dates"),
    "revise": N_("Reworded"),
    "activity": N_("Activity"),
    "minutes": N_("Minutes"),
    "by": N_("Carried out by"),
    "member": N_("Concerns"),
    "progress": N_("Progress"),
    "score": N_("Attained levels"),
    "decision": N_("Decision"),
    "reason": N_("Reason"),
    "follow_up": N_("Next follow-up"),
    "destination": N_("Where the client goes"),
    "note": N_("Note"),
    "text": N_("Note"),
    "event": N_("Entry corrected"),
    "to": N_("Referred to"),
    "service": N_("Service asked for"),
    "contact": N_("Contact person"),
    "due": N_("Answer due"),
    "system": N_("System"),
    "kind": N_("Kind"),
    "tie": N_("Tie"),
    "flow": N_("Flow"),
    "name": N_("Name"),
    "role": N_("Role"),
    "relation": N_("Relation to the client"),
    "agency": N_("Agency"),
}


# Where one flag name means something else in a step.
STEP_LABELS = {
    ("intervene", "goal"): N_("Goals served"),
    ("evaluate", "note"): N_("Evaluation"),
    ("reopen", "reason"): N_("Why reopened"),
    ("amend", "text"): N_("Corrected text"),
    ("amend", "reason"): N_("Why corrected"),
    ("refer", "reason"): N_("Why without consent"),
    ("ecomap_add", "note"): N_("About the tie"),
}


# Answers that are stored values (English keys), shown by their vocabulary's label in the interface language
# (reopen's reason is free text); domain ratings by the domain's name.
VOCABULARIES = {
    "level": vocabularies.LEVEL,
    "activity": vocabularies.ACTIVITY,
    "risk": vocabularies.RISK,
    "decision": vocabularies.DECISION,
    "reason": vocabularies.REASON,
    "kind": vocabularies.ECOMAP_KIND,
    "tie": vocabularies.TIE,
    "flow": vocabularies.FLOW,
}
# Where a flag name holds a vocabulary's value in one step only, or free text where it elsewhere holds a value.
STEP_VOCABULARIES = {
    ("team_add", "role"): vocabularies.TEAM_ROLE,
    ("reopen", "reason"): None,
    ("amend", "reason"): None,
    ("refer", "reason"): None,
}


def vocabulary_of(step: str, name: str) -> vocabularies.Vocabulary | None:
    """The vocabulary an answer's value belongs to in this step (None: the answer is free text)."""
    return STEP_VOCABULARIES.get((step, name), VOCABULARIES.get(name))


def value_label(name: str, value: str, step: str = "") -> str:
    """A stored value's word: `housing=2` as "Perumahan 2", `home-visit` as "kunjungan rumah"."""
    if name == "domain":
        from lingkaran.domain.assessment_domains import domain_label

        domain, _sep, score = str(value).partition("=")
        return f"{domain_label(domain.strip())} {score.strip()}".strip()
    vocabulary = vocabulary_of(step, name)
    return vocabulary.label(value) if vocabulary else value


def summary_lines(flow: Flow) -> list[str]:
    """What will be written, one line per answer (a long text shortened; lists in full)."""
    lines = []
    for name, value in flow.answers.items():
        if missing(value) or name not in LABELS:
            continue
        if name == "date":
            value = values.parse_date(value, flow.today).isoformat()
        elif name == "case" and flow.case:
            value = "{id} {client}".format(id=flow.case["id"], client=printable(client_name(flow.case)))
        elif name == "event":
            value = str(value)[:8]
        elif vocabulary_of(flow.step, name) or name == "domain":
            items = value if isinstance(value, list) else [value]
            value = "; ".join(value_label(name, item, flow.step) for item in items)
        elif isinstance(value, bool):
            value = _("yes") if value else _("no")
        elif isinstance(value, list):
            value = "; ".join(str(item) for item in value)
        elif len(text := " ".join(str(value).split())) > 100:
            value = text[:99] + "…"
        label = STEP_LABELS.get((flow.step, name)) or LABELS[name]
        lines.append("  {label}: {value}".format(label=_(label), value=" ".join(str(value).split())))
    return lines + [f"  {label}: {text}" for label, text in flow.shown]


def _terminal() -> Asker:
    """Questions go to the terminal: stdout, or stderr when stdout is piped (`id=$(lingkaran open)`)."""
    if sys.stdout.isatty() or not sys.stderr.isatty():
        return Asker()
    from prompt_toolkit.output import create_output

    return Asker(output=create_output(stdout=sys.stderr))


def pick_case(run, command: str, ask: Asker | None = None) -> str:
    """The case a read command (`show`, `log`) was run without, picked from the caseload at the terminal."""
    return choose_case(ask or _terminal(), run.conn(), command)


def guide(run, given: Answers, whole_step: bool, ask: Asker | None = None) -> Answers:
    """Ask for what the step is missing (only the case unless `whole_step`), confirm, return the answers."""
    ask = ask or _terminal()
    step, answers = given.step, dict(vars(given))
    flow = Flow(ask, step, run.today(), answers, whole_step)
    if "case" in answers:
        flow.conn = run.conn()
        if not answers["case"]:
            refusal = (lambda case: steps.refer_refusal(case, answers["force"])) if step == "refer" else None
            answers["case"] = choose_case(ask, flow.conn, step, refusal)
        flow.case = records.find_case(flow.conn, answers["case"])
        flow.state = records.case_state(flow.conn, flow.case)
        if step in cycle.GATES:
            cycle.check_gate(step, flow.state)
    elif "event" in answers:  # amend: the entry corrected, and its case
        from lingkaran.store import corrections

        flow.conn = run.conn()
        if not answers["event"]:
            answers["event"] = choose_event(ask, flow.conn, answers["field"])
        case_id = corrections.find_event(flow.conn, answers["event"])["case_id"]
        flow.case = records.find_case(flow.conn, str(case_id)) if case_id is not None else None
    draft = (flow.case["uuid"], step) if flow.case else None
    if draft:
        _offer_draft(ask, *draft)
    ask.kept.clear()
    try:
        getattr(steps, step)(flow)
        ask.say(_("To be recorded ({step}):").format(step=step.replace("_", " ")))
        for line in summary_lines(flow):
            ask.say(line)
        answered = list(ask.kept)
        saving = ask.confirm(_("Save this?"), default=True)
    except Interrupted:
        if draft and ask.kept and _keep_draft(ask, *draft):
            raise Interrupted(_("interrupted; nothing was written; your answers are kept as a draft")) from None
        raise
    if draft and not saving:
        drafts.delete(*draft)  # deliberately not saved: done with
    elif draft:  # kept whole until the write commits (Session.close): a refused write loses no answer
        ask.kept[:] = answered
        if _keep_draft(ask, *draft):
            run.draft_to_clear = draft
    if not saving:
        raise Interrupted(_("not saved; nothing was written"))
    return replace(given, **answers)


def _offer_draft(ask: Asker, case_uuid: str, step: str) -> None:
    """A draft kept from an earlier stop, offered back: its answers given again as they were, or each asked again
    with the kept answer ready to keep or change; declined, it is deleted."""
    kept = drafts.load(case_uuid, step)
    if kept is None:
        return
    choices = [
        questionary.Choice(_("Continue where I stopped"), value="continue"),
        questionary.Choice(_("Go through my answers again (each ready to keep or change)"), value="review"),
        questionary.Choice(_("Start afresh (the draft is deleted)"), value="afresh"),
    ]
    chosen = ask.select(_("A draft from {when}:").format(when=kept["saved_at"]), choices, default="continue")
    if chosen == "afresh":
        drafts.delete(case_uuid, step)
        return
    ask.replay, ask.reviewing = kept["answers"], chosen == "review"


def _keep_draft(ask: Asker, case_uuid: str, step: str) -> bool:
    """Keep the answers given so far as the case's draft for this step (False when they could not be written)."""
    try:
        drafts.save(case_uuid, step, ask.kept)
    except OSError:
        return False
    return True
