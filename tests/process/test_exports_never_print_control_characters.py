"""Control characters that reached the caseload (an old import, a SQLite tool) never leave an export raw:
`export --format csv` printed ESC, BEL and NUL to the terminal (the window title changed), and JSON left the
C1 controls (CSI is U+009B) and DEL raw, as a plain bundle still did. JSON and bundles now write them as \\u
escapes, which mean the same; CSV, which has no escapes, writes the same six characters, for a terminal and a
spreadsheet alike."""

import json
import sqlite3

import pytest

RETITLE = "Budi\x1b]0;pwned\x07 and\x00 more"
C1_AND_DEL = "Sari\x9b2J\x7f\x85end"
RAW = ("\x1b", "\x07", "\x00", "\x9b", "\x7f", "\x85")


@pytest.fixture
def stored_controls(cli, db_path):
    """Two cases whose names hold control characters, as a SQLite tool or an older import could leave them."""
    for client in ("Budi", "Sari"):
        cli.ok("open", client, "--level", "mikro", "--problem", "Needs help", "--consent")
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE cases SET client = ? WHERE id = 1", [RETITLE])
    conn.execute("UPDATE cases SET client = ? WHERE id = 2", [C1_AND_DEL])
    conn.commit()
    conn.close()


def test_a_csv_export_to_the_terminal_carries_no_raw_control_character(lingkaran, stored_controls):
    result = lingkaran("export", "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert not any(raw in result.stdout for raw in RAW)
    assert '"Budi\\u001b]0;pwned\\u0007 and\\u0000 more"' in result.stdout
    assert '"Sari\\u009b2J\\u007f\\u0085end"' in result.stdout


def test_a_csv_cell_keeps_its_tabs_and_newlines(cli, active_case, tmp_path):
    cli.ok("open", "Rina", "--level", "mikro", "--problem", "Two lines\n\tand a tab", "--consent")
    assert '"Two lines\n\tand a tab"' in cli.ok("export", "--format", "csv").stdout


@pytest.mark.parametrize("fmt", ["json", "ndjson"])
def test_json_exports_escape_c1_and_del_and_mean_the_same(lingkaran, stored_controls, fmt):
    result = lingkaran("export", "--format", fmt)
    assert result.returncode == 0, result.stderr
    assert not any(raw in result.stdout for raw in RAW)
    assert "\\u009b" in result.stdout and "\\u007f" in result.stdout and "\\u001b" in result.stdout
    lines = result.stdout.splitlines()
    items = json.loads(result.stdout)["records"] if fmt == "json" else [json.loads(line) for line in lines[1:-1]]
    assert [item["record"]["client"] for item in items if item["table"] == "cases"] == [RETITLE, C1_AND_DEL]


def test_a_plain_bundle_escapes_them_too_and_means_the_same(lingkaran, stored_controls, tmp_path):
    bundle = tmp_path / "team.bundle"
    assert lingkaran("bundle", bundle, "--plain").returncode == 0
    text = bundle.read_bytes().decode()
    assert not any(raw in text for raw in RAW)  # `cat team.bundle` can neither retitle nor clear the terminal
    items = [json.loads(line) for line in text.splitlines()[3:]]
    assert [item["record"]["client"] for item in items if item["table"] == "cases"] == [RETITLE, C1_AND_DEL]
