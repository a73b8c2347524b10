"""Killing the installed `lingkaran` at a chosen moment, as a dead battery or `kill -9` would."""

import signal
import subprocess
import time
from collections.abc import Callable

from .conftest import LINGKARAN


def killed_when(args: list, ready: Callable[[], bool]) -> bool:
    """Start lingkaran with `args` and SIGKILL it the moment `ready()` holds (looked at every 0.2 ms). Whether it
    was still running then (False: it had finished)."""
    process = subprocess.Popen([LINGKARAN, *map(str, args)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while process.poll() is None and not ready():
        time.sleep(0.0002)
    killed = process.poll() is None
    if killed:
        process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    return killed


def after(seconds: float) -> Callable[[], bool]:
    """A moment `seconds` from now, as a `ready` for `killed_when`."""
    deadline = time.monotonic() + seconds
    return lambda: time.monotonic() >= deadline
