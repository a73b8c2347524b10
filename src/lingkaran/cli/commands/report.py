"""`report`: a case summary for a supervisor or a receiving agency, in Markdown or self-contained HTML."""

from typing import Annotated

import typer

from lingkaran.cli.commands import command_app
from lingkaran.cli.files import OutputOption, output_file
from lingkaran.cli.options import CaseArgument
from lingkaran.cli.session import session
from lingkaran.messages import _

app = command_app()

REPORT_FORMATS = ("md", "html")


@app.command()
def report(
    ctx: typer.Context,
    case: CaseArgument = None,
    fmt: Annotated[str, typer.Option("--format", help=_("md (Markdown) or html (one self-contained file)."))] = "md",
    output: OutputOption = None,
) -> None:
    """Write a case report (Markdown or HTML) for a supervisor or a receiving agency."""
    from lingkaran.casework.exchange.formats import check_format
    from lingkaran.messages import current_language
    from lingkaran.readmodels import report as report_model
    from lingkaran.render.report import render
    from lingkaran.store import casefile, records

    run = session(ctx)
    run.require({"CASE": case})
    fmt = check_format(fmt.replace("markdown", "md"), REPORT_FORMATS)
    conn = run.conn()
    found = records.find_case(conn, case)
    content = report_model.case_report(found, casefile.case_records(conn, found["id"]), run.today())
    text = render({**content, "language": current_language()}, fmt)
    with output_file(output) as out:
        out.write(text.encode())
