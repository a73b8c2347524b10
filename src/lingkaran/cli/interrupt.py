"""Ctrl-C at any moment of a run: one line saying whether the command's change was saved, exit 130, and never a
traceback (also while lingkaran is still starting, before the app is loaded)."""

import sys  # and nothing more here: this module is loaded before anything else, while Ctrl-C may already come


def interrupted_message() -> str:
    """What a Ctrl-C left behind, in words: the change saved before it, or nothing written."""
    from lingkaran.messages import _

    # not loaded yet, or still loading when Ctrl-C came (no Session class yet): no caseload was opened
    run = getattr(getattr(sys.modules.get("lingkaran.cli.session"), "Session", None), "current", None)
    if run is not None and run.saved_changes():
        return _("interrupted after the change was saved; it is in the caseload, so do not run the command again")
    return _("interrupted; nothing was written")


def new_run() -> None:
    """Forget the session of an earlier run in this process (in-process runs, tests): nothing is saved yet."""
    session = sys.modules.get("lingkaran.cli.session")
    if session is not None:
        session.Session.current = None


def hand_ctrl_c_to_the_command() -> None:
    """The command is loaded and about to run: from here on Ctrl-C raises KeyboardInterrupt, which the app turns
    into the line saying whether the change was saved (until now lingkaran.interrupted_while_starting ended it)."""
    import signal

    import lingkaran

    if signal.getsignal(signal.SIGINT) is lingkaran.interrupted_while_starting:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def stop_interrupted() -> None:
    """End a run that Ctrl-C reached outside the app's own handling: the line on stderr, exit 130."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not interrupt the goodbye
    try:
        message = interrupted_message()
    except Exception:  # Ctrl-C came while the messages were still loading: nothing could have been written yet
        message = "interrupted; nothing was written"
    try:
        sys.stderr.write(f"lingkaran: {message}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass  # no stderr to write to: the exit code still tells
    sys.exit(130)
