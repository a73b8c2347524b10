"""The case report as Markdown or self-contained HTML, laid out by Jinja2 templates (templates/report.*).

Jinja2 because the report is a document with loops and optional sections: a template keeps its layout
readable and separate from the figures (report.py), HTML autoescaping is built in and on, and the same
content feeds two formats. It is imported only here, so no other command pays for it.
"""

import re

from lingkaran.messages import _, ngettext
from lingkaran.render.plain import printable

MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~&])")


def markdown_text(value: object) -> object:
    """What a Markdown template prints: client text on one line with every Markdown character escaped."""
    if value is None:
        return "–"
    if isinstance(value, str):
        return MARKDOWN_SPECIAL.sub(r"\\\1", printable(" ".join(value.split())))
    return value


def html_text(value: object) -> object:
    """What an HTML template prints before autoescaping: a dash for nothing, control characters made visible."""
    if value is None:
        return "–"
    return printable(value) if isinstance(value, str) else value


def _label_filters() -> dict:
    """`{{ item.kind|activity }}`, `|role`, `|tie`, ...: a stored value's word in the interface language (None stays None);
    `|client`: the client's name, "(erased)" once erasure blanked it."""
    from lingkaran.domain import cycle, helping_system

    def filter_for(labels: dict[str, str]):
        return lambda value: None if value is None else cycle.label(labels, value)

    return {"activity": filter_for(cycle.ACTIVITY_LABELS), "reason": filter_for(cycle.REASON_LABELS),
            "decision": filter_for(cycle.DECISION_LABELS), "risk": filter_for(cycle.RISK_LABELS),
            "status": filter_for(cycle.STATUS_LABELS), "role": filter_for(helping_system.TEAM_ROLE_LABELS),
            "referral": filter_for(helping_system.REFERRAL_STATUS_LABELS), "system": filter_for(helping_system.ECOMAP_KIND_LABELS),
            "tie": filter_for(helping_system.TIE_LABELS), "flow": filter_for(helping_system.FLOW_LABELS),
            "client": lambda name: name or _("(erased)")}


def render(report: dict, fmt: str) -> str:
    """The report in `fmt` (md or html)."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    environment = Environment(
        loader=PackageLoader("lingkaran", "templates"), autoescape=fmt == "html", undefined=StrictUndefined,
        finalize=html_text if fmt == "html" else markdown_text, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True)
    environment.globals.update(_=_, ngettext=ngettext)
    environment.filters.update(_label_filters())
    return environment.get_template(f"report.{fmt}").render(**report)
