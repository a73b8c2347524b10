"""Text that is not JSON in a JSON column (a goal's GAS scale, an assessment's strengths, an event's data), put
there with a SQLite tool or by damage, makes the caseload unusable like any damage SQLite reports: exit 5 and one
line on stderr, never a traceback; nothing is written. `check` names the row."""

import sqlite3

import pytest

from lingkaran.errors import ExitCode

DAMAGED = "lingkaran: the caseload is damaged (malformed JSON); `lingkaran restore BACKUP` brings back a backup\n"


def hand_edit(db_path, sql: str) -> None:
    with sqlite3.connect(db_path) as conn:
        conn.execute(sql)
    conn.close()


@pytest.mark.parametrize(
    "args",
    [
        ("show", "1", "--json"),
        ("show", "1"),
        ("report", "1"),
        ("plan", "1", "--goal", "Joins a study group"),
        ("monitor", "1", "--progress", "1=0", "--note", "Went twice"),
    ],
)
def test_a_goal_scale_that_is_not_json_is_a_damaged_caseload(cli, active_case, db_path, args):
    hand_edit(db_path, "UPDATE goals SET scale = '{-2: never' WHERE number = 1")
    before = db_path.read_bytes()
    result = cli(*args)
    assert result.exit_code == ExitCode.DATABASE_UNUSABLE and result.stderr == DAMAGED and result.stdout == ""
    assert db_path.read_bytes() == before


def test_event_data_that_is_not_json_is_a_damaged_caseload(cli, active_case, db_path):
    hand_edit(db_path, "UPDATE events SET data = 'not json' WHERE kind = 'intervene'")
    for args in [("log", active_case, "--json"), ("log", active_case)]:
        result = cli(*args)
        assert result.exit_code == ExitCode.DATABASE_UNUSABLE and result.stderr == DAMAGED, args


def test_the_installed_command_says_it_in_one_line(active_case, db_path, lingkaran):
    hand_edit(db_path, "UPDATE assessments SET strengths = '[unclosed'")
    result = lingkaran("show", active_case, "--json")
    assert result.returncode == ExitCode.DATABASE_UNUSABLE and result.stderr == DAMAGED and result.stdout == ""
    assert lingkaran("check", "--json").returncode == ExitCode.DATABASE_UNUSABLE  # and check names the row


HAND_EDITS = {
    "phase": ("UPDATE cases SET phase = 'waiting'", "cases row 1: phase is not valid"),
    "level": ("UPDATE cases SET level = 'nano'", "cases row 1: level is not valid"),
    "date": ("UPDATE goals SET target_on = 'soon' WHERE number = 1", "goals row 1: target_on is not valid"),
    "weight": ("UPDATE goals SET weight = 'heavy' WHERE number = 1", "goals row 1: weight is not valid"),
}


@pytest.mark.parametrize("edit", HAND_EDITS, ids=list(HAND_EDITS))
def test_a_value_no_command_would_store_is_named_in_one_line_not_a_traceback(cli, active_case, db_path, edit):
    sql, named = HAND_EDITS[edit]
    hand_edit(db_path, sql)
    refused = [
        cli(*args)
        for args in [("show", active_case), ("show", active_case, "--json"), ("list",), ("dashboard",), ("stats",)]
    ]
    refused = [result for result in refused if result.exit_code != 0]  # the views that need the value
    assert refused
    for result in refused:
        assert result.exit_code == ExitCode.DATABASE_UNUSABLE, result.exception
        assert result.stderr.startswith(f"lingkaran: the caseload holds a value no command would have stored ({named}")
        assert result.stderr.endswith("); `lingkaran check` lists them\n") and result.stderr.count("\n") == 1


def test_the_installed_command_names_a_hand_edited_phase_in_one_line(active_case, db_path, lingkaran):
    hand_edit(db_path, "UPDATE cases SET phase = 'waiting'")
    result = lingkaran("show", active_case, "--json")
    assert result.returncode == ExitCode.DATABASE_UNUSABLE and result.stdout == ""
    assert (
        result.stderr.startswith(
            "lingkaran: the caseload holds a value no command would have stored (cases row 1: phase is not valid"
        )
        and result.stderr.count("\n") == 1
    )
