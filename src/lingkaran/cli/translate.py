"""Typer's own words, command help and click's usage errors in the interface language.

Typer 0.28 vendors click (`typer._click`) with its English words written in as plain literals, and
`typer.rich_utils` reads its panel titles through the process-wide gettext domain when it is first imported.
Neither can be bound to our catalog, so the words a person meets in `--help` and in usage errors are marked
here with N_() (the catalog tool extracts them) and swapped in: the help panel titles and notes just before help
is drawn, the usage line and the help option by the command classes below, and usage errors by matching
click's English sentence against the templates in CLICK_ERRORS.

Command help comes from each command's one-line docstring; `translate_help` passes it through `_()` when the
command is built, so the command modules need not wrap anything.
"""

import functools
import re
from collections.abc import Iterator

import typer
from typer import Typer
from typer.core import TyperCommand, TyperGroup
from typer.main import solve_typer_info_help
from typer.models import CommandInfo, DefaultPlaceholder, TyperInfo

from lingkaran.cli.flags import OneWayFlags
from lingkaran.messages import N_, _, current_language

# click's error classes, as typer bundles it (typer._click, not the click package), from the ones Typer exports
UsageError, ClickException = (
    next(cls for cls in typer.BadParameter.__mro__ if cls.__name__ == name) for name in ("UsageError", "ClickException")
)

# typer.rich_utils attribute: its English text.
RICH_HELP_WORDS = {
    "ARGUMENTS_PANEL_TITLE": N_("Arguments"),
    "OPTIONS_PANEL_TITLE": N_("Options"),
    "COMMANDS_PANEL_TITLE": N_("Commands"),
    "ERRORS_PANEL_TITLE": N_("Error"),
    "DEFAULT_STRING": N_("[default: {}]"),
    "ENVVAR_STRING": N_("[env var: {}]"),
    "REQUIRED_LONG_STRING": N_("[required]"),
    "DEPRECATED_STRING": N_("(deprecated) "),
    "ABORTED_TEXT": N_("Aborted."),
}
USAGE_PREFIX = N_("Usage: ")
# Words typer.core looks up with the process-wide gettext.gettext while drawing plain help; `localize` points
# that lookup at our catalog.
TYPER_CORE_WORDS = (N_("default: {default}"), N_("required"), N_("env var: {var}"))
HELP_OPTION_HELP = N_("Show this message and exit.")
USAGE_PIECES = {"[OPTIONS]": N_("[OPTIONS]"), "COMMAND [ARGS]...": N_("COMMAND [ARGS]...")}

# click's usage errors, most specific first; {name} matches any text. The English template must reproduce
# click's sentence exactly (a test checks the common ones), the translation may reorder the parts.
CLICK_ERRORS = (
    N_("No such option: {option} (Possible options: {possible})"),
    N_("No such option: {option}"),
    N_("No such command {name}."),
    N_("Missing command."),
    N_("Missing argument {name}."),
    N_("Missing option {name}."),
    N_("Missing parameter {name}."),
    N_("Option {option} requires an argument."),
    N_("Option {option} requires {count} arguments."),
    N_("Option {option} does not take a value."),
    N_("Got unexpected extra argument(s) ({arguments})"),
    N_("Invalid value for {name}: {value} is not a valid integer."),
    N_("Invalid value for {name}: {value} is not a valid int."),
    N_("Invalid value for {name}: {value} is not a valid float."),
    N_("Invalid value for {name}: {value} is not a valid boolean. Recognized values: {values}"),
    N_("Invalid value for {name}: {value} is not in the range {range}."),
    N_("Invalid value for {name}: {problem}"),
)


@functools.cache
def _template_pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)
    pattern = "".join(re.escape(part) if index % 2 == 0 else f"(?P<{part}>.+?)" for index, part in enumerate(parts))
    return re.compile(f"^{pattern}$", re.DOTALL)


def usage_error_text(message: str) -> str:
    """click's English usage error in the interface language (unchanged in English or when not recognised)."""
    if current_language() == "en":
        return message
    for template in CLICK_ERRORS:
        found = _template_pattern(template).match(message)
        if found:
            return _(template).format(**found.groupdict())
    return message


class LocalizedHelp:
    """Draws `--help` with Typer's own words (Usage, Options, default, ...) in the interface language."""

    def format_help(self, ctx, formatter) -> None:
        if getattr(self, "rich_markup_mode", None) is not None:  # Rich help (not ours: see docs/performance.md)
            import typer.rich_utils as rich_utils

            for attribute, text in RICH_HELP_WORDS.items():
                setattr(rich_utils, attribute, _(text))
        section = formatter.section
        formatter.section = lambda name: section(_(name))  # plain help's headings: Options, Commands, Arguments
        super().format_help(ctx, formatter)

    def format_usage(self, ctx, formatter) -> None:
        pieces = [
            _(USAGE_PIECES[piece]) if piece in USAGE_PIECES else piece for piece in self.collect_usage_pieces(ctx)
        ]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=_(USAGE_PREFIX))

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = _(HELP_OPTION_HELP)
        return option


class LocalizedCommand(LocalizedHelp, OneWayFlags, TyperCommand):
    """A command whose help is drawn in the interface language (and whose on/off flags go one way only)."""

    def parse_args(self, ctx, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except UsageError as error:
            # click's parser leaves the command out of some errors ("--level requires an argument"), and the
            # message then sent the worker to `lingkaran --help` instead of this command's help.
            error.ctx = error.ctx or ctx
            raise


class LocalizedGroup(LocalizedHelp, TyperGroup):
    """A group of commands whose help is drawn in the interface language."""


def commands(app: Typer) -> Iterator[CommandInfo]:
    """Every command registered on `app` and on the Typer apps added to it."""
    yield from app.registered_commands
    for group in app.registered_groups:
        if group.typer_instance is not None:
            yield from commands(group.typer_instance)


def groups(app: Typer) -> Iterator[TyperInfo]:
    """Every Typer app added to `app` (as a command group), at any depth."""
    for group in app.registered_groups:
        yield group
        if group.typer_instance is not None:
            yield from groups(group.typer_instance)


def group_help(group: TyperInfo) -> str:
    """The help text Typer would show for a group: its help=, else its callback's docstring."""
    return solve_typer_info_help(group) or ""


def _localized(cls, default: type, localized: type) -> type:
    """The class to build a command with: ours for Typer's default, else the given class with our help mixed in."""
    value = cls.value if isinstance(cls, DefaultPlaceholder) else cls
    if value in (None, default):
        return localized
    if issubclass(value, LocalizedHelp):
        return value
    return type(value.__name__, (LocalizedHelp, value), {"__doc__": value.__doc__, "__module__": value.__module__})


def localize(app: Typer) -> None:
    """Give every command and group of `app` the localized help classes (their help is translated when built)."""
    import typer.core

    typer.core._ = _  # its option notes ([default: …], [required]) in the interface language
    for command in commands(app):
        command.cls = _localized(command.cls, TyperCommand, LocalizedCommand)
    for group in groups(app):
        instance_cls = group.typer_instance.info.cls if group.typer_instance else None
        chosen = group.cls if not isinstance(group.cls, DefaultPlaceholder) else instance_cls
        group.cls = _localized(chosen, TyperGroup, LocalizedGroup)


def translate_help(command) -> None:
    """A built command's help (its docstring, a group's help) and its sub-commands' in the interface language."""
    if command.help:
        command.help = _(command.help)
    for sub_command in getattr(command, "commands", {}).values():
        translate_help(sub_command)
