"""Small gaps a reviewer found: backwards comparisons, follow-ups dated before the close, empty filtered lists,
and the median's form in `stats --json`."""

from lingkaran.errors import ExitCode
from tests.helpers import refused


def test_ecomap_compare_refuses_from_after_at(cli, db_path, opened_case):
    cli.ok("ecomap", "add", opened_case, "Ibu Sri", "--kind", "family", "--tie", "strong", "--date", "2026-06-02")
    message = refused(
        cli,
        db_path,
        ExitCode.INVALID_INPUT,
        "ecomap",
        opened_case,
        "--compare",
        "--from",
        "2026-06-14",
        "--at",
        "2026-06-03",
    )
    assert "--from 2026-06-14 is after --at 2026-06-03" in message


def test_follow_up_on_a_closed_case_cannot_be_dated_before_the_close(cli, db_path, active_case):
    cli.ok("terminate", active_case, "--reason", "withdrew", "--summary", "Moved away", "--date", "2026-06-10")
    message = refused(
        cli, db_path, ExitCode.INVALID_INPUT, "monitor", active_case, "--note", "Called", "--date", "2026-06-02"
    )
    assert "before the case was closed (2026-06-10)" in message
    cli.ok("monitor", active_case, "--note", "Called", "--date", "2026-06-10")
    assert cli.json("show", active_case)["last_contact_on"] == "2026-06-10"


def test_a_filter_that_matches_nothing_says_so_instead_of_offering_to_open_a_case(cli, active_case):
    text = cli.ok("list", "--phase", "termination").stdout
    assert "No case matches" in text and "--phase termination" in text and "Open one" not in text
    assert "--all" in text, "closed cases are at termination: point at --all"
    assert cli.json("list", "--phase", "termination") == []
    assert "No case matches" in cli.ok("list", "--all", "--level", "makro").stdout


def test_an_empty_caseload_still_offers_to_open_a_case(cli):
    assert "Open one with" in cli.ok("list").stdout


def test_median_days_to_close_is_a_whole_number_unless_it_falls_between_two_days(cli):
    def close_after(days_open: int, name: str) -> None:
        case = str(cli.json("open", name, "--level", "mikro", "--problem", "x", "--date", "2026-06-01")["id"])
        cli.ok("terminate", case, "--reason", "withdrew", "--summary", "x", "--date", f"2026-06-{1 + days_open:02d}")

    close_after(4, "A")
    close_after(8, "B")
    median = cli.json("stats")["median_days_to_close"]
    assert median == 6 and isinstance(median, int)
    close_after(9, "C")
    close_after(12, "D")
    assert cli.json("stats")["median_days_to_close"] == 8.5
