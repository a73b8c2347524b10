"""`lingkaran report`: a case summary in Markdown or self-contained HTML."""

import stat

import pytest

NASTY_NAME = '<script>alert("x")</script> & "Tom" O\'Neil'


@pytest.fixture
def evaluated_case(cli, active_case) -> str:
    """A case reassessed, monitored, evaluated and closed."""
    cli.ok("assess", active_case, "--domain", "education=4", "--domain", "family=3", "--date", "2026-06-06")
    cli.ok("plan", active_case, "--gas", "1:0=Attends four days a week", "--date", "2026-06-06")
    cli.ok(
        "intervene",
        active_case,
        "--activity",
        "counselling",
        "--note",
        "Talked about her father",
        "--minutes",
        "45",
        "--date",
        "2026-06-07",
    )
    cli.ok("monitor", active_case, "--progress", "1=0", "--note", "Back in class", "--date", "2026-06-08")
    cli.ok(
        "evaluate", active_case, "--score", "1=1", "--score", "2=0", "--decision", "terminate", "--date", "2026-06-10"
    )
    cli.ok(
        "terminate",
        active_case,
        "--reason",
        "goals-met",
        "--summary",
        "Back at school, mother involved",
        "--destination",
        "Home with her mother",
        "--date",
        "2026-06-12",
    )
    return active_case


def test_the_markdown_report_tells_the_whole_case(cli, evaluated_case):
    report = cli.ok("report", evaluated_case).stdout
    assert report.startswith("# Case report: Siti Rahmawati\n")
    for expected in (
        "mikro: an individual",
        "Left school",
        "| Latest GAS T-score | 58.73 |",
        "2 activities, 105 minutes of contact",
        "| Education | 4 building capacity | 2 | +2 |",
        "| Family relations | 3 safe | 3 | 0 |",
        "Back to school",
        "- 0: Attends four days a week",
        "| 2026-06-08 | 0 expected outcome | Monitoring |",
        "| 2026-06-10 | +1 more than expected | Evaluation |",
        "| home-visit | 1 | 60 |",
        "| **Total** | **2** | **105** |",
        "T-score 58.73",
        "reason: goals-met",
        "Back at school, mother involved",
        "Home with her mother",
    ):
        assert expected in report, expected


def test_the_html_report_is_self_contained_and_escapes_client_text(cli, tmp_path):
    cli.ok("open", NASTY_NAME, "--level", "mikro", "--problem", "Owes <b>money</b> & more", "--consent")
    target = tmp_path / "report.html"
    cli.ok("report", "1", "--format", "html", "--output", target)
    html = target.read_text()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert html.startswith("<!DOCTYPE html>") and "<style>" in html
    assert NASTY_NAME not in html and "<script>" not in html and "<b>money" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;Tom&#34; O&#39;Neil" in html
    for external in ("http://", "https://", "<link", "src=", "@import"):
        assert external not in html


def test_the_markdown_report_escapes_markdown_in_client_text(cli):
    cli.ok("open", "Ani *the* [star]", "--level", "mikro", "--problem", "Line one\n# not a heading | pipe", "--consent")
    report = cli.ok("report", "1").stdout
    assert report.startswith("# Case report: Ani \\*the\\* \\[star\\]\n")
    assert "| Problem | Line one \\# not a heading \\| pipe |" in report


def test_report_refuses_unknown_cases_formats_and_existing_files(lingkaran, opened_case, tmp_path):
    assert lingkaran("report", "99").returncode == 3
    bad_format = lingkaran("report", opened_case, "--format", "pdf")
    assert bad_format.returncode == 2 and bad_format.stderr.count("\n") == 1 and bad_format.stdout == ""
    target = tmp_path / "taken.md"
    target.write_text("keep me")
    taken = lingkaran("report", opened_case, "--output", target)
    assert taken.returncode == 2 and target.read_text() == "keep me"
    assert lingkaran("report").returncode == 2


def test_the_html_report_draws_the_ring_the_ecomap_and_the_ratings_over_time(cli, evaluated_case):
    cli.ok("ecomap", "add", evaluated_case, "School", "--kind", "school", "--tie", "strong", "--flow", "both")
    html = cli.ok("report", evaluated_case, "--format", "html").stdout
    assert html.count("<svg") == 3
    for title in (
        "The intervention cycle: now closed",
        "Ecomap of Siti Rahmawati",
        "Assessment ratings over time (1–5)",
    ):
        assert f"<title>{title}</title>" in html, title
    indonesian = cli.ok("--lang", "id", "report", evaluated_case, "--format", "html").stdout
    assert "<title>Ekomap Siti Rahmawati</title>" in indonesian


def test_show_prints_the_latest_t_score(cli, evaluated_case):
    assert "Latest GAS T-score  58.73 (evaluated 10 Jun 2026)" in cli.ok("show", evaluated_case).stdout
    assert cli.json("show", evaluated_case, "--json")["evaluation"]["t_score"] == 58.73


def test_the_report_of_a_closed_case_shows_its_next_follow_up_not_the_one_done(cli, evaluated_case):
    cli.ok("monitor", evaluated_case, "--note", "Still at school", "--follow-up", "2026-07-15", "--date", "2026-06-14")
    report = cli.ok("report", evaluated_case).stdout
    assert "- Next follow-up: 2026-07-15" in report
    html = cli.ok("report", evaluated_case, "--format", "html").stdout
    assert "<th>Next follow-up</th><td>2026-07-15</td>" in html and "<th>reason</th>" not in html


def test_an_earlier_cycles_closing_keeps_the_follow_up_it_planned(cli, evaluated_case):
    cli.ok("reopen", evaluated_case, "--reason", "Dropped out again", "--date", "2026-06-13")
    report = cli.ok("report", evaluated_case).stdout
    assert "- Follow-up planned at closing:" in report and "- Next follow-up" not in report
