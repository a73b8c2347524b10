"""What every command shares: the global options, the open database, today's date, and output."""

import datetime as dt
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import typer

from lingkaran.errors import InvalidInput
from lingkaran.messages import _

if TYPE_CHECKING:
    import sqlite3


@dataclass
class Session:
    """The global options of one run, and the database connection opened on first use."""

    db_flag: Path | None = None
    no_input: bool = False
    key_file: Path | None = None
    _conn: "sqlite3.Connection | None" = field(default=None, repr=False)
    _passphrase: str | None = field(default=None, repr=False)
    _saved: bool = field(default=False, repr=False)
    draft_to_clear: tuple[str, str] | None = None  # (case uuid, command): its draft goes once the write commits
    current: ClassVar["Session | None"] = None  # this run's session, for a Ctrl-C that arrives outside a command

    def __post_init__(self) -> None:
        Session.current = self

    @property
    def db_path(self) -> Path:
        from lingkaran.store.locations import database_path

        return database_path(self.db_flag)

    def conn(self, new_passphrase: str | None = None, read_only: bool = False) -> "sqlite3.Connection":
        """The caseload, opened (and created or migrated) on first use; asks for the passphrase if encrypted.

        With `new_passphrase`, a caseload that does not exist yet is created encrypted with it; `read_only`
        leaves the file as it is, byte for byte, even one from an older lingkaran (`check` reports that).
        """
        if self._conn is None:
            from lingkaran.store.database import connect

            if new_passphrase:
                self._passphrase = new_passphrase
            self._put_right_leftovers()
            from lingkaran.cli.passphrase import key_file_path

            self._conn = connect(
                self.db_path,
                busy_timeout=self.busy_timeout(),
                passphrase=self.passphrase,
                encrypt_new=new_passphrase is not None,
                read_only=read_only,
                plain_new=key_file_path(self.key_file) is None,
            )
            self._conn.author = author  # who a conflict's side was written by (store.events.AUTHORED_KINDS)
        return self._conn

    def _put_right_leftovers(self) -> None:
        """What a killed command left beside the caseload (a hot journal, a plain copy) is put right first, and
        said on stderr."""
        from lingkaran.store.leftovers import put_right

        for done in put_right(self.db_path, self.passphrase, self.busy_timeout()):
            sys.stderr.write(f"lingkaran: {done}\n")

    def opened(self) -> bool:
        """Whether this run has opened the caseload (and not closed it yet)."""
        return self._conn is not None

    def busy_timeout(self) -> float:
        """Seconds to wait for another lingkaran's write lock (LINGKARAN_BUSY_TIMEOUT, default 10)."""
        text = os.environ.get("LINGKARAN_BUSY_TIMEOUT", "10")
        try:
            seconds = float(text)
        except ValueError:
            seconds = float("nan")
        if not 0 <= seconds <= 86_400:
            raise InvalidInput(
                _("LINGKARAN_BUSY_TIMEOUT={value!r} is not a number of seconds from 0 to 86400").format(value=text)
            )
        return seconds

    def close(self) -> None:
        """Close the caseload at the end of the run (so a restore or encrypt never waits on a connection)."""
        if self._conn is not None:
            self._saved = self.saved_changes()
            self._conn.close()
            self._conn = None
        if self.draft_to_clear and self._saved:
            from lingkaran.store import drafts

            drafts.delete(*self.draft_to_clear)
            self.draft_to_clear = None

    def saved_changes(self) -> bool:
        """Whether this run has committed a change to the caseload (so a Ctrl-C now must not say otherwise)."""
        if self._conn is None:
            return self._saved
        from lingkaran.store.transactions import saved

        return self._saved or saved(self._conn)

    def passphrase(self) -> str | None:
        """The encrypted caseload's passphrase: from --key-file / LINGKARAN_KEY_FILE, else asked once at a TTY."""
        if self._passphrase is None:
            from lingkaran.cli.passphrase import existing_passphrase

            self._passphrase = existing_passphrase(self)
        return self._passphrase

    def today(self) -> dt.date:
        """Today's date (LINGKARAN_TODAY=YYYY-MM-DD pretends another day, for scripts and tests, and stands in for
        a clock that is wrong: the clock is read only when no such date is given)."""
        from lingkaran.domain.parse import DATE_WORDS, EARLIEST_DATE, clock_date, parse_date

        pretend = os.environ.get("LINGKARAN_TODAY")
        if not pretend:
            return clock_date(system_date)
        if pretend.strip().lower() not in DATE_WORDS:
            return parse_date(pretend, EARLIEST_DATE, "LINGKARAN_TODAY")  # a date: no word needs the clock
        return parse_date(pretend, clock_date(system_date), "LINGKARAN_TODAY")

    def interactive(self) -> bool:
        """Whether we may ask questions: stdin is a terminal and --no-input was not given."""
        return not self.no_input and sys.stdin.isatty()

    def require(self, values: dict[str, object]) -> None:
        """Refuse at once, naming every missing flag, when required values were not given."""
        missing = [flag for flag, value in values.items() if value in (None, "", [])]
        if missing:
            raise InvalidInput(_("missing {flags}; give them as flags (see --help)").format(flags=", ".join(missing)))


def author() -> str | None:
    """The worker writing on this laptop: LINGKARAN_WORKER, else `config set worker` (read when a write needs it)."""
    from lingkaran.store import settings as config

    return os.environ.get("LINGKARAN_WORKER") or config.get("worker")


def system_date() -> dt.date:
    """The date by this computer's clock (one place reads it, so tests can make it wrong)."""
    return dt.date.today()


def session(ctx: typer.Context) -> Session:
    """The run's Session, kept on the root context."""
    return ctx.find_root().ensure_object(Session)


def read_text_argument(value: str | None) -> str | None:
    """`-` means: read the text from stdin (for long notes from a pipe or a file)."""
    if value == "-":
        try:
            return sys.stdin.read()
        except UnicodeDecodeError:
            raise InvalidInput(_("the text on stdin is not UTF-8; convert it first (e.g. iconv -t UTF-8)")) from None
    return value
