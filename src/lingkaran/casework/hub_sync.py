"""`lingkaran sync`: push what this laptop wrote to the agency hub, pull what colleagues wrote, merge it as a bundle.

Steps, each whole or not at all (docs/design.md, "The agency hub"):
0. whether the hub went back to a backup (it lacks the last event pushed from here, or the one at the pull
   cursor): then everything is sent again and, if need be, read again from the start;
1. push: the events after this file's pushed mark, in one hub transaction; then the mark moves (a sync killed
   in between pushes them again, and the hub keeps each once, by uuid);
2. the hub's answer of which cases this worker holds, and the events past this file's cursor, in pages of whole
   hub transactions;
3. each page in one SQLite transaction: the events merged through the bundle's path (incoming.import_items:
   conflicts, erasure and rebuilds as for a bundle), cases new here built from their events, the cursor moved
   past the page; then, once every page is in, cases handed over to a colleague dropped once the hub holds all
   their events.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, ExitStack
from typing import TYPE_CHECKING

from lingkaran.messages import N_
from lingkaran.store import arrivals, erasure, hub_state, records, search_index
from lingkaran.store.transactions import larger_cache, transaction

if TYPE_CHECKING:  # the merge's modules load only when events arrive: a sync with nothing new starts lighter
    from lingkaran.casework.exchange import incoming

Advance = Callable[[int], None]  # as casework.exchange.formats has it
Progress = Callable[[int], AbstractContextManager[Advance]]


def _quiet(total: int) -> AbstractContextManager[Advance]:
    from contextlib import nullcontext

    return nullcontext(lambda count: None)


def sync(conn: sqlite3.Connection, url: str, progress: Progress = _quiet, *, today: dt.date) -> dict:
    """Push, pull and merge with the hub at `url`; what moved, what arrived, the conflicts, what was dropped."""
    from lingkaran.store.hub import connection
    from lingkaran.store.hub import sync as hub
    from lingkaran.store.hub.url import checked_url

    key = checked_url(url)
    hub_conn = connection.connect(key)
    try:
        lost = _went_back(conn, hub_conn, key)
        with transaction(conn):
            known = hub_state.state(conn, key)
            if any(lost):  # restored from a backup: what it lacks is sent again, what it holds read again
                hub_state.start_over(conn, key, push=lost[0], pull=lost[1])
                known = hub_state.state(conn, key)
            envelopes, through, legacy = hub_state.unpushed(conn, known)
        supervisor = _sees_everything(hub_conn)
        if any(lost):  # what is here of cases held elsewhere is for the laptops that hold them to send
            envelopes = hub.takes(hub_conn, envelopes, supervisor)
        stored = hub.push(hub_conn, envelopes)
        with transaction(conn):
            hub_state.mark_pushed(conn, key, through, legacy)
        held = None if supervisor else hub.assigned_cases(hub_conn)
        pages = hub.pull_pages(hub_conn, (known["cursor_txid"], known["cursor_seq"]))
        report = merge(conn, key, pages, held, progress, today)
    finally:
        hub_conn.close()
    return {"hub": key, "hub_went_back": any(lost), "pushed": len(envelopes), "stored_on_hub": stored, **report}


def _went_back(conn: sqlite3.Connection, hub_conn, key: str) -> tuple[bool, bool]:
    """Whether the hub lost what this laptop pushed, and the event at its pull cursor (asked before anything here
    is written, so a hub refused as not ready leaves this file as it was)."""
    from lingkaran.store.hub import sync as hub

    known = hub_state.peek(conn, key)
    if known is None:
        return False, False
    return hub.went_back(hub_conn, hub_state.last_pushed(conn, known), (known["cursor_txid"], known["cursor_seq"]))


def _sees_everything(hub_conn) -> bool:
    from lingkaran.store.hub.roles import is_supervisor

    return is_supervisor(hub_conn)


def merge(
    conn: sqlite3.Connection,
    key: str,
    pages: Iterable[tuple[int, list[dict], tuple[int, int]]],
    held: set[str] | None,
    progress: Progress,
    today: dt.date,
) -> dict:
    """Merge pulled pages, each in one transaction that moves the cursor past it (a sync stopped half-way
    resumes there), then drop the cases no longer held (None: all held), once every page is in."""
    with transaction(conn):
        last_event, last_case = records.last_id(conn, "events"), records.last_id(conn, "cases")
        taking_back = hub_state.dropped(conn)
    results: list[incoming.ImportResult] = []
    with ExitStack() as shown:
        advance: Advance | None = None
        for total, pulled, cursor in pages:
            advance = advance or shown.enter_context(progress(total))
            results.append(_merge_page(conn, key, pulled, cursor, taking_back, advance, today))
    with transaction(conn):
        arrived = arrivals.arrived_by_case(conn, last_event, last_case)
        dropped = _drop_handed_over(conn, key, held, hub_state.state(conn, key)["pushed_through"], last_event)
    erased = sorted({case for result in results for case in result.erased})
    if erased or dropped or any(case["erased"] for case in arrived):
        erasure.compact(conn)  # blanked text must not survive in free pages or the WAL
    return {
        "pulled": sum(result.events for result in results),
        "already_here": sum(result.already_present for result in results),
        "cases": arrived,
        "erased": erased,
        "dropped": dropped,
        # a number that changed for a case new here this sync (built over several pages) was nobody's yet
        "renumbered": [item for result in results for item in result.renumbered if item["case_id"] <= last_case],
        "conflicts": [code for result in results for code in result.conflicts],
    }


def _merge_page(
    conn: sqlite3.Connection,
    key: str,
    pulled: list[dict],
    cursor: tuple[int, int],
    taking_back: set[str],
    advance: Advance,
    today: dt.date,
) -> incoming.ImportResult:
    """One page of pulled events merged in one transaction, with the cursor moved past it."""
    from lingkaran.casework import projection
    from lingkaran.casework.exchange import incoming

    result = incoming.ImportResult("hub")
    with larger_cache(conn), transaction(conn), search_index.filled_at_end(conn):
        pushed_mark = hub_state.state(conn, key)["pushed_through"]
        last_case = records.last_id(conn, "cases")
        taken_back = _take_back(conn, pulled, taking_back)
        items = _items(conn, _causal_order(pulled))
        # a case new here was just built from its pulled events: not rebuilt from the same events again
        incoming.import_items(
            conn, iter(items), result, advance, today=today, cases_before=last_case, source=incoming.HUB
        )
        for case_id in taken_back:
            projection.rebuild(conn, case_id)
        hub_state.advance_cursor(conn, key, cursor, pushed_mark)
    return result


def _take_back(conn: sqlite3.Connection, pulled: list[dict], taking_back: set[str]) -> list[int]:
    """Cases dropped here before this sync that the hub sends again (shared back): their content restored, from
    every page that carries their events."""
    dropped = taking_back & {envelope["case_uuid"] for envelope in pulled}
    ids = []
    for case_uuid in sorted(dropped):
        hub_state.take_back(conn, case_uuid, [envelope for envelope in pulled if envelope["case_uuid"] == case_uuid])
        ids.append(conn.execute("SELECT id FROM cases WHERE uuid = ?", [case_uuid]).fetchone()[0])
    return ids


def _causal_order(pulled: list[dict]) -> list[dict]:
    """The envelopes with every event after the parents it names (the hub orders by commit, then by device)."""
    by_uuid = {envelope["uuid"]: envelope for envelope in pulled}
    placed: set[str] = set()
    ordered: list[dict] = []

    def place(envelope: dict) -> None:
        stack = [(envelope, False)]
        while stack:
            item, expanded = stack.pop()
            if item["uuid"] in placed:
                continue
            if expanded:
                placed.add(item["uuid"])
                ordered.append(item)
                continue
            stack.append((item, True))
            stack.extend(
                (by_uuid[parent], False)
                for parent in reversed(item["parents"])
                if parent in by_uuid and parent not in placed
            )

    for envelope in pulled:
        place(envelope)
    return ordered


def _items(conn: sqlite3.Connection, pulled: list[dict]) -> list[tuple[incoming.Where, dict]]:
    """The pulled events as an import's items; a case new here is first built from its events (one whose opening
    is not among them, or was erased before it came, cannot be held here: its events are left out)."""
    from lingkaran.casework.exchange import incoming

    here = set(hub_state.held_cases(conn)) | hub_state.dropped(conn)
    arriving = [hub_state.as_arriving(envelope) for envelope in pulled]
    new_cases: dict[str, list[dict]] = {}
    for number, event in enumerate(arriving):
        if event["case_uuid"] and event["case_uuid"] not in here:
            new_cases.setdefault(event["case_uuid"], []).append({**event, "id": number})
    unheld = {case_uuid for case_uuid, replayed in new_cases.items() if not _build_case(conn, replayed)}
    return [
        (incoming.Where(N_("event {number} from the hub"), number), {"table": "events", "record": event})
        for number, event in enumerate(arriving, start=1)
        if event["case_uuid"] not in unheld
    ]


def _build_case(conn: sqlite3.Connection, replayed: list[dict]) -> bool:
    """Create a case new here from its arriving events, in arrival order (the import then stores them)."""
    from lingkaran.casework import projection
    from lingkaran.store import projection as stored_projection

    projected = projection.project(replayed)
    if projected.case is None:
        return False
    stored_projection.save(conn, projected, None)
    return True


def _drop_handed_over(
    conn: sqlite3.Connection, key: str, held: set[str] | None, pushed_through: int, pulled_after: int
) -> list[dict]:
    """Drop each case here the worker no longer holds on the hub, once every one of its events is there."""
    if held is None:
        return []
    dropped = []
    for case_uuid, case_id in sorted(hub_state.held_cases(conn).items(), key=lambda item: item[1]):
        if case_uuid in held or not hub_state.all_pushed(conn, case_id, pushed_through, pulled_after):
            continue
        hub_state.drop(conn, key, case_uuid, case_id)
        dropped.append({"case": case_id, "uuid": case_uuid})
    return dropped
