"""The hash chain uses no secret: someone who knows the scheme can rewrite the whole log consistently, and
`check` alone passes. The remedy is a head hash kept somewhere else: `backup` prints it, `check --expect HASH`
fails (exit 5) once the log no longer holds that event."""

import json
import sqlite3

from lingkaran.errors import ExitCode
from lingkaran.store.events import chain_hash, content_hash


def rewrite_whole_chain(db_path, old_text, new_text):
    """What a knowing attacker does: edit an event and a record, then rehash every event from the first."""
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.row_factory = sqlite3.Row
    guards = [row[0] for row in conn.execute("SELECT sql FROM sqlite_master WHERE name LIKE 'events_no_%'")]
    conn.execute("DROP TRIGGER events_no_delete")
    conn.execute("DROP TRIGGER events_no_rewrite")
    conn.execute("UPDATE activities SET note = replace(note, ?, ?)", [old_text, new_text])
    previous = None
    for row in conn.execute("SELECT * FROM events ORDER BY id").fetchall():
        event = dict(row)
        data = json.loads(event["data"].replace(old_text, new_text))
        event["data"], event["content_hash"] = (
            json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False),
            content_hash(data),
        )
        event["prev_hash"], event["hash"] = previous, chain_hash(previous, event)
        conn.execute(
            "UPDATE events SET data = ?, content_hash = ?, prev_hash = ?, hash = ? WHERE id = ?",
            [event["data"], event["content_hash"], event["prev_hash"], event["hash"], event["id"]],
        )
        previous = event["hash"]
    for sql in guards:
        conn.execute(sql)
    conn.close()


def test_backup_prints_the_head_hash_in_json_and_beside_the_path(lingkaran, cli, active_case, tmp_path):
    report = cli.json("backup", tmp_path / "a.db")
    assert report["events"] == 4 and report["head_hash"] == cli.json("check")["head_hash"]
    result = lingkaran("backup", tmp_path / "b.db")
    assert result.returncode == 0 and result.stdout == f"{tmp_path / 'b.db'}\n", "b=$(lingkaran backup) still works"
    assert report["head_hash"] in result.stderr and "check --expect" in result.stderr


def test_check_expect_passes_while_the_log_holds_the_noted_event(lingkaran, cli, active_case, tmp_path):
    noted = cli.json("backup", tmp_path / "a.db")["head_hash"]
    cli.ok("note", active_case, "Later work")
    assert lingkaran("check", "--expect", noted).returncode == 0
    assert lingkaran("check", "--expect", noted[:16].upper()).returncode == 0, "as check prints it, any case"


def test_a_log_rewritten_from_the_first_event_passes_check_but_not_check_expect(
    lingkaran, cli, active_case, db_path, tmp_path
):
    noted = cli.json("backup", tmp_path / "a.db")["head_hash"]
    rewrite_whole_chain(db_path, "First visit", "No visit took place")
    assert lingkaran("check").returncode == 0, "without a hash kept elsewhere the rewrite is not visible"
    result = lingkaran("check", "--expect", noted, "--json")
    assert result.returncode == ExitCode.DATABASE_UNUSABLE
    [problem] = json.loads(result.stdout)["findings"]
    assert problem["check"] == "audit" and problem["expected_hash"] == noted


def test_check_expect_refuses_what_is_not_a_head_hash(lingkaran, active_case):
    result = lingkaran("check", "--expect", "not-a-hash")
    assert result.returncode == ExitCode.INVALID_INPUT and result.stderr.count("\n") == 1
    assert "--expect" in result.stderr
