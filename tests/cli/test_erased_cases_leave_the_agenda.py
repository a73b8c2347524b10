"""An erased case (`forget`) leaves the agenda, offers no next step, and shows as "(erased)" wherever a name
would stand."""

import pytest


@pytest.fixture
def erased_member(cli) -> str:
    """Family case 1 (active) includes case 2, which had an overdue referral and a planned follow-up, then was
    closed and erased."""
    cli.ok("open", "Keluarga Hartono", "--level", "mezzo", "--problem", "Eviction", "--consent", "--date", "2026-06-01")
    cli.ok(
        "open",
        "Siti Rahmawati",
        "--level",
        "mikro",
        "--problem",
        "Left school",
        "--consent",
        "--date",
        "2026-06-01",
        "--part-of",
        "1",
    )
    cli.ok("refer", "2", "--to", "Puskesmas", "--service", "health", "--due", "2026-06-10", "--date", "2026-06-02")
    cli.ok(
        "terminate",
        "2",
        "--reason",
        "withdrew",
        "--summary",
        "Moved",
        "--follow-up",
        "2026-06-12",
        "--date",
        "2026-06-05",
    )
    cli.ok("forget", "2", "--yes")
    return "2"


def test_an_erased_case_is_not_due_for_anything(cli, erased_member):
    assert cli.json("due") == []
    assert "#2" not in cli.ok("due").stdout
    board = cli.json("dashboard")
    for section in ("follow_ups_due", "awaiting_follow_up", "overdue_referrals"):
        assert [row["id"] for row in board[section]] == [], section
    assert "#2" not in cli.ok("dashboard").stdout
    assert cli.json("referral", "list", "--overdue") == []


def test_an_erased_case_offers_no_next_command(cli, erased_member):
    assert cli.json("show", erased_member)["next"] == []
    card = cli.ok("show", erased_member).stdout
    assert "Next:" not in card and "Next follow-up" not in card


def test_an_erased_client_is_named_erased_in_reports_links_and_referrals(cli, erased_member):
    assert cli.ok("report", erased_member).stdout.splitlines()[0] == "# Case report: (erased)"
    assert "Includes: 2 (erased) (mikro, closed)" in cli.ok("show", "1").stdout
    assert "Includes 2 · (erased)" in cli.ok("report", "1").stdout
    assert "2 (erased)" in cli.ok("referral", "list").stdout


def test_the_erased_mark_is_translated(cli, erased_member):
    assert "Mencakup: 2 (dihapus)" in cli.ok("--lang", "id", "show", "1").stdout
