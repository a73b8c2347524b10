"""The command-line interface. `main` picks the language before any help text is built, then runs the app."""

import os
import sys

from lingkaran.cli.interrupt import stop_interrupted


def _language_flag(arguments: list[str]) -> str | None:
    for index, argument in enumerate(arguments):
        if argument == "--lang" and index + 1 < len(arguments):
            return arguments[index + 1]
        if argument.startswith("--lang="):
            return argument.split("=", 1)[1]
    return None


def _configured_language() -> str | None:
    """The `lang` setting, or None while it is not valid: `--version` and `config` must run to repair it; the
    other commands then stop with one line (cli/app.py's root callback), inside the error handling."""
    from lingkaran.errors import InvalidInput
    from lingkaran.store import settings

    try:
        return settings.get("lang")
    except InvalidInput:
        return None


def main() -> None:
    """Entry point of the `lingkaran` command: Ctrl-C from its first instruction on ends with one line, exit 130."""
    try:
        _start()
    except KeyboardInterrupt:
        stop_interrupted()


def _start() -> None:
    """Pick the language, load the app and run it."""
    from lingkaran.messages import choose_language, set_language

    locale_vars = [os.environ.get(name) for name in ("LC_ALL", "LC_MESSAGES", "LANG")]
    preferred = os.environ.get("LINGKARAN_LANG") or _configured_language()
    set_language(choose_language(_language_flag(sys.argv[1:]), preferred, locale_vars))
    from lingkaran.cli.app import app

    app()
