"""An import may store only what a command would: no note past a megabyte (nor a line read whole past 16
million characters, so memory stays bounded), no opening or step dated in the future, no empty client name
(unless the case is erased), no unknown kind of event, no second `open` of a case, no control characters."""

import copy
import json
import sqlite3

import pytest

from lingkaran.errors import ExitCode

SECOND_UUID = "00000000-0000-4000-8000-00000000000a"


@pytest.fixture
def export_items(cli, active_case, tmp_path):
    """The header and the items of an NDJSON export of one active case (closing counts left out)."""
    path = tmp_path / "case.ndjson"
    cli.ok("export", "--format", "ndjson", "-o", path)
    head, *items, _end = [json.loads(line) for line in path.read_text().splitlines()]
    del head["counted"]  # an older export: these files are edited by hand, their counts would no longer hold
    return head, items


def write(tmp_path, head, items, name="edited.ndjson"):
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(line) for line in [head, *items]) + "\n")
    return path


def imported_nothing(lingkaran, path, tmp_path, *words):
    other = tmp_path / "other.db"
    result = lingkaran("--db", other, "import", path)
    assert result.returncode == ExitCode.INVALID_INPUT, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert all(word in result.stderr for word in words), result.stderr
    if other.exists():
        assert sqlite3.connect(other).execute("SELECT count(*) FROM cases").fetchone()[0] == 0


def edited(items, table, **values):
    changed = copy.deepcopy(items)
    for item in changed:
        if item["table"] == table:
            item["record"].update(values)
    return changed


def test_a_line_longer_than_any_export_line_is_refused_before_it_is_read_whole(lingkaran, export_items, tmp_path):
    head, items = export_items
    path = write(tmp_path, head, edited(items, "notes"))
    with path.open("a") as file:
        file.write(json.dumps({"table": "activities", "record": {"note": "x" * 20_000_000}}) + "\n")
    imported_nothing(lingkaran, path, tmp_path, "line", "longer than 16000000 characters")


def test_a_note_longer_than_a_command_takes_is_refused(lingkaran, export_items, tmp_path):
    head, items = export_items
    path = write(tmp_path, head, edited(items, "activities", note="x" * 1_000_001))
    imported_nothing(lingkaran, path, tmp_path, "activities note", "at most 1,000,000 characters")


def test_an_opening_in_the_future_is_refused(lingkaran, export_items, tmp_path):
    head, items = export_items
    path = write(tmp_path, head, edited(items, "cases", opened_on="2026-07-01"))
    imported_nothing(lingkaran, path, tmp_path, "cases opened_on 2026-07-01 is in the future")


def test_an_event_dated_in_the_future_is_refused(lingkaran, export_items, tmp_path):
    head, items = export_items
    future = edited(items, "events")
    event = next(item for item in future if item["table"] == "events" and item["record"]["kind"] == "intervene")
    event["record"]["occurred_on"] = "2027-01-01"
    imported_nothing(lingkaran, write(tmp_path, head, future), tmp_path, "dated 2027-01-01, in the future")


def test_an_empty_client_name_is_refused(lingkaran, export_items, tmp_path):
    head, items = export_items
    imported_nothing(
        lingkaran, write(tmp_path, head, edited(items, "cases", client="  ")), tmp_path, "cases client is empty"
    )


def test_an_erased_case_still_arrives_with_its_blanked_name(cli, active_case, tmp_path):
    cli.ok("terminate", active_case, "--reason", "withdrew", "--summary", "Moved away")
    cli.ok("forget", active_case, "--yes")
    cli.ok("export", "--force", "-o", tmp_path / "erased.json")
    result = cli("--db", tmp_path / "other.db", "import", tmp_path / "erased.json")
    assert result.exit_code == 0, result.stderr


def test_an_unknown_kind_of_event_and_an_import_event_are_refused(lingkaran, export_items, tmp_path):
    head, items = export_items
    for kind, words in (("promote", ("events kind 'promote' is not valid",)), ("import", ("import events",))):
        odd = edited(items, "events")
        next(item for item in odd if item["table"] == "events")["record"]["kind"] = kind
        imported_nothing(lingkaran, write(tmp_path, head, odd, f"{kind}.ndjson"), tmp_path, *words)


def test_a_second_open_event_for_a_case_is_refused(lingkaran, export_items, tmp_path):
    head, items = export_items
    opening = next(item for item in items if item["table"] == "events" and item["record"]["kind"] == "open")
    again = copy.deepcopy(opening)
    again["record"]["uuid"] = SECOND_UUID
    imported_nothing(lingkaran, write(tmp_path, head, [*items, again]), tmp_path, "a second time")


def test_control_characters_in_imported_text_are_refused(lingkaran, export_items, tmp_path):
    head, items = export_items
    imported_nothing(
        lingkaran,
        write(tmp_path, head, edited(items, "cases", client="Budi\x1b]0;pwned\x07")),
        tmp_path,
        "cases client is not valid",
        "control characters",
    )
