"""The helping system's migration: new tables with UUIDs and foreign keys, and an older caseload upgraded in place."""

import sqlite3

from sqlite_utils import Database

from lingkaran.domain.privacy import PERSONAL_COLUMNS, PERSONAL_EVENT_KEYS
from lingkaran.store.database import SCHEMA_VERSION, connect
from lingkaran.store.migrations import migrations

NEW_TABLES = ("members", "case_links", "team", "referrals", "ecomap_changes")


def test_the_helping_tables_have_uuids_and_integer_foreign_keys():
    db = Database(memory=True)
    migrations.apply(db)
    for table in NEW_TABLES:
        assert "uuid" in db[table].columns_dict, table
        assert table in PERSONAL_COLUMNS, table
    assert {fk.other_table for fk in db["case_links"].foreign_keys} == {"cases"}
    assert {(fk.column, fk.other_table) for fk in db["activities"].foreign_keys} >= {
        ("member_id", "members"),
        ("team_id", "team"),
    }
    assert ("referral_id", "referrals") in {(fk.column, fk.other_table) for fk in db["terminations"].foreign_keys}


def test_every_helping_event_kind_is_classified_for_privacy():
    for kind in (
        "member-add",
        "member-remove",
        "link",
        "unlink",
        "team-add",
        "team-remove",
        "refer",
        "referral-update",
        "ecomap-add",
        "ecomap-remove",
    ):
        assert kind in PERSONAL_EVENT_KEYS, kind


def test_a_caseload_from_before_the_helping_system_is_upgraded_in_place(db_path):
    raw = sqlite3.connect(db_path, isolation_level=None)
    migrations.apply(Database(raw), stop_before="m004_helping_system")
    raw.execute(
        "INSERT INTO cases (uuid, client, level, problem, phase, status, cycle, opened_on, consent) "
        "VALUES ('0b6c6d7e-0000-4000-8000-000000000001', 'Old', 'mikro', 'p', 'engagement', 'active', 1, "
        "'2026-01-01', 0)"
    )
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")  # the helping system is the last step
    raw.close()
    conn = connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("SELECT client FROM cases").fetchone()[0] == "Old"
    assert conn.execute("SELECT count(*) FROM ecomap_changes").fetchone()[0] == 0
