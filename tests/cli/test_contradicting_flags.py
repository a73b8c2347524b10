"""Both sides of an on/off flag at once (`--given --withdrawn`) are refused, not settled by whichever came last."""

import json
import sqlite3

import pytest

from lingkaran.errors import ExitCode


def consent_rows(db_path) -> list[tuple]:
    conn = sqlite3.connect(db_path)
    found = (
        conn.execute("SELECT id, consent, consent_on FROM cases ORDER BY id").fetchall()
        + conn.execute("SELECT count(*) FROM events").fetchall()
    )
    conn.close()
    return found


@pytest.mark.parametrize("flags", [("--given", "--withdrawn"), ("--withdrawn", "--given")])
def test_consent_given_and_withdrawn_at_once_is_refused(cli, db_path, opened_case, flags):
    before = consent_rows(db_path)
    result = cli("consent", opened_case, *flags, "--scope", "everything")
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert result.stderr == "lingkaran: --given and --withdrawn contradict each other; give one of them\n"
    assert result.stdout == "" and "Traceback" not in result.output
    assert consent_rows(db_path) == before


def test_open_with_consent_and_no_consent_is_refused_and_opens_nothing(cli, db_path, opened_case):
    before = consent_rows(db_path)
    result = cli("open", "Budi", "--level", "mikro", "--problem", "p", "--consent", "--no-consent")
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert result.stderr == "lingkaran: --consent and --no-consent contradict each other; give one of them\n"
    assert consent_rows(db_path) == before


def test_the_same_side_twice_is_fine_and_a_flag_after_the_double_dash_is_not_a_flag(cli, opened_case):
    assert cli.json("consent", opened_case, "--withdrawn", "--withdrawn")["given"] is False
    opened = cli("open", "--json", "--consent", "--level", "mikro", "--problem", "p", "--", "--no-consent")
    named = json.loads(opened.stdout)
    assert named["client"] == "--no-consent" and named["consent"] is True


def test_the_installed_command_refuses_it_too(lingkaran, opened_case):
    result = lingkaran("consent", opened_case, "--given", "--withdrawn")
    assert result.returncode == ExitCode.INVALID_INPUT and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "contradict" in result.stderr and "Traceback" not in result.stderr
