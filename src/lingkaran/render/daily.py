"""Rich renderables for the daily commands: dashboard, agenda, search results, figures.

Imported only when output is for a person. Everything fits 80 columns and reads without colour.
"""

from itertools import groupby

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from lingkaran.domain.identity import ppks_label
from lingkaran.domain.vocabularies import ACTIVITY, PHASE, REASON
from lingkaran.messages import _
from lingkaran.render.drawing import table_title
from lingkaran.render.helping_system import role_text
from lingkaran.render.plain import client_name, date_text, strip

CASES_PER_STEP = 10  # the dashboard is a glance; `list --phase` shows every case at a step
CASES_PER_SECTION = 15  # `dashboard --json` lists every case of every section
CLIENT_WIDTH = 24


def _case_grid() -> Table:
    table = Table.grid(padding=(0, 1))
    # Fixed widths, so the grids of consecutive groups line up.
    table.add_column(justify="right", width=6, no_wrap=True)
    table.add_column(width=CLIENT_WIDTH, overflow="ellipsis", no_wrap=True)
    table.add_column(width=8, no_wrap=True)
    table.add_column(overflow="fold")
    return table


def _where(case: dict) -> str:
    return strip(case["phase"], case["status"]) if case["status"] == "active" else _("closed")


def _heading(text: str, count: int) -> Text:
    return Text(f"{text} ({count})", style="bold")


def dashboard_view(sections: list, data: dict[str, list[dict]], context) -> RenderableType:
    """`lingkaran` / `dashboard`: a headline, then each section (empty ones say so in one line)."""
    parts: list[RenderableType] = [
        Text(_("Caseload on {date}").format(date=date_text(context.today.isoformat())), style="bold underline")
    ]
    for section in sections:
        rows = data[section.key]
        title = _(section.title).format(days=context.no_contact_days)
        parts += [Text(""), _heading(title, len(rows))]
        if not rows:
            parts.append(Text("      " + _("none"), style="dim"))
        elif section.by_step:
            parts.append(_by_step(rows, section.detail))
        else:
            parts.append(_case_lines(rows[:CASES_PER_SECTION], section.detail))
            if len(rows) > CASES_PER_SECTION:
                parts.append(
                    Text(
                        "      "
                        + _("… and {count} more: lingkaran dashboard --json lists them all").format(
                            count=len(rows) - CASES_PER_SECTION
                        ),
                        style="dim",
                    )
                )
    if not data.get("active"):
        parts += [
            Text(""),
            Text(
                _(
                    "No active case: `lingkaran open` opens one (`lingkaran demo` shows a sample "
                    "caseload in a file of its own)."
                )
            ),
        ]
    parts += [Text(""), Text(_("Agenda: lingkaran due · every case: lingkaran list"), style="dim")]
    return Group(*parts)


def _case_lines(rows: list[dict], detail) -> Table:
    table = _case_grid()
    for row in rows:
        table.add_row(f"#{row['id']}", Text(client_name(row)), _where(row), Text(detail(row) if detail else ""))
    return table


def _by_step(rows: list[dict], detail) -> RenderableType:
    parts: list[RenderableType] = []
    for phase, in_phase in groupby(rows, key=lambda row: row["phase"]):
        cases = list(in_phase)
        parts.append(Text(f"  {PHASE.label(phase)} · {len(cases)}"))
        parts.append(_case_lines(cases[:CASES_PER_STEP], detail))
        if len(cases) > CASES_PER_STEP:
            parts.append(
                Text(
                    "      "
                    + _("… and {count} more: lingkaran list --phase {phase}").format(
                        count=len(cases) - CASES_PER_STEP, phase=phase
                    ),
                    style="dim",
                )
            )
    return Group(*parts)


def _when(days: int) -> str:
    if days < 0:
        return _("{days} d overdue").format(days=-days)
    if days == 0:
        return _("today")
    return _("in {days} d").format(days=days)


def _item_text(item: dict) -> str:
    if item["kind"] == "visit":
        where = f" · {item['place']}" if item["place"] else ""
        return (_("visit at {time}").format(time=item["at"]) if item["at"] else _("visit")) + where
    if item["kind"] == "referral":
        return _("referral to {agency}: {service}").format(agency=item["agency"], service=item["service"])
    if item["kind"] == "goal-target":
        return _("goal {number} target: {text}").format(number=item["goal_number"], text=item["goal_text"])
    return _("follow-up")


def agenda_table(items: list[dict], within: int) -> RenderableType:
    """`due`: one line per item (overdue ones marked !), then the command that records it."""
    if not items:
        return Text(_("Nothing due in the next {days} days.").format(days=within))
    lines: list[RenderableType] = []
    when_width = max(13, *(len(_when(item["days"])) for item in items))  # "terlambat 10 hr" is longer than 13
    for item in items:
        what = _item_text(item)
        marker = "!" if item["overdue"] else " "
        line = Text(
            f"{marker} {date_text(item['due_on']):<11} {_when(item['days']):<{when_width}} #{item['case_id']} ",
            no_wrap=True,
            overflow="ellipsis",
        )
        line.append(f"{client_name(item)} · {what}", style="bold" if item["overdue"] else None)
        lines += [line, Text(f"    → {item['command']}", style="dim")]
    return Group(*lines)


def _contacts_by_kind(rows: list[dict]) -> tuple[str, tuple[str, ...], list[tuple]]:
    """The contacts table of `stats`: a Participants column only when a group session counted them."""
    counted = any(row.get("participants") for row in rows)
    headers = (_("Activity"), _("Contacts"), _("Minutes"), *((_("Participants"),) if counted else ()))
    return (
        _("Contacts by activity"),
        headers,
        [
            (
                ACTIVITY.label(row["kind"]),
                row["contacts"],
                row["minutes"],
                *((row.get("participants") or "",) if counted else ()),
            )
            for row in rows
        ],
    )


def stats_view(figures: dict) -> RenderableType:
    """`stats`: the figures as short tables."""
    period = _("{start} to {end}").format(
        start=date_text(figures["from"]) if figures["from"] else _("the start"),
        end=date_text(figures["to"]) if figures["to"] else _("today"),
    )
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column()
    mean = figures["mean_t_score"]
    median = figures["median_days_to_close"]
    for label, value in (
        (_("Period"), period),
        (_("Cases opened"), figures["opened"]),
        (_("Cases closed"), figures["closed"]),
        (
            _("Mean T-score"),
            _("{mean:.2f} over {count} evaluated cases").format(mean=mean, count=figures["evaluated_cases"])
            if mean is not None
            else "–",
        ),
        (_("Median days to close"), f"{median:g}" if median is not None else "–"),
    ):
        facts.add_row(label, str(value))
    parts: list[RenderableType] = [facts]
    for title, headers, rows in (
        (
            _("Opened by PPKS category"),
            (_("Category"), _("Cases")),
            [
                (ppks_label(r["ppks"]) or _("(none recorded)"), r["cases"])
                for r in figures.get("opened_by_ppks", [])
                if r["ppks"] or len(figures["opened_by_ppks"]) > 1
            ],
        ),
        (
            _("Closed by reason"),
            (_("Reason"), _("Cases")),
            [(REASON.label(r["reason"]), r["cases"]) for r in figures["closed_by_reason"]],
        ),
        (
            _("Active now by step and level"),
            (_("Step"), _("Level"), _("Cases")),
            [(PHASE.label(r["phase"]), r["level"], r["cases"]) for r in figures["active_by_step_and_level"]],
        ),
        _contacts_by_kind(figures["contacts_by_kind"]),
        (
            _("Contact minutes by team member"),
            (_("Who"), _("Role"), _("Contacts"), _("Minutes")),
            [
                (r["name"] or _("(not named)"), role_text(r["role"]), r["activities"], r["minutes"])
                for r in figures["contact_minutes_by_person"]
            ],
        ),
        (
            _("Contact minutes by role"),
            (_("Role"), _("Contacts"), _("Minutes")),
            [(role_text(r["role"]), r["activities"], r["minutes"]) for r in figures["contact_minutes_by_role"]],
        ),
    ):
        if rows:
            table = Table(title=table_title(title), title_justify="left", show_edge=False)
            for header in headers:
                table.add_column(header, justify="left" if header in (headers[0], _("Level"), _("Role")) else "right")
            for row in rows:
                table.add_row(*(str(value) for value in row))
            parts += [Text(""), table]
    return Group(*parts)
