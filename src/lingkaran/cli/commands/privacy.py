"""Privacy duties as commands: init, encrypt, decrypt, rekey, consent, forget, retention."""

from pathlib import Path
from typing import Annotated

import typer

from lingkaran.cli.commands import command_app
from lingkaran.cli.options import CaseArgument, DateOption, JsonFlag
from lingkaran.cli.output import confirm, emit, print_json, show
from lingkaran.cli.session import Session, session
from lingkaran.errors import InvalidInput
from lingkaran.messages import _

app = command_app()

YesFlag = Annotated[bool, typer.Option("--yes", "-y", help=_("Do not ask for confirmation (for scripts)."))]


@app.command()
def init(
    ctx: typer.Context,
    encrypt: Annotated[
        bool,
        typer.Option(
            "--encrypt", help=_("Create the caseload encrypted (needs the secure extra and a new passphrase).")
        ),
    ] = False,
    json_output: JsonFlag = False,
) -> None:
    """Create the caseload file (encrypted with --encrypt) and print where it is."""
    from lingkaran.store import encryption

    run = session(ctx)
    kind = encryption.file_kind(run.db_path)
    if encrypt:
        encryption.cipher(InvalidInput)
        if kind != "new":
            raise InvalidInput(
                _("{path} already exists; `lingkaran encrypt` encrypts an existing caseload").format(path=run.db_path)
            )
        from lingkaran.cli.passphrase import new_passphrase

        run.conn(new_passphrase=new_passphrase(run))
    else:
        run.conn()
    encrypted = encryption.file_kind(run.db_path) == "encrypted"
    result = {"path": str(run.db_path), "created": kind == "new", "encrypted": encrypted}
    if json_output:
        print_json(result)
        return
    from lingkaran.render.privacy import file_state

    show(file_state(result))


@app.command()
def encrypt(ctx: typer.Context, json_output: JsonFlag = False) -> None:
    """Encrypt the caseload with a passphrase (from --key-file, LINGKARAN_KEY_FILE or a prompt)."""
    from lingkaran.cli.passphrase import new_passphrase
    from lingkaran.store import encryption

    run = session(ctx)
    encryption.cipher(InvalidInput)
    kind = encryption.file_kind(run.db_path)
    if kind == "new":
        raise InvalidInput(
            _("there is no caseload at {path} yet; `lingkaran init --encrypt` starts an encrypted one").format(
                path=run.db_path
            )
        )
    if kind == "encrypted":
        raise InvalidInput(_("{path} is already encrypted").format(path=run.db_path))
    _check_and_close(run)
    result = encryption.convert(run.db_path, None, new_passphrase(run), run.busy_timeout())
    emit(json_output, result, lambda: _file_state(result))


@app.command()
def decrypt(ctx: typer.Context, json_output: JsonFlag = False) -> None:
    """Turn an encrypted caseload back into a plain SQLite file (anyone with the file can then read it)."""
    from lingkaran.store import encryption

    run = session(ctx)
    encryption.cipher(InvalidInput)
    if encryption.file_kind(run.db_path) != "encrypted":
        raise InvalidInput(_("{path} is not encrypted").format(path=run.db_path))
    _check_and_close(run)
    result = encryption.convert(run.db_path, run.passphrase(), None, run.busy_timeout())
    emit(json_output, result, lambda: _file_state(result))


@app.command()
def rekey(
    ctx: typer.Context,
    new_key_file: Annotated[
        Path | None,
        typer.Option(
            "--new-key-file", help=_("A file whose first line is the new passphrase (for scripts; else asked twice).")
        ),
    ] = None,
    json_output: JsonFlag = False,
) -> None:
    """Change the passphrase of an encrypted caseload (backups made before keep the old one)."""
    from lingkaran.cli.passphrase import replacement_passphrase
    from lingkaran.store import encryption

    run = session(ctx)
    encryption.cipher(InvalidInput)
    if encryption.file_kind(run.db_path) != "encrypted":
        raise InvalidInput(
            _("{path} is not encrypted; `lingkaran encrypt` encrypts it with a passphrase").format(path=run.db_path)
        )
    _check_and_close(run)  # the current passphrase is tried before a new one is asked for
    current = run.passphrase()
    replacement = replacement_passphrase(run, new_key_file)
    if replacement == current:
        raise InvalidInput(_("the new passphrase is the same as the current one; nothing was changed"))
    result = encryption.convert(run.db_path, current, replacement, run.busy_timeout())
    emit(json_output, result, lambda: _file_state(result))


def _check_and_close(run: Session) -> None:
    """Open the caseload once (refusing what is not ours, migrating, checking the key), then let go of it."""
    run.conn()
    run.close()


def _file_state(result: dict):
    """How the caseload file stands after encrypt, decrypt or rekey, drawn for people (Rich: loaded only then)."""
    from lingkaran.render.privacy import file_state

    return file_state(result)


@app.command()
def consent(
    ctx: typer.Context,
    case: CaseArgument = None,
    given: Annotated[
        bool | None,
        typer.Option(
            "--given/--withdrawn", help=_("Whether the client gives consent or withdraws it."), show_default=False
        ),
    ] = None,
    scope: Annotated[
        str | None, typer.Option(help=_("What the consent covers (required with --given)."), show_default=False)
    ] = None,
    date: DateOption = "today",
    json_output: JsonFlag = False,
) -> None:
    """Record the client giving or withdrawing consent, with its scope and date."""
    from lingkaran.casework import consent as consent_rules
    from lingkaran.domain import parse

    run = session(ctx)
    run.require({"CASE": case, "--given/--withdrawn": given})
    result = consent_rules.record(
        run.conn(),
        case,
        given=given,
        scope=parse.clean_text(scope, "--scope"),
        on=parse.parse_step_date(date, run.today()),
    )
    message = _("Case {id}: consent given ({scope}).") if given else _("Case {id}: consent withdrawn.")
    confirm(json_output, result, message.format(id=result["case_id"], scope=result["scope"]), step=True)


@app.command()
def forget(ctx: typer.Context, case: CaseArgument = None, yes: YesFlag = False, json_output: JsonFlag = False) -> None:
    """Erase a closed case's personal data for good, keeping only de-identified figures."""
    from lingkaran.store import erasure, records

    run = session(ctx)
    run.require({"CASE": case})
    found = records.find_case(run.conn(), case)
    finished = erasure.forget_again(run.conn(), found)  # erased before: what an interrupted erasure left
    if finished is None:
        _confirm(
            run,
            yes,
            str(found["id"]),
            _(
                "This erases the name, notes and every personal detail of case {id} for good. "
                "Type the case number to confirm"
            ).format(id=found["id"]),
        )
    erased = [finished] if finished else erasure.forget(run.conn(), [str(found["id"])], run.today())
    if json_output:
        print_json(erased[0])
        return
    from lingkaran.render.privacy import erased_line

    show(erased_line(erased[0]))


@app.command()
def retention(
    ctx: typer.Context,
    erase: Annotated[
        bool, typer.Option("--erase", help=_("Erase the cases listed (asks first; --yes does not)."))
    ] = False,
    yes: YesFlag = False,
    json_output: JsonFlag = False,
) -> None:
    """List closed cases kept longer than the retention period (config retention_years); --erase erases them."""
    from lingkaran.domain import privacy
    from lingkaran.store import erasure, settings

    run = session(ctx)
    years = settings.get("retention_years")  # checked like `config set` checks it: a whole number from 1
    due = erasure.due_for_retention(run.conn(), privacy.retention_cutoff(run.today(), years))
    if erase and due:
        _confirm(
            run,
            yes,
            str(len(due)),
            _("This erases the personal data of {count} closed cases for good. Type {count} to confirm").format(
                count=len(due)
            ),
        )
        erasure.forget(run.conn(), [str(case["id"]) for case in due], run.today())
    listed = [_retention_item(case, years, erased=erase) for case in due]
    if json_output:
        print_json(listed)
        return
    from lingkaran.render.privacy import retention_table

    show(retention_table(listed, years))


def _retention_item(case: dict, years: int, erased: bool) -> dict:
    import datetime as dt

    from lingkaran.domain import privacy

    closed_on = dt.date.fromisoformat(case["closed_on"])
    return {
        "id": case["id"],
        "uuid": case["uuid"],
        "client": "" if erased else case["client"],
        "level": case["level"],
        "closed_on": case["closed_on"],
        "close_reason": case["close_reason"],
        "kept_until": privacy.shift_years(closed_on, years).isoformat(),
        "erased": erased,
    }


def _confirm(run: Session, yes: bool, expected: str, question: str) -> None:
    """Go on only with --yes, or when the person at the terminal types `expected`."""
    if yes:
        return
    if not run.interactive():
        raise InvalidInput(_("erasing cannot be undone: confirm with --yes"))
    answer = typer.prompt(question, default="", show_default=False, err=True)
    if answer.strip() != expected:
        raise InvalidInput(_("not confirmed; nothing was erased"))
