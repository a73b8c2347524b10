"""`lingkaran check`: the caseload is whole, its links hold, its audit chain verifies, its files are private.

Each test breaks the file behind lingkaran's back with the plain sqlite3 module, as someone with the laptop could.
"""

import json
import os
import sqlite3

import pytest

from lingkaran.errors import ExitCode
from lingkaran.store import events
from lingkaran.store.database import SCHEMA_VERSION, connect
from tests.helpers import failed_check, tamper


def trigger_sql(db_path, name):
    conn = sqlite3.connect(db_path)
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", [name]).fetchone()[0]
    conn.close()
    return sql


def event_uuids(db_path, kind):
    conn = sqlite3.connect(db_path)
    found = [row[0] for row in conn.execute("SELECT uuid FROM events WHERE kind = ? ORDER BY id", [kind])]
    conn.close()
    return found


def test_a_sound_caseload_passes_check(cli, active_case):
    result = cli("check")
    assert result.exit_code == 0, result.stdout
    assert "no problems found" in result.stdout
    report = cli.json("check")
    assert report == {**report, "ok": True, "findings": [], "schema_version": SCHEMA_VERSION, "events": 4}
    assert len(report["head_hash"]) == 64


def test_check_refuses_a_caseload_that_does_not_exist(cli, tmp_path):
    result = cli("--db", tmp_path / "nowhere.db", "check")
    assert result.exit_code == ExitCode.DATABASE_UNUSABLE and "no caseload" in result.stderr
    assert not (tmp_path / "nowhere.db").exists()


def test_check_catches_event_content_edited_behind_its_back(cli, active_case, db_path):
    tamper(db_path, "UPDATE events SET data = replace(data, 'First visit', 'No visit') WHERE kind = 'intervene'")
    [problem] = failed_check(cli)
    assert problem["check"] == "audit" and problem["case_id"] == int(active_case)
    assert problem["event_uuid"] == event_uuids(db_path, "intervene")[0]
    assert "content was changed" in problem["message"] and problem["event_uuid"] in problem["message"]


def test_check_catches_an_event_kind_rewritten_after_dropping_the_trigger(cli, active_case, db_path):
    rewrite_guard = trigger_sql(db_path, "events_no_rewrite")
    target = event_uuids(db_path, "assess")[0]
    tamper(
        db_path,
        "DROP TRIGGER events_no_rewrite",
        ("UPDATE events SET kind = 'monitor' WHERE uuid = ?", [target]),
        rewrite_guard,
    )
    [problem] = failed_check(cli)
    assert problem["event_uuid"] == target and "fields were changed" in problem["message"]


def test_check_catches_a_deleted_event_and_names_the_one_after_the_gap(cli, active_case, db_path):
    delete_guard = trigger_sql(db_path, "events_no_delete")
    removed, following = event_uuids(db_path, "assess")[0], event_uuids(db_path, "plan")[0]
    tamper(db_path, "DROP TRIGGER events_no_delete", ("DELETE FROM events WHERE uuid = ?", [removed]), delete_guard)
    [problem] = failed_check(cli)
    assert problem["event_uuid"] == following and "does not follow" in problem["message"]


def test_check_reports_missing_triggers(cli, active_case, db_path):
    tamper(db_path, "DROP TRIGGER events_no_delete")
    [problem] = failed_check(cli)
    assert problem["check"] == "schema" and "events_no_delete" in problem["message"]


def test_check_catches_an_event_moved_to_another_case(cli, active_case, db_path):
    other = cli.json("open", "Budi", "--level", "mikro", "--problem", "Lost his job")["id"]
    rewrite_guard = trigger_sql(db_path, "events_no_rewrite")  # it refuses the move: a tamperer drops it first
    tamper(
        db_path,
        "DROP TRIGGER events_no_rewrite",
        ("UPDATE events SET case_id = ? WHERE kind = 'intervene'", [other]),
        rewrite_guard,
    )
    [problem] = failed_check(cli)
    assert problem["event_uuid"] == event_uuids(db_path, "intervene")[0] and "filed under" in problem["message"]


def test_erased_content_passes_only_with_a_later_forget_event(cli, active_case, db_path):
    """The erasure protocol: data becomes {"erased": true}, content_hash stays, a `forget` event follows."""
    tamper(db_path, ("UPDATE events SET data = ? WHERE case_id = ?", ['{"erased": true}', int(active_case)]))
    problems = failed_check(cli)
    assert [p["check"] for p in problems] == ["audit"] and "without a recorded `forget`" in problems[0]["message"]
    assert problems[0]["event_uuid"] == event_uuids(db_path, "open")[0]
    conn = connect(db_path)
    case = dict(conn.execute("SELECT id, uuid FROM cases WHERE id = ?", [int(active_case)]).fetchone())
    with conn:
        events.append(
            conn,
            events.CaseRef(case["id"], case["uuid"]),
            "forget",
            phase=None,
            cycle=None,
            occurred_on="2026-06-15",
            data={"erased_events": 4},
        )
    conn.close()
    # the audit now passes; only the records were never blanked, so their words are still in the search index
    assert [problem["check"] for problem in failed_check(cli)] == ["erasure"]


def test_check_catches_a_record_pointing_at_a_missing_case(cli, active_case, db_path):
    tamper(db_path, "PRAGMA foreign_keys = OFF", "UPDATE activities SET case_id = 999")
    [problem] = failed_check(cli)
    assert problem["check"] == "foreign_keys" and "activities" in problem["message"]


def overwrite_pages(db_path, pages, junk=b"\xff" * 64):
    """Scribble over some pages of the file, as a failing disk would."""
    page_size = sqlite3.connect(db_path).execute("PRAGMA page_size").fetchone()[0]
    with open(db_path, "r+b") as file:
        for page in pages:
            file.seek((page - 1) * page_size + 8)
            file.write(junk)


def test_check_names_a_damaged_index(cli, active_case, db_path):
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    [index_page] = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'idx_activities_uuid'").fetchone()
    conn.close()
    overwrite_pages(db_path, [index_page], junk=b"\x0a\x00\x00\x00\x01")
    [problem, *_] = failed_check(cli)
    assert problem["check"] == "integrity" and "damaged" in problem["message"]


def test_a_badly_damaged_file_is_exit_5_in_one_line(cli, active_case, db_path):
    sqlite3.connect(db_path).execute("PRAGMA wal_checkpoint(TRUNCATE)")
    overwrite_pages(db_path, range(2, db_path.stat().st_size // 4096))
    result = cli("check", "--json")
    assert result.exit_code == ExitCode.DATABASE_UNUSABLE and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr and "restore" in result.stderr


@pytest.mark.parametrize("target", ["database", "folder", "backup"])
def test_check_flags_files_others_can_read(cli, active_case, db_path, target):
    backup = cli("backup").stdout.strip()
    path = {"database": db_path, "folder": db_path.parent, "backup": backup}[target]
    os.chmod(path, 0o755 if target == "folder" else 0o644)
    problems = failed_check(cli)
    assert {p["check"] for p in problems} == {"permissions"} and str(path) in [p["path"] for p in problems]
    assert all("chmod" in p["message"] for p in problems)


def test_check_reports_in_human_form_with_one_line_per_problem(cli, active_case, db_path):
    os.chmod(db_path, 0o644)
    result = cli("check")
    assert result.exit_code == ExitCode.DATABASE_UNUSABLE
    problems = result.stdout.splitlines()[1:]
    assert problems and all(line.startswith("✘ permissions: ") for line in problems)  # the WAL inherits 0644


def test_check_names_values_no_command_would_store(cli, active_case, db_path):
    tamper(
        db_path,
        "UPDATE cases SET level = 'kecil'",
        "UPDATE activities SET occurred_on = '15/06/2026'",
        "UPDATE goals SET scale = 'not json' WHERE number = 1",
    )
    problems = failed_check(cli)
    assert sorted((problem["check"], problem["table"]) for problem in problems) == [
        ("values", "activities"),
        ("values", "cases"),
        ("values", "goals"),
    ]
    case_problem = next(problem for problem in problems if problem["table"] == "cases")
    assert case_problem["message"] == "cases row 1: level is not valid; expected one of: mikro, mezzo, makro"
    assert "kecil" not in json.dumps(problems)  # what the file holds is not repeated, only where and what is expected


def test_check_names_event_fields_log_could_not_show(cli, active_case, db_path):
    """Besides the broken chain, check says which fields hold what log could not show."""
    trigger = trigger_sql(db_path, "events_no_rewrite")
    tamper(
        db_path,
        "DROP TRIGGER events_no_rewrite",
        "UPDATE events SET occurred_on = 'garbage', phase = 'nowhere' WHERE kind = 'intervene'",
        trigger,
    )
    problems = [problem for problem in failed_check(cli) if problem["check"] == "values"]
    assert sorted(problem["message"].split(":")[0] for problem in problems) == ["events row 4", "events row 4"]
