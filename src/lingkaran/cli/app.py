"""The Typer app: global options, error handling, and the command modules it gathers."""

import os
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from typer._click.utils import make_default_short_help
from typer.core import TyperGroup

from lingkaran import __version__
from lingkaran.cli import commands, streams
from lingkaran.cli.interrupt import hand_ctrl_c_to_the_command, interrupted_message, new_run
from lingkaran.cli.translate import ClickException, LocalizedHelp, UsageError, usage_error_text
from lingkaran.errors import DatabaseUnusable, ExitCode, Interrupted, InvalidInput, LingkaranError
from lingkaran.messages import LANGUAGES, _, set_language


def fail(message: str, code: int) -> None:
    """End the run with one line on stderr and the given exit code."""
    sys.stderr.write(f"lingkaran: {one_line(message)}\n")
    sys.exit(int(code))


def one_line(message: str) -> str:
    """Escape what would break the line or drive the terminal: newlines, escape codes, invisible characters."""
    if message.isprintable():
        return message
    return "".join(
        char if char.isprintable() else char.encode("unicode_escape", "backslashreplace").decode("ascii")
        for char in message
    )


def _database_errors() -> tuple[type[Exception], ...]:
    """The error classes of sqlite3 and sqlcipher3 (not subclasses of each other), for those a command loaded.

    `--help` and `config` load neither, so this module must not import them.
    """
    return tuple(module.Error for name in ("sqlite3", "sqlcipher3") if (module := sys.modules.get(name)) is not None)


def _flushed(succeeded: bool = True) -> bool:
    """Flush stdout now, where a closed pipe can be handled (at exit Python would print "Exception ignored")."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        return False
    except OSError as error:  # `> file` on a full disk: what is left of the output cannot get out
        if succeeded:
            _output_lost(error)
        streams.silence_stdout()  # a failure keeps its own exit code and its line on stderr
    return not streams.click_hid_a_closed_pipe()


def _output_lost(error: OSError) -> NoReturn:
    """stdout cannot be written (`> file` on a full disk, a failing device): not the caseload's fault, like an
    --output FILE that cannot be written (exit 2). What a step recorded is recorded; its printed result is lost."""
    streams.silence_stdout()
    fail(_("cannot write to stdout: {reason}").format(reason=error.strerror or error), ExitCode.INVALID_INPUT)


def _hand_edited_value(run: object) -> str | None:
    """The first value in the open caseload that no command would have stored (edited with a SQLite tool), as
    `check` words it; None when there is none, or no caseload was opened."""
    from lingkaran.cli.session import Session

    if not isinstance(run, Session) or not run.opened():
        return None
    from lingkaran.store.integrity import value_findings

    try:
        found = value_findings(run.conn(), shown=1)
    except Exception:  # the original error says more than a failed second look
        return None
    return found[0]["message"] if found else None


def _database_problem(run: object, error: Exception) -> DatabaseUnusable:
    """SQLite's error in words; when the caseload this run opened was replaced meanwhile (a writer racing
    `encrypt`, which zeroes the file it replaced), that is what it says instead of "damaged"."""
    from lingkaran.cli.session import Session

    if isinstance(run, Session) and run.opened():
        from lingkaran.store.transactions import unusable

        return unusable(run.conn(), error)
    from lingkaran.store.sqlite import locked_or_unusable

    return locked_or_unusable(error)


class LingkaranGroup(LocalizedHelp, TyperGroup):
    """The root command: turns every failure into one line on stderr and a documented exit code."""

    asks_for_help = False  # whether the command line asks for a command's help (help needs no settings)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        words = sys.argv[1:] if args is None else args
        self.asks_for_help = any(word in ("--help", "-h") for word in words)
        streams.take_over()
        new_run()
        try:
            self._run(args, prog_name, complete_var, **extra)
        except SystemExit as done:
            if not _flushed(succeeded=done.code in (0, None, ExitCode.OK)):
                if done.code in (0, None, ExitCode.OK) or streams.click_hid_a_closed_pipe():
                    streams.reader_gone()
                streams.silence_stdout()  # a failure keeps its own exit code and its line on stderr
            raise

    def list_commands(self, ctx) -> list[str]:
        return [command.name for command in commands.COMMANDS]

    def get_command(self, ctx, name: str):
        """The named command, its module loaded now: a run loads only the module of the command it runs."""
        return commands.load(name)

    def format_commands(self, ctx, formatter) -> None:
        """The commands with their one-line help, from the table: `--help` loads no command module."""
        limit = formatter.width - 6 - max(len(command.name) for command in commands.COMMANDS)
        with formatter.section("Commands"):
            formatter.write_dl(
                [(command.name, make_default_short_help(_(command.help), limit)) for command in commands.COMMANDS]
            )

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except BrokenPipeError:  # before click turns it into exit 1
            streams.reader_gone()
        except KeyboardInterrupt:  # before Typer turns it into a silent exit 130
            raise Interrupted(interrupted_message()) from None
        except _database_errors() as error:
            raise _database_problem(ctx.obj, error) from None
        except (ValueError, TypeError, LookupError, AttributeError):  # what a value no command stores can cause
            found = _hand_edited_value(ctx.obj)
            if found is None:
                raise  # a bug in lingkaran: its traceback is what a bug report needs
            raise DatabaseUnusable(
                _(
                    "the caseload holds a value no command would have stored ({finding}); `lingkaran check` lists them"
                ).format(finding=found)
            ) from None

    def _run(self, args, prog_name, complete_var, **extra) -> NoReturn:
        try:
            result = super().main(args, prog_name or "lingkaran", complete_var, standalone_mode=False, **extra)
        except LingkaranError as error:
            fail(error.message, error.exit_code)
        except UsageError as error:
            if type(error).__name__ == "NoArgsIsHelpError":  # a group called bare: show its help
                sys.stdout.write(error.format_message() + "\n")
                sys.exit(int(ExitCode.INVALID_INPUT))
            where = error.ctx.command_path if error.ctx else "lingkaran"
            problem = usage_error_text(error.format_message())
            fail(_("{problem} (see `{command} --help`)").format(problem=problem, command=where), ExitCode.INVALID_INPUT)
        except ClickException as error:
            fail(usage_error_text(error.format_message()), ExitCode.INVALID_INPUT)
        except (typer.Abort, EOFError):  # declined at a confirmation, or no more input: before any write
            fail(_("interrupted; nothing was written"), ExitCode.INTERRUPTED)
        except KeyboardInterrupt:
            fail(interrupted_message(), ExitCode.INTERRUPTED)
        except _database_errors() as error:
            from lingkaran.store.sqlite import locked_or_unusable

            fail(locked_or_unusable(error).message, ExitCode.DATABASE_UNUSABLE)
        except BrokenPipeError:
            streams.reader_gone()
        except OSError as error:  # a full disk, a read-only folder, a path through a file: the files are unusable
            if error.filename == streams.STDOUT:
                _output_lost(error)
            fail(
                _("cannot use {path}: {reason}").format(
                    path=error.filename or _("a file"), reason=error.strerror or error
                ),
                ExitCode.DATABASE_UNUSABLE,
            )
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


def _check_language_setting(ctx: typer.Context) -> None:
    """A hand-broken `lang` setting (cli.main skipped it) stops a command that needs it: one line naming it and
    its file, exit 2. `config` (to repair it), help, and runs whose language LINGKARAN_LANG chooses go on."""
    if ctx.invoked_subcommand != "config" and not os.environ.get("LINGKARAN_LANG") and not ctx.command.asks_for_help:
        from lingkaran.store import settings as config

        config.get("lang")


def _print_version(value: bool) -> None:
    if value:
        sys.stdout.write(f"lingkaran {__version__}\n")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            help=_("The caseload file (default: $LINGKARAN_DB, else your user data folder)."),
            show_default=False,
        ),
    ] = None,
    no_input: Annotated[
        bool, typer.Option("--no-input", help=_("Never ask questions; fail at once when a value is missing."))
    ] = False,
    key_file: Annotated[
        Path | None,
        typer.Option(
            "--key-file",
            help=_("A file holding the passphrase of an encrypted caseload (default: $LINGKARAN_KEY_FILE)."),
            show_default=False,
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            show_default=False,
            help=_("Interface language: en or id (default: $LINGKARAN_LANG, then `config set lang`, then the locale)."),
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_print_version, is_eager=True, help=_("Show the version and exit."))
    ] = False,
) -> None:
    """lingkaran: the intervention cycle as a caseload tool for social workers."""
    from lingkaran.cli.session import Session

    if lang:
        if lang.lower() not in LANGUAGES:
            raise InvalidInput(
                _("{flag} {value!r} is not valid; use one of: {valid}").format(
                    flag="--lang", value=lang, valid=", ".join(LANGUAGES)
                )
            )
        set_language(lang.lower())
    else:
        _check_language_setting(ctx)
    ctx.obj = Session(db_flag=db, no_input=no_input, key_file=key_file)
    ctx.call_on_close(ctx.obj.close)  # let go of the file when the command ends (in-process runs, tests)
    if ctx.invoked_subcommand is None:
        from lingkaran.cli.commands.agenda import dashboard

        hand_ctrl_c_to_the_command()
        ctx.invoke(dashboard, ctx=ctx)
