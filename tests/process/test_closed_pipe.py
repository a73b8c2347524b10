"""A reader that goes away early (`lingkaran log 1 | head -1`) ends lingkaran quietly, like any Unix tool:
no traceback, no "Exception ignored", exit 141 (128 + SIGPIPE, what the shell shows for `yes | head -1`)."""

import os
import subprocess

import pytest

from tests.helpers import LINGKARAN

BROKEN_PIPE = 141


def environment() -> dict:
    # Python buffers stdout when it is a pipe; PYTHONUNBUFFERED (set in some shells and CI) would hide the
    # failing flush at exit that people saw as "Exception ignored".
    return {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}


def run_into_a_closed_pipe(*args: str) -> subprocess.CompletedProcess:
    """Run lingkaran with stdout a pipe whose reader is already gone, so its first write fails."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        return subprocess.run(
            [LINGKARAN, *args], stdout=writer, stderr=subprocess.PIPE, text=True, env=environment(), timeout=60
        )
    finally:
        os.close(writer)


@pytest.fixture
def caseload(cli, active_case):
    for number in range(3):
        cli.ok("open", f"Client {number}", "--level", "mikro", "--problem", "p", "--consent")
    return active_case


def test_a_reader_gone_before_the_first_line_ends_quietly_with_141(caseload):
    for args in [
        ("log", "1"),
        ("list", "--all", "--json"),
        ("list", "--all"),
        ("show", "1"),
        ("export", "--format", "ndjson", "--force"),
        ("--version",),
    ]:
        result = run_into_a_closed_pipe(*args)
        assert result.stderr == "" and result.returncode == BROKEN_PIPE, (args, result.returncode, result.stderr)


def test_a_failed_command_keeps_its_own_line_and_exit_code(caseload):
    result = run_into_a_closed_pipe("show", "99")
    assert (
        result.returncode == 3 and result.stderr.startswith("lingkaran: no case") and "Traceback" not in result.stderr
    )


def test_head_in_a_shell_pipeline_sees_no_noise(caseload):
    for command, reader in [
        ("log 1", "head -1"),
        ("list --all --json", "head -c 10"),
        ("export --format ndjson --force", "head -1"),
    ]:
        # lingkaran's stdout goes to `head`; its stderr, alone, is what this test reads
        script = f'exec 3> >({reader} >/dev/null); "{LINGKARAN}" {command} 2>&1 >&3 | cat'
        result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=environment(), timeout=60)
        assert "Traceback" not in result.stdout and "Exception ignored" not in result.stdout, result.stdout
        assert result.stdout in ("", "lingkaran: exporting case(s) 2, 3, 4 without recorded consent (--force)\n")


def run_with_stdout_closed(*args: str) -> subprocess.CompletedProcess:
    """Run lingkaran as `lingkaran ARGS >&-`: no stdout at all (Python then has sys.stdout None)."""
    return subprocess.run(
        [LINGKARAN, *args],
        stderr=subprocess.PIPE,
        text=True,
        env=environment(),
        timeout=60,
        pass_fds=(),
        preexec_fn=lambda: os.close(1),
    )


def test_a_closed_stdout_ends_quietly_with_141_like_a_gone_reader(caseload, db_path):
    for args in [
        ("list",),
        ("list", "--all", "--json"),
        ("show", "1"),
        ("log", "1"),
        ("stats", "--json"),
        ("search", "Client"),
        ("export", "--format", "ndjson", "--force"),
        ("export", "--format", "csv", "--force"),
        ("check",),
        ("--version",),
    ]:
        result = run_with_stdout_closed(*args)
        assert result.stderr == "" and result.returncode == BROKEN_PIPE, (args, result.returncode, result.stderr)


def test_a_command_with_nothing_for_stdout_still_works_with_stdout_closed(caseload, tmp_path):
    target = tmp_path / "cases.json"
    result = run_with_stdout_closed("export", "--force", "--output", str(target))
    assert result.returncode == 0 and target.exists()


def test_a_failure_with_stdout_closed_keeps_its_line_and_exit_code(caseload):
    result = run_with_stdout_closed("show", "99")
    assert result.returncode == 3 and result.stderr.startswith("lingkaran: no case") and result.stderr.count("\n") == 1
