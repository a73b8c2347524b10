"""The supervisor: a caseload summary read in a minute (one line a case, 80 columns, --json) and a review
recorded on a case, visible in `log` and `show`."""

import pytest


@pytest.fixture
def caseload(cli, opened_case) -> dict[str, str]:
    """Three active cases: one at high risk with a referral overdue and a missed visit, one quiet, one with a
    follow-up overdue; and a closed one."""
    active_case = opened_case
    cli.ok("assess", active_case, "--domain", "education=2", "--risk", "high", "--date", "2026-06-02")
    cli.ok("plan", active_case, "--goal", "Back to school", "--date", "2026-06-03")
    cli.ok("intervene", active_case, "--activity", "home-visit", "--note", "Visit", "--date", "2026-06-05")
    cli.ok(
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
    )
    quiet = cli.json(
        "open", "Budi Santoso", "--level", "mikro", "--problem", "Debts", "--worker", "Ana", "--date", "2026-06-10"
    )["id"]
    follow = cli.json("open", "Keluarga Hartono", "--level", "mezzo", "--problem", "KDRT", "--date", "2026-06-01")["id"]
    cli.ok("assess", follow, "--risk", "medium", "--date", "2026-06-02")
    cli.ok("plan", follow, "--goal", "Safety plan", "--date", "2026-06-02")
    cli.ok("intervene", follow, "--activity", "home-visit", "--note", "Visit", "--date", "2026-06-03")
    cli.ok("monitor", follow, "--note", "Calmer", "--follow-up", "2026-06-12", "--date", "2026-06-04")
    closed = cli.json("open", "Closed One", "--level", "mikro", "--problem", "p", "--date", "2026-06-01")["id"]
    cli.ok("terminate", closed, "--reason", "moved", "--summary", "Moved")
    cli.ok("visit", "plan", active_case, "--on", "2026-06-15", "--at", "10:00")
    cli.ok("visit", "plan", str(quiet), "--on", "2026-06-18", "--at", "09:00")
    return {"risky": active_case, "quiet": str(quiet), "follow": str(follow), "closed": str(closed)}


def test_the_summary_has_one_row_an_active_case_most_urgent_first(cli, caseload, monkeypatch):
    monkeypatch.setenv("LINGKARAN_TODAY", "2026-06-16")
    rows = cli.json("supervise")
    assert [str(row["id"]) for row in rows] == [caseload["risky"], caseload["follow"], caseload["quiet"]]
    risky = rows[0]
    assert (risky["phase"], risky["risk"], risky["last_contact_on"], risky["days_since_contact"]) == (
        "intervention",
        "high",
        "2026-06-05",
        11,
    )
    assert risky["overdue"]["referrals"] == [1] and len(risky["overdue"]["missed_visits"]) == 1
    assert risky["overdue_count"] == 2 and risky["next_visit"] is None
    follow = rows[1]
    assert follow["overdue"] == {"follow_up": "2026-06-12", "referrals": [], "goal_targets": [], "missed_visits": []}
    quiet = rows[2]
    assert quiet["next_visit"]["planned_on"] == "2026-06-18" and quiet["risk"] is None and quiet["overdue_count"] == 0


def test_the_summary_reads_in_80_columns(cli, caseload, monkeypatch, lingkaran):
    monkeypatch.setenv("LINGKARAN_TODAY", "2026-06-16")
    for lang in ("en", "id"):
        process = lingkaran("--lang", lang, "supervise", env={"COLUMNS": "80", "LINGKARAN_TODAY": "2026-06-16"})
        assert process.returncode == 0 and process.stderr == ""
        lines = process.stdout.splitlines()
        assert max(len(line) for line in lines) <= 80, lang
        assert "\x1b" not in process.stdout  # printable as it is
    lines = cli.ok("supervise").stdout.splitlines()
    risky = next(line for line in lines if line.startswith(f"#{caseload['risky']} "))
    assert "Intervention" in risky and "5 Jun (11 d)" in risky and "high" in risky and risky.endswith("R V")
    assert "Overdue: F follow-up, R referral answer, G goal target, V missed visit." in lines
    assert "3 active cases, 2 with high risk or something overdue." in lines


def test_the_summary_of_one_worker_and_of_an_empty_caseload(cli, caseload):
    assert [row["client"] for row in cli.json("supervise", "--worker", "ana")] == ["Budi Santoso"]
    assert cli.json("supervise", "--worker", "Nobody") == []
    assert "No active cases." in cli.ok("supervise", "--worker", "Nobody").stdout


def test_a_review_is_recorded_and_shown_in_the_log_and_on_the_card(cli, caseload, lingkaran):
    case = caseload["risky"]
    result = cli.json(
        "review", case, "--by", "Pak Budi", "--comment", "Check the school letter first", "--decision", "ubah-rencana"
    )
    assert (result["decision"], result["by"], result["phase"]) == ("change-plan", "Pak Budi", "intervention")
    shown = cli.json("show", case)
    assert shown["phase"] == "intervention"  # a review moves no step
    assert shown["reviews"][0]["comment"] == "Check the school letter first"
    assert "Reviewed 15 Jun 2026 by Pak Budi: change-plan. Check the school letter first" in cli.ok("show", case).stdout
    assert "reviewed by Pak Budi: change-plan · Check the school" in cli.ok("log", case).stdout
    assert cli.json("supervise")[0]["last_review"] == {
        "reviewed_on": "2026-06-15",
        "by": "Pak Budi",
        "decision": "change-plan",
    }
    process = lingkaran("review", caseload["closed"], "--by", "Pak Budi", "--decision", "close")
    assert process.returncode == 0 and "decision close" in process.stdout  # closures are reviewed too


@pytest.mark.parametrize(
    "flags, problem",
    [
        (["--by", "Pak Budi", "--decision", "maybe"], "--decision 'maybe' is not valid"),
        (["--decision", "continue"], "missing --by"),
        (["--by", "Pak Budi", "--decision", "continue", "--date", "2026-06-16"], "is in the future"),
    ],
)
def test_a_bad_review_is_refused_in_one_line_and_nothing_is_written(cli, opened_case, flags, problem):
    result = cli("review", opened_case, *flags)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and problem in result.stderr, result.stderr
    assert cli.json("show", opened_case)["reviews"] == []


def test_forget_erases_the_reviewers_words(cli, caseload, db_path):
    import sqlite3

    cli.ok("review", caseload["closed"], "--by", "Pak Budi", "--comment", "Fine", "--decision", "close")
    cli.ok("forget", caseload["closed"], "--yes")
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT by_name, comment, decision FROM reviews").fetchall() == [("", None, "close")]


def test_the_review_speaks_indonesian(cli, opened_case):
    out = cli.ok("--lang", "id", "review", opened_case, "--by", "Pak Budi", "--decision", "lanjutkan").stdout
    assert "keputusan lanjutkan" in out
