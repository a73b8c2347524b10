"""stdout sent to a file that cannot take it (`lingkaran show 1 --json > /mnt/full/x.json`: a full disk, a failing
device) is the user's output, like an `--output FILE` that cannot be written: exit 2 and one line naming stdout,
never a traceback, and never exit 5, which says the caseload itself cannot be used. A failure keeps its own code."""

import os
import subprocess
from pathlib import Path

import pytest

from lingkaran.errors import ExitCode
from tests.helpers import LINGKARAN

pytestmark = pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (always full)")
FULL = "lingkaran: cannot write to stdout: No space left on device\n"


def run_into_a_full_disk(*args: str, unbuffered: bool = False) -> subprocess.CompletedProcess:
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    if unbuffered:
        environment["PYTHONUNBUFFERED"] = "1"  # set in some shells and CI: each write fails at once
    with open("/dev/full", "w") as full:
        return subprocess.run(
            [LINGKARAN, *args],
            stdout=full,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            env=environment,
            timeout=60,
        )


@pytest.mark.parametrize("unbuffered", [False, True], ids=["buffered", "unbuffered"])
def test_output_that_cannot_be_written_is_exit_2_naming_stdout(cli, active_case, unbuffered):
    for number in range(40):  # enough cases for `list --json` to fill Python's output buffer before the end
        cli.ok("open", f"Client {number}", "--level", "mikro", "--problem", "A problem long enough to fill lines")
    for args in [
        ("show", active_case, "--json"),
        ("show", active_case),
        ("list", "--all", "--json"),
        ("config", "get", "no_contact_days"),
        ("--version",),
    ]:
        result = run_into_a_full_disk(*args, unbuffered=unbuffered)
        assert (result.returncode, result.stderr) == (ExitCode.INVALID_INPUT, FULL), args


def test_a_step_whose_result_cannot_be_printed_is_still_recorded(cli, active_case):
    result = run_into_a_full_disk("note", active_case, "Called the school", "--json")
    assert (result.returncode, result.stderr) == (ExitCode.INVALID_INPUT, FULL)
    assert [note["text"] for note in cli.json("show", active_case)["notes"]] == ["Called the school"]


def test_a_failure_keeps_its_own_exit_code_and_line(active_case):
    result = run_into_a_full_disk("show", "99")
    assert result.returncode == ExitCode.NO_SUCH_CASE and result.stderr.startswith("lingkaran: no case '99'")
    assert result.stderr.count("\n") == 1
