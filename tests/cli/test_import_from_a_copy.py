"""Importing from a copy of the caseload that went its own way on another laptop: levels observed there for a
goal kept here move its latest GAS level as the same entries typed here would (the newest observation by date;
a catch-up entry never overwrites a newer one), and two copies that each added a goal merge."""

import sqlite3


def latest_levels(path) -> dict[int, int | None]:
    conn = sqlite3.connect(path)
    found = dict(conn.execute("SELECT number, latest_level FROM goals ORDER BY number"))
    conn.close()
    return found


def carried(cli, source, target, tmp_path, name: str) -> None:
    """Export the source caseload and import it into the target."""
    exported = tmp_path / name
    cli.ok("--db", source, "export", "--format", "ndjson", "--output", exported)
    cli.ok("--db", target, "import", exported)


def test_levels_observed_elsewhere_move_the_latest_level_of_a_goal_kept_here(cli, active_case, db_path, tmp_path):
    laptop = tmp_path / "laptop.db"
    carried(cli, db_path, laptop, tmp_path, "first.ndjson")
    cli.ok(
        "monitor",
        active_case,
        "--note",
        "Back in class",
        "--progress",
        "1=1",
        "--progress",
        "2=-1",
        "--date",
        "2026-06-14",
    )
    cli.ok("monitor", active_case, "--note", "From paper notes", "--progress", "2=-2", "--date", "2026-06-05")
    carried(cli, db_path, laptop, tmp_path, "second.ndjson")
    assert latest_levels(laptop) == latest_levels(db_path)
    assert latest_levels(laptop)[1] == 1 and latest_levels(laptop)[2] == -1  # the catch-up entry did not win
    assert cli.json("--db", laptop, "check")["ok"] is True


def test_a_level_older_than_the_one_here_does_not_move_it(cli, active_case, db_path, tmp_path):
    laptop = tmp_path / "laptop.db"
    carried(cli, db_path, laptop, tmp_path, "first.ndjson")
    cli.ok("--db", laptop, "monitor", active_case, "--note", "Seen here", "--progress", "1=2", "--date", "2026-06-14")
    cli.ok("monitor", active_case, "--note", "Seen there, earlier", "--progress", "1=-1", "--date", "2026-06-12")
    carried(cli, db_path, laptop, tmp_path, "second.ndjson")
    assert latest_levels(laptop)[1] == 2
    assert cli.json("--db", laptop, "check")["ok"] is True


def test_two_copies_that_each_added_a_goal_to_a_case_merge(cli, planned_case, db_path, tmp_path):
    laptop = tmp_path / "laptop.db"
    carried(cli, db_path, laptop, tmp_path, "first.ndjson")
    cli.ok("plan", planned_case, "--goal", "Added at the office", "--date", "2026-06-05")
    cli.ok("--db", laptop, "plan", planned_case, "--goal", "Added in the field", "--date", "2026-06-05")
    cli.ok(
        "--db",
        laptop,
        "intervene",
        planned_case,
        "--activity",
        "home-visit",
        "--note",
        "For the field goal",
        "--goal",
        "3",
        "--date",
        "2026-06-06",
    )
    carried(cli, db_path, laptop, tmp_path, "second.ndjson")
    goals = {goal["text"]: goal for goal in cli.json("--db", laptop, "show", planned_case)["goals"]}
    assert sorted(goal["number"] for goal in goals.values()) == [1, 2, 3, 4]
    assert {"Added at the office", "Added in the field"} <= set(goals)
    activity = cli.json("--db", laptop, "show", planned_case)["activities"][0]
    assert activity["goal_uuids"] == [goals["Added in the field"]["uuid"]]
    assert activity["goal_numbers"] == [goals["Added in the field"]["number"]]
    assert cli.json("--db", laptop, "check")["ok"] is True
