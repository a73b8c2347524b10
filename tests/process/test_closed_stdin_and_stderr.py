"""A script may start lingkaran with stdin or stderr closed (`lingkaran … <&-`, `2>&-`; Python then has
sys.stdin or sys.stderr None), or with stderr on a full disk (`2>/dev/full`). A closed stdin reads as empty
and is no terminal; a stderr that cannot be written drops the error line. Either way: no traceback, and the
documented exit code."""

import os
import subprocess

import pytest

from tests.helpers import LINGKARAN


def run_with_closed(descriptor: int, *args: str) -> subprocess.CompletedProcess:
    """Run lingkaran with file descriptor 0 (stdin) or 2 (stderr) closed, capturing what else it has."""
    capture = {"stdout": subprocess.PIPE}
    if descriptor != 2:
        capture["stderr"] = subprocess.PIPE
    return subprocess.run([LINGKARAN, *args], text=True, timeout=60, **capture, preexec_fn=lambda: os.close(descriptor))


def test_a_closed_stdin_is_not_a_terminal_so_missing_values_are_exit_2(active_case):
    for args in [("intervene", active_case), ("show",), ("forget", active_case)]:
        result = run_with_closed(0, *args)
        assert result.returncode == 2, (args, result.returncode, result.stderr)
        assert result.stderr.startswith("lingkaran: ") and result.stderr.count("\n") == 1, (args, result.stderr)


def test_a_closed_stdin_reads_as_empty_text(active_case, cli):
    note = run_with_closed(0, "note", active_case, "-")
    assert note.returncode == 2 and note.stderr == "lingkaran: missing TEXT; give them as flags (see --help)\n"
    imported = run_with_closed(0, "import", "-", "--format", "ndjson")
    assert imported.returncode == 2 and imported.stderr.count("\n") == 1 and "Traceback" not in imported.stderr
    assert cli.json("show", active_case)["notes"] == []


def test_a_closed_stdin_does_not_stop_a_command_given_every_value(active_case):
    result = run_with_closed(0, "note", active_case, "Called the school", "--json")
    assert result.returncode == 0 and result.stderr == "" and '"text": "Called the school"' in result.stdout


def test_a_failure_with_stderr_closed_keeps_its_exit_code(active_case):
    assert run_with_closed(2, "show", "99").returncode == 3
    assert run_with_closed(2, "intervene", active_case, "--activity", "dance", "--note", "x").returncode == 2
    assert run_with_closed(2, "plan", "99", "--goal", "x").returncode == 3


def test_a_success_with_stderr_closed_is_still_a_success(active_case):
    result = run_with_closed(2, "show", active_case, "--json")
    assert result.returncode == 0 and '"phase": "intervention"' in result.stdout


def run_with_stderr_full(*args: str, unbuffered: bool) -> subprocess.CompletedProcess:
    """Run lingkaran with stderr on a device that refuses every write (`2>/dev/full`)."""
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    if unbuffered:
        environment["PYTHONUNBUFFERED"] = "1"
    with open("/dev/full", "w") as full:
        return subprocess.run(
            [LINGKARAN, *args], stdout=subprocess.PIPE, stderr=full, text=True, env=environment, timeout=60
        )


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (always full)")
@pytest.mark.parametrize("unbuffered", [False, True], ids=["buffered", "unbuffered"])
def test_a_stderr_that_cannot_be_written_loses_lines_not_exit_codes(cli, active_case, unbuffered):
    assert run_with_stderr_full("show", "99", unbuffered=unbuffered).returncode == 3
    assert (
        run_with_stderr_full(
            "intervene", active_case, "--activity", "dance", "--note", "x", unbuffered=unbuffered
        ).returncode
        == 2
    )
    cli.ok("open", "Budi", "--level", "mikro", "--problem", "Lost his job")  # no consent: export warns on stderr
    exported = run_with_stderr_full("export", "--force", "--format", "ndjson", unbuffered=unbuffered)
    assert exported.returncode == 0 and '"table":"cases"' in exported.stdout
