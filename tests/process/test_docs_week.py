"""The week in the field (docs/day-in-the-field.md, docs/id/panduan.md) runs as written: each day's commands,
on that day, on an empty caseload, with the installed command."""

import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.helpers import LINGKARAN

ROOT = Path(__file__).resolve().parents[2]
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("January", "Januari"),
            ("February", "Februari"),
            ("March", "Maret"),
            ("April",),
            ("May", "Mei"),
            ("June", "Juni"),
            ("July", "Juli"),
            ("August", "Agustus"),
            ("September",),
            ("October", "Oktober"),
            ("November",),
            ("December", "Desember"),
        ],
        start=1,
    )
    for name in names
}
DAY = re.compile(r"^### \w+,? ([0-9]{1,2}) (\w+) ([0-9]{4})$")


def week_commands(page: Path, heading: str) -> list[tuple[str, str]]:
    """Each command line of the section's ```sh blocks with the date of the day it is under."""
    text = page.read_text(encoding="utf-8")
    section = text[text.index(heading) :]
    section = section[: section.index("\n## ", 1)]
    found, day, inside = [], None, False
    for line in section.splitlines():
        if match := DAY.match(line):
            day = f"{match[3]}-{MONTHS[match[2]]:02d}-{int(match[1]):02d}"
        elif line.startswith("```"):
            inside = line == "```sh"
        elif inside and line.strip():
            found.append((day, line))
    return found


@pytest.mark.parametrize(
    ("page", "heading"),
    [("docs/day-in-the-field.md", "## A week in the field"), ("docs/id/panduan.md", "## Seminggu di lapangan")],
)
def test_the_week_in_the_field_runs_as_written(page, heading, tmp_path):
    commands = week_commands(ROOT / page, heading)
    assert len(commands) > 20 and all(day for day, _line in commands)
    path = str(Path(LINGKARAN).parent) + os.pathsep + os.environ["PATH"]
    for day, line in commands:
        done = subprocess.run(
            line,
            shell=True,
            capture_output=True,
            text=True,
            cwd=tmp_path,
            timeout=60,
            env={**os.environ, "PATH": path, "LINGKARAN_TODAY": day},
        )
        assert (day, line, done.returncode) == (day, line, 0), done.stderr
        assert "Traceback" not in done.stderr
    assert (tmp_path / "minggu-ini.ics").read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
