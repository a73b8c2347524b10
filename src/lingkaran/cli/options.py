"""Options several commands share, declared once."""

from typing import Annotated

import typer

from lingkaran.domain.vocabularies import Vocabulary
from lingkaran.messages import _

JsonFlag = Annotated[bool, typer.Option("--json", help=_("Print JSON on stdout instead of text."))]
DateOption = Annotated[str, typer.Option("--date", help=_("When it happened: YYYY-MM-DD, today or yesterday."))]
CaseArgument = Annotated[str | None, typer.Argument(
    metavar="CASE", help=_("The case number (or its UUID)."), show_default=False)]


def choice_option(vocabulary: Vocabulary) -> typer.models.OptionInfo:
    """An option taking one of a vocabulary's values (or a word for one): its flag and --help from the table."""
    return typer.Option(vocabulary.flag, help=vocabulary.help_text(), show_default=False)


def given_as(ctx: typer.Context, parameter: str, flag: str) -> str:
    """How a value was given, for a message about it: its flag, or the environment variable it came from."""
    source = ctx.get_parameter_source(parameter)
    if source is not None and source.name == "ENVIRONMENT":
        return next(param.envvar for param in ctx.command.params if param.name == parameter)
    return flag
