"""list, show, log and the demo, for people and for scripts."""

from lingkaran.render.plain import strip
from lingkaran.render.rich_views import ring


def test_list_json_is_an_empty_array_on_an_empty_caseload(cli):
    assert cli.json("list") == []


def test_list_shows_active_cases_unless_all(cli, active_case):
    cli.ok("open", "Closed one", "--level", "makro", "--problem", "p")
    cli.ok("terminate", "2", "--reason", "other", "--summary", "s")
    assert [case["id"] for case in cli.json("list")] == [1]
    assert [case["id"] for case in cli.json("list", "--all")] == [1, 2]
    assert [case["id"] for case in cli.json("list", "--all", "--level", "macro")] == [2]
    assert cli.json("list", "--phase", "intervention")[0]["goals"][0]["number"] == 1


def test_show_json_has_the_documented_case_fields(cli, active_case):
    shown = cli.json("show", active_case)
    for field in ("id", "uuid", "client", "level", "phase", "status", "cycle", "opened_on", "closed_on", "goals"):
        assert field in shown
    assert {"number", "text", "weight", "latest_level"} <= set(shown["goals"][0])
    assert shown["reached_on"] == {
        "engagement": "2026-06-01",
        "assessment": "2026-06-02",
        "planning": "2026-06-03",
        "intervention": "2026-06-04",
    }


def test_show_draws_the_ring_within_80_columns_without_colour(cli, active_case):
    output = cli.ok("show", active_case).stdout
    assert max(len(line) for line in output.splitlines()) <= 80
    assert "◉ Intervention" in output and "● Planning" in output and "○ Evaluation" in output
    assert "\x1b[" not in output  # NO_COLOR: the marks alone carry the meaning
    assert "cycle 1" in output and "Siti Rahmawati" in output


def test_the_ring_places_the_steps_around_a_circle():
    lines = ring("monitoring", "active", 2, {"engagement": "2026-01-01"}).plain.splitlines()
    row_of = {
        name: next(i for i, line in enumerate(lines) if name in line)
        for name in ("Engagement", "Assessment", "Planning", "Intervention", "Evaluation", "Termination")
    }
    assert row_of["Engagement"] < row_of["Assessment"] < row_of["Planning"] < row_of["Intervention"]
    assert row_of["Termination"] < row_of["Evaluation"] < row_of["Intervention"]
    assert lines[row_of["Assessment"]].index("Assessment") > lines[row_of["Termination"]].index("Termination")
    assert any("↻ ◉ Monitoring" in line for line in lines)


def test_the_strip_marks_done_now_and_to_come():
    assert strip("planning", "active") == "●●◉○○○ "
    assert strip("monitoring", "active") == "●●●◉○○↻"
    assert strip("termination", "closed") == "●●●●●● "


def test_log_json_is_the_timeline_oldest_first(cli, active_case):
    events = cli.json("log", active_case)
    assert [event["kind"] for event in events] == ["open", "assess", "plan", "intervene"]
    assert events[2]["data"]["added"][0]["text"] == "Back to school"
    assert all(len(event["uuid"]) == 36 for event in events)


def test_log_for_people_names_each_step(cli, active_case):
    output = cli.ok("log", active_case).stdout
    for word in ("Engagement", "Assessment", "Planning", "Intervention", "home-visit"):
        assert word in output


def test_no_command_shows_the_caseload(cli, opened_case):
    assert "Siti Rahmawati" in cli.ok().stdout


def test_version(cli):
    assert cli.ok("--version").stdout.startswith("lingkaran ")


def test_demo_builds_a_dozen_cases_in_its_own_file_and_leaves_the_real_caseload_alone(cli, tmp_path, db_path):
    output = cli.ok("demo").stdout
    assert "Wulan Sari" in output and "cycle 1" in output
    assert not db_path.exists()
    demo_db = tmp_path / "data" / "lingkaran" / "demo.db"
    cases = cli.json("--db", demo_db, "list", "--all")
    assert len(cases) == 12
    assert {case["level"] for case in cases} == {"mikro", "mezzo", "makro"}
    assert {case["phase"] for case in cases} >= {
        "engagement",
        "assessment",
        "planning",
        "intervention",
        "monitoring",
        "evaluation",
        "termination",
    }
    cli.ok("demo")
    assert len(cli.json("--db", demo_db, "list", "--all")) == 12, "a second demo starts afresh"


def test_demo_shows_the_helping_system_too(cli, tmp_path):
    cli.ok("demo")
    demo_db = tmp_path / "data" / "lingkaran" / "demo.db"
    cases = {case["client"]: case for case in cli.json("--db", demo_db, "list", "--all")}
    assert cases["Hartono family"]["members"] >= 3 and cases["Sukamaju hamlet"]["members"] >= 3
    budi = cli.json("--db", demo_db, "show", str(cases["Budi Santoso"]["id"]))
    assert [parent["client"] for parent in budi["part_of"]] == ["Hartono family"]
    wulan = cli.json("--db", demo_db, "show", str(cases["Wulan Sari"]["id"]))
    assert {"psychologist", "teacher"} <= {person["role"] for person in wulan["team"]}
    assert wulan["ecomap_systems"] == 8 and wulan["notes"]
    assert [(r["status"], r["overdue"]) for r in wulan["referrals"]] == [("sent", True)]
    ani = cli.json("--db", demo_db, "show", str(cases["Ani Lestari"]["id"]))
    assert ani["referrals"][0]["status"] == "accepted" and ani["termination"]["referral_id"]
    changes = cli.json("--db", demo_db, "ecomap", str(cases["Wulan Sari"]["id"]), "--compare")["changes"]
    assert {row["change"] for row in changes} >= {"new", "stronger", "same"}
    assert [row["client"] for row in cli.json("--db", demo_db, "dashboard")["overdue_referrals"]] == ["Wulan Sari"]


def test_the_demo_card_marks_its_overdue_referral_as_show_does(cli, tmp_path):
    card = cli.ok("demo").stdout
    referrals = card[card.index("Referrals") :]
    assert "⚠" in referrals.split("Ecomap")[0]  # Wulan's referral to the allowance office, due weeks ago


def test_demo_refuses_an_existing_file_named_with_db(cli, db_path, opened_case):
    result = cli("--db", db_path, "demo")
    assert result.exit_code == 2 and "already exists" in result.stderr
    assert len(cli.json("list")) == 1
