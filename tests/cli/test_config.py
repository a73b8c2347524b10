"""`lingkaran config` and the privacy field list."""

import stat

import pytest
from sqlite_utils import Database

from lingkaran.domain.privacy import PERSONAL_COLUMNS, is_derived
from lingkaran.store.migrations import migrations


def test_worker_from_config_is_the_default_worker_and_by(cli, tmp_path):
    cli.ok("config", "set", "worker", "Rina Wulandari")
    case = cli.json("open", "X", "--level", "mikro", "--problem", "p")
    assert case["worker"] == "Rina Wulandari"
    path = tmp_path / "config" / "config.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert cli.ok("config", "get", "worker").stdout.strip() == "Rina Wulandari"


def test_defaults_show_and_unset_restores_them(cli):
    assert cli.ok("config", "get", "no_contact_days").stdout.strip() == "30"
    cli.ok("config", "set", "no_contact_days", "14")
    assert cli.json("config", "list")["no_contact_days"] == 14
    cli.ok("config", "unset", "no_contact_days")
    assert cli.json("config", "list")["no_contact_days"] == 30


def test_unknown_settings_and_bad_values_are_exit_2(cli):
    for args in (["set", "colour", "red"], ["set", "lang", "fr"], ["set", "retention_years", "-1"], ["get", "colour"]):
        result = cli("config", *args)
        assert result.exit_code == 2 and result.stderr.startswith("lingkaran: "), args


def test_every_table_is_classified_for_privacy():
    db = Database(memory=True)
    migrations.apply(db)
    # The search index (search_index and its FTS5 shadow tables) is derived from classified tables by triggers.
    tables = {
        name for name in db.table_names() if not name.startswith("_") and name != "events" and not is_derived(name)
    }
    assert tables <= set(PERSONAL_COLUMNS), tables - set(PERSONAL_COLUMNS)
    for table, columns in PERSONAL_COLUMNS.items():
        assert set(columns) <= set(db[table].columns_dict), table


@pytest.mark.parametrize("lang", ["en", "id"])
def test_config_list_fits_80_columns_with_each_description_above_its_setting(cli, lang):
    cli.ok("config", "set", "worker", "Rina Wulandari")
    lines = cli.ok("--lang", lang, "config", "list").stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "worker = Rina Wulandari" in lines and "retention_years = 5" in lines
    settings = [line.split(" =")[0] for line in lines if line and not line.startswith("#")]
    assert settings == ["worker", "lang", "no_contact_days", "retention_years", "agency", "hub"]
    assert lines[lines.index("retention_years = 5") - 1].startswith("# ")  # its description, wrapped above it
    assert cli.json("--lang", lang, "config", "list")["worker"] == "Rina Wulandari"
