"""Encryption at rest with SQLCipher (the optional `secure` extra): recognise, open and convert caseload files.

A plain SQLite file starts with the 16 bytes "SQLite format 3\\0"; an SQLCipher file starts with random bytes
(its salt) and is a whole number of pages long. That is how lingkaran tells them apart without a key.
Converting (encrypt, decrypt) never writes into the caseload itself: it exports into a new private file beside
it, verifies the copy, and swaps it in with os.replace; the old plaintext file is overwritten with zeros.
"""

import os
from pathlib import Path

from lingkaran.errors import DatabaseUnusable, InvalidInput, LingkaranError
from lingkaran.messages import _
from lingkaran.store.files import create_private_file, fsync_path, remove_with_side_files
from lingkaran.store.sqlite import locked_or_unusable, remembering_connection

PLAIN_HEADER = b"SQLite format 3\x00"
SMALLEST_PAGE = 512  # SQLCipher pages are 512 … 65536 bytes, so an encrypted file is a multiple of 512
INSTALL_HINT = 'pip install "lingkaran[secure]"'
CONVERTING_SUFFIX = ".converting"
_silenced = False


def file_kind(path: Path) -> str:
    """'new' (missing or empty), 'plain' (SQLite), 'encrypted' (looks like SQLCipher) or 'other'."""
    try:
        size = path.stat().st_size
        with path.open("rb") as file:
            header = file.read(len(PLAIN_HEADER))
    except FileNotFoundError:
        return "new"
    except OSError:
        return "other"  # unreadable: the plain open reports why
    if size == 0:
        return "new"
    if header == PLAIN_HEADER:
        return "plain"
    return "encrypted" if size % SMALLEST_PAGE == 0 else "other"


def cipher(error: type[LingkaranError] = InvalidInput):
    """The sqlcipher3 module with its own stderr logging silenced, or `error` saying how to install it."""
    global _silenced
    try:
        import sqlcipher3
    except ImportError:
        raise error(
            _("encryption needs the optional secure extra; install it with: {hint}").format(hint=INSTALL_HINT)
        ) from None
    if not _silenced:
        # SQLCipher logs decryption failures (a wrong key) to stderr; users get one line from us instead.
        sqlcipher3.connect(":memory:").execute("PRAGMA cipher_log_level = NONE")
        _silenced = True
    return sqlcipher3


def _key_statement(passphrase: str) -> str:
    if "\x00" in passphrase:
        raise InvalidInput(_("a passphrase cannot contain a NUL character"))
    return "PRAGMA key = '{}'".format(passphrase.replace("'", "''"))


def open_encrypted(path: Path, passphrase: str | None, busy_timeout: float, read_only: bool = False):
    """A connection to an encrypted caseload, keyed and checked: a wrong or missing key is DatabaseUnusable."""
    # A file that is not plain SQLite is either encrypted or damaged; without the key nobody can tell which.
    try:
        module = cipher(DatabaseUnusable)
    except DatabaseUnusable:
        raise DatabaseUnusable(
            _(
                "{path} is encrypted (opening it needs the secure extra: {hint}), or it is not a lingkaran database"
            ).format(path=path, hint=INSTALL_HINT)
        ) from None
    if not passphrase:
        raise DatabaseUnusable(
            _(
                "{path} is encrypted (or damaged): give its passphrase in a file with --key-file "
                "PATH or LINGKARAN_KEY_FILE, or run lingkaran in a terminal to be asked"
            ).format(path=path)
        )
    conn = _keyed(module, path, passphrase, busy_timeout, read_only)
    conn.row_factory = module.Row
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except module.DatabaseError as error:
        conn.close()
        if "locked" in str(error) or "busy" in str(error):
            raise locked_or_unusable(error) from None
        raise DatabaseUnusable(_("wrong passphrase for {path} (or the file is damaged)").format(path=path)) from None
    return conn


def convert(path: Path, old_key: str | None, new_key: str | None, busy_timeout: float) -> dict:
    """Rewrite the caseload at `path` encrypted with `new_key` (plain when None); returns what was copied."""
    module = cipher(InvalidInput)
    target = converting_copy(path)
    replaced = False
    locker, source = _keyed(module, path, old_key, busy_timeout), None
    try:
        # Out of WAL mode: all content moves into the one file and its -wal/-shm files go away. This needs every
        # other connection closed, so no one keeps writing into a file that is about to be replaced.
        locker.execute("PRAGMA journal_mode = DELETE")
        # Held from before the copy exists until it is renamed or removed: no writer slips in between the copy and
        # the swap, and a command starting meanwhile leaves the copy alone (store/leftovers.py).
        locker.execute("BEGIN IMMEDIATE")
        remove_with_side_files(target)
        create_private_file(target)
        source = _keyed(module, path, old_key, busy_timeout)
        source.execute("ATTACH DATABASE ? AS target KEY ?", [str(target), new_key or ""])
        source.execute("SELECT sqlcipher_export('target')")
        version = source.execute("PRAGMA main.user_version").fetchone()[0]
        source.execute(f"PRAGMA target.user_version = {int(version)}")
        source.execute("DETACH DATABASE target")
        counts = _row_counts(source)
        _verify(module, target, new_key, counts, version)
        fsync_path(target)
        with path.open("r+b") as old_file:
            os.replace(target, path)
            replaced = True
            fsync_path(path.parent)
            if new_key:
                _overwrite_with_zeros(old_file)
    except module.Error as error:
        raise locked_or_unusable(error) from None
    finally:
        if not replaced:
            remove_with_side_files(target)  # while the lock is still held
        for conn in (source, locker):
            if conn is not None:
                conn.close()
        if not replaced:
            _back_to_wal(module, path, old_key)
    return {"path": str(path), "encrypted": bool(new_key), "tables": len(counts), "rows": sum(counts.values())}


def converting_copy(path: Path) -> Path:
    """Where encrypt, decrypt and rekey build the new file beside the caseload (plain text while decrypting)."""
    return path.with_name(path.name + CONVERTING_SUFFIX)


def connect_keyed(path: Path, key: str, busy_timeout: float, read_only: bool = False):
    """An SQLCipher connection to `path` with `key` applied but not tried: a wrong key fails on first read."""
    return _keyed(cipher(DatabaseUnusable), path, key, busy_timeout, read_only)


def _keyed(module, path: Path, key: str | None, busy_timeout: float, read_only: bool = False):
    factory = remembering_connection(module)
    if read_only:
        conn = module.connect(
            f"{path.resolve().as_uri()}?mode=ro",
            uri=True,
            timeout=busy_timeout,
            isolation_level=None,
            check_same_thread=False,
            factory=factory,
        )
    else:
        conn = module.connect(
            path, timeout=busy_timeout, isolation_level=None, check_same_thread=False, factory=factory
        )
    if key:
        conn.execute(_key_statement(key))
    return conn


def _row_counts(conn) -> dict[str, int]:
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    return {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}


def _verify(module, target: Path, key: str | None, counts: dict[str, int], version: int) -> None:
    """The copy must be whole, hold every row, and be encrypted exactly when asked; then it gets WAL mode."""
    if (file_kind(target) == "encrypted") != bool(key):
        raise DatabaseUnusable(_("the converted copy of the caseload is not what was asked; nothing was changed"))
    copy = _keyed(module, target, key, 1.0)
    try:
        healthy = copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        same = _row_counts(copy) == counts and copy.execute("PRAGMA user_version").fetchone()[0] == version
        if not (healthy and same):
            raise DatabaseUnusable(_("the converted copy of the caseload did not verify; nothing was changed"))
        copy.execute("PRAGMA journal_mode = WAL")
    finally:
        copy.close()


def _back_to_wal(module, path: Path, key: str | None) -> None:
    """After a failed conversion, leave the caseload as it was: in WAL mode."""
    try:
        conn = _keyed(module, path, key, 1.0)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.close()
    except module.Error:
        pass  # still usable in rollback-journal mode; the next conversion tries again


def _overwrite_with_zeros(file) -> None:
    """Best effort against the plaintext lingering on disk (a journaling or flash file system may keep copies)."""
    size = os.fstat(file.fileno()).st_size
    file.seek(0)
    chunk = b"\x00" * (1 << 20)
    for start in range(0, size, len(chunk)):
        file.write(chunk[: min(len(chunk), size - start)])
    file.flush()
    os.fsync(file.fileno())
