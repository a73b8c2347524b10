"""`paper`: the papers to print and sign, as self-contained HTML: the case plan, the consent form, the referral
letter (surat rujukan)."""

from pathlib import Path
from typing import Annotated

import typer

from lingkaran.cli.commands import command_app
from lingkaran.cli.files import OutputOption, output_file
from lingkaran.cli.options import CaseArgument
from lingkaran.cli.session import Session, author, session
from lingkaran.domain import parse
from lingkaran.errors import InvalidInput
from lingkaran.messages import _, current_language

paper_app = typer.Typer(
    help=_("Papers to print and sign: the case plan, the consent form, a referral letter."),
    no_args_is_help=True,
    rich_markup_mode=None,
)
app = command_app()
app.add_typer(paper_app, name="paper")


@paper_app.command("plan")
def paper_plan(ctx: typer.Context, case: CaseArgument = None, output: OutputOption = None) -> None:
    """The case plan to sign: the current cycle's goals with their GAS levels, who does what."""
    from lingkaran.readmodels import papers
    from lingkaran.store import casefile, helping_system

    run, found = _case(ctx, case)
    conn = run.conn()
    content = papers.case_plan(
        found,
        casefile.case_records(conn, found["id"])["goals"],
        helping_system.team(conn, found["id"]),
        helping_system.members(conn, found["id"]),
        run.today(),
        **_writer(),
    )
    _write("plan", content, output)


@paper_app.command("consent")
def paper_consent(
    ctx: typer.Context,
    case: CaseArgument = None,
    scope: Annotated[
        str | None,
        typer.Option(
            help=_("What the client is asked to consent to (default: the scope recorded; else lines to fill in)."),
            show_default=False,
        ),
    ] = None,
    output: OutputOption = None,
) -> None:
    """The consent form to sign: its scope, the client's rights, and the guardian's line for a child."""
    from lingkaran.readmodels import papers
    from lingkaran.store import consents

    run, found = _case(ctx, case)
    content = papers.consent_form(
        found,
        consents.history(run.conn(), found["id"]),
        run.today(),
        scope=parse.clean_text(scope, "--scope"),
        **_writer(),
    )
    _write("consent", content, output)


@paper_app.command("referral")
def paper_referral(
    ctx: typer.Context,
    referral: Annotated[
        str | None,
        typer.Argument(
            metavar="ID", help=_("The referral's number (see `lingkaran referral list`)."), show_default=False
        ),
    ] = None,
    reason: Annotated[
        str | None,
        typer.Option(
            help=_("Why the client is referred, in the words the agency should read (else lines to fill in)."),
            show_default=False,
        ),
    ] = None,
    with_id_numbers: Annotated[
        bool,
        typer.Option(
            "--with-id-numbers", help=_("Print the client's NIK and KK number too (only when the service needs them).")
        ),
    ] = False,
    output: OutputOption = None,
) -> None:
    """The referral letter (surat rujukan): only what the receiving agency needs to take the client on."""
    from lingkaran.readmodels import papers
    from lingkaran.store import helping_system, records

    run = session(ctx)
    run.require({"ID": referral})
    conn = run.conn()
    found = helping_system.find_referral(conn, referral)
    case = _printable_case(run, records.find_case(conn, str(found["case_id"])))
    content = papers.referral_letter(
        case,
        found,
        run.today(),
        reason=parse.clean_text(reason, "--reason"),
        with_id_numbers=with_id_numbers,
        **_writer(),
    )
    _write("referral", content, output)


def _case(ctx: typer.Context, case: str | None) -> tuple[Session, dict]:
    """The run and the case named, refused when its personal data was erased (there is nothing left to print)."""
    from lingkaran.store import records

    run = session(ctx)
    run.require({"CASE": case})
    return run, _printable_case(run, records.find_case(run.conn(), case))


def _printable_case(run: Session, case: dict) -> dict:
    from lingkaran.store import erasure

    if erasure.erased_on(run.conn(), case["id"]):
        raise InvalidInput(
            _("case {id} was erased (`forget`): its personal data is gone and no paper can name its client").format(
                id=case["id"]
            )
        )
    return case


def _writer() -> dict:
    """Who writes the papers: `config set agency …`, and the worker (LINGKARAN_WORKER, `config set worker …`)."""
    from lingkaran.store import settings

    return {"agency": settings.get("agency"), "worker": author()}


def _write(paper: str, content: dict, output: Path | None) -> None:
    from lingkaran.render.papers import render

    with output_file(output) as out:
        out.write(render(paper, content, current_language()).encode())
