"""The report's pictures as inline SVG drawn here (no external program, no script): the cycle ring, the ecomap and
each assessment domain's ratings over time. Every label is escaped; each picture carries a title for screen
readers and for print."""

import math
from html import escape

from lingkaran.domain.vocabularies import PHASE, TIE
from lingkaran.messages import _

RING_STEPS = ("engagement", "assessment", "planning", "intervention", "monitoring", "evaluation", "termination")
INK, MUTED, ACCENT, FAINT = "#1d1d1f", "#5f6368", "#2a7f62", "#c9cdd2"
CLIENT_RADIUS, SYSTEM_RADIUS = 46, 40
TIE_STROKES = {
    "strong": 'stroke-width="4"',
    "tenuous": 'stroke-width="2" stroke-dasharray="6 5"',
    "stressful": 'stroke-width="2.5" stroke="#b3261e"',
}


def _svg(width: int, height: int, title: str, body: list[str]) -> str:
    return (
        f'<svg viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{escape(title)}" font-family="system-ui, sans-serif" '
        f'font-size="12"><title>{escape(title)}</title>{"".join(body)}</svg>'
    )


def _text(x: float, y: float, text: str, **attributes: str) -> str:
    extra = "".join(f' {name.replace("_", "-")}="{value}"' for name, value in attributes.items())
    return f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{escape(text)}</text>'


def _around(index: int, count: int, radius: float, centre: tuple[float, float]) -> tuple[float, float]:
    """The point of `index` of `count` on a circle, the first at the top, going clockwise."""
    angle = 2 * math.pi * index / count - math.pi / 2
    return centre[0] + radius * math.cos(angle), centre[1] + radius * math.sin(angle)


def _anchor(x: float, centre_x: float) -> str:
    """A label beside a point on a circle reads away from the circle: left of it, right of it, or centred."""
    return "middle" if abs(x - centre_x) < 20 else "start" if x > centre_x else "end"


def cycle_ring(phase: str, closed: bool = False) -> str:
    """The seven steps around a ring, the case's step filled (every step done once the case is closed)."""
    width, height, radius = 400, 290, 105
    centre = (width / 2, height / 2)
    reached = len(RING_STEPS) if closed else RING_STEPS.index(phase) + 1 if phase in RING_STEPS else 0
    body = [f'<circle cx="{centre[0]}" cy="{centre[1]}" r="{radius}" fill="none" stroke="{FAINT}" stroke-width="2"/>']
    for index, step in enumerate(RING_STEPS):
        x, y = _around(index, len(RING_STEPS), radius, centre)
        current = index + 1 == reached and not closed
        fill = ACCENT if index < reached else "#fff"
        body.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{13 if current else 9}" fill="{fill}" '
            f'stroke="{ACCENT}" stroke-width="{3 if current else 2}"/>'
        )
        label_x, label_y = _around(index, len(RING_STEPS), radius + 22, centre)
        body.append(
            _text(
                label_x,
                label_y + 4,
                PHASE.label(step),
                text_anchor=_anchor(label_x, centre[0]),
                font_weight="bold" if current else "normal",
                fill=INK if index < reached else MUTED,
            )
        )
    now = _("closed") if closed else PHASE.label(phase)
    body.append(_text(centre[0], centre[1] + 5, now, text_anchor="middle", font_size="15", font_weight="bold"))
    return _svg(width, height, _("The intervention cycle: now {step}").format(step=now), body)


def ecomap(client: str, systems: list[dict]) -> str:
    """The client in the middle and each system around, the line drawn by the tie (strong thick, tenuous dashed,
    stressful red) with arrows for the flow of resources."""
    size, radius = 460, 165 if len(systems) > 1 else 120
    centre = (size / 2, size / 2)
    body = [
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="10" markerHeight="10" '
        f'markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{INK}"/>'
        "</marker></defs>"
    ]
    for index, system in enumerate(systems):
        x, y = _around(index, max(len(systems), 1), radius, centre)
        body.append(_tie(*centre, x, y, system.get("tie"), system.get("flow")))
        body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{SYSTEM_RADIUS}" fill="#fff" stroke="{INK}"/>')
        body.append(_text(x, y - 2, _short(system["system"], 12), text_anchor="middle", font_size="11"))
        tie = TIE.label(system["tie"]) if system.get("tie") else ""
        body.append(_text(x, y + 13, tie, text_anchor="middle", fill=MUTED, font_size="10"))
    body.append(
        f'<circle cx="{centre[0]}" cy="{centre[1]}" r="{CLIENT_RADIUS}" fill="#eef3f1" stroke="{ACCENT}" '
        'stroke-width="2"/>'
    )
    body.append(_text(centre[0], centre[1] + 4, _short(client), text_anchor="middle", font_weight="bold"))
    return _svg(size, size, _("Ecomap of {client}").format(client=client), body)


def _tie(x1: float, y1: float, x2: float, y2: float, tie: str | None, flow: str | None) -> str:
    """A line from the client to a system, stopped at both circles, arrow heads as the resources flow."""
    length = math.hypot(x2 - x1, y2 - y1) or 1
    dx, dy = (x2 - x1) / length, (y2 - y1) / length
    start = (x1 + dx * (CLIENT_RADIUS + 2), y1 + dy * (CLIENT_RADIUS + 2))
    end = (x2 - dx * (SYSTEM_RADIUS + 2), y2 - dy * (SYSTEM_RADIUS + 2))
    heads = {
        "in": ' marker-start="url(#arrow)"',
        "out": ' marker-end="url(#arrow)"',
        "both": ' marker-start="url(#arrow)" marker-end="url(#arrow)"',
    }.get(flow or "", "")
    stroke = TIE_STROKES.get(tie or "", 'stroke-width="1.5"')
    if 'stroke="' not in stroke:
        stroke += f' stroke="{INK}"'
    return f'<line x1="{start[0]:.1f}" y1="{start[1]:.1f}" x2="{end[0]:.1f}" y2="{end[1]:.1f}" {stroke}{heads}/>'


def _short(text: str, limit: int = 14) -> str:
    """A label that fits its circle: cut with an ellipsis (the table beside the picture has it whole)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def domain_ratings(domains: list[dict]) -> str:
    """Each domain's ratings (1–5) over the assessments, one small chart a row: `domains` holds each domain's
    label and its ratings in order, as {"label": ..., "ratings": [{"on": date, "score": n}, ...]}."""
    row, width, left, plot = 46, 520, 150, 340
    body = []
    most = max((len(domain["ratings"]) for domain in domains), default=1)
    for index, domain in enumerate(domains):
        top = index * row + 8
        body.append(_text(0, top + 24, _short(domain["label"], 22)))
        body.append(f'<line x1="{left}" y1="{top + 36}" x2="{left + plot}" y2="{top + 36}" stroke="{FAINT}"/>')
        points = [
            (
                left + (plot * position / max(most - 1, 1) if most > 1 else plot / 2),
                top + 36 - (rating["score"] - 1) * 7.5,
            )
            for position, rating in enumerate(domain["ratings"])
        ]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            body.append(f'<polyline points="{path}" fill="none" stroke="{ACCENT}" stroke-width="2"/>')
        for (x, y), rating in zip(points, domain["ratings"], strict=True):
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{ACCENT}"><title>'
                f"{escape(rating['on'])}: {rating['score']}</title></circle>"
            )
        last = domain["ratings"][-1]["score"] if domain["ratings"] else None
        if last is not None:
            body.append(_text(left + plot + 12, top + 28, f"{last}/5", fill=MUTED))
    return _svg(width, max(len(domains), 1) * row + 8, _("Assessment ratings over time (1–5)"), body)
