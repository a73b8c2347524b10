"""Push and pull under the conditions of the field: retries, pushes committing out of order, a push killed
half-way, two copies writing as one device."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lingkaran.errors import DatabaseUnusable
from lingkaran.store.hub import sync

ROOT = Path(__file__).resolve().parents[2]


def count(conn, case_uuid: str) -> int:
    return conn.execute("SELECT count(*) FROM lingkaran.events WHERE case_uuid = %s", (case_uuid,)).fetchone()[0]


def test_pushing_the_same_events_again_stores_nothing_new(hub, device):
    conn = hub.connect(hub.worker("ana"))
    case_uuid, events = device.new_case(notes=10)
    assert sync.push(conn, events) == 11
    assert sync.push(conn, events) == 0
    more = [device.event(case_uuid, "note") for _ in range(3)]
    assert sync.push(conn, events + more) == 3  # a retry that also carries new events stores just those
    assert count(hub.connect(), case_uuid) == 14


def test_the_pull_cursor_moves_on_and_an_empty_pull_keeps_it(hub, device):
    conn = hub.connect(hub.worker("ana"))
    case_uuid, events = device.new_case()
    sync.push(conn, events)
    first, cursor = sync.pull(conn)
    assert [event["uuid"] for event in first] == [event["uuid"] for event in events]
    assert first == events  # every field comes back exactly as sent
    assert sync.pull(conn, cursor) == ([], cursor)


def test_a_push_that_commits_last_is_pulled_even_though_it_took_the_earlier_sequence(hub, device, new_device):
    """TEAM-SYNC.md's trap: a cursor on the server sequence alone skips the slow push A for good."""
    ana, budi, head = hub.worker("ana"), hub.worker("budi"), hub.worker("head", supervisor=True)
    case_uuid, events = device.new_case()
    sync.push(hub.connect(ana), events + [device.event(case_uuid, "share", {"worker": budi})])
    reader = hub.connect(head)
    _, cursor = sync.pull(reader)
    # Two workers: one worker's pushes take turns on their sync record, so they cannot cross like this.
    slow, fast = hub.connect(ana), hub.connect(budi)
    slow_event, fast_event = device.event(case_uuid, "note"), new_device().event(case_uuid, "note")
    seen = []
    with slow.transaction():  # push A: takes its sequence first, commits last
        assert sync.push(slow, [slow_event]) == 1
        assert sync.push(fast, [fast_event]) == 1  # push B: commits at once
        admin = hub.connect()
        sequences = dict(
            admin.execute(
                "SELECT uuid, server_seq FROM lingkaran.events WHERE uuid = ANY(%s)",
                ([slow_event["uuid"], fast_event["uuid"]],),
            ).fetchall()
        )
        assert sequences == {fast_event["uuid"]: sequences[fast_event["uuid"]]}  # A is not visible yet
        pulled, cursor = sync.pull(reader, cursor)  # between the two commits
        seen += pulled
    pulled, cursor = sync.pull(reader, cursor)
    seen += pulled
    uuids = [event["uuid"] for event in seen]
    assert sorted(uuids) == sorted([slow_event["uuid"], fast_event["uuid"]])
    assert admin.execute(
        "SELECT (SELECT server_seq FROM lingkaran.events WHERE uuid = %s) < "
        "(SELECT server_seq FROM lingkaran.events WHERE uuid = %s)",
        (slow_event["uuid"], fast_event["uuid"]),
    ).fetchone() == (True,)


PUSH_FROM_A_FILE = """
import json, sys
sys.path.insert(0, sys.argv[3])
from lingkaran.store.hub import connection, sync
conn = connection.connect(sys.argv[1], application_name="lingkaran-killed-push")
sync.push(conn, json.load(open(sys.argv[2])))
"""


def test_a_push_killed_half_way_leaves_the_hub_unchanged_and_the_retry_stores_each_event_once(hub, device, tmp_path):
    ana = hub.worker("ana")
    case_uuid, events = device.new_case(notes=9_999)
    batch = tmp_path / "batch.json"
    batch.write_text(json.dumps(events))
    holder = hub.connect(autocommit=False)
    # Hold the sync record locked: the push then waits at its last step, every event inserted, not committed.
    holder.execute("LOCK TABLE lingkaran.syncs IN EXCLUSIVE MODE")
    pusher = subprocess.Popen([sys.executable, "-c", PUSH_FROM_A_FILE, hub.url(ana), str(batch), str(ROOT / "src")])
    admin = hub.connect()
    try:
        _wait_for(
            lambda: admin.execute("""SELECT 1 FROM pg_stat_activity WHERE application_name =
                                           'lingkaran-killed-push' AND wait_event_type = 'Lock'""").fetchone()
        )
        assert count(admin, case_uuid) == 0
        os.kill(pusher.pid, signal.SIGKILL)
        pusher.wait(timeout=30)
    finally:
        holder.rollback()
    _wait_for(
        lambda: (
            not admin.execute("""SELECT 1 FROM pg_stat_activity
                                           WHERE application_name = 'lingkaran-killed-push'""").fetchone()
        )
    )
    assert count(admin, case_uuid) == 0
    conn = hub.connect(ana)
    assert sync.push(conn, events) == 10_000
    assert sync.push(conn, events) == 0
    assert count(admin, case_uuid) == 10_000


def _wait_for(condition, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_a_terminated_connection_mid_push_is_one_clear_error_and_nothing_is_stored(hub, device):
    ana = hub.worker("ana")
    case_uuid, events = device.new_case(notes=50)
    conn = hub.connect(ana)
    conn.execute("SET application_name = 'lingkaran-terminated-push'")
    holder = hub.connect(autocommit=False)
    holder.execute("LOCK TABLE lingkaran.syncs IN EXCLUSIVE MODE")
    admin = hub.connect()
    import threading

    outcome = {}

    def push():
        try:
            sync.push(conn, events)
        except DatabaseUnusable as error:
            outcome["error"] = error.message

    thread = threading.Thread(target=push)
    thread.start()
    _wait_for(
        lambda: admin.execute("""SELECT 1 FROM pg_stat_activity WHERE application_name =
                                       'lingkaran-terminated-push' AND wait_event_type = 'Lock'""").fetchone()
    )
    admin.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'lingkaran-terminated-push'"
    )
    thread.join(timeout=30)
    holder.rollback()
    assert outcome["error"].startswith("the connection to the hub was lost")
    assert "\n" not in outcome["error"]
    assert count(admin, case_uuid) == 0
    assert sync.push(hub.connect(ana), events) == 51


def test_two_copies_writing_as_one_device_are_refused(hub, device):
    conn = hub.connect(hub.worker("ana"))
    case_uuid, events = device.new_case()
    sync.push(conn, events)
    clash = dict(device.event(case_uuid, "note"), seq=events[-1]["seq"])
    with pytest.raises(DatabaseUnusable, match=f"sequence {clash['seq']} of device"):
        sync.push(conn, [clash])
    assert count(hub.connect(), case_uuid) == 3


def test_pages_hold_whole_transactions_and_together_are_the_whole_pull(hub, device):
    conn = hub.connect(hub.worker("ana"))
    pushes = [device.new_case(notes=notes)[1] for notes in (4, 0, 6, 1)]  # 5, 1, 7 and 2 events
    for events in pushes:
        sync.push(conn, events)
    whole, whole_cursor = sync.pull(conn)
    pages = list(sync.pull_pages(conn, page=3))
    assert [len(events) for _total, events, _cursor in pages] == [5, 1, 7, 2]  # never a push cut in two
    assert {total for total, _events, _cursor in pages} == {15}
    assert [event for _total, events, _cursor in pages for event in events] == whole
    cursors = [cursor for _total, _events, cursor in pages]
    assert cursors == sorted(cursors) and cursors[-1] == whole_cursor
    assert list(sync.pull_pages(conn, whole_cursor, page=3)) == []
