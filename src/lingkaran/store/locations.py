"""Where the caseload lives: --db, then LINGKARAN_DB, then the platform's user data folder."""

import os
from pathlib import Path

APP_NAME = "lingkaran"


def data_dir() -> Path:
    """The platform's per-user data folder for lingkaran (~/.local/share/lingkaran on Linux)."""
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def database_path(flag: Path | None) -> Path:
    """The caseload file this run uses, as an absolute path (what `init`, `check` and `backup` report)."""
    if flag is not None:
        return flag.expanduser().absolute()
    if os.environ.get("LINGKARAN_DB"):
        return Path(os.environ["LINGKARAN_DB"]).expanduser().absolute()
    return data_dir().absolute() / "lingkaran.db"


def demo_database_path(flag: Path | None) -> Path:
    """The demo caseload: only --db overrides it, so the demo never lands in the real caseload by accident."""
    return flag.expanduser().absolute() if flag is not None else data_dir().absolute() / "demo.db"
