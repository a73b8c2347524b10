"""`config get KEY --json`: scripting.md gives every reading command `--json` (only `config set`/`unset` and the
commands that write files are left out), so `config get` prints the value as JSON: a string, a number or null."""

import json

from lingkaran.errors import ExitCode


def test_config_get_json_prints_the_value_or_null(cli):
    assert json.loads(cli.ok("config", "get", "worker", "--json").stdout) is None
    assert json.loads(cli.ok("config", "get", "no_contact_days", "--json").stdout) == 30
    cli.ok("config", "set", "worker", "Rina Wulandari")
    assert json.loads(cli.ok("config", "get", "worker", "--json").stdout) == "Rina Wulandari"
    assert cli.ok("config", "get", "worker").stdout == "Rina Wulandari\n"  # the plain form is unchanged


def test_config_get_json_of_an_unknown_setting_is_exit_2(lingkaran):
    result = lingkaran("config", "get", "colour", "--json")
    assert result.returncode == ExitCode.INVALID_INPUT and result.stdout == ""
    assert result.stderr.startswith("lingkaran: unknown setting 'colour'") and result.stderr.count("\n") == 1
