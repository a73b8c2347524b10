"""The ordered schema steps, applied on open with sqlite-utils' Migrations.

Add a step as a new function at the end; never edit one that has shipped. `store.database.SCHEMA_VERSION`
must equal the number of steps (a test checks it): the database records it in `PRAGMA user_version`, so a
command can tell without importing sqlite-utils that nothing is pending.
"""

from sqlite_utils import Database, Migrations

from lingkaran.store.search_index import (
    HELPING_SYSTEM_SOURCES,
    INDEXED_SOURCES,
    SEARCH_INDEX_SQL,
    SEARCH_SOURCES,
    search_row_sql,
)

migrations = Migrations("lingkaran")


def _create(
    db: Database, name: str, columns: dict, *, not_null=(), defaults=None, foreign_keys=(), indexes=(), unique=()
) -> None:
    """Create a table keyed by an integer id with a unique UUID, plus its lookup indexes."""
    db.table(name).create(
        {"id": int, "uuid": str, **columns},
        pk="id",
        not_null={"uuid", *not_null},
        defaults=defaults or {},
        foreign_keys=list(foreign_keys),
    )
    db.table(name).create_index(["uuid"], unique=True)
    for columns_of_index in indexes:
        db.table(name).create_index(list(columns_of_index))
    for columns_of_index in unique:
        db.table(name).create_index(list(columns_of_index), unique=True)


@migrations()
def m001_initial(db: Database) -> None:
    """Cases and every record of the cycle's seven steps, plus the append-only event log."""
    _create(
        db,
        "cases",
        {
            "client": str,
            "level": str,
            "problem": str,
            "source": str,
            "worker": str,
            "consent": int,
            "consent_on": str,
            "phase": str,
            "status": str,
            "cycle": int,
            "opened_on": str,
            "closed_on": str,
            "close_reason": str,
            "follow_up_on": str,
            "last_contact_on": str,
            "updated_at": str,
        },
        not_null={"client", "level", "problem", "phase", "status", "cycle", "opened_on", "consent"},
        defaults={"consent": 0, "cycle": 1},
        indexes=[("status", "phase"), ("follow_up_on",), ("level",)],
    )
    _create(
        db,
        "assessments",
        {
            "case_id": int,
            "cycle": int,
            "assessed_on": str,
            "risk": str,
            "summary": str,
            "strengths": str,
            "needs": str,
        },
        not_null={"case_id", "cycle", "assessed_on"},
        foreign_keys=[("case_id", "cases", "id")],
        indexes=[("case_id",)],
    )
    _create(
        db,
        "ratings",
        {"assessment_id": int, "domain": str, "score": int},
        not_null={"assessment_id", "domain", "score"},
        foreign_keys=[("assessment_id", "assessments", "id")],
        unique=[("assessment_id", "domain")],
    )
    _create(
        db,
        "goals",
        {
            "case_id": int,
            "number": int,
            "text": str,
            "weight": float,
            "target_on": str,
            "scale": str,
            "status": str,
            "latest_level": int,
            "set_on": str,
            "cycle": int,
        },
        not_null={"case_id", "number", "text", "weight", "status"},
        defaults={"weight": 1.0, "status": "open"},
        foreign_keys=[("case_id", "cases", "id")],
        unique=[("case_id", "number")],
    )
    _create(
        db,
        "activities",
        {
            "case_id": int,
            "cycle": int,
            "kind": str,
            "note": str,
            "minutes": int,
            "by_name": str,
            "occurred_on": str,
            "goal_numbers": str,
        },
        not_null={"case_id", "cycle", "kind", "note", "occurred_on"},
        foreign_keys=[("case_id", "cases", "id")],
        indexes=[("case_id", "occurred_on")],
    )
    _create(
        db,
        "goal_levels",
        {
            "goal_id": int,
            "case_id": int,
            "level": int,
            "source": str,
            "observed_on": str,
            "cycle": int,
        },
        not_null={"goal_id", "case_id", "level", "source", "observed_on"},
        foreign_keys=[("goal_id", "goals", "id"), ("case_id", "cases", "id")],
        indexes=[("goal_id",), ("case_id",)],
    )
    _create(
        db,
        "monitoring",
        {
            "case_id": int,
            "cycle": int,
            "note": str,
            "observed_on": str,
            "follow_up_on": str,
            "after_close": int,
        },
        not_null={"case_id", "cycle", "note", "observed_on"},
        defaults={"after_close": 0},
        foreign_keys=[("case_id", "cases", "id")],
        indexes=[("case_id",)],
    )
    _create(
        db,
        "evaluations",
        {
            "case_id": int,
            "cycle": int,
            "evaluated_on": str,
            "t_score": float,
            "decision": str,
            "note": str,
            "scores": str,
        },
        not_null={"case_id", "cycle", "evaluated_on", "decision"},
        foreign_keys=[("case_id", "cases", "id")],
        indexes=[("case_id",)],
    )
    _create(
        db,
        "terminations",
        {
            "case_id": int,
            "cycle": int,
            "reason": str,
            "summary": str,
            "closed_on": str,
            "follow_up_on": str,
            "destination": str,
        },
        not_null={"case_id", "cycle", "reason", "summary", "closed_on"},
        foreign_keys=[("case_id", "cases", "id")],
        indexes=[("case_id",)],
    )
    _create(
        db,
        "events",
        {
            "case_id": int,
            "case_uuid": str,
            "kind": str,
            "phase": str,
            "cycle": int,
            "occurred_on": str,
            "recorded_at": str,
            "data": str,
            "content_hash": str,
            "prev_hash": str,
            "hash": str,
        },
        not_null={"kind", "recorded_at", "data", "content_hash", "hash"},
        foreign_keys=[("case_id", "cases", "id")],
        indexes=[("case_id", "id"), ("kind",)],
    )
    for statement in (
        "CREATE TRIGGER events_no_delete BEFORE DELETE ON events "
        "BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END",
        "CREATE TRIGGER events_no_rewrite BEFORE UPDATE OF uuid, case_uuid, kind, phase, cycle, occurred_on, "
        "recorded_at, content_hash, prev_hash, hash ON events "
        "BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END",
    ):
        db.execute(statement)


@migrations()
def m002_daily_work(db: Database) -> None:
    """Free case notes, corrections (amendments), the full-text search index, and indexes for the agenda."""
    _create(
        db,
        "notes",
        {
            "case_id": int,
            "cycle": int,
            "phase": str,
            "written_on": str,
            "text": str,
        },
        not_null={"case_id", "cycle", "phase", "written_on", "text"},
        foreign_keys=[("case_id", "cases", "id")],
        indexes=[("case_id", "written_on")],
    )
    _create(
        db,
        "amendments",
        {
            "case_id": int,
            "event_uuid": str,
            "record_table": str,
            "record_uuid": str,
            "field": str,
            "text": str,
            "reason": str,
            "amended_on": str,
        },
        not_null={"case_id", "event_uuid", "record_table", "record_uuid", "field", "text", "reason", "amended_on"},
        foreign_keys=[("case_id", "cases", "id")],
        indexes=[("case_id",), ("event_uuid",)],
    )
    indexed: tuple[tuple[str, tuple[str, ...]], ...] = (
        ("cases", ("status", "last_contact_on")),
        ("cases", ("consent", "status")),
        ("cases", ("opened_on",)),
        ("goals", ("status", "target_on")),
        ("activities", ("occurred_on", "kind", "minutes")),
        ("evaluations", ("evaluated_on",)),
        ("terminations", ("closed_on",)),
    )
    for table, columns in indexed:
        db.table(table).create_index(list(columns))
    # A regular FTS5 table: derived from the tables above and kept equal to them by triggers, so an update
    # (a correction, an erasure that blanks personal columns) re-indexes the row at once.
    db.execute(
        "CREATE VIRTUAL TABLE search_index USING fts5(body, source UNINDEXED, record_uuid UNINDEXED, "
        "case_id UNINDEXED, occurred_on UNINDEXED, phase UNINDEXED, "
        "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
    )
    for table in SEARCH_SOURCES:
        _keep_in_the_index(db, table)
        db.execute(search_row_sql(table).replace(" WHERE ", f" FROM {table} AS new WHERE ", 1))  # what is there


def _keep_in_the_index(db: Database, table: str) -> None:
    """The triggers that keep a table's text in the search index on every insert, update and delete."""
    tag, _text, date, _phase, columns = INDEXED_SOURCES[table]
    row_sql = search_row_sql(table)
    remove = f"DELETE FROM search_index WHERE rowid = old.id * 16 + {tag};"
    watched = ", ".join((*columns, date.removeprefix("new.")))
    # Removing first also covers INSERT OR REPLACE, which fires no delete trigger.
    db.execute(
        f"CREATE TRIGGER {table}_search_insert AFTER INSERT ON {table} "
        f"BEGIN {remove.replace('old.', 'new.')} {row_sql}; END"
    )
    db.execute(
        f"CREATE TRIGGER {table}_search_update AFTER UPDATE OF {watched} ON {table} BEGIN {remove} {row_sql}; END"
    )
    db.execute(f"CREATE TRIGGER {table}_search_delete AFTER DELETE ON {table} BEGIN {remove} END")


@migrations()
def m004_helping_system(db: Database) -> None:
    """The helping system: client-system members, case links, the team, referrals and the dated ecomap."""
    _create(
        db,
        "members",
        {
            "case_id": int,
            "name": str,
            "role": str,
            "relation": str,
            "born": int,
            "note": str,
            "added_on": str,
            "removed_on": str,
        },
        not_null={"case_id", "name", "added_on"},
        foreign_keys=[("case_id", "cases", "id")],
        indexes=[("case_id",)],
    )
    _create(
        db,
        "case_links",
        {"parent_id": int, "child_id": int, "linked_on": str},
        not_null={"parent_id", "child_id", "linked_on"},
        foreign_keys=[("parent_id", "cases", "id"), ("child_id", "cases", "id")],
        indexes=[("child_id",)],
        unique=[("parent_id", "child_id")],
    )
    _create(
        db,
        "team",
        {
            "case_id": int,
            "name": str,
            "role": str,
            "agency": str,
            "contact": str,
            "added_on": str,
            "removed_on": str,
        },
        not_null={"case_id", "name", "role", "added_on"},
        foreign_keys=[("case_id", "cases", "id")],
        indexes=[("case_id",)],
    )
    _create(
        db,
        "referrals",
        {
            "case_id": int,
            "agency": str,
            "service": str,
            "contact": str,
            "referred_on": str,
            "due_on": str,
            "status": str,
            "status_on": str,
            "note": str,
            "consent_override": str,
        },
        not_null={"case_id", "agency", "service", "referred_on", "status", "status_on"},
        foreign_keys=[("case_id", "cases", "id")],
        indexes=[("case_id",), ("status", "due_on")],
    )
    _create(
        db,
        "ecomap_changes",
        {
            "case_id": int,
            "system": str,
            "kind": str,
            "tie": str,
            "flow": str,
            "note": str,
            "changed_on": str,
            "removed": int,
        },
        not_null={"case_id", "system", "changed_on", "removed"},
        defaults={"removed": 0},
        foreign_keys=[("case_id", "cases", "id")],
        indexes=[("case_id", "changed_on")],
    )
    # Plain ALTERs (not sqlite-utils' table rebuild): a nullable column may carry a REFERENCES clause.
    for table, column, target in (
        ("activities", "member_id", "members"),
        ("activities", "team_id", "team"),
        ("assessments", "member_id", "members"),
        ("goals", "member_id", "members"),
        ("terminations", "referral_id", "referrals"),
    ):
        db.execute(f"ALTER TABLE {table} ADD COLUMN {column} INTEGER REFERENCES {target}(id)")


@migrations()
def m003_consent(db: Database) -> None:
    """Consent history (UU PDP: consent is recorded and provable) and the scope of each case's current consent."""
    from lingkaran.store.events import new_uuid, now_utc

    db.table("cases").add_column("consent_scope", str)
    _create(
        db,
        "consents",
        {
            "case_id": int,
            "given": int,
            "scope": str,
            "decided_on": str,
            "recorded_at": str,
        },
        not_null={"case_id", "given", "decided_on", "recorded_at"},
        foreign_keys=[("case_id", "cases", "id")],
        indexes=[("case_id", "decided_on")],
    )
    # cases opened with consent before this step: their consent becomes the first entry of the history
    given = db.execute("SELECT id, consent_on, opened_on FROM cases WHERE consent = 1").fetchall()
    db.table("consents").insert_all(
        [
            {
                "uuid": new_uuid(),
                "case_id": case_id,
                "given": 1,
                "scope": None,
                "decided_on": consent_on or opened_on,
                "recorded_at": now_utc(),
            }
            for case_id, consent_on, opened_on in given
        ]
    )


@migrations()
def m005_event_case_guard(db: Database) -> None:
    """The append-only guard covers the event's local case too: refiling an event (or a `forget`) under
    another case, or none, would hide it from the timeline and from erasure."""
    db.execute("DROP TRIGGER events_no_rewrite")
    db.execute(
        "CREATE TRIGGER events_no_rewrite BEFORE UPDATE OF uuid, case_id, case_uuid, kind, phase, cycle, "
        "occurred_on, recorded_at, content_hash, prev_hash, hash ON events "
        "BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END"
    )


@migrations()
def m006_search_without_prefix_index(db: Database) -> None:
    """The search index without its prefix indexes: every write indexed each word three times (10.7 s of CPU
    to index 10,000 cases, 4.2 s without), and no search measured faster with them (docs/performance.md)."""
    db.execute("DROP TABLE search_index")  # secure_delete zeroes its pages; the triggers stay and refer by name
    db.execute(SEARCH_INDEX_SQL)
    for table in SEARCH_SOURCES:
        db.execute(search_row_sql(table, rows_after=True), {"after": 0})


@migrations()
def m007_events_travel(db: Database) -> None:
    """Every event says where it comes from and what it knew: the device (caseload copy) that wrote it, its
    gapless sequence on that device, a hybrid-clock stamp and its parents (the case's latest events then), so
    the log can travel between copies and merge. Events written before this step become `legacy`: no sequence,
    a stamp from their `recorded_at`, no parents; their hashes stay as they are (docs/design.md)."""
    from lingkaran.domain import hlc
    from lingkaran.store import devices

    for column, kind in (("device", "TEXT"), ("seq", "INTEGER"), ("clock", "TEXT"), ("parents", "TEXT")):
        db.execute(f"ALTER TABLE events ADD COLUMN {column} {kind}")
    stamps = [
        (hlc.from_instant(recorded_at), event_id)
        for event_id, recorded_at in db.execute("SELECT id, recorded_at FROM events").fetchall()
    ]
    db.conn.executemany("UPDATE events SET device = 'legacy', clock = ?, parents = '[]' WHERE id = ?", stamps)
    db.execute("CREATE UNIQUE INDEX events_device_seq ON events (device, seq)")
    db.execute("CREATE INDEX events_case_uuid_clock ON events (case_uuid, clock)")
    db.execute("DROP TRIGGER events_no_rewrite")
    db.execute(
        "CREATE TRIGGER events_no_rewrite BEFORE UPDATE OF uuid, case_id, case_uuid, kind, phase, cycle, "
        "occurred_on, recorded_at, content_hash, prev_hash, hash, device, seq, clock, parents ON events "
        "BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END"
    )
    for statement in devices.TABLES_SQL:
        db.execute(statement)
    db.execute(
        "INSERT INTO case_heads (case_uuid, event_uuid) SELECT case_uuid, uuid FROM (SELECT case_uuid, uuid, "
        "row_number() OVER (PARTITION BY case_uuid ORDER BY clock DESC, uuid DESC) AS latest FROM events "
        "WHERE case_uuid IS NOT NULL) WHERE latest = 1"
    )
    devices.mint(db.conn, None)


@migrations()
def m008_goals_by_uuid(db: Database) -> None:
    """Activities and evaluation scores name their goals by UUID, so a merge that gives goals other numbers
    (the number is a label: the order goals were added in) leaves them on the right goal. Filled from the
    numbers, which stay as the labels shown. Ratings and the consent at opening take the UUIDs their events
    derive for them, so the projection rebuilds older cases without changing them."""
    from lingkaran.store.goals import name_goals_by_uuid
    from lingkaran.store.projection import adopt_derived_uuids

    db.execute("ALTER TABLE activities ADD COLUMN goal_uuids TEXT")
    db.execute("ALTER TABLE evaluations ADD COLUMN goal_scores TEXT")
    name_goals_by_uuid(db.conn)
    adopt_derived_uuids(db.conn)


@migrations()
def m009_conflicts(db: Database) -> None:
    """Each case's open conflicts (single-valued facts written concurrently on two copies) and the records a merge
    flagged for review, as the projection found them. Derived from the events: rebuilt with the case, never
    exported; `code` is the same on every copy (causal.conflict_code)."""
    db.execute(
        "CREATE TABLE conflicts (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE, "
        "case_id INTEGER NOT NULL REFERENCES cases(id), kind TEXT NOT NULL, fact TEXT NOT NULL, sides TEXT)"
    )
    db.execute("CREATE INDEX conflicts_case_id ON conflicts (case_id)")


@migrations()
def m010_client_identity(db: Database) -> None:
    """Who the client is and how to reach them (sex, birth, address, phone, NIK, KK, a guardian, the PPKS
    category), the same details for client-system members, and who gave a consent (a child's guardian)."""
    for column, kind in (
        ("sex", str),
        ("born", int),
        ("born_on", str),
        ("address", str),
        ("phone", str),
        ("nik", str),
        ("kk", str),
    ):
        db.table("cases").add_column(column, kind)
        if column != "born":  # members have had a year of birth since m004
            db.table("members").add_column(column, kind)
    for column in ("guardian", "guardian_relation", "guardian_phone", "ppks"):
        db.table("cases").add_column(column, str)
    db.table("consents").add_column("given_by", str)


@migrations()
def m011_contacts(db: Database) -> None:
    """Every contact counts from the first day: an activity recorded with `contact` (before a plan, say) is marked
    so the cycle's rules do not take it for intervention; a group session's participants; and the other people who
    went on a joint visit, each credited with its minutes."""
    # recorded_as NULL: `intervene` (as every activity before this step was)
    for column, kind in (("recorded_as", str), ("participants", int)):
        db.table("activities").add_column(column, kind)
    _create(
        db,
        "activity_workers",
        {"activity_id": int, "team_id": int, "name": str},
        not_null={"activity_id", "name"},
        foreign_keys=[("activity_id", "activities", "id"), ("team_id", "team", "id")],
        indexes=[("activity_id",), ("team_id",)],
    )


@migrations()
def m012_visits(db: Database) -> None:
    """Planned visits: when, where, who goes and why; done (with the activity that recorded it) or cancelled."""
    _create(
        db,
        "visits",
        {
            "case_id": int,
            "planned_on": str,
            "at": str,
            "place": str,
            "purpose": str,
            "kind": str,
            "by_names": str,
            "minutes": int,
            "status": str,
            "status_on": str,
            "activity_id": int,
            "reason": str,
        },
        not_null={"case_id", "planned_on", "kind", "status", "status_on"},
        defaults={"status": "planned"},
        foreign_keys=[("case_id", "cases", "id"), ("activity_id", "activities", "id")],
        indexes=[("case_id",), ("status", "planned_on")],
    )


@migrations()
def m013_reviews(db: Database) -> None:
    """A supervisor's review of a case: when, who, what they said and what they decided."""
    _create(
        db,
        "reviews",
        {
            "case_id": int,
            "cycle": int,
            "phase": str,
            "reviewed_on": str,
            "by_name": str,
            "comment": str,
            "decision": str,
        },
        not_null={"case_id", "cycle", "phase", "reviewed_on", "by_name", "decision"},
        foreign_keys=[("case_id", "cases", "id")],
        indexes=[("case_id", "reviewed_on")],
    )


@migrations()
def m014_hub_sync(db: Database) -> None:
    """What this laptop has exchanged with each agency hub (store/hub_state.py): how far its events were pushed
    (a local event id), the pseudo-device its legacy events travel under and how many went, the pull cursor; and
    the cases dropped after a handover (their rows and events blanked, as erasure blanks them, but not erased)."""
    db.execute(
        "CREATE TABLE hub_syncs (hub TEXT PRIMARY KEY, pushed_through INTEGER NOT NULL DEFAULT 0, "
        "legacy_device TEXT NOT NULL, legacy_pushed INTEGER NOT NULL DEFAULT 0, "
        "cursor_txid INTEGER NOT NULL DEFAULT 0, cursor_seq INTEGER NOT NULL DEFAULT 0, synced_at TEXT)"
    )
    db.execute(
        "CREATE TABLE handed_over (case_uuid TEXT PRIMARY KEY, hub TEXT NOT NULL, dropped_at TEXT NOT NULL)"
        " WITHOUT ROWID"
    )


@migrations()
def m015_search_the_helping_system(db: Database) -> None:
    """Search finds the helping system too: members (name, role, relation, note), the team (name, role, agency,
    contact), referrals (agency, service, contact person, the latest answer's note, the reason for a forced one) and
    the ecomap's systems and notes (issue 17). Their triggers as m002's; what a caseload holds is indexed now."""
    for table in HELPING_SYSTEM_SOURCES:
        _keep_in_the_index(db, table)
        db.execute(search_row_sql(table, rows_after=True), {"after": 0})
