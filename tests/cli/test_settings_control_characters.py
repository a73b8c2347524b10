"""Settings hold text that reaches the terminal and the caseload: `config set` refuses control characters with the
rule every text flag uses (values.clean_text), a hand-written one is shown as a mark and never obeyed, and a
configured worker that is not valid is blamed on the setting and its file, never on a --worker not given."""

import json

import pytest

from lingkaran.errors import ExitCode
from tests.helpers import refused

ESCAPE = "Rina\033]0;PWNED\007"


@pytest.fixture
def settings_path(tmp_path):
    return tmp_path / "config" / "config.json"


@pytest.mark.parametrize("value", [ESCAPE, "Rina\x00", "Rina\x9b", "Rina\x7f"])
def test_config_set_refuses_a_control_character_in_the_worker_name(cli, db_path, settings_path, value):
    message = refused(cli, db_path, ExitCode.INVALID_INPUT, "config", "set", "worker", value)
    assert "worker" in message and "control character" in message and "\033" not in message
    assert not settings_path.exists()


def test_a_hand_written_control_character_is_shown_as_a_mark(lingkaran, settings_path):
    settings_path.parent.mkdir()
    settings_path.write_text(json.dumps({"worker": ESCAPE}))
    listed = lingkaran("config", "list")
    assert listed.returncode == 0 and "\033" not in listed.stdout + listed.stderr and "\007" not in listed.stdout
    assert "worker = Rina␛]0;PWNED␇" in listed.stdout
    got = lingkaran("config", "get", "worker")
    assert got.returncode == ExitCode.INVALID_INPUT and "\033" not in got.stdout + got.stderr
    assert json.loads(lingkaran("config", "list", "--json").stdout)["worker"] == ESCAPE


def test_a_configured_worker_that_is_not_valid_names_the_setting_and_the_file(cli, db_path, settings_path):
    settings_path.parent.mkdir()
    settings_path.write_text(json.dumps({"worker": ESCAPE}))
    message = refused(cli, db_path, ExitCode.INVALID_INPUT, "open", "X", "--level", "mikro", "--problem", "p")
    assert "--worker" not in message and "worker" in message and str(settings_path) in message
    cli.ok("open", "X", "--level", "mikro", "--problem", "p", "--worker", "Rina")


def test_newlines_and_tabs_follow_the_text_flag_rule_too(cli, settings_path):
    cli.ok("config", "set", "worker", "  Rina\tWulandari  ")
    assert json.loads(settings_path.read_text()) == {"worker": "Rina\tWulandari"}
