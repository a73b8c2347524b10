"""Every contact counts from the first day: `contact` records visits and sessions before a plan (moving no
step), a joint visit credits everyone who went, a group session keeps its number of participants."""

import json

import pytest


def test_a_contact_before_any_plan_counts_and_moves_no_step(cli, opened_case):
    cli.ok("team", "add", opened_case, "Dr Wati", "--role", "psikolog", "--date", "2026-06-01")
    result = cli.json(
        "contact",
        opened_case,
        "--activity",
        "intake",
        "--note",
        "Intake visit at home",
        "--minutes",
        "90",
        "--by",
        "Rina",
        "--date",
        "2026-06-02",
    )
    assert result["phase"] == "engagement" and result["kind"] == "intake" and result["by"] == "Rina"
    cli.ok(
        "contact",
        opened_case,
        "--activity",
        "sesi-asesmen",
        "--note",
        "Psychological assessment",
        "--minutes",
        "60",
        "--by",
        "Dr Wati",
        "--date",
        "2026-06-03",
    )
    shown = cli.json("show", opened_case)
    assert shown["phase"] == "engagement" and shown["last_contact_on"] == "2026-06-03"
    assert [activity["recorded_as"] for activity in shown["activities"]] == ["contact", "contact"]
    figures = cli.json("stats")
    assert {
        row["kind"]: (row["contacts"], row["minutes"], row["recorded_as_contact"])
        for row in figures["contacts_by_kind"]
    } == {"intake": (1, 90, 1), "assessment-session": (1, 60, 1)}
    assert {row["role"]: row["minutes"] for row in figures["contact_minutes_by_role"]} == {"psychologist": 60, None: 90}
    assert cli.json("log", opened_case)[-1]["kind"] == "contact"


def test_a_contact_is_not_intervention_for_the_cycles_rules(cli, planned_case):
    cli.ok("contact", planned_case, "--activity", "phone-call", "--note", "Called her mother", "--date", "2026-06-04")
    assert cli.json("show", planned_case)["phase"] == "planning"
    refused = cli("monitor", planned_case, "--note", "How is it going")
    assert refused.exit_code == 4 and "needs Intervention first" in refused.stderr
    refused = cli("evaluate", planned_case, "--score", "1=0", "--score", "2=0", "--decision", "continue")
    assert refused.exit_code == 4


def test_a_contact_during_intervention_keeps_the_step_too(cli, active_case):
    cli.ok("monitor", active_case, "--note", "Going well", "--date", "2026-06-05")
    cli.ok("contact", active_case, "--activity", "phone-call", "--note", "Reminder", "--date", "2026-06-06")
    assert cli.json("show", active_case)["phase"] == "monitoring"


def test_a_joint_visit_credits_everyone_who_went(cli, planned_case):
    for name, role in (("Rina", "social-worker"), ("Pak Bambang", "community-leader")):
        cli.ok("team", "add", planned_case, name, "--role", role, "--date", "2026-06-03")
    result = cli.json(
        "intervene",
        planned_case,
        "--activity",
        "home-visit",
        "--note",
        "Visited together",
        "--goal",
        "1",
        "--minutes",
        "60",
        "--by",
        "Rina",
        "--by",
        "Pak Bambang",
        "--by",
        "rina",
        "--date",
        "2026-06-04",
    )
    assert result["by"] == "Rina" and [person["name"] for person in result["with"]] == ["Pak Bambang"]
    team = {person["name"]: person["minutes"] for person in cli.json("team", "list", planned_case)}
    assert team == {"Rina": 60, "Pak Bambang": 60}
    by_person = {
        row["name"]: (row["activities"], row["minutes"]) for row in cli.json("stats")["contact_minutes_by_person"]
    }
    assert by_person == {"Rina": (1, 60), "Pak Bambang": (1, 60)}
    assert cli.json("stats")["contacts_by_kind"][0]["minutes"] == 60  # the client had one hour of contact
    assert "(by Rina, Pak Bambang)" in cli.ok("log", planned_case).stdout


def test_a_group_session_records_its_participants(cli, planned_case, lingkaran):
    result = cli.json(
        "intervene",
        planned_case,
        "--activity",
        "group-session",
        "--note",
        "Parenting class",
        "--participants",
        "14",
        "--minutes",
        "120",
        "--date",
        "2026-06-04",
    )
    assert result["participants"] == 14 and result["phase"] == "intervention"
    process = lingkaran(
        "contact",
        planned_case,
        "--activity",
        "group-session",
        "--note",
        "Youth group",
        "--participants",
        "9",
        "--date",
        "2026-06-05",
    )
    assert process.returncode == 0 and "recorded as a contact" in process.stdout
    row = cli.json("stats")["contacts_by_kind"][0]
    assert (row["kind"], row["contacts"], row["participants"]) == ("group-session", 2, 23)
    assert "Participants" in cli.ok("stats").stdout
    assert "(14 participants)" in cli.ok("log", planned_case).stdout


@pytest.mark.parametrize(
    "flags, code, problem",
    [
        (["--participants", "0"], 2, "--participants: 0 is not a number of people"),
        (["--date", "2026-05-01"], 2, "is before case 1 was opened"),
        (["--date", "2026-06-16"], 2, "is in the future"),
        (["--activity", "nap"], 2, "--activity 'nap' is not valid"),
    ],
)
def test_a_bad_contact_is_refused_in_one_line_and_nothing_is_written(cli, opened_case, flags, code, problem):
    args = ["contact", opened_case, "--activity", "intake", "--note", "x", *flags]
    if "--activity" in flags:
        args = ["contact", opened_case, "--note", "x", *flags]
    result = cli(*args)
    assert result.exit_code == code and result.stderr.count("\n") == 1 and problem in result.stderr, result.stderr
    assert [event["kind"] for event in cli.json("log", opened_case)] == ["open"]


def test_contact_names_what_is_missing_without_a_terminal(lingkaran, cli, opened_case):
    process = lingkaran("contact", opened_case)
    assert process.returncode == 2 and "missing --activity, --note" in process.stderr


def test_a_contact_can_be_corrected_and_travels_in_an_export(cli, opened_case, tmp_path):
    cli.ok("team", "add", opened_case, "Dr Wati", "--role", "psychologist")
    contact = cli.json(
        "contact", opened_case, "--activity", "intake", "--note", "Intake", "--by", "Rina", "--by", "Dr Wati"
    )
    amended = cli.json(
        "amend", contact["event_uuid"][:8], "--note", "Intake visit with her aunt", "--reason", "aunt was there"
    )
    assert amended["amends_kind"] == "contact" and amended["previous"] == "Intake"
    exported = tmp_path / "export.json"
    cli.ok("export", "-o", exported)
    assert any(item["table"] == "activity_workers" for item in json.loads(exported.read_text())["records"])
    other = tmp_path / "other.db"
    result = cli.runner.invoke(
        __import__("lingkaran.cli.app", fromlist=["app"]).app, ["--db", str(other), "import", str(exported), "--json"]
    )
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["imported"]["activity_workers"] == 1


def test_lingkaran_worker_is_who_went_when_no_by_is_given(cli, opened_case, monkeypatch):
    monkeypatch.setenv("LINGKARAN_WORKER", "Rina Wulandari")
    assert cli.json("contact", opened_case, "--activity", "intake", "--note", "x")["by"] == "Rina Wulandari"
    assert cli.json("contact", opened_case, "--activity", "intake", "--note", "x", "--by", "Ana")["by"] == "Ana"


def test_contact_speaks_indonesian(cli, opened_case):
    out = cli.ok("--lang", "id", "contact", opened_case, "--activity", "pendekatan-awal", "--note", "Kunjungan awal")
    assert "Kasus 1: pendekatan awal dicatat sebagai kontak" in out.stdout and "Now:" not in out.stdout
