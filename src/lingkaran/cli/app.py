"""The Typer app: global options, error handling, and the command modules it gathers."""

import sys
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperGroup

from lingkaran import __version__
from lingkaran.errors import ExitCode, LingkaranError
from lingkaran.messages import _, set_language


# Typer 0.26+ vendors its own click; take click's error classes from the ones Typer exports.
UsageError = next(cls for cls in typer.BadParameter.__mro__ if cls.__name__ == "UsageError")
ClickException = next(cls for cls in typer.BadParameter.__mro__ if cls.__name__ == "ClickException")


def fail(message: str, code: int) -> None:
    """End the run with one line on stderr and the given exit code."""
    sys.stderr.write(f"lingkaran: {message}\n")
    sys.exit(int(code))


def _database_errors() -> tuple[type[Exception], ...]:
    """sqlite3's error class, if a command loaded sqlite3 (`--help` and `config` never do: no import for them)."""
    sqlite3 = sys.modules.get("sqlite3")
    return (sqlite3.Error,) if sqlite3 else ()


class LingkaranGroup(TyperGroup):
    """The root command: turns every failure into one line on stderr and a documented exit code."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            result = super().main(args, prog_name or "lingkaran", complete_var, standalone_mode=False, **extra)
        except LingkaranError as error:
            fail(error.message, error.exit_code)
        except UsageError as error:
            where = error.ctx.command_path if error.ctx else "lingkaran"
            fail(_("{problem} (see `{command} --help`)").format(problem=error.format_message(), command=where),
                 ExitCode.INVALID_INPUT)
        except ClickException as error:
            fail(error.format_message(), ExitCode.INVALID_INPUT)
        except (typer.Abort, KeyboardInterrupt, EOFError):
            fail(_("interrupted; nothing was written"), ExitCode.INTERRUPTED)
        except _database_errors() as error:
            from lingkaran.store.database import locked_or_unusable

            fail(locked_or_unusable(error).message, ExitCode.DATABASE_UNUSABLE)
        sys.exit(result if isinstance(result, int) else ExitCode.OK)


app = typer.Typer(
    cls=LingkaranGroup,
    name="lingkaran",
    help=_("lingkaran: the intervention cycle (lingkaran intervensi) as a caseload tool for social workers."),
    no_args_is_help=False,
    invoke_without_command=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: Typer's Rich help imports rich.markdown and pygments (docs/performance.md)
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(value: bool) -> None:
    if value:
        sys.stdout.write(f"lingkaran {__version__}\n")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[Path | None, typer.Option(
        "--db", help=_("The caseload file (default: $LINGKARAN_DB, else your user data folder)."),
        show_default=False)] = None,
    no_input: Annotated[bool, typer.Option(
        "--no-input", help=_("Never ask questions; fail at once when a value is missing."))] = False,
    lang: Annotated[str | None, typer.Option(
        "--lang", help=_("Interface language: en or id (default: $LINGKARAN_LANG, else the locale)."),
        show_default=False)] = None,
    version: Annotated[bool, typer.Option(
        "--version", callback=_print_version, is_eager=True, help=_("Show the version and exit."))] = False,
) -> None:
    """lingkaran: the intervention cycle as a caseload tool for social workers."""
    from lingkaran.cli.session import Session

    if lang:
        set_language(lang.lower()[:2])
    ctx.obj = Session(db_flag=db, no_input=no_input)
    if ctx.invoked_subcommand is None:
        from lingkaran.cli.cases import list_cases

        ctx.invoke(list_cases, ctx=ctx)


# One module per command group; each has register(app). Order is the order of `--help`.
COMMAND_MODULES = ("steps", "cases", "settings", "demo")


def _register() -> None:
    import importlib

    for name in COMMAND_MODULES:
        importlib.import_module(f"lingkaran.cli.{name}").register(app)


_register()
