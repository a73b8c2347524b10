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


@pytest.mark.parametrize("depth", [1000, 100_000])
def test_a_json_document_nested_deep_is_refused_in_one_line(lingkaran, db_path, tmp_path, depth):
    """Past 1,024 levels the parser refuses it; below, the item is not what an export holds."""
    document = tmp_path / "deep.json"
    document.write_text('{"format": "lingkaran-export", "version": 1,\n"records": [' + "[" * depth + "]" * depth + "]}")
    refused_in_one_line(lingkaran("import", document), "the file" if depth > 1024 else "record 1")
    if depth > 1024:
        refused_in_one_line(lingkaran("import", document), "nested too deeply")
    assert cases_in(db_path) == 0


@pytest.mark.parametrize("depth", [1000, 100_000])
def test_an_ndjson_line_nested_deep_is_refused_in_one_line(lingkaran, db_path, tmp_path, depth):
    lines = tmp_path / "deep.ndjson"
    lines.write_text(HEADER + '\n{"table": "cases", "record": ' + "[" * depth + "]" * depth + "}\n")
    refused_in_one_line(lingkaran("import", lines), "line 2", *(["nested too deeply"] if depth > 1024 else []))
    refused_in_one_line(lingkaran("import", "-", input="[" * 5000 + "]" * 5000), "line 1", "nested too deeply")
    assert cases_in(db_path) == 0


@pytest.mark.parametrize("depth", [300, 1000, 1020])
def test_an_events_data_nested_deep_is_refused_in_one_line(lingkaran, db_path, tmp_path, depth):
    """Data deeper than one encoder writes goes to the other; deeper than both can, it is refused, never a
    traceback (an event's content is encoded to check its hash)."""
    event = {
        "uuid": "e-1",
        "kind": "note",
        "recorded_at": "2026-12-01T08:00:00+00:00",
        "content_hash": "0" * 64,
        "data": {"x": None},
    }
    text = json.dumps({"table": "events", "record": event})
    text = text.replace('"x": null', '"x": ' + "[" * depth + "]" * depth)
    lines = tmp_path / "deep.ndjson"
    lines.write_text(HEADER + "\n" + text + "\n")
    refused_in_one_line(lingkaran("import", lines), "line 2")
    assert cases_in(db_path) == 0
