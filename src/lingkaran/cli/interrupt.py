"""Ctrl-C at any moment of a run: one line saying whether the command's change was saved, exit 130, and never a
traceback (also while lingkaran is still starting, before the app is loaded)."""

import sys  # and nothing more here: this module is loaded before anything else, while Ctrl-C may already come


def interrupted_message() -> str:
    """What a Ctrl-C left behind, in words: the change saved before it, or nothing written."""
    from lingkaran.messages import _

    session = sys.modules.get("lingkaran.cli.session")  # not loaded yet: no caseload was opened
    run = session.Session.current if session is not None else None
    if run is not None and run.saved_changes():
        return _("interrupted after the change was saved; it is in the caseload, so do not run the command again")
    return _("interrupted; nothing was written")


def new_run() -> None:
    """Forget the session of an earlier run in this process (in-process runs, tests): nothing is saved yet."""
    session = sys.modules.get("lingkaran.cli.session")
    if session is not None:
        session.Session.current = None


def stop_interrupted() -> None:
    """End a run that Ctrl-C reached outside the app's own handling: the line on stderr, exit 130."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not interrupt the goodbye
    try:
        sys.stderr.write(f"lingkaran: {interrupted_message()}\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass  # no stderr to write to: the exit code still tells
    sys.exit(130)
