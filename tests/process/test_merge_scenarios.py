"""Issue 14's "done when", through the installed `lingkaran` on real files: two copies of one caseload that each
wrote 50 events on one case merge to the same tables whichever way round they are exchanged; two terminations
of one cycle are one conflict that a resolve on one laptop clears on both; erasure wins over a note written
offline. (The 100 writes go through the in-process CLI, which is the same code, to spare the shared machine.)"""

import json
import shutil
import sqlite3
from pathlib import Path

LOCAL_IDS = (
    "id",
    "case_id",
    "assessment_id",
    "goal_id",
    "member_id",
    "team_id",
    "referral_id",
    "parent_id",
    "child_id",
)


def run(lingkaran, db: Path, *args: str) -> str:
    result = lingkaran("--db", db, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def carry(lingkaran, source: Path, target: Path, passphrase_file: Path) -> dict:
    """A sealed bundle of everything `source` holds, imported into `target`; the import's report."""
    bundle = target.with_name(f"{source.stem}-to-{target.stem}.lkb")
    bundle.unlink(missing_ok=True)
    run(lingkaran, source, "bundle", bundle, "--passphrase-file", passphrase_file)
    return json.loads(run(lingkaran, target, "import", bundle, "--passphrase-file", passphrase_file, "--json"))


def without_local_ids(value):
    """What two copies must agree on: everything but this file's own row ids."""
    if isinstance(value, dict):
        return {key: without_local_ids(item) for key, item in value.items() if key not in LOCAL_IDS}
    if isinstance(value, list):
        return [without_local_ids(item) for item in value]
    return value


def views(lingkaran, db: Path) -> dict:
    return {
        args: without_local_ids(json.loads(run(lingkaran, db, *args, "--json")))
        for args in (("list", "--all"), ("show", "1"), ("log", "1"), ("conflicts",))
    }


def events_of(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM events WHERE case_id = 1").fetchone()[0]
    finally:
        conn.close()


def fifty_events(cli, db: Path, who: str, problem: str, goal: str, terminate: bool) -> str:
    """Fifty events on case 1: the problem restated, a new goal, notes and activities on that goal (and a
    termination to end with); returns the new goal's uuid."""
    before = events_of(db)
    cli.ok("--db", db, "assess", "1", "--problem", problem)
    added = cli.json("--db", db, "plan", "1", "--goal", goal)["added"][0]["uuid"]
    for number in range(47 if terminate else 48):
        if number % 2:
            cli.ok("--db", db, "note", "1", f"{who}: note {number}")
        else:
            cli.ok(
                "--db",
                db,
                "intervene",
                "1",
                "--activity",
                "home-visit",
                "--note",
                f"{who}: visit {number}",
                "--goal",
                added[:8],
                "--minutes",
                "30",
            )
    if terminate:
        cli.ok("--db", db, "terminate", "1", "--reason", "withdrew", "--summary", f"{who}: the family moved")
    assert events_of(db) - before == 50
    return added


def goals_of_activities(db: Path) -> dict[str, set[str]]:
    """For each activity note's writer (A or B), the goal UUIDs its activities name."""
    conn = sqlite3.connect(db)
    found: dict[str, set[str]] = {}
    for note, goal_uuids in conn.execute("SELECT note, goal_uuids FROM activities WHERE note LIKE '_: visit %'"):
        found.setdefault(note[0], set()).update(json.loads(goal_uuids))
    conn.close()
    return found


def test_two_copies_with_fifty_events_each_merge_to_the_same_tables_in_either_order(
    cli, lingkaran, active_case, db_path, tmp_path, passphrase_file
):
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    shutil.copy(db_path, a)
    shutil.copy(db_path, b)
    goal_a = fifty_events(cli, a, "A", "Left school to work at the market", "Earns and studies (paket B)", True)
    goal_b = fifty_events(cli, b, "B", "Left school after bullying", "Back at school with a mentor", False)
    fresh_a, fresh_b = tmp_path / "fresh-a.db", tmp_path / "fresh-b.db"
    shutil.copy(a, fresh_a)
    shutil.copy(b, fresh_b)
    carry(lingkaran, a, b, passphrase_file)
    carry(lingkaran, b, a, passphrase_file)
    carry(lingkaran, fresh_b, fresh_a, passphrase_file)
    carry(lingkaran, fresh_a, fresh_b, passphrase_file)
    copies = (a, b, fresh_a, fresh_b)
    digests = {json.loads(run(lingkaran, db, "sync", "status", "--json"))["digest"] for db in copies}
    assert len(digests) == 1
    seen = [views(lingkaran, db) for db in copies]
    assert all(view == seen[0] for view in seen[1:])
    case = seen[0][("show", "1")]
    texts = {goal["text"]: goal for goal in case["goals"]}
    assert {"Earns and studies (paket B)", "Back at school with a mentor"} <= set(texts)
    assert sorted(goal["number"] for goal in case["goals"]) == [1, 2, 3, 4]
    for db in copies:
        assert goals_of_activities(db) == {"A": {goal_a}, "B": {goal_b}}
    problem = next(item for item in seen[0][("conflicts",)] if item["fact"] == ["problem"])
    assert {side["value"] for side in problem["sides"]} == {
        "Left school to work at the market",
        "Left school after bullying",
    }
    assert case["status"] == "closed" and case["problem"] == problem["sides"][-1]["value"]


def test_two_terminations_of_one_cycle_are_one_conflict_that_a_resolve_on_one_laptop_clears_on_both(
    cli, lingkaran, active_case, db_path, tmp_path, passphrase_file
):
    a, b = db_path, tmp_path / "b.db"
    shutil.copy(a, b)
    run(lingkaran, a, "terminate", "1", "--reason", "withdrew", "--summary", "Stopped coming")
    run(lingkaran, b, "terminate", "1", "--reason", "moved", "--summary", "Moved to Bekasi")
    report = carry(lingkaran, a, b, passphrase_file)
    assert len(report["conflicts"]) == 1
    carry(lingkaran, b, a, passphrase_file)
    for db in (a, b):
        found = json.loads(run(lingkaran, db, "conflicts", "--json"))
        assert [item["fact"] for item in found] == [["termination", 1]]
        shown = json.loads(run(lingkaran, db, "show", "1", "--json"))
        assert shown["status"] == "closed" and [mark["code"] for mark in shown["conflicts"]] == [found[0]["code"]]
        assert "In conflict" in run(lingkaran, db, "show", "1")
    code = found[0]["code"]
    moved = next(side["number"] for side in found[0]["sides"] if side["value"]["reason"] == "moved")
    run(lingkaran, b, "resolve", code, "--keep", str(moved))
    carry(lingkaran, b, a, passphrase_file)
    for db in (a, b):
        assert json.loads(run(lingkaran, db, "conflicts", "--json")) == []
        shown = json.loads(run(lingkaran, db, "show", "1", "--json"))
        assert shown["close_reason"] == "moved" and shown["conflicts"] == []
    assert views(lingkaran, a) == views(lingkaran, b)


def test_erasure_on_one_laptop_wins_over_a_note_written_offline_on_the_other(
    cli, lingkaran, active_case, db_path, tmp_path, passphrase_file
):
    a, b = db_path, tmp_path / "b.db"
    shutil.copy(a, b)
    old = tmp_path / "before-the-erasure.lkb"
    run(lingkaran, b, "bundle", old, "--passphrase-file", passphrase_file)
    run(lingkaran, a, "terminate", "1", "--reason", "withdrew", "--summary", "Stopped coming")
    run(lingkaran, a, "forget", "1", "--yes")
    run(lingkaran, b, "note", "1", "Siti told me about the Cakung flat")
    carry(lingkaran, a, b, passphrase_file)
    carry(lingkaran, b, a, passphrase_file)
    run(lingkaran, a, "import", old, "--passphrase-file", passphrase_file)
    for db in (a, b):
        written = b"".join(path.read_bytes() for path in db.parent.glob(f"{db.name}*"))
        for text in (b"Siti", b"Rahmawati", b"Cakung flat", b"Left school"):
            assert text not in written, (db, text)
        assert json.loads(run(lingkaran, db, "show", "1", "--json"))["erased"] is True
    assert views(lingkaran, a)[("log", "1")] == views(lingkaran, b)[("log", "1")]


def test_an_erasure_that_had_not_seen_a_reopening_cannot_erase_the_reopened_case(
    cli, lingkaran, active_case, db_path, tmp_path, passphrase_file
):
    a, b = db_path, tmp_path / "b.db"
    run(lingkaran, a, "terminate", "1", "--reason", "withdrew", "--summary", "Stopped coming")
    shutil.copy(a, b)
    run(lingkaran, a, "reopen", "1", "--reason", "Came back")
    run(lingkaran, b, "forget", "1", "--yes")
    bundle = tmp_path / "erased-on-b.lkb"
    run(lingkaran, b, "bundle", bundle, "--passphrase-file", passphrase_file)
    refused = lingkaran("--db", a, "import", bundle, "--passphrase-file", passphrase_file)
    assert refused.returncode == 4 and refused.stderr.count("\n") == 1
    assert json.loads(run(lingkaran, a, "show", "1", "--json"))["client"] == "Siti Rahmawati"
