"""Files the parsers choke on are refused in one line with exit 2, never a traceback with exit 1: a CSV cell
longer than the csv module's default limit (131,072 characters), also with --skip-invalid, and JSON nested
about 1,000 deep (Python's parser recurses once per level)."""

import json

import pytest

from lingkaran.errors import ExitCode
from tests.helpers import cases_in

HEADER = json.dumps({"format": "lingkaran-export", "version": 1})


def refused_in_one_line(result, *words):
    assert result.returncode == ExitCode.INVALID_INPUT, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert all(word in result.stderr for word in words), result.stderr


@pytest.mark.parametrize("skip", [[], ["--skip-invalid"]])
def test_a_csv_cell_longer_than_a_command_takes_is_refused_in_one_line(lingkaran, db_path, tmp_path, skip):
    sheet = tmp_path / "cases.csv"
    sheet.write_text("client,level,problem\nSiti,mikro,short\nBudi,mikro," + "x" * 1_000_001 + "\n")
    refused_in_one_line(lingkaran("import", sheet, *skip), "line 3", "longer than 1000000 characters")
    assert cases_in(db_path) == 0


def test_a_csv_cell_past_the_csv_modules_default_limit_is_a_problem_like_any_other(lingkaran, db_path, tmp_path):
    """`lingkaran open` takes a problem of 200,000 characters, so a spreadsheet row may hold one too."""
    sheet = tmp_path / "cases.csv"
    sheet.write_text("client,level,problem\nSiti,mikro," + "x" * 200_000 + "\n")
    result = lingkaran("import", sheet)
    assert result.returncode == 0, result.stderr
    assert cases_in(db_path) == 1


def test_a_json_document_nested_a_thousand_deep_is_refused_in_one_line(lingkaran, db_path, tmp_path):
    document = tmp_path / "deep.json"
    document.write_text('{"format": "lingkaran-export", "version": 1,\n"records": [' + "[" * 1000 + "]" * 1000 + "]}")
    refused_in_one_line(lingkaran("import", document), "the file", "nested too deeply")
    assert cases_in(db_path) == 0


def test_an_ndjson_line_nested_a_thousand_deep_is_refused_in_one_line(lingkaran, db_path, tmp_path):
    lines = tmp_path / "deep.ndjson"
    lines.write_text(HEADER + '\n{"table": "cases", "record": ' + "[" * 1000 + "]" * 1000 + "}\n")
    refused_in_one_line(lingkaran("import", lines), "line 2", "nested too deeply")
    refused_in_one_line(lingkaran("import", "-", input="[" * 5000 + "]" * 5000), "line 1", "nested too deeply")
