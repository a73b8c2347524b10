"""The seven steps through the CLI (CliRunner), as a worker would type them."""

import json

import pytest

from lingkaran.errors import ExitCode


def test_open_prints_the_new_case_id_when_piped(cli):
    result = cli.ok("open", "Siti", "--level", "mikro", "--problem", "Left school")
    assert result.stdout.strip() == "1"


def test_open_json_is_a_case_object(cli):
    case = cli.json(
        "open",
        "Keluarga Hartono",
        "--level",
        "mezzo",
        "--problem",
        "Eviction",
        "--source",
        "RT head",
        "--consent",
        "--worker",
        "Rina",
    )
    assert case["id"] == 1 and case["level"] == "mezzo" and case["phase"] == "engagement"
    assert case["status"] == "active" and case["cycle"] == 1 and case["goals"] == []
    assert case["consent"] is True and case["opened_on"] == "2026-06-15" and case["closed_on"] is None
    assert len(case["uuid"]) == 36


@pytest.mark.parametrize("alias, level", [("micro", "mikro"), ("macro", "makro"), ("MEZZO", "mezzo")])
def test_open_accepts_english_level_aliases(cli, alias, level):
    assert cli.json("open", "X", "--level", alias, "--problem", "p")["level"] == level


def test_open_without_a_terminal_names_every_missing_flag(cli):
    result = cli("open", "Siti")
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert "--level" in result.stderr and "--problem" in result.stderr
    assert "Traceback" not in result.output


def test_assess_records_ratings_and_moves_to_assessment(cli, opened_case):
    result = cli.json(
        "assess",
        opened_case,
        "--domain",
        "housing=2",
        "--domain",
        "mental-health=1",
        "--strength",
        "Loves drawing",
        "--need",
        "A school place",
        "--risk",
        "high",
        "--summary",
        "Struggling",
    )
    assert result["phase"] == "assessment" and result["ratings"] == {"housing": 2, "mental-health": 1}
    shown = cli.json("show", opened_case)
    assert shown["assessments"][0]["ratings"] == {"housing": 2, "mental-health": 1}
    assert shown["assessments"][0]["strengths"] == ["Loves drawing"]


def test_an_unknown_domain_is_refused_with_the_valid_list(cli, opened_case):
    result = cli("assess", opened_case, "--domain", "astrology=3")
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert "housing" in result.stderr and "mental-health" in result.stderr
    assert cli.json("show", opened_case)["assessments"] == []


def test_plan_is_refused_before_any_assessment(cli, opened_case):
    result = cli("plan", opened_case, "--goal", "Back to school")
    assert result.exit_code == ExitCode.STEP_REFUSED
    assert f"lingkaran assess {opened_case}" in result.stderr
    assert cli.json("show", opened_case)["goals"] == []


def test_goals_are_numbered_and_keep_their_numbers(cli, planned_case):
    cli.ok(
        "plan",
        planned_case,
        "--goal",
        "Third goal",
        "--drop",
        "2",
        "--revise",
        "1=Attends school daily",
        "--gas",
        "1:-2=Never attends",
        "--gas",
        "1:0=Attends 4 days a week",
        "--target",
        "3=2026-12-31",
    )
    goals = {goal["number"]: goal for goal in cli.json("show", planned_case)["goals"]}
    assert goals[1]["text"] == "Attends school daily" and goals[1]["weight"] == 3
    assert goals[1]["scale"] == {"-2": "Never attends", "0": "Attends 4 days a week"}
    assert goals[2]["status"] == "dropped" and goals[3]["target_on"] == "2026-12-31"


def test_plan_refers_to_goals_that_exist(cli, planned_case):
    result = cli("plan", planned_case, "--weight", "9=2")
    assert result.exit_code == ExitCode.INVALID_INPUT and "goal 9 does not exist" in result.stderr


def test_intervene_needs_a_goal_first(cli, opened_case):
    cli.ok("assess", opened_case, "--domain", "housing=2")
    result = cli("intervene", opened_case, "--activity", "home-visit", "--note", "Visit")
    assert result.exit_code == ExitCode.STEP_REFUSED and "plan" in result.stderr


def test_intervene_records_an_activity_and_reads_a_long_note_from_stdin(cli, planned_case):
    note = "Long note from a file.\n" * 200
    result = cli(
        "intervene", planned_case, "--activity", "counseling", "--note", "-", "--goal", "2", "--json", input=note
    )
    assert result.exit_code == 0, result.stderr
    activity = json.loads(result.stdout)
    assert activity["kind"] == "counselling" and activity["goals"] == [2] and activity["note"] == note.strip()


def test_an_unknown_activity_lists_the_valid_kinds(cli, planned_case):
    result = cli("intervene", planned_case, "--activity", "party", "--note", "x")
    assert result.exit_code == ExitCode.INVALID_INPUT and "home-visit" in result.stderr


def test_monitor_records_progress_and_the_next_follow_up(cli, active_case):
    result = cli.json(
        "monitor", active_case, "--progress", "1=-1", "--note", "Attended two days", "--follow-up", "2026-07-01"
    )
    assert result["phase"] == "monitoring"
    shown = cli.json("show", active_case)
    assert shown["follow_up_on"] == "2026-07-01" and shown["goals"][0]["latest_level"] == -1


def test_evaluate_computes_the_weighted_t_score(cli, active_case):
    result = cli.json("evaluate", active_case, "--score", "1=+1", "--score", "2=0", "--decision", "continue")
    # weights 3 and 1: T = 50 + 10·3 / √(0.7·10 + 0.3·16)
    assert result["t_score"] == pytest.approx(58.73, abs=0.01)
    assert result["phase"] == "intervention"


def test_evaluate_refuses_an_unknown_decision_and_a_missing_score(cli, active_case):
    assert cli("evaluate", active_case, "--score", "1=0", "--decision", "maybe").exit_code == ExitCode.INVALID_INPUT
    missing = cli("evaluate", active_case, "--decision", "continue")
    assert missing.exit_code == ExitCode.INVALID_INPUT and "--score" in missing.stderr


def test_a_planned_termination_needs_an_evaluation(cli, active_case):
    result = cli("terminate", active_case, "--reason", "goals-met", "--summary", "Done")
    assert result.exit_code == ExitCode.STEP_REFUSED and "evaluate" in result.stderr


def test_closed_cases_refuse_steps_but_take_follow_ups(cli, active_case):
    cli.ok(
        "terminate",
        active_case,
        "--reason",
        "moved",
        "--summary",
        "Moved to Medan",
        "--follow-up",
        "2026-06-12",
        "--date",
        "2026-06-05",
    )
    refused = cli("intervene", active_case, "--activity", "home-visit", "--note", "x")
    assert refused.exit_code == ExitCode.STEP_REFUSED and "reopen" in refused.stderr
    follow_up = cli.json("monitor", active_case, "--note", "Phoned: settled in Medan")
    assert follow_up["after_close"] is True and follow_up["phase"] == "termination"
    shown = cli.json("show", active_case)
    assert shown["status"] == "closed" and shown["follow_up_on"] is None


def test_reopen_starts_the_next_cycle_at_assessment(cli, active_case):
    cli.ok("terminate", active_case, "--reason", "withdrew", "--summary", "Stopped coming")
    reopened = cli.json("reopen", active_case, "--reason", "Came back")
    assert reopened["phase"] == "assessment" and reopened["cycle"] == 2
    refused = cli("plan", active_case, "--goal", "x")
    assert refused.exit_code == ExitCode.STEP_REFUSED, "plan needs an assessment in the new cycle"


def test_an_unknown_case_is_exit_3(cli):
    result = cli("show", "42")
    assert result.exit_code == ExitCode.NO_SUCH_CASE and "42" in result.stderr


def test_a_case_can_be_named_by_its_uuid_prefix(cli, opened_case):
    uuid = cli.json("show", opened_case)["uuid"]
    assert cli.json("show", uuid[:8])["id"] == int(opened_case)


def test_a_step_dated_before_the_case_opened_is_refused(cli, opened_case):
    result = cli("assess", opened_case, "--domain", "housing=2", "--date", "2026-01-01")
    assert result.exit_code == ExitCode.INVALID_INPUT and "before case" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["open", "X", "--level", "mikro", "--problem", "p", "--date", "2026-13-01"],
        ["assess", "1", "--domain", "housing"],
        ["plan", "1", "--goal", "g", "--weight", "1=0"],
        ["intervene", "1", "--activity", "home-visit", "--note", "n", "--minutes", "-5"],
        ["intervene", "1", "--activity", "home-visit", "--note", "n", "--minutes", "many"],
        ["monitor", "1", "--progress", "1=+3", "--note", "n"],
        ["evaluate", "1", "--score", "one=1", "--decision", "continue"],
        ["terminate", "1", "--reason", "bored", "--summary", "s"],
        ["list", "--phase", "nowhere"],
        ["show", "1", "--no-such-flag"],
    ],
)
def test_bad_values_are_one_line_exit_2_without_a_traceback(cli, opened_case, args):
    result = cli(*args)
    assert result.exit_code == ExitCode.INVALID_INPUT, result.output
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("lingkaran: ")
    assert "Traceback" not in result.output and result.stdout == ""


def test_steps_cannot_be_dated_before_their_cycle_nor_a_closing_before_the_latest_step(cli, active_case):
    # the active case was opened 2026-06-01 and reached intervention on 2026-06-04
    closing = cli("terminate", active_case, "--reason", "moved", "--summary", "s", "--date", "2026-06-03")
    assert closing.exit_code == ExitCode.INVALID_INPUT and "latest step (2026-06-04)" in closing.stderr
    cli.ok("terminate", active_case, "--reason", "moved", "--summary", "s", "--date", "2026-06-10")
    early = cli("reopen", active_case, "--reason", "back", "--date", "2026-06-09")
    assert early.exit_code == ExitCode.INVALID_INPUT and "closed (2026-06-10)" in early.stderr
    cli.ok("reopen", active_case, "--reason", "back", "--date", "2026-06-12")
    before_cycle = cli("assess", active_case, "--domain", "housing=2", "--date", "2026-06-11")
    assert before_cycle.exit_code == ExitCode.INVALID_INPUT and "cycle began" in before_cycle.stderr


def test_an_activity_may_be_entered_after_a_later_one(cli, active_case):
    cli.ok("intervene", active_case, "--activity", "phone-call", "--note", "later call", "--date", "2026-06-08")
    cli.ok("intervene", active_case, "--activity", "home-visit", "--note", "from paper", "--date", "2026-06-05")


def test_follow_ups_cannot_lie_before_the_step_that_sets_them(cli, active_case):
    result = cli("monitor", active_case, "--note", "n", "--follow-up", "2020-01-01")
    assert result.exit_code == ExitCode.INVALID_INPUT and "--follow-up" in result.stderr


def test_a_weight_too_small_to_score_is_refused(cli, planned_case):
    result = cli("plan", planned_case, "--weight", "1=1e-300")
    assert result.exit_code == ExitCode.INVALID_INPUT and "0.01 to 1000" in result.stderr


def test_a_dropped_goal_is_named_as_dropped_and_serves_no_new_activity(cli, planned_case):
    cli.ok("plan", planned_case, "--drop", "2")
    activity = cli("intervene", planned_case, "--activity", "other", "--note", "n", "--goal", "2")
    assert activity.exit_code == ExitCode.INVALID_INPUT and "goal 2 is dropped" in activity.stderr
    cli.ok("intervene", planned_case, "--activity", "other", "--note", "n", "--goal", "1")
    progress = cli("monitor", planned_case, "--progress", "2=1", "--note", "n")
    assert progress.exit_code == ExitCode.INVALID_INPUT and "open goal (1)" in progress.stderr
