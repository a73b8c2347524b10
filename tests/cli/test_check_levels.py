"""`lingkaran check` recomputes each goal's latest GAS level from its observations (the newest by date, then
the later entry) and names a goal whose stored level disagrees: by table and row, never by what it says."""

import json
import sqlite3

from lingkaran.errors import ExitCode
from tests.helpers import failed_check, tamper


def goal_id(db_path, number):
    conn = sqlite3.connect(db_path)
    found = conn.execute("SELECT id FROM goals WHERE number = ?", [number]).fetchone()[0]
    conn.close()
    return found


def level_problems(cli):
    return [problem for problem in failed_check(cli) if problem["check"] == "levels"]


def test_check_passes_levels_kept_by_monitor_and_a_catch_up_entry(cli, active_case):
    cli.ok("monitor", active_case, "--note", "aug", "--progress", "1=2", "--date", "2026-06-14")
    cli.ok("monitor", active_case, "--note", "same day", "--progress", "1=1", "--date", "2026-06-14")
    cli.ok("monitor", active_case, "--note", "paper", "--progress", "1=-2", "--date", "2026-06-05")
    assert cli.json("check")["ok"] is True


def test_check_names_a_goal_whose_latest_level_disagrees_with_its_newest_observation(cli, active_case, db_path):
    cli.ok("monitor", active_case, "--note", "june", "--progress", "1=1", "--date", "2026-06-10")
    tamper(db_path, "UPDATE goals SET latest_level = -2 WHERE number = 1")
    [problem] = level_problems(cli)
    assert problem == {
        "check": "levels",
        "table": "goals",
        "row": goal_id(db_path, 1),
        "message": f"goals row {goal_id(db_path, 1)}: latest_level is -2 but its newest observed level "
        "(2026-06-10) is +1",
    }


def test_check_takes_the_later_entry_of_the_same_day_as_the_newest(cli, active_case, db_path):
    cli.ok("monitor", active_case, "--note", "morning", "--progress", "1=2", "--date", "2026-06-10")
    cli.ok("monitor", active_case, "--note", "evening", "--progress", "1=0", "--date", "2026-06-10")
    tamper(db_path, "UPDATE goals SET latest_level = 2 WHERE number = 1")
    [problem] = level_problems(cli)
    assert problem["row"] == goal_id(db_path, 1) and problem["message"].endswith("is 0")


def test_check_names_a_level_without_any_observation_and_an_observation_without_a_level(cli, active_case, db_path):
    cli.ok("monitor", active_case, "--note", "june", "--progress", "1=1", "--date", "2026-06-10")
    tamper(
        db_path,
        "UPDATE goals SET latest_level = NULL WHERE number = 1",
        "UPDATE goals SET latest_level = 1 WHERE number = 2",
    )
    problems = level_problems(cli)
    assert [problem["row"] for problem in problems] == [goal_id(db_path, 1), goal_id(db_path, 2)]
    assert problems[0]["message"].endswith("latest_level is empty but its newest observed level (2026-06-10) is +1")
    assert problems[1]["message"].endswith("latest_level is +1 but it has no observed level")


def test_a_level_no_command_would_store_is_one_values_finding_not_a_levels_one_too(cli, active_case, db_path):
    cli.ok("monitor", active_case, "--note", "june", "--progress", "1=1", "--date", "2026-06-10")
    tamper(db_path, "UPDATE goals SET latest_level = 7 WHERE number = 1")
    result = cli("check", "--json")
    assert [problem["check"] for problem in json.loads(result.stdout)["findings"]] == ["values"]


def test_check_reports_a_stale_level_in_human_form_and_changes_nothing(cli, active_case, db_path):
    cli.ok("monitor", active_case, "--note", "june", "--progress", "1=1", "--date", "2026-06-10")
    tamper(db_path, "UPDATE goals SET latest_level = 0 WHERE number = 1")
    before = db_path.read_bytes()
    result = cli("check")
    assert result.exit_code == ExitCode.DATABASE_UNUSABLE
    assert result.stdout.splitlines()[1:] == [
        f"✘ levels: goals row {goal_id(db_path, 1)}: latest_level is 0 but its newest observed level (2026-06-10) is +1"
    ]
    assert db_path.read_bytes() == before
