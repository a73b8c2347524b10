"""Terminal control sequences in client text: refused on input, shown harmlessly when old data carries them."""

import json
import sqlite3

import pytest

from lingkaran.errors import ExitCode

ESCAPES = "Budi\x1b]0;pwned\x07\x1b[2J"


@pytest.mark.parametrize(
    "args",
    [
        ["open", ESCAPES, "--level", "mikro", "--problem", "p", "--consent"],
        ["open", "Budi", "--level", "mikro", "--problem", "p\x1b[31mred", "--consent"],
        ["open", "Budi", "--level", "mikro", "--problem", "carriage\rreturn"],
        ["open", "Budi", "--level", "mikro", "--problem", "csi\x9b2J"],
    ],
)
def test_control_characters_in_text_are_refused_and_nothing_is_written(cli, db_path, args):
    result = cli(*args)
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert result.stderr.count("\n") == 1 and "control character" in result.stderr and "\x1b" not in result.stderr
    assert cli.json("list") == []


def test_newlines_and_tabs_stay_allowed_in_notes(cli, active_case):
    note = cli.json("note", active_case, "First line\n\tindented second line\r\nthird")
    assert note["text"] == "First line\n\tindented second line\nthird"


@pytest.fixture
def case_with_old_escapes(cli, active_case, db_path) -> str:
    """A case whose stored text carries escape codes, as an older version or an import could leave them."""
    raw = sqlite3.connect(db_path)
    raw.execute("UPDATE cases SET client = ?, problem = ?", (ESCAPES, "p\x1b[31mred\x07"))
    raw.execute("UPDATE activities SET note = ?", ("visit\x1b[2J done",))
    raw.commit()
    raw.close()
    return active_case


@pytest.mark.parametrize(
    "command",
    [
        ["list"],
        ["show", "1"],
        ["log", "1"],
        ["dashboard"],
        ["report", "1"],
        ["report", "1", "--format", "html"],
        ["search", "visit"],
        ["ecomap", "1", "--format", "dot"],
    ],
)
def test_stored_escape_codes_are_shown_as_visible_marks_not_sent_to_the_terminal(cli, case_with_old_escapes, command):
    out = cli.ok(*command).stdout
    assert "\x1b" not in out and "\x07" not in out
    assert "2J" in out or command == ["dashboard"]


def test_the_visible_mark_for_escape_is_the_control_picture(cli, case_with_old_escapes):
    assert "Budi␛]0;pwned␇␛[2J" in cli.ok("list").stdout


def test_json_keeps_the_stored_text_exactly(cli, case_with_old_escapes):
    assert cli.json("show", case_with_old_escapes)["client"] == ESCAPES


SPOOFING = "Budi\u202eevil\u2066x\u2069\x85\x9b2J"  # a right-to-left override, an isolate, C1 NEL and CSI


@pytest.fixture
def case_with_spoofing_text(cli, active_case, db_path) -> str:
    """Stored text that would reorder or drive the terminal (bidi overrides, C1 controls)."""
    raw = sqlite3.connect(db_path)
    raw.execute("UPDATE cases SET client = ?", (SPOOFING,))
    raw.commit()
    raw.close()
    return active_case


@pytest.mark.parametrize("command", [["list"], ["show", "1"], ["log", "1"], ["dashboard"]])
def test_bidi_overrides_and_c1_controls_are_marked_for_people(cli, case_with_spoofing_text, command):
    out = cli.ok(*command).stdout
    assert not any(character in out for character in "\u202e\u2066\u2069\x85\x9b")


@pytest.mark.parametrize("command", [["show", "1", "--json"], ["list", "--all", "--json"]])
def test_json_escapes_them_and_still_means_the_stored_text(cli, case_with_spoofing_text, command):
    out = cli.ok(*command).stdout
    assert not any(character in out for character in "\u202e\u2066\u2069\x85\x9b")
    parsed = json.loads(out)
    assert (parsed if isinstance(parsed, dict) else parsed[0])["client"] == SPOOFING


@pytest.mark.parametrize(
    "args",
    [
        ["open", "Budi", "--level", "mikro", "--problem", "p"],
        ["intervene", "1", "--activity", "home-visit", "--note", "Visit"],
    ],
)
def test_a_control_character_in_lingkaran_worker_is_blamed_on_the_variable(cli, opened_case, args, monkeypatch):
    monkeypatch.setenv("LINGKARAN_WORKER", "Rina\x07")
    result = cli(*args)
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert result.stderr.startswith("lingkaran: LINGKARAN_WORKER contains a control character")
    monkeypatch.delenv("LINGKARAN_WORKER")
    flag = "--worker" if args[0] == "open" else "--by"
    assert cli(*args, flag, "Rina\x07").stderr.startswith(f"lingkaran: {flag} contains a control character")
