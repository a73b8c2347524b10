"""An import into a caseload that holds nothing yet checks each event against those that arrived before it in
memory and stores them in batches (store/arrivals.py, `IntoEmpty`); the file it leaves must be the file the
one-event-at-a-time path leaves, and it must refuse what that path refuses."""

import json
import sqlite3
from pathlib import Path

import pytest

from tests.helpers import pass_bundle, rows


def export_lines(cli, source: Path) -> list[dict]:
    return [
        json.loads(line)
        for line in cli.ok("--db", source, "export", "--force", "--format", "ndjson").stdout.splitlines()
    ]


def write_lines(path: Path, lines: list[dict]) -> Path:
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path


def log_state(path: Path) -> dict:
    """What an import writes besides the records: events with their origin, heads, runs of sequences (of the
    events that arrived: this file's own device's are left out)."""
    conn = sqlite3.connect(path)
    try:
        own = conn.execute("SELECT device FROM this_device").fetchone()[0]
        arrived = "FROM events WHERE device != ? AND kind != 'import'"
        return {
            "events": sorted(
                conn.execute(f"SELECT uuid, device, seq, clock, parents, prev_hash, hash, data {arrived}", [own])
            ),
            "heads": sorted(
                conn.execute(
                    f"SELECT case_uuid, event_uuid FROM case_heads WHERE event_uuid IN (SELECT uuid {arrived})", [own]
                )
            ),
            "sequences": sorted(conn.execute("SELECT * FROM device_sequences WHERE device != ?", [own])),
        }
    finally:
        conn.close()


@pytest.fixture
def merged_source(cli, active_case, db_path, tmp_path) -> Path:
    """A caseload whose case holds concurrent notes from two laptops, merged: an event with two parents."""
    laptop, folder = tmp_path / "laptop.db", tmp_path / "bundles"
    folder.mkdir()
    pass_bundle(cli, db_path, laptop, folder)
    cli.ok("--db", laptop, "note", active_case, "Written on the laptop")
    cli.ok("--db", db_path, "note", active_case, "Written in the office")
    pass_bundle(cli, laptop, db_path, folder)
    cli.ok("--db", db_path, "note", active_case, "After both")
    cli.ok("--db", db_path, "open", "Budi", "--level", "mikro", "--problem", "No birth certificate", "--consent")
    return db_path


def into_empty_and_into_busy(cli, tmp_path: Path, export: Path) -> tuple[Path, Path]:
    empty, busy = tmp_path / "empty.db", tmp_path / "busy.db"
    cli.ok("--db", busy, "open", "Already here", "--level", "mikro", "--problem", "Makes the import go one by one")
    for target in (empty, busy):
        cli.ok("--db", target, "import", export)
    return empty, busy


def test_an_import_into_an_empty_caseload_leaves_what_the_one_by_one_path_leaves(cli, merged_source, tmp_path):
    lines = export_lines(cli, merged_source)
    assert any(len(line["record"].get("parents", [])) == 2 for line in lines[1:-1] if line.get("table") == "events")
    empty, busy = into_empty_and_into_busy(cli, tmp_path, write_lines(tmp_path / "all.ndjson", lines))
    assert log_state(empty) == log_state(busy)
    clock = sqlite3.connect(empty).execute("SELECT clock FROM this_device").fetchone()[0]
    assert clock >= max(event[3] for event in log_state(empty)["events"])  # the next local stamp comes after
    assert cli.json("--db", empty, "show", "1")["client"] == cli.json("--db", merged_source, "show", "1")["client"]
    assert cli("--db", empty, "check").exit_code == 0


def test_events_of_a_device_out_of_their_order_are_judged_one_by_one(cli, merged_source, tmp_path):
    """Two events of one device for different cases, swapped: memory cannot judge the second, the file can."""
    lines = export_lines(cli, merged_source)
    at = {line["record"]["uuid"]: i for i, line in enumerate(lines) if line.get("table") == "events"}
    by_case: dict[str, int] = {}
    for line in lines:
        if line.get("table") == "events":
            by_case[line["record"]["case_uuid"]] = at[line["record"]["uuid"]]  # each case's last event
    first, second = sorted(by_case.values())
    lines[first], lines[second] = lines[second], lines[first]
    assert lines[first]["record"]["seq"] > lines[second]["record"]["seq"]
    empty, busy = into_empty_and_into_busy(cli, tmp_path, write_lines(tmp_path / "swapped.ndjson", lines))
    assert log_state(empty) == log_state(busy)
    assert cli("--db", empty, "check").exit_code == 0


def test_an_event_arrived_twice_is_here_already_and_one_with_another_content_is_refused(cli, merged_source, tmp_path):
    lines = export_lines(cli, merged_source)
    events = [line for line in lines if line.get("table") == "events"]
    twice = [*lines[:-1], events[-1], {"end": {**lines[-1]["end"], "events": lines[-1]["end"]["events"] + 1}}]
    empty = tmp_path / "twice.db"
    imported = cli.json("--db", empty, "import", write_lines(tmp_path / "twice.ndjson", twice), "--json")
    assert imported["already_present"] == 1 and imported["events"] == len(events)
    # the same uuid on another event of the same device (its hash recomputed would not help: the uuid is taken)
    forged = json.loads(json.dumps(events[-2]))
    forged["record"]["uuid"] = events[1]["record"]["uuid"]
    changed = [*lines[:-1], forged, {"end": {**lines[-1]["end"], "events": lines[-1]["end"]["events"] + 1}}]
    for target in (tmp_path / "forged-empty.db", tmp_path / "forged-busy.db"):
        if target.name == "forged-busy.db":
            cli.ok("--db", target, "open", "Already here", "--level", "mikro", "--problem", "One by one")
        result = cli("--db", target, "import", write_lines(tmp_path / "forged.ndjson", changed))
        assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.stderr
    assert rows(tmp_path / "forged-empty.db", "events") == []


def test_the_ids_kept_in_hand_are_a_cache_an_import_reads_again_past_its_size(
    cli, merged_source, tmp_path, monkeypatch
):
    """An import of 10,000 cases held every referenced record's id (45 MB); past IDS_HELD it starts again."""
    from lingkaran.casework.exchange import incoming

    export = write_lines(tmp_path / "all.ndjson", export_lines(cli, merged_source))
    cli.ok("--db", tmp_path / "roomy.db", "import", export)
    monkeypatch.setattr(incoming, "IDS_HELD", 2)
    cli.ok("--db", tmp_path / "tight.db", "import", export)
    roomy, tight = (export_lines(cli, tmp_path / name)[1:-1] for name in ("roomy.db", "tight.db"))
    assert tight == roomy and any(line.get("table") == "ratings" for line in tight)
