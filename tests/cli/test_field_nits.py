"""Small things a worker met in the field (issue 17): what the empty dashboard says, and why an export is
refused when the client withdrew consent."""


def test_an_empty_caseload_says_how_to_open_the_first_case(cli):
    board = " ".join(cli.ok("dashboard").stdout.split())
    assert "No active case: `lingkaran open` opens one" in board and "lingkaran demo" in board


def test_a_caseload_with_active_cases_does_not_say_it(cli, opened_case):
    assert "No active case" not in cli.ok("dashboard").stdout


def test_an_export_refused_after_consent_was_withdrawn_says_so_and_when(cli, opened_case):
    cli.ok("consent", opened_case, "--withdrawn", "--date", "2026-06-05")
    never = cli.json("open", "Budi", "--level", "mikro", "--problem", "Lost his job")["id"]
    result = cli("export")
    assert result.exit_code == 2
    assert result.stderr == (
        f"lingkaran: case {opened_case}: consent withdrawn on 2026-06-05; no recorded consent "
        f"for case(s) {never}; exporting their records needs --force\n"
    )
    single = cli("export", "--case", opened_case)
    assert "consent withdrawn on 2026-06-05" in single.stderr and "no recorded consent" not in single.stderr
