"""Options several commands share, declared once."""

import os
from typing import Annotated

import typer

from lingkaran.domain import parse as values
from lingkaran.domain.vocabularies import Vocabulary
from lingkaran.messages import _

JsonFlag = Annotated[bool, typer.Option("--json", help=_("Print JSON on stdout instead of text."))]
DateOption = Annotated[str, typer.Option("--date", help=_("When it happened: YYYY-MM-DD, today or yesterday."))]
ByOption = Annotated[
    list[str] | None,
    typer.Option(
        "--by",
        help=_(
            "Who carried it out (default: $LINGKARAN_WORKER, then the worker setting); repeat it for each "
            "person who went on a joint visit."
        ),
        show_default=False,
    ),
]
ParticipantsOption = Annotated[
    int | None,
    typer.Option(help=_("How many people took part (a group session, a community meeting)."), show_default=False),
]
CaseArgument = Annotated[
    str | None, typer.Argument(metavar="CASE", help=_("The case number (or its UUID)."), show_default=False)
]


def choice_option(vocabulary: Vocabulary) -> typer.models.OptionInfo:
    """An option taking one of a vocabulary's values (or a word for one): its flag and --help from the table."""
    return typer.Option(vocabulary.flag, help=vocabulary.help_text(), show_default=False)


def given_as(ctx: typer.Context, parameter: str, flag: str) -> str:
    """How a value was given, for a message about it: its flag, or the environment variable it came from."""
    source = ctx.get_parameter_source(parameter)
    if source is not None and source.name == "ENVIRONMENT":
        return next(param.envvar for param in ctx.command.params if param.name == parameter)
    return flag


def people(by: list[str] | str | None) -> list[str]:
    """The people named with --by (each once checked), else $LINGKARAN_WORKER, else the worker setting."""
    names = [by] if isinstance(by, str) else list(by or [])
    if names:
        return [name for name in (values.clean_text(name, "--by") for name in names) if name]
    if os.environ.get("LINGKARAN_WORKER"):
        return [values.clean_text(os.environ["LINGKARAN_WORKER"], "LINGKARAN_WORKER")]
    from lingkaran.store import settings as config

    worker = values.clean_text(config.get("worker"), "--by")
    return [worker] if worker else []
