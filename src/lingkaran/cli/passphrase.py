"""Where an encrypted caseload's passphrase comes from: a key file, or a prompt at a terminal — never a flag value.

Order: --key-file PATH, then $LINGKARAN_KEY_FILE, then a hidden prompt (only when stdin is a terminal and
--no-input was not given). A key file holds the passphrase on its first line.
"""

import os
import stat
import sys
from pathlib import Path

from lingkaran.errors import DatabaseUnusable, InvalidInput
from lingkaran.messages import _

MIN_LENGTH = 8
MAX_LINE = 4096  # bytes of a key file's first line; a longer one is not a passphrase someone keeps


def key_file_path(flag: Path | None) -> Path | None:
    """The key file this run uses, if any."""
    if flag is not None:
        return flag.expanduser()
    if os.environ.get("LINGKARAN_KEY_FILE"):
        return Path(os.environ["LINGKARAN_KEY_FILE"]).expanduser()
    return None


def read_key_file(path: Path) -> str:
    """The passphrase in a key file: its first line, without the line ending."""
    raw, mode = _first_line(path)
    try:
        passphrase = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise DatabaseUnusable(_("the key file {path} is not UTF-8 text").format(path=path)) from None
    if not passphrase:
        raise DatabaseUnusable(_("the key file {path} is empty").format(path=path))
    if mode & 0o077:
        sys.stderr.write(
            _("lingkaran: warning: others can read the key file {path}; run: chmod 600 {path}").format(path=path) + "\n"
        )
    return passphrase


def _first_line(path: Path) -> tuple[bytes, int]:
    """A key file's first line (at most MAX_LINE bytes) and its permission bits.

    Only a regular file will do: /dev/zero would be read for ever, and opening a named pipe waits for a writer
    (so it is opened without waiting, and what was opened is what is looked at).
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as error:
        raise _unreadable(path, error) from None
    try:
        found = os.fstat(descriptor)
        if not stat.S_ISREG(found.st_mode):
            raise DatabaseUnusable(
                _(
                    "the key file {path} is not a regular file (a folder, a pipe or a device); put "
                    "the passphrase in a file"
                ).format(path=path)
            )
        line = os.read(descriptor, MAX_LINE + 2).split(b"\n", 1)[0].removesuffix(b"\r")
    except OSError as error:
        raise _unreadable(path, error) from None
    finally:
        os.close(descriptor)
    if len(line) > MAX_LINE:
        raise DatabaseUnusable(
            _(
                "the first line of the key file {path} is longer than {limit} bytes; a key file "
                "holds the passphrase on its first line"
            ).format(path=path, limit=MAX_LINE)
        )
    return line, stat.S_IMODE(found.st_mode)


def _unreadable(path: Path, error: OSError) -> DatabaseUnusable:
    return DatabaseUnusable(_("cannot read the key file {path}: {reason}").format(path=path, reason=error.strerror))


def existing_passphrase(run) -> str | None:
    """The passphrase of the caseload `run` opens (None when there is no way to get one)."""
    path = key_file_path(run.key_file)
    if path is not None:
        return read_key_file(path)
    if run.interactive():
        import getpass

        return getpass.getpass(_("Passphrase for {path}: ").format(path=run.db_path)) or None
    return None


def new_passphrase(run) -> str:
    """A passphrase for a caseload about to be encrypted: from the key file, or typed twice at a terminal."""
    return _chosen_passphrase(
        run,
        key_file_path(run.key_file),
        _(
            "a new passphrase is needed: put it in a file and give --key-file PATH or LINGKARAN_KEY_FILE, or run "
            "lingkaran in a terminal to be asked"
        ),
    )


def replacement_passphrase(run, new_key_file: Path | None) -> str:
    """The passphrase `rekey` changes to: from --new-key-file, or typed twice at a terminal."""
    return _chosen_passphrase(
        run,
        new_key_file.expanduser() if new_key_file else None,
        _(
            "a new passphrase is needed: put it in a file and give --new-key-file PATH, or run lingkaran in a "
            "terminal to be asked"
        ),
    )


def _chosen_passphrase(run, path: Path | None, how_to_give: str) -> str:
    if path is not None:
        passphrase = read_key_file(path)
    elif run.interactive():
        import getpass

        passphrase = getpass.getpass(_("New passphrase (at least {n} characters): ").format(n=MIN_LENGTH))
        if getpass.getpass(_("The same passphrase again: ")) != passphrase:
            raise InvalidInput(_("the two passphrases differ; nothing was changed"))
    else:
        raise InvalidInput(how_to_give)
    if len(passphrase) < MIN_LENGTH:
        raise InvalidInput(_("the passphrase is too short: use at least {n} characters").format(n=MIN_LENGTH))
    return passphrase
