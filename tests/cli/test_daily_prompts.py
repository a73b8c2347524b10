"""The daily commands (note, amend, refer, ecomap add, team add, member add) completed at a terminal, with the keys
typed ahead into prompt_toolkit's pipe input as in test_prompts.py; without a terminal they refuse as before."""

import sqlite3
import subprocess
import sys

import pytest

from lingkaran.errors import ExitCode
from tests.helpers import BACKSPACE, CTRL_D, DOWN, ENTER, answer


def rows(db_path, sql: str) -> list[tuple]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute(sql).fetchall()


def first_event(cli, case: str, kind: str) -> str:
    return next(event["uuid"] for event in cli.json("log", case) if event["kind"] == kind)


def test_a_note_without_its_text_is_asked_for_and_saved_after_the_summary(cli, at_a_terminal, opened_case, db_path):
    noted = answer(
        cli, "note", opened_case, keys=["Mother called.", ENTER, "She will come Monday.", ENTER, ENTER, ENTER]
    )
    assert noted.exit_code == 0, noted.stderr
    assert "To be recorded (note):" in noted.screen and "Note: Mother called. She will come Monday." in noted.screen
    assert rows(db_path, "SELECT text FROM notes") == [("Mother called.\nShe will come Monday.",)]


def test_a_note_without_a_case_offers_every_case_closed_ones_too(cli, at_a_terminal, active_case, db_path):
    cli.ok("terminate", active_case, "--reason", "moved", "--summary", "Moved to Bekasi")
    noted = answer(cli, "note", keys=[ENTER, "Sent her file on.", CTRL_D, ENTER])
    assert noted.exit_code == 0, noted.stderr
    assert "Siti Rahmawati  (closed)" in noted.screen
    assert rows(db_path, "SELECT case_id, text FROM notes") == [(int(active_case), "Sent her file on.")]


def test_amend_opens_the_editor_on_the_text_as_it_reads_now(cli, at_a_terminal, opened_case, tmp_path, monkeypatch):
    cli.ok("note", opened_case, "Mother calld.")
    event = first_event(cli, opened_case, "note")
    cli.ok("amend", event, "--note", "Mother called on Monday.", "--reason", "typo")
    seen = tmp_path / "seen.txt"
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import sys, pathlib\nfile = pathlib.Path(sys.argv[1])\n"
        f"pathlib.Path({str(seen)!r}).write_text(file.read_text())\n"
        "file.write_text(file.read_text().replace('Monday', 'Tuesday'))\n"
    )
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    amended = answer(cli, "amend", event[:8], keys=["The day was wrong", ENTER, ENTER])
    assert amended.exit_code == 0, amended.stderr
    assert seen.read_text() == "Mother called on Monday."  # the corrected text, not the first one
    assert cli.json("show", opened_case)["notes"][0]["text"] == "Mother called on Tuesday."
    assert "Why corrected: The day was wrong" in amended.screen


def test_amend_without_an_editor_starts_from_the_current_text_here(cli, at_a_terminal, opened_case):
    cli.ok("note", opened_case, "Mother calld.")
    amended = answer(
        cli,
        "amend",
        first_event(cli, opened_case, "note"),
        keys=[BACKSPACE * 6, "called.", CTRL_D, "typo", ENTER, ENTER],
    )
    assert amended.exit_code == 0, amended.stderr
    assert cli.json("show", opened_case)["notes"][0]["text"] == "Mother called."


def test_amend_given_back_unchanged_writes_nothing(cli, at_a_terminal, opened_case, db_path):
    cli.ok("note", opened_case, "Mother called.")
    before = db_path.read_bytes()
    amended = answer(cli, "amend", first_event(cli, opened_case, "note"), "--reason", "typo", keys=[CTRL_D])
    assert amended.exit_code == ExitCode.INTERRUPTED
    assert amended.stderr == "lingkaran: the text is unchanged; nothing was written\n"
    assert db_path.read_bytes() == before


def test_amend_without_an_event_picks_the_case_then_the_entry_the_latest_first(cli, at_a_terminal, opened_case):
    cli.ok("note", opened_case, "First note.")
    cli.ok("note", opened_case, "Second noet.")
    amended = answer(cli, "amend", keys=[ENTER, ENTER, BACKSPACE * 4, "ote.", ENTER, ENTER, "typo", ENTER, ENTER])
    assert amended.exit_code == 0, amended.stderr
    assert sorted(note["text"] for note in cli.json("show", opened_case)["notes"]) == ["First note.", "Second note."]
    up = "\x1b[A"
    amended = answer(cli, "amend", keys=[ENTER, up, up, ENTER, " in March", CTRL_D, "detail", ENTER, ENTER])
    assert amended.exit_code == 0, amended.stderr
    assert cli.json("show", opened_case)["problem"] == "Left school in March"  # the open event's text


def test_a_referral_asks_the_agency_the_service_the_contact_and_the_due_date(cli, at_a_terminal, opened_case):
    referred = answer(
        cli,
        "refer",
        opened_case,
        keys=[
            "Dinas Sosial",
            ENTER,
            "Cash transfer",
            ENTER,
            "Pak Budi",
            ENTER,
            "next week",
            ENTER,
            BACKSPACE * 9,
            "2026-07-01",
            ENTER,
            ENTER,
        ],
    )  # "next week" is refused with the parser's reason, and asked again
    assert referred.exit_code == 0, referred.stderr
    (referral,) = cli.json("referral", "list", opened_case)
    assert (referral["agency"], referral["service"], referral["contact"], referral["due_on"]) == (
        "Dinas Sosial",
        "Cash transfer",
        "Pak Budi",
        "2026-07-01",
    )


def test_a_case_without_consent_cannot_be_picked_for_a_referral(cli, at_a_terminal, opened_case):
    cli.ok("open", "Budi", "--level", "mikro", "--problem", "Lost his job")
    referred = answer(cli, "refer", keys=[DOWN, ENTER, "Shelter", ENTER, "Bed", ENTER, ENTER, ENTER, ENTER])
    assert referred.exit_code == 0, referred.stderr
    assert "the client's consent is not recorded" in referred.screen
    assert [r["case_id"] for r in cli.json("referral", "list")] == [int(opened_case)]


def test_a_referral_without_consent_is_refused_before_any_question(cli, at_a_terminal, db_path):
    cli.ok("open", "Budi", "--level", "mikro", "--problem", "Lost his job")
    referred = answer(cli, "refer", "1", keys=[])
    assert referred.exit_code == ExitCode.STEP_REFUSED
    assert referred.screen == "" and "consent is not recorded" in referred.stderr


def test_ecomap_add_asks_the_kind_of_a_new_system_only_and_starts_from_its_tie(cli, at_a_terminal, opened_case):
    drawn = answer(
        cli,
        "ecomap",
        "add",
        opened_case,
        keys=["Puskesmas", ENTER, DOWN, ENTER, DOWN, ENTER, ENTER, "Weekly", ENTER, ENTER],
    )
    assert drawn.exit_code == 0, drawn.stderr
    assert "What kind of system is it?" in drawn.screen and "Tie: tenuous" in drawn.screen
    redrawn = answer(cli, "ecomap", "add", opened_case, "puskesmas", keys=[ENTER, DOWN, ENTER, ENTER, ENTER])
    assert redrawn.exit_code == 0, redrawn.stderr
    assert "What kind" not in redrawn.screen
    (system,) = cli.json("ecomap", opened_case)["systems"]
    assert (system["tie"], system["flow"], system["note"]) == ("tenuous", "in", None)  # the tie kept, the flow new


def test_team_add_asks_the_name_and_offers_the_roles_in_the_interface_language(cli, at_a_terminal, opened_case):
    added = answer(
        cli, "--lang", "id", "team", "add", opened_case, keys=["Bu Rina", ENTER, ENTER, "Dinsos", ENTER, ENTER, ENTER]
    )
    assert added.exit_code == 0, added.stderr
    (person,) = cli.json("team", "list", opened_case)
    assert (person["name"], person["agency"], person["contact"]) == ("Bu Rina", "Dinsos", None)
    assert "Peran: pekerja sosial" in added.screen  # the summary in Indonesian, the role by its label


def test_member_add_asks_the_name_and_role_and_the_summary_shows_them(cli, at_a_terminal, opened_case):
    added = answer(cli, "member", "add", opened_case, keys=["Ibu Marni", ENTER, "mother", ENTER, ENTER, ENTER, ENTER])
    assert added.exit_code == 0, added.stderr
    summary = added.screen[added.screen.index("To be recorded (member add)") :]
    assert "Name: Ibu Marni" in summary and "Role: mother" in summary
    assert [(m["name"], m["role"]) for m in cli.json("member", "list", opened_case)] == [("Ibu Marni", "mother")]


@pytest.mark.parametrize(
    ("args", "missing"),
    [
        (["note", "1"], "TEXT"),
        (["amend"], "EVENT_UUID, --note, --reason"),
        (["amend", "abcdef12", "--client", "Siti R."], "--reason"),
        (["refer", "1", "--to", "Shelter"], "--service"),
        (["ecomap", "add", "1", "Puskesmas"], "--tie"),
        (["team", "add", "1"], "NAME, --role"),
        (["member", "add"], "CASE, NAME, --role"),
    ],
)
def test_without_a_terminal_the_daily_commands_name_the_missing_flag_and_never_load_questionary(
    lingkaran, args, missing
):
    code = (
        "import sys, runpy\nsys.argv = ['lingkaran', *sys.argv[1:]]\n"
        "try:\n    runpy.run_module('lingkaran', run_name='__main__')\nexcept SystemExit as exit:\n"
        "    print(exit.code, file=sys.stderr)\n"
        "print(sorted(m for m in ('questionary', 'prompt_toolkit') if m in sys.modules), file=sys.stderr)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
    )
    assert result.stderr.splitlines() == [
        f"lingkaran: missing {missing}; give them as flags (see --help)",
        str(int(ExitCode.INVALID_INPUT)),
        "[]",
    ]
    assert result.stdout == ""
