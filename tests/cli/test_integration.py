"""The helping system seen from the daily commands: dashboard, due, stats and report."""


def _referrals(cli, case: str) -> tuple[str, str]:
    """One referral overdue since 2026-06-10 and one due within the week; returns their numbers."""
    late = cli.json(
        "refer", case, "--to", "Rumah Aman", "--service", "Shelter bed", "--due", "2026-06-10", "--date", "2026-06-02"
    )["referral_id"]
    soon = cli.json(
        "refer", case, "--to", "Puskesmas", "--service", "Check-up", "--due", "2026-06-18", "--date", "2026-06-02"
    )["referral_id"]
    return str(late), str(soon)


def test_dashboard_lists_open_referrals_past_their_due_date(cli, opened_case):
    late, soon = _referrals(cli, opened_case)
    overdue = cli.json("dashboard")["overdue_referrals"]
    assert [(row["id"], row["referral_id"], row["agency"], row["days_overdue"]) for row in overdue] == [
        (1, int(late), "Rumah Aman", 5)
    ]
    assert overdue[0]["referral_status"] == "sent" and overdue[0]["phase"] == "engagement"
    output = cli.ok("dashboard").stdout
    assert "Referrals past their due date (1)" in output and "Rumah Aman: 5 days overdue" in output
    cli.ok("referral", "update", late, "--status", "declined")
    assert cli.json("dashboard")["overdue_referrals"] == []


def test_due_lists_open_referrals_with_the_command_that_records_the_outcome(cli, opened_case):
    late, soon = _referrals(cli, opened_case)
    cli.ok("referral", "update", soon, "--status", "accepted")
    referrals = [item for item in cli.json("due") if item["kind"] == "referral"]
    # the accepted one has had its answer: nothing is due from it (issue 17)
    assert [(item["referral_id"], item["days"], item["overdue"]) for item in referrals] == [(int(late), -5, True)]
    assert referrals[0]["command"] == f"lingkaran referral update {late} --status accepted|declined --note TEXT"
    assert [item["kind"] for item in cli.json("due", "--within", "0")] == ["referral"]
    output = cli.ok("due").stdout
    assert "referral to Rumah Aman" in output and f"referral update {soon}" not in output


def _helping_system(cli, case: str) -> None:
    """A team of two, two activities by them and one by a neighbour, a member, a note and a redrawn ecomap."""
    cli.ok("team", "add", case, "Rina", "--role", "social-worker")
    cli.ok("team", "add", case, "Bu Dian", "--role", "psychologist", "--agency", "Puskesmas Cempaka")
    for by, minutes, date in (("Rina", 60, "2026-06-05"), ("Bu Dian", 45, "2026-06-06"), ("Pak RT", 10, "2026-06-12")):
        cli.ok(
            "intervene",
            case,
            "--activity",
            "home-visit",
            "--note",
            "n",
            "--by",
            by,
            "--minutes",
            str(minutes),
            "--date",
            date,
        )
    cli.ok("member", "add", case, "Ibu Marni", "--role", "mother", "--relation", "mother", "--born", "1980")
    cli.ok("note", case, "Asked about school uniforms", "--date", "2026-06-07")
    cli.ok("ecomap", case, "add", "Sekolah", "--kind", "school", "--tie", "stressful", "--date", "2026-06-02")
    cli.ok("ecomap", case, "add", "Sekolah", "--tie", "strong", "--flow", "both", "--date", "2026-06-12")
    cli.ok("ecomap", case, "add", "Masjid", "--kind", "religion", "--tie", "tenuous", "--date", "2026-06-12")


def test_stats_shows_contact_minutes_by_team_member_and_role_in_the_period(cli, planned_case):
    _helping_system(cli, planned_case)
    figures = cli.json("stats")
    assert figures["contact_minutes_by_person"] == [
        {"name": "Rina", "role": "social-worker", "activities": 1, "minutes": 60},
        {"name": "Bu Dian", "role": "psychologist", "activities": 1, "minutes": 45},
        {"name": "Pak RT", "role": None, "activities": 1, "minutes": 10},
    ]
    assert [(r["role"], r["minutes"]) for r in figures["contact_minutes_by_role"]] == [
        ("social-worker", 60),
        ("psychologist", 45),
        (None, 10),
    ]
    period = cli.json("stats", "--from", "2026-06-06", "--to", "2026-06-10")
    assert [(r["name"], r["minutes"]) for r in period["contact_minutes_by_person"]] == [("Bu Dian", 45)]
    assert cli.json("stats", "--to", "2026-01-01")["contact_minutes_by_role"] == []
    output = cli.ok("stats").stdout
    assert "Contact minutes by team member" in output and "not on the team" in output


def test_the_report_shows_the_helping_system_a_receiving_agency_needs(cli, planned_case, tmp_path):
    _helping_system(cli, planned_case)
    family = cli.json(
        "open", "Keluarga Rahmawati", "--level", "mezzo", "--problem", "p", "--consent", "--date", "2026-06-01"
    )["id"]
    cli.ok("link", planned_case, "--part-of", str(family))
    cli.ok("refer", planned_case, "--to", "Rumah Aman", "--service", "Shelter bed", "--due", "2026-06-20")
    report = cli.ok("report", planned_case).stdout
    for text in (
        "## Client system",
        "| Ibu Marni | mother | mother | 1980 |",
        "## Linked cases",
        "Part of 2 · Keluarga Rahmawati",
        "## Team and contact minutes",
        "| Bu Dian | psychologist | Puskesmas Cempaka | – | 45 |",
        "| Pak RT | not on the team | 1 | 10 |",
        "| psychologist | 1 | 45 |",
        "## Referrals",
        "| Rumah Aman | Shelter bed |",
        "## Ecomap on 2026-06-15",
        "| Sekolah | school | strong | both | stronger |",
        "| Masjid | religion | tenuous |",
        "## Notes",
        "2026-06-07 · Intervention: Asked about school uniforms",
    ):
        assert text in report, text
    family_report = cli.ok("report", str(family)).stdout
    assert "Includes 1 · Siti Rahmawati" in family_report and "## Ecomap" not in family_report
    html = tmp_path / "report.html"
    cli.ok("report", planned_case, "--format", "html", "--output", html)
    page = html.read_text()
    assert "<h2>Referrals</h2>" in page and '<td class="up">stronger</td>' in page and "Ibu Marni" in page
