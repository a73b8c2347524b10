"""Goals are named by UUID: activities, observed levels and evaluation scores stay on their goal whatever number
a merge gives it; `--goal` takes a number or the start of a goal's UUID; older caseloads migrate losslessly."""

import json
import sqlite3

from sqlite_utils import Database

from lingkaran.casework import projection
from lingkaran.errors import ExitCode
from lingkaran.store.database import SCHEMA_VERSION, connect, transaction
from lingkaran.store.events import canonical_json, content_hash
from lingkaran.store.migrations import migrations

CASE_UUID = "0b6c6d7e-0000-4000-8000-000000000001"
GOALS = {1: "0b6c6d7e-0000-4000-8000-00000000a001", 2: "0b6c6d7e-0000-4000-8000-00000000a002"}


def goal_uuids(cli, case: str) -> dict[int, str]:
    return {goal["number"]: goal["uuid"] for goal in cli.json("show", case)["goals"]}


def test_an_activity_names_its_goals_by_uuid(cli, planned_case, db_path):
    uuids = goal_uuids(cli, planned_case)
    cli.ok("intervene", planned_case, "--activity", "home-visit", "--note", "Visit", "--goal", "2", "--goal", "1")
    activity = cli.json("show", planned_case)["activities"][0]
    assert activity["goal_uuids"] == [uuids[2], uuids[1]] and activity["goal_numbers"] == [2, 1]


def test_goal_accepts_the_start_of_its_uuid_wherever_a_number_goes(cli, planned_case):
    uuids = goal_uuids(cli, planned_case)
    second = uuids[2][:6]
    cli.ok("intervene", planned_case, "--activity", "home-visit", "--note", "Visit", "--goal", second)
    assert cli.json("show", planned_case)["activities"][0]["goal_numbers"] == [2]
    cli.ok("monitor", planned_case, "--note", "Going well", "--progress", f"{second}=1")
    evaluated = cli.json(
        "evaluate", planned_case, "--score", f"{uuids[1][:8]}=0", "--score", f"{second}=1", "--decision", "continue"
    )
    assert evaluated["scores"] == {"1": 0, "2": 1}
    assert evaluated["goal_scores"] == {uuids[1]: 0, uuids[2]: 1}
    cli.ok("plan", planned_case, "--revise", f"{second}=Talks with her mother daily", "--weight", f"{second}=2")
    goal = next(goal for goal in cli.json("show", planned_case)["goals"] if goal["number"] == 2)
    assert goal["text"] == "Talks with her mother daily" and goal["weight"] == 2 and goal["latest_level"] == 1


def test_a_uuid_start_no_goal_has_or_more_than_one_has_is_refused_in_one_line(cli, planned_case, db_path):
    result = cli("intervene", planned_case, "--activity", "home-visit", "--note", "Visit", "--goal", "ffffffff")
    assert result.exit_code == ExitCode.INVALID_INPUT and result.stderr.count("\n") == 1
    assert "no goal of this case is 'ffffffff' (goals: 1, 2)" in result.stderr
    conn = sqlite3.connect(db_path)
    conn.executemany("UPDATE goals SET uuid = ? WHERE number = ?", [(uuid, n) for n, uuid in GOALS.items()])
    conn.commit()
    result = cli("plan", planned_case, "--revise", "0b6c6d7e=Back at school")
    assert result.exit_code == ExitCode.INVALID_INPUT and result.stderr.count("\n") == 1
    assert "'0b6c6d7e' matches more than one goal of this case" in result.stderr
    result = cli("intervene", planned_case, "--activity", "home-visit", "--note", "Visit", "--goal", "goal-two")
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert "'goal-two' is neither a goal number nor the start of a goal's UUID" in result.stderr
    assert conn.execute("SELECT count(*) FROM events WHERE kind IN ('intervene', 'monitor')").fetchone()[0] == 0


def test_one_goal_named_twice_is_refused(cli, active_case):
    first = goal_uuids(cli, active_case)[1][:8]
    result = cli("monitor", active_case, "--note", "n", "--progress", "1=1", "--progress", f"{first}=0")
    assert result.exit_code == ExitCode.INVALID_INPUT and "goal 1 is named twice" in result.stderr


def test_the_installed_command_takes_a_uuid_start(lingkaran, planned_case, cli):
    second = goal_uuids(cli, planned_case)[2][:8]
    result = lingkaran(
        "intervene", planned_case, "--activity", "phone-call", "--note", "Call", "--goal", second, "--json"
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["goals"] == [2]


def _old_caseload(path) -> sqlite3.Connection:
    """A caseload as the lingkaran before goal UUIDs left it: goals named by number in rows and events."""
    raw = sqlite3.connect(path, isolation_level=None)
    migrations.apply(Database(raw), stop_before="m008_goals_by_uuid")
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
    raw.execute(
        "INSERT INTO cases (uuid, client, level, problem, phase, status, cycle, opened_on, consent, "
        "last_contact_on, updated_at) VALUES (?, 'Old', 'mikro', 'p', 'evaluation', 'active', 1, "
        "'2026-01-01', 0, '2026-01-05', '2026-01-05T00:00:00+00:00')",
        [CASE_UUID],
    )
    for number, uuid in GOALS.items():
        raw.execute(
            "INSERT INTO goals (uuid, case_id, number, text, weight, target_on, status, set_on, cycle) "
            "VALUES (?, 1, ?, ?, 1.0, '2026-03-01', 'open', '2026-01-02', 1)",
            [uuid, number, f"Goal {number}"],
        )
    raw.execute(
        "INSERT INTO activities (uuid, case_id, cycle, kind, note, occurred_on, goal_numbers) VALUES "
        "('0b6c6d7e-0000-4000-8000-00000000b001', 1, 1, 'home-visit', 'Visit', '2026-01-03', '[2, 1]')"
    )
    raw.execute(
        "INSERT INTO evaluations (uuid, case_id, cycle, evaluated_on, t_score, decision, scores) VALUES "
        "('0b6c6d7e-0000-4000-8000-00000000c001', 1, 1, '2026-01-05', 55.0, 'continue', '{\"1\": 1, \"2\": 0}')"
    )
    return raw


def test_an_older_caseload_migrates_its_goal_numbers_to_uuids_losslessly(db_path):
    raw = _old_caseload(db_path)
    before = {table: raw.execute(f"SELECT * FROM {table}").fetchall() for table in ("activities", "evaluations")}
    raw.close()
    conn = connect(db_path)
    activity = dict(conn.execute("SELECT * FROM activities").fetchone())
    evaluation = dict(conn.execute("SELECT * FROM evaluations").fetchone())
    assert json.loads(activity["goal_uuids"]) == [GOALS[2], GOALS[1]]
    assert json.loads(evaluation["goal_scores"]) == {GOALS[1]: 1, GOALS[2]: 0}
    columns = len(before["activities"][0])  # every earlier column as it was (later steps add more after them)
    assert tuple(activity.values())[:columns] == tuple(before["activities"][0])
    assert tuple(evaluation.values())[: len(before["evaluations"][0])] == tuple(before["evaluations"][0])


def test_old_events_that_name_goals_by_number_rebuild_onto_the_right_goals(db_path):
    """Events from before goals were named by UUID carry numbers (and no target with a new goal): the rebuild
    maps the numbers through the order goals were added and keeps the target from the row."""
    raw = _old_caseload(db_path)
    legacy = [
        (
            "open",
            "engagement",
            "2026-01-01",
            {
                "client": "Old",
                "level": "mikro",
                "problem": "p",
                "consent": 0,
                "phase": "engagement",
                "status": "active",
                "cycle": 1,
                "opened_on": "2026-01-01",
                "last_contact_on": "2026-01-01",
                "updated_at": "2026-01-01T00:00:00+00:00",
            },
        ),
        (
            "plan",
            "planning",
            "2026-01-02",
            {"added": [{"number": n, "uuid": u, "text": f"Goal {n}"} for n, u in GOALS.items()], "changed": {}},
        ),
        (
            "intervene",
            "intervention",
            "2026-01-03",
            {
                "activity_uuid": "0b6c6d7e-0000-4000-8000-00000000b001",
                "kind": "home-visit",
                "note": "Visit",
                "goals": [2, 1],
            },
        ),
        (
            "evaluate",
            "evaluation",
            "2026-01-05",
            {
                "evaluation_uuid": "0b6c6d7e-0000-4000-8000-00000000c001",
                "scores": {"1": 1, "2": 0},
                "t_score": 55.0,
                "decision": "continue",
                "note": None,
            },
        ),
    ]
    for number, (kind, phase, on, data) in enumerate(legacy, start=1):
        raw.execute(
            "INSERT INTO events (uuid, case_id, case_uuid, kind, phase, cycle, occurred_on, recorded_at, "
            "data, content_hash, hash) VALUES (?, 1, ?, ?, ?, 1, ?, ?, ?, ?, 'h')",
            [
                f"0b6c6d7e-0000-4000-8000-00000000e00{number}",
                CASE_UUID,
                kind,
                phase,
                on,
                f"{on}T00:00:00+00:00",
                canonical_json(data),
                content_hash(data),
            ],
        )
    raw.close()
    conn = connect(db_path)
    with transaction(conn):
        projection.rebuild(conn, 1)
    activity = dict(conn.execute("SELECT goal_numbers, goal_uuids FROM activities").fetchone())
    assert json.loads(activity["goal_uuids"]) == [GOALS[2], GOALS[1]] and json.loads(activity["goal_numbers"]) == [2, 1]
    levels = dict(conn.execute("SELECT g.number, l.level FROM goal_levels l JOIN goals g ON g.id = l.goal_id"))
    assert levels == {1: 1, 2: 0}
    assert [row[0] for row in conn.execute("SELECT target_on FROM goals ORDER BY number")] == ["2026-03-01"] * 2


def test_an_export_from_before_goal_uuids_imports_with_its_goals_named_by_uuid(cli, active_case, db_path, tmp_path):
    cli.ok("evaluate", active_case, "--score", "1=1", "--score", "2=0", "--decision", "continue")
    exported = tmp_path / "old.ndjson"
    cli.ok("export", "--format", "ndjson", "--output", exported)
    lines = [json.loads(line) for line in exported.read_text().splitlines()]
    for item in lines[1:]:
        for key in ("goal_uuids", "goal_scores"):
            item.get("record", {}).pop(key, None)  # as a lingkaran without goal UUIDs wrote it (not the closing line)
    exported.write_text("".join(json.dumps(item) + "\n" for item in lines))
    fresh = tmp_path / "fresh.db"
    cli.ok("--db", fresh, "import", exported)
    uuids = goal_uuids(cli, active_case)
    case = cli.json("--db", fresh, "show", active_case)
    assert case["activities"][0]["goal_uuids"] == [uuids[1]]
    assert case["evaluation"]["goal_scores"] == {uuids[1]: 1, uuids[2]: 0}
