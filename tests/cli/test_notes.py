"""`note`, `amend` and `log` as a chronicle: corrections are new events, never silent edits."""

import json
import sqlite3


def _event(cli, case, kind):
    """The latest event of one kind in a case's timeline."""
    return [event for event in cli.json("log", case) if event["kind"] == kind][-1]


def test_a_note_goes_into_the_timeline_at_any_step_and_does_not_move_the_case(cli, active_case):
    result = cli.json("note", active_case, "Ibu menelepon: anak sudah masuk sekolah")
    assert result["phase"] == "intervention" and result["written_on"] == "2026-06-15"
    assert cli.json("show", active_case)["phase"] == "intervention"
    note = _event(cli, active_case, "note")
    assert note["data"]["text"] == "Ibu menelepon: anak sudah masuk sekolah" and note["uuid"] == result["event_uuid"]


def test_a_note_on_a_closed_case_is_allowed(cli, opened_case):
    cli.ok("terminate", opened_case, "--reason", "moved", "--summary", "Moved to Medan")
    assert cli.json("note", opened_case, "Letter forwarded")["phase"] == "termination"
    assert cli.json("show", opened_case)["status"] == "closed"


def test_a_note_can_come_from_stdin(cli, opened_case):
    assert cli("note", opened_case, "-", input="A long note\nover two lines\n").exit_code == 0
    assert _event(cli, opened_case, "note")["data"]["text"] == "A long note\nover two lines"


def test_bad_notes_are_refused_with_one_line_and_nothing_written(cli, opened_case, db_path):
    for args, code in (
        (["note", opened_case, "   "], 2),
        (["note", opened_case], 2),
        (["note", "99", "x"], 3),
        (["note", opened_case, "x", "--date", "2026-05-01"], 2),
        (["note", opened_case, "x", "--date", "2026-07-01"], 2),
    ):
        result = cli(*args)
        assert result.exit_code == code, args
        assert result.stderr.startswith("lingkaran: ") and len(result.stderr.strip().splitlines()) == 1
    assert [event["kind"] for event in cli.json("log", opened_case)] == ["open"]


def test_amend_corrects_an_activity_note_show_has_the_new_text_log_has_both(cli, active_case):
    original = _event(cli, active_case, "intervene")
    result = cli.json(
        "amend", original["uuid"][:8], "--note", "First visit, with her aunt", "--reason", "aunt left out"
    )
    assert result["amends"] == original["uuid"] and result["previous"] == "First visit"
    assert cli.json("show", active_case)["activities"][0]["note"] == "First visit, with her aunt"
    events = cli.json("log", active_case)
    assert [event["kind"] for event in events][-2:] == ["intervene", "amend"]
    assert events[-2]["data"]["note"] == "First visit", "the original event is never rewritten"
    assert events[-1]["data"] == {
        **events[-1]["data"],
        "amends": original["uuid"],
        "note": "First visit, with her aunt",
        "reason": "aunt left out",
        "amends_kind": "intervene",
    }
    chronicle = cli.ok("log", active_case).stdout
    assert "First visit" in chronicle and "✎ corrected below" in chronicle and "aunt left out" in chronicle


def test_amend_corrects_a_note_and_the_search_finds_the_new_text_only(cli, opened_case):
    note = cli.json("note", opened_case, "Visited the sekolah")
    cli.ok("amend", note["event_uuid"], "--note", "Visited the puskesmas", "--reason", "wrong place")
    assert [hit["source"] for hit in cli.json("search", "puskesmas")] == ["notes"]
    assert cli.json("search", "sekolah") == []


def test_amend_refuses_what_it_cannot_correct(cli, active_case):
    opening = _event(cli, active_case, "open")
    note = cli.json("note", active_case, "typo")
    correction = cli.json("amend", note["event_uuid"], "--note", "fixed", "--reason", "typo")
    for args in (
        ["amend", opening["uuid"], "--client", "x"],  # the opening is corrected (issue 17), with a reason
        ["amend", correction["event_uuid"], "--note", "x", "--reason", "r"],
        ["amend", "00000000", "--note", "x", "--reason", "r"],
        ["amend", "not-a-uuid", "--note", "x", "--reason", "r"],
        ["amend", note["event_uuid"], "--note", "x"],
        ["amend", note["event_uuid"], "--note", " ", "--reason", "r"],
    ):
        result = cli(*args)
        assert result.exit_code == 2, args
        assert result.stderr.startswith("lingkaran: ") and len(result.stderr.strip().splitlines()) == 1, args
    assert [event["kind"] for event in cli.json("log", active_case)].count("amend") == 1


def test_amend_of_an_erased_event_is_refused(cli, active_case, db_path):
    note = cli.json("note", active_case, "to be erased")
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE events SET data = '{\"erased\":true}' WHERE uuid = ?", [note["event_uuid"]])
    result = cli("amend", note["event_uuid"], "--note", "x", "--reason", "r")
    assert result.exit_code == 2 and "erased" in result.stderr


def test_evaluation_termination_and_assessment_texts_can_be_amended(cli, active_case):
    cli.ok("assess", active_case, "--summary", "Shy at first", "--date", "2026-06-05")
    cli.ok("plan", active_case, "--goal", "g", "--date", "2026-06-05")
    cli.ok("intervene", active_case, "--activity", "phone-call", "--note", "call", "--date", "2026-06-06")
    cli.ok("evaluate", active_case, "--score", "1=0", "--decision", "terminate", "--note", "Met")
    cli.ok("terminate", active_case, "--reason", "goals-met", "--summary", "Back at school")
    for kind, text in (("assess", "Quiet at first"), ("evaluate", "Met as expected"), ("terminate", "Back at SMP 3")):
        cli.ok("amend", _event(cli, active_case, kind)["uuid"], "--note", text, "--reason", "clearer")
    shown = cli.json("show", active_case)
    assert shown["assessments"][0]["summary"] == "Quiet at first"
    assert shown["evaluation"]["note"] == "Met as expected" and shown["termination"]["summary"] == "Back at SMP 3"


def test_log_for_people_groups_events_by_cycle_and_step(cli, active_case):
    cli.ok("note", active_case, "A note while intervening")
    cli.ok("terminate", active_case, "--reason", "withdrew", "--summary", "Stopped coming")
    cli.ok("reopen", active_case, "--reason", "Came back")
    lines = cli.ok("log", active_case).stdout.splitlines()
    assert [line.strip() for line in lines if line.startswith("Cycle")] == ["Cycle 1", "Cycle 2"]
    steps = [line.strip() for line in lines if line.startswith("  ") and not line.startswith("    ")]
    assert steps == ["Engagement", "Assessment", "Planning", "Intervention", "Termination", "Engagement"]
    assert any("note: A note while intervening" in line for line in lines)
    assert max(len(line.rstrip()) for line in lines) <= 80


def test_note_and_amend_through_the_installed_command(lingkaran, cli, opened_case):
    written = json.loads(lingkaran("note", opened_case, "-", "--json", input="Dari stdin").stdout)
    result = lingkaran("amend", written["event_uuid"], "--note", "Dari telepon", "--reason", "salah")
    assert result.returncode == 0, result.stderr
    bad = lingkaran("amend", written["event_uuid"], "--note", "x")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "--reason" in bad.stderr


def test_show_has_the_latest_notes_corrected(cli, opened_case):
    for text in ("one", "two", "three", "four"):
        cli.ok("note", opened_case, text)
    latest = cli.json("note", opened_case, "fiv")
    cli.ok("amend", latest["event_uuid"], "--note", "five", "--reason", "typo")
    assert [note["text"] for note in cli.json("show", opened_case)["notes"]] == ["five", "four", "three"]
    assert "Recent notes" in cli.ok("show", opened_case).stdout
