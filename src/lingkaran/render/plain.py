"""Output for people that needs no Rich: the caseload list and the line that confirms a step.

An agency's list has thousands of lines, which Rich's table takes seconds to lay out, and a step is the command
people run in loops, where importing Rich would be a fifth of its time (docs/performance.md). Every mark carries
its meaning without colour: ● reached, ◉ where the case is now, ○ still to come, ↻ in the monitoring loop.
"""

import functools
import os
import re
import shutil
import sys
import unicodedata
from collections.abc import Iterable, Iterator

from lingkaran.domain import cycle
from lingkaran.domain.dates import date_text
from lingkaran.domain.parse import CONTROL_CHARACTER
from lingkaran.domain.vocabularies import PHASE
from lingkaran.messages import N_, _

MARK_DONE, MARK_NOW, MARK_TODO = "●", "◉", "○"
MARK_NO_CONSENT = "⚠"
GAP = "  "
MIN_CLIENT_WIDTH = 12
# Control characters that old data or an import may carry (values.CONTROL_CHARACTER), shown as what they are
# instead of being obeyed: C0 as its Unicode control picture (ESC → ␛, BEL → ␇), DEL as ␡, C1 (e.g. CSI) as �.
CONTROL_PICTURES = {
    **{code: chr(0x2400 + code) for code in range(0x20)},
    0x7F: "␡",
    **{code: "\ufffd" for code in range(0x80, 0xA0)},
}


# Bidirectional overrides and isolates reorder what follows them on screen ("Trojan Source"): stored text keeps
# them (right-to-left names may carry them), a person sees a mark instead.
BIDI_CONTROL = "\u202a-\u202e\u2066-\u2069"
UNSAFE_ON_SCREEN = re.compile(f"{CONTROL_CHARACTER.pattern[:-1]}{BIDI_CONTROL}]")


def printable(text: str) -> str:
    """`text` safe to print on a terminal: control characters but newline and tab made visible, not obeyed."""
    if not UNSAFE_ON_SCREEN.search(text):
        return text
    return UNSAFE_ON_SCREEN.sub(lambda control: CONTROL_PICTURES.get(ord(control.group()), "\ufffd"), text)


def strip(phase: str, status: str) -> str:
    """The compact six-step strip for one line of the caseload list."""
    position = cycle.RING.index(cycle.ring_position(phase))
    marks = [
        MARK_DONE if index < position else MARK_NOW if index == position else MARK_TODO
        for index in range(len(cycle.RING))
    ]
    if status == "closed":
        marks[-1] = MARK_DONE
    return "".join(marks) + ("↻" if phase == "monitoring" else " ")


@functools.lru_cache(maxsize=4096)  # the strips, steps, levels and dates of a long list repeat
def cells(text: str) -> int:
    """How many terminal columns `text` takes (wide East Asian characters two, combining marks none)."""
    if text.isascii():
        return len(text)
    return sum(
        0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text
    )


def fit(text: str, width: int) -> str:
    """`text` on one line, cut to `width` columns (ending in … when cut) and padded to exactly `width`."""
    text = cut(" ".join(text.split()), width)
    return text + " " * (width - cells(text))


def client_name(case: dict) -> str:
    """The client's name, or "(erased)" once it was erased (erasure blanks it; a name is never empty)."""
    return _("(erased)") if case.get("erased") or not case.get("client") else case["client"]


def client_cell(case: dict) -> str:
    """The client's name in the caseload list: a mark for an erased case, a flag when consent is missing."""
    if case.get("erased") or not case.get("client"):
        return client_name(case)
    if not case.get("consent", True):
        return printable(case["client"]) + " " + _("{mark} no consent").format(mark=MARK_NO_CONSENT)
    return printable(case["client"])


def caseload_lines(
    cases: Iterable[dict], width: int | None = None, filters: str = "", closed_left_out: bool = False
) -> Iterator[str]:
    """`list`: a header, then one line a case, fitting `width` columns (default: the terminal's).

    A Members column appears when a family, group or community case on the list has members. `filters`: the
    filter flags as typed, to name when nothing matches them.
    """
    cases = list(cases)
    if not cases:
        yield _empty_list_line(filters, closed_left_out)
        return
    with_members = any(case.get("members") and case["level"] != "mikro" for case in cases)
    rows = [
        (
            str(case["id"]),
            client_cell(case),
            case["level"],
            f"{strip(case['phase'], case['status'])} {case['cycle']}",
            PHASE.label(case["phase"]) if case["status"] == "active" else _("closed"),
            date_text(case["opened_on"]),
            *([str(case.get("members") or "")] if with_members else []),
        )
        for case in cases
    ]
    header = (
        _("ID"),
        _("Client"),
        _("Level"),
        _("Cycle"),
        _("Step"),
        _("Opened"),
        *([_("Members")] if with_members else []),
    )
    widths = [max(cells(row[index]) for row in [header, *rows]) for index in range(len(header))]
    width = width or shutil.get_terminal_size((80, 24)).columns
    others = sum(widths) - widths[1] + len(GAP) * (len(header) - 1)
    widths[1] = max(MIN_CLIENT_WIDTH, min(widths[1], width - others))
    for row in [header, ["─" * w for w in widths], *rows]:
        shown = [
            fit(value, widths[index]) if index else " " * (widths[0] - cells(value)) + value
            for index, value in enumerate(row)
        ]
        yield GAP.join(shown).rstrip()


def settings_lines(settings: dict[str, object], descriptions: dict[str, str], width: int = 80) -> Iterator[str]:
    """`config list`: each setting as `key = value` under its description, a comment wrapped to `width` columns;
    the setting on one line, cut with … to `width` (`config get` and `--json` give the whole value)."""
    import textwrap

    for number, (key, value) in enumerate(settings.items()):
        if number:
            yield ""
        yield from textwrap.wrap(descriptions[key], width, initial_indent="# ", subsequent_indent="# ")
        line = printable(f"{key} = {'' if value is None else value}")  # a hand-written escape is not obeyed
        yield cut(" ".join(line.split()), width)


def _empty_list_line(filters: str, closed_left_out: bool) -> str:
    """What an empty `list` says: an empty filter is not an empty caseload."""
    if not filters:
        return _("No cases. Open one with: lingkaran open CLIENT --level mikro --problem TEXT")
    if closed_left_out:
        return _("No case matches {filters} (closed cases are left out: add --all).").format(filters=filters)
    return _("No case matches {filters}.").format(filters=filters)


def colour_allowed() -> bool:
    """Colour only on a terminal, and never with NO_COLOR set (to anything but "": no-color.org) or TERM=dumb:
    the rules Rich follows for the other views."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def step_line(result: dict, message: str, colour: bool = False, width: int | None = None) -> str:
    """The confirmation after a step: what was recorded, where the case is now (on a line of its own when both
    do not fit `width` columns, by default the terminal's: the terminal would break it mid-word)."""
    now = _("Now: {phase}").format(phase=PHASE.label(result["phase"]))
    width = width or shutil.get_terminal_size((80, 24)).columns
    gap = "  " if cells(f"✔ {printable(message)}  {now}") <= width else "\n  "
    return done_line(message, colour) + gap + (f"\x1b[1m{now}\x1b[0m" if colour else now)


def done_line(message: str, colour: bool = False) -> str:
    """The confirmation after a change: a ✔ (green when `colour`) and what was done."""
    return f"\x1b[32m✔\x1b[0m {printable(message)}" if colour else f"✔ {printable(message)}"


# What `amend` corrected, by the kind of the event it corrects.
CORRECTED_LABELS = {
    "note": N_("note"),
    "intervene": N_("activity note"),
    "contact": N_("contact note"),
    "open": N_("presenting problem"),
    "client": N_("client's name"),
    "monitor": N_("monitoring note"),
    "evaluate": N_("evaluation note"),
    "terminate": N_("termination summary"),
    "assess": N_("assessment summary"),
}

SOURCE_LABELS = {
    "cases": N_("problem"),
    "notes": N_("note"),
    "assessments": N_("assessment"),
    "goals": N_("goal"),
    "activities": N_("activity"),
    "monitoring": N_("monitoring note"),
    "evaluations": N_("evaluation"),
    "terminations": N_("termination summary"),
    "members": N_("member"),
    "team": N_("team member"),
    "referrals": N_("referral"),
    "ecomap_changes": N_("ecomap"),
    "phone": N_("phone"),
}
BOLD, RESET = "\x1b[1m", "\x1b[0m"


def search_lines(query: str, results: list[dict], colour: bool = False, width: int | None = None) -> Iterator[str]:
    """`search`: case, date, step and the matching snippet, best first; matches stand between « and ».

    Every line fits `width` columns (default: the terminal's, or $COLUMNS): a long client name is cut, the
    snippet wrapped under its case.
    """
    if not results:
        yield _("Nothing found for {query!r}.").format(query=query)
        return
    width = max(width or shutil.get_terminal_size((80, 24)).columns, 2 * MIN_CLIENT_WIDTH)
    bold, reset = (BOLD, RESET) if colour else ("", "")
    for result in results:
        where = " · " + " · ".join(
            (
                date_text(result["occurred_on"]),
                PHASE.label(result["phase"]),
                _(SOURCE_LABELS.get(result["source"], result["source"])),
            )
        )
        case = "#{id} ".format(id=result["case_id"])
        client = cut(
            printable(" ".join(result["client"].split())), max(MIN_CLIENT_WIDTH, width - cells(case) - cells(where))
        )
        yield cut(f"{bold}{case}{client}{reset}{where}", width + len(bold) + len(reset))
        snippet = printable(" ".join((result["snippet"] or "").split()))
        open_mark = False
        for line in wrap(snippet, width - len(SNIPPET_INDENT)):
            shown = (bold if open_mark else "") + line.replace("«", "«" + bold).replace("»", reset + "»")
            open_mark = line.rfind("«") > line.rfind("»") or (open_mark and "»" not in line)
            yield SNIPPET_INDENT + shown + (reset if open_mark else "")


SNIPPET_INDENT = "    "


def cut(text: str, width: int) -> str:
    """`text` cut to at most `width` columns, ending in … when cut."""
    if cells(text) <= width:
        return text
    while text and cells(text) > width - 1:
        text = text[:-1]
    return text + "…"


def wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` columns, broken at spaces (a word longer than a line is cut)."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        word = cut(word, width)
        if line and cells(line) + 1 + cells(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*lines, line]
