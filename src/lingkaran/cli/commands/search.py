"""Full-text search over notes, problems, assessments, goals and summaries."""

from typing import Annotated

import typer

from lingkaran.cli.options import JsonFlag
from lingkaran.cli.session import print_json, print_lines, session
from lingkaran.errors import InvalidInput
from lingkaran.messages import _


def search(
    ctx: typer.Context,
    query: Annotated[str | None, typer.Argument(
        metavar="QUERY", help=_("Words to find; sekol* matches by prefix, \"two words\" as a phrase, "
                                "OR / NOT / AND combine."), show_default=False)] = None,
    case: Annotated[str | None, typer.Option("--case", help=_("Only this case (number or UUID)."),
                                             show_default=False)] = None,
    limit: Annotated[int, typer.Option(help=_("At most this many results, best first."))] = 50,
    json_output: JsonFlag = False,
) -> None:
    """Search the case records (notes, problems, assessments, goals, activities, summaries)."""
    from lingkaran.domain import parse
    from lingkaran.store import records
    from lingkaran.store.search import search as find

    run = session(ctx)
    run.require({"QUERY": query})
    query = parse.clean_text(query, "QUERY", required=True)
    if not 1 <= limit <= 10_000:
        raise InvalidInput(_("--limit must be from 1 to 10000, not {value}").format(value=limit))
    conn = run.conn()
    case_id = records.find_case(conn, case)["id"] if case else None
    results = find(conn, query, case_id=case_id, limit=limit)
    if json_output:
        print_json(results)
        return
    from lingkaran.render.plain import colour_allowed, search_lines

    print_lines(search_lines(query, results, colour_allowed()))


def register(app: typer.Typer) -> None:
    """Add search to the app."""
    app.command("search")(search)
