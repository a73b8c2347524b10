"""Every event says where it comes from and what it knew: device, sequence, clock, parents. A caseload from
before (tests/data/caseload-schema-6.db, written by lingkaran at schema 6) migrates with every event kept."""

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from lingkaran.domain import hlc
from lingkaran.store import devices

SCHEMA_6 = Path(__file__).parents[1] / "data" / "caseload-schema-6.db"


def events_of(path: Path) -> list[dict]:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    found = [dict(row) for row in conn.execute("SELECT * FROM events ORDER BY id")]
    conn.close()
    return found


def this_device(path: Path) -> str:
    conn = sqlite3.connect(path)
    device = conn.execute("SELECT device FROM this_device").fetchone()[0]
    conn.close()
    return device


@pytest.fixture
def schema_6(db_path) -> Path:
    shutil.copyfile(SCHEMA_6, db_path)
    db_path.chmod(0o600)
    return db_path


def test_a_caseload_from_schema_6_keeps_every_event_and_passes_check(schema_6, lingkaran):
    before = events_of(schema_6)
    assert lingkaran("list", "--all", "--json").returncode == 0  # any command migrates
    after = events_of(schema_6)
    kept = ("uuid", "case_uuid", "kind", "occurred_on", "recorded_at", "data", "content_hash", "prev_hash", "hash")
    assert [{name: event[name] for name in kept} for event in after] == [
        {name: event[name] for name in kept} for event in before
    ]
    assert {(event["device"], event["seq"], event["parents"]) for event in after} == {("legacy", None, "[]")}
    assert [event["clock"] for event in after] == [hlc.from_instant(event["recorded_at"]) for event in before]
    result = lingkaran("check", "--json")
    assert json.loads(result.stdout)["findings"] == [] or _only_permissions(result)


def _only_permissions(result) -> bool:
    return {found["check"] for found in json.loads(result.stdout)["findings"]} == {"permissions"}


def test_the_first_new_event_of_a_migrated_case_follows_its_latest_legacy_event(schema_6, cli):
    legacy = [event for event in events_of(schema_6) if event["case_uuid"] and event["kind"] != "import"]
    case_uuid = legacy[0]["case_uuid"]
    latest = max(
        (event for event in legacy if event["case_uuid"] == case_uuid),
        key=lambda event: (hlc.from_instant(event["recorded_at"]), event["uuid"]),
    )
    cli.ok("note", "1", "Visited again after the upgrade")
    written = events_of(schema_6)[-1]
    assert (written["kind"], written["seq"], written["prev_hash"]) == ("note", 1, None)
    assert json.loads(written["parents"]) == [latest["uuid"]]
    assert written["device"] == this_device(schema_6) != "legacy"
    assert cli("check").exit_code == 0


def test_each_event_is_stamped_with_the_device_the_next_sequence_a_clock_and_the_case_heads(cli, active_case, db_path):
    written = events_of(db_path)
    assert {event["device"] for event in written} == {this_device(db_path)}
    assert [event["seq"] for event in written] == list(range(1, len(written) + 1))
    assert [event["clock"] for event in written] == sorted(event["clock"] for event in written)
    assert all(hlc.is_stamp(event["clock"]) for event in written)
    assert json.loads(written[0]["parents"]) == []
    for previous, event in zip(written, written[1:], strict=False):
        assert json.loads(event["parents"]) == [previous["uuid"]]  # one laptop: each follows the one before
        assert event["prev_hash"] == previous["hash"]
    assert [event["occurred_on"] for event in written] == ["2026-06-01", "2026-06-02", "2026-06-03", "2026-06-04"]


def test_an_event_of_another_case_does_not_follow_this_one(cli, opened_case, db_path):
    other = cli.json("open", "Budi", "--level", "mikro", "--problem", "Lost his job")
    cli.ok("note", opened_case, "Called her")
    first, opening, note = events_of(db_path)
    assert json.loads(opening["parents"]) == [] and opening["case_uuid"] == other["uuid"]
    assert json.loads(note["parents"]) == [first["uuid"]]


def test_a_copy_of_the_file_becomes_a_new_device_at_its_first_write(cli, active_case, db_path, tmp_path):
    copy = tmp_path / "copy.db"
    shutil.copy(db_path, copy)
    original = this_device(db_path)
    assert this_device(copy) == original  # a copy that has not written yet is not a device of its own yet
    cli.ok("--db", copy, "note", active_case, "Written on the copy")
    cli.ok("note", active_case, "Written on the original")
    new = this_device(copy)
    assert new != original and this_device(db_path) == original
    copied_note, original_note = events_of(copy)[-1], events_of(db_path)[-1]
    assert (copied_note["device"], copied_note["seq"], copied_note["prev_hash"]) == (new, 1, None)
    assert (original_note["device"], original_note["seq"]) == (original, 5)
    assert copied_note["parents"] == original_note["parents"]  # both followed the same head: concurrent
    assert cli("--db", copy, "check").exit_code == 0 and cli("check").exit_code == 0


def test_a_computer_clock_years_behind_still_stamps_after_everything_it_has_seen(
    cli, opened_case, db_path, monkeypatch
):
    latest = events_of(db_path)[-1]["clock"]
    monkeypatch.setattr(devices, "wall_ms", lambda: 0)
    cli.ok("note", opened_case, "Written with a flat clock battery")
    written = events_of(db_path)[-1]
    assert written["clock"] > latest and written["clock"].startswith(latest[:23])
