"""lingkaran: the social-work intervention cycle as a command-line caseload tool."""

import _signal  # the C module, already loaded: importing `signal` could itself be interrupted
import os
import sys

__version__ = "0.1.0"


def interrupted_while_starting(_number: int, _frame: object) -> None:
    """Ctrl-C while the `lingkaran` command is still loading and choosing what to run (until cli.commands.load
    hands Ctrl-C to the command): nothing can have been written yet, so one line and exit 130, never a traceback
    (an interrupt inside an import can surface as another error, or leave a module half made)."""
    message = "interrupted; nothing was written"
    translate = getattr(sys.modules.get("lingkaran.messages"), "_", None)
    try:
        message = translate(message) if translate else message
        sys.stderr.write(f"lingkaran: {message}\n")
        sys.stderr.flush()
    except Exception:  # half-loaded or no stderr: the exit code still tells
        pass
    os._exit(130)


# Only for the installed command: a program or a test importing lingkaran keeps its own Ctrl-C.
if os.path.basename(sys.argv[0] if sys.argv else "") == "lingkaran":
    try:
        _signal.signal(_signal.SIGINT, interrupted_while_starting)
    except ValueError:  # not the main thread: not the command's start
        pass
