"""What several test files share: the installed command, refusals that must leave nothing written, row counts,
tampering outside lingkaran, the encryption test passphrase, and keys typed ahead into guided prompts.
Imported by test files; no test file imports another."""

import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from prompt_toolkit.application import create_app_session
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.plain_text import PlainTextOutput

from lingkaran.errors import ExitCode
from lingkaran.prompts.asker import Asker

TODAY = "2026-06-15"


LINGKARAN = str(Path(sys.executable).parent / "lingkaran")


def run_lingkaran(*args: str, input: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the installed `lingkaran` command as a real process."""
    return subprocess.run(
        [LINGKARAN, *map(str, args)],
        capture_output=True,
        text=True,
        input=input,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


def row_counts(db_path) -> dict[str, int]:
    """How many rows each table holds: a failed command must leave every count as it was."""
    conn = sqlite3.connect(db_path)
    tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    counts = {table: conn.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0] for table in tables}
    conn.close()
    return counts


def refused(cli, db_path, code, *args):
    """Run a command that must fail: its exit code, one stderr line, nothing on stdout, nothing written."""
    before = row_counts(db_path)
    result = cli(*args)
    assert result.exit_code == code, (result.exit_code, result.output)
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("lingkaran: "), result.stderr
    assert result.stdout == "" and "Traceback" not in result.output
    assert row_counts(db_path) == before
    return result.stderr


EVERY_TABLE = (
    "cases",
    "assessments",
    "ratings",
    "goals",
    "activities",
    "goal_levels",
    "monitoring",
    "evaluations",
    "terminations",
    "consents",
    "events",
)


def rows(path, table: str) -> list[dict]:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    found = [dict(row) for row in conn.execute(f"SELECT * FROM {table} ORDER BY id")]
    conn.close()
    return found


def counts(path) -> dict[str, int]:
    return {table: len(rows(path, table)) for table in EVERY_TABLE}


def cases_in(path) -> int:
    """How many cases a caseload file holds (0 when an import never created it, or created it empty)."""
    if not Path(path).exists():
        return 0
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM cases").fetchone()[0]
    except sqlite3.OperationalError:
        return 0
    finally:
        conn.close()


def tamper(db_path, *statements):
    """Run SQL on the caseload with the plain sqlite3 module, outside lingkaran."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    for statement in statements:
        conn.execute(*statement) if isinstance(statement, tuple) else conn.execute(statement)
    conn.close()


def failed_check(cli):
    result = cli("check", "--json")
    assert result.exit_code == ExitCode.DATABASE_UNUSABLE, result.stdout
    assert result.stderr.startswith("lingkaran: check found") and result.stderr.count("\n") == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    return report["findings"]


NAME = "Siti Rahmawati"


PASSPHRASE = "kunci rahasia 'panjang'"
TEAM_PASSPHRASE = "kunci tim kita 2026"  # the bundles' passphrase


def traces_of(text: str) -> list[bytes]:
    """A name in every form it could sit in a file: UTF-8, UTF-16 either way round, upper and lower case."""
    forms = {text, text.lower(), text.upper(), *text.split()}
    return [form.encode(encoding) for form in forms for encoding in ("utf-8", "utf-16-le", "utf-16-be")]


ENTER, DOWN, SPACE, BACKSPACE, CTRL_C, CTRL_D, ESC = "\r", "\x1b[B", " ", "\x7f", "\x03", "\x04", "\x1b"


SKIP_ALL_DOMAINS = ENTER * 16


@contextmanager
def typed(*keys: str, later: str = ""):
    """Type `keys` ahead into a pipe the prompts read; yields what the prompts showed, as plain text.

    Should a test type too few keys, the pipe is closed after a while: the prompt then ends (exit 130) instead of
    waiting for ever. `later` is typed a second on: a lone Esc must reach the prompt that is then waiting
    (typed ahead, it would sit in the first prompt's key parser).
    """
    screen = io.StringIO()
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=PlainTextOutput(screen)):
        pipe.send_text("".join(keys))
        watchdog = threading.Timer(10, pipe.close)
        watchdog.start()
        typist = threading.Timer(1, pipe.send_text, [later])
        typist.start()
        try:
            yield screen
        finally:
            typist.cancel()
            watchdog.cancel()


def answer(cli, *args: str, keys: list[str], later: str = ""):
    with typed(*keys, later=later) as screen:
        result = cli(*args)
    result.screen = screen.getvalue()
    return result


PROMPT_MODULES = ("questionary", "prompt_toolkit")


RICH = "rich"


# Runs lingkaran's entry point, then writes the names of every loaded module to the file named first.
PROBE = """
import atexit, sys
out = sys.argv.pop(1)
atexit.register(lambda: open(out, "w").write("\\n".join(sorted(sys.modules))))
sys.argv[0] = "lingkaran"
from lingkaran.cli import main
main()
"""


def loaded_modules(tmp_path, *args: str) -> set[str]:
    """Every module a non-interactive `lingkaran ARGS` process had imported when it exited."""
    out = tmp_path / f"modules-{abs(hash(args))}.txt"
    # A new session has no controlling terminal, so not even a /dev/tty prompt (getpass) can wait for a person.
    subprocess.run(
        [sys.executable, "-c", PROBE, str(out), *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        env=os.environ.copy(),
        timeout=60,
        start_new_session=True,
    )
    return set(out.read_text().split())


def packages(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


class Screen(PlainTextOutput):
    """A plain-text terminal `columns` wide."""

    def __init__(self, columns: int):
        self.text = io.StringIO()
        super().__init__(self.text)
        self.columns = columns

    def get_size(self) -> Size:
        return Size(rows=30, columns=self.columns)


@contextmanager
def terminal(columns: int, *keys: str, later: str = ""):
    """A pipe with `keys` typed ahead and `later` typed once the first question is drawn."""
    screen = Screen(columns)
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=screen):
        pipe.send_text("".join(keys))
        typist = threading.Timer(0.5, pipe.send_text, [later])
        typist.start()
        try:
            yield Asker(input=pipe, output=screen), screen
        finally:
            typist.cancel()


def pass_bundle(cli, source: Path, target: Path, folder: Path) -> None:
    made = folder / f"{source.stem}-{len(list(folder.iterdir()))}.lkb"
    cli.ok("--db", source, "bundle", made, "--plain")
    cli.ok("--db", target, "import", made)


def killed_when(args: list, ready: Callable[[], bool]) -> bool:
    """Start lingkaran with `args` and SIGKILL it the moment `ready()` holds (looked at every 0.2 ms). Whether it
    was still running then (False: it had finished)."""
    process = subprocess.Popen([LINGKARAN, *map(str, args)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while process.poll() is None and not ready():
        time.sleep(0.0002)
    killed = process.poll() is None
    if killed:
        process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    return killed


def after(seconds: float) -> Callable[[], bool]:
    """A moment `seconds` from now, as a `ready` for `killed_when`."""
    deadline = time.monotonic() + seconds
    return lambda: time.monotonic() >= deadline
