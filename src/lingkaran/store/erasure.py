"""The right to erasure: blank a case's personal data in every table, keep its figures, keep the audit chain whole.

Driven by the schema and `privacy.PERSONAL_COLUMNS`, not by code per table: a case's rows are found by following
foreign keys from `cases` (`PRAGMA foreign_key_list`), so a table another part of lingkaran adds is covered by
listing its personal columns in privacy.py. The erasure protocol (shared with `check`): the case's events keep
every column but `data`, which becomes {"erased": true}; their content_hash stays, so the hash chain still
verifies; and one `forget` event records the erasure itself.
"""

import datetime as dt
import sqlite3
from pathlib import Path

from lingkaran.domain.privacy import PERSONAL_COLUMNS
from lingkaran.errors import StepRefused
from lingkaran.messages import _
from lingkaran.store import devices, drafts, events, records, search_index
from lingkaran.store.transactions import transaction

ERASED_DATA = events.canonical_json({"erased": True})
# An SQL condition on a case aliased `c`: it was not erased. Nothing is due for an erased case (no follow-up,
# no referral answer), since nothing more can be recorded for it (index: events case_id, id).
NOT_ERASED = "NOT EXISTS (SELECT 1 FROM events AS e WHERE e.case_id = c.id AND e.kind = 'forget')"


def erased_on(conn: sqlite3.Connection, case_id: int) -> str | None:
    """The date a case was erased, or None."""
    row = conn.execute(
        "SELECT occurred_on FROM events WHERE case_id = ? AND kind = 'forget' ORDER BY id LIMIT 1", [case_id]
    ).fetchone()
    return row[0] if row else None


def erased_case_ids(conn: sqlite3.Connection) -> set[int]:
    """Every erased case."""
    return {row[0] for row in conn.execute("SELECT DISTINCT case_id FROM events WHERE kind = 'forget'")}


def refuse_if_erased(conn: sqlite3.Connection, case: dict) -> None:
    """Nothing more is recorded for an erased case."""
    when = erased_on(conn, case["id"])
    if when:
        raise StepRefused(
            _("case {id} was erased on {date}; nothing more can be recorded for it").format(id=case["id"], date=when)
        )


def case_row_filters(conn: sqlite3.Connection) -> dict[str, str]:
    """For every table holding a case's rows: an SQL condition on :case_id that selects them, via foreign keys."""
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    links = {table: conn.execute(f'PRAGMA foreign_key_list("{table}")').fetchall() for table in tables}
    filters = {"cases": "id = :case_id"}
    found_more = True
    while found_more:
        found_more = False
        for table in tables:
            if table in filters:
                continue
            conditions = [_condition(link, filters) for link in links[table] if link[2] in filters]
            if conditions:
                filters[table] = " OR ".join(conditions)
                found_more = True
    return filters


def _condition(link: tuple, filters: dict[str, str]) -> str:
    """Rows whose foreign key (`link`, a row of PRAGMA foreign_key_list) points at one of the case's rows."""
    other_table, column, other_column = link[2], link[3], link[4] or "rowid"
    if other_table == "cases":
        return f'"{column}" = :case_id'
    return f'"{column}" IN (SELECT "{other_column}" FROM "{other_table}" WHERE {filters[other_table]})'


def _blank_personal_columns(
    conn: sqlite3.Connection, case_id: int, filters: dict[str, str], only_filled: bool = False
) -> dict[str, int]:
    """Set every personal column of the case's rows to NULL ('' where the column may not be NULL); with
    `only_filled`, only rows that still hold something (so the counts say what was really blanked)."""
    blanked = {}
    for table, columns in PERSONAL_COLUMNS.items():
        not_null = {row[1]: row[3] for row in conn.execute(f'PRAGMA table_info("{table}")')}
        blanks = {column: chr(39) * 2 if not_null[column] else "NULL" for column in columns if column in not_null}
        if not blanks or table not in filters:
            continue
        assignments = ", ".join(f'"{column}" = {blank}' for column, blank in blanks.items())
        condition = filters[table]
        if only_filled:
            condition = (
                f"({condition}) AND ("
                + " OR ".join(f'"{column}" IS NOT {blank}' for column, blank in blanks.items())
                + ")"
            )
        cursor = conn.execute(f'UPDATE "{table}" SET {assignments} WHERE {condition}', {"case_id": case_id})
        blanked[table] = cursor.rowcount
    return blanked


def forget(conn: sqlite3.Connection, references: list[str], on: dt.date) -> list[dict]:
    """Erase closed cases in one transaction, each with its `forget` event, their words leaving the search index
    in that same transaction; then compact the file."""
    erased = []
    with transaction(conn):
        filters = case_row_filters(conn)
        for reference in references:
            case = records.find_case(conn, reference)
            refuse_if_erased(conn, case)
            if case["status"] != "closed":
                raise StepRefused(
                    _(
                        "case {id} is still active: close it first with `lingkaran terminate {id} "
                        "--reason withdrew --summary TEXT`, then erase it"
                    ).format(id=case["id"])
                )
            rows = _blank_personal_columns(conn, case["id"], filters)
            data = {"rows": rows, "events": _blank_events(conn, case["id"])}
            _blank_import_files(conn, case["id"])
            events.append(
                conn,
                records.case_ref(case),
                "forget",
                phase=case["phase"],
                cycle=case["cycle"],
                occurred_on=on.isoformat(),
                data=data,
            )
            erased.append(
                {
                    "case_id": case["id"],
                    "uuid": case["uuid"],
                    "erased_on": on.isoformat(),
                    **data,
                    "already_erased": False,
                }
            )
        purge_search_index(conn)
    for case in erased:  # a half-answered guided step of the case holds its words too
        drafts.erase_case(case["uuid"])
    compact(conn)
    return erased


def forget_again(conn: sqlite3.Connection, case: dict) -> dict | None:
    """`forget` of a case erased before (None if it was not): an erasure interrupted between its commit and its
    compaction (a kill, a full disk) may have left its words in the index, free pages or the WAL, so whatever may
    remain is removed now. When nothing can remain, it is refused as before: nothing more is done to it."""
    when = erased_on(conn, case["id"])
    if when is None:
        return None
    if not traces_may_remain(conn):
        refuse_if_erased(conn, case)
    with transaction(conn):
        _blank_import_files(conn, case["id"])
        purge_search_index(conn)
    drafts.erase_case(case["uuid"])
    compact(conn)
    return {
        "case_id": case["id"],
        "uuid": case["uuid"],
        "erased_on": when,
        "rows": {},
        "events": 0,
        "already_erased": True,
    }


def traces_may_remain(conn: sqlite3.Connection) -> bool:
    """Whether erased text may still be in the file: an erased case's words in the search index's pages (deleted
    entries included), free pages (freed by an older lingkaran, or not yet vacuumed), or frames in the WAL."""
    erased = erased_case_ids(conn)
    if not erased:
        return False
    if search_index.cases_with_words(conn, erased) or conn.execute("PRAGMA freelist_count").fetchone()[0]:
        return True
    opened = getattr(conn, "opened_file", None)
    wal = Path(f"{opened[0]}-wal") if opened else None
    return wal is not None and wal.exists() and wal.stat().st_size > 0


def _blank_import_files(conn: sqlite3.Connection, case_id: int) -> int:
    """Erase the content of the `import` events that may have brought the case (those after its first event):
    their file name may be the client's. Like the case's own events, they keep their hashes; a `forget` follows."""
    return conn.execute(
        "UPDATE events SET data = ? WHERE kind = 'import' AND case_id IS NULL AND data != ? "
        "AND id > (SELECT min(id) FROM events WHERE case_id = ?)",
        [ERASED_DATA, ERASED_DATA, case_id],
    ).rowcount


def _blank_events(conn: sqlite3.Connection, case_id: int) -> int:
    """Replace the content of a case's events by {"erased": true} (their hashes stay; `forget` events keep
    their figures, which hold nothing personal)."""
    return conn.execute(
        "UPDATE events SET data = ? WHERE case_id = ? AND data != ? AND kind != 'forget'",
        [ERASED_DATA, case_id, ERASED_DATA],
    ).rowcount


def blank_case(conn: sqlite3.Connection, case_id: int) -> None:
    """Keep nothing of a case but its blanked row and its events' identities, without recording an erasure (a case
    handed over to a colleague lives on elsewhere; store/hub_state.py lists it, and `check` knows it from there):
    its personal data and its events' content blanked, its other rows deleted."""
    filters = case_row_filters(conn)
    _blank_personal_columns(conn, case_id, filters)
    _blank_events(conn, case_id)
    conn.execute("PRAGMA defer_foreign_keys = ON")  # the case's rows go in any order; the case row stays
    for table in reversed([name for name in filters if name not in ("cases", "events")]):
        conn.execute(f'DELETE FROM "{table}" WHERE {filters[table]}', {"case_id": case_id})


def closed_in_latest_cycle(
    conn: sqlite3.Connection, case_id: int, arrived_after: int, authenticated: bool = False
) -> bool:
    """Whether a case may be erased by a legacy `forget` (one from before events said where they came from) that
    arrived with an import: it is closed here, or the event log holds a `terminate` of its latest cycle (closed,
    then erased, on a colleague's laptop: an import leaves the case row here as it was, so it may still say
    active). A legacy `terminate` that came with the same import (event id past `arrived_after`) does not count:
    nothing links it to what its writer had seen, so two forged lines could otherwise erase an active case; the
    person here closes the case first. Nor does any `terminate` that came with a file anyone could have written
    (not `authenticated`: an export, a plain bundle), whatever device it names."""
    return (
        conn.execute(
            "SELECT c.status = 'closed' OR EXISTS (SELECT 1 FROM events WHERE case_id = c.id AND kind = 'terminate' "
            "AND cycle = max(c.cycle, coalesce((SELECT max(cycle) FROM events WHERE case_id = c.id), 0)) "
            "AND NOT (id > ? AND (device = ? OR NOT ?))) FROM cases AS c WHERE c.id = ?",
            [arrived_after, devices.LEGACY, authenticated, case_id],
        ).fetchone()[0]
        == 1
    )


def opening_recorded(conn: sqlite3.Connection, case_id: int) -> bool:
    """Whether the event log holds the case's `open` event."""
    return conn.execute("SELECT 1 FROM events WHERE case_id = ? AND kind = 'open'", [case_id]).fetchone() is not None


def erase_again(conn: sqlite3.Connection, erased_before: set[int]) -> tuple[list[int], bool]:
    """After an import (inside its transaction): every erased case stays erased — records that arrived for it
    are blanked — and a case whose `forget` arrived with the import is erased here too. Returns those cases, and
    whether any erased text arrived (then the search index has been purged, and the file needs compacting)."""
    filters = case_row_filters(conn)
    newly_erased = sorted(erased_case_ids(conn) - erased_before)
    arrived = [
        case_id
        for case_id in sorted(erased_before)
        if any(_blank_personal_columns(conn, case_id, filters, only_filled=True).values())
    ]
    for case_id in newly_erased:
        _blank_personal_columns(conn, case_id, filters)
        _blank_events(conn, case_id)
        _blank_import_files(conn, case_id)
        # a half-answered guided step of the case holds its words too (gone even should the import then fail:
        # a draft is nobody's record, and erasure was asked for)
        drafts.erase_case(conn.execute("SELECT uuid FROM cases WHERE id = ?", [case_id]).fetchone()[0])
    if arrived or newly_erased:
        purge_search_index(conn)
    return newly_erased, bool(arrived or newly_erased)


def purge_search_index(conn: sqlite3.Connection) -> None:
    """Merge every full-text index into one segment (call inside the erasing transaction).

    FTS5 keeps a deleted or re-indexed row's words in its old segments, and writes them again in a delete marker,
    until the segments are merged; merged inside the transaction that blanks the text, the words leave the index
    in the same commit, so no crash can come between. (FTS5's own `secure-delete` option would remove them at
    once, but it needs SQLite 3.42 and switches the index to a format older SQLite cannot read — measured: a
    caseload decrypted on this Python's SQLite 3.40 could then no longer record a note.)
    """
    fts_tables = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE % USING fts5%'"
        )
    ]
    for table in fts_tables:
        conn.execute(f'INSERT INTO "{table}" ("{table}") VALUES (\'optimize\')')


def compact(conn: sqlite3.Connection) -> None:
    """Rewrite the file and empty the WAL (outside any transaction), so no erased text survives in free pages or
    old WAL frames."""
    conn.execute("VACUUM")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def due_for_retention(conn: sqlite3.Connection, closed_before: dt.date) -> list[dict]:
    """Closed cases closed on or before `closed_before` and not yet erased, oldest first."""
    rows = conn.execute(
        "SELECT * FROM cases WHERE status = 'closed' AND closed_on <= ? AND id NOT IN "
        "(SELECT case_id FROM events WHERE kind = 'forget' AND case_id IS NOT NULL) ORDER BY closed_on, id",
        [closed_before.isoformat()],
    )
    return [dict(row) for row in rows]
