"""Who sees what, enforced by PostgreSQL itself: each rule checked connected as the worker's own role (row-level
security does not bind the superuser these tests run as)."""

import psycopg
import pytest

from lingkaran.errors import StepRefused
from lingkaran.store.hub import sync, workers
from lingkaran.store.hub.migrations import ERASED


def uuids(events) -> set[str]:
    return {event["uuid"] for event in events}


def case_events(conn, case_uuid: str) -> list[tuple]:
    """What plain SQL shows this connection of one case."""
    return conn.execute(
        "SELECT uuid, data FROM lingkaran.events WHERE case_uuid = %s ORDER BY server_seq", (case_uuid,)
    ).fetchall()


def test_opening_a_case_assigns_it_to_the_opener(hub, device):
    ana = hub.worker("ana")
    case_uuid, events = device.new_case()
    conn = hub.connect(ana)
    assert sync.push(conn, events) == 3
    assert sync.assigned_cases(conn) == {case_uuid}
    pulled, _ = sync.pull(conn)
    assert uuids(pulled) == uuids(events)


def test_a_worker_who_is_not_assigned_sees_nothing_and_cannot_write_into_the_case(hub, device, new_device):
    ana, budi, citra = hub.worker("ana"), hub.worker("budi"), hub.worker("citra")
    case_uuid, events = device.new_case()
    sync.push(hub.connect(ana), events)
    with pytest.raises(StepRefused):  # not budi's case to share, with himself or anyone
        sync.push(hub.connect(budi), [device.event(case_uuid, "share", {"worker": citra})])
    citra_conn = hub.connect(citra, autocommit=True)
    assert case_events(citra_conn, case_uuid) == []
    assert citra_conn.execute(
        "SELECT count(*) FROM lingkaran.assignments WHERE case_uuid = %s", (case_uuid,)
    ).fetchone() == (0,)
    assert sync.pull(citra_conn) == ([], (0, 0))
    outsider = new_device().event(case_uuid, "note", {"text": "I was never assigned"})
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        citra_conn.execute(
            """INSERT INTO lingkaran.events (uuid, device, seq, clock, case_uuid, kind, recorded_at,
                              data, content_hash, hash) VALUES (%s, %s, 1, 'c', %s, 'note', 'r', %s, %s, 'h')""",
            (outsider["uuid"], outsider["device"], case_uuid, outsider["data"], outsider["content_hash"]),
        )
    with pytest.raises(StepRefused, match=f"case {case_uuid} is not assigned to you"):
        sync.push(citra_conn, [outsider])
    reopened = new_device().event(case_uuid, "open", {"client": "taken over"})  # an open cannot take a held case
    with pytest.raises(StepRefused):
        sync.push(citra_conn, [reopened])


def test_the_refused_push_was_the_non_assigned_workers_alone(hub, device):
    ana, budi = hub.worker("ana"), hub.worker("budi")
    case_uuid, events = device.new_case()
    with pytest.raises(StepRefused):
        sync.push(hub.connect(budi), [device.event(case_uuid, "share", {"worker": budi})])
    assert sync.push(hub.connect(ana), events) == 3  # nothing of budi's attempt stands in the way
    assert case_events(hub.connect(budi), case_uuid) == []


def test_a_supervisor_sees_every_case(hub, new_device):
    ana, budi, head = hub.worker("ana"), hub.worker("budi"), hub.worker("head", supervisor=True)
    first, first_events = new_device().new_case()
    second, second_events = new_device().new_case("Budi Santoso")
    sync.push(hub.connect(ana), first_events)
    sync.push(hub.connect(budi), second_events)
    conn = hub.connect(head)
    assert len(case_events(conn, first)) == 3 and len(case_events(conn, second)) == 3
    pulled, _ = sync.pull(conn)
    assert uuids(first_events) | uuids(second_events) <= uuids(pulled)


def test_share_gives_the_colleague_the_whole_history_and_both_keep_writing(hub, device, new_device):
    ana, budi = hub.worker("ana"), hub.worker("budi")
    ana_conn, budi_conn = hub.connect(ana), hub.connect(budi)
    _, budi_cursor = sync.pull(budi_conn)
    case_uuid, events = device.new_case(notes=5)
    sync.push(ana_conn, events)
    nothing, budi_cursor = sync.pull(budi_conn, budi_cursor)
    assert nothing == []
    share = device.event(case_uuid, "share", {"worker": budi})
    sync.push(ana_conn, [share])
    pulled, budi_cursor = sync.pull(budi_conn, budi_cursor)
    assert uuids(pulled) == uuids(events) | {share["uuid"]}
    budi_note = new_device().event(case_uuid, "note", {"text": "home visit"})
    assert sync.push(budi_conn, [budi_note]) == 1
    assert sync.assigned_cases(ana_conn) >= {case_uuid}
    assert sync.pull(budi_conn, budi_cursor)[0] == [budi_note]


def test_handover_moves_the_case_with_its_whole_history(hub, device, new_device):
    ana, budi = hub.worker("ana"), hub.worker("budi")
    ana_conn, budi_conn = hub.connect(ana), hub.connect(budi)
    _, budi_cursor = sync.pull(budi_conn)
    case_uuid, events = device.new_case(notes=4)
    sync.push(ana_conn, events)
    last_note, handover = device.event(case_uuid, "note"), device.event(case_uuid, "handover", {"worker": budi})
    assert sync.push(ana_conn, [last_note, handover]) == 2
    pulled, _ = sync.pull(budi_conn, budi_cursor)
    assert uuids(pulled) == uuids(events) | {last_note["uuid"], handover["uuid"]}
    assert sync.assigned_cases(budi_conn) == {case_uuid}
    assert case_uuid not in sync.assigned_cases(ana_conn)
    assert case_events(ana_conn, case_uuid) == []
    assert sync.push(ana_conn, [last_note, handover]) == 0  # a retried last push is still welcome
    with pytest.raises(StepRefused):
        sync.push(ana_conn, [device.event(case_uuid, "note", {"text": "after I handed it over"})])


def test_a_supervisor_can_hand_a_case_over_from_its_worker(hub, device, new_device):
    ana, budi, head = hub.worker("ana"), hub.worker("budi"), hub.worker("head", supervisor=True)
    case_uuid, events = device.new_case()
    sync.push(hub.connect(ana), events)
    sync.push(hub.connect(head), [new_device().event(case_uuid, "handover", {"worker": budi})])
    assert sync.assigned_cases(hub.connect(budi)) == {case_uuid}
    assert case_uuid not in sync.assigned_cases(hub.connect(ana))


def test_forget_blanks_the_case_and_later_arrivals_are_stored_blank(hub, device, new_device):
    ana, budi, head = hub.worker("ana"), hub.worker("budi"), hub.worker("head", supervisor=True)
    case_uuid, events = device.new_case("Siti Rahmawati", notes=3)
    ana_conn = hub.connect(ana)
    sync.push(ana_conn, events + [device.event(case_uuid, "share", {"worker": budi})])
    budi_device = new_device()
    offline_note = budi_device.event(case_uuid, "note", {"text": "Siti Rahmawati asked about school fees"})
    forget = device.event(case_uuid, "forget", {"reason": "retention"})
    sync.push(ana_conn, [forget])
    assert sync.push(hub.connect(budi), [offline_note]) == 1  # budi was offline when the case was forgotten
    admin = hub.connect()
    rows = admin.execute(
        "SELECT kind, data, content_hash FROM lingkaran.events WHERE case_uuid = %s", (case_uuid,)
    ).fetchall()
    assert {data for kind, data, _ in rows if kind != "forget"} == {ERASED}
    assert not any("Siti" in data for _, data, _ in rows)
    assert {content for _, _, content in rows} >= {event["content_hash"] for event in events}
    assert admin.execute(
        "SELECT forgotten_by FROM lingkaran.tombstones WHERE case_uuid = %s", (case_uuid,)
    ).fetchone() == (ana,)
    pulled, _ = sync.pull(hub.connect(head))
    forgotten = [event for event in pulled if event["case_uuid"] == case_uuid]
    assert len(forgotten) == len(rows) and all("Siti" not in event["data"] for event in forgotten)


def test_a_removed_worker_cannot_connect_and_what_they_pushed_stays(hub, device):
    ana = hub.worker("ana")
    case_uuid, events = device.new_case()
    sync.push(hub.connect(ana), events)
    open_session = hub.connect(ana, autocommit=True)
    workers.worker_remove(hub.connect(), ana)
    with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
        psycopg.connect(hub.url(ana))
    with pytest.raises(psycopg.OperationalError):
        open_session.execute("SELECT 1")  # the session that was open is ended too
    admin = hub.connect()
    assert len(case_events(admin, case_uuid)) == 3
    status = workers.status(admin)
    assert {"name": ana, "active": False, "events_pushed": 3} | {} == {
        key: value
        for key, value in next(w for w in status["workers"] if w["name"] == ana).items()
        if key in ("name", "active", "events_pushed")
    }
