"""Open the caseload file: create it privately, refuse what is not ours, migrate, and run transactions."""

import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from lingkaran.errors import DatabaseUnusable
from lingkaran.messages import _
from lingkaran.store import encryption, files
from lingkaran.store.files import create_private_file, file_identity, file_in_the_way, fsync_path
from lingkaran.store.sqlite import database_errors, locked_or_unusable, remembering_connection

SCHEMA_VERSION = 6  # the number of steps in lingkaran.store.migrations; a test keeps them equal
BUSY_TIMEOUT_SECONDS = 10.0


def connect(path: Path, busy_timeout: float = BUSY_TIMEOUT_SECONDS, passphrase: Callable[[], str | None] | None = None,
            encrypt_new: bool = False, read_only: bool = False, plain_new: bool = True) -> sqlite3.Connection:
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
        conn, version = _open(path, kind == "encrypted" or (kind == "new" and encrypt_new), busy_timeout,
                              passphrase, read_only)
        if file_identity(path) == opened:
            break
        conn.close()
    else:
        raise DatabaseUnusable(_("the caseload {path} kept being replaced while it was opened; run the command "
                                 "again").format(path=path))
    conn.opened_file = (path, opened)
    if version > SCHEMA_VERSION:
        raise DatabaseUnusable(_("{path} was written by a newer lingkaran (schema {found}, this one knows {known}); "
                                 "upgrade lingkaran to open it").format(path=path, found=version, known=SCHEMA_VERSION))
    if version == 0:
        _refuse_foreign(conn, path)  # before anything is written to it
    conn.execute("PRAGMA synchronous = FULL")  # a commit that returned is on disk
    if version < SCHEMA_VERSION and not read_only:
        _migrate(conn, path)
        conn.committed = False  # upgrading the file is not the change a command reports as saved
    return conn


def _open(path: Path, encrypted: bool, busy_timeout: float, passphrase: Callable[[], str | None] | None,
          read_only: bool) -> tuple[sqlite3.Connection, int]:
    """A connection to the file at `path` (keyed when `encrypted`) and its schema version."""
    if encrypted:
        conn = encryption.open_encrypted(path, passphrase() if passphrase else None, busy_timeout, read_only)
    else:
        try:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro" if read_only else path, uri=read_only,
                                   timeout=busy_timeout, isolation_level=None, check_same_thread=False,
                                   factory=remembering_connection(sqlite3))
        except sqlite3.OperationalError as error:
            raise DatabaseUnusable(_("cannot open {path}: {reason}; point --db (or LINGKARAN_DB) at a caseload file "
                                     "in a folder you can write to").format(path=path, reason=error)) from None
        conn.row_factory = sqlite3.Row
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA secure_delete = ON")  # freed pages and cells are zeroed: erased text does not linger
        return conn, conn.execute("PRAGMA user_version").fetchone()[0]
    except database_errors("DatabaseError"):
        conn.close()
        raise DatabaseUnusable(_("{path} is not a lingkaran database (not SQLite, or damaged); "
                                 "point --db at your caseload file").format(path=path)) from None


def refuse_unusable_path(path: Path) -> None:
    """The caseload must be a file (or nothing yet) inside a folder: name the part of the path in the way."""
    if path.is_dir():
        raise DatabaseUnusable(_("cannot use {path} as the caseload: it is a folder; point --db (or LINGKARAN_DB) "
                                 "at a file in it, such as {example}").format(path=path, example=path / "caseload.db"))
    if path.exists() and not path.is_file():  # reading a pipe's header would wait for a writer for ever
        raise DatabaseUnusable(_("cannot use {path} as the caseload: it is not a regular file (a pipe or a device); "
                                 "point --db (or LINGKARAN_DB) at a caseload file").format(path=path))
    blocking = file_in_the_way(path)
    if blocking is not None:
        raise DatabaseUnusable(_("cannot use {path} as the caseload: {blocking} is a file, not a folder; "
                                 "point --db (or LINGKARAN_DB) at a file inside a folder").format(
                                     path=path, blocking=blocking))


def _keep_wal(conn: sqlite3.Connection) -> None:
    """WAL journal: readers never block the writer.

    The journal mode is checked before every write because a file can arrive without it: one a process was
    killed in the middle of creating, one restored from a backup, one left by an interrupted restore. Not on
    open: reading a file (`check` of a backup, say) must leave it exactly as it was.
    """
    if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        try:
            conn.execute("PRAGMA journal_mode = WAL")
        except database_errors("OperationalError"):
            pass  # another connection is open and holds it in its mode; the next run tries again


def _start_plain(path: Path, plain_new: bool) -> None:
    """Start a new plain caseload at `path`, unless a key file is given: then the person means to encrypt."""
    if not plain_new:
        raise DatabaseUnusable(_("there is no caseload at {path} yet and a key file is given (--key-file or "
                                 "LINGKARAN_KEY_FILE), so lingkaran will not start a plain one: start it encrypted "
                                 "with `lingkaran init --encrypt`, or leave out the key file").format(path=path))
    elif not path.exists():
        _create(path)


def _create(path: Path, named: Path | None = None) -> None:
    """An empty private file at `path` (`named`: the caseload it becomes, for the message if it cannot be made)."""
    try:
        create_private_file(path)
    except FileExistsError:
        pass  # another lingkaran created it a moment ago; its migration or ours will run under the write lock
    except OSError as error:
        raise DatabaseUnusable(_("cannot create {path}: {reason}; point --db (or LINGKARAN_DB) at a folder you can "
                                 "write to").format(path=named or path, reason=error.strerror)) from None


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
        raise DatabaseUnusable(_("{path} is an SQLite file but not a lingkaran caseload; "
                                 "point --db at your caseload file").format(path=path))


@contextmanager
def larger_cache(conn: sqlite3.Connection, megabytes: int = 16) -> Iterator[None]:
    """A larger page cache while one command writes many records (an import): each index page is then written
    to the WAL once rather than again every time the default 2 MB cache spills it (10,000 cases: 4.7 s of
    system time instead of 8.8, peak memory 60 MB instead of 43)."""
    previous = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute(f"PRAGMA cache_size = -{megabytes * 1024}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size = {previous}")


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
        _keep_wal(conn)
        conn.execute("BEGIN IMMEDIATE")
    except database_errors("DatabaseError") as error:  # a file replaced and zeroed under us says "not a database"
        raise unusable(conn, error) from None
    _refuse_if_replaced(conn)
    try:
        yield conn
    except BaseException:
        _roll_back(conn)
        raise
    with _ctrl_c_held():
        try:
            conn.execute("COMMIT")
        except database_errors("OperationalError") as error:
            _roll_back(conn)
            raise unusable(conn, error) from None
        if hasattr(type(conn), "committed"):  # a connection lingkaran did not open has nowhere to keep it
            conn.committed = True


def saved(conn: sqlite3.Connection) -> bool:
    """Whether a transaction of this connection has committed (what a Ctrl-C afterwards must not deny)."""
    return getattr(conn, "committed", False)


@contextmanager
def _ctrl_c_held() -> Iterator[None]:
    """Hold a Ctrl-C pressed during the block until the block is over, then act on it.

    Around COMMIT: a KeyboardInterrupt can otherwise come out of the COMMIT itself, with SQLite's outcome
    unknown (measured: the note saved in some such runs, not in others). Held, the outcome is recorded first.
    Only where Python's own Ctrl-C handling is in place (the main thread, no prompt owning the terminal).
    """
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread() or \
            signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        yield
        return
    pressed = []
    signal.signal(signal.SIGINT, lambda *_frame: pressed.append(True))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        if pressed:
            raise KeyboardInterrupt


def _roll_back(conn: sqlite3.Connection) -> None:
    """Undo the open transaction, keeping the error that ended it: after a full disk or an I/O error SQLite has
    often rolled back already, and a second ROLLBACK would fail with "no transaction is active" in its place."""
    if conn.in_transaction:
        try:
            conn.execute("ROLLBACK")
        except database_errors():
            pass  # the first error is the one to report; closing the connection discards what is left


def unusable(conn: sqlite3.Connection, error: Exception) -> DatabaseUnusable:
    """SQLite's error in words, unless the file was replaced under this connection: then that is what happened
    (`encrypt` overwrites the plain file it replaced with zeros, which would otherwise read as damage)."""
    if _replaced(conn):
        return _replaced_error(conn)
    return locked_or_unusable(error)


def _replaced(conn: sqlite3.Connection) -> bool:
    """Whether the path this connection opened now names another file."""
    opened = getattr(conn, "opened_file", None)
    return opened is not None and file_identity(opened[0]) != opened[1]


def _refuse_if_replaced(conn: sqlite3.Connection) -> None:
    """Holding the write lock, make sure the path still names the file this connection opened: `restore`,
    `encrypt`, `decrypt` and `rekey` rename a new file over it while they hold the lock, and a writer that waited
    for that lock would otherwise commit into the replaced file, which nobody will ever read again."""
    if _replaced(conn):
        _roll_back(conn)
        raise _replaced_error(conn)


def _replaced_error(conn: sqlite3.Connection) -> DatabaseUnusable:
    return DatabaseUnusable(_("the caseload {path} was replaced (by restore, encrypt, decrypt or rekey) while this "
                              "command waited for it; nothing was written; run the command again").format(
        path=conn.opened_file[0]))


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


