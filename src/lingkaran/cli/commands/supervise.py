"""The supervisor: `supervise` (the caseload in one line a case) and `review` (a review recorded on a case)."""

from typing import Annotated

import typer

from lingkaran.cli.commands import command_app
from lingkaran.cli.options import CaseArgument, DateOption, JsonFlag
from lingkaran.cli.output import confirm, print_json, print_lines
from lingkaran.cli.session import session
from lingkaran.domain import parse as values
from lingkaran.domain.vocabularies import label_of
from lingkaran.messages import _

app = command_app()


@app.command()
def supervise(
    ctx: typer.Context,
    worker: Annotated[str | None, typer.Option(help=_("Only the cases of this worker."), show_default=False)] = None,
    json_output: JsonFlag = False,
) -> None:
    """For a supervisor: one line an active case with step, last contact, next visit, risk and what is overdue."""
    from lingkaran.readmodels.caseload_summary import summary

    run = session(ctx)
    today = run.today()
    rows = summary(run.conn(), today, values.clean_text(worker, "--worker"))
    if json_output:
        print_json(rows)
        return
    from lingkaran.render.supervision import summary_lines

    print_lines(summary_lines(rows, today.isoformat(), worker))


@app.command()
def review(
    ctx: typer.Context,
    case: CaseArgument = None,
    by: Annotated[
        str | None, typer.Option("--by", help=_("The supervisor who reviewed the case."), show_default=False)
    ] = None,
    comment: Annotated[
        str | None, typer.Option(help=_("What the supervisor said (- reads it from stdin)."), show_default=False)
    ] = None,
    decision: Annotated[
        str | None, typer.Option(help=_("continue, change-plan, close or escalate."), show_default=False)
    ] = None,
    date: DateOption = "today",
    json_output: JsonFlag = False,
) -> None:
    """Record a supervisor's review of a case: who, what they said, and what they decided."""
    from lingkaran.casework import reviews
    from lingkaran.cli.session import read_text_argument
    from lingkaran.domain import supervision

    run = session(ctx)
    comment = read_text_argument(comment)
    run.require({"CASE": case, "--by": by, "--decision": decision})
    result = reviews.review(
        run.conn(),
        case,
        by=values.clean_text(by, "--by", required=True),
        comment=values.clean_text(comment, "--comment"),
        decision=supervision.normalize_decision(decision),
        on=values.parse_step_date(date, run.today()),
    )
    confirm(
        json_output,
        result,
        _("Case {id}: reviewed by {by}, decision {decision} (event {uuid}).").format(
            id=result["case_id"],
            by=result["by"],
            uuid=result["event_uuid"][:8],
            decision=label_of(supervision.DECISION_LABELS, result["decision"]),
        ),
    )
