"""The intervention system (`team`, `intervene --by`, contact minutes) and referrals out (`refer`, `referral`)."""

import json
import sqlite3

import pytest

from lingkaran.errors import ExitCode
from lingkaran.store import helping_system as store
from lingkaran.store.database import connect
from tests.helpers import refused


def test_team_add_list_remove(cli, opened_case):
    added = cli.json(
        "team",
        "add",
        opened_case,
        "Dr. Ahmad",
        "--role",
        "doctor",
        "--agency",
        "Puskesmas Cakung",
        "--contact",
        "0812-555",
    )
    assert added["role"] == "doctor" and added["agency"] == "Puskesmas Cakung"
    cli.ok("team", "add", opened_case, "Rina", "--role", "social worker")
    assert [(p["name"], p["role"]) for p in cli.json("team", "list", opened_case)] == [
        ("Dr. Ahmad", "doctor"),
        ("Rina", "social-worker"),
    ]
    cli.ok("team", "remove", opened_case, "dr. ahmad", "--reason", "Treatment ended")
    assert [p["name"] for p in cli.json("team", "list", opened_case)] == ["Rina"]
    assert len(cli.json("team", "list", opened_case, "--all")) == 2
    assert "Rina" in cli.ok("team", "list", opened_case).stdout


def test_an_unknown_team_role_lists_the_roles(cli, db_path, opened_case):
    message = refused(cli, db_path, ExitCode.INVALID_INPUT, "team", "add", opened_case, "X", "--role", "wizard")
    assert "psychologist" in message and "community-leader" in message


def test_intervene_by_a_team_member_links_the_activity(cli, db_path, planned_case):
    cli.ok("team", "add", planned_case, "Dr. Ahmad", "--role", "doctor")
    linked = cli.json(
        "intervene", planned_case, "--activity", "counselling", "--note", "n", "--by", "dr. ahmad", "--minutes", "30"
    )
    assert linked["by"] == "Dr. Ahmad" and linked["team_uuid"] == cli.json("team", "list", planned_case)[0]["uuid"]
    unlinked = cli.json(
        "intervene", planned_case, "--activity", "phone-call", "--note", "n", "--by", "Pak RT", "--minutes", "5"
    )
    assert unlinked["by"] == "Pak RT" and unlinked["team_uuid"] is None
    team_ids = [row[0] for row in sqlite3.connect(db_path).execute("SELECT team_id FROM activities ORDER BY id")]
    assert team_ids[0] is not None and team_ids[1] is None


def test_the_workers_own_name_from_config_is_the_default_by(cli, planned_case):
    cli.ok("config", "set", "worker", "Rina")
    cli.ok("team", "add", planned_case, "Rina", "--role", "social-worker")
    activity = cli.json("intervene", planned_case, "--activity", "home-visit", "--note", "n", "--minutes", "45")
    assert activity["by"] == "Rina" and activity["team_uuid"] is not None


def test_contact_minutes_by_team_member_and_role(cli, db_path, planned_case):
    cli.ok("team", "add", planned_case, "Rina", "--role", "social-worker")
    cli.ok("team", "add", planned_case, "Dr. Ahmad", "--role", "doctor")
    for by, minutes in (("Rina", 60), ("rina", 30), ("Dr. Ahmad", 45), ("Pak RT", 10)):
        cli.ok(
            "intervene", planned_case, "--activity", "home-visit", "--note", "n", "--by", by, "--minutes", str(minutes)
        )
    shown = cli.json("show", planned_case)
    assert shown["contact_minutes"]["by_person"] == [
        {"name": "Rina", "role": "social-worker", "activities": 2, "minutes": 90},
        {"name": "Dr. Ahmad", "role": "doctor", "activities": 1, "minutes": 45},
        {"name": "Pak RT", "role": None, "activities": 1, "minutes": 10},
    ]
    assert [(r["role"], r["minutes"]) for r in shown["contact_minutes"]["by_role"]] == [
        ("social-worker", 90),
        ("doctor", 45),
        (None, 10),
    ]
    assert {p["name"]: p["minutes"] for p in shown["team"]} == {"Rina": 90, "Dr. Ahmad": 45}
    conn = connect(db_path)
    assert sum(row["minutes"] for row in store.contact_minutes(conn)) == 145  # the whole caseload
    assert "social-worker 90 · doctor 45 · not on the team 10" in cli.ok("show", planned_case).stdout


def test_refer_records_a_sent_referral(cli, opened_case):
    referral = cli.json(
        "refer",
        opened_case,
        "--to",
        "LBH Jakarta",
        "--service",
        "Legal aid",
        "--contact",
        "Bu Ratna",
        "--due",
        "2026-06-30",
    )
    assert referral["status"] == "sent" and referral["due_on"] == "2026-06-30"
    assert referral["consent_override"] is None
    shown = cli.json("show", opened_case)["referrals"]
    assert [(r["agency"], r["status"], r["overdue"]) for r in shown] == [("LBH Jakarta", "sent", False)]


def test_referring_needs_current_consent(cli, db_path):
    case = str(cli.json("open", "Ani", "--level", "mikro", "--problem", "p", "--no-consent")["id"])
    message = refused(cli, db_path, ExitCode.STEP_REFUSED, "refer", case, "--to", "Shelter", "--service", "Bed")
    assert "consent" in message and "--force" in message
    refused(cli, db_path, ExitCode.INVALID_INPUT, "refer", case, "--to", "Shelter", "--service", "Bed", "--force")
    forced = cli.json("refer", case, "--to", "Shelter", "--service", "Bed", "--force", "--reason", "Child at risk")
    assert forced["consent_override"] == "Child at risk"
    event = cli.json("log", case)[-1]
    assert event["kind"] == "refer" and event["data"]["consent_override"] == "Child at risk"


@pytest.mark.parametrize(
    "args",
    [
        ["refer", "{case}", "--to", "X"],  # no --service
        ["refer", "{case}", "--to", "X", "--service", "Y", "--due", "2026-06-01"],  # due before referring
        ["refer", "{case}", "--to", "X", "--service", "Y", "--reason", "why"],  # --reason without --force
        ["referral", "update", "99", "--status", "accepted"],
        ["referral", "update", "1", "--status", "lost"],
    ],
)
def test_bad_referral_commands_are_exit_2_and_write_nothing(cli, db_path, opened_case, args):
    cli.ok("refer", opened_case, "--to", "A", "--service", "S")
    refused(cli, db_path, ExitCode.INVALID_INPUT, *[arg.format(case=opened_case) for arg in args])


def test_a_referral_moves_through_its_statuses_each_an_event(cli, db_path, opened_case):
    number = str(cli.json("refer", opened_case, "--to", "Puskesmas", "--service", "Check-up")["referral_id"])
    refused(cli, db_path, ExitCode.STEP_REFUSED, "referral", "update", number, "--status", "completed")
    cli.ok("referral", "update", number, "--status", "accepted", "--note", "Appointment on Monday")
    done = cli.json("referral", "update", number, "--status", "completed", "--note", "Seen")
    assert done["from"] == "accepted" and done["status"] == "completed"
    refused(cli, db_path, ExitCode.STEP_REFUSED, "referral", "update", number, "--status", "declined")
    updates = [e["data"] for e in cli.json("log", opened_case) if e["kind"] == "referral-update"]
    assert [(u["from"], u["status"], u["note"]) for u in updates] == [
        ("sent", "accepted", "Appointment on Monday"),
        ("accepted", "completed", "Seen"),
    ]


def test_open_referrals_past_due_are_listed_for_the_dashboard_and_flagged_in_show(cli, db_path, opened_case):
    late = str(
        cli.json("refer", opened_case, "--to", "Late", "--service", "S", "--due", "2026-06-10", "--date", "2026-06-02")[
            "referral_id"
        ]
    )
    cli.ok("refer", opened_case, "--to", "On time", "--service", "S", "--due", "2026-07-01")
    answered = str(
        cli.json(
            "refer", opened_case, "--to", "Answered", "--service", "S", "--due", "2026-06-05", "--date", "2026-06-02"
        )["referral_id"]
    )
    cli.ok("referral", "update", answered, "--status", "declined")
    overdue = store.overdue_referrals(connect(db_path), "2026-06-15")
    assert [(r["id"], r["agency"], r["client"], r["days_overdue"]) for r in overdue] == [
        (int(late), "Late", "Siti Rahmawati", 5)
    ]
    assert [r["agency"] for r in cli.json("referral", "list", "--overdue")] == ["Late"]
    assert {r["agency"]: r["overdue"] for r in cli.json("show", opened_case)["referrals"]} == {
        "Late": True,
        "On time": False,
        "Answered": False,
    }
    assert "⚠ 10 Jun 2026" in cli.ok("show", opened_case).stdout
    assert [r["agency"] for r in cli.json("referral", "list", opened_case, "--open")] == ["On time", "Late"]


def test_a_referred_termination_links_to_the_latest_open_referral(cli, db_path, opened_case):
    first = cli.json("refer", opened_case, "--to", "Shelter", "--service", "Bed", "--date", "2026-06-02")
    second = cli.json("refer", opened_case, "--to", "LBH", "--service", "Legal aid", "--date", "2026-06-03")
    closed = cli.json("terminate", opened_case, "--reason", "referred", "--summary", "To LBH")
    assert closed["referral_uuid"] == second["referral_uuid"] and closed["referral_id"] == second["referral_id"]
    stored = sqlite3.connect(db_path).execute("SELECT referral_id FROM terminations").fetchone()[0]
    assert stored == second["referral_id"] != first["referral_id"]
    assert cli.json("show", opened_case)["termination"]["referral_id"] == second["referral_id"]
    # the referral's outcome can still be recorded after the case closed
    cli.ok("referral", "update", str(second["referral_id"]), "--status", "accepted")


def test_terminate_can_name_the_referral_and_checks_it(cli, db_path, opened_case, family_case):
    mine = cli.json("refer", opened_case, "--to", "Shelter", "--service", "Bed")
    other = cli.json("refer", family_case, "--to", "LBH", "--service", "Legal aid")
    assert "belongs to case" in refused(
        cli,
        db_path,
        ExitCode.INVALID_INPUT,
        "terminate",
        opened_case,
        "--reason",
        "referred",
        "--summary",
        "s",
        "--referral",
        str(other["referral_id"]),
    )
    assert "--reason referred" in refused(
        cli,
        db_path,
        ExitCode.INVALID_INPUT,
        "terminate",
        opened_case,
        "--reason",
        "moved",
        "--summary",
        "s",
        "--referral",
        str(mine["referral_id"]),
    )
    closed = cli.json(
        "terminate", opened_case, "--reason", "referred", "--summary", "s", "--referral", mine["referral_uuid"][:8]
    )
    assert closed["referral_id"] == mine["referral_id"]


def test_a_referred_termination_without_referrals_links_to_none(cli, opened_case):
    assert cli.json("terminate", opened_case, "--reason", "referred", "--summary", "s")["referral_id"] is None


def test_a_closed_case_cannot_be_referred_or_get_new_members(cli, db_path, opened_case):
    cli.ok("terminate", opened_case, "--reason", "moved", "--summary", "s")
    for args in (
        ["refer", opened_case, "--to", "A", "--service", "S"],
        ["team", "add", opened_case, "X", "--role", "doctor"],
        ["member", "add", opened_case, "X", "--role", "y"],
    ):
        assert "reopen" in refused(cli, db_path, ExitCode.STEP_REFUSED, *args)


@pytest.fixture
def family_case(cli) -> str:
    return str(cli.json("open", "Keluarga Hartono", "--level", "mezzo", "--problem", "p", "--consent")["id"])


def test_the_helping_system_as_real_processes(lingkaran, db_path):
    def run(*args):
        result = lingkaran(*args, "--json")
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    family = run("open", "Keluarga Hartono", "--level", "mezzo", "--problem", "Eviction", "--consent")["id"]
    child = run("open", "Budi", "--level", "mikro", "--problem", "Left school", "--consent", "--part-of", str(family))
    run("member", "add", str(family), "Budi", "--role", "son")
    run("team", "add", str(family), "Rina", "--role", "social-worker")
    referral = run("refer", str(child["id"]), "--to", "SLB", "--service", "Special school place")
    run("referral", "update", str(referral["referral_id"]), "--status", "accepted")
    closed = run("terminate", str(child["id"]), "--reason", "referred", "--summary", "Placed at SLB")
    assert closed["referral_id"] == referral["referral_id"]
    shown = run("show", str(family))
    assert shown["parts"][0]["status"] == "closed" and shown["members"][0]["name"] == "Budi"
    no_consent = lingkaran("refer", str(family), "--to", "X", "--service", "Y")
    assert no_consent.returncode == 0, "the family case has consent"
    bare = run("open", "Ani", "--level", "mikro", "--problem", "p")
    gate = lingkaran("refer", str(bare["id"]), "--to", "X", "--service", "Y")
    assert gate.returncode == ExitCode.STEP_REFUSED and gate.stderr.count("\n") == 1 and gate.stdout == ""
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
