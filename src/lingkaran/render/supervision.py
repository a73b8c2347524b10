"""The supervisor's caseload summary as plain lines: one a case, fitting the terminal (80 columns), printable.

No Rich and no colour: it is read on screen, piped to a printer or pasted into a report as it is.
"""

import shutil
import textwrap
from collections.abc import Iterator

from lingkaran.domain import supervision
from lingkaran.domain.vocabularies import PHASE, RISK
from lingkaran.messages import _, ngettext
from lingkaran.render.plain import GAP, cells, date_text, fit, printable

MIN_CLIENT = 10


def _short_date(iso: str | None) -> str:
    """A date without its year (5 Jun), as a column of this year's dates reads best."""
    return " ".join(date_text(iso).split()[:2]) if iso else "–"


def _last_contact(row: dict) -> str:
    if row["last_contact_on"] is None:
        return "–"
    return _("{date} ({days} d)").format(date=_short_date(row["last_contact_on"]), days=row["days_since_contact"])


def _next_visit(row: dict) -> str:
    visit = row["next_visit"]
    if not visit:
        return "–"
    return _short_date(visit["planned_on"]) + (f" {visit['at']}" if visit["at"] else "")


def _overdue(row: dict) -> str:
    """F R2 V: a letter for each kind overdue, with how many when more than one (the legend says which)."""
    parts = []
    for kind in supervision.OVERDUE_KINDS:
        found = row["overdue"][kind]
        count = 1 if kind == "follow_up" else len(found or [])
        if found:
            parts.append(_(supervision.OVERDUE_LETTERS[kind]) + (str(count) if count > 1 else ""))
    return " ".join(parts) or "–"


def summary_lines(rows: list[dict], today: str, worker: str | None, width: int | None = None) -> Iterator[str]:
    """`supervise`: a headline, one line a case (most urgent first), and the key to the overdue letters."""
    width = width or shutil.get_terminal_size((80, 24)).columns
    whose = _(" of {worker}").format(worker=worker) if worker else ""
    yield printable(_("Caseload{whose} on {date}").format(whose=whose, date=date_text(today)))
    if not rows:
        yield _("No active cases.")
        return
    needing = sum(1 for row in rows if row["overdue_count"] or row["risk"] == "high")
    yield ngettext(
        "{count} active case, {needing} with high risk or something overdue.",
        "{count} active cases, {needing} with high risk or something overdue.",
        len(rows),
    ).format(count=len(rows), needing=needing)
    yield ""
    yield from _table(rows, width)
    yield ""
    yield from textwrap.wrap(
        _("Overdue: {key}.").format(
            key=", ".join(
                f"{_(supervision.OVERDUE_LETTERS[kind])} {_(supervision.OVERDUE_LABELS[kind])}"
                for kind in supervision.OVERDUE_KINDS
            )
        ),
        width,
    )


def _table(rows: list[dict], width: int) -> Iterator[str]:
    header = (_("ID"), _("Client"), _("Step"), _("Last contact"), _("Visit"), _("Risk"), _("Overdue"))
    body = [
        (
            f"#{row['id']}",
            printable(row["client"] or _("(erased)")),
            PHASE.label(row["phase"]),
            _last_contact(row),
            _next_visit(row),
            RISK.label(row["risk"]) or "–",
            _overdue(row),
        )
        for row in rows
    ]
    widths = [max(cells(line[index]) for line in [header, *body]) for index in range(len(header))]
    others = sum(widths) - widths[1] + len(GAP) * (len(header) - 1)
    widths[1] = max(MIN_CLIENT, min(widths[1], width - others))
    for line in [header, ["─" * w for w in widths], *body]:
        yield GAP.join(fit(value, widths[index]) for index, value in enumerate(line)).rstrip()
