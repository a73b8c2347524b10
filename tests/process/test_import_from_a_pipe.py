"""`lingkaran import <(ssh office lingkaran export --format ndjson)` at a terminal: FILE is a pipe, which can be
read once. The progress bar (shown when stderr is a terminal) counts lines only in a regular file, so the whole
export is imported instead of what the counting left over ("line 21 is not valid JSON")."""

import json
import os

import pytest

from tests.helpers import LINGKARAN

pexpect = pytest.importorskip("pexpect")


def test_an_export_through_process_substitution_imports_whole_at_a_terminal(cli, tmp_path, monkeypatch):
    for number in range(40):  # more than one read buffer of NDJSON
        cli.ok(
            "open",
            f"Client {number}",
            "--level",
            "mikro",
            "--problem",
            "A problem long enough to fill lines",
            "--consent",
        )
    export = tmp_path / "office.ndjson"
    cli.ok("export", "--format", "ndjson", "--output", str(export))
    monkeypatch.setenv("LINGKARAN_DB", str(tmp_path / "laptop.db"))
    script = f'"{LINGKARAN}" import <(cat "{export}") --json > "{tmp_path / "result.json"}"'
    terminal = pexpect.spawn("bash", ["-c", script], env=dict(os.environ), encoding="utf-8", timeout=60)
    terminal.expect(pexpect.EOF)
    terminal.close()
    assert terminal.exitstatus == 0, terminal.before
    assert json.loads((tmp_path / "result.json").read_text())["imported"]["cases"] == 40
