"""The hub's schema: ordered migrations from empty and again, append-only events, hashes re-checked, a policy
served by an index. Run against the session's real PostgreSQL."""

import psycopg
import pytest

from lingkaran.errors import DatabaseUnusable
from lingkaran.store.hub import migrations, sync

ALL_STEPS = [name for name, _ in migrations.MIGRATIONS]


@pytest.fixture
def empty_database(postgres):
    """A new, empty database of its own (for the migration tests only: creating one costs about a second)."""
    name = "empty_hub"
    with psycopg.connect(postgres.conninfo(), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    yield postgres.conninfo(name)


def test_init_builds_the_hub_from_empty_then_finds_nothing_to_do(empty_database):
    with psycopg.connect(empty_database) as conn:
        assert migrations.applied(conn) == []
        assert migrations.init(conn) == ALL_STEPS
        assert migrations.init(conn) == []
        assert migrations.applied(conn) == ALL_STEPS
        owners = conn.execute("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'lingkaran'").fetchall()
        assert owners == [("lingkaran_owner",)]
        secured = conn.execute("SELECT relrowsecurity FROM pg_class WHERE oid = 'lingkaran.events'::regclass")
        assert secured.fetchone() == (True,)


def test_an_older_hub_is_upgraded_by_the_missing_steps_only(empty_database):
    with psycopg.connect(empty_database) as conn:
        assert migrations.init(conn, upto=2) == ALL_STEPS[:2]
        assert migrations.init(conn) == ALL_STEPS[2:]
        orders = conn.execute("SELECT applied_order FROM lingkaran.hub_migrations ORDER BY applied_order")
        assert [row[0] for row in orders] == list(range(1, len(ALL_STEPS) + 1))


def test_a_failing_step_leaves_the_database_as_it_was(empty_database, monkeypatch):
    broken = [*migrations.MIGRATIONS, ("m999_broken", "CREATE TABLE lingkaran.x (); SELECT 1/0")]
    monkeypatch.setattr(migrations, "MIGRATIONS", broken)
    with psycopg.connect(empty_database) as conn:
        with pytest.raises(DatabaseUnusable, match="division by zero"):
            migrations.init(conn)
        assert migrations.applied(conn) == []
        assert conn.execute("SELECT to_regnamespace('lingkaran')").fetchone() == (None,)


def test_events_cannot_be_deleted_updated_or_truncated_even_by_the_superuser(hub, device):
    worker = hub.worker("ana")
    case_uuid, events = device.new_case()
    sync.push(hub.connect(worker), events)
    admin = hub.connect(autocommit=True)
    for statement in (
        "DELETE FROM lingkaran.events WHERE case_uuid = %s",
        "UPDATE lingkaran.events SET data = '{}' WHERE case_uuid = %s",
        "UPDATE lingkaran.events SET data = '{\"erased\":true}' WHERE case_uuid = %s",
        "UPDATE lingkaran.events SET kind = 'note' WHERE case_uuid = %s",
    ):
        with pytest.raises(psycopg.errors.RestrictViolation, match="append-only"):
            admin.execute(statement, (case_uuid,))
    with pytest.raises(psycopg.errors.RestrictViolation):
        admin.execute("TRUNCATE lingkaran.events")
    count = admin.execute("SELECT count(*) FROM lingkaran.events WHERE case_uuid = %s", (case_uuid,)).fetchone()
    assert count == (len(events),)


def test_data_that_does_not_match_its_content_hash_is_refused_by_the_hub_itself(hub, device):
    worker = hub.worker("ana")
    case_uuid, events = device.new_case()
    sync.push(hub.connect(worker), events)
    forged = device.event(case_uuid, "note", {"text": "original"})
    conn = hub.connect(worker, autocommit=True)
    with pytest.raises(psycopg.errors.CheckViolation, match="content_hash_matches_data"):
        conn.execute(
            """INSERT INTO lingkaran.events (uuid, device, seq, clock, case_uuid, kind, recorded_at, data,
                        content_hash, hash) VALUES (%s, %s, %s, 'c', %s, 'note', 'r', %s, %s, 'h')""",
            (forged["uuid"], forged["device"], forged["seq"], case_uuid, '{"text":"changed"}', forged["content_hash"]),
        )
    with pytest.raises(DatabaseUnusable, match="does not match its content hash"):
        sync.push(conn, [{**forged, "data": '{"text":"changed"}'}])
    assert sync.push(conn, [forged]) == 1


def test_the_insert_and_read_policies_look_assignments_up_by_index(hub, device):
    """TEAM-SYNC.md: `IN (subquery)` against current_user's name type made every push scan assignments."""
    worker = hub.worker("ana")
    admin = hub.connect(autocommit=True)
    admin.execute("""INSERT INTO lingkaran.assignments (case_uuid, worker)
                     SELECT 'filler-' || n, 'filler_' || (n % 50) FROM generate_series(1, 5000) n
                     ON CONFLICT DO NOTHING""")
    admin.execute("ANALYZE lingkaran.assignments")
    conn = hub.connect(worker, autocommit=True)
    read_plan = _plan(conn, "SELECT * FROM lingkaran.events WHERE case_uuid = 'x'")
    insert_plan = _plan(
        conn,
        """INSERT INTO lingkaran.events (uuid, device, seq, clock, case_uuid, kind,
        recorded_at, data, content_hash, hash) VALUES ('u', 'd', 1, 'c', 'x', 'note', 'r', '{"erased":true}', 'h',
        'h') ON CONFLICT DO NOTHING""",
    )
    for plan in (read_plan, insert_plan):
        assert "Seq Scan on assignments" not in plan, plan
        assert "assignments_pkey" in plan, plan


def _plan(conn, statement: str) -> str:
    return "\n".join(row[0] for row in conn.execute("EXPLAIN " + statement))
