"""`backup` and `restore`: a private copy of the caseload made while it is in use, rotated, and put back after
it is checked, the current file kept.

Backups are made with SQLite's online backup API into a private temporary file that is renamed into place only
when complete, so a backup either exists whole or not at all. Restoring copies the backup beside the database,
checks the copy, keeps the current file as a backup, then swaps the copy in with one rename while holding an
exclusive lock, so a crash at any moment leaves either the old caseload or the restored one, never a mixture.

An encrypted caseload is opened with SQLCipher throughout, and never with the plain sqlite3 module too (they are
two SQLite libraries that do not see each other's locks). Its backups are made with SQLCipher's backup API into
a file keyed with the same passphrase, so they are encrypted like the caseload. Restore never changes whether
the caseload is encrypted: a plain backup over an encrypted caseload (or the other way round) is refused.
"""

import datetime as dt
import os
import re
import sqlite3
import uuid as uuidlib
from collections.abc import Callable
from pathlib import Path

from lingkaran.errors import DatabaseUnusable, InvalidInput
from lingkaran.messages import _
from lingkaran.store.backup_files import backup_path, backups_beside
from lingkaran.store.database import SCHEMA_VERSION
from lingkaran.store.files import create_private_file, fsync_path
from lingkaran.store.integrity import SIDE_FILES, chain_head, database_findings, finding, open_file, schema_version
from lingkaran.store.sqlite import database_errors

PARTIAL = re.compile(r"\..+\.[0-9a-f]{8}\.partial")
STALE_PARTIAL_SECONDS = 3600


# --- backup --------------------------------------------------------------------------------------------------


def backup(conn: sqlite3.Connection, target: Path, passphrase: str | None = None) -> dict:
    """Copy the open caseload, consistently and while others may write, into a new private file at `target`;
    returns the copy's event count and head hash (`chain_head`), to be noted somewhere else.

    An encrypted caseload (`conn` from SQLCipher) needs its `passphrase`: the copy is keyed with it, so it is
    encrypted too, and it is checked to be before it gets its name.
    """
    partial = _private_temporary(target)
    try:
        copy = open_file(partial, passphrase=passphrase)
        try:
            conn.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")  # a backup is one self-contained file
            head = chain_head(copy)
        finally:
            copy.close()
        _must_be_encrypted_as_asked(partial, passphrase)
        _settle(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return head


def _must_be_encrypted_as_asked(path: Path, passphrase: str | None) -> None:
    from lingkaran.store.encryption import file_kind

    if passphrase and file_kind(path) != "encrypted":
        raise DatabaseUnusable(_("the backup copy did not come out encrypted; it was deleted"))


def rotate(db_path: Path, folder: Path | None, keep: int, just_made: Path) -> list[Path]:
    """Delete all timestamped backups but the one `just_made` and the newest `keep` - 1 others; returns what was
    deleted. The one just made is kept even when another's name sorts after it (named by a clock that was ahead)."""
    others = [path for path in backups_beside(db_path, folder, kinds="backup") if path != just_made]
    old = others[: max(len(others) - (keep - 1), 0)]
    for path in old:
        path.unlink(missing_ok=True)
    return old


def _private_temporary(target: Path) -> Path:
    """A new empty private file beside `target`, hidden, that is renamed into place once complete."""
    _remove_stale_partials(target.parent)
    temporary = target.with_name(f".{target.name}.{uuidlib.uuid4().hex[:8]}.partial")
    create_private_file(temporary)
    return temporary


def _remove_stale_partials(folder: Path) -> None:
    """Partial copies left by a backup or restore that was killed (an hour old: no run takes that long)."""
    cutoff = dt.datetime.now().timestamp() - STALE_PARTIAL_SECONDS
    try:
        entries = [entry for entry in os.scandir(folder) if PARTIAL.fullmatch(entry.name)]
    except OSError:
        return
    for entry in entries:
        try:
            if entry.stat().st_mtime < cutoff:
                os.unlink(entry.path)
        except OSError:
            pass  # another run removed it first


def _settle(temporary: Path, target: Path) -> None:
    """Make a finished file durable, then give it its name (refusing to replace an existing one)."""
    fsync_path(temporary)
    try:
        os.link(temporary, target)  # unlike a rename, refuses to replace a file that appeared meanwhile
    except FileExistsError:
        temporary.unlink()
        raise InvalidInput(_("{path} already exists; a backup never overwrites a file").format(path=target)) from None
    except OSError:
        os.replace(temporary, target)  # a file system without hard links
    else:
        temporary.unlink()
    fsync_path(target.parent)


# --- restore -------------------------------------------------------------------------------------------------


def restore_passphrase(
    source: Path, db_path: Path, passphrase: Callable[[], str | None], busy_timeout: float
) -> str | None:
    """The key a restore works with: None for a plain backup, the caseload's passphrase for an encrypted one.

    Restore never changes whether the caseload is encrypted, so a plain backup is refused over an encrypted
    caseload and an encrypted one over a plain caseload; into a new caseload the backup comes as it is. An
    encrypted backup must open with the passphrase (the caseload's): one made with another key is refused.
    """
    from lingkaran.store import encryption

    backup_kind, caseload_kind = encryption.file_kind(source), encryption.file_kind(db_path)
    if caseload_kind == "encrypted" and backup_kind != "encrypted":
        raise DatabaseUnusable(
            _(
                "{path} is not encrypted but the caseload {database} is, so restoring it would "
                "store the records unencrypted; nothing was changed (decrypt the caseload first, "
                "or restore into a new --db and encrypt that)"
            ).format(path=source, database=db_path)
        )
    if backup_kind != "encrypted":
        return None
    if caseload_kind == "plain":
        raise DatabaseUnusable(
            _(
                "{path} is encrypted but the caseload {database} is not; nothing was changed "
                "(encrypt the caseload first with the backup's passphrase, or restore into a new "
                "--db)"
            ).format(path=source, database=db_path)
        )
    key = passphrase()
    try:
        encryption.open_encrypted(source, key, busy_timeout, read_only=True).close()
    except DatabaseUnusable:
        if not key:
            raise
        raise DatabaseUnusable(
            _(
                "{path} does not open with the caseload's passphrase (it was encrypted with "
                "another one, or it is damaged); nothing was changed"
            ).format(path=source)
        ) from None
    return key


def stage_restore(source: Path, db_path: Path, passphrase: str | None = None) -> tuple[Path, dict]:
    """Copy a backup beside the caseload and check the copy; returns it (in WAL mode, closed) and its summary."""
    staged = _private_temporary(db_path)
    try:
        summary = _copy_and_check(source, staged, passphrase)
    except BaseException:
        for suffix in ("", *SIDE_FILES):
            Path(f"{staged}{suffix}").unlink(missing_ok=True)
        raise
    return staged, summary


def _copy_and_check(source: Path, staged: Path, passphrase: str | None) -> dict:
    try:
        original = open_file(source, read_only=True, passphrase=passphrase)
        copy = open_file(staged, passphrase=passphrase)
        try:
            original.backup(copy)
        finally:
            original.close()
        try:
            problems = _restorable_findings(copy)
            if problems:
                raise DatabaseUnusable(
                    _("{path} cannot be restored: {problem}").format(path=source, problem=problems[0]["message"])
                )
            summary = {"schema_version": schema_version(copy), **chain_head(copy)}
            copy.execute("PRAGMA journal_mode = WAL")
        finally:
            copy.close()
        _must_be_encrypted_as_asked(staged, passphrase)
    except database_errors("DatabaseError") as error:
        raise DatabaseUnusable(
            _("{path} is not a usable lingkaran backup: {reason}").format(path=source, reason=error)
        ) from None
    return summary


def _restorable_findings(conn: sqlite3.Connection) -> list[dict]:
    """What would stop a copy from being a caseload this lingkaran can open (older schemas are migrated later)."""
    version = schema_version(conn)
    if version > SCHEMA_VERSION:
        return [
            finding(
                "schema",
                _("it was written by a newer lingkaran (schema {found}, this one knows {known})").format(
                    found=version, known=SCHEMA_VERSION
                ),
            )
        ]
    if version < 1:
        return [finding("schema", _("it is not a lingkaran caseload"))]
    return [problem for problem in database_findings(conn) if "schema_version" not in problem]


def _keep_current(db_path: Path, locked: bool) -> Path:
    """Save the caseload about to be replaced as a backup beside it. Under the exclusive lock (out of WAL mode)
    the file holds every committed write, so its bytes are the copy (encrypted as it is); a file SQLite could not
    lock (damaged, or encrypted with another key) is copied byte for byte with its WAL."""
    target = backup_path(db_path, kind="before-restore")
    for suffix in ("",) if locked else ("", "-wal"):
        if Path(f"{db_path}{suffix}").exists():
            _copy_bytes(Path(f"{db_path}{suffix}"), Path(f"{target}{suffix}"))
    return target


def _copy_bytes(source: Path, target: Path) -> None:
    partial = _private_temporary(target)
    with open(source, "rb") as reader, open(partial, "wb") as writer:
        while chunk := reader.read(1 << 20):
            writer.write(chunk)
    _settle(partial, target)


def swap_in(staged: Path, db_path: Path, busy_timeout: float, passphrase: str | None = None) -> Path | None:
    """Put the checked copy in place of the caseload in one rename, with no stale WAL left to replay over it.

    The current caseload is kept as a backup (returned) while the lock is held, so no write can land between the
    copy and the swap; a writer that waited for the lock finds the path naming another file and writes nothing
    (`database.transaction`).
    """
    if not db_path.exists():
        os.replace(staged, db_path)
        fsync_path(db_path.parent)
        return None
    live = _lock_exclusively(db_path, busy_timeout, passphrase)
    try:
        kept = _keep_current(db_path, live is not None)
        for suffix in SIDE_FILES:  # the lock proves no one uses them; a WAL left here would corrupt the new file
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        os.replace(staged, db_path)
        fsync_path(db_path.parent)
    finally:
        if live is not None:
            live.close()  # its lock was on the replaced file; closing releases it without writing anything
    return kept


def _lock_exclusively(db_path: Path, busy_timeout: float, passphrase: str | None) -> sqlite3.Connection | None:
    """Leave WAL mode (which needs every other connection closed) and hold an exclusive lock on the old file."""
    live = open_file(db_path, busy_timeout=busy_timeout, passphrase=passphrase)
    try:
        if live.execute("PRAGMA journal_mode = DELETE").fetchone()[0] != "delete":
            raise DatabaseUnusable(_("another program is using the caseload; close it and restore again"))
        live.execute("BEGIN EXCLUSIVE")
    except database_errors("OperationalError") as error:
        live.close()
        if "locked" in str(error) or "busy" in str(error):
            raise DatabaseUnusable(_("another lingkaran is using the caseload; close it and restore again")) from None
        return None  # the old file is damaged beyond locking; it was kept byte for byte
    except database_errors("DatabaseError"):
        live.close()
        return None
    except BaseException:
        live.close()
        raise
    return live
