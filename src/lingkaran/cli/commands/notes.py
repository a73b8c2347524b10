"""Free case notes and corrections: note, amend."""

from typing import Annotated

import typer

from lingkaran.cli.commands import command_app
from lingkaran.cli.guide import guided
from lingkaran.cli.options import CaseArgument, DateOption, JsonFlag
from lingkaran.cli.output import confirm
from lingkaran.cli.session import read_text_argument, session
from lingkaran.domain import parse
from lingkaran.errors import InvalidInput
from lingkaran.messages import _
from lingkaran.prompts.answers import AmendAnswers, NoteAnswers
from lingkaran.render.plain import CORRECTED_LABELS

app = command_app()


@app.command()
def note(
    ctx: typer.Context,
    case: CaseArgument = None,
    text: Annotated[
        str | None, typer.Argument(metavar="TEXT", help=_("The note (- reads it from stdin)."), show_default=False)
    ] = None,
    date: DateOption = "today",
    json_output: JsonFlag = False,
) -> None:
    """Add a free note to a case at any step (closed cases too); it appears in the timeline."""
    from lingkaran.casework import notes as casenotes

    run = session(ctx)
    given = guided(run, NoteAnswers(case=case, text=read_text_argument(text), date=date))
    result = casenotes.add_note(
        run.conn(),
        given.case,
        text=parse.clean_text(given.text, "TEXT", required=True),
        on=parse.parse_step_date(given.date, run.today()),
    )
    confirm(
        json_output,
        result,
        _("Case {id}: note added (event {uuid}).").format(id=result["case_id"], uuid=result["event_uuid"][:8]),
        step=True,
    )


@app.command()
def amend(
    ctx: typer.Context,
    event: Annotated[
        str | None,
        typer.Argument(
            metavar="EVENT_UUID",
            help=_("The event to correct (its UUID, or the first 8 characters)."),
            show_default=False,
        ),
    ] = None,
    text: Annotated[
        str | None, typer.Option("--note", help=_("The corrected text (- reads it from stdin)."), show_default=False)
    ] = None,
    client: Annotated[
        str | None,
        typer.Option(
            "--client", help=_("The client's corrected name (on the event that opened the case)."), show_default=False
        ),
    ] = None,
    reason: Annotated[str | None, typer.Option(help=_("Why it is corrected."), show_default=False)] = None,
    json_output: JsonFlag = False,
) -> None:
    """Correct a recorded text (a note, activity, assessment, evaluation, termination; the client's name, problem)."""
    from lingkaran.casework import notes as casenotes

    run = session(ctx)
    text = read_text_argument(text)
    if text is not None and client is not None:
        raise InvalidInput(_("--note and --client are two corrections; make them one at a time"))
    flag = "--note" if client is None else "--client"
    if not run.interactive():  # names --client, not --note, as the missing text when --client was given
        run.require({"EVENT_UUID": event, flag: text or client, "--reason": reason})
    given = guided(
        run,
        AmendAnswers(event=event, field=None if client is None else "client", text=text or client, reason=reason),
    )
    result = casenotes.amend(
        run.conn(),
        given.event,
        text=parse.clean_text(given.text, flag, required=True),
        reason=parse.clean_text(given.reason, "--reason", required=True),
        on=run.today(),
        field=given.field,
    )
    what = CORRECTED_LABELS["client" if result["field"] == "client" else result["amends_kind"]]
    confirm(
        json_output,
        result,
        _("Case {id}: {what} corrected (event {uuid}).").format(
            id=result["case_id"], what=_(what), uuid=result["amends"][:8]
        ),
        step=True,
    )
