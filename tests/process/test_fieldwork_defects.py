"""Defects found in two weeks of field use (issue 17), each pinned by a test that failed before its fix."""

import json

import pytest

# Small edits must not rewind the cycle; the log names what changed ----------------------------------------


@pytest.mark.parametrize(
    "edit, named",
    [
        (["plan", "--target", "1=2026-07-30"], "goal 1: target 30 Jul 2026"),
        (["plan", "--drop", "2"], "goal 2 dropped"),
        (["plan", "--weight", "2=2", "--revise", "1=Back to school by August"], "goal 1: reworded"),
        (["plan", "--gas", "1:0=Attends 4 days a week"], "goal 1: GAS levels"),
        (["assess", "--risk", "high"], "risk: high"),
        (["assess", "--need", "School shoes", "--summary", "Shoes are the obstacle"], "Shoes are the obstacle"),
    ],
)
def test_a_small_edit_in_intervention_keeps_the_step_and_the_log_names_it(cli, active_case, edit, named):
    command, *flags = edit
    result = cli.json(command, active_case, *flags)
    assert result["phase"] == "intervention"
    assert cli.json("show", active_case)["phase"] == "intervention"
    assert named in cli.ok("log", active_case).stdout


def test_a_small_edit_in_monitoring_keeps_monitoring(cli, active_case):
    cli.ok("monitor", active_case, "--note", "Going well", "--date", "2026-06-05")
    assert cli.json("plan", active_case, "--target", "1=2026-08-01")["phase"] == "monitoring"
    assert cli.json("assess", active_case, "--risk", "low")["phase"] == "monitoring"


def test_new_goals_and_new_ratings_still_move_the_case(cli, active_case):
    assert cli.json("plan", active_case, "--goal", "Joins the youth group")["phase"] == "planning"
    assert cli.json("assess", active_case, "--domain", "education=3")["phase"] == "assessment"


# An accepted referral is not overdue: the answer arrived -------------------------------------------------


def test_an_accepted_referral_is_not_shown_overdue(cli, active_case):
    accepted = cli.json(
        "refer",
        active_case,
        "--to",
        "Puskesmas",
        "--service",
        "Check-up",
        "--due",
        "2026-06-10",
        "--date",
        "2026-06-05",
    )["referral_id"]
    cli.ok("referral", "update", str(accepted), "--status", "accepted", "--date", "2026-06-08")
    waiting = cli.json(
        "refer", active_case, "--to", "Dinsos", "--service", "KIS", "--due", "2026-06-12", "--date", "2026-06-05"
    )["referral_id"]
    assert [row["referral_id"] for row in cli.json("dashboard")["overdue_referrals"]] == [waiting]
    assert [item["referral_id"] for item in cli.json("due") if item["kind"] == "referral"] == [waiting]
    assert [row["id"] for row in cli.json("referral", "list", "--overdue")] == [waiting]
    shown = {row["id"]: row["overdue"] for row in cli.json("show", active_case)["referrals"]}
    assert shown == {accepted: False, waiting: True}


# The client's name and problem can be corrected ----------------------------------------------------------


def test_the_clients_name_and_problem_are_corrected_with_amend(cli, opened_case):
    opening = cli.json("log", opened_case)[0]["uuid"]
    named = cli.json("amend", opening[:8], "--client", "Siti Rahmawati Putri", "--reason", "Name as on her KTP")
    assert (named["field"], named["previous"], named["note"]) == ("client", "Siti Rahmawati", "Siti Rahmawati Putri")
    problem = cli.json("amend", opening[:8], "--note", "Left school after her father died", "--reason", "Clearer")
    assert (problem["field"], problem["previous"]) == ("problem", "Left school")
    shown = cli.json("show", opened_case)
    assert (shown["client"], shown["problem"]) == ("Siti Rahmawati Putri", "Left school after her father died")
    assert "Siti Rahmawati Putri" in cli.ok("list").stdout
    assert [hit["source"] for hit in cli.json("search", "father")] == ["cases"]
    log = cli.ok("log", opened_case).stdout
    assert "✎ corrected below" in log and "correction of the client's name" in log


def test_client_is_a_correction_of_the_opening_only(cli, active_case):
    activity = cli.json("log", active_case)[-1]["uuid"]
    refused = cli("amend", activity[:8], "--client", "X", "--reason", "r")
    assert refused.exit_code == 2 and "--client corrects the name on the event that opened the case" in refused.stderr
    both = cli("amend", cli.json("log", active_case)[0]["uuid"][:8], "--client", "X", "--note", "Y", "--reason", "r")
    assert both.exit_code == 2 and "one at a time" in both.stderr
    assert cli.json("show", active_case)["client"] == "Siti Rahmawati"


# show's domain table: the latest rating per domain per person, compared with the same person -------------


def test_the_domain_table_keeps_every_persons_latest_ratings_and_compares_like_with_like(cli):
    case = str(
        cli.json("open", "Keluarga Hartono", "--level", "mezzo", "--problem", "KDRT", "--date", "2026-06-01")["id"]
    )
    cli.ok("member", "add", case, "Budi", "--role", "son", "--date", "2026-06-01")
    cli.ok("assess", case, "--domain", "family=2", "--domain", "housing=2", "--date", "2026-06-02")
    cli.ok("assess", case, "--domain", "family=4", "--member", "Budi", "--date", "2026-06-03")
    cli.ok("assess", case, "--domain", "housing=3", "--date", "2026-06-04")
    rows = {
        (row["member"], row["domain"]): (row["score"], row["previous"])
        for row in cli.json("show", case)["domain_ratings"]
    }
    assert rows == {(None, "family"): (2, None), (None, "housing"): (3, 2), ("Budi", "family"): (4, None)}
    card = cli.ok("show", case).stdout
    table = card[card.index("Domains") : card.index("Domains") + 600]
    assert "Family relations" in table and "Budi" in table  # the family's rating is still there
    housing = next(line for line in table.splitlines() if "Housing" in line)
    assert "3 safe" in housing and "+1 ↑" in housing  # 2 → 3 for the family, not against Budi's 4
    budi = next(line for line in table.splitlines() if "Budi" in line)
    assert "4 building capacity" in budi and "new" in budi


# Import renumbering cases says so ------------------------------------------------------------------------


def test_import_says_which_numbers_the_arriving_cases_get(cli, tmp_path, monkeypatch):
    from lingkaran.cli.app import app

    for client in ("Siti", "Budi"):
        cli.ok("open", client, "--level", "mikro", "--problem", "p", "--consent")
    exported = tmp_path / "colleague.json"
    cli.ok("export", "-o", exported)
    other = str(tmp_path / "mine.db")
    monkeypatch.setenv("LINGKARAN_DB", other)
    cli.ok("open", "Mine", "--level", "mikro", "--problem", "p")
    result = cli.runner.invoke(app, ["import", str(exported), "--json"])
    assert result.exit_code == 0, result.stderr
    renumbered = json.loads(result.stdout)["renumbered_cases"]
    assert [(row["from"], row["to"], row["client"]) for row in renumbered] == [(1, 2, "Siti"), (2, 3, "Budi")]
    cli.ok("export", "-o", tmp_path / "again.json", "--force")
    monkeypatch.setenv("LINGKARAN_DB", str(tmp_path / "third.db"))
    text = cli.ok("import", str(exported)).stdout
    assert "renumbered" not in text  # an empty caseload keeps the numbers
    monkeypatch.setenv("LINGKARAN_DB", other)
    text = cli.ok("import", str(tmp_path / "again.json")).stdout
    assert "0 records" in text  # nothing new: nothing renumbered


def test_import_prints_old_and_new_numbers_for_people(cli, tmp_path, monkeypatch):
    cli.ok("open", "Siti", "--level", "mikro", "--problem", "p", "--consent")
    exported = tmp_path / "colleague.json"
    cli.ok("export", "-o", exported)
    monkeypatch.setenv("LINGKARAN_DB", str(tmp_path / "mine.db"))
    cli.ok("open", "Mine", "--level", "mikro", "--problem", "p")
    out = cli.ok("import", str(exported)).stdout
    assert "Case 1 there is case 2 here (Siti)." in out
