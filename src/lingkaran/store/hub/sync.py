"""Pushing events to the hub and pulling what the puller may see, each in one transaction.

The pull cursor is the pair (pushing transaction id, server sequence) of the last row pulled, and a pull only
reads rows whose transaction lies below the snapshot horizon, `pg_snapshot_xmin(pg_current_snapshot())`: every
transaction below it has ended, so no slower push can later commit underneath the cursor.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING

from lingkaran.errors import DatabaseUnusable, InvalidInput, StepRefused
from lingkaran.messages import _
from lingkaran.store.hub.connection import hub_errors, scalar
from lingkaran.store.hub.migrations import ERASED, SCHEMA, SUPERVISOR_KINDS
from lingkaran.store.hub.roles import is_supervisor

if TYPE_CHECKING:
    import psycopg

Cursor = tuple[int, int]  # (txid, server_seq) of the last row pulled
START: Cursor = (0, 0)

# The envelope's fields, in order, each with the Python types it may hold.
FIELDS: dict[str, tuple[type, ...]] = {
    "uuid": (str,),
    "device": (str,),
    "seq": (int,),
    "clock": (str,),
    "parents": (list,),
    "case_uuid": (str, type(None)),
    "kind": (str,),
    "phase": (str, type(None)),
    "cycle": (int, type(None)),
    "occurred_on": (str, type(None)),
    "recorded_at": (str,),
    "data": (str,),
    "content_hash": (str,),
    "prev_hash": (str, type(None)),
    "hash": (str,),
}
COLUMNS = ", ".join(FIELDS)
# Kinds whose insert may change who holds a case; stored first, so the rest of the push sees their effect.
OPENING_KINDS = ("open",)


def content_hash(data: str) -> str:
    """The content hash the hub re-computes: SHA-256 of the canonical JSON text's UTF-8 bytes."""
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def check_envelope(envelope: object) -> dict:
    """The envelope, if it has every field with a value of the right type and its data matches its hash."""
    if not isinstance(envelope, dict):
        raise InvalidInput(_("an event to push must be an object, not {kind}").format(kind=type(envelope).__name__))
    name = envelope.get("uuid", "?")
    for field, types in FIELDS.items():
        value = envelope.get(field)
        if field not in envelope or not isinstance(value, types) or isinstance(value, bool):
            raise InvalidInput(
                _("event {uuid}: {field} is missing or of the wrong type").format(uuid=name, field=field)
            )
    if envelope["seq"] < 1 or not all(isinstance(parent, str) for parent in envelope["parents"]):
        raise InvalidInput(_("event {uuid}: seq must be 1 or more and parents a list of uuids").format(uuid=name))
    if envelope["data"] != ERASED and content_hash(envelope["data"]) != envelope["content_hash"]:
        raise DatabaseUnusable(
            _(
                "event {uuid}: its data does not match its content hash; nothing was pushed "
                "(`lingkaran check` looks at the caseload)"
            ).format(uuid=name)
        )
    try:
        json.loads(envelope["data"])
    except ValueError:
        raise InvalidInput(_("event {uuid}: its data is not JSON").format(uuid=name)) from None
    return envelope


def push(conn: psycopg.Connection, envelopes: list[dict]) -> int:
    """Store the events in one transaction; returns how many were new (a retried push stores each once).

    Refused as a whole (StepRefused, exit 4) when one event is for a case the pusher does not hold.
    """
    rows = [tuple(check_envelope(envelope)[field] for field in FIELDS) for envelope in envelopes]
    if not rows:
        return 0
    with hub_errors(), conn.transaction():
        _load_incoming(conn, rows)
        stored = _insert(conn, "kind = ANY(%(opening)s)") + _insert(conn, "NOT kind = ANY(%(opening)s)")
        _refuse_forks(conn)
        _note_sync(conn, "push", stored)
    return stored


def _load_incoming(conn: psycopg.Connection, rows: list[tuple]) -> None:
    """COPY the batch into a temporary table, leaving out what the hub already holds."""
    conn.execute("DROP TABLE IF EXISTS pg_temp.incoming")  # left by a push inside the caller's own transaction
    conn.execute(f"""CREATE TEMPORARY TABLE incoming ON COMMIT DROP AS
                     SELECT {COLUMNS} FROM {SCHEMA}.events WITH NO DATA""")
    with conn.cursor() as cursor, cursor.copy(f"COPY pg_temp.incoming ({COLUMNS}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    conn.execute(f"""DELETE FROM pg_temp.incoming i
                     USING {SCHEMA}.known_uuids(ARRAY(SELECT uuid FROM pg_temp.incoming)) AS known(uuid)
                     WHERE i.uuid = known.uuid""")


def _insert(conn: psycopg.Connection, which: str) -> int:
    """Insert part of the incoming batch in (device, seq) order; the number of rows really stored."""
    import psycopg

    # No conflict target: `ON CONFLICT (uuid)` needs SELECT on the arbiter, which applies the read policy to the
    # new row, and an `open` is not readable by its opener until stored. A (device, seq) clash that this
    # lets through silently is caught by _refuse_forks.
    statement = f"""INSERT INTO {SCHEMA}.events ({COLUMNS})
                    SELECT {COLUMNS} FROM pg_temp.incoming WHERE {which} ORDER BY device, seq
                    ON CONFLICT DO NOTHING"""
    try:
        with conn.transaction():  # a savepoint: after a refusal, the batch can still say which case it was
            return conn.execute(statement, {"opening": list(OPENING_KINDS)}).rowcount
    except psycopg.errors.InsufficientPrivilege:
        raise StepRefused(
            _("the hub refused the push: case {case} is not assigned to you; nothing was pushed").format(
                case=_refused_case(conn, which)
            )
        ) from None


def _refuse_forks(conn: psycopg.Connection) -> None:
    """Every event pushed is now on the hub; one that is not clashed with another event's (device, seq)."""
    clash = conn.execute(f"""SELECT i.uuid, i.device, i.seq FROM pg_temp.incoming i
                             WHERE i.uuid NOT IN (SELECT {SCHEMA}.known_uuids(ARRAY(SELECT uuid FROM pg_temp.incoming)))
                             ORDER BY i.device, i.seq LIMIT 1""").fetchone()
    if clash:
        raise DatabaseUnusable(
            _(
                "the hub holds another event as sequence {seq} of device {device} (not {uuid}); "
                "two copies wrote as one device; nothing was pushed"
            ).format(seq=clash[2], device=clash[1], uuid=clash[0])
        )


def _refused_case(conn: psycopg.Connection, which: str) -> str:
    """A case of the batch the pusher holds no assignment for (what row-level security refused)."""
    found = conn.execute(
        f"""SELECT i.case_uuid FROM pg_temp.incoming i WHERE {which} AND i.case_uuid IS NOT NULL
                             AND NOT EXISTS (SELECT 1 FROM {SCHEMA}.assignments a
                                             WHERE a.case_uuid = i.case_uuid AND a.worker = current_user::text)
                             ORDER BY i.device, i.seq LIMIT 1""",
        {"opening": list(OPENING_KINDS)},
    ).fetchone()
    return found[0] if found else "?"


def _note_sync(conn: psycopg.Connection, direction: str, count: int) -> None:
    """Record when this role last pushed or pulled, for `hub status`."""
    column, counter = ("last_push", "events_pushed") if direction == "push" else ("last_pull", "events_pulled")
    conn.execute(
        f"""INSERT INTO {SCHEMA}.syncs (worker, {column}, {counter}) VALUES (current_user, now(), %s)
                     ON CONFLICT (worker) DO UPDATE SET {column} = now(),
                         {counter} = {SCHEMA}.syncs.{counter} + excluded.{counter}""",
        (count,),
    )


# What the puller has not pulled yet, below the snapshot horizon (docs/design.md, "The snapshot-horizon pull"):
# PAST_THE_CURSOR, then the whole history of each case assigned to the puller since the cursor.
HORIZON = f"""WITH horizon AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin),
     newly_assigned AS (
         SELECT a.case_uuid FROM {SCHEMA}.assignments a, horizon h
         WHERE a.worker = current_user::text AND a.since_txid > %(txid)s::xid8 AND a.since_txid < h.xmin)"""
PAST = "e.txid < h.xmin AND (e.txid, e.server_seq) > (%(txid)s::xid8, %(seq)s)"
# A supervisor reads every case: the pull order's index from the cursor on.
EVERY_CASE = f"SELECT {COLUMNS}, txid::text::bigint, server_seq FROM {SCHEMA}.events e, horizon h WHERE {PAST}"
# A worker reads the cases they hold: each case's events by the case's index, so a first pull costs what the
# worker holds, not the whole agency's log (row-level security would give the same rows from a scan of it all).
HELD_CASES = f"""SELECT {", ".join(f"e.{name}" for name in FIELDS)}, e.txid::text::bigint, e.server_seq
FROM horizon h, {SCHEMA}.assignments a,
     LATERAL (SELECT * FROM {SCHEMA}.events e WHERE e.case_uuid = a.case_uuid AND {PAST}) e
WHERE a.worker = current_user::text
UNION ALL
SELECT {COLUMNS}, txid::text::bigint, server_seq FROM {SCHEMA}.events e, horizon h
WHERE e.case_uuid IS NULL AND e.pushed_by = current_user::text AND {PAST}"""
HISTORY = f"""SELECT {COLUMNS}, txid::text::bigint, server_seq FROM {SCHEMA}.events e, horizon h
WHERE e.txid < h.xmin AND (e.txid, e.server_seq) <= (%(txid)s::xid8, %(seq)s)
  AND e.case_uuid IN (SELECT case_uuid FROM newly_assigned)"""


def pull_query(everything: bool) -> str:
    """The pull for a supervisor (every case) or a worker (the cases they hold), in pull order."""
    return f"{HORIZON}\n{EVERY_CASE if everything else HELD_CASES}\nUNION ALL\n{HISTORY}\nORDER BY 16, 17"


PAGE = 5_000  # events merged a transaction at a time: a supervisor's first pull is never held whole in memory


def pull(conn: psycopg.Connection, cursor: Cursor | None = None) -> tuple[list[dict], Cursor]:
    """The events the puller may see that it has not pulled yet, and the cursor to pass next time (every page
    of `pull_pages` at once)."""
    envelopes: list[dict] = []
    after = cursor or START
    for _total, page, page_cursor in pull_pages(conn, cursor):
        envelopes += page
        after = page_cursor
    return envelopes, after


def pull_pages(
    conn: psycopg.Connection, cursor: Cursor | None = None, page: int | None = None
) -> Iterator[tuple[int, list[dict], Cursor]]:
    """The events the puller may see that it has not pulled yet, a page at a time: (how many in all, the page,
    the cursor once the page is merged). Each page holds whole hub transactions.

    Past the cursor, only below the snapshot horizon; plus the whole history of each case assigned to the
    puller since the cursor (a share or handover brings everything), which comes first, at or below the cursor.
    One read-only REPEATABLE READ transaction reads every page from one snapshot through a server-side cursor;
    it takes no transaction id, so it holds no pusher back. A pull stopped after some pages resumes from the
    cursor of the last page merged: the history pages come before any page that moves the cursor.
    """
    txid, seq = cursor or START
    params = {"txid": str(txid), "seq": seq}
    pulled = 0
    with hub_errors():
        with conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            query = pull_query(everything=is_supervisor(conn))
            total = scalar(conn, f"SELECT count(*) FROM ({query}) AS waiting", params)
            with conn.cursor(name="lingkaran_pull") as rows:
                rows.execute(query, params)
                for chunk in _whole_transactions(rows, page or PAGE):
                    pulled += len(chunk)
                    newest = max((row[-2], row[-1]) for row in chunk)
                    yield (
                        total,
                        [dict(zip(FIELDS, row[: len(FIELDS)], strict=True)) for row in chunk],
                        max(newest, (txid, seq)),
                    )
        with conn.transaction():
            _note_sync(conn, "pull", pulled)


def _whole_transactions(rows: psycopg.Cursor, page: int) -> Iterator[list[tuple]]:
    """The rows in chunks of about `page`, never splitting one hub transaction (txid is each row's 16th field)."""
    pending: list[tuple] = []
    while batch := rows.fetchmany(page):
        pending += batch
        if len(batch) < page:
            break
        last_txid = pending[-1][len(FIELDS)]
        cut = next(
            (index for index in range(len(pending) - 1, -1, -1) if pending[index][len(FIELDS)] != last_txid), None
        )
        if cut is not None:  # the last transaction may go on in the next batch: it waits for it
            yield pending[: cut + 1]
            pending = pending[cut + 1 :]
    if pending:
        yield pending


def went_back(conn: psycopg.Connection, last_pushed: str | None, cursor: Cursor) -> tuple[bool, bool]:
    """Whether the hub lost what this laptop pushed (its last pushed event is gone), and whether the event at its
    pull cursor is gone: both mean the hub was restored from a backup. Refused (exit 5) while events restored from
    another cluster still wait for `hub init` to renumber them."""
    with hub_errors(), conn.transaction():
        if scalar(conn, f"SELECT {SCHEMA}.restored_unrenumbered()"):
            raise DatabaseUnusable(
                _(
                    "the hub was restored from a backup and is not ready: its administrator runs "
                    "`lingkaran hub init URL` once; nothing was synced"
                )
            )
        lost_push = last_pushed is not None and not scalar(
            conn, f"SELECT EXISTS (SELECT {SCHEMA}.known_uuids(%s))", ([last_pushed],)
        )
        lost_pull = cursor != START and not scalar(
            conn, f"SELECT {SCHEMA}.holds_position(%s::xid8, %s)", (str(cursor[0]), cursor[1])
        )
    return lost_push, lost_pull


def takes(conn: psycopg.Connection, envelopes: list[dict], supervisor: bool) -> list[dict]:
    """Of the envelopes, those the hub lets this worker push: the events of cases they hold, of cases nobody holds
    whose opening is among them (it assigns the case), of no case, and a supervisor's own kinds on any case."""
    opened = {envelope["case_uuid"] for envelope in envelopes if envelope["kind"] in OPENING_KINDS}
    held = assigned_cases(conn)
    with hub_errors(), conn.transaction():
        free = {
            row[0]
            for row in conn.execute(
                f"SELECT c FROM unnest(%s::text[]) AS c WHERE NOT {SCHEMA}.case_is_held(c)", (sorted(opened),)
            )
        }
    return [
        envelope
        for envelope in envelopes
        if envelope["case_uuid"] is None
        or envelope["case_uuid"] in held | free
        or (supervisor and envelope["kind"] in SUPERVISOR_KINDS)
    ]


def assigned_cases(conn: psycopg.Connection) -> set[str]:
    """The uuids of the cases the connected worker holds now (a laptop drops the others once pushed)."""
    with hub_errors(), conn.transaction():
        rows = conn.execute(f"SELECT case_uuid FROM {SCHEMA}.assignments WHERE worker = current_user::text")
        return {row[0] for row in rows}
