"""Private files on disk: create them 0600, flush them, and name what stands in the way of a path."""

import errno
import os
from pathlib import Path

from lingkaran.messages import _


def create_private_file(path: Path, make_folder: bool = True) -> None:
    """Create `path` empty with mode 0600 inside a folder of mode 0700 (if it has to make the folder).

    Without `make_folder` (a file the user named: `export -o`, `report -o`) a missing folder is refused: a typo
    in the folder name should not leave a new folder, and a file in it, where the user does not look.
    """
    blocking = file_in_the_way(path)
    if blocking is not None:  # mkdir would say only "File exists"
        raise NotADirectoryError(
            errno.ENOTDIR,
            _("{blocking} is a file, not a folder; give a path inside a folder").format(blocking=blocking),
            str(blocking),
        )
    if not make_folder and not path.parent.is_dir():
        raise FileNotFoundError(
            errno.ENOENT, _("folder {folder} does not exist").format(folder=path.parent), str(path.parent)
        )
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(descriptor)


def fsync_path(path: Path) -> None:
    """Flush a file (or a folder, after a rename in it) to the disk."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def remove_with_side_files(path: Path) -> None:
    """Remove a database file and the journal, WAL and shared-memory files SQLite may have left beside it."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def file_identity(path: Path) -> tuple[int, int] | None:
    """The device and inode `path` names now (None when nothing is there)."""
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return None
    return found.st_dev, found.st_ino


def file_in_the_way(path: Path) -> Path | None:
    """The nearest existing folder above `path` if it is really a file (so nothing can be created below it)."""
    for folder in path.parents:
        try:
            if folder.exists():
                return None if folder.is_dir() else folder
        except PermissionError:
            return None  # a folder we may not look into: creating or opening the file reports it with the path
    return None
