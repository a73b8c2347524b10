"""Full-text search over the case records: notes, problems, assessments, goals, summaries and the helping system."""

from typing import Annotated

import typer

from lingkaran.cli.commands import command_app
from lingkaran.cli.options import JsonFlag
from lingkaran.cli.output import print_json, print_lines
from lingkaran.cli.session import session
from lingkaran.errors import InvalidInput
from lingkaran.messages import _

app = command_app()


@app.command()
def search(
    ctx: typer.Context,
    query: Annotated[
        str | None,
        typer.Argument(
            metavar="QUERY",
            help=_('Words to find; sekol* matches by prefix, "two words" as a phrase, OR / NOT / AND combine.'),
            show_default=False,
        ),
    ] = None,
    case: Annotated[
        str | None, typer.Option("--case", help=_("Only this case (number or UUID)."), show_default=False)
    ] = None,
    limit: Annotated[int, typer.Option(help=_("At most this many results, best first."))] = 50,
    json_output: JsonFlag = False,
) -> None:
    """Search notes, problems, assessments, goals, activities, summaries, members, team, referrals and ecomaps."""
    from lingkaran.domain import parse
    from lingkaran.domain.identity import looks_like_phone
    from lingkaran.store import records
    from lingkaran.store.search import search as find

    run = session(ctx)
    run.require({"QUERY": query})
    query = parse.clean_text(query, "QUERY", required=True)
    if not 1 <= limit <= 10_000:
        raise InvalidInput(_("--limit must be from 1 to 10000, not {value}").format(value=limit))
    conn = run.conn()
    case_id = records.find_case(conn, case)["id"] if case else None
    phones = _phone_results(conn, query, case_id, limit)
    # a phone number is looked for in the notes too, as one phrase (FTS5 reads a bare + or - as an operator)
    results = phones + find(
        conn, f'"{query}"' if phones or looks_like_phone(query) else query, case_id=case_id, limit=limit
    )
    if json_output:
        print_json(results)
        return
    from lingkaran.render.plain import colour_allowed, search_lines

    print_lines(search_lines(query, results, colour_allowed()))


def _phone_results(conn, query: str, case_id: int | None, limit: int) -> list[dict]:
    """When the query is a phone number: the clients, guardians and members with that number, as results whose
    snippet names whose number it is."""
    from lingkaran.domain.identity import looks_like_phone

    if not looks_like_phone(query):
        return []
    from lingkaran.store.identity import by_phone

    whose = {
        "client": lambda row: _("client"),
        "guardian": lambda row: _("guardian {name}").format(name=row["name"]),
        "member": lambda row: _("member {name}").format(name=row["name"]),
    }
    return [
        {
            "case_id": row["case_id"],
            "case_uuid": row["case_uuid"],
            "client": row["client"],
            "source": "phone",
            "record_uuid": row["record_uuid"],
            "occurred_on": row["occurred_on"],
            "phase": row["phase"],
            "snippet": f"«{row['phone']}» {whose[row['whose']](row)}",
            "whose": row["whose"],
        }
        for row in by_phone(conn, query, case_id=case_id, limit=limit)
    ]
