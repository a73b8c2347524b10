"""A CSV row's consent date keeps the rules of `lingkaran consent`: not in the future, not before the opening."""

import json

import pytest

from tests.helpers import counts

HEADER = "client,level,problem,opened_on,consent,consent_on\n"


@pytest.mark.parametrize(
    "row, problem",
    [
        ("Gita,mikro,p,2026-01-01,ya,2026-12-31", "consent_on 2026-12-31 is in the future"),
        ("Fajar,mikro,p,2026-01-01,ya,2025-01-01", "consent_on 2025-01-01 is before the case was opened (2026-01-01)"),
    ],
)
def test_a_csv_consent_date_the_consent_command_would_refuse_is_a_bad_row(lingkaran, db_path, tmp_path, row, problem):
    source = tmp_path / "cases.csv"
    source.write_text(HEADER + "Ani,mikro,p,2026-01-01,ya,2026-01-02\n" + row + "\n")
    result = lingkaran("import", source)
    assert result.returncode == 2 and result.stdout == "" and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("lingkaran: cases.csv line 3: ")
    assert problem in result.stderr
    assert not db_path.exists() or counts(db_path)["cases"] == 0


def test_the_consent_command_refuses_the_same_dates(cli, opened_case):
    assert cli("consent", opened_case, "--given", "--scope", "x", "--date", "2026-12-31").exit_code == 2
    assert cli("consent", opened_case, "--given", "--scope", "x", "--date", "2026-05-31").exit_code == 2


def test_a_csv_consent_on_the_opening_day_or_today_is_fine(cli, tmp_path):
    source = tmp_path / "cases.csv"
    source.write_text(HEADER + "Ani,mikro,p,2026-01-01,ya,2026-01-01\nBudi,mikro,p,2026-01-01,ya,today\n")
    assert json.loads(cli.ok("import", source, "--json").stdout)["imported"] == {"cases": 2}
    assert [case["consent_on"] for case in cli.json("list")] == ["2026-01-01", "2026-06-15"]
