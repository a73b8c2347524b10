"""The questions of each step of the cycle, one function per step (see prompts.guide).

Each function fills `flow.answers` in the form its command's flags take (`N=LEVEL`, `NAME=1..5`, …) and asks
only for what was not given. Every typed answer is checked by the parser in domain/parse.py that checks the
flag, and every list of stored values to pick from is the flag's own vocabulary (domain/vocabularies.py), so
there is one definition of a valid value.
"""

from questionary import Choice

from lingkaran.domain import cycle, gas, parse
from lingkaran.domain import helping_system as helping_rules
from lingkaran.domain.assessment_domains import domain_label, domains_for, scale_label
from lingkaran.domain.vocabularies import (
    ACTIVITY,
    DECISION,
    ECOMAP_KIND,
    FLOW,
    LEVEL,
    REASON,
    RISK,
    TEAM_ROLE,
    TIE,
    Vocabulary,
)
from lingkaran.errors import InvalidInput, StepRefused
from lingkaran.messages import _
from lingkaran.prompts.asker import SKIP, Flow, check
from lingkaran.store import helping_system, records


def choices_of(vocabulary: Vocabulary) -> list[Choice]:
    """A vocabulary's values to pick from, each with its title in the interface language beside it; a title
    that starts with its value and a colon ("mikro: an individual") already names it and is shown alone."""
    listed = []
    for term in vocabulary:
        title = vocabulary.title(term.value)
        names_itself = (term.title or term.label).startswith(f"{term.value}:")
        shown = title if names_itself else f"{term.value}  ({title})" if title != term.value else term.value
        listed.append(Choice(shown, value=term.value))
    return listed


def _required_text(label: str):
    return check(lambda text: parse.clean_text(text, label, required=True))


def _optional_text(label: str):
    return check(lambda text: parse.clean_text(text, label))


def _optional_date(flow: Flow, label: str):
    return check(lambda text: text.strip() and parse.parse_date(text, flow.today, label))


def _level_choices(goal: dict, skip: str | None) -> list[Choice]:
    """A goal's GAS levels, with the goal's own descriptions where it has them."""
    scale = goal.get("scale") or {}
    choices = [Choice(skip, value=SKIP)] if skip else []
    for level in gas.LEVELS:
        words = scale.get(str(level)) or _(gas.LEVEL_LABELS[level])
        choices.append(Choice(f"{gas.format_level(level):>2}  {words}", value=str(level)))
    return choices


def _open_goals(flow: Flow) -> list[dict]:
    return [goal for goal in records.goals(flow.conn, flow.case["id"]) if goal["status"] == "open"]


def _member(flow: Flow, message: str) -> None:
    """Which member of the client system this concerns, offered only when the case has members."""
    if not flow.wants("member"):
        return
    people = helping_system.members(flow.conn, flow.case["id"])
    if people:
        chosen = flow.ask.select(
            message,
            [
                Choice(_("the client system as a whole"), value=SKIP),
                *[Choice(f"{person['name']} ({person['role']})", value=person["name"]) for person in people],
            ],
        )
        flow.answers["member"] = None if chosen == SKIP else chosen


def _repeat(flow: Flow, message: str, label: str) -> list[str]:
    """Ask for items one after another until an empty answer."""
    items = []
    while text := flow.ask.text(message, validate=_optional_text(label), instruction=_("(empty to go on)")):
        items.append(text.strip())
    return items


def open(flow: Flow) -> None:  # noqa: A001 - named after the `open` command
    """Engagement: who the client is, at what level, the problem, who referred them, consent."""
    answers, ask = flow.answers, flow.ask
    if flow.wants("client"):
        answers["client"] = ask.text(
            _("Client's name (a person, family, group or community):"), validate=_required_text(_("The name"))
        )
    if flow.wants("level"):
        answers["level"] = ask.select(_("Level:"), choices_of(LEVEL))
    if flow.wants("problem"):
        answers["problem"] = ask.text(
            _("Presenting problem, in the client's words:"), validate=_required_text(_("The problem"))
        )
    if flow.wants("source"):
        answers["source"] = ask.text(
            _("Referred by (empty if the client came on their own):"), validate=_optional_text(_("The referral source"))
        )
    if flow.guiding and answers.get("consent") is None:
        date = parse.parse_date(answers.get("date") or "today", flow.today).isoformat()
        answers["consent"] = ask.confirm(
            _("Has the client given informed consent? (recorded as of {date})").format(date=date), default=False
        )
    if flow.guiding and answers.get("consent") and not answers.get("consent_scope"):
        answers["consent_scope"] = (
            ask.text(
                _("What did they consent to? (e.g. case management and referral)"),
                validate=_optional_text(_("The consent's scope")),
            )
            or None
        )


def assess(flow: Flow) -> None:
    """Assessment: every domain on the 1–5 scale (the last rating as default), strengths, needs, risk, summary."""
    if not flow.guiding:
        return
    answers, ask = flow.answers, flow.ask
    latest = records.assessments(flow.conn, flow.case["id"], limit=1)
    before = latest[0]["ratings"] if latest else {}
    scale = [Choice(f"{score}  {scale_label(score)}", value=str(score)) for score in range(1, 6)]
    ratings = []
    for domain in domains_for(flow.case["level"], member=bool(answers.get("member"))):
        message = domain_label(domain) + ":"
        if domain in before:
            message = _("{domain} (last time {score}):").format(domain=domain_label(domain), score=before[domain])
        score = ask.select(
            message,
            [Choice(_("not rated now"), value=SKIP), *scale],
            default=str(before[domain]) if domain in before else SKIP,
        )
        if score != SKIP:
            ratings.append(f"{domain}={score}")
    answers["domain"] = ratings
    answers["strength"] = _repeat(flow, _("A strength or resource:"), _("The strength"))
    answers["need"] = _repeat(flow, _("A need:"), _("The need"))
    risk = ask.select(_("Risk level:"), [Choice(_("not assessed now"), value=SKIP), *choices_of(RISK)])
    answers["risk"] = None if risk == SKIP else risk
    recorded = ratings or answers["strength"] or answers["need"] or answers["risk"]

    def summary(text: str) -> None:
        if not text.strip() and not recorded:
            raise InvalidInput(_("nothing rated or noted yet: write the assessment here"))
        parse.clean_text(text, _("The summary"))

    answers["summary"] = ask.text(_("The assessment in a few sentences (optional):"), validate=check(summary))
    _member(flow, _("Does this assessment concern one member?"))


def plan(flow: Flow) -> None:
    """Planning: carry over open goals, then new goals, each with optional GAS levels, a weight, a target date."""
    if not flow.guiding:
        return
    answers, ask = flow.answers, flow.ask
    open_goals = _open_goals(flow)
    if open_goals:
        kept = ask.checkbox(
            _("Carry these open goals over into the plan?"),
            [Choice(f"{goal['number']}. {goal['text']}", value=goal["number"], checked=True) for goal in open_goals],
        )
        answers["drop"] = [goal["number"] for goal in open_goals if goal["number"] not in kept]
    number = records.next_goal_number(flow.conn, flow.case["id"])
    goals, scales, weights, targets = [], [], [], []

    def goal_text(text: str) -> None:
        if not text.strip() and not goals and not answers.get("drop"):
            raise InvalidInput(_("a plan needs a new goal here (or drop an old one)"))
        parse.clean_text(text, _("The goal"))

    while text := ask.text(
        _("Goal {number}:").format(number=number),
        validate=check(goal_text),
        instruction=_("(empty when done)") if goals else None,
    ):
        goals.append(text.strip())
        if ask.confirm(_("Describe its five GAS levels (-2 … +2)?"), default=False):
            for level in gas.LEVELS:
                words = ask.text(
                    _("{level} ({meaning}) looks like:").format(
                        level=gas.format_level(level), meaning=_(gas.LEVEL_LABELS[level])
                    ),
                    validate=_optional_text(_("The description")),
                )
                if words.strip():
                    scales.append(f"{number}:{level}={words.strip()}")
        weight = ask.text(
            _("Its weight (how much it matters; 1 = like the others):"), default="1", validate=check(parse.parse_weight)
        )
        if parse.parse_weight(weight) != 1:
            weights.append(f"{number}={weight.strip()}")
        target = ask.text(
            _("Target date (YYYY-MM-DD, empty for none):"), validate=_optional_date(flow, _("The target date"))
        )
        if target.strip():
            targets.append(f"{number}={parse.parse_date(target, flow.today).isoformat()}")
        number += 1
    answers.update(goal=goals, gas=scales, weight=weights, target=targets)


def intervene(flow: Flow) -> None:
    """Intervention: the kind of activity, the goals it served, how long, who, the note."""
    answers, ask = flow.answers, flow.ask
    if flow.wants("activity"):
        answers["activity"] = ask.select(_("What kind of activity?"), choices_of(ACTIVITY))
    if flow.wants("goal"):
        answers["goal"] = ask.checkbox(
            _("Which goals did it serve?"),
            [Choice(f"{goal['number']}. {goal['text']}", value=goal["number"]) for goal in _open_goals(flow)],
        )
    if flow.wants("minutes"):
        minutes = ask.text(_("Minutes of contact (empty if not counted):"), validate=check(_minutes))
        answers["minutes"] = _minutes(minutes)
    if flow.wants("by"):
        from lingkaran.store import settings

        answers["by"] = ask.text(
            _("Who carried it out?"), default=settings.get("worker") or "", validate=_optional_text(_("The name"))
        )
    _member(flow, _("Did it concern one member?"))
    if flow.wants("note"):
        answers["note"] = ask.note(_("What was done and observed:"), _("The note"), required=True)


def _minutes(text: str) -> int | None:
    if not text.strip():
        return None
    if not parse.is_whole_number(text):
        raise InvalidInput(_("{value!r} is not a number of minutes").format(value=text))
    return parse.parse_minutes(int(text))


def monitor(flow: Flow) -> None:
    """Monitoring: progress on each open goal on its own GAS scale, a note, the next follow-up date."""
    answers, ask = flow.answers, flow.ask
    if flow.wants("progress") and not flow.state.closed:
        progress = []
        for goal in _open_goals(flow):
            level = ask.select(
                _("Goal {number}: {text}").format(number=goal["number"], text=goal["text"]),
                _level_choices(goal, _("not observed now")),
                default=SKIP,
            )
            if level != SKIP:
                progress.append(f"{goal['number']}={level}")
        answers["progress"] = progress
    if flow.wants("note"):
        message = _("What you observed at the follow-up:") if flow.state.closed else _("What you observed:")
        answers["note"] = ask.note(message, _("The note"), required=True)
    if flow.wants("follow_up"):
        answers["follow_up"] = ask.text(
            _("Next follow-up date (YYYY-MM-DD, empty for none):"),
            validate=_optional_date(flow, _("The follow-up date")),
        )


def evaluate(flow: Flow) -> None:
    """Evaluation: each goal's attained level, the T-score live after each, then the decision and a note."""
    answers, ask = flow.answers, flow.ask
    goals = {goal["number"]: goal for goal in _open_goals(flow)}
    if flow.wants("score"):
        scores: dict[int, int] = {}
        while goals and not scores:  # at least one goal scored: an evaluation of nothing tells nothing
            scores = _scores(flow, goals)
        answers["score"] = [f"{number}={level}" for number, level in scores.items()]
    scores = parse.parse_goal_levels(answers["score"], "--score")
    t_score = _t_score(scores, goals)
    flow.shown.append((_("GAS T-score"), f"{t_score:.2f}"))
    if flow.wants("decision"):
        answers["decision"] = ask.select(
            _("GAS T-score {t_score:.2f} (50 = goals met as expected). What next?").format(t_score=t_score),
            choices_of(DECISION),
            default=gas.suggested_decision(t_score),
        )
    if flow.wants("note"):
        answers["note"] = ask.note(_("The evaluation in a few sentences (optional):"), _("The note"), required=False)


def _scores(flow: Flow, goals: dict[int, dict]) -> dict[int, int]:
    """Each goal's attained level, the T-score after each; a goal not observed this time is left out (never
    counted as 0), and is what a goal with no level yet starts at."""
    scores = {}
    for number, goal in goals.items():
        default = str(goal["latest_level"]) if goal["latest_level"] is not None else SKIP
        level = flow.ask.select(
            _("Goal {number}: {text}").format(number=number, text=goal["text"]),
            _level_choices(goal, _("not scored: not observed this time")),
            default=default,
        )
        if level != SKIP:
            scores[number] = int(level)
            flow.ask.say(_("T-score so far: {t_score:.2f}").format(t_score=_t_score(scores, goals)))
    if not scores:
        flow.ask.say(_("Score at least one goal: an evaluation needs one observed."))
    return scores


def _t_score(scores: dict[int, int], goals: dict[int, dict]) -> float:
    """The T-score of the goals scored so far (goals this case does not have are left to casework to refuse)."""
    known = [number for number in scores if number in goals]
    if not known:
        return 50.0
    return gas.t_score([scores[n] for n in known], [goals[n]["weight"] for n in known])


def terminate(flow: Flow) -> None:
    """Termination: the reason, a summary, a follow-up date, and where the client goes."""
    answers, ask = flow.answers, flow.ask
    if flow.wants("reason"):
        reasons = choices_of(REASON)
        for choice in reasons:  # goals met needs an evaluation first: say so beside it
            choice.disabled = cycle.refusal("terminate", flow.state, choice.value)
        answers["reason"] = ask.select(_("Why is the case closing?"), reasons)
    if flow.wants("summary"):
        answers["summary"] = ask.note(
            _("What was achieved, and how will the gains be kept?"), _("The summary"), required=True
        )
    if flow.wants("follow_up"):
        answers["follow_up"] = ask.text(
            _("Follow-up contact date (YYYY-MM-DD, empty for none):"),
            validate=_optional_date(flow, _("The follow-up date")),
        )
    if flow.wants("destination"):
        answers["destination"] = ask.text(
            _("Where does the client go (the environment they return to, or the service they are referred to)?"),
            validate=_optional_text(_("The destination")),
        )


def reopen(flow: Flow) -> None:
    """Reopening: why the case opens again."""
    if flow.wants("reason"):
        flow.answers["reason"] = flow.ask.text(
            _("Why is the case opened again?"), validate=_required_text(_("The reason"))
        )


# The daily commands, asked through the same layer: the case select, the flags' parsers, the summary and confirm.


def note(flow: Flow) -> None:
    """A free note: its text, in the editor when the worker asks for it."""
    if flow.wants("text"):
        flow.answers["text"] = flow.ask.note(_("What do you want to note?"), _("The note"), required=True)


def amend(flow: Flow) -> None:
    """A correction: the text as it reads now, corrected in the editor (or here), then why."""
    from lingkaran.casework import notes

    answers = flow.answers
    if flow.wants("text"):
        current = notes.current_text(flow.conn, answers["event"], answers.get("field"))
        answers["text"] = flow.ask.edit(_("The corrected text:"), current, _("The corrected text"))
    if flow.wants("reason"):
        answers["reason"] = flow.ask.text(_("Why is it corrected?"), validate=_required_text(_("The reason")))


def refer_refusal(case: dict, force: bool) -> str | None:
    """Why this case cannot be referred now (closed, or no consent without --force), as `refer` would say it."""
    if case["status"] == "closed":
        return _("case {case} is closed; run `lingkaran reopen {case} --reason TEXT` first").format(case=case["id"])
    try:
        helping_rules.check_referral_consent(bool(case["consent"]), force, "-", withdrawn_on=case["consent_on"])
    except StepRefused as refused:
        return refused.message
    return None


def refer(flow: Flow) -> None:
    """A referral out: the agency, the service, a contact, when an answer is due (and why, with --force)."""
    answers, ask = flow.answers, flow.ask
    if refusal := refer_refusal(flow.case, answers["force"]):
        raise StepRefused(refusal)
    if flow.wants("to"):
        answers["to"] = ask.text(_("Which agency is the client referred to?"), validate=_required_text(_("The agency")))
    if flow.wants("service"):
        answers["service"] = ask.text(_("What service is asked for?"), validate=_required_text(_("The service")))
    if flow.wants("contact"):
        answers["contact"] = ask.text(
            _("The contact person there (empty if none):"), validate=_optional_text(_("The contact"))
        )
    if flow.wants("due"):
        answers["due"] = ask.text(
            _("When is an answer due? (YYYY-MM-DD, empty for no date):"),
            validate=_optional_date(flow, _("The due date")),
        )
    if answers["force"] and flow.wants("reason"):
        answers["reason"] = ask.text(
            _("Why does the referral go without the client's consent?"), validate=_required_text(_("The reason"))
        )


def ecomap_add(flow: Flow) -> None:
    """A system on the ecomap: its name, its kind (a new one only), the tie, the flow, a note."""
    answers, ask = flow.answers, flow.ask
    if flow.wants("system"):
        answers["system"] = ask.text(
            _("Which system? (a person, a school, a clinic, the mosque, …)"), validate=_required_text(_("The system"))
        )
    drawn = _drawn(flow, answers["system"])
    if flow.wants("kind") and drawn is None:
        answers["kind"] = ask.select(_("What kind of system is it?"), choices_of(ECOMAP_KIND))
    if flow.wants("tie"):
        answers["tie"] = ask.select(_("The tie with the client:"), choices_of(TIE), default=drawn and drawn["tie"])
    if flow.wants("flow"):
        answers["flow"] = ask.select(
            _("Energy and resources flow:"), choices_of(FLOW), default=drawn["flow"] if drawn else "none"
        )
    if flow.wants("note"):
        answers["note"] = ask.text(
            _("What the tie is like (empty for nothing):"), validate=_optional_text(_("The note"))
        )


def _drawn(flow: Flow, system: str) -> dict | None:
    """The system as the ecomap draws it now (None: new on the map, so its kind must be asked)."""
    drawn = helping_rules.ecomap_at(helping_system.ecomap_changes(flow.conn, flow.case["id"]))
    return next((tie for name, tie in drawn.items() if name.casefold() == system.strip().casefold()), None)


def team_add(flow: Flow) -> None:
    """A person on the case's team: the name, the role, where they work, how to reach them."""
    answers, ask = flow.answers, flow.ask
    if flow.wants("name"):
        answers["name"] = ask.text(_("Name of the person joining the team:"), validate=_required_text(_("The name")))
    if flow.wants("role"):
        answers["role"] = ask.select(_("Their role in the work:"), choices_of(TEAM_ROLE))
    if flow.wants("agency"):
        answers["agency"] = ask.text(
            _("Where they work (empty if not said):"), validate=_optional_text(_("The agency"))
        )
    if flow.wants("contact"):
        answers["contact"] = ask.text(
            _("How to reach them: phone, email (empty if not said):"), validate=_optional_text(_("The contact"))
        )


def member_add(flow: Flow) -> None:
    """A member of the client system: the name, the role, how they relate to the client, a note."""
    answers, ask = flow.answers, flow.ask
    if flow.wants("name"):
        answers["name"] = ask.text(_("Name of the member:"), validate=_required_text(_("The name")))
    if flow.wants("role"):
        answers["role"] = ask.text(
            _("Their role (mother, child, chair, group, leader, institution, …):"),
            validate=_required_text(_("The role")),
        )
    if flow.wants("relation"):
        answers["relation"] = ask.text(
            _("How they relate to the client (empty if not said):"), validate=_optional_text(_("The relation"))
        )
    if flow.wants("note"):
        answers["note"] = ask.text(_("A short note (empty for none):"), validate=_optional_text(_("The note")))
