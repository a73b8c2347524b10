"""`check` holds every record to the latest content of its events: a record edited with a SQLite tool (which
`show` and `report` would print while `log` shows the original), a planted record, a record removed while its
event stays. What lingkaran itself writes — corrections, revisions, erasure, imports, anonymised copies — passes.
"""

import json
import sqlite3

from lingkaran.errors import ExitCode


def tamper(db_path, *statements):
    conn = sqlite3.connect(db_path, isolation_level=None)
    for statement in statements:
        conn.execute(*statement) if isinstance(statement, tuple) else conn.execute(statement)
    conn.close()


def findings(run, *args):
    result = run(*args, "check", "--json")
    report = json.loads(result.stdout)
    return result, report["findings"]


def event_uuid(cli, case, kind):
    return next(event["uuid"] for event in cli.json("log", case) if event["kind"] == kind)


def test_a_note_edited_with_sqlite_is_found_while_show_prints_the_forgery(lingkaran, cli, active_case, db_path):
    cli.ok("note", active_case, "Mother came to the office")
    tamper(db_path, "UPDATE notes SET text = 'Mother never came'")
    assert "Mother never came" in cli("show", active_case).stdout  # what the forger wanted shown
    result, [problem] = findings(lingkaran)
    assert result.returncode == ExitCode.DATABASE_UNUSABLE
    assert problem["check"] == "records" and problem["table"] == "notes" and problem["row"] == 1
    assert problem["event_uuid"] == event_uuid(cli, active_case, "note")
    assert "Mother" not in problem["message"], "check names where, never what the file holds"


def test_edited_case_names_goals_dates_and_activities_are_each_found(cli, active_case, db_path):
    tamper(
        db_path,
        "UPDATE cases SET client = 'Somebody else'",
        "UPDATE goals SET text = 'Stay home' WHERE number = 1",
        "UPDATE activities SET occurred_on = '2026-06-10', minutes = 5",
    )
    _result, problems = findings(cli)
    assert sorted((problem["table"], problem["row"]) for problem in problems) == [
        ("activities", 1),
        ("cases", 1),
        ("goals", 1),
    ]


def test_a_planted_record_and_a_removed_one_are_found(cli, active_case, db_path):
    tamper(
        db_path,
        (
            "INSERT INTO notes (uuid, case_id, cycle, phase, written_on, text) VALUES "
            "('00000000-0000-4000-8000-000000000001', ?, 1, 'intervention', '2026-06-05', 'planted')",
            [int(active_case)],
        ),
        "DELETE FROM activities",
    )
    _result, problems = findings(cli)
    messages = {problem["table"]: problem["message"] for problem in problems}
    assert set(messages) == {"notes", "activities"}
    assert "no `note` event" in messages["notes"] and "no longer there" in messages["activities"]


def test_a_case_planted_without_its_open_event_is_found(cli, active_case, db_path):
    tamper(
        db_path,
        "INSERT INTO cases (uuid, client, level, problem, phase, status, cycle, opened_on, consent) "
        "VALUES ('00000000-0000-4000-8000-000000000002', 'Ghost', 'mikro', 'x', 'engagement', 'active', "
        "1, '2026-06-01', 1)",
    )
    _result, [problem] = findings(cli)
    assert problem["table"] == "cases" and problem["row"] == 2 and "no `open` event" in problem["message"]


def test_what_lingkaran_writes_itself_passes(cli, active_case, db_path):
    """Corrections, revised goals, helping-system records, consent and an erased case: all agree with the log."""
    cli.ok("note", active_case, "Frist visit")
    cli.ok("amend", event_uuid(cli, active_case, "note"), "--note", "First visit", "--reason", "typo")
    cli.ok("plan", active_case, "--revise", "1=Back to school by July", "--weight", "2=2", "--date", "2026-06-05")
    cli.ok("member", "add", active_case, "Ibu Sri", "--role", "parent", "--date", "2026-06-05")
    cli.ok("consent", active_case, "--withdrawn", "--date", "2026-06-06")
    other = str(cli.json("open", "Budi", "--level", "mikro", "--problem", "Lost his job", "--consent")["id"])
    cli.ok("terminate", other, "--reason", "withdrew", "--summary", "Moved away")
    cli.ok("forget", other, "--yes")
    result = cli("check")
    assert result.exit_code == 0, result.stdout


def test_a_correction_and_a_revision_made_on_another_laptop_reach_the_records_here(cli, active_case, tmp_path):
    """Import used to keep the old text of a record already here while the correction's event arrived: `show`
    printed the old text, `log` the new. The record now follows its events, and check agrees."""
    copy = tmp_path / "office.db"
    cli.ok("note", active_case, "Frist visit")
    cli.ok("export", "-o", tmp_path / "before.json")
    cli.ok("--db", copy, "import", tmp_path / "before.json")
    cli.ok("amend", event_uuid(cli, active_case, "note"), "--note", "First visit", "--reason", "typo")
    cli.ok("plan", active_case, "--revise", "1=Back to school by July", "--date", "2026-06-05")
    cli.ok("export", "-o", tmp_path / "after.json")
    cli.ok("--db", copy, "import", tmp_path / "after.json")
    shown = cli("--db", copy, "show", active_case).stdout
    assert "First visit" in shown and "Back to school by July" in shown
    result = cli("--db", copy, "check")
    assert result.exit_code == 0, result.stdout


def test_an_anonymised_export_imports_into_a_caseload_that_passes(cli, active_case, tmp_path):
    cli.ok("note", active_case, "Private words")
    cli.ok("export", "--anonymize", "-o", tmp_path / "anon.json")
    cli.ok("--db", tmp_path / "stats.db", "import", tmp_path / "anon.json")
    result = cli("--db", tmp_path / "stats.db", "check")
    assert result.exit_code == 0, result.stdout


DEEP = "[" * 3000 + "]" * 3000  # Python's parser recurses once per level: ~1,000 levels exhaust it


def test_json_nested_thousands_deep_by_a_sqlite_tool_is_a_finding_never_a_traceback(
    lingkaran, cli, active_case, db_path, tmp_path
):
    """An event's data and an assessment's strengths edited to JSON nested 3,000 deep: `check` names them (it
    stopped with a RecursionError), the commands that read them stop in one line, and `restore` refuses a backup
    holding them."""
    tamper(
        db_path,
        ("UPDATE events SET data = ? WHERE kind = 'intervene'", ['{"a": ' + DEEP + "}"]),
        ("UPDATE assessments SET strengths = ?", [DEEP]),
    )
    result, problems = findings(lingkaran)
    assert result.returncode == ExitCode.DATABASE_UNUSABLE and "Traceback" not in result.stderr
    assert {problem["check"] for problem in problems} >= {"audit"}
    reading = (["show", active_case], ["log", active_case], ["export", "--anonymize", "--force", "--format", "ndjson"])
    for command in reading:
        shown = lingkaran(*command)
        assert shown.returncode == ExitCode.DATABASE_UNUSABLE, shown.stderr
        assert shown.stderr.count("\n") == 1 and "Traceback" not in shown.stderr
    backup = tmp_path / "tampered-backup.db"
    assert lingkaran("backup", backup).returncode == 0
    restored = lingkaran("--db", tmp_path / "elsewhere.db", "restore", backup, "--yes")
    assert restored.returncode == ExitCode.DATABASE_UNUSABLE and restored.stderr.count("\n") == 1, restored.stderr
    assert "cannot be restored" in restored.stderr


def test_a_state_edited_with_sqlite_is_found_against_the_replay_of_the_cases_events(
    lingkaran, cli, active_case, db_path
):
    """What the events of a case make of it, not only what the event that wrote a record holds: a case set
    closed (then `forget` would erase it), its consent given, a rating, a goal's status and a consent record
    changed, a rating deleted. `check` said nothing of any of them."""
    cli.ok("open", "Budi", "--level", "mikro", "--problem", "Lost his job", "--date", "2026-06-01")
    tamper(
        db_path,
        "UPDATE cases SET status = 'closed', closed_on = '2026-06-10', close_reason = 'withdrew' WHERE id = 1",
        "UPDATE cases SET consent = 1, consent_on = '2026-06-02' WHERE id = 2",
        "UPDATE ratings SET score = 5 WHERE domain = 'education'",
        "UPDATE goals SET status = 'closed' WHERE number = 2",
        "UPDATE consents SET given = 0 WHERE case_id = 1",
        "DELETE FROM ratings WHERE domain = 'family'",
    )
    result, problems = findings(lingkaran)
    assert result.returncode == ExitCode.DATABASE_UNUSABLE and "Traceback" not in result.stderr
    named = sorted((problem["table"], problem.get("row") or 0) for problem in problems)
    assert named == [
        ("cases", 1),
        ("cases", 2),
        ("consents", 1),
        ("goals", 2),
        ("ratings", 0),  # deleted: no row left to name
        ("ratings", 1),
    ], problems
    assert all(problem["check"] == "records" for problem in problems)
    assert not any("Siti" in problem["message"] or "Budi" in problem["message"] for problem in problems)


def test_what_lingkaran_itself_rewrites_still_passes_the_replay(cli, active_case, db_path, tmp_path):
    """Corrections, revisions, a termination and a reopening, an erasure, a merge from a copy: no finding."""
    copy = tmp_path / "copy.db"
    cli.ok("note", active_case, "Mother came to the office")
    cli.ok("plan", active_case, "--goal", "Finds a part-time job", "--date", "2026-06-05")
    cli.ok("terminate", active_case, "--reason", "withdrew", "--summary", "Moved", "--date", "2026-06-06")
    cli.ok("reopen", active_case, "--reason", "Came back", "--date", "2026-06-07")
    cli.ok("open", "Budi", "--level", "mikro", "--problem", "Lost his job", "--consent", "--date", "2026-06-01")
    cli.ok("terminate", "2", "--reason", "withdrew", "--summary", "Moved", "--date", "2026-06-06")
    cli.ok("forget", "2", "--yes")
    cli.ok("export", "--format", "ndjson", "-o", tmp_path / "all.ndjson")
    cli.ok("--db", copy, "import", tmp_path / "all.ndjson")
    for db in (db_path, copy):
        _result, problems = findings(cli, "--db", db)
        assert [problem for problem in problems if problem["check"] != "permissions"] == [], db
