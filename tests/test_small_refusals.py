"""Small gaps a reviewer found: backwards comparisons, follow-ups dated before the close, empty filtered lists,
and the median's form in `stats --json`."""

from lingkaran.errors import ExitCode

from .test_members_and_links import refused


def test_ecomap_compare_refuses_from_after_at(cli, db_path, opened_case):
    cli.ok("ecomap", "add", opened_case, "Ibu Sri", "--kind", "family", "--tie", "strong", "--date", "2026-06-02")
    message = refused(cli, db_path, ExitCode.INVALID_INPUT,
                      "ecomap", opened_case, "--compare", "--from", "2026-06-14", "--at", "2026-06-03")
    assert "--from 2026-06-14 is after --at 2026-06-03" in message


def test_follow_up_on_a_closed_case_cannot_be_dated_before_the_close(cli, db_path, active_case):
    cli.ok("terminate", active_case, "--reason", "withdrew", "--summary", "Moved away", "--date", "2026-06-10")
    message = refused(cli, db_path, ExitCode.INVALID_INPUT,
                      "monitor", active_case, "--note", "Called", "--date", "2026-06-02")
    assert "before the case was closed (2026-06-10)" in message
    cli.ok("monitor", active_case, "--note", "Called", "--date", "2026-06-10")
    assert cli.json("show", active_case)["last_contact_on"] == "2026-06-10"