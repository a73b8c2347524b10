"""Rich renderables for the visit schedule: one line a visit, the command that records it below."""

from rich.console import Group, RenderableType
from rich.text import Text

from lingkaran.domain.dates import when_text
from lingkaran.domain.vocabularies import ACTIVITY
from lingkaran.messages import _
from lingkaran.render.plain import client_name


def visit_line(visit: dict) -> Text:
    """`! Tue 16 Jun 2026 09:00  #3 Siti · home-visit · Kp. Rawa` (! a missed visit, ✔ done, ✗ cancelled)."""
    mark = {"done": "✔", "cancelled": "✗"}.get(visit["status"], "!" if visit.get("missed") else " ")
    line = Text(f"{mark} {when_text(visit):<22} #{visit['case_id']} ", no_wrap=True, overflow="ellipsis")
    what = [client_name(visit), ACTIVITY.label(visit["kind"]), visit.get("place") or ""]
    line.append(" · ".join(part for part in what if part), style="bold" if visit.get("missed") else None)
    return line


def schedule_table(visits: list[dict], week: bool) -> RenderableType:
    """`visit list`: each visit, then who goes and why, then the command that records it."""
    if not visits:
        return Text(_("No visits planned this week.") if week else _("No visits planned."))
    lines: list[RenderableType] = []
    for visit in visits:
        lines.append(visit_line(visit))
        details = [visit.get("purpose") or "", ", ".join(visit.get("by") or [])]
        if any(details):
            lines.append(Text("    " + " · ".join(part for part in details if part), style="dim"))
        if visit["status"] == "planned":
            command = f"lingkaran visit done {visit['id']} --note TEXT"  # the command line, in no language
            lines.append(Text(f"    → {command}", style="dim"))
    return Group(*lines)
