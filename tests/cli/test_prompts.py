"""Guided prompts, driven with prompt_toolkit's pipe input the way questionary's own tests drive prompts.

The keys of a whole guided step are typed ahead into the pipe; each prompt takes what it needs and leaves the
rest for the next one. `interactive()` is forced on (CliRunner's stdin is no terminal); the real-terminal path
is covered by tests/test_prompts_terminal.py.
"""

import sqlite3
import subprocess
import sys

import pytest

from lingkaran.errors import ExitCode
from tests.helpers import BACKSPACE, CTRL_C, CTRL_D, DOWN, ENTER, ESC, SPACE, answer


def rows(db_path, sql: str) -> list[tuple]:
    with sqlite3.connect(db_path) as conn:
        return conn.execute(sql).fetchall()


def test_a_new_case_is_opened_assessed_planned_and_worked_on_by_answering_prompts(cli, at_a_terminal, db_path):
    opened = answer(
        cli,
        "open",
        keys=[
            "Siti Rahmawati",
            ENTER,
            ENTER,
            "Left school",
            ENTER,
            "RT head",
            ENTER,
            "y",
            "Case management and school contact",
            ENTER,
            ENTER,
        ],
    )
    assert opened.exit_code == 0, opened.stderr
    assert cli.json("show", "1")["consent_scope"] == "Case management and school contact"
    assessed = answer(
        cli,
        "assess",
        keys=[
            ENTER,  # the only case
            DOWN,
            DOWN,
            ENTER,
            ENTER * 15,  # housing 2, the other domains not rated now
            "Loves drawing",
            ENTER,
            ENTER,  # strengths
            "A school place",
            ENTER,
            ENTER,  # needs
            DOWN,
            DOWN,
            DOWN,
            ENTER,  # risk high
            "Struggling since March",
            ENTER,
            ENTER,
        ],
    )
    assert assessed.exit_code == 0, assessed.stderr
    planned = answer(
        cli,
        "plan",
        "1",
        keys=[
            "Back to school",
            ENTER,
            "n",
            BACKSPACE,
            "3",
            ENTER,
            "2026-12-31",
            ENTER,
            "Talks with her mother weekly",
            ENTER,
            "y",
            "Never",
            ENTER,
            ENTER,
            "Twice a month",
            ENTER,
            ENTER,
            ENTER,
            ENTER,
            ENTER,
            ENTER,  # no third goal
            ENTER,
        ],
    )
    assert planned.exit_code == 0, planned.stderr
    worked = answer(
        cli,
        "intervene",
        keys=[
            ENTER,
            ENTER,
            SPACE,
            ENTER,
            "60",
            ENTER,
            "Rina",
            ENTER,
            "First visit.",
            ENTER,
            "Mother was home.",
            ENTER,
            ENTER,
            ENTER,
        ],
    )
    assert worked.exit_code == 0, worked.stderr

    assert rows(db_path, "SELECT client, level, problem, source, consent, phase FROM cases") == [
        ("Siti Rahmawati", "mikro", "Left school", "RT head", 1, "intervention")
    ]
    assert rows(db_path, "SELECT domain, score FROM ratings") == [("housing", 2)]
    assert rows(db_path, "SELECT strengths, needs, risk, summary FROM assessments") == [
        ('["Loves drawing"]', '["A school place"]', "high", "Struggling since March")
    ]
    assert rows(db_path, "SELECT number, text, weight, target_on, scale FROM goals") == [
        (1, "Back to school", 3.0, "2026-12-31", None),
        (2, "Talks with her mother weekly", 1.0, None, '{"-2": "Never", "0": "Twice a month"}'),
    ]
    assert rows(db_path, "SELECT kind, goal_numbers, minutes, by_name, note FROM activities") == [
        ("home-visit", "[1]", 60, "Rina", "First visit.\nMother was home.")
    ]
    assert [kind for (kind,) in rows(db_path, "SELECT kind FROM events ORDER BY id")] == [
        "open",
        "assess",
        "plan",
        "intervene",
    ]


def test_the_summary_shows_what_will_be_written_before_the_confirm(cli, at_a_terminal, opened_case):
    result = answer(cli, "reopen", keys=[])  # nothing to reopen: the select cannot even be shown
    assert result.exit_code == ExitCode.STEP_REFUSED
    result = answer(
        cli,
        "terminate",
        opened_case,
        keys=[DOWN, ENTER, "Referred to the youth centre.", ENTER, ENTER, ENTER, "Youth centre", ENTER, ENTER],
    )
    assert result.exit_code == 0, result.stderr
    summary = result.screen[result.screen.index("To be recorded") :]
    assert "Reason: referred" in summary and "Where the client goes: Youth centre" in summary
    assert summary.index("Youth centre") < summary.index("Save this?")


def test_an_empty_name_is_asked_again_with_the_reason(cli, at_a_terminal, db_path):
    result = answer(
        cli,
        "open",
        "--level",
        "makro",
        "--problem",
        "Flooding",
        "--source",
        "",
        "--no-consent",
        keys=[ENTER, "Kampung Melayu", ENTER, ENTER, ENTER],
    )
    assert result.exit_code == 0, result.stderr
    assert rows(db_path, "SELECT client, level, consent FROM cases") == [("Kampung Melayu", "makro", 0)]


def test_a_bad_date_is_asked_again_with_the_reason(cli, at_a_terminal, active_case):
    result = answer(
        cli,
        "monitor",
        active_case,
        keys=[
            ENTER,
            ENTER,
            "Attending again.",
            ENTER,
            ENTER,
            "next week",
            ENTER,
            BACKSPACE * 9,
            "2026-07-01",
            ENTER,
            ENTER,
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert cli.json("show", active_case)["follow_up_on"] == "2026-07-01"


def test_answers_are_checked_by_the_parsers_that_check_the_flags():
    import datetime as dt

    from lingkaran.domain import parse
    from lingkaran.prompts.asker import check

    validate = check(lambda text: parse.parse_date(text, dt.date(2026, 6, 15), "The follow-up date"))
    assert validate("2026-07-01") is True
    assert validate("next week") == "The follow-up date 'next week' is not a date; use YYYY-MM-DD, today or yesterday"
    assert check(parse.parse_weight)("heavy") == "--weight: 'heavy' is not a weight; use a number from 0.01 to 1000"


def test_monitor_offers_each_goals_own_gas_descriptions(cli, at_a_terminal, active_case):
    cli.ok("plan", active_case, "--gas", "1:+1=Attends every day")
    result = answer(
        cli,
        "monitor",
        active_case,
        keys=[DOWN, DOWN, DOWN, DOWN, ENTER, ENTER, "Every day this week.", ENTER, ENTER, ENTER, ENTER],
    )
    assert result.exit_code == 0, result.stderr
    assert "+1  Attends every day" in result.screen and "more than expected" in result.screen
    assert rows(cli_db(), "SELECT level, source FROM goal_levels") == [(1, "monitor")]


def cli_db():
    import os

    return os.environ["LINGKARAN_DB"]


def test_evaluate_shows_the_t_score_before_the_decision(cli, at_a_terminal, active_case):
    result = answer(
        cli,
        "evaluate",
        active_case,
        keys=[
            DOWN,
            DOWN,
            DOWN,
            DOWN,
            ENTER,  # goal 1 (weight 3): from "not scored" to +1
            DOWN,
            DOWN,
            DOWN,
            ENTER,  # goal 2: 0
            DOWN,
            ENTER,  # decision: from the suggested terminate (T 58.73) to continue
            "Good progress.",
            ENTER,
            ENTER,
            ENTER,
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert "T-score so far: 60.00" in result.screen  # goal 1 alone at +1
    assert result.screen.index("T-score 58.73") < result.screen.index("What")  # "What next?" may wrap
    evaluation = cli.json("show", active_case)["evaluation"]
    assert evaluation["t_score"] == 58.73 and evaluation["decision"] == "continue"


def test_a_goal_not_observed_is_left_unscored_never_counted_as_zero(cli, at_a_terminal, active_case):
    result = answer(
        cli,
        "evaluate",
        active_case,
        keys=[
            DOWN,
            DOWN,
            ENTER,  # goal 1: -1
            ENTER,  # goal 2: not observed, the choice it starts at
            ENTER,  # decision: the one the T-score suggests
            ENTER,
            ENTER,
            ENTER,
        ],
    )
    assert result.exit_code == 0, result.stderr
    evaluation = cli.json("show", active_case)["evaluation"]
    assert evaluation["t_score"] == 40.0 and evaluation["decision"] == "continue"  # 40: short, not a rethink


def test_the_decision_offered_first_is_the_one_the_t_score_suggests(cli, at_a_terminal, active_case):
    result = answer(
        cli,
        "evaluate",
        active_case,
        keys=[
            DOWN,
            ENTER,
            DOWN,
            ENTER,  # both goals at -2
            ENTER,
            ENTER,
            ENTER,
            ENTER,
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert cli.json("show", active_case)["evaluation"]["decision"] == "replan"


def test_only_the_case_is_asked_when_every_other_value_is_given(cli, at_a_terminal, active_case):
    result = answer(cli, "intervene", "--activity", "phone-call", "--note", "Called", keys=[ENTER, ENTER])
    assert result.exit_code == 0, result.stderr
    assert "Which case?" in result.screen and "Minutes" not in result.screen


def test_cases_the_step_does_not_apply_to_are_shown_but_cannot_be_chosen(cli, at_a_terminal, active_case):
    cli.ok("open", "Budi", "--level", "mikro", "--problem", "Lost his job")
    result = answer(cli, "intervene", "--activity", "phone-call", "--note", "Called", keys=[DOWN, ENTER, ENTER])
    assert result.exit_code == 0, result.stderr
    assert "case 2 needs Planning first" in result.screen
    assert cli.json("show", active_case)["activities"][0]["note"] == "Called"


def test_goals_met_cannot_be_chosen_before_an_evaluation(cli, at_a_terminal, active_case):
    result = answer(cli, "terminate", active_case, keys=[ENTER, "Withdrew.", ENTER, ENTER, ENTER, ENTER, ENTER])
    assert result.exit_code == 0, result.stderr
    assert cli.json("show", active_case)["close_reason"] == "service-ended"  # the pointer skipped goals-met


def test_a_replan_offers_to_carry_over_the_open_goals(cli, at_a_terminal, active_case):
    result = answer(
        cli,
        "plan",
        active_case,
        keys=[
            DOWN,
            SPACE,
            ENTER,  # untick goal 2
            "Joins a study group",
            ENTER,
            ENTER,
            ENTER,
            ENTER,
            ENTER,
            ENTER,
        ],
    )
    assert result.exit_code == 0, result.stderr
    goals = {goal["number"]: goal["status"] for goal in cli.json("show", active_case)["goals"]}
    assert goals == {1: "open", 2: "dropped", 3: "open"}


@pytest.mark.parametrize("stop", [CTRL_C, ESC], ids=["ctrl-c", "esc"])
def test_stopping_mid_flow_writes_nothing_to_the_caseload(cli, at_a_terminal, active_case, db_path, stop):
    before_bytes = db_path.read_bytes()
    with sqlite3.connect(db_path) as conn:
        before = list(conn.iterdump())
    result = answer(cli, "intervene", active_case, keys=[ENTER, SPACE, ENTER, "45", ENTER], later=stop)
    assert result.exit_code == ExitCode.INTERRUPTED
    assert result.stderr == "lingkaran: interrupted; nothing was written; your answers are kept as a draft\n"
    assert "Who carried it out?" in result.screen and "To be recorded" not in result.screen
    assert db_path.read_bytes() == before_bytes
    with sqlite3.connect(db_path) as conn:
        assert list(conn.iterdump()) == before


def test_saying_no_at_the_confirm_writes_nothing(cli, at_a_terminal, active_case):
    result = answer(cli, "reopen", keys=[])
    result = answer(cli, "monitor", active_case, keys=[ENTER, ENTER, "Seen.", ENTER, ENTER, ENTER, "n"])
    assert result.exit_code == ExitCode.INTERRUPTED and "not saved" in result.stderr
    assert cli.json("show", active_case)["phase"] == "intervention"


def test_the_note_is_written_in_the_editor_when_asked(cli, at_a_terminal, active_case, tmp_path, monkeypatch):
    editor = tmp_path / "editor.py"
    editor.write_text("import sys\nopen(sys.argv[1], 'w').write('Long note\\nfrom the editor\\n')\n")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {editor}")
    result = answer(
        cli,
        "intervene",
        active_case,
        "--activity",
        "advocacy",
        "--goal",
        "1",
        "--minutes",
        "5",
        "--by",
        "Rina",
        keys=["y", ENTER],
    )
    assert result.exit_code == 0, result.stderr
    assert cli.json("show", active_case)["activities"][0]["note"] == "Long note\nfrom the editor"


def test_no_input_fails_at_once_naming_the_flags(cli, at_a_terminal):
    result = cli("--no-input", "intervene")
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert result.stderr == "lingkaran: missing CASE, --activity, --note; give them as flags (see --help)\n"


@pytest.mark.parametrize("args", [["list", "--json"], ["intervene", "1"], ["open", "Siti"]])
def test_commands_without_a_terminal_never_import_questionary(lingkaran, args):
    code = (
        "import sys, runpy\nsys.argv = ['lingkaran', *sys.argv[1:]]\n"
        "try:\n    runpy.run_module('lingkaran', run_name='__main__')\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('questionary', 'prompt_toolkit') if m in sys.modules), file=sys.stderr)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
    )
    assert result.stderr.endswith("[]\n"), result.stderr


def test_a_step_the_cycle_refuses_is_refused_before_any_question(cli, at_a_terminal, opened_case):
    result = answer(cli, "plan", opened_case, keys=[])
    assert result.exit_code == ExitCode.STEP_REFUSED
    assert (
        result.stderr == f"lingkaran: case {opened_case} needs Assessment first: run "
        f"`lingkaran assess {opened_case} --domain NAME=1..5`\n"
    )
    assert result.screen == ""


def test_a_follow_up_on_a_closed_case_asks_only_the_note_and_the_next_date(cli, at_a_terminal, active_case):
    cli.ok("terminate", active_case, "--reason", "moved", "--summary", "Moved to Bekasi")
    result = answer(cli, "monitor", keys=[ENTER, "Settled in well.", ENTER, ENTER, ENTER, ENTER])
    assert result.exit_code == 0, result.stderr
    assert "Goal 1" not in result.screen and "follow-up" in result.screen
    assert cli.json("log", active_case)[-1]["data"]["after_close"] is True


def test_a_guided_activity_offers_the_members_of_the_client_system(cli, at_a_terminal, active_case, db_path):
    cli.ok("member", "add", active_case, "Ibu Marni", "--role", "mother")
    worked = answer(
        cli,
        "intervene",
        active_case,
        keys=[
            ENTER,
            SPACE,
            ENTER,
            "30",
            ENTER,
            "Rina",
            ENTER,
            DOWN,
            ENTER,
            "Talked with her mother.",
            ENTER,
            ENTER,
            ENTER,
        ],
    )
    assert worked.exit_code == 0, worked.stderr
    assert "Did it concern one member?" in worked.screen and "Concerns: Ibu Marni" in worked.screen
    assert rows(db_path, "SELECT m.name FROM activities a JOIN members m ON m.id = a.member_id") == [("Ibu Marni",)]


def test_no_member_question_when_the_case_has_no_members(cli, at_a_terminal, active_case):
    worked = answer(
        cli,
        "intervene",
        active_case,
        keys=[ENTER, SPACE, ENTER, "30", ENTER, "Rina", ENTER, "Called.", ENTER, ENTER, ENTER],
    )
    assert worked.exit_code == 0, worked.stderr
    assert "member" not in worked.screen


def test_a_guided_assessment_can_name_the_member_it_concerns(cli, at_a_terminal, opened_case, db_path):
    cli.ok("member", "add", opened_case, "Ibu Marni", "--role", "mother")
    assessed = answer(
        cli, "assess", opened_case, keys=[DOWN, ENTER, ENTER * 15, ENTER, ENTER, ENTER, ENTER, DOWN, ENTER, ENTER]
    )
    assert assessed.exit_code == 0, assessed.stderr
    assert rows(db_path, "SELECT m.name FROM assessments a JOIN members m ON m.id = a.member_id") == [("Ibu Marni",)]


def test_ctrl_d_in_a_guided_plan_means_done_with_this_answer_as_in_a_note(cli, at_a_terminal, opened_case, db_path):
    cli.ok("assess", opened_case, "--domain", "education=2")
    planned = answer(
        cli,
        "plan",
        opened_case,
        keys=["Back to school", CTRL_D, CTRL_D, CTRL_D, "2026-12-31", CTRL_D, CTRL_D, CTRL_D],
    )  # the goal, no GAS levels (the default), weight 1, the target, no second goal, save
    assert planned.exit_code == 0, planned.stderr
    assert rows(db_path, "SELECT number, text, weight, target_on FROM goals") == [
        (1, "Back to school", 1.0, "2026-12-31")
    ]
