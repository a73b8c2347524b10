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


@pytest.mark.parametrize("args", [("show", "1", "--json"), ("show", "1"), ("report", "1"),
                                  ("plan", "1", "--goal", "Joins a study group"),
                                  ("monitor", "1", "--progress", "1=0", "--note", "Went twice")])
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
