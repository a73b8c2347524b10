"""Client systems: `member add/list/remove`, `--member` on steps, and family case ↔ individual case links."""

import sqlite3

import pytest

from lingkaran.errors import ExitCode
from tests.helpers import refused


@pytest.fixture
def family(cli) -> str:
    """A mezzo (family) case with consent."""
    return str(
        cli.json(
            "open", "Keluarga Hartono", "--level", "mezzo", "--problem", "Eviction", "--consent", "--date", "2026-06-01"
        )["id"]
    )


def test_member_add_and_list_show_the_client_system(cli, family):
    added = cli.json(
        "member",
        "add",
        family,
        "Ibu Sri",
        "--role",
        "mother",
        "--relation",
        "head of household",
        "--born",
        "1980",
        "--note",
        "Works mornings",
    )
    assert added["name"] == "Ibu Sri" and added["born"] == 1980
    cli.ok("member", "add", family, "Budi", "--role", "son", "--born", "2010")
    members = cli.json("member", "list", family)
    assert [(m["name"], m["role"], m["relation"]) for m in members] == [
        ("Ibu Sri", "mother", "head of household"),
        ("Budi", "son", None),
    ]
    assert all(len(m["uuid"]) == 36 for m in members)
    text = cli.ok("member", "list", family).stdout
    assert "Ibu Sri" in text and "head of household" in text


def test_member_remove_keeps_the_history(cli, family):
    cli.ok("member", "add", family, "Pak Hartono", "--role", "father")
    removed = cli.json("member", "remove", family, "pak hartono", "--reason", "Moved out")
    assert removed["name"] == "Pak Hartono"
    assert cli.json("member", "list", family) == []
    everyone = cli.json("member", "list", family, "--all")
    assert everyone[0]["removed_on"] == "2026-06-15"
    kinds = [event["kind"] for event in cli.json("log", family)]
    assert kinds == ["open", "member-add", "member-remove"]


def test_show_lists_members_and_list_counts_them(cli, family, opened_case):
    cli.ok("member", "add", family, "Ibu Sri", "--role", "mother")
    cli.ok("member", "add", family, "Budi", "--role", "son")
    assert [m["name"] for m in cli.json("show", family)["members"]] == ["Ibu Sri", "Budi"]
    assert "Ibu Sri" in cli.ok("show", family).stdout
    mezzo = cli.json("list", "--level", "mezzo")
    assert [(case["id"], case["members"]) for case in mezzo] == [(int(family), 2)]
    table = cli.ok("list", "--level", "mezzo").stdout
    assert "Members" in table and table.splitlines()[-1].rstrip().endswith("2")


def test_steps_can_name_the_member_they_concern(cli, db_path, family):
    budi = cli.json("member", "add", family, "Budi", "--role", "son")
    assessed = cli.json("assess", family, "--domain", "education=2", "--member", "budi")
    assert assessed["member"] == "Budi" and assessed["member_uuid"] == budi["member_uuid"]
    planned = cli.json("plan", family, "--goal", "Budi back at school", "--member", "Budi")
    assert planned["added"][0]["member"] == "Budi"
    activity = cli.json(
        "intervene", family, "--activity", "home-visit", "--note", "Talked with Budi", "--member", "Budi"
    )
    assert activity["member"] == "Budi"
    conn = sqlite3.connect(db_path)
    member_id = conn.execute("SELECT id FROM members").fetchone()[0]
    for table in ("assessments", "goals", "activities"):
        assert conn.execute(f"SELECT member_id FROM {table}").fetchone()[0] == member_id, table


def test_an_unknown_member_is_refused_and_nothing_is_written(cli, db_path, family):
    cli.ok("member", "add", family, "Ibu Sri", "--role", "mother")
    message = refused(
        cli, db_path, ExitCode.INVALID_INPUT, "assess", family, "--domain", "housing=2", "--member", "Nobody"
    )
    assert "Ibu Sri" in message


@pytest.mark.parametrize(
    "args",
    [
        ["member", "add", "{case}", "Ibu Sri", "--role", "aunt"],  # the same name twice
        ["member", "add", "{case}", "Ani"],  # no --role
        ["member", "add", "{case}", "Ani", "--role", "x", "--born", "1700"],
        ["member", "add", "{case}", "Ani", "--role", "x", "--date", "2026-01-01"],  # before the case opened
        ["member", "remove", "{case}", "Nobody"],
        ["plan", "{case}", "--member", "Ibu Sri"],  # --member without a new goal
    ],
)
def test_bad_member_commands_are_exit_2_and_write_nothing(cli, db_path, family, args):
    cli.ok("member", "add", family, "Ibu Sri", "--role", "mother")
    refused(cli, db_path, ExitCode.INVALID_INPUT, *[arg.format(case=family) for arg in args])


def test_member_add_on_an_unknown_case_is_exit_3(cli, db_path, family):
    refused(cli, db_path, ExitCode.NO_SUCH_CASE, "member", "add", "99", "X", "--role", "y")


def test_an_individual_case_opened_as_part_of_a_family_shows_on_both(cli, family):
    child = cli.json("open", "Budi Hartono", "--level", "mikro", "--problem", "Left school", "--part-of", family)
    shown_child = cli.json("show", str(child["id"]))
    shown_family = cli.json("show", family)
    assert [case["id"] for case in shown_child["part_of"]] == [int(family)]
    assert [(case["id"], case["client"]) for case in shown_family["parts"]] == [(child["id"], "Budi Hartono")]
    assert "Part of: 1 Keluarga Hartono" in cli.ok("show", str(child["id"])).stdout
    assert "Includes: 2 Budi Hartono" in cli.ok("show", family).stdout
    assert [event["kind"] for event in cli.json("log", str(child["id"]))] == ["open", "link"]


def test_link_and_unlink_existing_cases(cli, family, opened_case):
    linked = cli.json("link", opened_case, "--part-of", family)
    assert linked["parent_id"] == int(family) and linked["child_id"] == int(opened_case)
    assert cli.json("show", family)["parts"][0]["id"] == int(opened_case)
    cli.ok("unlink", opened_case, "--part-of", family)
    assert cli.json("show", family)["parts"] == [] and cli.json("show", opened_case)["part_of"] == []
    assert [event["kind"] for event in cli.json("log", opened_case)][-2:] == ["link", "unlink"]


def test_a_mikro_case_cannot_contain_others_and_links_cannot_go_round(cli, db_path, family, opened_case):
    assert "mezzo or makro" in refused(cli, db_path, ExitCode.INVALID_INPUT, "link", family, "--part-of", opened_case)
    community = cli.json("open", "RW 02", "--level", "makro", "--problem", "Flooding")["id"]
    cli.ok("link", family, "--part-of", str(community))
    assert "circle" in refused(cli, db_path, ExitCode.INVALID_INPUT, "link", str(community), "--part-of", family)
    assert "already" in refused(cli, db_path, ExitCode.INVALID_INPUT, "link", family, "--part-of", str(community))
    assert "not part of" in refused(cli, db_path, ExitCode.INVALID_INPUT, "unlink", opened_case, "--part-of", family)


def test_opening_as_part_of_a_missing_case_opens_nothing(cli, db_path, family):
    refused(
        cli, db_path, ExitCode.NO_SUCH_CASE, "open", "Budi", "--level", "mikro", "--problem", "p", "--part-of", "42"
    )


@pytest.mark.parametrize("group", ["member", "team", "referral", "ecomap"])
def test_a_bare_command_group_prints_its_help_without_an_empty_error(cli, group):
    result = cli(group)
    assert result.exit_code == ExitCode.INVALID_INPUT and "Commands" in result.stdout
    assert result.stderr == ""
