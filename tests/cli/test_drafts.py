"""Drafts: a guided step stopped half-way keeps its answers (privately), offered back the next time."""

import shutil
import stat

import pytest

from lingkaran.errors import ExitCode
from tests.helpers import BACKSPACE, CTRL_C, DOWN, ENTER, ESC, answer

KEPT = "lingkaran: interrupted; nothing was written; your answers are kept as a draft\n"


def draft_files(tmp_path) -> list:
    folder = tmp_path / "data" / "lingkaran" / "drafts"
    return sorted(folder.iterdir()) if folder.exists() else []


def plan_begun(cli, case: str, stop: str = CTRL_C):
    """A plan stopped at its second goal's weight: the first goal, its weight and target answered."""
    return answer(
        cli,
        "plan",
        case,
        keys=[
            "Back to school",
            ENTER,
            "n",
            BACKSPACE,
            "3",
            ENTER,
            "2026-12-31",
            ENTER,
            "Sees a counsellor",
            ENTER,
            "n",
        ],
        later=stop,
    )


@pytest.mark.parametrize("stop", [CTRL_C, ESC], ids=["ctrl-c", "esc"])
def test_a_plan_stopped_half_way_keeps_its_answers_as_a_private_draft(cli, at_a_terminal, tmp_path, stop):
    cli.ok("open", "Siti", "--level", "mikro", "--problem", "Left school", "--consent")
    cli.ok("assess", "1", "--domain", "education=2")
    stopped = plan_begun(cli, "1", stop)
    assert stopped.exit_code == ExitCode.INTERRUPTED
    assert stopped.stderr == KEPT
    assert cli.json("show", "1")["goals"] == []  # nothing written to the caseload
    (draft,) = draft_files(tmp_path)
    assert draft.name.endswith(".plan.json")
    assert stat.S_IMODE(draft.stat().st_mode) == 0o600
    assert stat.S_IMODE(draft.parent.stat().st_mode) == 0o700
    assert "Back to school" in draft.read_text()


def test_the_draft_is_offered_back_and_the_plan_goes_on_from_where_it_stopped(cli, at_a_terminal, tmp_path):
    cli.ok("open", "Siti", "--level", "mikro", "--problem", "Left school", "--consent")
    cli.ok("assess", "1", "--domain", "education=2")
    plan_begun(cli, "1")
    resumed = answer(cli, "plan", "1", keys=[ENTER, ENTER, ENTER, ENTER, ENTER])  # continue; weight 1, no target
    assert resumed.exit_code == 0, resumed.stderr
    assert "A draft from" in resumed.screen and "? Goal 1: Back to school" in resumed.screen
    goals = [(g["number"], g["text"], g["weight"], g["target_on"]) for g in cli.json("show", "1")["goals"]]
    assert goals == [(1, "Back to school", 3.0, "2026-12-31"), (2, "Sees a counsellor", 1.0, None)]
    assert draft_files(tmp_path) == []  # finished: the draft is gone


def test_a_declined_draft_is_deleted_and_the_step_starts_afresh(cli, at_a_terminal, tmp_path):
    cli.ok("open", "Siti", "--level", "mikro", "--problem", "Left school", "--consent")
    cli.ok("assess", "1", "--domain", "education=2")
    plan_begun(cli, "1")
    assert len(draft_files(tmp_path)) == 1
    fresh = answer(cli, "plan", "1", keys=[DOWN, DOWN, ENTER], later=CTRL_C)  # start afresh
    assert fresh.exit_code == ExitCode.INTERRUPTED
    assert fresh.stderr == "lingkaran: interrupted; nothing was written\n"  # nothing answered: no new draft
    assert draft_files(tmp_path) == []


def test_a_draft_belongs_to_its_case_and_command(cli, at_a_terminal, tmp_path):
    cli.ok("open", "Siti", "--level", "mikro", "--problem", "Left school", "--consent")
    cli.ok("open", "Budi", "--level", "mikro", "--problem", "Lost his job", "--consent")
    cli.ok("assess", "1", "--domain", "education=2")
    plan_begun(cli, "1")
    other = answer(cli, "member", "add", "2", keys=["Ibu Marni", ENTER, "mother", ENTER, ENTER, ENTER, ENTER])
    assert other.exit_code == 0, other.stderr
    assert "A draft" not in other.screen
    assert len(draft_files(tmp_path)) == 1


def test_a_daily_command_with_several_questions_keeps_a_draft_too(cli, at_a_terminal, tmp_path, opened_case):
    stopped = answer(cli, "refer", opened_case, keys=["Dinas Sosial", ENTER, "Cash transfer", ENTER], later=CTRL_C)
    assert stopped.stderr == KEPT
    resumed = answer(cli, "refer", opened_case, keys=[ENTER, ENTER, ENTER, ENTER])
    assert resumed.exit_code == 0, resumed.stderr
    (referral,) = cli.json("referral", "list", opened_case)
    assert (referral["agency"], referral["service"]) == ("Dinas Sosial", "Cash transfer")


def test_forget_erases_the_drafts_of_the_case(cli, at_a_terminal, tmp_path, opened_case):
    stopped = answer(cli, "refer", opened_case, keys=["Dinas Sosial", ENTER], later=CTRL_C)
    assert stopped.stderr == KEPT and len(draft_files(tmp_path)) == 1
    cli.ok("terminate", opened_case, "--reason", "withdrew", "--summary", "Withdrew")
    cli.ok("forget", opened_case, "--yes")
    assert draft_files(tmp_path) == []


def test_saying_no_at_save_keeps_no_draft(cli, at_a_terminal, tmp_path, opened_case):
    declined = answer(cli, "team", "add", opened_case, keys=["Bu Rina", ENTER, DOWN, ENTER, ENTER, ENTER, "n"])
    assert declined.exit_code == ExitCode.INTERRUPTED and "not saved" in declined.stderr
    assert draft_files(tmp_path) == []


def test_a_write_refused_after_save_keeps_every_answer_as_the_draft_and_a_saved_one_clears_it(
    cli, at_a_terminal, opened_case, tmp_path
):
    cli.ok("member", "add", opened_case, "Ibu Marni", "--role", "mother")
    keys = ["Ibu Marni", ENTER, "grandmother", ENTER, ENTER, ENTER, ENTER]
    refused = answer(cli, "member", "add", opened_case, keys=keys)
    assert refused.exit_code == ExitCode.INVALID_INPUT and "already has a member named" in refused.stderr
    (draft,) = draft_files(tmp_path)
    assert "grandmother" in draft.read_text()  # the answers are not lost with the refused write
    cli.ok("member", "remove", opened_case, "Ibu Marni", "--reason", "entered twice")  # what stood in the way
    again = answer(cli, "member", "add", opened_case, keys=[ENTER, ENTER])  # continue with the draft; save
    assert again.exit_code == 0, again.stderr
    assert "A draft from" in again.screen and "Role: grandmother" in again.screen
    assert draft_files(tmp_path) == []


def test_a_forget_that_arrives_from_a_colleague_erases_the_drafts_of_the_case_too(
    cli, at_a_terminal, tmp_path, opened_case, db_path, monkeypatch, passphrase_file
):
    colleague = tmp_path / "colleague.db"
    shutil.copy(db_path, colleague)
    stopped = answer(cli, "refer", opened_case, keys=["Dinas Sosial", ENTER], later=CTRL_C)
    assert stopped.stderr == KEPT and len(draft_files(tmp_path)) == 1
    with monkeypatch.context() as elsewhere:  # the colleague's laptop has a user data folder of its own
        elsewhere.setenv("XDG_DATA_HOME", str(tmp_path / "colleague-data"))
        cli.ok("--db", colleague, "terminate", opened_case, "--reason", "withdrew", "--summary", "Withdrew")
        cli.ok("--db", colleague, "forget", opened_case, "--yes")
        cli.ok("--db", colleague, "bundle", tmp_path / "erased.lkb", "--passphrase-file", passphrase_file)
    assert len(draft_files(tmp_path)) == 1
    erased = cli.json("import", tmp_path / "erased.lkb", "--passphrase-file", passphrase_file)["erased"]
    assert erased == [int(opened_case)]
    assert draft_files(tmp_path) == []


def test_a_draft_gone_through_again_offers_each_answer_to_keep_or_change(cli, at_a_terminal, opened_case, tmp_path):
    """After a refused write the worker puts right the one answer that stood in the way and keeps the others."""
    cli.ok("member", "add", opened_case, "Ibu Marni", "--role", "mother")
    refused = answer(
        cli, "member", "add", opened_case, keys=["Ibu Marni", ENTER, "grandmother", ENTER, ENTER, ENTER, ENTER]
    )
    assert refused.exit_code == ExitCode.INVALID_INPUT and len(draft_files(tmp_path)) == 1
    keys = [DOWN, ENTER, *[BACKSPACE] * len("Marni"), "Sari", ENTER, ENTER, ENTER, ENTER, ENTER]
    again = answer(cli, "member", "add", opened_case, keys=keys)
    assert again.exit_code == 0, again.stderr
    members = {member["name"]: member["role"] for member in cli.json("member", "list", opened_case)}
    assert members == {"Ibu Marni": "mother", "Ibu Sari": "grandmother"}  # the role kept from the draft
    assert draft_files(tmp_path) == []
