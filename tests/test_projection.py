"""The projection: replaying a case's events gives exactly the rows its commands wrote."""

import json
import random
import sqlite3

from lingkaran import projection
from lingkaran.store.database import connect, transaction
from tests.casework_story import EVENT_KINDS, events_only_copy, rich_case, snapshot


def test_every_kind_of_event_is_in_the_story(cli, db_path):
    rich_case(cli)
    conn = sqlite3.connect(db_path)
    kinds = {row[0] for row in conn.execute("SELECT DISTINCT kind FROM events")}
    assert set(EVENT_KINDS) <= kinds


def test_rebuilding_from_the_events_alone_gives_the_rows_the_commands_wrote(cli, db_path, tmp_path):
    cases = rich_case(cli)
    conn = connect(db_path)
    uuids = {role: conn.execute("SELECT uuid FROM cases WHERE id = ?", [number]).fetchone()[0]
             for role, number in cases.items()}
    written = {role: snapshot(conn, uuid) for role, uuid in uuids.items() if role != "erased"}
    rebuilt = events_only_copy(db_path, tmp_path / "rebuilt.db")
    for role, rows in written.items():
        assert snapshot(rebuilt, uuids[role]) == rows, role


def test_rebuilding_in_place_changes_nothing_and_keeps_local_numbers(cli, db_path):
    cases = rich_case(cli)
    conn = connect(db_path)
    before = {table: conn.execute(f"SELECT * FROM [{table}] ORDER BY id").fetchall()
              for table in projection.PROJECTED_TABLES}
    with transaction(conn):
        for number in cases.values():
            projection.rebuild(conn, int(number))
    after = {table: conn.execute(f"SELECT * FROM [{table}] ORDER BY id").fetchall()
             for table in projection.PROJECTED_TABLES}
    assert {t: list(map(tuple, rows)) for t, rows in after.items()} == \
        {t: list(map(tuple, rows)) for t, rows in before.items()}


def test_an_erased_case_is_left_as_erasure_left_it(cli, db_path):
    cases = rich_case(cli)
    conn = connect(db_path)
    with transaction(conn):
        assert projection.rebuild(conn, int(cases["erased"])) is None
    assert conn.execute("SELECT client FROM cases WHERE id = ?", [int(cases["erased"])]).fetchone()[0] == ""


def test_the_same_events_in_any_arrival_order_give_the_same_rows(cli, db_path):
    cases = rich_case(cli)
    conn = connect(db_path)
    events = _as_written_with_parents(conn, int(cases["case"]))
    expected = projection.project([dict(event) for event in events])
    for seed in range(5):
        shuffled = [dict(event) for event in events]
        random.Random(seed).shuffle(shuffled)
        assert projection.project(shuffled) == expected


def _as_written_with_parents(conn, case_id: int) -> list[dict]:
    """The case's events as a writer with parents and clocks would have written them: each saw the one before."""
    from lingkaran.store import projection as store

    found = store.case_events(conn, case_id)
    for previous, event in zip([None, *found], found):
        event.update({"parents": [previous["uuid"]] if previous else [], "device": "d1",
                      "clock": f"{event['recorded_at']}-0000"})
    return found


def test_an_older_caseload_rebuilds_without_changing_what_its_views_show(tmp_path):
    """A caseload written by the previous version (schema 6): its events carry less than today's, its ratings
    and opening consents had random UUIDs. After the migration, rebuilding every case changes nothing any view
    shows (the only difference left: `updated_at`, stamped a moment before its event)."""
    from pathlib import Path

    from lingkaran import views

    older = tmp_path / "older.db"
    older.write_bytes((Path(__file__).parent / "data" / "caseload-schema-6.db").read_bytes())
    conn = connect(older)
    numbers = [str(row[0]) for row in conn.execute("SELECT id FROM cases")]
    before = [views.case_detail(conn, number, "2026-06-15") for number in numbers]
    logs = [views.timeline(conn, number)[1] for number in numbers]
    with transaction(conn):
        rebuilt = [projection.rebuild(conn, int(number)) for number in numbers]
    assert sum(found is not None for found in rebuilt) == len(numbers) - 1  # the erased case is left alone
    assert [views.case_detail(conn, number, "2026-06-15") for number in numbers] == before
    assert [views.timeline(conn, number)[1] for number in numbers] == logs
