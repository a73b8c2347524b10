"""A hand-edited preferences file is checked with the rules of `config set`: a bad value stops the commands that
need it with one line naming the key and the file (exit 2), never a traceback and never a wrong erasure, while
`config set`, `unset` and `list` still work so it can be repaired."""

import json

import pytest

from lingkaran.errors import ExitCode
from tests.helpers import refused


@pytest.fixture
def config_file(tmp_path):
    path = tmp_path / "config" / "config.json"
    path.parent.mkdir()

    def write(settings: dict) -> None:
        path.write_text(json.dumps(settings))

    write.path = path
    return write


@pytest.fixture
def recently_closed(cli) -> str:
    case = str(cli.json("open", "Siti", "--level", "mikro", "--problem", "x", "--date", "2026-06-01")["id"])
    cli.ok("terminate", case, "--reason", "withdrew", "--summary", "x", "--date", "2026-06-10")
    return case


@pytest.mark.parametrize("years", [-1, 0, 0.5, "five", True, None, 1001])
def test_a_bad_retention_period_erases_nothing(cli, db_path, config_file, recently_closed, years):
    config_file({"retention_years": years})
    message = refused(cli, db_path, ExitCode.INVALID_INPUT, "retention", "--erase", "--yes")
    assert "retention_years" in message and str(config_file.path) in message
    assert cli.json("show", recently_closed)["client"] == "Siti"


def test_a_retention_period_written_as_text_digits_is_read_like_config_set_reads_it(cli, config_file, recently_closed):
    config_file({"retention_years": "2"})
    assert cli.json("retention") == []


@pytest.mark.parametrize("settings", [{"lang": 1}, {"lang": "fr"}, {"worker": 7}, {"no_contact_days": 0.5}])
def test_a_bad_value_never_breaks_version_or_the_repair_commands(lingkaran, config_file, settings):
    config_file(settings)
    (key,) = settings
    assert lingkaran("--version").returncode == 0
    listed = lingkaran("config", "list")
    assert listed.returncode == 0 and "Traceback" not in listed.stderr
    lines = listed.stdout.splitlines()
    setting = next(number for number, line in enumerate(lines) if line.startswith(f"{key} = "))
    assert "not valid" in lines[setting - 1]  # the comment above the setting says so
    assert lingkaran("config", "list", "--json").returncode == 0
    assert lingkaran("config", "unset", key).returncode == 0
    assert key not in json.loads(config_file.path.read_text())


def test_a_bad_language_stops_commands_with_one_line_naming_the_key_and_the_file(lingkaran, config_file):
    config_file({"lang": 1})
    result = lingkaran("list")
    assert result.returncode == ExitCode.INVALID_INPUT and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and "lang" in result.stderr and str(config_file.path) in result.stderr
    assert lingkaran("--lang", "en", "list").returncode == 0, "a language given for the run needs no setting"
    assert lingkaran("config", "set", "lang", "id").returncode == 0
    assert lingkaran("list").returncode == 0


def test_a_bad_worker_stops_only_what_needs_a_worker(cli, db_path, config_file):
    config_file({"worker": 7})
    message = refused(cli, db_path, ExitCode.INVALID_INPUT, "open", "X", "--level", "mikro", "--problem", "p")
    assert "worker" in message and str(config_file.path) in message
    cli.ok("open", "X", "--level", "mikro", "--problem", "p", "--worker", "Rina")
    cli.ok("list")
    assert cli("config", "get", "worker").exit_code == ExitCode.INVALID_INPUT


def test_config_set_repairs_a_bad_value_and_keeps_the_others(cli, config_file):
    config_file({"retention_years": -1, "worker": "Rina"})
    cli.ok("config", "set", "retention_years", "7")
    assert cli.json("config", "list")["retention_years"] == 7 and cli.json("config", "list")["worker"] == "Rina"


def test_help_needs_no_settings(lingkaran, config_file):
    config_file({"lang": 1})
    result = lingkaran("list", "--help")
    assert result.returncode == 0 and result.stdout.startswith("Usage: lingkaran list")
