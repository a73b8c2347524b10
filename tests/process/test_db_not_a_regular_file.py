"""A --db that is a named pipe or a device (`--db /dev/null`, a FIFO left by a script) is refused at once with
exit 5 and one line, before lingkaran reads its header: reading a FIFO would wait for a writer for ever."""

import os
import subprocess

import pytest

from lingkaran.errors import ExitCode
from tests.helpers import LINGKARAN


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_as_the_caseload_is_refused_without_waiting(tmp_path):
    pipe = tmp_path / "caseload.db"
    os.mkfifo(pipe)
    for args in [
        ("list", "--json"),
        ("show", "1"),
        ("open", "Budi", "--level", "mikro", "--problem", "p"),
        ("check", "--json"),
        ("backup",),
    ]:
        result = subprocess.run(
            [LINGKARAN, "--db", str(pipe), *args], capture_output=True, text=True, timeout=20, stdin=subprocess.DEVNULL
        )
        assert result.returncode == ExitCode.DATABASE_UNUSABLE and result.stdout == "", args
        assert result.stderr == (
            f"lingkaran: cannot use {pipe} as the caseload: it is not a regular file (a pipe or "
            "a device); point --db (or LINGKARAN_DB) at a caseload file\n"
        ), args


def test_dev_null_as_the_caseload_says_what_is_wrong(cli):
    result = cli("--db", os.devnull, "list")
    assert result.exit_code == ExitCode.DATABASE_UNUSABLE and "is not a regular file" in result.stderr
