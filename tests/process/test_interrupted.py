"""Ctrl-C outside a guided prompt (while lingkaran waits on stdin, or works) ends with exit 130 and the one line
scripting.md promises, `lingkaran: interrupted; nothing was written`, and writes nothing."""

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from lingkaran.errors import ExitCode
from tests.helpers import LINGKARAN


def test_ctrl_c_in_the_middle_of_a_write_says_so_and_writes_nothing(cli, active_case, monkeypatch):
    from lingkaran.store import events

    append = events.append

    def interrupted_append(conn, *args, **kwargs):
        append(conn, *args, **kwargs)  # the note row and its event are written, not yet committed
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(events, "append", interrupted_append)
        result = cli("note", active_case, "Called the school")
    assert result.exit_code == ExitCode.INTERRUPTED
    assert result.stderr == "lingkaran: interrupted; nothing was written\n" and result.stdout == ""
    assert cli.json("show", active_case)["notes"] == []


def waiting_on_a_pipe(pid: int) -> bool:
    return "pipe" in Path(f"/proc/{pid}/wchan").read_text()


@pytest.mark.skipif(not Path("/proc/self/wchan").exists(), reason="needs Linux /proc to see the read begin")
def test_a_real_sigint_during_an_import_from_stdin_says_so(active_case, db_path):
    before = db_path.read_bytes()
    importing = subprocess.Popen(
        [LINGKARAN, "import", "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        for _attempt in range(600):  # until it waits for the first line (at most a minute)
            if waiting_on_a_pipe(importing.pid):
                break
            time.sleep(0.1)
        importing.send_signal(signal.SIGINT)
        out, err = importing.communicate(timeout=60)
    finally:
        if importing.poll() is None:
            os.kill(importing.pid, signal.SIGKILL)
    assert importing.returncode == ExitCode.INTERRUPTED and out == ""
    assert err == "lingkaran: interrupted; nothing was written\n"
    assert db_path.read_bytes() == before
