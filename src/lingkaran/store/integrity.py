"""`check`: what can be wrong with a caseload file (damage, broken links, schema, values no command would store,
records against the audit chain, levels, erasures, permissions and encryption), each as a finding."""

import json
import sqlite3
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import cast

from lingkaran.messages import N_, _
from lingkaran.store.backup_files import backups_beside
from lingkaran.store.database import SCHEMA_VERSION
from lingkaran.store.events import chain_hash, content_hash
from lingkaran.store.record_audit import record_findings
from lingkaran.store.records import JSON_COLUMNS, newest_observation
from lingkaran.store.sqlite import database_errors

ERASED = {"erased": True}
EVENT_TRIGGERS = ("events_no_delete", "events_no_rewrite")
SIDE_FILES = ("-wal", "-shm", "-journal")


def open_file(
    path: Path, *, read_only: bool = False, busy_timeout: float = 5.0, passphrase: str | None = None
) -> sqlite3.Connection:
    """Open a caseload or backup file as it is, without creating, migrating or changing it: the one place this
    module opens files. With a passphrase it is opened with SQLCipher (a wrong key fails on the first read)."""
    if passphrase:
        from lingkaran.store.encryption import connect_keyed

        return connect_keyed(path, passphrase, busy_timeout, read_only)
    if read_only:
        return sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=busy_timeout, isolation_level=None
        )
    return sqlite3.connect(path, timeout=busy_timeout, isolation_level=None)


def finding(check: str, message: str, **details: object) -> dict:
    """One problem `check` found: which check, what is wrong, and where."""
    return {"check": check, "message": message, **details}


# --- check ---------------------------------------------------------------------------------------------------


def database_findings(conn: sqlite3.Connection) -> list[dict]:
    """Everything wrong inside the file: damage, broken references, the schema, the audit chain."""
    try:
        damage = integrity_findings(conn)
        if damage:
            return damage  # the other checks read a damaged file and would only repeat it
        return [*foreign_key_findings(conn), *schema_findings(conn), *value_findings(conn), *audit_findings(conn)]
    except database_errors("DatabaseError") as error:
        return [finding("integrity", _("the file cannot be read: {reason}").format(reason=error))]


def integrity_findings(conn: sqlite3.Connection) -> list[dict]:
    """SQLite's own check of every page and index."""
    rows = [row[0] for row in conn.execute("PRAGMA integrity_check(20)")]
    if rows == ["ok"]:
        return []
    return [
        finding("integrity", _("the file is damaged: {detail}").format(detail=" ".join(detail.split())))
        for detail in rows
    ]


def foreign_key_findings(conn: sqlite3.Connection) -> list[dict]:
    """Records that point at records which do not exist."""
    return [
        finding(
            "foreign_keys",
            _("{table} row {row} points at a missing {parent} record").format(table=row[0], row=row[1], parent=row[2]),
        )
        for row in conn.execute("PRAGMA foreign_key_check").fetchmany(20)
    ]


def value_findings(conn: sqlite3.Connection, shown: int = 20) -> list[dict]:
    """Values no command would have stored (the file edited behind lingkaran's back): the first few."""
    from lingkaran.domain import record_rules
    from lingkaran.store import tables

    every_table = [
        (
            table.name,
            {
                column: record_rules.column_check(table.name, column, table.types[column])
                for column in table.columns
                if column not in table.references
            },
        )
        for table in tables.record_tables(conn)
    ]
    found = []
    for name, table_rules in [*every_table, ("events", record_rules.EVENT_RULES)]:
        rules = {column: rule for column, rule in cast(dict, table_rules).items() if rule}
        if not rules:
            continue
        for record_id, *stored in conn.execute(
            f"SELECT id, {', '.join(f'[{column}]' for column in rules)} FROM [{name}]"
        ):
            for (column, rule), value in zip(rules.items(), stored, strict=False):
                if value is not None and not rule(_stored_value(column, value)):
                    message = _("{table} row {row}: {column} is not valid; expected {expected}").format(
                        table=name, row=record_id, column=column, expected=record_rules.expected(rule)
                    )
                    found.append(finding("values", message, table=name, row=record_id))
                    if len(found) >= shown:
                        return found
    return found


def _stored_value(column: str, value: object) -> object:
    """A column's value as the rules see it: JSON columns decoded (text that is not JSON stays text)."""
    if (column in JSON_COLUMNS or column == "data") and isinstance(value, str):
        try:
            return json.loads(value)
        except (ValueError, RecursionError):  # RecursionError: nested ~1,000 deep, past Python's parser
            return value
    return value


def schema_version(conn: sqlite3.Connection) -> int:
    """The schema version the file records."""
    return conn.execute("PRAGMA user_version").fetchone()[0]


def schema_findings(conn: sqlite3.Connection) -> list[dict]:
    """The schema is this version's, and the triggers that keep the event log append-only are in place."""
    found = []
    version = schema_version(conn)
    if 0 < version < SCHEMA_VERSION:  # check opens it as it is; any other command would upgrade it
        found.append(
            finding(
                "schema",
                _(
                    "schema version {found}, from an older lingkaran (this one knows {known}); "
                    "any other command, such as `lingkaran list`, upgrades it"
                ).format(found=version, known=SCHEMA_VERSION),
                schema_version=version,
            )
        )
    elif version != SCHEMA_VERSION:
        found.append(
            finding(
                "schema",
                _("schema version {found}, expected {known}").format(found=version, known=SCHEMA_VERSION),
                schema_version=version,
            )
        )
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")}
    if not {"cases", "events"} <= names:
        found.append(finding("schema", _("this is not a lingkaran caseload (no cases or events table)")))
        return found
    for trigger in EVENT_TRIGGERS:
        if trigger not in names:
            found.append(
                finding(
                    "schema",
                    _("the trigger {name} that keeps the event log append-only is missing").format(name=trigger),
                )
            )
    if 0 < version <= SCHEMA_VERSION:
        found.extend(_schema_object_findings(conn, version))
    return found


def _schema_object_findings(conn: sqlite3.Connection, version: int) -> list[dict]:
    """Tables, indexes, triggers and views that are not the ones this schema version's migrations make."""
    from lingkaran.store.expected_schema import differences, expected_schema, schema_of

    extra, changed, missing = differences(schema_of(conn), expected_schema(version))
    return [
        *(
            finding(
                "schema",
                _("the {type} {name} is not part of a lingkaran caseload; it was added outside lingkaran").format(
                    type=_object(kind), name=name
                ),
                object=name,
            )
            for kind, name in extra
        ),
        *(
            finding(
                "schema",
                _("the {type} {name} is not the one lingkaran made; it was changed outside lingkaran").format(
                    type=_object(kind), name=name
                ),
                object=name,
            )
            for kind, name in changed
        ),
        *(
            finding("schema", _("the {type} {name} is missing").format(type=_object(kind), name=name), object=name)
            for kind, name in missing
            if name not in EVENT_TRIGGERS
        ),
    ]  # those are named above, with their purpose


# The kinds of schema object in the interface language.
SCHEMA_OBJECTS = {"table": N_("table"), "index": N_("index"), "trigger": N_("trigger"), "view": N_("view")}


def _object(kind: str) -> str:
    return _(SCHEMA_OBJECTS[kind]) if kind in SCHEMA_OBJECTS else kind


def audit_findings(conn: sqlite3.Connection) -> list[dict]:
    """The first break in the event log's hash chains, erased events without their `forget`, misfiled events,
    events whose parents are not here."""
    from lingkaran.store.chains import missing_parents

    found = _walk_chain(conn)
    # an event removed from a chain is also a missing parent: said once, by the chain
    for event_uuid, case_uuid, parent in [] if found else missing_parents(conn):
        found.append(
            finding(
                "audit",
                _("event {event} follows event {parent}, which is not in its case here").format(
                    event=event_uuid, parent=parent
                ),
                event_uuid=event_uuid,
                case_uuid=case_uuid,
            )
        )
    misfiled = conn.execute(
        "SELECT e.uuid, e.case_id, e.case_uuid FROM events e LEFT JOIN cases c ON c.id = e.case_id "
        "WHERE (e.case_id IS NOT NULL AND c.uuid IS NOT e.case_uuid) "
        "OR (e.case_id IS NULL AND e.case_uuid IS NOT NULL) ORDER BY e.id LIMIT 1"
    ).fetchone()
    if misfiled:
        found.append(
            finding(
                "audit",
                _("event {event} is filed under case {case} but was written for case {uuid}").format(
                    event=misfiled[0], case=misfiled[1], uuid=misfiled[2]
                ),
                event_uuid=misfiled[0],
                case_id=misfiled[1],
            )
        )
    return found


def _walk_chain(conn: sqlite3.Connection) -> list[dict]:
    """Walk every chain: legacy events in the order they arrived, then each device's events by sequence. The
    first event that does not match its hashes or its place, a device's events missing after the last one here,
    and the first erased event whose case has no `forget` event (erasure blanks the content but must itself be
    on record; an erased `import` event, which belongs to no case, needs a `forget` of any case)."""
    broken: dict | None = None
    erased_by_case: dict[str, dict] = {}
    forgotten: set[str | None] = set()
    for event, problem, data in _chained_events(conn):
        if problem and broken is None:
            broken = _event_finding(event, problem)
        if data == ERASED:
            erased_by_case.setdefault(event["case_uuid"], event)
        elif event["kind"] == "forget":
            forgotten.update((event["case_uuid"], None))  # an import event's file name is blanked with any erasure
    forgotten |= _handed_over(conn)  # blanked when the case moved to a colleague (store/hub_state.py)
    unrecorded = [
        _event_finding(event, _("its content was erased without a recorded `forget`"))
        for case_uuid, event in erased_by_case.items()
        if case_uuid not in forgotten
    ][:1]
    return ([broken] if broken is not None else []) + _missing_tails(conn) + unrecorded


def _handed_over(conn: sqlite3.Connection) -> set[str]:
    """The cases dropped after a handover (none in a file older than that schema step)."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'handed_over'").fetchone() is None:
        return set()
    return {row[0] for row in conn.execute("SELECT case_uuid FROM handed_over")}


def _chained_events(conn: sqlite3.Connection) -> Iterator[tuple[dict, str | None, object]]:
    """Every event with what is wrong with it (or None) and its decoded content."""
    from lingkaran.store.chains import device_rows, legacy_rows, recorded_sequences

    previous = None
    for event in legacy_rows(conn):
        problem, data = _event_problem(event, previous)
        yield event, problem, data
        previous = event["hash"]
    held, previous = recorded_sequences(conn), None
    for event in device_rows(conn):
        if previous is not None and (previous["device"], previous["seq"]) == (event["device"], event["seq"] - 1):
            expected = previous["hash"]
        elif event["seq"] == 1:
            expected = None
        elif event["seq"] - 1 <= held.get(event["device"], 0):
            expected = "missing"  # the event it follows was here once: removed
        else:
            expected = event["prev_hash"]  # this copy was never given the events before it (a case's bundle)
        problem, data = _event_problem(event, expected)
        yield event, problem, data
        previous = event


def _missing_tails(conn: sqlite3.Connection) -> list[dict]:
    """A device's last events that were here once and are gone (its chain ends before where it ended)."""
    from lingkaran.store.chains import missing_tails

    return [
        finding(
            "audit",
            _("events {first}–{last} of device {device} were here and are missing").format(
                first=first, last=last, device=device
            ),
            device=device,
        )
        for device, first, last in missing_tails(conn)
    ][:1]


def _event_finding(event: dict, problem: str) -> dict:
    return finding(
        "audit",
        _("event {event} of case {case} ({kind}): {problem}").format(
            event=event["uuid"], case=event["case_id"], kind=event["kind"], problem=problem
        ),
        event_uuid=event["uuid"],
        case_id=event["case_id"],
        case_uuid=event["case_uuid"],
    )


def _event_problem(event: dict, previous_hash: str | None) -> tuple[str | None, object]:
    """What is wrong with one event given the hash before it (or None), and its decoded content."""
    if event["prev_hash"] != previous_hash:
        return _("it does not follow the event before it (an event was removed or inserted)"), None
    if event["hash"] != chain_hash(event["prev_hash"], event):
        return _("its fields were changed after it was written"), None
    try:
        data = json.loads(event["data"])
        changed = data != ERASED and content_hash(data) != event["content_hash"]
    except (TypeError, ValueError, RecursionError):  # RecursionError: nested ~1,000 deep, past Python's parser
        return _("its content is not readable"), None
    if changed:
        return _("its content was changed after it was written"), data
    return None, data


def level_findings(conn: sqlite3.Connection, shown: int = 20) -> list[dict]:
    """Goals whose latest GAS level is not their newest observation's (by date, then the later entry, as
    casework keeps it): the first few. A level no command would store is a `values` finding instead."""
    from lingkaran.domain import gas

    valid = ", ".join(str(level) for level in gas.LEVELS)
    rows = conn.execute(
        f"""SELECT id, latest_level, newest_level, newest_on FROM (
              SELECT g.id, g.latest_level, l.level AS newest_level, l.observed_on AS newest_on
              FROM goals g LEFT JOIN goal_levels l ON l.id = {newest_observation("g.id", "id")})
            WHERE latest_level IS NOT newest_level AND coalesce(latest_level, 0) IN ({valid})
              AND coalesce(newest_level, 0) IN ({valid})
            ORDER BY id LIMIT ?""",
        [shown],
    )
    return [
        finding("levels", _level_problem(goal_id, stored, newest, newest_on), table="goals", row=goal_id)
        for goal_id, stored, newest, newest_on in rows
    ]


def erasure_findings(conn: sqlite3.Connection) -> list[dict]:
    """Erased cases whose words the search index's pages still hold (an erasure interrupted before its index was
    merged, or one by an older lingkaran), or whose rows the caseload's file still holds beneath its WAL: reported,
    not repaired here; `forget CASE` removes them."""
    from lingkaran.store import erasure, search_index

    erased = erasure.erased_case_ids(conn)
    in_the_index = [
        finding(
            "erasure",
            _(
                "the search index still holds words of erased case {case}; `lingkaran forget {case}` removes them"
            ).format(case=case_id),
            case_id=case_id,
        )
        for case_id in (search_index.cases_with_words(conn, erased) if erased else [])
    ]
    return in_the_index + [
        finding(
            "erasure",
            _(
                "erased case {case} is still readable in the caseload's file beneath its WAL (an erasure was "
                "stopped before it compacted the file); `lingkaran forget {case}` removes it"
            ).format(case=case_id),
            case_id=case_id,
        )
        for case_id in _erased_beneath_the_wal(conn, erased)
    ]


def _erased_beneath_the_wal(conn: sqlite3.Connection, erased: set[int]) -> list[int]:
    """Erased cases whose client the caseload's own file still names beneath a WAL not yet folded in: a `forget`
    (or an import that erased) killed between its commit and its compaction leaves the old pages there until the
    next command that writes, or closes the file last, folds the WAL in; `check` only reads. The file itself is
    read as if alone (`immutable`: without its WAL), through `check`'s own read-only connection (opened by URI),
    keyed as it is; a file too busy or damaged to read so is left to the other checks."""
    path = next((Path(row[2]) for row in conn.execute("PRAGMA database_list") if row[1] == "main" and row[2]), None)
    if not erased or path is None or not Path(f"{path}-wal").exists() or not Path(f"{path}-wal").stat().st_size:
        return []
    try:
        conn.execute("ATTACH DATABASE ? AS beneath", [f"{path.resolve().as_uri()}?immutable=1"])
    except database_errors():
        return []
    try:
        marks = ", ".join("?" * len(erased))
        return [
            row[0]
            for row in conn.execute(
                f"SELECT id FROM beneath.cases WHERE id IN ({marks}) AND client != '' ORDER BY id", sorted(erased)
            )
        ]
    except database_errors():
        return []
    finally:
        conn.execute("DETACH DATABASE beneath")


def _level_problem(goal_id: int, stored: int | None, newest: int | None, newest_on: str | None) -> str:
    from lingkaran.domain import gas

    stored_text = _("empty") if stored is None else gas.format_level(stored)
    if newest is None:
        return _("goals row {row}: latest_level is {stored} but it has no observed level").format(
            row=goal_id, stored=stored_text
        )
    return _("goals row {row}: latest_level is {stored} but its newest observed level ({date}) is {level}").format(
        row=goal_id, stored=stored_text, date=newest_on, level=gas.format_level(newest)
    )


def check_report(
    conn: sqlite3.Connection,
    db_path: Path,
    key_file: Path | None = None,
    expected_hash: str | None = None,
    replayed: Callable[..., list[dict]] | None = None,
) -> dict:
    """Everything `check` finds about a caseload, with its schema version and the head of its event log; with
    `expected_hash`, whether the log still holds the event of that hash (noted elsewhere, from a backup say).

    Stale latest levels are reported here, not in `database_findings`, so they do not stop a restore: they are
    a figure derived from records that are all there (an import of observations made elsewhere leaves one).
    Records that differ from their events do not stop it either: the log that says so is in the backup too.
    `replayed` compares each case's rows with the replay of its events (casework.projection.record_findings,
    given by the caller: this layer cannot import the replay), besides what the records' own events say."""
    findings = database_findings(conn)
    # records are measured against a log that verifies and links that hold, or the findings only repeat those
    measurable = not any(problem["check"] in ("integrity", "foreign_keys", "audit") for problem in findings)
    findings += [*(_readable(record_findings, conn) if measurable else []), *_readable(level_findings, conn)]
    if measurable and replayed is not None:  # a value or a level already named is not named again
        findings += _readable(partial(replayed, already=list(findings)), conn)
    findings += [
        *_readable(erasure_findings, conn),
        *permission_findings(db_path, key_file),
        *encryption_findings(db_path, key_file),
    ]
    if expected_hash is not None:
        findings.extend(_readable(partial(expected_head_findings, expected=expected_hash), conn))
    try:
        head = chain_head(conn)
    except database_errors("DatabaseError"):
        head = {"events": None, "head_hash": None}  # too damaged to count; the findings say why
    return {
        "ok": not findings,
        "database": str(db_path),
        "schema_version": schema_version(conn),
        **head,
        "findings": findings,
    }


def expected_head_findings(conn: sqlite3.Connection, expected: str) -> list[dict]:
    """The log no longer holds the event whose hash (or its first 16 or more characters) was noted elsewhere:
    events were cut off its end, or the whole chain was written again. The chain itself is the audit's check."""
    found = conn.execute(
        "SELECT 1 FROM events WHERE substr(hash, 1, ?) = ? LIMIT 1", [len(expected), expected]
    ).fetchone()
    if found:
        return []
    return [
        finding(
            "audit",
            _(
                "the event log no longer holds the event whose hash {hash} was noted: events were "
                "cut off its end, or the log was rewritten; restore the backup that hash came "
                "from"
            ).format(hash=expected),
            expected_hash=expected,
        )
    ]


def _readable(findings: Callable[[sqlite3.Connection], list[dict]], conn: sqlite3.Connection) -> list[dict]:
    """A check's findings, or none when the file is too damaged to read (the integrity findings say so)."""
    try:
        return findings(conn)
    except database_errors("DatabaseError"):
        return []


def chain_head(conn: sqlite3.Connection) -> dict:
    """How many events the log holds and the hash of the last one (note it to prove later nothing was cut off)."""
    count, head = conn.execute(
        "SELECT count(*), (SELECT hash FROM events ORDER BY id DESC LIMIT 1) FROM events"
    ).fetchone()
    return {"events": count, "head_hash": head}


def permission_findings(db_path: Path, key_file: Path | None = None) -> list[dict]:
    """The caseload, its WAL, its backups and its key file readable by you alone, in a folder only you can enter."""
    found = []
    files = [db_path, *(Path(f"{db_path}{suffix}") for suffix in SIDE_FILES), *backups_beside(db_path)]
    for path in files:
        mode = _mode(path)
        if mode is not None and mode & 0o077:
            found.append(
                finding(
                    "permissions",
                    _("{path} is readable by others (mode {mode:o}); run: chmod 600 {path}").format(
                        path=path, mode=mode
                    ),
                    path=str(path),
                )
            )
    mode = _mode(key_file) if key_file is not None else None
    if mode is not None and mode & 0o077:
        found.append(
            finding(
                "permissions",
                _(
                    "the key file {path} is readable by others (mode {mode:o}); anyone who "
                    "reads it can open the caseload; run: chmod 600 {path}"
                ).format(path=key_file, mode=mode),
                path=str(key_file),
            )
        )
    mode = _mode(db_path.parent)
    if mode is not None and mode & 0o077:
        found.append(
            finding(
                "permissions",
                _("the folder {path} is open to others (mode {mode:o}); run: chmod 700 {path}").format(
                    path=db_path.parent, mode=mode
                ),
                path=str(db_path.parent),
            )
        )
    return found


def encryption_findings(db_path: Path, key_file: Path | None) -> list[dict]:
    """A key file is given but the caseload is plain: the person means it encrypted, and it is not (a crashed
    `init --encrypt` of an older lingkaran, a plain backup restored into a new file, a `decrypt`)."""
    from lingkaran.store.encryption import file_kind

    if key_file is None or file_kind(db_path) != "plain":
        return []
    return [
        finding(
            "encryption",
            _(
                "a key file is given ({key_file}) but the caseload {path} is not encrypted: "
                "anyone with the file can read it; encrypt it with `lingkaran encrypt`"
            ).format(key_file=key_file, path=db_path),
            path=str(db_path),
        )
    ]


def _mode(path: Path) -> int | None:
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        return None
