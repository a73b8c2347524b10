"""The helping system seen from the daily commands: dashboard, due, stats and report."""


def _referrals(cli, case: str) -> tuple[str, str]:
    """One referral overdue since 2026-06-10 and one due within the week; returns their numbers."""
    late = cli.json("refer", case, "--to", "Rumah Aman", "--service", "Shelter bed", "--due", "2026-06-10",
                    "--date", "2026-06-02")["referral_id"]
    soon = cli.json("refer", case, "--to", "Puskesmas", "--service", "Check-up", "--due", "2026-06-18",
                    "--date", "2026-06-02")["referral_id"]
    return str(late), str(soon)


def test_dashboard_lists_open_referrals_past_their_due_date(cli, opened_case):
    late, soon = _referrals(cli, opened_case)
    overdue = cli.json("dashboard")["overdue_referrals"]
    assert [(row["id"], row["referral_id"], row["agency"], row["days_overdue"]) for row in overdue] == [
        (1, int(late), "Rumah Aman", 5)]
    assert overdue[0]["referral_status"] == "sent" and overdue[0]["phase"] == "engagement"
    output = cli.ok("dashboard").stdout
    assert "Referrals past their due date (1)" in output and "Rumah Aman: 5 days overdue" in output
    cli.ok("referral", "update", late, "--status", "declined")
    assert cli.json("dashboard")["overdue_referrals"] == []


def test_due_lists_open_referrals_with_the_command_that_records_the_outcome(cli, opened_case):
    late, soon = _referrals(cli, opened_case)
    cli.ok("referral", "update", soon, "--status", "accepted")
    referrals = [item for item in cli.json("due") if item["kind"] == "referral"]
    assert [(item["referral_id"], item["days"], item["overdue"]) for item in referrals] == [
        (int(late), -5, True), (int(soon), 3, False)]
    assert referrals[0]["command"] == f"lingkaran referral update {late} --status accepted|declined --note TEXT"
    assert referrals[1]["command"] == f"lingkaran referral update {soon} --status completed --note TEXT"
    assert [item["kind"] for item in cli.json("due", "--within", "0")] == ["referral"]
    output = cli.ok("due").stdout
    assert "referral to Puskesmas: Check-up" in output and f"referral update {soon}" in output
