"""`config list` fits 80 columns whatever the values: a long (or wide, or multi-line) name is cut with …, on
one line; `config get` and `config list --json` still give the whole value, since scripts read them."""

import json

from lingkaran.render.plain import cells

LONG_NAME = "Rina Wulandari " + "binti Sutrisno " * 20


def _config_lines(cli, *args) -> list[str]:
    return cli.ok(*args, "config", "list").stdout.splitlines()


def test_config_list_cuts_a_long_worker_name_to_80_columns(cli):
    cli.ok("config", "set", "worker", LONG_NAME.strip())
    lines = _config_lines(cli)
    assert max(cells(line) for line in lines) <= 80
    [worker] = [line for line in lines if line.startswith("worker = ")]
    assert cells(worker) == 80 and worker.endswith("…") and worker.startswith("worker = Rina Wulandari binti")


def test_config_list_cuts_wide_characters_by_the_columns_they_take(cli):
    cli.ok("config", "set", "worker", "山田花子" * 30)
    lines = _config_lines(cli, "--lang", "id")
    assert max(cells(line) for line in lines) <= 80
    assert any(line.startswith("worker = 山田花子") and line.endswith("…") for line in lines)


def test_config_list_shows_a_name_on_several_lines_on_one(cli):
    cli.ok("config", "set", "worker", "Rina\nWulandari")
    lines = _config_lines(cli)
    assert "worker = Rina Wulandari" in lines and "Wulandari" not in [line.strip() for line in lines]


def test_a_long_hand_edited_value_is_cut_too(cli, tmp_path):
    path = tmp_path / "config" / "config.json"
    path.parent.mkdir()
    path.write_text(json.dumps({"retention_years": "9" * 300}))
    result = cli("config", "list")
    assert result.exit_code == 0 and max(cells(line) for line in result.stdout.splitlines()) <= 80


def test_config_get_and_list_json_keep_the_whole_name(cli):
    cli.ok("config", "set", "worker", LONG_NAME.strip())
    assert cli.ok("config", "get", "worker").stdout == LONG_NAME.strip() + "\n"
    assert cli.json("config", "list")["worker"] == LONG_NAME.strip()
