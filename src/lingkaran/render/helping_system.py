"""Rich renderables for the helping system: members, team, referrals, case links, and the ecomap.

The ecomap puts the client in a box at the centre and the systems of their life on both sides, each joined to
the client by a line whose pattern is the tie (═ strong, ┄ tenuous, ╪ stressful) and whose arrowhead is the
flow of energy and resources. Patterns and arrows carry the meaning; colour only repeats it. It fits 80 columns.
"""

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from lingkaran.domain.dates import date_text
from lingkaran.domain.helping_system import is_overdue
from lingkaran.domain.vocabularies import (
    CASE_STATUS,
    ECOMAP_CHANGE,
    ECOMAP_KIND,
    FLOW,
    LEVEL,
    REFERRAL_STATUS,
    TEAM_ROLE,
    TIE,
)
from lingkaran.messages import N_, _, ngettext
from lingkaran.render.drawing import Canvas, table_title
from lingkaran.render.plain import cells, client_name, fit, printable

TIE_PATTERNS = {"strong": "═", "tenuous": "┄", "stressful": "╪"}
TIE_STYLES = {"strong": "bold green", "tenuous": "dim", "stressful": "red"}
MEMBER_TITLES = {
    "mikro": N_("Case {id} · {client}: client system"),
    "mezzo": N_("Case {id} · {client}: members"),
    "makro": N_("Case {id} · {client}: groups, leaders and institutions"),
}
CHANGE_MARKS = {"new": "+", "gone": "−", "stronger": "↑", "weaker": "↓", "changed": "~", "same": "="}
MAP_WIDTH, LABEL_WIDTH, LINE_WIDTH, BOX_WIDTH = 80, 20, 10, 18
LEFT_LINE = LABEL_WIDTH + 1  # column where a left-side line starts
BOX_LEFT = LEFT_LINE + LINE_WIDTH  # the box's left wall
BOX_RIGHT = BOX_LEFT + BOX_WIDTH - 1  # the box's right wall
RIGHT_LINE = BOX_RIGHT + 1
RIGHT_LABEL = RIGHT_LINE + LINE_WIDTH + 1


def done(message: str) -> Text:
    """The confirmation after a helping-system change."""
    text = Text("✔ ", style="green")
    text.append(message)
    return text


def event_summary(event: dict) -> str:
    """One line saying what a helping-system event recorded (the kind itself for kinds it does not know); an
    erased one is told by render.event_summary."""
    data = event["data"]
    summaries = {
        "member-add": lambda: _("member added: {name} ({role})").format(name=data["name"], role=data["role"]),
        "member-remove": lambda: _("member removed: {name}").format(name=data["name"]),
        "team-add": lambda: _("on the team: {name} ({role})").format(
            name=data["name"], role=TEAM_ROLE.label(data["role"])
        ),
        "team-remove": lambda: _("left the team: {name}").format(name=data["name"]),
        "link": lambda: _("case {child} is part of case {parent}").format(
            child=data["child_id"], parent=data["parent_id"]
        ),
        "unlink": lambda: _("case {child} no longer part of case {parent}").format(
            child=data["child_id"], parent=data["parent_id"]
        ),
        "refer": lambda: (
            _("referred to {agency}: {service}").format(agency=data["agency"], service=data["service"])
            + (" " + _("(consent overridden)") if data.get("consent_override") else "")
        ),
        "referral-update": lambda: _("referral to {agency}: {status}").format(
            agency=data["agency"], status=REFERRAL_STATUS.label(data["status"])
        ),
        "ecomap-add": lambda: _("ecomap: {system} {tie}, flow {flow}").format(
            system=data["system"], tie=TIE.label(data["tie"]), flow=FLOW.label(data["flow"])
        ),
        "ecomap-remove": lambda: _("ecomap: {system} taken off").format(system=data["system"]),
    }
    return summaries.get(event["kind"], lambda: event["kind"])()


def role_text(role: str | None) -> str:
    """A team role in the interface language; contact recorded by someone not on the team says so."""
    return TEAM_ROLE.label(role) if role else _("not on the team")


def _table(title: str, headers: tuple[str, ...]) -> Table:
    table = Table(title=table_title(title), title_justify="left", show_edge=False)
    for header in headers:
        table.add_column(header, overflow="fold")
    return table


def members_table(case: dict, members: list[dict]) -> RenderableType:
    """`member list`: the client system of one case."""
    if not members and case.get("status") == "closed":  # `member add` refuses a closed case: no hint to it
        return Text(_("Case {id} has no members.").format(id=case["id"]))
    if not members:
        return Text(_("Case {id} has no members yet: lingkaran member add {id} NAME --role TEXT").format(id=case["id"]))
    title = _(MEMBER_TITLES.get(case.get("level"), MEMBER_TITLES["mikro"]))
    table = _table(
        title.format(id=case["id"], client=client_name(case)),
        (_("Name"), _("Role"), _("Relation"), _("Born"), _("Since"), _("Note")),
    )
    for member in members:
        since = date_text(member["added_on"])
        if member["removed_on"]:
            since += " – " + date_text(member["removed_on"])
        table.add_row(
            Text(member["name"]),
            Text(member["role"] or ""),
            Text(member["relation"] or ""),
            str(member["born"] or ""),
            since,
            Text(member["note"] or ""),
        )
    return table


def team_table(case: dict, people: list[dict]) -> RenderableType:
    """`team list`: the intervention system of one case, with each person's contact minutes."""
    if not people and case.get("status") == "closed":  # `team add` refuses a closed case: no hint to it
        return Text(_("Case {id} has no team.").format(id=case["id"]))
    if not people:
        return Text(_("Case {id} has no team yet: lingkaran team add {id} NAME --role ROLE").format(id=case["id"]))
    table = _table(
        _("Case {id} · {client}: team").format(id=case["id"], client=client_name(case)),
        (_("Name"), _("Role"), _("Agency"), _("Contact"), _("Minutes")),
    )
    for person in people:
        name = person["name"] + (
            " " + _("(left {date})").format(date=date_text(person["removed_on"])) if person["removed_on"] else ""
        )
        table.add_row(
            Text(name),
            TEAM_ROLE.label(person["role"]),
            Text(person["agency"] or ""),
            Text(person["contact"] or ""),
            str(person.get("minutes", "")),
        )
    return table


def referrals_table(referrals: list[dict], today: str | None, with_case: bool = True) -> RenderableType:
    """`referral list`: referrals with their status; an open one past its due date is marked ⚠."""
    if not referrals:
        return Text(_("No referrals."))
    headers = (_("#"), *([_("Case")] if with_case else []), _("Agency"), _("Service"), _("Sent"), _("Due"), _("Status"))
    table = _table(_("Referrals"), headers)
    for referral in referrals:
        case = [Text(f"{referral['case_id']} {client_name(referral)}")] if with_case else []
        table.add_row(
            str(referral["id"]),
            *case,
            Text(referral["agency"]),
            Text(referral["service"]),
            date_text(referral["referred_on"]),
            _due_text(referral, today),
            REFERRAL_STATUS.label(referral["status"]),
        )
    return table


def _due_text(referral: dict, today: str) -> Text:
    if not referral["due_on"]:
        return Text("–")
    # an erased case's referral (its client blanked: a name is never empty) awaits no answer any more
    overdue = referral.get("overdue", is_overdue(referral, today) and bool(referral.get("client", True)))
    return Text(("⚠ " if overdue else "") + date_text(referral["due_on"]), style="bold red" if overdue else "")


def helping_parts(detail: dict) -> list[RenderableType]:
    """The helping-system sections of `show`: links, members, team, minutes, referrals."""
    parts: list[RenderableType] = []
    links = [(_("Part of"), case) for case in detail["part_of"]] + [(_("Includes"), case) for case in detail["parts"]]
    if links:
        lines = Text()
        for label, case in links:
            lines.append(f"{label}: ", style="bold")
            lines.append(f"{case['id']} {client_name(case)} ({case['level']}, {CASE_STATUS.label(case['status'])})\n")
        lines.rstrip()
        parts.append(lines)
    if detail["members"]:
        parts.append(members_table(detail, detail["members"]))
    if detail["team"]:
        parts.append(team_table(detail, detail["team"]))
    by_role = detail["contact_minutes"]["by_role"]
    if any(row["minutes"] for row in by_role):
        parts.append(
            Text(
                _("Contact minutes by role: ")
                + " · ".join(f"{role_text(row['role'])} {row['minutes']}" for row in by_role)
            )
        )
    if detail["referrals"]:
        parts.append(referrals_table(detail["referrals"], None, with_case=False))
    if detail["ecomap_systems"]:
        parts.append(
            Text(
                ngettext(
                    "Ecomap: {count} system · lingkaran ecomap {id}",
                    "Ecomap: {count} systems · lingkaran ecomap {id}",
                    detail["ecomap_systems"],
                ).format(count=detail["ecomap_systems"], id=detail["id"])
            )
        )
    return [item for part in parts for item in (Text(""), part)]


# The ecomap --------------------------------------------------------------------------------------------------


def _line(tie: str, flow: str, toward_centre_is_right: bool) -> str:
    """A tie's line, LINE_WIDTH long, with its arrowhead: `in` points at the client, `out` at the system."""
    pattern = TIE_PATTERNS[tie]
    head_right = (flow == "in") == toward_centre_is_right
    if flow == "both":
        return "◀" + pattern * (LINE_WIDTH - 2) + "▶"
    if flow == "none":
        return pattern * LINE_WIDTH
    return pattern * (LINE_WIDTH - 1) + "▶" if head_right else "◀" + pattern * (LINE_WIDTH - 1)


def _fit(text: str, width: int) -> str:
    """`text` on one line of at most `width` terminal columns (cut with … when longer)."""
    return fit(text, width).rstrip()


def _wrap(text: str, width: int, lines: int) -> list[str]:
    words, rows = text.split(), [""]
    for word in words:
        candidate = f"{rows[-1]} {word}".strip()
        if cells(candidate) <= width or not rows[-1]:
            rows[-1] = candidate
        else:
            rows.append(word)
    rows = [_fit(row, width) for row in rows]
    return rows[: lines - 1] + [_fit(" ".join(rows[lines - 1 :]), width)] if len(rows) > lines else rows


def _put_right_aligned(canvas: Canvas, row: int, text: str, style: str) -> None:
    """A left-side label, ending one column before the tie's line."""
    canvas.put(row, LABEL_WIDTH - cells(text), text, style)


def ecomap_picture(client: str, level: str, on: str, ties: list[dict]) -> Text:
    """The client in a box at the centre, half the systems on each side, joined by patterned arrows."""
    left, right = ties[: (len(ties) + 1) // 2], ties[(len(ties) + 1) // 2 :]
    centre = [*_wrap(client, BOX_WIDTH - 2, 2), level, date_text(on)]
    height = max(2 * len(left) + 1, len(centre) + 2)
    canvas = Canvas(MAP_WIDTH, height + 1)
    canvas.put(0, BOX_LEFT, "╭" + "─" * (BOX_WIDTH - 2) + "╮")
    for row in range(1, height - 1):
        canvas.put(row, BOX_LEFT, "│")
        canvas.put(row, BOX_RIGHT, "│")
    canvas.put(height - 1, BOX_LEFT, "╰" + "─" * (BOX_WIDTH - 2) + "╯")
    top = (height - len(centre)) // 2
    for offset, text in enumerate(centre):
        canvas.put(top + offset, BOX_LEFT + 1 + (BOX_WIDTH - 2 - cells(text)) // 2, text, "bold" if offset == 0 else "")
    first_row = (height - (2 * len(left) - 1)) // 2
    for index, tie in enumerate(left):
        row = first_row + 2 * index
        style = TIE_STYLES[tie["tie"]]
        _put_right_aligned(canvas, row, _fit(tie["system"], LABEL_WIDTH), "bold")
        _put_right_aligned(canvas, row + 1, _fit(f"({ECOMAP_KIND.label(tie['kind'])})", LABEL_WIDTH), "dim")
        canvas.put(row, LEFT_LINE, _line(tie["tie"], tie["flow"], toward_centre_is_right=True), style)
        canvas.put(row, BOX_LEFT, "┤")
    for index, tie in enumerate(right):
        row = first_row + 2 * index
        style = TIE_STYLES[tie["tie"]]
        canvas.put(row, BOX_RIGHT, "├")
        canvas.put(row, RIGHT_LINE, _line(tie["tie"], tie["flow"], toward_centre_is_right=False), style)
        canvas.put(row, RIGHT_LABEL, _fit(tie["system"], MAP_WIDTH - RIGHT_LABEL), "bold")
        canvas.put(row + 1, RIGHT_LABEL, _fit(f"({ECOMAP_KIND.label(tie['kind'])})", MAP_WIDTH - RIGHT_LABEL), "dim")
    return canvas.text()


def ecomap_legend() -> Text:
    """The key to the ecomap's lines and arrows."""
    ties = "  ".join(f"{TIE_PATTERNS[tie] * 3} {TIE.label(tie)}" for tie in ("strong", "tenuous", "stressful"))
    return Text(ties + "   " + _("▶ ◀ the way energy and resources flow"), style="dim")


def ecomap_view(result: dict) -> RenderableType:
    """`ecomap CASE`: the picture, its key, and each system with its note."""
    title = Text(
        _("Ecomap · case {id} · {client} · {date}").format(
            id=result["case_id"], client=client_name(result), date=date_text(result["on"])
        ),
        style="bold",
    )
    if not result["systems"]:
        return Group(
            title,
            Text(
                _("Nothing drawn yet: lingkaran ecomap add {id} SYSTEM --kind KIND --tie TIE").format(
                    id=result["case_id"]
                )
            ),
        )
    level = LEVEL.label(result["level"]).split(":")[0]
    picture = ecomap_picture(client_name(result), level, result["on"], result["systems"])
    table = _table("", (_("System"), _("Tie"), _("Flow"), _("Since"), _("Note")))
    for tie in result["systems"]:
        table.add_row(
            Text(tie["system"]),
            TIE.label(tie["tie"]),
            FLOW.label(tie["flow"]),
            date_text(tie["since"]),
            Text(tie["note"] or ""),
        )
    return Group(title, Text(""), picture, ecomap_legend(), Text(""), table)


def _tie_text(tie: dict | None) -> str:
    if tie is None:
        return "–"
    return f"{TIE_PATTERNS[tie['tie']] * 3} {TIE.label(tie['tie'])}, {FLOW.label(tie['flow'])}"


def ecomap_comparison(result: dict) -> RenderableType:
    """`ecomap CASE --compare`: each system at intake and now, and which way it moved."""
    title = Text(
        _("Ecomap · case {id} · {client}: {start} → {end}").format(
            id=result["case_id"],
            client=client_name(result),
            start=date_text(result["from"]),
            end=date_text(result["on"]),
        ),
        style="bold",
    )
    if not result["changes"]:
        return Group(title, Text(_("Nothing drawn yet.")))
    table = _table("", (_("System"), date_text(result["from"]), date_text(result["on"]), _("Change")))
    for row in result["changes"]:
        table.add_row(
            Text(row["system"]),
            _tie_text(row["before"]),
            _tie_text(row["after"]),
            f"{CHANGE_MARKS[row['change']]} {ECOMAP_CHANGE.label(row['change'])}",
        )
    return Group(title, Text(""), table)


DOT_STYLES = {
    "strong": 'style="bold", penwidth=3',
    "tenuous": 'style="dashed"',
    "stressful": 'style="solid", color="red", label="/ / /"',
}
DOT_DIRECTIONS = {"in": "back", "out": "forward", "both": "both", "none": "none"}


def ecomap_dot(client: str, on: str, ties: list[dict]) -> str:
    """The ecomap as Graphviz DOT (neato lays it out round the client): `dot -Tpdf` prints it."""
    title = _("Ecomap of {client}, {date}").format(client=client, date=on)  # not inside the f-string: Babel
    lines = [
        "digraph ecomap {",
        '  layout="neato"; overlap=false; splines=true;',  # extracts no _() there
        f"  label={_dot_string(title)};",
        f'  client [label={_dot_string(client)}, shape=doublecircle, style="bold"];',
    ]
    for number, tie in enumerate(ties, start=1):
        system = "{system}\n({kind})".format(system=tie["system"], kind=ECOMAP_KIND.label(tie["kind"]))
        lines.append(f"  s{number} [label={_dot_string(system)}, shape=ellipse];")
        lines.append(f"  client -> s{number} [{DOT_STYLES[tie['tie']]}, dir={DOT_DIRECTIONS[tie['flow']]}, len=2.2];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_string(text: str) -> str:
    """A DOT string; control characters made visible, as on every screen (the file is often printed)."""
    return '"' + printable(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
