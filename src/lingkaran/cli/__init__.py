"""The command-line interface. `main` picks the language before any help text is built, then runs the app."""

import os
import sys


def _language_flag(arguments: list[str]) -> str | None:
    for index, argument in enumerate(arguments):
        if argument == "--lang" and index + 1 < len(arguments):
            return arguments[index + 1]
        if argument.startswith("--lang="):
            return argument.split("=", 1)[1]
    return None


def main() -> None:
    """Entry point of the `lingkaran` command."""
    from lingkaran.messages import choose_language, set_language

    from lingkaran import config

    locale_vars = [os.environ.get(name) for name in ("LC_ALL", "LC_MESSAGES", "LANG")]
    preferred = os.environ.get("LINGKARAN_LANG") or config.get("lang")
    set_language(choose_language(_language_flag(sys.argv[1:]), preferred, locale_vars))
    from lingkaran.cli.app import app

    app()
