"""Every test gets its own caseload file and data folder under tmp_path; none touches a real home."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lingkaran.cli.app import app
from lingkaran.cli.session import Session
from lingkaran.messages import set_language
from tests.helpers import PASSPHRASE, TEAM_PASSPHRASE, TODAY, run_lingkaran


@pytest.fixture(autouse=True)
def private_environment(tmp_path, monkeypatch):
    """Point the caseload, the data folder and the clock at this test alone."""
    monkeypatch.setenv("LINGKARAN_DB", str(tmp_path / "caseload.db"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("LINGKARAN_CONFIG", str(tmp_path / "config" / "config.json"))
    monkeypatch.setenv("LINGKARAN_TODAY", TODAY)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")
    for name in ("LINGKARAN_LANG", "LINGKARAN_WORKER", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "caseload.db"


class Cli:
    """Runs lingkaran in-process with CliRunner: `cli("open", ...)` returns the result."""

    def __init__(self):
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None):
        return self.runner.invoke(app, [str(arg) for arg in args], input=input)

    def json(self, *args: str):
        result = self(*args, "--json")
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)

    def ok(self, *args: str):
        result = self(*args)
        assert result.exit_code == 0, result.stderr
        return result


@pytest.fixture
def cli() -> Cli:
    return Cli()


@pytest.fixture
def lingkaran():
    return run_lingkaran


@pytest.fixture
def opened_case(cli) -> str:
    """A mikro case, opened with consent; returns its id."""
    case = cli.json(
        "open", "Siti Rahmawati", "--level", "mikro", "--problem", "Left school", "--consent", "--date", "2026-06-01"
    )
    return str(case["id"])


@pytest.fixture
def planned_case(cli, opened_case) -> str:
    """A case assessed and planned with two goals."""
    cli.ok("assess", opened_case, "--domain", "education=2", "--domain", "family=3", "--date", "2026-06-02")
    cli.ok(
        "plan",
        opened_case,
        "--goal",
        "Back to school",
        "--goal",
        "Talks with her mother weekly",
        "--weight",
        "1=3",
        "--date",
        "2026-06-03",
    )
    return opened_case


@pytest.fixture
def active_case(cli, planned_case) -> str:
    """A planned case with one recorded home visit."""
    cli.ok(
        "intervene",
        planned_case,
        "--activity",
        "home-visit",
        "--note",
        "First visit",
        "--goal",
        "1",
        "--minutes",
        "60",
        "--date",
        "2026-06-04",
    )
    return planned_case


@pytest.fixture
def key_file(tmp_path, monkeypatch):
    """A private key file, named by LINGKARAN_KEY_FILE."""
    path = tmp_path / "keys" / "caseload.key"
    path.parent.mkdir()
    path.write_text(PASSPHRASE + "\n")
    path.chmod(0o600)
    monkeypatch.setenv("LINGKARAN_KEY_FILE", str(path))
    return path


@pytest.fixture
def at_a_terminal(monkeypatch):
    """Pretend stdin is a terminal; --no-input still applies."""
    monkeypatch.setattr(Session, "interactive", lambda self: not self.no_input)
    for name in ("EDITOR", "VISUAL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def passphrase_file(tmp_path) -> Path:
    """The team's bundle passphrase in a private file."""
    path = tmp_path / "team-passphrase"
    path.write_text(TEAM_PASSPHRASE + "\n")
    path.chmod(0o600)
    return path
