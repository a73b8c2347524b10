"""Files the parsers choke on are refused in one line with exit 2, never a traceback with exit 1: a CSV cell
longer than the csv module's default limit (131,072 characters), also with --skip-invalid, and JSON nested
about 1,000 deep (Python's parser recurses once per level)."""

import hashlib
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


def _plain_bundle(path, payload: bytes):
    """A plain bundle holding `payload`, with the checksum that makes it whole (anyone can write one)."""
    checksum = json.dumps({"sha256": hashlib.sha256(payload).hexdigest()}).encode()
    path.write_bytes(b"lingkaran-bundle 1 plain\n" + checksum + b"\n" + payload)
    return path


@pytest.mark.parametrize("depth", [1_000, 5_000, 100_000])
def test_a_plain_bundle_with_a_line_nested_too_deep_is_refused_in_one_line(lingkaran, db_path, tmp_path, depth):
    header = json.dumps({"format": "lingkaran-bundle", "version": 1, "schema": 1, "presupposes": {}})
    deep = "[" * depth + "]" * depth
    for payload in (f"{header}\n{deep}\n", f"{deep}\n"):
        bundle = _plain_bundle(tmp_path / "deep.bundle", payload.encode())
        refused_in_one_line(lingkaran("import", bundle), "the bundle's content is not what lingkaran writes")
    assert cases_in(db_path) == 0


def test_a_bundles_settings_line_nested_too_deep_is_refused_in_one_line(lingkaran, db_path, tmp_path):
    bundle = tmp_path / "deep.bundle"
    bundle.write_bytes(b"lingkaran-bundle 1 plain\n" + b"[" * 5000 + b"]" * 5000 + b"\n{}\n")
    result = lingkaran("import", bundle)
    assert result.returncode == ExitCode.DATABASE_UNUSABLE and result.stderr.count("\n") == 1, result.stderr
    assert "is not a whole lingkaran bundle" in result.stderr and cases_in(db_path) == 0


def _an_event_with_deep_data(lingkaran, tmp_path, depth: int):
    """A caseload with one case, and an export holding a note event for it whose data nests `depth` deep (in the
    older form, with its content hash right: nothing but the nesting is wrong). Written as text: this test's own
    json module would recurse too deeply to write it."""
    assert lingkaran("open", "Siti", "--level", "mikro", "--problem", "Left school", "--consent").returncode == 0
    export = tmp_path / "case.ndjson"
    assert lingkaran("export", "--format", "ndjson", "-o", export).returncode == 0
    head, *items = [json.loads(line) for line in export.read_text().splitlines()]
    opening = next(item["record"] for item in items if item.get("table") == "events")
    data = '{"extra":' + "[" * depth + '"x"' + "]" * depth + ',"note":"deep","note_uuid":"0f0f0f0f-0000-4000-8000-2"}'
    event = {
        **{key: opening[key] for key in ("case_uuid", "phase", "cycle", "occurred_on", "recorded_at")},
        "uuid": "0f0f0f0f-0000-4000-8000-000000000001",
        "kind": "note",
        "content_hash": hashlib.sha256(data.encode()).hexdigest(),
    }
    head.pop("counted")
    line = '{"table": "events", "record": ' + json.dumps(event)[:-1] + ', "data": ' + data + "}}"
    forged = tmp_path / "deep-event.ndjson"
    forged.write_text(json.dumps(head) + "\n" + line + "\n")
    return forged


@pytest.mark.parametrize("depth", [40, 970])
def test_an_event_whose_data_nests_deeper_than_lingkaran_writes_is_refused(lingkaran, db_path, tmp_path, depth):
    """Nested less deep than the parser's limit, it was stored, and `check`, `restore` and `export --anonymize`
    then stopped with a traceback (their own code runs deeper in the stack than the import's parser)."""
    forged = _an_event_with_deep_data(lingkaran, tmp_path, depth)
    before = db_path.read_bytes()
    refused_in_one_line(lingkaran("import", forged), "line 2", "nested more than 32 levels deep")
    assert lingkaran("check").returncode in (0, ExitCode.DATABASE_UNUSABLE)  # tmp_path may be open to others
    assert "Traceback" not in lingkaran("check").stderr
    assert db_path.read_bytes() == before


def test_a_bundle_since_a_file_nested_too_deep_is_refused_in_one_line(lingkaran, tmp_path):
    assert lingkaran("open", "Siti", "--level", "mikro", "--problem", "Left school", "--consent").returncode == 0
    status = tmp_path / "status.json"
    status.write_text("[" * 100_000 + "]" * 100_000)
    result = lingkaran("bundle", tmp_path / "b.bundle", "--plain", "--since", status)
    refused_in_one_line(result, "--since needs a file holding a colleague's `lingkaran sync status --json` output")
    assert not (tmp_path / "b.bundle").exists()


def test_a_settings_file_nested_too_deep_is_refused_in_one_line(lingkaran, tmp_path):
    settings = tmp_path / "settings.json"
    settings.write_text('{"a": ' * 5000 + "1" + "}" * 5000)
    for command in (["list"], ["config", "set", "worker", "Rina"]):
        result = lingkaran(*command, env={"LINGKARAN_CONFIG": str(settings)})
        refused_in_one_line(result, "cannot read the settings file", "nested too deeply")
