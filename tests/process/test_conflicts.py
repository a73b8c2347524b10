"""Conflicts: single-valued facts two copies wrote without seeing each other keep every value until a person
decides; additive records never conflict; a merged history that breaks a cycle rule is applied and flagged."""

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from lingkaran.errors import ExitCode


@pytest.fixture
def laptops(cli, active_case, db_path, tmp_path) -> tuple[Path, Path]:
    """Two copies of one caseload (laptop B a `cp` of laptop A), case 1 active with two goals."""
    copy = tmp_path / "laptop-b.db"
    shutil.copy(db_path, copy)
    return db_path, copy


def exchange(cli, source: Path, target: Path, tmp_path: Path) -> dict:
    """Carry everything `source` holds to `target` in a plain bundle; the import's report."""
    bundle = tmp_path / f"{source.stem}-to-{target.stem}.lkb"
    bundle.unlink(missing_ok=True)
    cli.ok("--db", source, "bundle", bundle, "--plain")
    return cli.json("--db", target, "import", bundle)


def both_ways(cli, a: Path, b: Path, tmp_path: Path) -> None:
    exchange(cli, a, b, tmp_path)
    exchange(cli, b, a, tmp_path)


def conflicts(cli, db: Path) -> list[dict]:
    return cli.json("--db", db, "conflicts")


def shown(cli, db: Path, case: str = "1") -> dict:
    """`show --json` without this file's local ids (what two merged copies must agree on)."""
    return _without_ids(cli.json("--db", db, "show", case))


def _without_ids(value):
    if isinstance(value, dict):
        return {
            key: _without_ids(item)
            for key, item in value.items()
            if key not in ("id", "case_id", "team_id", "member_id", "referral_id")
        }
    if isinstance(value, list):
        return [_without_ids(item) for item in value]
    return value


def test_two_problem_statements_are_one_conflict_with_both_texts_on_both_copies(cli, laptops, tmp_path):
    a, b = laptops
    cli.ok("--db", a, "assess", "1", "--problem", "Left school to work at the market", "--date", "2026-06-10")
    cli.ok("--db", b, "assess", "1", "--problem", "Left school after bullying", "--date", "2026-06-11")
    both_ways(cli, a, b, tmp_path)
    found_a, found_b = conflicts(cli, a), conflicts(cli, b)
    assert found_a == found_b and len(found_a) == 1
    conflict = found_a[0]
    assert conflict["fact"] == ["problem"] and conflict["what"] == "the problem statement"
    assert {side["value"] for side in conflict["sides"]} == {
        "Left school to work at the market",
        "Left school after bullying",
    }
    assert all(side["device"] and side["occurred_on"] and side["recorded_at"] for side in conflict["sides"])
    provisional = conflict["sides"][conflict["provisional"] - 1]["value"]
    assert shown(cli, a)["problem"] == shown(cli, b)["problem"] == provisional
    assert shown(cli, a)["conflicts"] == [
        {"code": conflict["code"], "kind": "conflict", "what": "the problem statement"}
    ]
    assert shown(cli, a) == shown(cli, b)


def test_a_value_typed_to_settle_it_clears_the_conflict_on_both_copies(cli, laptops, tmp_path):
    a, b = laptops
    cli.ok("--db", a, "assess", "1", "--problem", "Works at the market", "--date", "2026-06-10")
    cli.ok("--db", b, "assess", "1", "--problem", "Bullied at school", "--date", "2026-06-10")
    both_ways(cli, a, b, tmp_path)
    code = conflicts(cli, b)[0]["code"]
    settled = cli.json("--db", b, "resolve", code[:6], "--value", "Bullied, then worked at the market")
    assert settled["code"] == code and settled["value"] == "Bullied, then worked at the market"
    assert conflicts(cli, b) == []
    report = exchange(cli, b, a, tmp_path)
    assert report["conflicts"] == [] and conflicts(cli, a) == []
    assert shown(cli, a)["problem"] == shown(cli, b)["problem"] == "Bullied, then worked at the market"
    assert shown(cli, a) == shown(cli, b)


def test_two_terminations_of_one_cycle_are_one_conflict_and_the_case_is_shown_closed(cli, laptops, tmp_path):
    a, b = laptops
    cli.ok("--db", a, "terminate", "1", "--reason", "withdrew", "--summary", "Stopped coming", "--date", "2026-06-10")
    cli.ok(
        "--db", b, "terminate", "1", "--reason", "moved", "--summary", "Family moved to Bekasi", "--date", "2026-06-11"
    )
    both_ways(cli, a, b, tmp_path)
    found = conflicts(cli, a)
    assert found == conflicts(cli, b) and len(found) == 1
    assert found[0]["fact"] == ["termination", 1] and found[0]["what"] == "the termination of cycle 1"
    assert {side["value"]["reason"] for side in found[0]["sides"]} == {"withdrew", "moved"}
    case_a = shown(cli, a)
    assert case_a["status"] == "closed" and case_a["conflicts"][0]["code"] == found[0]["code"]
    assert case_a["termination"]["reason"] == case_a["close_reason"]
    assert case_a == shown(cli, b)
    assert sqlite3.connect(a).execute("SELECT count(*) FROM terminations").fetchone()[0] == 1
    kept = next(side for side in found[0]["sides"] if side["value"]["reason"] == "withdrew")
    cli.ok("--db", a, "resolve", found[0]["code"], "--keep", kept["number"])
    exchange(cli, a, b, tmp_path)
    for db in (a, b):
        assert conflicts(cli, db) == []
        assert shown(cli, db)["close_reason"] == "withdrew" and shown(cli, db)["conflicts"] == []
    assert shown(cli, a) == shown(cli, b)


def test_an_activity_after_a_concurrent_termination_is_applied_and_flagged_for_review(cli, laptops, tmp_path):
    a, b = laptops
    cli.ok("--db", a, "terminate", "1", "--reason", "withdrew", "--summary", "Stopped coming", "--date", "2026-06-10")
    cli.ok(
        "--db",
        b,
        "intervene",
        "1",
        "--activity",
        "home-visit",
        "--note",
        "Visit nobody knew was too late",
        "--goal",
        "1",
        "--date",
        "2026-06-12",
    )
    cli.ok("--db", b, "monitor", "1", "--note", "Still going", "--progress", "1=0", "--date", "2026-06-13")
    both_ways(cli, a, b, tmp_path)
    for db in (a, b):
        case = shown(cli, db)
        assert case["status"] == "closed" and case["phase"] == "termination"
        assert "Visit nobody knew was too late" in [activity["note"] for activity in case["activities"]]
    found = conflicts(cli, a)
    assert found == conflicts(cli, b) and [item["kind"] for item in found] == ["review"]
    assert found[0]["fact"] == ["review", 1]
    assert found[0]["what"] == "2 records written after cycle 1 was closed on another copy"
    assert [(record["event_kind"], record["occurred_on"]) for record in found[0]["sides"]] == [
        ("intervene", "2026-06-12"),
        ("monitor", "2026-06-13"),
    ]
    refused = cli("--db", a, "resolve", found[0]["code"], "--value", "x")
    assert refused.exit_code == ExitCode.INVALID_INPUT and refused.stderr.count("\n") == 1
    cli.ok("--db", a, "resolve", found[0]["code"])
    exchange(cli, a, b, tmp_path)
    assert conflicts(cli, a) == conflicts(cli, b) == []


def test_additive_records_never_conflict(cli, laptops, tmp_path):
    a, b = laptops
    for db, who in ((a, "A"), (b, "B")):
        cli.ok("--db", db, "note", "1", f"Note from {who}", "--date", "2026-06-10")
        cli.ok(
            "--db",
            db,
            "intervene",
            "1",
            "--activity",
            "phone-call",
            "--note",
            f"Call by {who}",
            "--goal",
            "1",
            "--date",
            "2026-06-10",
        )
        cli.ok("--db", db, "member", "add", "1", f"Member {who}", "--role", "parent", "--date", "2026-06-10")
        cli.ok(
            "--db",
            db,
            "ecomap",
            "add",
            "1",
            f"School {who}",
            "--kind",
            "school",
            "--tie",
            "strong",
            "--date",
            "2026-06-10",
        )
        cli.ok("--db", db, "team", "add", "1", f"Worker {who}", "--role", "volunteer", "--date", "2026-06-10")
        cli.ok("--db", db, "monitor", "1", "--note", f"Seen by {who}", "--progress", "1=0", "--date", "2026-06-11")
    both_ways(cli, a, b, tmp_path)
    assert conflicts(cli, a) == conflicts(cli, b) == []
    case = shown(cli, a)
    assert {"Member A", "Member B"} <= {member["name"] for member in case["members"]}
    assert case == shown(cli, b)


@pytest.mark.parametrize(
    "write_a, write_b, fact",
    [
        (
            ("plan", "1", "--revise", "1=Back to school by July"),
            ("plan", "1", "--revise", "1=Back to school in August"),
            ["goal", None, "text"],
        ),
        (("plan", "1", "--weight", "1=2"), ("plan", "1", "--weight", "1=5"), ["goal", None, "weight"]),
        (
            ("consent", "1", "--withdrawn", "--date", "2026-06-10"),
            ("consent", "1", "--given", "--scope", "case management only", "--date", "2026-06-10"),
            ["consent"],
        ),
    ],
)
def test_concurrent_writes_of_one_fact_conflict(cli, laptops, tmp_path, write_a, write_b, fact):
    a, b = laptops
    cli.ok("--db", a, *write_a)
    cli.ok("--db", b, *write_b)
    both_ways(cli, a, b, tmp_path)
    found = conflicts(cli, a)
    assert found == conflicts(cli, b) and len(found) == 1
    assert [part for part, wanted in zip(found[0]["fact"], fact, strict=False) if wanted is not None] == [
        wanted for wanted in fact if wanted is not None
    ]
    assert shown(cli, a) == shown(cli, b)


def test_a_referral_answered_two_ways_conflicts(cli, laptops, tmp_path):
    a, b = laptops
    cli.ok("--db", a, "refer", "1", "--to", "LBH", "--service", "Legal aid", "--date", "2026-06-05")
    exchange(cli, a, b, tmp_path)
    cli.ok("--db", a, "referral", "update", "1", "--status", "accepted", "--date", "2026-06-10")
    cli.ok("--db", b, "referral", "update", "1", "--status", "declined", "--date", "2026-06-10")
    both_ways(cli, a, b, tmp_path)
    found = conflicts(cli, a)
    assert found == conflicts(cli, b) and found[0]["fact"][0] == "referral"
    assert sorted(side["shown"] for side in found[0]["sides"]) == ["accepted", "declined"]


def test_two_corrections_of_one_note_conflict_and_a_later_correction_settles_it(cli, laptops, tmp_path):
    a, b = laptops
    note = cli.json("--db", a, "note", "1", "Mother called", "--date", "2026-06-05")
    exchange(cli, a, b, tmp_path)
    cli.ok("--db", a, "amend", note["event_uuid"], "--note", "Mother called about fees", "--reason", "detail")
    cli.ok("--db", b, "amend", note["event_uuid"], "--note", "Father called", "--reason", "wrong parent")
    both_ways(cli, a, b, tmp_path)
    found = conflicts(cli, a)
    assert found == conflicts(cli, b) and found[0]["fact"][:2] == ["correction", "notes"]
    assert found[0]["what"].startswith("the correction of a note")
    cli.ok("--db", a, "amend", note["event_uuid"], "--note", "Both parents called", "--reason", "settled")
    assert conflicts(cli, a) == []  # written having seen both: it decided
    exchange(cli, a, b, tmp_path)
    assert conflicts(cli, b) == [] and shown(cli, b)["notes"][0]["text"] == "Both parents called"


def test_the_author_of_each_side_is_the_worker_on_that_laptop(cli, laptops, tmp_path, monkeypatch):
    a, b = laptops
    monkeypatch.setenv("LINGKARAN_WORKER", "Bu Dian")
    cli.ok("--db", a, "plan", "1", "--revise", "2=Talks daily")
    monkeypatch.setenv("LINGKARAN_WORKER", "Pak Hadi")
    cli.ok("--db", b, "plan", "1", "--revise", "2=Talks weekly")
    both_ways(cli, a, b, tmp_path)
    sides = conflicts(cli, a)[0]["sides"]
    assert {(side["author"], side["value"]) for side in sides} == {
        ("Bu Dian", "Talks daily"),
        ("Pak Hadi", "Talks weekly"),
    }


def test_resolve_refuses_in_one_line_what_it_cannot_do(cli, laptops, tmp_path):
    a, b = laptops
    cli.ok("--db", a, "terminate", "1", "--reason", "withdrew", "--summary", "A", "--date", "2026-06-10")
    cli.ok("--db", b, "terminate", "1", "--reason", "moved", "--summary", "B", "--date", "2026-06-10")
    both_ways(cli, a, b, tmp_path)
    code = conflicts(cli, a)[0]["code"]
    events_before = sqlite3.connect(a).execute("SELECT count(*) FROM events").fetchone()[0]
    for args, words in (
        (("ffffffff", "--keep", "1"), "no open conflict 'ffffffff'"),
        ((code, "--keep", "3"), "give --keep 1 to --keep 2"),
        ((code,), "give --keep 1 to --keep 2"),
        ((code, "--value", "Closed"), "settled by choosing a side"),
        ((code, "--keep", "1", "--value", "x"), "not both"),
    ):
        result = cli("--db", a, "resolve", *args)
        assert result.exit_code == ExitCode.INVALID_INPUT, args
        assert result.stderr.count("\n") == 1 and words in result.stderr, result.stderr
    assert sqlite3.connect(a).execute("SELECT count(*) FROM events").fetchone()[0] == events_before


def test_conflicts_and_resolve_through_the_installed_command(lingkaran, cli, laptops, tmp_path):
    a, b = laptops
    assert json.loads(lingkaran("--db", a, "conflicts", "--json").stdout) == []
    assert lingkaran("--db", a, "conflicts").stdout == "No conflicts: every copy's values agree.\n"
    cli.ok("--db", a, "assess", "1", "--problem", "At the market", "--date", "2026-06-10")
    cli.ok("--db", b, "assess", "1", "--problem", "Bullied", "--date", "2026-06-10")
    both_ways(cli, a, b, tmp_path)
    listed = lingkaran("--db", a, "conflicts", "1")
    assert listed.returncode == 0
    code = conflicts(cli, a)[0]["code"]
    assert f"[{code}]" in listed.stdout and "At the market" in listed.stdout and "Bullied" in listed.stdout
    assert f"lingkaran resolve {code} --keep N" in listed.stdout
    assert "In conflict" in lingkaran("--db", a, "show", "1").stdout
    done = lingkaran("--db", a, "resolve", code, "--keep", "1")
    assert done.returncode == 0 and "settled" in done.stdout
    assert json.loads(lingkaran("--db", a, "conflicts", "--json").stdout) == []


def test_a_fresh_copy_that_wrote_nothing_yet_takes_its_originals_bundle(cli, laptops, tmp_path):
    a, b = laptops
    cli.ok("--db", a, "note", "1", "Written on A after the copy")
    report = exchange(cli, a, b, tmp_path)
    assert report["events"] == 1
    assert cli.json("--db", a, "sync", "status")["device"] != cli.json("--db", b, "sync", "status")["device"]


def test_a_merge_that_renumbers_a_goal_says_so_and_its_activities_stay_on_it(cli, laptops, tmp_path):
    a, b = laptops
    cli.ok("--db", a, "plan", "1", "--goal", "Earns and studies")
    cli.ok("--db", b, "plan", "1", "--goal", "Back at school with a mentor")  # written later: replayed later
    cli.ok("--db", b, "intervene", "1", "--activity", "home-visit", "--note", "Met the mentor", "--goal", "3")
    twin = tmp_path / "laptop-b-twin.db"
    shutil.copy(b, twin)
    report = exchange(cli, a, b, tmp_path)
    assert [(item["kind"], item["text"], item["was"], item["now"]) for item in report["renumbered"]] == [
        ("goal", "Back at school with a mentor", 3, 4)
    ]
    said = cli.ok("--db", twin, "import", tmp_path / "caseload-to-laptop-b.lkb").stdout
    assert "Case 1: goal 3 'Back at school with a mentor' is now goal 4." in said
    exchange(cli, b, a, tmp_path)
    for db in (a, b):
        goals = {goal["number"]: goal for goal in shown(cli, db)["goals"]}
        assert (goals[3]["text"], goals[4]["text"]) == ("Earns and studies", "Back at school with a mentor")
        assert shown(cli, db)["activities"][0]["goal_numbers"] == [4]


def test_two_different_decisions_made_before_exchanging_are_one_new_conflict(cli, laptops, tmp_path):
    a, b = laptops
    cli.ok("--db", a, "assess", "1", "--problem", "At the market")
    cli.ok("--db", b, "assess", "1", "--problem", "Bullied")
    both_ways(cli, a, b, tmp_path)
    code = conflicts(cli, a)[0]["code"]
    cli.ok("--db", a, "resolve", code, "--keep", "1")
    cli.ok("--db", b, "resolve", code, "--value", "Bullied, then at the market")
    both_ways(cli, a, b, tmp_path)
    found = conflicts(cli, a)
    assert found == conflicts(cli, b) and [item["code"] for item in found] == [code]
    assert {side["event_kind"] for side in found[0]["sides"]} == {"resolve"}
