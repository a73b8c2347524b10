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
    """`{{ item.kind|activity }}`, `|role`, `|tie`, ...: a stored value's word in the interface language (None
    stays None); `|client`: the client's name, "(erased)" once erasure blanked it."""
    from lingkaran.domain import vocabularies as words

    def filter_for(vocabulary: words.Vocabulary):
        return lambda value: None if value is None else vocabulary.label(value)

    return {
        "activity": filter_for(words.ACTIVITY),
        "reason": filter_for(words.REASON),
        "decision": filter_for(words.DECISION),
        "risk": filter_for(words.RISK),
        "case_status": filter_for(words.CASE_STATUS),
        "goal_status": filter_for(words.GOAL_STATUS),
        "role": filter_for(words.TEAM_ROLE),
        "referral": filter_for(words.REFERRAL_STATUS),
        "system": filter_for(words.ECOMAP_KIND),
        "tie": filter_for(words.TIE),
        "flow": filter_for(words.FLOW),
        "client": lambda name: name or _("(erased)"),
    }


def environment(fmt: str):
    """Jinja2 over templates/, for Markdown (md) or HTML (html, every value autoescaped), with `_()`, `ngettext()`
    and the label filters."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    templates = Environment(
        loader=PackageLoader("lingkaran", "templates"),
        autoescape=fmt == "html",
        undefined=StrictUndefined,
        finalize=html_text if fmt == "html" else markdown_text,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    templates.globals.update(_=_, ngettext=ngettext)
    templates.filters.update(_label_filters())
    return templates


def render(report: dict, fmt: str) -> str:
    """The report in `fmt` (md or html; HTML with its pictures)."""
    if fmt == "html":
        report = {**report, "pictures": report_pictures(report)}
    return environment(fmt).get_template(f"report.{fmt}").render(**report)


def report_pictures(report: dict) -> dict:
    """The cycle ring, the ecomap and the domains' ratings over time as inline SVG (escaped as they are drawn)."""
    from markupsafe import Markup

    from lingkaran.render import pictures

    case = report["case"]
    drawn = {
        "ring": pictures.cycle_ring(case["phase"], closed=case["status"] == "closed"),
        "ecomap": pictures.ecomap(case["client"] or _("(erased)"), report["ecomap"]["systems"])
        if report["ecomap"]["systems"]
        else None,
        "ratings": pictures.domain_ratings(report["domain_series"]) if report["domain_series"] else None,
    }
    return {name: Markup(svg) if svg else None for name, svg in drawn.items()}
