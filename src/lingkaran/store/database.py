"""Open the caseload file: create it privately, refuse what is not ours, migrate, and run transactions."""

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from lingkaran.errors import DatabaseUnusable
from lingkaran.messages import _

SCHEMA_VERSION = 1  # the number of steps in lingkaran.migrations; a test keeps them equal
BUSY_TIMEOUT_SECONDS = 10.0
OUR_TABLE = "cases"


def create_private_file(path: Path) -> None:
    """Create `path` empty with mode 0600 inside a folder of mode 0700 (if it has to make the folder)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(descriptor)


def connect(path: Path, busy_timeout: float = BUSY_TIMEOUT_SECONDS) -> sqlite3.Connection:
    """Open (creating if needed) the caseload at `path`, migrated to this version's schema."""
    created = not path.exists()
    if created:
        _create(path)
    try:
        conn = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError:
        raise DatabaseUnusable(_("{path} is not a lingkaran database (not SQLite, or damaged); "
                                 "point --db at your caseload file").format(path=path)) from None
    if version > SCHEMA_VERSION:
        raise DatabaseUnusable(_("{path} was written by a newer lingkaran (schema {found}, this one knows {known}); "
                                 "upgrade lingkaran to open it").format(path=path, found=version, known=SCHEMA_VERSION))
    if version < SCHEMA_VERSION:
        _migrate(conn, path, fresh=created)
    return conn


def _create(path: Path) -> None:
    try:
        create_private_file(path)
    except OSError as error:
        raise DatabaseUnusable(_("cannot create {path}: {reason}").format(path=path, reason=error.strerror)) from None


def _migrate(conn: sqlite3.Connection, path: Path, fresh: bool) -> None:
    """Apply pending migrations in one write transaction, so two first runs cannot race."""
    from sqlite_utils import Database

    from lingkaran.migrations import migrations

    if fresh:
        conn.execute("PRAGMA journal_mode = WAL")
    with transaction(conn):
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version >= SCHEMA_VERSION:
            return  # another process migrated while we waited for the lock
        if version == 0 and _has_foreign_tables(conn):
            raise DatabaseUnusable(_("{path} is an SQLite file but not a lingkaran caseload; "
                                     "point --db at your caseload file").format(path=path))
        migrations.apply(Database(conn))
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _has_foreign_tables(conn: sqlite3.Connection) -> bool:
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return bool(names) and "_sqlite_migrations" not in names


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction (BEGIN IMMEDIATE): everything inside commits together or not at all.

    Inside another transaction it becomes a SAVEPOINT: a failure undoes only its own part, and nothing is
    committed until the outermost one ends (bulk loaders wrap many steps in one transaction this way).
    """
    if conn.in_transaction:
        with _savepoint(conn):
            yield conn
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        raise locked_or_unusable(error) from None
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    try:
        conn.execute("COMMIT")
    except sqlite3.OperationalError as error:
        conn.execute("ROLLBACK")
        raise locked_or_unusable(error) from None


@contextmanager
def _savepoint(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute("SAVEPOINT step")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK TO step")
        conn.execute("RELEASE step")
        raise
    conn.execute("RELEASE step")


def locked_or_unusable(error: sqlite3.Error) -> DatabaseUnusable:
    """Translate SQLite's operational errors into the one-line message users see."""
    text = str(error)
    if "locked" in text or "busy" in text:
        return DatabaseUnusable(_("the caseload is locked by another lingkaran and stayed locked past the "
                                  "busy timeout; try again (LINGKARAN_BUSY_TIMEOUT sets the wait in seconds)"))
    return DatabaseUnusable(_("the caseload cannot be used: {reason}").format(reason=text))
