"""What the full-text search index holds: which text of which table, written as SQL on the row alias `new`,
so the same expressions serve the triggers (migration m002), a rebuild and a bulk load."""

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from lingkaran.store import records


def _joined(*parts: str) -> str:
    """SQL joining the non-null parts with ' · ' (NULL when all are null; concat_ws needs SQLite 3.44)."""
    return "nullif(rtrim(" + " || ".join(f"coalesce({part} || ' · ', '')" for part in parts) + ", ' ·'), '')"


def _json_values(column: str) -> str:
    """SQL listing the values of a JSON list or object column, separated by '; '."""
    return (
        f"(SELECT group_concat(value, '; ') FROM json_each(CASE WHEN json_valid({column}) THEN {column} "
        f"ELSE '[]' END))"
    )  # erasure may have blanked the column to text that is not JSON


# What `search` indexes, as of m002: table → (rowid tag, the text, its date, the step it belongs to).
# Written against the row alias `new`, so the same expressions serve the triggers and the backfill.
# The index row of record `id` in a table has rowid id * 16 + tag, so a trigger finds it without a scan.
SEARCH_SOURCES: dict[str, tuple[int, str, str, str, tuple[str, ...]]] = {
    "cases": (1, "new.problem", "new.opened_on", "'engagement'", ("problem",)),
    "notes": (2, "new.text", "new.written_on", "new.phase", ("text",)),
    "assessments": (
        3,
        _joined("new.summary", _json_values("new.strengths"), _json_values("new.needs")),
        "new.assessed_on",
        "'assessment'",
        ("summary", "strengths", "needs"),
    ),
    "goals": (4, _joined("new.text", _json_values("new.scale")), "new.set_on", "'planning'", ("text", "scale")),
    "activities": (5, "new.note", "new.occurred_on", "'intervention'", ("note",)),
    "monitoring": (6, "new.note", "new.observed_on", "'monitoring'", ("note",)),
    "evaluations": (7, "new.note", "new.evaluated_on", "'evaluation'", ("note",)),
    "terminations": (
        8,
        _joined("new.summary", "new.destination"),
        "new.closed_on",
        "'termination'",
        ("summary", "destination"),
    ),
}

# What m015 adds: the helping system. A team member's role and an ecomap system's kind are words of a vocabulary,
# not personal data, so erasure keeps them; a team row's text counts only while it has a name, so an erased case
# leaves no word of its team behind. Each record's step is the one its work belongs to (the index rows have one).
HELPING_SYSTEM_SOURCES: dict[str, tuple[int, str, str, str, tuple[str, ...]]] = {
    "members": (
        9,
        _joined("new.name", "new.role", "new.relation", "new.note"),
        "new.added_on",
        "'assessment'",
        ("name", "role", "relation", "note"),
    ),
    "team": (
        10,
        f"CASE WHEN new.name != '' THEN {_joined('new.name', 'new.role', 'new.agency', 'new.contact')} END",
        "new.added_on",
        "'intervention'",
        ("name", "role", "agency", "contact"),
    ),
    "referrals": (
        11,
        _joined("new.agency", "new.service", "new.contact", "new.note", "new.consent_override"),
        "new.referred_on",
        "'intervention'",
        ("agency", "service", "contact", "note", "consent_override"),
    ),
    "ecomap_changes": (
        12,
        _joined("new.system", "new.note"),
        "new.changed_on",
        "'assessment'",
        ("system", "note"),
    ),
}
# Everything the index holds now (m002's tables and m015's); rowid tags stay below 16.
INDEXED_SOURCES = {**SEARCH_SOURCES, **HELPING_SYSTEM_SOURCES}


# The index as of m006: no prefix indexes (docs/performance.md says why).
SEARCH_INDEX_SQL = (
    "CREATE VIRTUAL TABLE search_index USING fts5(body, source UNINDEXED, record_uuid UNINDEXED, "
    "case_id UNINDEXED, occurred_on UNINDEXED, phase UNINDEXED, "
    "tokenize = 'unicode61 remove_diacritics 2')"
)


def search_row_sql(table: str, *, rows_after: bool = False) -> str:
    """The INSERT that puts one record of `table` (a trigger's `new`) into the search index; with `rows_after`,
    every record of the table whose id is above the parameter :after, in one statement (replacing index rows
    an update trigger wrote for them meanwhile)."""
    tag, text, date, phase, _columns = INDEXED_SOURCES[table]
    rows = f" FROM [{table}] AS new WHERE new.id > :after AND" if rows_after else " WHERE"
    verb = "INSERT OR REPLACE" if rows_after else "INSERT"
    return (
        f"{verb} INTO search_index (rowid, body, source, record_uuid, case_id, occurred_on, phase) "
        f"SELECT new.id * 16 + {tag}, {text}, '{table}', new.uuid, "
        f"{'new.id' if table == 'cases' else 'new.case_id'}, {date}, {phase}{rows} ({text}) IS NOT NULL"
    )


@contextmanager
def filled_at_end(conn: sqlite3.Connection) -> Iterator[None]:
    """Inside a transaction: the records inserted in the block are indexed in one statement per table when it
    ends, instead of by a trigger for every row (an import of 10,000 cases spent most of its time there).

    The insert triggers are dropped and created again inside the caller's transaction, so a failure anywhere
    rolls them back with everything else; other connections never see the file without them.
    """
    triggers = conn.execute(
        "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND name GLOB '*_search_insert'"
    ).fetchall()
    last_ids = {table: records.last_id(conn, table) for _name, table, _sql in triggers}
    for name, _table, _sql in triggers:
        conn.execute(f"DROP TRIGGER [{name}]")
    yield
    for _name, table, sql in triggers:
        conn.execute(search_row_sql(table, rows_after=True), {"after": last_ids[table]})
        conn.execute(sql)


def cases_with_words(conn: sqlite3.Connection, case_ids: set[int]) -> list[int]:
    """Those of `case_ids` whose records the index's pages still hold words of, deleted entries included (for an
    erased case: words an erasure should have removed)."""
    from lingkaran.store.search_segments import rowids_on_disk

    wanted = json.dumps(sorted(case_ids))
    owners: dict[int, int] = {}
    for table, (tag, *_rest) in INDEXED_SOURCES.items():
        case_column = "id" if table == "cases" else "case_id"
        owners.update(
            conn.execute(
                f"SELECT id * 16 + {tag}, [{case_column}] FROM [{table}] "
                f"WHERE [{case_column}] IN (SELECT value FROM json_each(?))",
                [wanted],
            )
        )
    if not owners:
        return []
    return sorted({owners[rowid] for rowid in rowids_on_disk(conn) if rowid in owners})
