"""Full-text search over the case records (the FTS5 index that migration m002 keeps up to date)."""

import re
import sqlite3

from lingkaran.domain.indonesian_words import widened_query
from lingkaran.errors import InvalidInput
from lingkaran.messages import _
from lingkaran.store.sqlite import database_errors

MARK_START, MARK_END = "«", "»"
# A word joined by hyphens, dots or apostrophes (anak-anak, home-visit, 14.00), outside double quotes.
JOINED_WORD = re.compile(r"(?<![\w\"])(\w+(?:[-./'’]\w+)+)(\*?)")


def fts_query(text: str) -> str:
    """The user's query with joined words quoted as phrases (FTS5 reads a bare `anak-anak` as a column filter)
    and each bare word widened to its Indonesian prefixed forms (`kawin*` finds "perkawinan")."""
    if '"' not in text:  # the user quotes for themself
        text = JOINED_WORD.sub(r'"\1"\2', text)
    return widened_query(text)


def search(conn: sqlite3.Connection, query: str, *, case_id: int | None, limit: int) -> list[dict]:
    """The records matching an FTS5 query, best match first, each with a highlighted snippet."""
    sql = f"""
        SELECT s.case_id, c.uuid AS case_uuid, c.client, s.source, s.record_uuid, s.occurred_on, s.phase,
               snippet(search_index, 0, '{MARK_START}', '{MARK_END}', '…', 12) AS snippet
        FROM search_index AS s JOIN cases AS c ON c.id = s.case_id
        WHERE search_index MATCH :query {"AND s.case_id = :case_id" if case_id is not None else ""}
        ORDER BY s.rank LIMIT :limit"""
    try:
        return [dict(row) for row in conn.execute(sql, {"query": fts_query(query), "case_id": case_id, "limit": limit})]
    except database_errors("OperationalError") as error:  # sqlite3's or sqlcipher3's
        if "locked" in str(error) or "busy" in str(error):
            raise
        reason = str(error).removeprefix("fts5: ")
        raise InvalidInput(
            _(
                'cannot search for {query!r}: {reason}; put words with punctuation in double quotes, e.g. "home-visit"'
            ).format(query=query, reason=reason)
        ) from None
