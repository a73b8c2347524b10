"""`lingkaran config`: the user's own preferences (name, language, thresholds)."""

import sys
from typing import Annotated

import typer

from lingkaran.cli.commands import command_app
from lingkaran.cli.options import JsonFlag
from lingkaran.cli.output import print_json, print_lines
from lingkaran.errors import InvalidInput
from lingkaran.messages import _
from lingkaran.store import settings as config

app = command_app()

config_app = typer.Typer(
    help=_("Your preferences: worker name, language, thresholds."), no_args_is_help=True, rich_markup_mode=None
)


@config_app.command("set")
def set_setting(
    key: Annotated[str, typer.Argument(help=_("The setting's name."))],
    value: Annotated[str, typer.Argument(help=_("Its new value."))],
) -> None:
    """Store a preference."""
    settings = config.load()
    settings[key] = config.validate(key, value)
    config.save(settings)


@config_app.command("get")
def get_setting(
    key: Annotated[str, typer.Argument(help=_("The setting's name."))], json_output: JsonFlag = False
) -> None:
    """Print one preference (its default when not set)."""
    config.validate(key, "1" if key in config.DEFAULTS else "en" if key == "lang" else "x")
    value = config.get(key)
    if json_output:
        print_json(value)
    elif value is not None:
        from lingkaran.render.plain import printable

        print(printable(str(value)))


@config_app.command("unset")
def unset_setting(key: Annotated[str, typer.Argument(help=_("The setting's name."))]) -> None:
    """Forget a preference (its default applies again)."""
    settings = config.load()
    if key not in config.SETTINGS:
        config.validate(key, "")
    settings.pop(key, None)
    config.save(settings)


@config_app.command("list")
def list_settings(json_output: JsonFlag = False) -> None:
    """Show every preference with its value (a hand-edited value that is not valid is marked)."""
    config.load()  # a file that cannot be read at all stops here, with one line naming it
    values, problems = {}, {}
    for key in config.SETTINGS:
        try:
            values[key] = config.get(key)
        except InvalidInput as problem:
            values[key], problems[key] = config.load()[key], problem.message
    for problem in problems.values():
        sys.stderr.write(f"lingkaran: {problem}\n")
    if json_output:
        print_json(values)
        return
    from lingkaran.render.plain import settings_lines

    comments = {
        key: _("⚠ not valid (see above)") if key in problems else _(description)
        for key, description in config.SETTINGS.items()
    }
    print_lines(settings_lines(values, comments))


app.add_typer(config_app, name="config")
