"""Rich renderables for people: the cycle ring, the case card, the caseload table, the timeline.

Imported only when output is for a person, so `--json` runs never load Rich. Every mark carries its meaning
without colour: ● reached, ◉ where the case is now, ○ still to come.
"""

import math

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from lingkaran.domain import cycle, gas
from lingkaran.domain.assessment_domains import domain_label, scale_label
from lingkaran.domain.vocabularies import ACTIVITY, DECISION, GOAL_STATUS, LEVEL, PHASE, REASON, RISK, label_of
from lingkaran.messages import N_, _, ngettext
from lingkaran.render.drawing import Canvas, table_title
from lingkaran.render.helping_system import event_summary as helping_summary
from lingkaran.render.helping_system import helping_parts
from lingkaran.render.plain import (
    CORRECTED_LABELS,
    MARK_DONE,
    MARK_NO_CONSENT,
    MARK_NOW,
    MARK_TODO,
    caseload_lines,
    cells,
    client_name,
    date_text,
    printable,
    step_line,
)

STYLE_DONE, STYLE_NOW, STYLE_TODO = "green", "bold reverse cyan", "dim"
RING_WIDTH, RING_HEIGHT = 76, 15
ARROWS = {30: "↘", 90: "↓", 150: "↙", 270: "↑", 330: "↗"}  # the ring is read clockwise


class _Console(Console):
    """Rich's console, leaving a closed pipe to the CLI (Rich would exit 1 itself; lingkaran exits 141)."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError


def console(stderr: bool = False) -> Console:
    """A console that honours NO_COLOR, TERM=dumb and pipes (Rich's own rules)."""
    return _Console(stderr=stderr, highlight=False, soft_wrap=False)


class Printable:
    """A renderable whose text reaches the terminal with control characters made visible (render_plain.printable).

    Client text is checked on input, but an older caseload or an import may still carry escape codes; this is
    the one place every screen drawn with Rich passes through, so none of them can clear or retitle a terminal.
    """

    def __init__(self, renderable: RenderableType):
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for segment in console.render(self.renderable, options):
            yield segment if segment.control else Segment(printable(segment.text), segment.style)


def _mark(phase: str, current: str, reached: dict[str, str], closed: bool) -> tuple[str, str]:
    if phase == current and not closed:
        return MARK_NOW, STYLE_NOW
    if phase in reached:
        return MARK_DONE, STYLE_DONE
    return MARK_TODO, STYLE_TODO


def _ellipse_point(angle_degrees: float, scale: float = 1.0) -> tuple[int, int]:
    radians = math.radians(angle_degrees)
    centre_col, centre_row = RING_WIDTH // 2, RING_HEIGHT // 2
    return (round(centre_row - 6 * scale * math.cos(radians)), round(centre_col + 27 * scale * math.sin(radians)))


def _place_label(canvas: Canvas, angle: float, lines: list[tuple[str, str]], scale: float = 1.0) -> None:
    row, col = _ellipse_point(angle, scale)
    for offset, (text, style) in enumerate(lines):
        width = cells(text)
        if angle % 180 == 0:
            start = col - width // 2
        elif angle < 180:
            start = col - 1
        else:
            start = col - width + 2
        canvas.put(row + offset - (1 if angle == 180 else 0), start, f" {text} ", style)


def ring(phase: str, status: str, cycle_number: int, reached: dict[str, str]) -> Text:
    """The case's progress around the intervention cycle, drawn as a ring that fits 80 columns."""
    canvas = Canvas(RING_WIDTH, RING_HEIGHT)
    current = cycle.ring_position(phase)
    closed = status == "closed"
    for step in range(360):
        row, col = _ellipse_point(step)
        passed = cycle.RING[min(step // 60, 5)] in reached
        canvas.put(row, col, "·" if not passed else "•", STYLE_DONE if passed else STYLE_TODO)
    for angle, arrow in ARROWS.items():
        row, col = _ellipse_point(angle)
        canvas.put(row, col, arrow, STYLE_DONE if cycle.RING[angle // 60] in reached else STYLE_TODO)
    for index, step in enumerate(cycle.RING):
        mark, style = _mark(step, current, reached, closed)
        _place_label(
            canvas,
            index * 60,
            [(f"{mark} {PHASE.label(step)}", style), (date_text(reached.get(step)) if step in reached else "", "")],
        )
    monitor_mark, monitor_style = _mark("monitoring", phase, reached, closed)
    _place_label(canvas, 210, [(f"↻ {monitor_mark} {PHASE.label('monitoring')}", monitor_style)], scale=0.55)
    centre_row, centre_col = RING_HEIGHT // 2, RING_WIDTH // 2
    for offset, line in enumerate(_centre_lines(phase, status, cycle_number)):
        canvas.put(centre_row - 1 + offset, centre_col - cells(line) // 2, line, "bold" if offset == 0 else "")
    return canvas.text()


def _centre_lines(phase: str, status: str, cycle_number: int) -> list[str]:
    state = _("closed") if status == "closed" else _("now: {phase}").format(phase=PHASE.label(phase))
    return [_("cycle {number}").format(number=cycle_number), state]


def legend() -> Text:
    """The key to the ring's marks."""
    return Text(
        _("{done} reached  {now} now  {todo} to come  ↻ monitoring loop").format(
            done=MARK_DONE, now=MARK_NOW, todo=MARK_TODO
        ),
        style="dim",
    )


def _facts_table(detail: dict) -> Table:
    from lingkaran.render.identity import identity_rows

    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    rows = [
        (_("Client"), client_name(detail)),
        *(identity_rows(detail["identity"], detail.get("ppks")) if "identity" in detail else []),
        (_("Level"), LEVEL.label(detail["level"])),
        (_("Problem"), detail["problem"]),
        (_("Referred by"), detail["source"]),
        (_("Worker"), detail["worker"]),
        (_("Opened"), date_text(detail["opened_on"])),
        (_("Consent"), consent_text(detail)),
        (_("Risk"), _risk_text(detail.get("risk")) if not detail.get("erased") else None),
        (_("Latest GAS T-score"), _evaluation_text(detail.get("evaluation"))),
        (
            _("Next follow-up"),
            date_text(detail["follow_up_on"]) if detail["follow_up_on"] and not detail.get("erased") else None,
        ),
        (_("Next visit"), _next_visit(detail.get("visits"))),
    ]
    for label, value in rows:
        if value:
            table.add_row(label, Text(str(value)))
    return table


def _next_visit(visits: list[dict] | None) -> str | None:
    """The earliest visit still planned: when and where (and how many more)."""
    if not visits:
        return None
    from lingkaran.render.visits import when_text

    text = when_text(visits[0]) + (f" · {visits[0]['place']}" if visits[0]["place"] else "")
    return text + (" " + _("(+{count} more)").format(count=len(visits) - 1) if len(visits) > 1 else "")


def _evaluation_text(evaluation: dict | None) -> str | None:
    """The latest evaluation's T-score and when (50 means the goals were met as expected)."""
    if not evaluation or evaluation.get("t_score") is None:
        return None
    return _("{score} (evaluated {date})").format(
        score=_t_score_text(evaluation["t_score"]), date=date_text(evaluation["evaluated_on"])
    )


def _risk_text(risk: dict | None) -> str | None:
    """The latest risk level assessed and when (low, medium, high in the interface language)."""
    if not risk:
        return None
    return _("{risk} (assessed {date})").format(risk=RISK.label(risk["risk"]), date=date_text(risk["assessed_on"]))


def consent_text(case: dict) -> str:
    """The current consent in words; without consent it starts with ⚠ so it shows without colour."""
    if case.get("erased"):
        return _("erased on {date}").format(date=date_text(case.get("erased_on")))
    if case["consent"]:
        scope = case.get("consent_scope")
        given = _("given {date}").format(date=date_text(case["consent_on"]))
        if case.get("consent_given_by"):
            given = _("given {date} by the guardian ({guardian})").format(
                date=date_text(case["consent_on"]), guardian=case["consent_given_by"]
            )
        return given + (_(" for: {scope}").format(scope=scope) if scope else "")
    if case["consent_on"]:
        return _("{mark} withdrawn {date}").format(mark=MARK_NO_CONSENT, date=date_text(case["consent_on"]))
    return _("{mark} NOT recorded").format(mark=MARK_NO_CONSENT)


def _ratings_table(ratings: list[dict]) -> Table | None:
    """The latest rating of each domain for each person, each compared with the same person's rating before."""
    if not ratings:
        return None
    dates = {rating["assessed_on"] for rating in ratings}
    members = any(rating["member"] for rating in ratings)
    table = Table(
        title=table_title(_("Domains (assessed {date})").format(date=date_text(max(dates)))),
        title_justify="left",
        show_edge=False,
    )
    columns = [
        *((_("Who"),) if members else ()),
        _("Domain"),
        _("Rating"),
        _("Change"),
        *((_("Assessed"),) if len(dates) > 1 else ()),
    ]
    for column in columns:
        table.add_column(column, justify="right" if column == _("Change") else "left", overflow="fold")
    for rating in ratings:
        who = (Text(rating["member"] or _("(client)")),) if members else ()
        when = (date_text(rating["assessed_on"]),) if len(dates) > 1 else ()
        table.add_row(
            *who,
            domain_label(rating["domain"]),
            f"{rating['score']} {scale_label(rating['score'])}",
            _change(rating["score"], rating["previous"]),
            *when,
        )
    return table


def _change(score: int, before: int | None) -> str:
    if before is None:
        return _("new")
    if score == before:
        return "="
    return f"{score - before:+d} {'↑' if score > before else '↓'}"


def _goals_table(goals: list[dict]) -> Table | None:
    if not goals:
        return None
    table = Table(title=table_title(_("Goals")), title_justify="left", show_edge=False)
    for header, justify in (
        (_("#"), "right"),
        (_("Goal"), "left"),
        (_("Weight"), "right"),
        (_("Target"), "left"),
        (_("GAS"), "right"),
        (_("Status"), "left"),
    ):
        table.add_column(header, justify=justify, overflow="fold")
    for goal in goals:
        table.add_row(
            str(goal["number"]),
            Text(goal["text"]),
            f"{goal['weight']:g}",
            date_text(goal["target_on"]),
            gas.format_level(goal["latest_level"]),
            GOAL_STATUS.label(goal["status"]),
        )
    return table


def _activities_table(activities: list[dict]) -> Table | None:
    if not activities:
        return None
    table = Table(title=table_title(_("Recent activities")), title_justify="left", show_edge=False)
    for header in (_("Date"), _("Activity"), _("Min"), _("Note")):
        table.add_column(header, overflow="fold")
    for activity in activities:
        table.add_row(
            date_text(activity["occurred_on"]),
            ACTIVITY.label(activity["kind"]),
            str(activity["minutes"] or ""),
            Text(_shorten(activity["note"], 60)),
        )
    return table


def _notes_table(notes: list[dict]) -> Table | None:
    if not notes:
        return None
    table = Table(title=table_title(_("Recent notes")), title_justify="left", show_edge=False)
    for header in (_("Date"), _("Note")):
        table.add_column(header, overflow="fold")
    for note in notes:
        table.add_row(date_text(note["written_on"]), Text(_shorten(note["text"], 70)))
    return table


def _shorten(text: str, width: int | None) -> str:
    """Text on one line, cut to `width` characters with an ellipsis; whole when `width` is None (`log --full`)."""
    if width is None:
        return text.strip()
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "…"


def case_card(detail: dict) -> RenderableType:
    """`show`: the ring, then the facts, domains, goals, activities and what to do next."""
    parts: list[RenderableType] = [
        Text(_("Case {id} · {client}").format(id=detail["id"], client=client_name(detail)), style="bold"),
        ring(detail["phase"], detail["status"], detail["cycle"], detail["reached_on"]),
        legend(),
        Text(""),
        _facts_table(detail),
    ]
    if detail.get("conflicts"):  # a provisional value is shown above: say so before anything else
        parts += [
            Text(""),
            Text(
                _("⚠ In conflict (see `lingkaran conflicts {id}`): {what}").format(
                    id=detail["id"], what="; ".join(item["what"] for item in detail["conflicts"])
                ),
                style="bold",
            ),
        ]
    for table in (
        _ratings_table(detail.get("domain_ratings", [])),
        _goals_table(detail["goals"]),
        _activities_table(detail["activities"]),
        _notes_table(detail.get("notes", [])),
    ):
        if table is not None:
            parts += [Text(""), table]
    parts += helping_parts(detail)
    if detail.get("reviews"):
        parts += [Text(""), _review_text(detail["reviews"][0])]
    if detail["termination"]:
        parts += [
            Text(""),
            Text(
                _("Closed {date}: {reason}. {summary}").format(
                    date=date_text(detail["termination"]["closed_on"]),
                    reason=REASON.label(detail["termination"]["reason"]),
                    summary=detail["termination"]["summary"],
                )
            ),
        ]
    if detail["next"]:
        parts += [Text(""), _next_commands(detail["next"])]
    return Group(*parts)


def _review_text(review: dict) -> Text:
    """The latest supervisor's review: when, who, the decision and what they said."""
    from lingkaran.domain.supervision import DECISION_LABELS

    text = _("Reviewed {date} by {by}: {decision}.").format(
        date=date_text(review["reviewed_on"]),
        by=review["by_name"] or _("(erased)"),
        decision=label_of(DECISION_LABELS, review["decision"]),
    )
    return Text(text + (f" {review['comment']}" if review["comment"] else ""))


def _next_commands(commands: list[str]) -> Text:
    """ "Next:" and each command on a line of its own, under one another: joined on one line, three commands
    overran 80 columns and the wrap split a command in two."""
    label = _("Next: ")
    indent = " " * cells(label)
    return Text(
        "\n".join(f"{label if number == 0 else indent}{command}" for number, command in enumerate(commands)),
        style="dim",
    )


def caseload_table(cases: list[dict]) -> RenderableType:
    """The caseload list (see render_plain) as a renderable, for screens that show it among other things."""
    return Text("\n".join(caseload_lines(cases)))


def timeline(case: dict, events: list[dict], full: bool = False) -> RenderableType:
    """`log`: the case's events as a chronicle, grouped by cycle and, within it, by step; each with its id (what
    `amend` takes) and the member it concerns; long texts cut to a line unless `full`."""
    from itertools import groupby

    corrected = {event["data"].get("amends") for event in events if event["kind"] == "amend"}
    occurred = {event["uuid"]: event["occurred_on"] for event in events}
    parts: list[RenderableType] = [
        Text(_("Case {id} · {client}: timeline").format(id=case["id"], client=client_name(case)), style="bold")
    ]
    for cycle_number, in_cycle in groupby(events, key=lambda event: event["cycle"]):
        parts += [Text(""), Text(_("Cycle {number}").format(number=cycle_number or 1), style="bold underline")]
        for step, in_step in groupby(in_cycle, key=_step_of):
            parts.append(Text("  " + step, style="bold"))
            table = Table.grid(padding=(0, 2))
            table.add_column(width=11, no_wrap=True)
            table.add_column(width=8, no_wrap=True, style="dim")
            table.add_column(overflow="fold")
            for event in in_step:
                what = Text(event_summary(event, occurred, full=full))
                if event["data"].get("member"):
                    what.append("  " + _("(for {member})").format(member=event["data"]["member"]), style="italic")
                if event["uuid"] in corrected:
                    what.append("  " + _("✎ corrected below"), style="italic")
                table.add_row(date_text(event["occurred_on"]), event["uuid"][:8], what)
            parts.append(Padding(table, (0, 0, 0, 4)))
    return Group(*parts)


def _step_of(event: dict) -> str:
    """The step an event is told under: its own for the steps, the case's step then for notes and corrections."""
    if event["kind"] == "monitor" and _after_close(event):
        return _("Follow-up")
    step = cycle.STEP_OF_EVENT.get(event["kind"], event["phase"])
    return PHASE.label(step) if step in PHASE else event["kind"]


def _after_close(event: dict) -> bool:
    """Whether a monitor event is a follow-up after the close; an erased one no longer says, but its phase does
    (a follow-up leaves the case in termination; monitoring an open case puts it in monitoring)."""
    return event["data"].get("after_close", event["phase"] != "monitoring")


# What an event is called where its content cannot be shown (it was erased), by kind; a follow-up is a monitor
# event after the close. A kind not listed (from a newer lingkaran) is shown as stored.
EVENT_LABELS = {
    "open": N_("case opened"),
    "assess": N_("assessment"),
    "plan": N_("plan"),
    "intervene": N_("activity"),
    "monitor": N_("monitoring"),
    "evaluate": N_("evaluation"),
    "terminate": N_("termination"),
    "reopen": N_("case reopened"),
    "note": N_("note"),
    "amend": N_("correction"),
    "consent": N_("consent"),
    "forget": N_("erasure"),
    "member-add": N_("member added"),
    "member-remove": N_("member removed"),
    "team-add": N_("joined the team"),
    "team-remove": N_("left the team"),
    "link": N_("case linked"),
    "unlink": N_("case unlinked"),
    "refer": N_("referral"),
    "referral-update": N_("referral update"),
    "ecomap-add": N_("ecomap: system added"),
    "ecomap-remove": N_("ecomap: system taken off"),
    "identity": N_("identity and contact"),
    "contact": N_("contact"),
    "visit-plan": N_("visit planned"),
    "visit-done": N_("visit done"),
    "visit-cancel": N_("visit cancelled"),
    "review": N_("supervisor's review"),
}
FOLLOW_UP_LABEL = N_("follow-up")


def event_label(event: dict) -> str:
    """An event's kind in words of the interface language."""
    if event["kind"] == "monitor" and _after_close(event):
        return _(FOLLOW_UP_LABEL)
    return _(EVENT_LABELS[event["kind"]]) if event["kind"] in EVENT_LABELS else event["kind"]


# What a correction (`amend`) says it corrected, by the kind of the corrected event.
CORRECTED_OTHER = N_("record")  # a name of its own: nested in the _() that translates it, Babel would miss it


def _t_score_text(t_score: float | None) -> str:
    """A T-score with two decimals, as `evaluate`, `report` and `stats` print it (a dash for none)."""
    return "–" if t_score is None else f"{t_score:.2f}"


def event_summary(event: dict, occurred: dict[str, str] | None = None, full: bool = False) -> str:
    """One line saying what an event recorded (`occurred`: event UUID → date, to date what a correction fixes);
    its long texts whole when `full`."""
    data = event["data"]

    def cut(width: int) -> int | None:
        return None if full else width

    if data == {"erased": True}:
        return _("{kind} (content erased)").format(kind=event_label(event))
    summaries = {
        "open": lambda: _("opened: {problem}").format(problem=data.get("problem")),
        "assess": lambda: _assessment_summary(data),
        "plan": lambda: (
            "; ".join(
                [
                    *(f"{goal['number']}. {goal['text']}" for goal in data.get("added", [])),
                    *_goal_changes(data.get("changed") or {}),
                ]
            )
            or _("goals revised")
        ),
        "intervene": lambda: _activity_summary(data, cut(50)),
        "contact": lambda: _activity_summary(data, cut(50)),
        "monitor": lambda: _shorten(data.get("note") or "", cut(60)),
        "evaluate": lambda: _("T-score {score} → {decision}").format(
            score=_t_score_text(data.get("t_score")), decision=DECISION.label(data.get("decision"))
        ),
        "terminate": lambda: f"{REASON.label(data.get('reason'))}: {_shorten(data.get('summary') or '', cut(50))}",
        "reopen": lambda: _("reopened (cycle {cycle}): {reason}").format(
            cycle=data.get("cycle"), reason=data.get("reason")
        ),
        "note": lambda: _("note: {text}").format(text=data.get("text")),
        "amend": lambda: _("✎ correction of the {kind} of {date}: {text} (reason: {reason})").format(
            kind=_(
                CORRECTED_LABELS.get(
                    "client" if data.get("field") == "client" else data.get("amends_kind"), CORRECTED_OTHER
                )
            ),
            date=date_text((occurred or {}).get(data.get("amends"))),
            text=data.get("note"),
            reason=data.get("reason"),
        ),
        "consent": lambda: (
            (
                _("consent given for: {scope}").format(scope=data.get("scope"))
                if data.get("given")
                else _("consent withdrawn")
            )
            + (" " + _("(by the guardian: {name})").format(name=data["given_by"]) if data.get("given_by") else "")
        ),
        "identity": lambda: _identity_summary(data),
        "visit-plan": lambda: (
            _("visit {id} planned for {when}").format(
                id=data.get("visit_id"),
                when=date_text(data.get("planned_on")) + (f" {data['at']}" if data.get("at") else ""),
            )
            + (f" · {data['place']}" if data.get("place") else "")
        ),
        "visit-done": lambda: _("visit {id} done").format(id=data.get("visit_id")),
        "review": lambda: (
            _("reviewed by {by}: {decision}").format(by=data.get("by"), decision=_review_decision(data.get("decision")))
            + (f" · {data['comment']}" if data.get("comment") else "")
        ),
        "visit-cancel": lambda: _("visit {id} cancelled: {reason}").format(
            id=data.get("visit_id"), reason=data.get("reason")
        ),
        "forget": lambda: _("personal data erased; figures kept"),
        "resolve": lambda: _("conflict {code} settled").format(code=data.get("conflict")),
    }
    if event["kind"] not in summaries:
        return helping_summary(event)
    return summaries[event["kind"]]()


def _assessment_summary(data: dict) -> str:
    """The domains rated, else what was noted; and the risk level when one was assessed."""
    rated = ", ".join(f"{domain_label(domain)} {score}" for domain, score in (data.get("ratings") or {}).items())
    risk = _("risk: {level}").format(level=RISK.label(data["risk"])) if data.get("risk") else ""
    return "; ".join(part for part in (rated or data.get("summary") or "", risk) if part) or _("assessment")


# What a plan changed in a goal it already had, by column, in words for the log.
GOAL_CHANGE_WORDS = {
    "weight": N_("weight {value}"),
    "target_on": N_("target {value}"),
    "text": N_("reworded"),
    "scale": N_("GAS levels"),
}


def _goal_changes(changed: dict) -> list[str]:
    """Each goal a plan changed: dropped, or which of its target, weight, wording and GAS levels."""
    lines = []
    for number, values in changed.items():
        if values.get("status") == "dropped":
            lines.append(_("goal {number} dropped").format(number=number))
        words = [
            _(GOAL_CHANGE_WORDS[column]).format(
                value=date_text(value) if column == "target_on" else f"{value:g}" if column == "weight" else value
            )
            for column, value in values.items()
            if column in GOAL_CHANGE_WORDS
        ]
        if words:
            lines.append(_("goal {number}: {changes}").format(number=number, changes=", ".join(words)))
    return lines


def _activity_summary(data: dict, width: int | None) -> str:
    """An activity or contact: its kind and note (cut to `width`), who carried it out (everyone who went) and how
    many took part, when recorded."""
    text = f"{ACTIVITY.label(data.get('kind'))}: {_shorten(data.get('note') or '', width)}"
    people = [name for name in (data.get("by"), *(other["name"] for other in data.get("with", []))) if name]
    if people:
        text += " " + _("(by {names})").format(names=", ".join(people))
    if data.get("participants"):
        text += " " + ngettext("({count} participant)", "({count} participants)", data["participants"]).format(
            count=data["participants"]
        )
    return text


def _review_decision(decision: str | None) -> str:
    from lingkaran.domain.supervision import DECISION_LABELS

    return label_of(DECISION_LABELS, decision)


def _identity_summary(data: dict) -> str:
    """Which identity and contact details changed, by name only: the log never shows a NIK or a phone number."""
    from lingkaran.domain.identity import FIELD_LABELS

    fields = ", ".join(
        dict.fromkeys(_(FIELD_LABELS[field]) for field in data.get("changed", []) if field in FIELD_LABELS)
    )
    if data.get("member"):
        return _("{name}'s details recorded: {fields}").format(name=data["member"], fields=fields)
    return _("client's details recorded: {fields}").format(fields=fields)


def step_done(result: dict, message: str) -> Text:
    """The confirmation after a step (render_plain.step_line) as a renderable, for screens built with Rich."""
    return Text(step_line(result, message))
