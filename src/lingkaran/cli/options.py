"""Options several commands share, declared once."""

from typing import Annotated

import typer

from lingkaran.messages import _

JsonFlag = Annotated[bool, typer.Option("--json", help=_("Print JSON on stdout instead of text."))]
DateOption = Annotated[str, typer.Option("--date", help=_("When it happened: YYYY-MM-DD, today or yesterday."))]
CaseArgument = Annotated[str | None, typer.Argument(
    metavar="CASE", help=_("The case number (or its UUID)."), show_default=False)]
