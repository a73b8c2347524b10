"""`stats`: the figures for the worker's monthly report."""

import json


def test_stats_on_an_empty_caseload_are_zeros_and_empty_lists(cli):
    assert cli.json("stats") == {
        "from": None,
        "to": None,
        "opened": 0,
        "opened_by_ppks": [],
        "closed": 0,
        "closed_by_reason": [],
        "active_by_step_and_level": [],
        "contacts_by_kind": [],
        "contact_minutes_by_person": [],
        "contact_minutes_by_role": [],
        "evaluated_cases": 0,
        "mean_t_score": None,
        "median_days_to_close": None,
    }


def _closed_case(cli, client, opened, closed, reason, scores=()):
    case = str(cli.json("open", client, "--level", "mezzo", "--problem", "p", "--date", opened)["id"])
    cli.ok("assess", case, "--domain", "income=2", "--date", opened)
    cli.ok("plan", case, "--goal", "g1", "--goal", "g2", "--date", opened)
    cli.ok("intervene", case, "--activity", "counselling", "--note", "n", "--minutes", "30", "--date", opened)
    if scores:
        cli.ok(
            "evaluate",
            case,
            *[f"--score={number}={level}" for number, level in enumerate(scores, 1)],
            "--decision",
            "terminate",
            "--date",
            closed,
        )
    cli.ok("terminate", case, "--reason", reason, "--summary", "s", "--date", closed)
    return case


def test_stats_count_openings_closings_contacts_and_t_scores(cli, active_case):
    _closed_case(cli, "A", "2026-05-01", "2026-05-11", "goals-met", scores=(0, 0))
    _closed_case(cli, "B", "2026-05-02", "2026-05-22", "goals-met", scores=(1, 1))
    _closed_case(cli, "C", "2026-05-03", "2026-06-02", "withdrew")
    figures = cli.json("stats")
    assert figures["opened"] == 4 and figures["closed"] == 3
    assert figures["closed_by_reason"] == [{"reason": "goals-met", "cases": 2}, {"reason": "withdrew", "cases": 1}]
    assert figures["active_by_step_and_level"] == [{"phase": "intervention", "level": "mikro", "cases": 1}]
    assert figures["contacts_by_kind"] == [
        {"kind": "counselling", "contacts": 3, "minutes": 90, "recorded_as_contact": 0, "participants": None},
        {"kind": "home-visit", "contacts": 1, "minutes": 60, "recorded_as_contact": 0, "participants": None},
    ]
    assert figures["evaluated_cases"] == 2 and figures["mean_t_score"] == 56.2  # (50 + 62.40) / 2
    assert figures["median_days_to_close"] == 20


def test_stats_count_only_the_period_given(cli, active_case):
    _closed_case(cli, "A", "2026-05-01", "2026-05-11", "goals-met", scores=(0, 0))
    june = cli.json("stats", "--from", "2026-06-01", "--to", "2026-06-30")
    assert (june["from"], june["to"], june["opened"], june["closed"]) == ("2026-06-01", "2026-06-30", 1, 0)
    assert june["contacts_by_kind"] == [
        {"kind": "home-visit", "contacts": 1, "minutes": 60, "recorded_as_contact": 0, "participants": None}
    ]
    assert june["mean_t_score"] is None and june["median_days_to_close"] is None
    assert cli.json("stats", "--to", "2026-05-31")["closed"] == 1


def test_a_reopened_case_counts_its_days_from_the_reopening(cli):
    case = _closed_case(cli, "A", "2026-01-01", "2026-01-11", "withdrew")
    cli.ok("reopen", case, "--reason", "back", "--date", "2026-03-01")
    cli.ok("terminate", case, "--reason", "moved", "--summary", "s", "--date", "2026-03-05")
    assert cli.json("stats", "--from", "2026-03-01")["median_days_to_close"] == 4


def test_stats_refuse_bad_dates_with_one_line(cli):
    for args in (["--from", "June"], ["--to", "2026-13-01"], ["--from", "2026-06-30", "--to", "2026-06-01"]):
        result = cli("stats", *args)
        assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1, args


def test_stats_for_people_and_through_the_installed_command(cli, lingkaran, active_case):
    output = cli.ok("stats").stdout
    assert "Cases opened" in output and "home-visit" in output and "\x1b[" not in output
    assert max(len(line.rstrip()) for line in output.splitlines()) <= 80
    assert json.loads(lingkaran("stats", "--json").stdout)["opened"] == 1
