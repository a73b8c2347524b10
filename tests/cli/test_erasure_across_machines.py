"""Erasure must hold when records travel between laptops, and the audit must see events refiled by hand."""

import json
import sqlite3

from lingkaran.errors import ExitCode


def _export(cli, db, case, path):
    cli.ok("--db", db, "export", "--case", case, "--format", "ndjson", "--force", "-o", path)
    return path


def test_a_forget_that_arrives_by_import_erases_the_case_here_too(cli, tmp_path):
    here, there = tmp_path / "here.db", tmp_path / "there.db"
    cli.ok(
        "--db",
        here,
        "open",
        "Siti Rahmawati",
        "--level",
        "mikro",
        "--problem",
        "eviction",
        "--consent",
        "--date",
        "2026-01-05",
    )
    cli.ok("--db", here, "note", "1", "Siti disclosed violence by her husband Budi", "--date", "2026-01-06")
    cli.ok("--db", there, "import", _export(cli, here, "1", tmp_path / "first.ndjson"))
    cli.ok("--db", here, "terminate", "1", "--reason", "withdrew", "--summary", "stopped", "--date", "2026-02-01")
    cli.ok("--db", here, "forget", "1", "--yes")
    second = _export(cli, here, "1", tmp_path / "second.ndjson")
    refused = cli("--db", there, "import", second)  # an export holds no secret: anyone could have closed it there
    assert refused.exit_code == ExitCode.STEP_REFUSED and "close it first" in refused.stderr
    cli.ok("--db", there, "terminate", "1", "--reason", "withdrew", "--summary", "stopped", "--date", "2026-02-01")
    result = json.loads(cli.ok("--db", there, "import", second, "--json").stdout)
    assert result["erased"] == [1]
    assert cli.json("--db", there, "search", "Budi") == []
    assert cli.json("--db", there, "show", "1")["erased"] is True
    findings = json.loads(cli("--db", there, "check", "--json").stdout)["findings"]
    assert [finding for finding in findings if finding["check"] != "permissions"] == []  # tmp_path is 0755
    assert b"Budi" not in there.read_bytes() and b"Rahmawati" not in there.read_bytes()


def test_records_arriving_for_a_case_erased_here_are_not_kept(cli, tmp_path):
    here, there = tmp_path / "here.db", tmp_path / "there.db"
    cli.ok("--db", here, "open", "Siti", "--level", "mikro", "--problem", "p", "--consent", "--date", "2026-01-05")
    cli.ok("--db", there, "import", _export(cli, here, "1", tmp_path / "first.ndjson"))
    cli.ok("--db", there, "note", "1", "new address Jl. Melati 12", "--date", "2026-01-10")
    later = _export(cli, there, "1", tmp_path / "later.ndjson")
    cli.ok("--db", here, "terminate", "1", "--reason", "withdrew", "--summary", "x", "--date", "2026-02-01")
    cli.ok("--db", here, "forget", "1", "--yes")
    cli.ok("--db", here, "import", later)
    assert cli.json("--db", here, "search", "Melati") == []
    assert [row[0] for row in sqlite3.connect(here).execute("SELECT text FROM notes")] in ([], [""], [None])


def test_an_event_refiled_under_no_case_is_an_audit_finding_and_the_guard_refuses_it(cli, db_path):
    cli.ok("open", "Ani", "--level", "mikro", "--problem", "p", "--consent", "--date", "2026-01-01")
    conn = sqlite3.connect(db_path)
    try:
        conn.execute("UPDATE events SET case_id = NULL")
        refused = False
    except sqlite3.IntegrityError:
        refused = True
    assert refused, "the append-only guard covers events.case_id"
    conn.execute("DROP TRIGGER events_no_rewrite")
    conn.execute("UPDATE events SET case_id = NULL")
    conn.commit()
    conn.close()
    result = cli("check", "--json")
    assert result.exit_code == ExitCode.DATABASE_UNUSABLE
    assert any(finding["check"] == "audit" for finding in json.loads(result.stdout)["findings"])


def test_link_events_name_no_client(cli):
    cli.ok("open", "Keluarga Hartono", "--level", "mezzo", "--problem", "x", "--consent")
    cli.ok("open", "Dewi Hartono", "--level", "mikro", "--problem", "y", "--consent", "--part-of", "1")
    link = next(event for event in cli.json("log", "2") if event["kind"] == "link")
    assert "Hartono" not in json.dumps(link["data"])


def test_an_imported_event_with_a_cycle_that_is_not_a_whole_number_is_refused(cli, tmp_path):
    here, there = tmp_path / "here.db", tmp_path / "there.db"
    cli.ok("--db", here, "open", "Ani", "--level", "mikro", "--problem", "p", "--consent")
    lines = _export(cli, here, "1", tmp_path / "e.ndjson").read_text().splitlines()
    items = [json.loads(line) for line in lines]
    for item in items[1:]:
        if item.get("table") == "events":
            item["record"]["cycle"] = 1.0
    (tmp_path / "bad.ndjson").write_text("\n".join(json.dumps(item) for item in items) + "\n")
    result = cli("--db", there, "import", tmp_path / "bad.ndjson")
    assert result.exit_code == ExitCode.INVALID_INPUT and "whole number" in result.stderr
