"""`check` compares the whole schema with the one this schema version's migrations make: a trigger planted to
rewrite every new note, or the event log's guards replaced by do-nothing triggers of the same names, are found;
`restore` refuses a backup carrying such objects."""

import json
import sqlite3

from sqlite_utils import Database

from lingkaran.errors import ExitCode
from lingkaran.store.migrations import migrations


def tamper(db_path, *statements):
    conn = sqlite3.connect(db_path, isolation_level=None)
    for statement in statements:
        conn.execute(statement)
    conn.close()


def schema_findings(run, *args):
    result = run(*args, "check", "--json")
    assert result.returncode == ExitCode.DATABASE_UNUSABLE, result.stdout
    return [problem for problem in json.loads(result.stdout)["findings"] if problem["check"] == "schema"]


REWRITE_NOTES = (
    "CREATE TRIGGER notes_tidy AFTER INSERT ON notes "
    "BEGIN UPDATE notes SET text = 'nothing to report' WHERE id = new.id; END"
)


def test_a_planted_trigger_that_rewrites_every_new_note_is_found(lingkaran, cli, active_case, db_path):
    tamper(db_path, REWRITE_NOTES)
    cli.ok("note", active_case, "She is afraid of her uncle")
    [problem] = schema_findings(lingkaran)
    assert problem["object"] == "notes_tidy" and "added outside lingkaran" in problem["message"]
    records = json.loads(lingkaran("check", "--json").stdout)["findings"]
    assert any(found["check"] == "records" and found["table"] == "notes" for found in records)


def test_event_guards_replaced_under_their_own_names_are_found(lingkaran, active_case, db_path):
    tamper(
        db_path,
        "DROP TRIGGER events_no_delete",
        "DROP TRIGGER events_no_rewrite",
        "CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN SELECT 1; END",
        "CREATE TRIGGER events_no_rewrite BEFORE UPDATE OF data ON events BEGIN SELECT 1; END",
    )
    problems = schema_findings(lingkaran)
    assert sorted(problem["object"] for problem in problems) == ["events_no_delete", "events_no_rewrite"]
    assert all("not the one lingkaran made" in problem["message"] for problem in problems)


def test_a_dropped_index_and_an_added_view_are_found(cli, active_case, db_path):
    tamper(db_path, "DROP INDEX idx_cases_level", "CREATE VIEW everyone AS SELECT client FROM cases")
    problems = schema_findings(lambda *args: _as_process(cli(*args)))
    assert sorted((problem["object"], "missing" in problem["message"]) for problem in problems) == [
        ("everyone", False),
        ("idx_cases_level", True),
    ]


def test_layout_alone_and_sqlite_statistics_are_not_changes(cli, active_case, db_path):
    tamper(db_path, "ANALYZE")
    result = cli("check")
    assert result.exit_code == 0, result.stdout


def test_an_older_caseload_is_compared_with_its_own_version(cli, tmp_path):
    """A file of schema 3 has no helping-system tables yet; only its version is a finding."""
    older = tmp_path / "older.db"
    conn = sqlite3.connect(older, isolation_level=None)
    migrations.apply(Database(conn), stop_before="m003_consent")
    conn.execute("PRAGMA user_version = 3")
    conn.close()
    older.chmod(0o600)
    report = json.loads(cli("--db", older, "check", "--json").stdout)
    assert [problem["check"] for problem in report["findings"]] == ["schema"]
    assert report["findings"][0]["schema_version"] == 3


def test_restore_refuses_a_backup_with_a_planted_trigger(lingkaran, cli, active_case, db_path, tmp_path):
    backup = tmp_path / "planted.db"
    cli.ok("backup", backup)
    tamper(backup, REWRITE_NOTES)
    cli.ok("note", active_case, "Written after the backup")
    result = lingkaran("restore", backup, "--yes")
    assert result.returncode == ExitCode.DATABASE_UNUSABLE and result.stderr.count("\n") == 1
    assert "notes_tidy" in result.stderr and "Traceback" not in result.stderr
    assert "Written after the backup" in cli("show", active_case).stdout, "the caseload was left as it was"


class _as_process:
    """A CliRunner result with the two attributes the helpers read from a finished process."""

    def __init__(self, result):
        self.returncode, self.stdout = result.exit_code, result.stdout
