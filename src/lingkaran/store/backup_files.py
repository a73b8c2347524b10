"""Where a caseload's backups lie: a new backup's name (the caseload's name, the kind and a UTC timestamp), and the
backups already beside it."""

import datetime as dt
import os
import re
from pathlib import Path

STAMP = "%Y-%m-%dT%H-%M-%S.%fZ"
STAMP_PATTERN = r"\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}\.\d{6}Z"


def backup_path(db_path: Path, folder: Path | None = None, kind: str = "backup") -> Path:
    """A new backup's default name: the caseload's name, the kind and a UTC timestamp (which sorts by age)."""
    stamp = dt.datetime.now(dt.UTC).strftime(STAMP)
    suffix = db_path.suffix or ".db"
    return (folder or db_path.parent) / f"{db_path.stem}-{kind}-{stamp}{suffix}"


def backups_beside(db_path: Path, folder: Path | None = None, kinds: str = "backup|before-restore") -> list[Path]:
    """The timestamped backups of a caseload in a folder, oldest first."""
    pattern = re.compile(rf"{re.escape(db_path.stem)}-(?:{kinds})-{STAMP_PATTERN}{re.escape(db_path.suffix or '.db')}")
    try:
        names = sorted(entry.name for entry in os.scandir(folder or db_path.parent) if pattern.fullmatch(entry.name))
    except OSError:
        return []
    return [(folder or db_path.parent) / name for name in names]
