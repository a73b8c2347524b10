"""What a killed command can leave beside the caseload, put right before the caseload is opened.

A hot rollback journal (`caseload.db-journal`, from a `decrypt` or `rekey` killed while it switched the file
out of WAL mode): a read-write connection rolls it back on its first read, but `check` opens the file read-only,
which cannot, and SQLCipher then takes the file for one with another key. And the `.converting` copy that
`encrypt`, `decrypt` and `rekey` build beside the caseload: after a killed `decrypt` it is the whole caseload in
plain text. The conversion holds the caseload's write lock from before the copy exists until it is renamed or
removed, so a copy found while that lock is free belongs to no running command.
"""

from collections.abc import Callable
from pathlib import Path

from lingkaran.messages import _
from lingkaran.store import encryption
from lingkaran.store.files import remove_with_side_files
from lingkaran.store.sqlite import database_errors


def put_right(path: Path, passphrase: Callable[[], str | None], busy_timeout: float) -> list[str]:
    """Roll back a hot journal and remove a leftover copy of the caseload at `path`; what was done, in words."""
    journal, copy = Path(f"{path}-journal"), encryption.converting_copy(path)
    if not (journal.exists() or copy.exists()) or encryption.file_kind(path) not in ("plain", "encrypted"):
        return []
    try:
        conn = _read_write(path, passphrase, busy_timeout)
    except database_errors():
        return []  # opening the caseload itself will say what is wrong
    try:
        return [*_rolled_back(conn, journal), *_removed(conn, copy)]
    except database_errors():
        return []  # a wrong key, damage, a lock held past the timeout: the command's own open reports it
    finally:
        conn.close()


def _read_write(path: Path, passphrase: Callable[[], str | None], busy_timeout: float):
    """A plain read-write connection to the file as it is (keyed when encrypted): no migration, no WAL switch."""
    if encryption.file_kind(path) == "encrypted":
        return encryption.connect_keyed(path, passphrase() or "", busy_timeout)
    import sqlite3

    return sqlite3.connect(path, timeout=busy_timeout, isolation_level=None)


def _rolled_back(conn, journal: Path) -> list[str]:
    """Read once, which rolls back a hot journal; say so when one was there and is gone."""
    was_there = journal.exists() and journal.stat().st_size > 0
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    if not was_there or (journal.exists() and journal.stat().st_size > 0):
        return []
    return [
        _(
            "rolled back {journal}, left by an interrupted command; the caseload is as it was before that command"
        ).format(journal=journal)
    ]


def _removed(conn, copy: Path) -> list[str]:
    """Remove a copy no conversion is working on: only while the write lock is free, without waiting for it."""
    if not copy.exists():
        return []
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        conn.execute("BEGIN IMMEDIATE")
    except database_errors("OperationalError"):
        return []  # a conversion (or another writer) holds the lock: the copy may be in use
    try:
        if not copy.exists():
            return []
        remove_with_side_files(copy)
    finally:
        conn.execute("ROLLBACK")
    return [
        _("removed {copy}, a copy of the caseload left by an interrupted encrypt, decrypt or rekey").format(copy=copy)
    ]
