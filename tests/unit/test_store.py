"""The caseload file on disk: privacy, schema, refusing what is not ours, events in one transaction."""

import datetime as dt
import json
import sqlite3
import stat

import pytest
from sqlite_utils import Database

from lingkaran.casework import steps
from lingkaran.errors import DatabaseUnusable, InvalidInput
from lingkaran.store import database, events
from lingkaran.store.database import SCHEMA_VERSION, connect
from lingkaran.store.migrations import migrations
from tests.helpers import TODAY


def test_schema_version_counts_every_migration():
    assert SCHEMA_VERSION == len(migrations._migrations)


def test_migrations_build_the_tables_with_uuids_and_foreign_keys():
    db = Database(memory=True)
    migrations.apply(db)
    for table in (
        "cases",
        "assessments",
        "ratings",
        "goals",
        "activities",
        "goal_levels",
        "monitoring",
        "evaluations",
        "terminations",
        "events",
    ):
        assert "uuid" in db[table].columns_dict, table
    assert {fk.other_table for fk in db["goal_levels"].foreign_keys} == {"goals", "cases"}
    assert {"content_hash", "prev_hash", "hash", "data"} <= set(db["events"].columns_dict)


def test_a_caseload_from_before_the_lighter_search_index_upgrades_and_keeps_every_record_findable(cli, db_path):
    raw = sqlite3.connect(db_path)
    db = Database(raw)
    migrations.apply(db, stop_before="m006_search_without_prefix_index")
    raw.execute("PRAGMA user_version = 5")
    raw.commit()
    assert "prefix" in raw.execute("SELECT sql FROM sqlite_master WHERE name = 'search_index'").fetchone()[0]
    raw.row_factory = sqlite3.Row
    with database.transaction(raw):
        number = str(
            steps.record_opening(
                raw,
                client="Siti",
                level="mikro",
                problem="Putus sekolah",
                source=None,
                consent=True,
                worker=None,
                on=dt.date(2026, 6, 1),
            )["id"]
        )
    raw.close()
    cli.ok("list")
    assert (
        "prefix"
        not in sqlite3.connect(db_path)
        .execute("SELECT sql FROM sqlite_master WHERE name = 'search_index'")
        .fetchone()[0]
    )
    cli.ok("assess", number, "--domain", "education=2", "--summary", "Bertemu guru di sekolah")
    found = cli.json("search", "sekolah")
    assert sorted(hit["source"] for hit in found) == ["assessments", "cases"]
    assert {hit["source"] for hit in cli.json("search", "sek*")} == {"assessments", "cases"}


def test_a_new_caseload_is_created_private_with_its_folder(tmp_path):
    path = tmp_path / "new" / "folder" / "caseload.db"
    connect(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_the_caseload_uses_wal_foreign_keys_and_the_current_schema(db_path):
    conn = connect(db_path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_newer_schema_is_refused_and_left_untouched(db_path):
    connect(db_path).close()
    raw = sqlite3.connect(db_path)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.close()
    before = db_path.read_bytes()
    with pytest.raises(DatabaseUnusable, match="newer lingkaran"):
        connect(db_path)
    assert db_path.read_bytes() == before


def test_a_file_that_is_not_sqlite_is_refused(db_path):
    db_path.write_text("these are my shopping notes, not a database\n" * 100)
    with pytest.raises(DatabaseUnusable, match="not a lingkaran database"):
        connect(db_path)


def test_another_programs_sqlite_file_is_refused_and_not_migrated(db_path):
    raw = sqlite3.connect(db_path)
    raw.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL)")
    raw.commit()
    raw.close()
    with pytest.raises(DatabaseUnusable, match="not a lingkaran caseload"):
        connect(db_path)
    tables = {r[0] for r in sqlite3.connect(db_path).execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {"invoices"}


def test_a_failed_step_writes_nothing(db_path):
    import datetime as dt

    conn = connect(db_path)
    on = dt.date.fromisoformat(TODAY)
    case = steps.open_case(conn, client="A", level="mikro", problem="p", source=None, consent=True, worker=None, on=on)
    steps.assess(conn, str(case["id"]), on=on, ratings={"housing": 2}, strengths=[], needs=[], risk=None, summary=None)
    before = list(conn.iterdump())
    with pytest.raises(InvalidInput):
        # goal 1 is inserted before the unknown goal 5 is found: both must vanish
        steps.plan(
            conn,
            str(case["id"]),
            on=on,
            new_goals=["Goal"],
            default_target=None,
            weights={5: 2.0},
            targets={},
            scales={},
            revisions={},
            dropped=[],
        )
    assert list(conn.iterdump()) == before


def test_the_event_log_refuses_deletes_and_rewrites(db_path, cli):
    cli.ok("open", "A", "--level", "mikro", "--problem", "p")
    conn = connect(db_path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM events")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE events SET kind = 'forged'")


def test_events_are_chained_by_hashes(db_path, cli, opened_case):
    cli.ok("assess", opened_case, "--domain", "housing=2")
    rows = connect(db_path).execute("SELECT * FROM events ORDER BY id").fetchall()
    assert rows[0]["prev_hash"] is None
    assert rows[1]["prev_hash"] == rows[0]["hash"]
    for row in rows:
        assert row["hash"] == events.chain_hash(row["prev_hash"], dict(row))


def test_two_first_runs_do_not_race_the_migration(db_path):
    first, second = connect(db_path), connect(db_path)
    assert second.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == SCHEMA_VERSION
    first.close()


def test_a_lock_held_past_the_busy_timeout_is_a_clear_database_error(db_path):
    connect(db_path).close()
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    conn = connect(db_path, busy_timeout=0.1)
    with pytest.raises(DatabaseUnusable, match="locked"):
        with database.transaction(conn):
            pass
    holder.execute("ROLLBACK")


@pytest.mark.parametrize(
    "data",
    [
        {
            "note": "Kunjungan rumah",
            "minutes": 45,
            "ratio": 0.1,
            "big": 1e16,
            "nested": {"b": [1, "é\u2028"], "a": None},
        },
        {"count": 2**70},  # past 64 bits: orjson cannot write it, json can
        {"deep": json.loads("[" * 300 + "]" * 300)},  # past orjson's 254 levels when writing
    ],
)
def test_arrived_content_is_jsons_canonical_text_and_only_its_hash_matches(data):
    canonical = events.canonical_json(data)
    assert events.arrived_content(data, events.content_hash(data)) == (canonical, True)
    assert events.arrived_content(data, events.content_hash({**data, "changed": 1})) == (canonical, False)
