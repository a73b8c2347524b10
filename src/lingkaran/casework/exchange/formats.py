"""What lingkaran reads and writes: its export format's name and version, the formats, and telling them apart."""

import json
from collections.abc import Callable

from lingkaran.errors import InvalidInput
from lingkaran.messages import _

FORMAT_NAME = "lingkaran-export"
FORMAT_VERSION = 1
FORMATS = ("json", "ndjson", "csv")
Advance = Callable[[int], None]


def no_progress(count: int) -> None:
    """Used when nobody is watching."""


def check_format(value: str, allowed: tuple[str, ...] = FORMATS) -> str:
    """One of the formats, given with --format."""
    fmt = value.strip().lower().replace("jsonl", "ndjson")
    if fmt not in allowed:
        raise InvalidInput(
            _("--format {value!r} is not valid; use one of: {valid}").format(value=value, valid=", ".join(allowed))
        )
    return fmt


def detect_format(first_line: str) -> str:
    """The format of a file to import, from its first line: an export's header, a JSON document, or CSV."""
    if not first_line.lstrip().startswith(("{", "[")):
        return "csv"
    try:
        document = json.loads(first_line)
    except RecursionError:
        return "ndjson"  # a whole document on one line, nested too deeply: reading it says so
    except ValueError:
        return "json"
    # a whole JSON export on one line (`jq -c`) parses as one line too: its "records" tell it from a header
    return "json" if isinstance(document, dict) and "records" in document else "ndjson"
