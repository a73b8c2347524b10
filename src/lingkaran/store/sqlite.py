"""SQLite's side of things every store module shares: its error classes (sqlite3's and SQLCipher's), the
connection class that remembers its file, JSON columns, and SQLite's errors in words."""

import json
import sqlite3
import sys
from typing import Any

from lingkaran.errors import DatabaseUnusable
from lingkaran.messages import _

_REMEMBERING: dict[str, type] = {}


def remembering_connection(module) -> type:
    """sqlite3's (or sqlcipher3's) connection class, able to remember which file it opened (`opened_file`) and
    whether one of its transactions committed (`committed`, see transactions.saved); the devices fingerprint and
    the record tables it read are kept on it too (`devices`, `tables.record_tables`)."""
    if module.__name__ not in _REMEMBERING:
        _REMEMBERING[module.__name__] = type(
            "CaseloadConnection",
            (module.Connection,),
            {"opened_file": None, "committed": False, "device_fingerprint": None, "record_tables": None},
        )
    return _REMEMBERING[module.__name__]


def database_errors(kind: str = "Error") -> tuple[type[Exception], ...]:
    """sqlite3's exception class of this kind and, once sqlcipher3 is loaded, its own (not a subclass)."""
    found = [getattr(sqlite3, kind)]
    if "sqlcipher3" in sys.modules and sys.modules["sqlcipher3"] is not None:
        found.append(getattr(sys.modules["sqlcipher3"], kind))
    return tuple(found)


def stored_json(text: str) -> Any:
    """A JSON column's value. Text there that is not JSON (edited by hand with a SQLite tool, or damaged) makes the
    caseload unusable, as SQLite's own "malformed JSON" does: exit 5 and one line, never a traceback."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: nested ~1,000 deep, past Python's parser
        raise locked_or_unusable(sqlite3.DatabaseError("malformed JSON")) from None


SQLITE_IOERR_WRITE = 778  # SQLite's extended code for a write(2) that failed other than with ENOSPC


def locked_or_unusable(error: Exception) -> DatabaseUnusable:
    """Translate SQLite's operational errors into the one-line message users see."""
    text = str(error)
    if "locked" in text or "busy" in text:
        return DatabaseUnusable(
            _(
                "the caseload is locked by another lingkaran and stayed locked past the "
                "busy timeout; try again (LINGKARAN_BUSY_TIMEOUT sets the wait in seconds)"
            )
        )
    if "full" in text:  # SQLite's "database or disk is full"
        return DatabaseUnusable(
            _("the disk is full ({reason}); free some space and run the command again").format(reason=text)
        )
    if getattr(error, "sqlite_errorcode", None) == SQLITE_IOERR_WRITE:  # EFBIG, EDQUOT: anything but ENOSPC
        return DatabaseUnusable(
            _(
                "the disk could not be written ({reason}): it is full, or past a quota or a file-size limit; "
                "free some space and run the command again"
            ).format(reason=text)
        )
    if "disk I/O error" in text:  # a read that failed, a disk failing or pulled out (EIO)
        return DatabaseUnusable(
            _(
                "the disk could not be read or written ({reason}): it may be failing or have been removed; "
                "check it and run the command again"
            ).format(reason=text)
        )
    if "malformed" in text or "not a database" in text:
        return DatabaseUnusable(
            _("the caseload is damaged ({reason}); `lingkaran restore BACKUP` brings back a backup").format(reason=text)
        )
    return DatabaseUnusable(_("the caseload cannot be used: {reason}").format(reason=text))
