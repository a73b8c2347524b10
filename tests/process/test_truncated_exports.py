"""An export cut short — even exactly at a line boundary, as a full disk or an interrupted copy leaves it — no
longer imports silently: exports close with the counts of what they hold, import refuses a file without them
or with other numbers (exit 2, nothing imported), and `check` finds cases that arrived without their events."""

import json

import pytest

from lingkaran.errors import ExitCode
from tests.helpers import cases_in


def open_cases(cli, count):
    for number in range(count):
        cli.ok("open", f"Client {number}", "--level", "mikro", "--problem", "Needs help", "--consent")


@pytest.fixture
def exported(cli, tmp_path):
    open_cases(cli, 5)
    path = tmp_path / "all.ndjson"
    cli.ok("export", "--format", "ndjson", "-o", path)
    return path


def test_an_ndjson_export_cut_at_a_line_boundary_imports_nothing(lingkaran, exported, tmp_path):
    lines = exported.read_text().splitlines(keepends=True)
    cut = tmp_path / "cut.ndjson"
    cut.write_text("".join(line for line in lines if '"table":"events"' not in line and '"end"' not in line))
    other = tmp_path / "other.db"
    result = lingkaran("--db", other, "import", cut)
    assert result.returncode == ExitCode.INVALID_INPUT and result.stderr.count("\n") == 1
    assert "cut short" in result.stderr and "10 records and 0 events" in result.stderr  # 5 cases, their consents
    assert "Traceback" not in result.stderr and cases_in(other) == 0


def test_a_whole_export_says_its_counts_matched(cli, exported, tmp_path):
    assert json.loads(exported.read_text().splitlines()[-1]) == {"end": {"records": 10, "events": 5}}  # cases, consents
    report = cli.json("--db", tmp_path / "other.db", "import", exported)
    assert report["counted"] is True and report["imported"]["cases"] == 5


def test_a_json_export_with_a_record_taken_out_is_refused(cli, tmp_path):
    open_cases(cli, 3)
    document = json.loads(cli.ok("export").stdout)
    assert document["counted"] is True and document["end"] == {"records": 6, "events": 3}
    document["records"] = [item for item in document["records"] if item["table"] != "cases"][:-1] + [
        item for item in document["records"] if item["table"] == "cases"
    ][:2]
    result = cli("--db", tmp_path / "other.db", "import", "-", input=json.dumps(document))
    assert result.exit_code == ExitCode.INVALID_INPUT and "nothing was imported" in result.stderr
    assert cases_in(tmp_path / "other.db") == 0


def test_nothing_may_follow_the_closing_counts(cli, exported, tmp_path):
    lines = exported.read_text().splitlines()
    result = cli("--db", tmp_path / "other.db", "import", "-", input="\n".join([*lines, lines[1]]))
    assert result.exit_code == ExitCode.INVALID_INPUT and "nothing may follow" in result.stderr


def test_an_older_export_without_counts_imports_and_says_so(cli, exported, tmp_path):
    head, *items, _end = [json.loads(line) for line in exported.read_text().splitlines()]
    del head["counted"]
    older = "\n".join(json.dumps(line) for line in [head, *items])
    result = cli("--db", tmp_path / "other.db", "import", "-", "--json", input=older)
    assert result.exit_code == 0 and json.loads(result.stdout)["counted"] is False
    assert "cannot be told" in result.stderr


def test_check_finds_the_cases_an_older_cut_export_left_without_events(lingkaran, exported, tmp_path):
    head, *items, _end = [json.loads(line) for line in exported.read_text().splitlines()]
    del head["counted"]
    older = tmp_path / "older.ndjson"
    older.write_text("\n".join(json.dumps(line) for line in [head, *items] if line.get("table") != "events"))
    other = tmp_path / "other.db"
    assert lingkaran("--db", other, "import", older).returncode == 0
    result = lingkaran("--db", other, "check", "--json")
    assert result.returncode == ExitCode.DATABASE_UNUSABLE
    problems = json.loads(result.stdout)["findings"]
    assert [(problem["table"], problem["row"]) for problem in problems] == [("cases", row) for row in range(1, 6)]
    assert all("no `open` event" in problem["message"] for problem in problems)
