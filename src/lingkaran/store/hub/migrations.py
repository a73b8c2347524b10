"""The hub's schema: group roles, then an ordered list of small steps recorded in `lingkaran.hub_migrations`.

`init` creates or upgrades a hub in one transaction, and running it again changes nothing. The tables belong to
the NOLOGIN role `lingkaran_owner`: row-level security binds every worker and supervisor, while the few
functions that must see past it (assigning a case, blanking a forgotten one) run as that owner. Roles are the
cluster's, not one database's: one PostgreSQL cluster serves one agency (docs/design.md, "The agency hub").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import psycopg

SCHEMA = "lingkaran"
OWNER, WORKER, SUPERVISOR = "lingkaran_owner", "lingkaran_worker", "lingkaran_supervisor"
GROUP_ROLES = (OWNER, WORKER, SUPERVISOR)
ERASED = '{"erased":true}'  # the data of an erased event; its content_hash stays what it was

# Run by the connecting superuser before the steps, every time (each statement creates only what is missing).
BOOTSTRAP = (
    f"""DO $$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{OWNER}') THEN CREATE ROLE {OWNER} NOLOGIN; END IF;
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{WORKER}') THEN CREATE ROLE {WORKER} NOLOGIN; END IF;
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{SUPERVISOR}') THEN
            CREATE ROLE {SUPERVISOR} NOLOGIN;
        END IF;
    END $$""",
    f"CREATE SCHEMA IF NOT EXISTS {SCHEMA} AUTHORIZATION {OWNER}",
    # Only hub members may connect (and the temporary table a push fills needs TEMPORARY).
    "REVOKE CONNECT, TEMPORARY ON DATABASE {database} FROM PUBLIC",
    f"GRANT CONNECT, TEMPORARY ON DATABASE {{database}} TO {WORKER}, {SUPERVISOR}",
)

MIGRATIONS: list[tuple[str, str]] = [
    (
        "m001_events",
        f"""
        CREATE TABLE {SCHEMA}.events (
            server_seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            uuid text NOT NULL UNIQUE,
            device text NOT NULL,
            seq bigint NOT NULL CHECK (seq >= 1),
            clock text NOT NULL,
            parents text[] NOT NULL DEFAULT '{{}}',
            case_uuid text,
            kind text NOT NULL,
            phase text,
            cycle integer,
            occurred_on text,
            recorded_at text NOT NULL,
            data text NOT NULL,  -- the canonical JSON text exactly as sent (jsonb would reorder it)
            content_hash text NOT NULL,
            prev_hash text,
            hash text NOT NULL,
            pushed_by text NOT NULL DEFAULT current_user,
            txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
            UNIQUE (device, seq),
            CONSTRAINT content_hash_matches_data CHECK (
                data = '{ERASED}' OR content_hash = encode(sha256(convert_to(data, 'UTF8')), 'hex'))
        );
        CREATE INDEX events_by_pull_order ON {SCHEMA}.events (txid, server_seq);
        CREATE INDEX events_by_case ON {SCHEMA}.events (case_uuid, txid, server_seq);
    """,
    ),
    (
        "m002_assignments_and_tombstones",
        f"""
        CREATE TABLE {SCHEMA}.assignments (
            case_uuid text NOT NULL,
            worker text NOT NULL,
            since_txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
            by_event text,
            PRIMARY KEY (case_uuid, worker)
        );
        CREATE INDEX assignments_by_worker ON {SCHEMA}.assignments (worker, since_txid);
        CREATE TABLE {SCHEMA}.tombstones (
            case_uuid text PRIMARY KEY,
            event_uuid text NOT NULL,
            forgotten_by text NOT NULL,
            txid xid8 NOT NULL DEFAULT pg_current_xact_id()
        );
    """,
    ),
    (
        "m003_workers_and_syncs",
        f"""
        CREATE TABLE {SCHEMA}.workers (
            name text PRIMARY KEY,
            supervisor boolean NOT NULL,
            added_at timestamptz NOT NULL DEFAULT now(),
            removed_at timestamptz
        );
        CREATE TABLE {SCHEMA}.syncs (
            worker text PRIMARY KEY DEFAULT current_user,
            last_push timestamptz,
            last_pull timestamptz,
            events_pushed bigint NOT NULL DEFAULT 0,
            events_pulled bigint NOT NULL DEFAULT 0
        );
    """,
    ),
    (
        "m004_append_only",
        f"""
        CREATE FUNCTION {SCHEMA}.events_append_only() RETURNS trigger LANGUAGE plpgsql
        SET search_path = pg_catalog, pg_temp AS $$
        BEGIN
            -- The one change allowed: a tombstone blanking the data of its case's events.
            IF TG_OP = 'UPDATE' AND NEW.data = '{ERASED}' AND OLD.data <> NEW.data
               AND to_jsonb(NEW) - 'data' = to_jsonb(OLD) - 'data'
               AND EXISTS (SELECT 1 FROM {SCHEMA}.tombstones t WHERE t.case_uuid = OLD.case_uuid) THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION 'the hub''s events are append-only: % refused', TG_OP
                USING ERRCODE = 'restrict_violation';
        END $$;
        CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON {SCHEMA}.events
            FOR EACH ROW EXECUTE FUNCTION {SCHEMA}.events_append_only();
        CREATE TRIGGER events_never_truncated BEFORE TRUNCATE ON {SCHEMA}.events
            FOR EACH STATEMENT EXECUTE FUNCTION {SCHEMA}.events_append_only();
    """,
    ),
    (
        "m005_events_that_assign_and_erase",
        f"""
        -- Before: an event for a forgotten case is stored blanked (no client data reaches the hub again).
        CREATE FUNCTION {SCHEMA}.events_arrive() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
        SET search_path = pg_catalog, pg_temp AS $$
        BEGIN
            IF NEW.kind <> 'forget' AND NEW.data <> '{ERASED}'
               AND EXISTS (SELECT 1 FROM {SCHEMA}.tombstones t WHERE t.case_uuid = NEW.case_uuid) THEN
                NEW.data := '{ERASED}';
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER events_arrive BEFORE INSERT ON {SCHEMA}.events
            FOR EACH ROW EXECUTE FUNCTION {SCHEMA}.events_arrive();

        -- After (only for rows really stored): open, share and handover move assignments; forget erases.
        CREATE FUNCTION {SCHEMA}.events_apply() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
        SET search_path = pg_catalog, pg_temp AS $$
        DECLARE
            target text;
        BEGIN
            IF NEW.kind = 'open' THEN
                INSERT INTO {SCHEMA}.assignments (case_uuid, worker, by_event)
                SELECT NEW.case_uuid, NEW.pushed_by, NEW.uuid
                WHERE NOT EXISTS (SELECT 1 FROM {SCHEMA}.assignments a WHERE a.case_uuid = NEW.case_uuid)
                ON CONFLICT DO NOTHING;
            ELSIF NEW.kind IN ('share', 'handover') AND NEW.data <> '{ERASED}' THEN
                target := NEW.data::jsonb ->> 'worker';
                IF target IS NULL THEN
                    RETURN NULL;
                END IF;
                INSERT INTO {SCHEMA}.assignments (case_uuid, worker, by_event)
                VALUES (NEW.case_uuid, target, NEW.uuid) ON CONFLICT DO NOTHING;
                IF NEW.kind = 'handover' THEN
                    -- A worker hands their own case on; a supervisor moves it from everyone who held it.
                    DELETE FROM {SCHEMA}.assignments a
                    WHERE a.case_uuid = NEW.case_uuid AND a.worker <> target
                      AND (a.worker = NEW.pushed_by OR pg_has_role(NEW.pushed_by, '{SUPERVISOR}', 'MEMBER'));
                END IF;
            ELSIF NEW.kind = 'forget' THEN
                INSERT INTO {SCHEMA}.tombstones (case_uuid, event_uuid, forgotten_by)
                VALUES (NEW.case_uuid, NEW.uuid, NEW.pushed_by) ON CONFLICT DO NOTHING;
                UPDATE {SCHEMA}.events SET data = '{ERASED}'
                WHERE case_uuid = NEW.case_uuid AND kind <> 'forget' AND data <> '{ERASED}';
            END IF;
            RETURN NULL;
        END $$;
        CREATE TRIGGER events_apply AFTER INSERT ON {SCHEMA}.events FOR EACH ROW
            WHEN (NEW.kind IN ('open', 'share', 'handover', 'forget') AND NEW.case_uuid IS NOT NULL)
            EXECUTE FUNCTION {SCHEMA}.events_apply();
    """,
    ),
    (
        "m006_row_level_security",
        f"""
        -- Whether anyone holds a case (a worker's own view of assignments shows only their rows).
        CREATE FUNCTION {SCHEMA}.case_is_held(wanted text) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path = pg_catalog, pg_temp
        AS $$ SELECT EXISTS (SELECT 1 FROM {SCHEMA}.assignments a WHERE a.case_uuid = wanted) $$;
        -- Which of these event uuids the hub already holds (a retried push skips them, even for a case the
        -- pusher no longer holds); tells nothing but whether uuids the caller already knows exist.
        CREATE FUNCTION {SCHEMA}.known_uuids(wanted text[]) RETURNS SETOF text LANGUAGE sql STABLE
        SECURITY DEFINER SET search_path = pg_catalog, pg_temp
        AS $$ SELECT e.uuid FROM unnest(wanted) AS w(uuid) JOIN {SCHEMA}.events e ON e.uuid = w.uuid $$;
        REVOKE EXECUTE ON FUNCTION {SCHEMA}.case_is_held(text), {SCHEMA}.known_uuids(text[]) FROM PUBLIC;

        ALTER TABLE {SCHEMA}.events ENABLE ROW LEVEL SECURITY;
        ALTER TABLE {SCHEMA}.assignments ENABLE ROW LEVEL SECURITY;
        ALTER TABLE {SCHEMA}.syncs ENABLE ROW LEVEL SECURITY;

        -- EXISTS with current_user::text, served by the assignments key: an IN (subquery) against the name
        -- type made every push scan (docs/design.md, "The agency hub").
        CREATE POLICY workers_read_their_cases ON {SCHEMA}.events FOR SELECT TO {WORKER}
            USING (EXISTS (SELECT 1 FROM {SCHEMA}.assignments a
                           WHERE a.case_uuid = events.case_uuid AND a.worker = current_user::text)
                   OR (case_uuid IS NULL AND pushed_by = current_user::text));
        CREATE POLICY supervisors_read_all ON {SCHEMA}.events FOR SELECT TO {SUPERVISOR} USING (true);
        CREATE POLICY push_into_held_or_new_cases ON {SCHEMA}.events FOR INSERT TO {WORKER}, {SUPERVISOR}
            WITH CHECK (pushed_by = current_user::text AND (
                case_uuid IS NULL
                OR EXISTS (SELECT 1 FROM {SCHEMA}.assignments a
                           WHERE a.case_uuid = events.case_uuid AND a.worker = current_user::text)
                OR (kind = 'open' AND NOT {SCHEMA}.case_is_held(case_uuid))));
        CREATE POLICY supervisors_assign_and_erase ON {SCHEMA}.events FOR INSERT TO {SUPERVISOR}
            WITH CHECK (pushed_by = current_user::text AND kind IN ('share', 'handover', 'forget'));

        CREATE POLICY workers_see_their_assignments ON {SCHEMA}.assignments FOR SELECT TO {WORKER}
            USING (worker = current_user::text);
        CREATE POLICY supervisors_see_all_assignments ON {SCHEMA}.assignments FOR SELECT TO {SUPERVISOR}
            USING (true);
        CREATE POLICY own_sync_record ON {SCHEMA}.syncs FOR ALL TO {WORKER}, {SUPERVISOR}
            USING (worker = current_user::text) WITH CHECK (worker = current_user::text);
        CREATE POLICY supervisors_see_all_syncs ON {SCHEMA}.syncs FOR SELECT TO {SUPERVISOR} USING (true);

        GRANT USAGE ON SCHEMA {SCHEMA} TO {WORKER}, {SUPERVISOR};
        GRANT SELECT ON {SCHEMA}.events, {SCHEMA}.assignments TO {WORKER}, {SUPERVISOR};
        -- Not pushed_by, txid nor server_seq: the hub fills those in.
        GRANT INSERT (uuid, device, seq, clock, parents, case_uuid, kind, phase, cycle, occurred_on, recorded_at,
                      data, content_hash, prev_hash, hash) ON {SCHEMA}.events TO {WORKER}, {SUPERVISOR};
        GRANT SELECT, INSERT, UPDATE ON {SCHEMA}.syncs TO {WORKER}, {SUPERVISOR};
        GRANT SELECT ON {SCHEMA}.workers, {SCHEMA}.tombstones, {SCHEMA}.hub_migrations TO {SUPERVISOR};
        GRANT EXECUTE ON FUNCTION {SCHEMA}.case_is_held(text), {SCHEMA}.known_uuids(text[])
            TO {WORKER}, {SUPERVISOR};
    """,
    ),
    (
        "m007_restore_checks",
        f"""
        -- Whether the hub still holds the event at a laptop's pull cursor: a hub restored from an older backup
        -- does not, and that laptop reads its cases again from the start (tells nothing but yes or no).
        CREATE FUNCTION {SCHEMA}.holds_position(at_txid xid8, at_seq bigint) RETURNS boolean LANGUAGE sql STABLE
        SECURITY DEFINER SET search_path = pg_catalog, pg_temp
        AS $$ SELECT EXISTS (SELECT 1 FROM {SCHEMA}.events e WHERE e.txid = at_txid AND e.server_seq = at_seq) $$;
        -- Events stamped with a transaction this cluster has not reached came from another cluster's backup:
        -- until `hub init` renumbers them, no pull would read them.
        CREATE FUNCTION {SCHEMA}.restored_unrenumbered() RETURNS boolean LANGUAGE sql STABLE
        SECURITY DEFINER SET search_path = pg_catalog, pg_temp
        AS $$ SELECT EXISTS (SELECT 1 FROM {SCHEMA}.events e
                             WHERE e.txid >= pg_snapshot_xmax(pg_current_snapshot())) $$;
        REVOKE EXECUTE ON FUNCTION {SCHEMA}.holds_position(xid8, bigint), {SCHEMA}.restored_unrenumbered()
            FROM PUBLIC;
        GRANT EXECUTE ON FUNCTION {SCHEMA}.holds_position(xid8, bigint), {SCHEMA}.restored_unrenumbered()
            TO {WORKER}, {SUPERVISOR};
    """,
    ),
    (
        "m008_supervisors_review_and_resolve",
        f"""
        -- A supervisor holds no case but reads every one: besides moving and erasing cases, she records her
        -- reviews and settles conflicts on any of them.
        DROP POLICY supervisors_assign_and_erase ON {SCHEMA}.events;
        CREATE POLICY supervisors_assign_review_and_erase ON {SCHEMA}.events FOR INSERT TO {SUPERVISOR}
            WITH CHECK (pushed_by = current_user::text AND case_uuid IS NOT NULL
                        AND kind IN ('share', 'handover', 'forget', 'review', 'resolve'));
    """,
    ),
]
SUPERVISOR_KINDS = ("share", "handover", "forget", "review", "resolve")  # what m008 lets a supervisor push anywhere
# What carries the transaction that stored a row; a restore from another cluster brings values from its future.
TRANSACTION_COLUMNS = (("events", "txid"), ("assignments", "since_txid"), ("tombstones", "txid"))


def applied(conn: psycopg.Connection) -> list[str]:
    """The names of the steps this hub has, in order applied; [] for a database that is not a hub yet."""
    exists = conn.execute("SELECT to_regclass(%s) IS NOT NULL", (f"{SCHEMA}.hub_migrations",)).fetchone()
    if not exists or not exists[0]:
        return []
    return [row[0] for row in conn.execute(f"SELECT name FROM {SCHEMA}.hub_migrations ORDER BY applied_order")]


def init(conn: psycopg.Connection, upto: int | None = None) -> list[str]:
    """Create or upgrade the hub's schema in one transaction; returns the steps applied now (none: it was
    current). `upto` stops after that many steps (tests build an older hub with it)."""
    from psycopg import sql

    from lingkaran.store.hub.connection import hub_errors

    with hub_errors(), conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('lingkaran hub init'))")  # two inits take turns
        database = sql.Identifier(conn.info.dbname)
        for statement in BOOTSTRAP:
            conn.execute(sql.SQL(statement).format(database=database) if "{database}" in statement else statement)
        conn.execute(f"SET LOCAL ROLE {OWNER}")  # what the steps create belongs to the owner role
        conn.execute(f"""CREATE TABLE IF NOT EXISTS {SCHEMA}.hub_migrations (
            name text PRIMARY KEY, applied_order integer NOT NULL UNIQUE,
            applied_at timestamptz NOT NULL DEFAULT now())""")
        done = set(applied(conn))
        now = []
        for order, (name, statements) in enumerate(MIGRATIONS[:upto], start=1):
            if name not in done:
                conn.execute(statements)
                conn.execute(
                    f"INSERT INTO {SCHEMA}.hub_migrations (name, applied_order) VALUES (%s, %s)", (name, order)
                )
                now.append(name)
        conn.execute("RESET ROLE")
    return now


def renumber_restored(conn: psycopg.Connection) -> int:
    """Rows restored from another cluster's backup, stamped with transactions this cluster has not reached, are
    restamped with this transaction's id (keeping their order by server sequence); the number of events restamped.
    One transaction, as the tables' owner.

    Pulls read only below the snapshot horizon, so until then no laptop would receive them. Laptops notice that
    their pull cursor is gone and read their cases again from the start (store/hub/sync.py, `went_back`).
    """
    from lingkaran.store.hub.connection import hub_errors, scalar

    with hub_errors(), conn.transaction():
        conn.execute(f"SET LOCAL ROLE {OWNER}")
        mine = scalar(conn, "SELECT pg_current_xact_id()::text")
        if not scalar(conn, f"SELECT EXISTS (SELECT 1 FROM {SCHEMA}.events WHERE txid > %s::xid8)", (mine,)):
            return 0
        # The append-only rule stays whole for everyone else: ALTER TABLE holds the table to itself until commit.
        conn.execute(f"ALTER TABLE {SCHEMA}.events DISABLE TRIGGER events_append_only")
        counts = [
            conn.execute(
                f"UPDATE {SCHEMA}.{table} SET {column} = %s::xid8 WHERE {column} > %s::xid8", (mine, mine)
            ).rowcount
            for table, column in TRANSACTION_COLUMNS
        ]
        conn.execute(f"ALTER TABLE {SCHEMA}.events ENABLE TRIGGER events_append_only")
    return counts[0]
