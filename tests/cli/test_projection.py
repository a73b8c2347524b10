"""The projection: replaying a case's events gives exactly the rows its commands wrote."""

import json
import random
import sqlite3
from pathlib import Path

from lingkaran.casework import projection
from lingkaran.store import projection as store
from lingkaran.store.database import connect, transaction

EVENT_KINDS = (
    "open",
    "assess",
    "plan",
    "intervene",
    "contact",
    "identity",
    "monitor",
    "evaluate",
    "terminate",
    "reopen",
    "note",
    "amend",
    "consent",
    "member-add",
    "member-remove",
    "team-add",
    "team-remove",
    "link",
    "unlink",
    "refer",
    "referral-update",
    "ecomap-add",
    "ecomap-remove",
    "forget",
)


def rich_case(cli) -> dict[str, str]:
    """Drive cases through every kind of event; returns the case numbers by role."""
    family = cli.json(
        "open", "Keluarga Rahmawati", "--level", "mezzo", "--problem", "Eviction notice", "--date", "2026-05-01"
    )["id"]
    other = cli.json("open", "RW 05", "--level", "makro", "--problem", "Flooding", "--date", "2026-05-01")["id"]
    case = str(
        cli.json(
            "open",
            "Siti Rahmawati",
            "--level",
            "mikro",
            "--problem",
            "Left school",
            "--consent",
            "--consent-scope",
            "case management",
            "--part-of",
            family,
            "--source",
            "school",
            "--worker",
            "Bu Dian",
            "--sex",
            "female",
            "--phone",
            "0812 3456 789",
            "--date",
            "2026-05-02",
        )["id"]
    )
    cli.ok(
        "member",
        "add",
        case,
        "Ibu Sri",
        "--role",
        "parent",
        "--relation",
        "mother",
        "--born",
        "1980",
        "--note",
        "works nights",
        "--date",
        "2026-05-02",
    )
    cli.ok("member", "add", case, "Adi", "--role", "sibling", "--phone", "0813 1111 222", "--date", "2026-05-02")
    cli.ok(
        "contact",
        case,
        "--activity",
        "intake",
        "--note",
        "Intake visit at home",
        "--minutes",
        "45",
        "--date",
        "2026-05-03",
    )
    cli.ok("client", case, "--address", "Kp. Rawa RT 02", "--date", "2026-05-03")
    cli.ok("client", case, "--member", "Ibu Sri", "--phone", "0811 2222 333", "--date", "2026-05-03")
    cli.ok(
        "team",
        "add",
        case,
        "Dr. Ahmad",
        "--role",
        "doctor",
        "--agency",
        "Puskesmas",
        "--contact",
        "0812",
        "--date",
        "2026-05-03",
    )
    cli.ok("team", "add", case, "Pak Budi", "--role", "teacher", "--date", "2026-05-03")
    cli.ok(
        "assess",
        case,
        "--domain",
        "education=2",
        "--domain",
        "family=3",
        "--strength",
        "curious",
        "--need",
        "fees",
        "--risk",
        "medium",
        "--summary",
        "Out of school since March",
        "--member",
        "Ibu Sri",
        "--date",
        "2026-05-04",
    )
    cli.ok(
        "plan",
        case,
        "--goal",
        "Back to school",
        "--goal",
        "Talks with her mother weekly",
        "--goal",
        "Sport",
        "--target",
        "2026-09-01",
        "--member",
        "Ibu Sri",
        "--date",
        "2026-05-05",
    )
    cli.ok(
        "plan",
        case,
        "--weight",
        "1=3",
        "--target",
        "2=2026-08-01",
        "--gas",
        "1:0=Attends 3 days",
        "--gas",
        "1:1=Attends 5 days",
        "--revise",
        "2=Talks with her mother twice a week",
        "--drop",
        "3",
        "--date",
        "2026-05-06",
    )
    cli.ok(
        "ecomap",
        "add",
        case,
        "Sekolah",
        "--kind",
        "school",
        "--tie",
        "stressful",
        "--flow",
        "out",
        "--note",
        "fees owed",
        "--date",
        "2026-05-06",
    )
    cli.ok("ecomap", "add", case, "Sekolah", "--tie", "tenuous", "--date", "2026-05-20")
    cli.ok("ecomap", "add", case, "Masjid", "--kind", "religion", "--tie", "strong", "--date", "2026-05-06")
    cli.ok("ecomap", "remove", case, "Masjid", "--note", "moved away", "--date", "2026-05-21")
    activity = cli.json(
        "intervene",
        case,
        "--activity",
        "home-visit",
        "--note",
        "First visit",
        "--goal",
        "1",
        "--goal",
        "2",
        "--minutes",
        "60",
        "--by",
        "Dr. Ahmad",
        "--member",
        "Ibu Sri",
        "--date",
        "2026-05-07",
    )
    cli.ok(
        "intervene",
        case,
        "--activity",
        "phone-call",
        "--note",
        "Called the school",
        "--goal",
        "1",
        "--by",
        "Someone else",
        "--date",
        "2026-05-08",
    )
    cli.ok(
        "intervene",
        case,
        "--activity",
        "group-session",
        "--note",
        "Parents' group",
        "--goal",
        "2",
        "--by",
        "Dr. Ahmad",
        "--by",
        "Pak Budi",
        "--participants",
        "9",
        "--date",
        "2026-05-08",
    )
    cli.ok(
        "monitor",
        case,
        "--progress",
        "1=-1",
        "--progress",
        "2=0",
        "--note",
        "Slow start",
        "--follow-up",
        "2026-06-01",
        "--date",
        "2026-05-10",
    )
    cli.ok("monitor", case, "--progress", "1=-2", "--note", "From paper notes", "--date", "2026-05-09")
    note = cli.json("note", case, "Mother called", "--date", "2026-05-11")
    cli.ok("amend", note["event_uuid"], "--note", "Mother called about fees", "--reason", "typo")
    events = cli.json("log", case)
    visit = next(event for event in events if event["data"].get("activity_uuid") == activity["activity_uuid"])
    cli.ok("amend", visit["uuid"], "--note", "First visit, mother present", "--reason", "detail")
    cli.ok("consent", case, "--withdrawn", "--date", "2026-05-13")
    cli.ok("consent", case, "--given", "--scope", "case management and referral", "--date", "2026-05-14")
    referral = cli.json(
        "refer",
        case,
        "--to",
        "LBH",
        "--service",
        "Legal aid",
        "--contact",
        "Bu Ratna",
        "--due",
        "2026-06-30",
        "--date",
        "2026-05-15",
    )
    cli.ok(
        "referral",
        "update",
        str(referral["referral_id"]),
        "--status",
        "accepted",
        "--note",
        "Intake booked",
        "--date",
        "2026-05-16",
    )
    cli.ok("refer", case, "--to", "Dinsos", "--service", "School fees", "--date", "2026-05-16")
    cli.ok("link", case, "--part-of", other, "--date", "2026-05-17")
    cli.ok("unlink", case, "--part-of", other, "--date", "2026-05-18")
    cli.ok("member", "remove", case, "Adi", "--reason", "moved out", "--date", "2026-05-19")
    cli.ok("team", "remove", case, "Pak Budi", "--date", "2026-05-19")
    cli.ok(
        "evaluate",
        case,
        "--score",
        "1=1",
        "--score",
        "2=0",
        "--decision",
        "terminate",
        "--note",
        "Back in class",
        "--date",
        "2026-05-22",
    )
    cli.ok(
        "terminate",
        case,
        "--reason",
        "referred",
        "--summary",
        "Goals met, legal aid continues",
        "--destination",
        "LBH",
        "--follow-up",
        "2026-07-01",
        "--date",
        "2026-05-23",
    )
    cli.ok("monitor", case, "--progress", "1=2", "--note", "Follow-up visit", "--date", "2026-05-30")
    cli.ok("reopen", case, "--reason", "Dropped out again", "--date", "2026-06-02")
    cli.ok("assess", case, "--domain", "education=1", "--date", "2026-06-03")
    cli.ok("plan", case, "--goal", "Enrol in paket B", "--date", "2026-06-04")
    erased = str(cli.json("open", "Rudi", "--level", "mikro", "--problem", "Debt", "--date", "2026-05-01")["id"])
    cli.ok("terminate", erased, "--reason", "withdrew", "--summary", "Moved", "--date", "2026-05-02")
    cli.ok("forget", erased, "--yes")
    return {"case": case, "family": str(family), "other": str(other), "erased": erased}


def test_ratings_given_out_of_alphabetical_order_are_not_rewritten_by_a_rebuild(cli, db_path):
    """A merge rebuilds each case events arrived for; rows already in replay order are left as they are (ids
    kept): ratings given as `--domain safety=… --domain education=…` are stored in the order a replay gives."""
    cli.ok("open", "Siti", "--level", "mikro", "--problem", "Left school", "--consent", "--date", "2026-06-01")
    cli.ok("assess", "1", "--domain", "safety=2", "--domain", "education=1", "--domain", "health=3")
    conn = connect(db_path)
    before = conn.execute("SELECT id, domain FROM ratings ORDER BY id").fetchall()
    with transaction(conn):
        projection.rebuild(conn, 1)
    assert [tuple(row) for row in conn.execute("SELECT id, domain FROM ratings ORDER BY id")] == [
        tuple(row) for row in before
    ]


def case_uuids(db_path: Path) -> dict[int, str]:
    conn = sqlite3.connect(db_path)
    try:
        return dict(conn.execute("SELECT id, uuid FROM cases"))
    finally:
        conn.close()


def snapshot(conn: sqlite3.Connection, case_uuid: str) -> dict[str, list[dict]]:
    case_id = conn.execute("SELECT id FROM cases WHERE uuid = ?", [case_uuid]).fetchone()[0]
    return store.snapshot(conn, case_id, projection.PROJECTED_TABLES)


def events_only_copy(source: Path, target: Path) -> sqlite3.Connection:
    """A new caseload holding only the events of `source`, its cases rebuilt from them alone."""
    conn = connect(target)
    old = sqlite3.connect(source)
    old.row_factory = sqlite3.Row
    rows = [dict(row) for row in old.execute("SELECT * FROM events ORDER BY id")]
    old.close()
    with transaction(conn):
        for row in rows:
            opened = projection.project([{**row, "data": json.loads(row["data"])}])
            if row["kind"] == "open" and opened.case:  # an erased case cannot be rebuilt: its events say nothing
                store.save(conn, opened, None)
        for row in rows:
            case_id = conn.execute("SELECT id FROM cases WHERE uuid = ?", [row["case_uuid"]]).fetchone()
            values = {**row, "case_id": case_id[0] if case_id else None}
            del values["id"]
            conn.execute(
                f"INSERT INTO events ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                list(values.values()),
            )
        for (case_id,) in conn.execute("SELECT id FROM cases").fetchall():
            projection.rebuild(conn, case_id)
    return conn


def test_every_kind_of_event_is_in_the_story(cli, db_path):
    rich_case(cli)
    conn = sqlite3.connect(db_path)
    kinds = {row[0] for row in conn.execute("SELECT DISTINCT kind FROM events")}
    assert set(EVENT_KINDS) <= kinds


def test_rebuilding_from_the_events_alone_gives_the_rows_the_commands_wrote(cli, db_path, tmp_path):
    cases = rich_case(cli)
    conn = connect(db_path)
    uuids = {
        role: conn.execute("SELECT uuid FROM cases WHERE id = ?", [number]).fetchone()[0]
        for role, number in cases.items()
    }
    written = {role: snapshot(conn, uuid) for role, uuid in uuids.items() if role != "erased"}
    rebuilt = events_only_copy(db_path, tmp_path / "rebuilt.db")
    for role, rows in written.items():
        assert snapshot(rebuilt, uuids[role]) == rows, role


def test_rebuilding_in_place_changes_nothing_and_keeps_local_numbers(cli, db_path):
    cases = rich_case(cli)
    conn = connect(db_path)
    before = {
        table: conn.execute(f"SELECT * FROM [{table}] ORDER BY id").fetchall() for table in projection.PROJECTED_TABLES
    }
    with transaction(conn):
        for number in cases.values():
            projection.rebuild(conn, int(number))
    after = {
        table: conn.execute(f"SELECT * FROM [{table}] ORDER BY id").fetchall() for table in projection.PROJECTED_TABLES
    }
    assert {t: list(map(tuple, rows)) for t, rows in after.items()} == {
        t: list(map(tuple, rows)) for t, rows in before.items()
    }


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
    for previous, event in zip([None, *found], found, strict=False):
        event.update(
            {"parents": [previous["uuid"]] if previous else [], "device": "d1", "clock": f"{event['recorded_at']}-0000"}
        )
    return found


def test_an_older_caseload_rebuilds_without_changing_what_its_views_show(tmp_path):
    """A caseload written by the previous version (schema 6): its events carry less than today's, its ratings
    and opening consents had random UUIDs. After the migration, rebuilding every case changes nothing any view
    shows (the only difference left: `updated_at`, stamped a moment before its event)."""
    from pathlib import Path

    from lingkaran.readmodels import case_view

    older = tmp_path / "older.db"
    older.write_bytes((Path(__file__).parents[1] / "data" / "caseload-schema-6.db").read_bytes())
    conn = connect(older)
    numbers = [str(row[0]) for row in conn.execute("SELECT id FROM cases")]
    before = [case_view.case_detail(conn, number, "2026-06-15") for number in numbers]
    logs = [case_view.timeline(conn, number)[1] for number in numbers]
    with transaction(conn):
        rebuilt = [projection.rebuild(conn, int(number)) for number in numbers]
    assert sum(found is not None for found in rebuilt) == len(numbers) - 1  # the erased case is left alone
    assert [case_view.case_detail(conn, number, "2026-06-15") for number in numbers] == before
    assert [case_view.timeline(conn, number)[1] for number in numbers] == logs


def ids_of(db_path: Path, table: str) -> list[tuple]:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(f"SELECT id, uuid FROM [{table}] ORDER BY id").fetchall()
    finally:
        conn.close()


def test_a_merge_writes_again_only_the_tables_whose_rows_left_replay_order(cli, db_path, tmp_path):
    """Two laptops' notes of one day interleave in replay order: the notes are written again in that order, on
    both copies alike; the case's assessment, ratings and goals keep their ids (every record was rewritten)."""
    from tests.helpers import pass_bundle

    cli.ok("open", "Siti", "--level", "mikro", "--problem", "Left school", "--consent", "--date", "2026-06-01")
    cli.ok("assess", "1", "--domain", "education=1", "--domain", "health=3", "--date", "2026-06-02")
    cli.ok("plan", "1", "--goal", "Back to school", "--date", "2026-06-03")
    cli.ok("open", "Budi", "--level", "mikro", "--problem", "Lost his job", "--consent", "--date", "2026-06-01")
    cli.ok("assess", "2", "--domain", "employment=1", "--date", "2026-06-02")  # rows above case 1's: a rewrite shows
    cli.ok("plan", "2", "--goal", "Finds work", "--date", "2026-06-03")
    laptop, folder = tmp_path / "laptop.db", tmp_path / "bundles"
    folder.mkdir()
    pass_bundle(cli, db_path, laptop, folder)
    kept = {table: ids_of(db_path, table) for table in ("assessments", "ratings", "goals")}
    for copy, author in ((db_path, "office"), (laptop, "laptop"), (db_path, "office again")):
        cli.ok("--db", copy, "note", "1", f"Seen by the {author}", "--date", "2026-06-04")
    pass_bundle(cli, laptop, db_path, folder)
    pass_bundle(cli, db_path, laptop, folder)
    notes = [[row[1] for row in ids_of(copy, "notes")] for copy in (db_path, laptop)]
    assert notes[0] == notes[1] and len(notes[0]) == 3  # the same order of ids on both copies
    assert {table: ids_of(db_path, table) for table in kept} == kept
