"""CSV export and spreadsheet formulas (OWASP CSV injection): a cell never starts a formula, and comes back whole."""

import csv

import pytest

FORMULAS = [
    '=HYPERLINK("http://evil.example","klik")',
    "+62 812 3456",
    "-2+3",
    "@SUM(A1:A2)",
    "Budi;=1+2",
    'Siti "Ani", Rahma',
]


@pytest.fixture
def formula_cases(cli) -> list[str]:
    for text in FORMULAS:
        cli.ok("open", "--level", "mikro", "--problem", text, "--source", text, "--consent", "--", text)
    return FORMULAS


def test_no_exported_text_cell_can_start_a_formula(cli, formula_cases):
    rows = list(csv.DictReader(cli.ok("export", "--format", "csv").stdout.splitlines()))
    assert [row["client"] for row in rows] == ["'" + text if text[0] in "=+-@" else text for text in formula_cases]
    assert all(row["problem"] == row["client"] == row["source"] for row in rows)


def test_text_cells_are_quoted_so_a_semicolon_spreadsheet_keeps_them_whole(cli, formula_cases):
    lines = cli.ok("export", "--format", "csv").stdout.splitlines()
    assert lines[0].startswith("id,uuid,client,level,problem")
    assert ',"Budi;=1+2","mikro","Budi;=1+2",' in lines[5]
    assert lines[1].startswith('1,"')  # numbers stay numbers


def test_a_csv_export_imports_back_with_the_formula_text_as_it_was(cli, formula_cases, tmp_path):
    source = tmp_path / "cases.csv"
    cli.ok("export", "--format", "csv", "--output", source)
    target = tmp_path / "other.db"
    cli.ok("--db", target, "import", source)
    imported = cli.json("--db", target, "list")
    assert [case["client"] for case in imported] == formula_cases


ROUND_TRIP_TEXTS = ["'=x", "''=x", "'plain", "=x", "-5", "'", "''", "'-5", "plain", "+62 812", "@x", "'@x"]


@pytest.mark.parametrize("text", ROUND_TRIP_TEXTS)
def test_every_text_comes_back_from_its_spreadsheet_cell_exactly(text):
    from lingkaran.casework.exchange.spreadsheet import FORMULA_STARTS, formula_text, spreadsheet_text

    cell = spreadsheet_text(text)
    assert formula_text(cell) == text
    assert not cell.startswith(FORMULA_STARTS)


@pytest.mark.parametrize("number", [5, -5, 0, 2.5, -0.5])
def test_numbers_stay_numbers_in_a_spreadsheet_cell(number):
    from lingkaran.casework.exchange.spreadsheet import spreadsheet_text

    assert spreadsheet_text(number) == number


def test_a_name_that_starts_with_a_quote_survives_a_csv_round_trip(cli, tmp_path):
    names = ["'=keep quote", "''=x", "'plain", "=x", "-5"]
    for name in names:
        cli.ok("open", "--level", "mikro", "--problem", name, "--consent", "--", name)
    source = tmp_path / "cases.csv"
    cli.ok("export", "--format", "csv", "--output", source)
    target = tmp_path / "other.db"
    cli.ok("--db", target, "import", source)
    assert [(case["client"], case["problem"]) for case in cli.json("--db", target, "list")] == [
        (name, name) for name in names
    ]
