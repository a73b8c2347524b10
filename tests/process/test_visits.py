"""Planned visits: a schedule per case and for the worker, shown by `due` and the dashboard, turned into a
recorded activity by one command, and exported as an iCalendar file a phone reads."""

import datetime as dt
import stat
import subprocess

import icalendar
import pytest

from tests.helpers import LINGKARAN


@pytest.fixture
def visit(cli, opened_case) -> str:
    """A home visit planned for tomorrow at 09:30; returns its number."""
    planned = cli.json(
        "visit",
        "plan",
        opened_case,
        "--on",
        "2026-06-16",
        "--at",
        "9:30",
        "--place",
        "Kp. Rawa RT 02, rumah nenek",
        "--by",
        "Rina",
        "--purpose",
        "Meet her grandmother; school letter",
    )
    return str(planned["visit_id"])


def test_a_visit_is_planned_with_day_time_place_who_and_why(cli, opened_case, visit):
    shown = cli.json("show", opened_case)
    assert shown["visits"] == [
        {
            "id": int(visit),
            "uuid": shown["visits"][0]["uuid"],
            "planned_on": "2026-06-16",
            "at": "09:30",
            "place": "Kp. Rawa RT 02, rumah nenek",
            "purpose": "Meet her grandmother; school letter",
            "kind": "home-visit",
            "by_names": ["Rina"],
            "minutes": None,
        }
    ]
    assert shown["phase"] == "engagement"
    assert "Next visit  Tue 16 Jun 2026 09:30 · Kp. Rawa" in cli.ok("show", opened_case).stdout
    assert "visit 1 planned for 16 Jun 2026 09:30" in cli.ok("log", opened_case).stdout


@pytest.mark.parametrize(
    "flags, code, problem",
    [
        (["--on", "2026-06-14"], 2, "--on 2026-06-14 is in the past"),
        (["--on", "2026-06-16", "--at", "25:00"], 2, "--at '25:00' is not a time"),
        (["--on", "someday"], 2, "--on 'someday' is not a date"),
        ([], 2, "missing --on"),
        (["--on", "2026-06-16", "--activity", "nap"], 2, "--activity 'nap' is not valid"),
    ],
)
def test_a_bad_plan_is_refused_in_one_line_and_nothing_is_written(cli, opened_case, flags, code, problem):
    result = cli("visit", "plan", opened_case, *flags)
    assert result.exit_code == code and result.stderr.count("\n") == 1 and problem in result.stderr, result.stderr
    assert cli.json("visit", "list", "--all") == []


def test_a_closed_case_takes_no_new_visit(cli, opened_case):
    cli.ok("terminate", opened_case, "--reason", "moved", "--summary", "Moved away")
    result = cli("visit", "plan", opened_case, "--on", "2026-06-16")
    assert result.exit_code == 4 and "is closed" in result.stderr


def test_the_schedule_lists_planned_visits_missed_ones_first_and_this_week(cli, opened_case, visit, monkeypatch):
    cli.ok("visit", "plan", opened_case, "--on", "2026-06-30", "--by", "Ana")
    assert [item["planned_on"] for item in cli.json("visit", "list")] == ["2026-06-16", "2026-06-30"]
    assert [item["planned_on"] for item in cli.json("visit", "list", "--week")] == ["2026-06-16"]
    assert [item["by"] for item in cli.json("visit", "list", "--by", "ana")] == [["Ana"]]
    monkeypatch.setenv("LINGKARAN_TODAY", "2026-06-18")
    listed = cli.json("visit", "list", "--week")
    assert [(item["id"], item["missed"]) for item in listed] == [(int(visit), True)]
    text = cli.ok("visit", "list", "--week").stdout
    assert text.startswith("! Tue 16 Jun 2026 09:30") and f"→ lingkaran visit done {visit} --note TEXT" in text


def test_due_and_the_dashboard_show_this_weeks_visits(cli, opened_case, visit, monkeypatch):
    cli.ok("visit", "plan", opened_case, "--on", "2026-06-30")
    due = [item for item in cli.json("due") if item["kind"] == "visit"]
    assert [(item["visit_id"], item["at"], item["command"]) for item in due] == [
        (int(visit), "09:30", f"lingkaran visit done {visit} --note TEXT")
    ]
    assert "visit at 09:30 · Kp. Rawa" in cli.ok("due").stdout
    week = cli.json("dashboard")["visits_this_week"]
    assert [(row["id"], row["visit_id"], row["missed"]) for row in week] == [(int(opened_case), int(visit), False)]
    assert "Visits this week (1)" in cli.ok("dashboard").stdout
    monkeypatch.setenv("LINGKARAN_TODAY", "2026-06-17")
    assert "missed: Tue 16 Jun 2026 09:30" in cli.ok("dashboard").stdout
    assert [item["overdue"] for item in cli.json("due") if item["kind"] == "visit"] == [True]


def test_a_visit_before_a_plan_is_done_as_a_contact(cli, opened_case, visit, monkeypatch):
    monkeypatch.setenv("LINGKARAN_TODAY", "2026-06-16")
    result = cli.json("visit", "done", visit, "--note", "Met her grandmother", "--minutes", "75")
    assert (result["recorded_as"], result["phase"], result["kind"]) == ("contact", "engagement", "home-visit")
    shown = cli.json("show", opened_case)
    assert shown["activities"][0]["occurred_on"] == "2026-06-16" and shown["activities"][0]["by_name"] == "Rina"
    assert shown["visits"] == [] and shown["last_contact_on"] == "2026-06-16"
    assert [item["status"] for item in cli.json("visit", "list", "--all")] == ["done"]
    assert [event["kind"] for event in cli.json("log", opened_case)][-2:] == ["contact", "visit-done"]
    again = cli("visit", "done", visit, "--note", "again")
    assert again.exit_code == 4 and "is already done" in again.stderr


def test_a_visit_once_a_plan_is_in_force_is_done_as_an_intervention(cli, planned_case, monkeypatch):
    for name in ("Rina", "Pak Bambang"):
        cli.ok("team", "add", planned_case, name, "--role", "social-worker")
    planned = cli.json(
        "visit", "plan", planned_case, "--on", "2026-06-15", "--by", "Rina", "--by", "Pak Bambang", "--minutes", "45"
    )
    result = cli.json("visit", "done", str(planned["visit_id"]), "--note", "Talked with the teacher", "--goal", "1")
    assert (result["recorded_as"], result["phase"], result["goals"]) == ("intervene", "intervention", [1])
    assert {person["name"]: person["minutes"] for person in cli.json("team", "list", planned_case)} == {
        "Rina": 45,
        "Pak Bambang": 45,
    }


def test_a_visit_planned_ahead_needs_the_day_it_happened(cli, opened_case, visit):
    early = cli("visit", "done", visit, "--note", "Came a day early")
    assert early.exit_code == 2 and "give the day it happened with --date" in early.stderr
    assert cli.json("show", opened_case)["visits"]  # still planned after the refusal
    done = cli.json("visit", "done", visit, "--note", "Came a day early", "--date", "today")
    assert cli.json("log", opened_case)[-2]["occurred_on"] == "2026-06-15" and done["visit_id"] == int(visit)


def test_a_cancelled_visit_leaves_the_schedule_and_the_log_keeps_why(cli, opened_case, visit):
    result = cli.json("visit", "cancel", visit, "--reason", "Flooded road")
    assert result["reason"] == "Flooded road"
    assert cli.json("visit", "list") == [] and [i for i in cli.json("due") if i["kind"] == "visit"] == []
    assert "visit 1 cancelled: Flooded road" in cli.ok("log", opened_case).stdout
    assert cli("visit", "cancel", visit, "--reason", "again").exit_code == 4
    assert cli("visit", "done", "99", "--note", "x").stderr.startswith("lingkaran: no visit '99'")


def _calendar(text: str) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(text)


def test_the_schedule_exports_an_icalendar_file_a_phone_reads(cli, opened_case, visit):
    cli.ok("visit", "plan", opened_case, "--on", "2026-06-20", "--purpose", "Sekolah: bertemu wali kelas — " * 4)
    process = subprocess.run([LINGKARAN, "visit", "list", "--format", "ics"], capture_output=True, timeout=60)
    assert process.returncode == 0 and process.stderr == b""
    raw = process.stdout
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")  # every line ends in CRLF
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))  # folded, octets counted
    raw.decode("utf-8")  # no character split by the folding
    events = _calendar(raw).walk("VEVENT")
    assert len(events) == 2
    timed, whole_day = events
    assert timed.decoded("DTSTART") == dt.datetime(2026, 6, 16, 9, 30)  # floating: the phone's own time
    assert timed.decoded("DURATION") == dt.timedelta(minutes=60)
    assert str(timed["LOCATION"]) == "Kp. Rawa RT 02, rumah nenek"
    assert str(timed["SUMMARY"]) == "home-visit: case 1" and b"Siti" not in raw
    assert "Meet her grandmother; school letter" in str(timed["DESCRIPTION"])
    assert whole_day.decoded("DTSTART") == dt.date(2026, 6, 20)
    assert str(whole_day["DESCRIPTION"]).startswith("Sekolah: bertemu wali kelas — Sekolah")
    assert len({str(event["UID"]) for event in events}) == 2


def test_the_calendar_names_clients_only_when_asked_and_writes_a_private_file(cli, opened_case, visit, tmp_path):
    named = cli.ok("visit", "list", "--format", "ics", "--names").stdout
    assert str(_calendar(named).walk("VEVENT")[0]["SUMMARY"]) == "home-visit: Siti Rahmawati (case 1)"
    refused = cli("visit", "list", "--format", "ics", "--json")
    assert refused.exit_code == 2 and "choose one" in refused.stderr
    assert cli("visit", "list", "--format", "pdf").exit_code == 2
    path = tmp_path / "visits.ics"
    cli.ok("--lang", "id", "visit", "list", "--format", "ics", "-o", path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert str(_calendar(path.read_text()).walk("VEVENT")[0]["SUMMARY"]) == "kunjungan rumah: kasus 1"


def test_an_empty_schedule_is_an_empty_list_and_an_empty_calendar(cli):
    assert cli.json("visit", "list") == []
    assert "No visits planned." in cli.ok("visit", "list").stdout
    assert _calendar(cli.ok("visit", "list", "--format", "ics").stdout).walk("VEVENT") == []


def test_an_erased_cases_visits_leave_the_agenda(cli, opened_case, visit):
    cli.ok("terminate", opened_case, "--reason", "moved", "--summary", "Moved")
    cli.ok("forget", opened_case, "--yes")
    assert cli.json("visit", "list") == [] and cli.json("dashboard")["visits_this_week"] == []
    assert [item for item in cli.json("due") if item["kind"] == "visit"] == []
