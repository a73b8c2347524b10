"""A settings file that is not a JSON object (a syntax error, a list, bytes that are not UTF-8) is refused, never
read as "no settings": a retention period lost to a stray comma must not erase with the default 5 years, and
`config set` must not write over what the person wrote. A missing file still means no settings."""

import json
import os

import pytest

from lingkaran.errors import ExitCode
from tests.helpers import refused

BROKEN = [b'{"retention_years": 10,}', b'["retention_years", 10]', b"10", b'{"worker": "\xff"}', b""]


@pytest.fixture
def settings_path(tmp_path):
    return tmp_path / "config" / "config.json"


@pytest.fixture
def recently_closed(cli) -> str:
    case = str(cli.json("open", "Siti", "--level", "mikro", "--problem", "x", "--date", "2026-06-01")["id"])
    cli.ok("terminate", case, "--reason", "withdrew", "--summary", "x", "--date", "2026-06-10")
    return case


def _break(path, content: bytes) -> None:
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(content)


def _names_the_file_and_the_way_out(message: str, path) -> bool:
    return str(path) in message and "fix" in message and "remove" in message


@pytest.mark.parametrize("content", BROKEN)
def test_retention_erases_nothing_when_the_settings_file_cannot_be_read(
    cli, db_path, settings_path, recently_closed, content
):
    _break(settings_path, content)
    message = refused(cli, db_path, ExitCode.INVALID_INPUT, "--lang", "en", "retention", "--erase", "--yes")
    assert _names_the_file_and_the_way_out(message, settings_path)
    settings_path.unlink()
    assert cli.json("show", recently_closed)["client"] == "Siti"


@pytest.mark.parametrize(
    "command",
    [
        ("list",),
        ("open", "X", "--level", "mikro", "--problem", "p"),
        ("--lang", "en"),
        ("--lang", "en", "open", "X", "--level", "mikro", "--problem", "p"),
    ],
)
def test_every_command_that_reads_a_setting_is_refused(cli, db_path, settings_path, command):
    cli.ok("list")
    _break(settings_path, BROKEN[0])
    message = refused(cli, db_path, ExitCode.INVALID_INPUT, *command)
    assert _names_the_file_and_the_way_out(message, settings_path)


@pytest.mark.parametrize(
    "command", [("set", "lang", "en"), ("unset", "lang"), ("get", "lang"), ("list",), ("list", "--json")]
)
def test_config_commands_report_the_file_and_never_write_over_it(lingkaran, settings_path, command):
    _break(settings_path, BROKEN[0])
    result = lingkaran("config", *command)
    assert result.returncode == ExitCode.INVALID_INPUT and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert _names_the_file_and_the_way_out(result.stderr, settings_path)
    assert settings_path.read_bytes() == BROKEN[0]


def test_a_missing_settings_file_is_still_no_settings(cli, settings_path):
    assert not settings_path.exists()
    assert cli.json("config", "list")["retention_years"] == 5
    cli.ok("config", "set", "lang", "en")
    assert json.loads(settings_path.read_text()) == {"lang": "en"}


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_a_settings_file_that_cannot_be_opened_is_refused_too(cli, db_path, settings_path):
    _break(settings_path, b'{"lang": "en"}')
    settings_path.chmod(0)
    message = refused(cli, db_path, ExitCode.INVALID_INPUT, "config", "set", "lang", "id")
    assert str(settings_path) in message
    settings_path.chmod(0o600)
    assert json.loads(settings_path.read_text()) == {"lang": "en"}
