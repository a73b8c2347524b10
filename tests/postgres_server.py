"""A throw-away PostgreSQL server for tests and benchmarks: its own folder, a Unix socket, no network.

Self-contained (standard library only) so that `benchmarks/` can use it too. As root, `initdb` refuses to run, so
the folder is given to the `postgres` user and the server programs run through `runuser`.
"""

import glob
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

SEARCH_FOLDERS = "/usr/lib/postgresql/*/bin"  # Debian and Ubuntu keep the server programs here, off PATH
# Waits for the test process (argv[1]) to end, then stops its server if the folder (argv[2]) is still there.
WATCHDOG = """
import os, shutil, subprocess, sys, time
owner, folder, stop = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
while os.path.exists(folder):
    try:
        os.kill(owner, 0)
    except ProcessLookupError:
        subprocess.run(stop, capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)
        break
    time.sleep(1)
"""


def _version_key(folder: str) -> tuple:
    parts = Path(folder).parent.name.split(".")
    return tuple(int(part) if part.isdigit() else 0 for part in parts)


def find_binaries() -> Path | None:
    """The folder holding `initdb` and `pg_ctl`: from PATH, else the newest Debian-style install; None if none."""
    on_path = shutil.which("initdb"), shutil.which("pg_ctl")
    if all(on_path) and Path(on_path[0]).resolve().parent == Path(on_path[1]).resolve().parent:
        return Path(on_path[0]).resolve().parent
    for folder in sorted(glob.glob(SEARCH_FOLDERS), key=_version_key, reverse=True):
        if Path(folder, "initdb").exists() and Path(folder, "pg_ctl").exists():
            return Path(folder)
    return None


class PostgresServer:
    """One server in a temporary folder; `start()` then `stop()` (or use it as a context manager)."""

    def __init__(self, binaries: Path, settings: dict[str, str] | None = None, hba: str | None = None):
        self.binaries = binaries
        self.settings = settings or {}
        self.hba = hba
        self.as_root = os.geteuid() == 0
        # Short: a Unix socket's path must stay under about 100 bytes.
        self.folder = Path(tempfile.mkdtemp(prefix="lkpg-", dir="/tmp"))
        self.data = self.folder / "data"
        self.superuser = "postgres" if self.as_root else _current_user()

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_root else []
        result = subprocess.run([*prefix, *command], capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed: {result.stderr or result.stdout}")

    def start(self) -> "PostgresServer":
        if self.as_root:
            shutil.chown(self.folder, "postgres", "postgres")
        self._watch_owner()  # from the start: a run killed during initdb leaves no folder either
        self._run(
            str(self.binaries / "initdb"),
            "-D",
            str(self.data),
            "-A",
            "trust",
            "--no-sync",
            "-U",
            self.superuser,
            "-E",
            "UTF8",
            "--locale=C",
        )
        if self.hba is not None:
            (self.data / "pg_hba.conf").write_text(self.hba)
        options = {
            "listen_addresses": "''",
            "unix_socket_directories": f"'{self.folder}'",
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
            "max_connections": "120",
            **self.settings,
        }
        flags = " ".join(f"-c {name}={value}" for name, value in options.items())
        self._run(
            str(self.binaries / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            flags,
            "-l",
            str(self.folder / "server.log"),
            "-w",
            "start",
        )
        return self

    def _watch_owner(self) -> None:
        """Stop the server when this process ends without stopping it (killed by a timeout, say): crash-only."""
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_root else []
        stop = [*prefix, str(self.binaries / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"]
        subprocess.Popen(
            [sys.executable, "-c", WATCHDOG, str(os.getpid()), str(self.folder), *stop],
            start_new_session=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def stop(self) -> None:
        try:
            self._run(str(self.binaries / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def conninfo(self, dbname: str = "postgres", user: str | None = None) -> str:
        """A libpq connection string for this server's socket."""
        port = f" port={self.settings['port']}" if "port" in self.settings else ""  # names the socket file too
        return f"host={self.folder}{port} dbname={dbname} user={user or self.superuser}"

    def __enter__(self) -> "PostgresServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _current_user() -> str:
    import pwd

    return pwd.getpwuid(os.geteuid()).pw_name
