"""Open the caseload file: create it privately, refuse what is not ours, migrate, and run transactions."""

import os
import sqlite3
import uuid
from collections.abc import Callable
from pathlib import Path

from lingkaran.errors import DatabaseUnusable
from lingkaran.messages import _
from lingkaran.store import encryption, files
from lingkaran.store.files import create_private_file, file_identity, file_in_the_way, fsync_path
from lingkaran.store.sqlite import database_errors, remembering_connection
from lingkaran.store.transactions import transaction

SCHEMA_VERSION = 15  # the number of steps in lingkaran.store.migrations; a test keeps them equal
BUSY_TIMEOUT_SECONDS = 10.0


def connect(
    path: Path,
    busy_timeout: float = BUSY_TIMEOUT_SECONDS,
    passphrase: Callable[[], str | None] | None = None,
    encrypt_new: bool = False,
    read_only: bool = False,
    plain_new: bool = True,
) -> sqlite3.Connection:
    """Open (creating if needed) the caseload at `path`, migrated to this version's schema.

    An encrypted file (or a new one with `encrypt_new`) is opened with SQLCipher, keyed with `passphrase()`.
    Without `plain_new` (a key file is given) no plain caseload is started: the person means to encrypt.
    `read_only` (for `check`) opens an existing file as it is, from an older lingkaran too, and leaves its bytes
    alone: a read-write connection would fold a `-wal` file lying beside it into the file when it closes.
    """
    refuse_unusable_path(path)
    if not read_only and encryption.file_kind(path) == "new":  # missing, or empty (a killed run's)
        if encrypt_new:
            _create_encrypted(path, passphrase, busy_timeout)
        else:
            _start_plain(path, plain_new)
    for _attempt in range(3):  # a restore or encrypt may swap another file in while this one is being opened
        opened = file_identity(path)
        kind = encryption.file_kind(path)
        conn, version = _open(
            path, kind == "encrypted" or (kind == "new" and encrypt_new), busy_timeout, passphrase, read_only
        )
        if file_identity(path) == opened:
            break
        conn.close()
    else:
        raise DatabaseUnusable(
            _("the caseload {path} kept being replaced while it was opened; run the command again").format(path=path)
        )
    conn.opened_file = (path, opened)  # type: ignore[attr-defined]  # remembering_connection's own attribute
    if version > SCHEMA_VERSION:
        raise DatabaseUnusable(
            _(
                "{path} was written by a newer lingkaran (schema {found}, this one knows {known}); "
                "upgrade lingkaran to open it"
            ).format(path=path, found=version, known=SCHEMA_VERSION)
        )
    if version == 0:
        _refuse_foreign(conn, path)  # before anything is written to it
    conn.execute("PRAGMA synchronous = FULL")  # a commit that returned is on disk
    if version < SCHEMA_VERSION and not read_only:
        _migrate(conn, path)
        conn.committed = False  # type: ignore[attr-defined]  # upgrading the file is not the change a command reports as saved
    return conn


def _open(
    path: Path, encrypted: bool, busy_timeout: float, passphrase: Callable[[], str | None] | None, read_only: bool
) -> tuple[sqlite3.Connection, int]:
    """A connection to the file at `path` (keyed when `encrypted`) and its schema version."""
    if encrypted:
        conn = encryption.open_encrypted(path, passphrase() if passphrase else None, busy_timeout, read_only)
    else:
        try:
            conn = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=ro" if read_only else path,
                uri=read_only,
                timeout=busy_timeout,
                isolation_level=None,
                check_same_thread=False,
                factory=remembering_connection(sqlite3),
            )
        except sqlite3.OperationalError as error:
            raise DatabaseUnusable(
                _(
                    "cannot open {path}: {reason}; point --db (or LINGKARAN_DB) at a caseload file "
                    "in a folder you can write to"
                ).format(path=path, reason=error)
            ) from None
        conn.row_factory = sqlite3.Row  # type: ignore[assignment]  # typeshed types a factory's connection oddly
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA secure_delete = ON")  # freed pages and cells are zeroed: erased text does not linger
        return conn, conn.execute("PRAGMA user_version").fetchone()[0]
    except database_errors("DatabaseError"):
        conn.close()
        raise DatabaseUnusable(
            _("{path} is not a lingkaran database (not SQLite, or damaged); point --db at your caseload file").format(
                path=path
            )
        ) from None


def refuse_unusable_path(path: Path) -> None:
    """The caseload must be a file (or nothing yet) inside a folder: name the part of the path in the way."""
    if path.is_dir():
        raise DatabaseUnusable(
            _(
                "cannot use {path} as the caseload: it is a folder; point --db (or LINGKARAN_DB) "
                "at a file in it, such as {example}"
            ).format(path=path, example=path / "caseload.db")
        )
    if path.exists() and not path.is_file():  # reading a pipe's header would wait for a writer for ever
        raise DatabaseUnusable(
            _(
                "cannot use {path} as the caseload: it is not a regular file (a pipe or a device); "
                "point --db (or LINGKARAN_DB) at a caseload file"
            ).format(path=path)
        )
    blocking = file_in_the_way(path)
    if blocking is not None:
        raise DatabaseUnusable(
            _(
                "cannot use {path} as the caseload: {blocking} is a file, not a folder; "
                "point --db (or LINGKARAN_DB) at a file inside a folder"
            ).format(path=path, blocking=blocking)
        )


def _start_plain(path: Path, plain_new: bool) -> None:
    """Start a new plain caseload at `path`, unless a key file is given: then the person means to encrypt."""
    if not plain_new:
        raise DatabaseUnusable(
            _(
                "there is no caseload at {path} yet and a key file is given (--key-file or "
                "LINGKARAN_KEY_FILE), so lingkaran will not start a plain one: start it encrypted "
                "with `lingkaran init --encrypt`, or leave out the key file"
            ).format(path=path)
        )
    elif not path.exists():
        _create(path)


def _create(path: Path, named: Path | None = None) -> None:
    """An empty private file at `path` (`named`: the caseload it becomes, for the message if it cannot be made)."""
    try:
        create_private_file(path)
    except FileExistsError:
        pass  # another lingkaran created it a moment ago; its migration or ours will run under the write lock
    except OSError as error:
        raise DatabaseUnusable(
            _("cannot create {path}: {reason}; point --db (or LINGKARAN_DB) at a folder you can write to").format(
                path=named or path, reason=error.strerror
            )
        ) from None


def _create_encrypted(path: Path, passphrase: Callable[[], str | None] | None, busy_timeout: float) -> None:
    """Build a new encrypted caseload under a hidden temporary name and give it its name only once it is whole:
    a run killed before that leaves no caseload, never an empty file a later command would fill in plain text."""
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.partial")
    _create(partial, named=path)
    try:
        conn, _version = _open(partial, True, busy_timeout, passphrase, False)
        try:
            _migrate(conn, partial)
        finally:
            conn.close()
        fsync_path(partial)
        _give_name(partial, path)
    finally:
        files.remove_with_side_files(partial)  # after the link, only a second name of the caseload
    fsync_path(path.parent)


def _give_name(partial: Path, path: Path) -> None:
    """Link the finished file in as `path`; an empty file there (a killed older run's) is replaced, a caseload
    another lingkaran started meanwhile is kept (and opened with the passphrase given)."""
    try:
        os.link(partial, path)
    except FileExistsError:
        if path.stat().st_size == 0:
            os.replace(partial, path)
    except OSError:
        if encryption.file_kind(path) == "new":
            os.replace(partial, path)  # a file system without hard links


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Apply pending migrations in one write transaction, so two first runs cannot race."""
    from sqlite_utils import Database

    from lingkaran.store.migrations import migrations

    with transaction(conn):
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version >= SCHEMA_VERSION:
            return  # another process migrated while we waited for the lock
        if version == 0:
            _refuse_foreign(conn, path)
        migrations.apply(Database(conn))
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _refuse_foreign(conn: sqlite3.Connection, path: Path) -> None:
    """An SQLite file with tables but no lingkaran migrations belongs to another program: never touch it."""
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if names and "_sqlite_migrations" not in names:
        raise DatabaseUnusable(
            _("{path} is an SQLite file but not a lingkaran caseload; point --db at your caseload file").format(
                path=path
            )
        )
