"""The one output seam: what a command prints for its result goes out here, as JSON for scripts (--json) or as
text for people, plain lines or a Rich renderable. A --json run never loads what draws for people (Rich)."""

import json
import sys
from collections.abc import Callable, Iterable

from lingkaran.render.plain import colour_allowed, done_line, step_line

# Characters a terminal may obey even inside a JSON string (DEL, C1 controls, bidi overrides) leave as \u
# escapes: the same text to any JSON reader, nothing for a terminal to act on when a person reads the output.
JSON_ESCAPES = {code: f"\\u{code:04x}" for code in (*range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def print_json(data: object) -> None:
    """Write JSON (and only JSON) to stdout."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str).translate(JSON_ESCAPES) + "\n")


def write_json_array(texts: Iterable[str]) -> None:
    """Write already-encoded JSON values as one array, a value a line, as they come: memory stays flat."""
    write = sys.stdout.write
    separator = "[\n"
    for text in texts:
        write(separator + text.translate(JSON_ESCAPES))
        separator = ",\n"
    write("[]\n" if separator == "[\n" else "\n]\n")


def print_lines(lines: Iterable[str]) -> None:
    """Write plain lines of text for a person (output that needs no Rich)."""
    sys.stdout.writelines(line + "\n" for line in lines)


def show(renderable: object) -> None:
    """Print a Rich renderable for a person (control characters in its text made visible)."""
    from lingkaran.render.rich_views import Printable, console

    console().print(Printable(renderable))


def emit(json_output: bool, data: object, human: Callable[[], object]) -> None:
    """`data` as JSON for scripts; else what `human()` draws for people (called only then, so it may load Rich):
    a line or a list of lines of plain text, or a Rich renderable."""
    if json_output:
        print_json(data)
        return
    drawn = human()
    if isinstance(drawn, str):
        print_lines([drawn])
    elif isinstance(drawn, list):
        print_lines(drawn)
    else:
        show(drawn)


def confirm(json_output: bool, result: dict, message: str, *, step: bool = False) -> None:
    """A change's result: JSON for scripts, else one plain ✔ line for people (and, after a `step` of the cycle,
    where the case is now)."""
    emit(
        json_output,
        result,
        lambda: (
            step_line(result, message, colour=colour_allowed()) if step else done_line(message, colour=colour_allowed())
        ),
    )
