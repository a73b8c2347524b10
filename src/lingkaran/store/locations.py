"""Where the caseload lives: --db, then LINGKARAN_DB, then the platform's user data folder."""

import os
import sys
from pathlib import Path

APP_NAME = "lingkaran"
XDG_DEFAULTS = {"config": "~/.config", "data": "~/.local/share"}


def user_folder(kind: str) -> Path:
    """lingkaran's per-user `config` or `data` folder. On Linux the XDG rule ($XDG_CONFIG_HOME, else
    ~/.config), which is what platformdirs gives there, worked out here: loading platformdirs costs every run
    several milliseconds of start-up (tests/unit/test_locations.py keeps the two equal). Elsewhere platformdirs."""
    if sys.platform.startswith("linux"):
        base = os.environ.get(f"XDG_{kind.upper()}_HOME", "").strip() or os.path.expanduser(XDG_DEFAULTS[kind])
        return Path(base) / APP_NAME
    import platformdirs

    folder = platformdirs.user_config_path if kind == "config" else platformdirs.user_data_path
    return folder(APP_NAME, appauthor=False)


def data_dir() -> Path:
    """The platform's per-user data folder for lingkaran (~/.local/share/lingkaran on Linux)."""
    return user_folder("data")


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
