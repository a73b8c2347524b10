"""`lingkaran` / `dashboard` and `due`: the caseload at a glance and the agenda."""

import json

from lingkaran.readmodels import dashboard


def _open(cli, client, *extra, date="2026-06-01"):
    return str(cli.json("open", client, "--level", "mikro", "--problem", "p", "--date", date, *extra)["id"])


def test_dashboard_json_is_an_object_of_empty_lists_on_an_empty_caseload(cli):
    assert cli.json("dashboard") == {section.key: [] for section in dashboard.SECTIONS}


def test_dashboard_sorts_the_caseload_into_its_sections(cli, active_case):
    silent = _open(cli, "Silent Sam", "--consent", date="2026-04-01")
    no_consent = _open(cli, "Nadia", date="2026-06-10")
    closed = _open(cli, "Closed Cahya", "--consent")
    cli.ok("terminate", closed, "--reason", "withdrew", "--summary", "s", "--follow-up", "2026-06-20")
    cli.ok("monitor", active_case, "--note", "ok", "--follow-up", "2026-06-14", "--date", "2026-06-05")
    board = cli.json("dashboard")
    assert [(case["id"], case["phase"]) for case in board["active"]] == [
        (int(silent), "engagement"),
        (int(no_consent), "engagement"),
        (int(active_case), "monitoring"),
    ]
    assert [(case["id"], case["days_overdue"]) for case in board["follow_ups_due"]] == [(int(active_case), 1)]
    assert [(case["id"], case["days_since_contact"]) for case in board["no_contact"]] == [(int(silent), 75)]
    assert [case["id"] for case in board["awaiting_follow_up"]] == [int(closed)]
    assert [case["id"] for case in board["no_consent"]] == [int(no_consent)]


def test_days_option_and_setting_change_the_no_contact_threshold(cli, active_case):
    assert cli.json("dashboard")["no_contact"] == []
    assert [case["id"] for case in cli.json("dashboard", "--days", "10")["no_contact"]] == [int(active_case)]
    cli.ok("config", "set", "no_contact_days", "5")
    assert len(cli.json("dashboard")["no_contact"]) == 1


def test_dashboard_for_people_fits_80_columns_without_colour(cli, active_case):
    _open(cli, "A client with a very long name indeed, longer than the column", date="2026-03-01")
    for args in ([], ["dashboard"]):
        output = cli.ok(*args).stdout
        assert max(len(line.rstrip()) for line in output.splitlines()) <= 80
        assert "\x1b[" not in output
        assert "Siti Rahmawati" in output and "●●●◉○○" in output and "No contact in 30 days (1)" in output


def test_dashboard_refuses_a_bad_days_value(cli):
    for value in ("0", "-3", "x"):
        result = cli("dashboard", "--days", value)
        assert result.exit_code == 2 and result.stderr.startswith("lingkaran: "), value
        assert len(result.stderr.strip().splitlines()) == 1


def test_due_lists_follow_ups_and_goal_targets_overdue_first_with_commands(cli, active_case):
    cli.ok("plan", active_case, "--target", "1=2026-06-10", "--target", "2=2026-06-30", "--date", "2026-06-05")
    cli.ok("monitor", active_case, "--note", "ok", "--follow-up", "2026-06-18", "--date", "2026-06-06")
    items = cli.json("due")
    assert [(item["kind"], item["due_on"], item["overdue"]) for item in items] == [
        ("goal-target", "2026-06-10", True),
        ("follow-up", "2026-06-18", False),
    ]
    assert items[0]["command"] == f"lingkaran monitor {active_case} --progress 1=LEVEL --note TEXT"
    assert items[0]["days"] == -5 and items[0]["goal_text"] == "Back to school"
    assert [item["due_on"] for item in cli.json("due", "--within", "30")][-1] == "2026-06-30"
    assert cli.json("due", "--within", "0") == items[:1]


def test_a_goal_target_is_done_once_a_level_is_recorded_on_or_after_it(cli, active_case):
    cli.ok("plan", active_case, "--target", "1=2026-06-10", "--date", "2026-06-05")
    cli.ok("monitor", active_case, "--progress", "1=0", "--note", "on target", "--date", "2026-06-12")
    assert cli.json("due") == []


def test_due_for_people_marks_overdue_and_fits_80_columns(cli, active_case):
    cli.ok("plan", active_case, "--target", "1=2026-06-10", "--date", "2026-06-05")
    output = cli.ok("due").stdout
    assert output.startswith("! 10 Jun 2026") and "5 d overdue" in output
    assert f"→ lingkaran monitor {active_case} --progress 1=LEVEL" in output
    assert max(len(line.rstrip()) for line in output.splitlines()) <= 80


def test_due_is_an_empty_array_when_nothing_is_due_and_refuses_bad_within(cli, opened_case):
    assert cli.json("due") == []
    assert "Nothing due in the next 7 days." in cli.ok("due").stdout
    result = cli("due", "--within", "-1")
    assert result.exit_code == 2 and "--within" in result.stderr


def test_installed_command_with_no_arguments_prints_the_dashboard(lingkaran, cli, active_case):
    result = lingkaran()
    assert result.returncode == 0 and "Active cases by step (1)" in result.stdout
    board = json.loads(lingkaran("dashboard", "--json").stdout)
    assert board["active"][0]["client"] == "Siti Rahmawati"
    assert json.loads(lingkaran("due", "--json").stdout) == []


def test_json_runs_of_the_daily_commands_never_load_rich(cli, active_case):
    import subprocess
    import sys

    for command in (
        "['dashboard', '--json']",
        "['due', '--json']",
        "['search', 'visit', '--json']",
        "['stats', '--json']",
    ):
        code = (
            "import sys; from lingkaran.cli.app import app\n"
            f"try: app({command})\nexcept SystemExit: pass\n"
            "assert 'rich' not in sys.modules, 'rich loaded'"
        )
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert result.returncode == 0 and result.stdout.lstrip()[:1] in ("[", "{"), (command, result.stderr)


class QueryPlans:
    """A connection stand-in that records SQLite's plan for every query it runs."""

    def __init__(self, conn):
        self.conn, self.plans = conn, []

    def execute(self, sql, params=()):
        self.plans.append((sql, [row[3] for row in self.conn.execute("EXPLAIN QUERY PLAN " + sql, params)]))
        return self.conn.execute(sql, params)


def test_every_dashboard_agenda_stats_and_search_query_uses_an_index(cli, active_case, db_path):
    import datetime as dt

    from lingkaran.readmodels import stats
    from lingkaran.store import corrections, search
    from lingkaran.store.database import connect

    cli.ok(
        "refer", active_case, "--to", "Rumah Aman", "--service", "Bed", "--due", "2026-06-10", "--date", "2026-06-05"
    )
    event_uuid = cli.json("log", active_case)[-1]["uuid"]
    conn = QueryPlans(connect(db_path))
    dashboard.dashboard(conn, dashboard.Context(today=dt.date(2026, 6, 15), no_contact_days=30))
    dashboard.due(conn, dt.date(2026, 6, 15), 7)
    stats.figures(conn, "2026-01-01", "2026-12-31")
    search.search(conn, "visit", case_id=1, limit=5)
    corrections.find_event(conn, event_uuid[:8])
    for sql, plan in conn.plans:
        full_scans = [step for step in plan if step.startswith("SCAN") and "VIRTUAL TABLE" not in step]
        assert not full_scans, (sql, plan)
    assert len(conn.plans) >= 20


def test_a_hand_broken_no_contact_setting_is_one_line_not_a_traceback(cli, tmp_path):
    path = tmp_path / "config" / "config.json"
    path.parent.mkdir()
    path.write_text('{"no_contact_days": "soon"}')
    result = cli("dashboard")
    assert result.exit_code == 2 and "no_contact_days" in result.stderr
    assert cli.json("dashboard", "--days", "5")["no_contact"] == []
