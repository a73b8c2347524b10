"""An import may never erase what `lingkaran forget` would refuse to erase: an active case (issue 18, defect 2)."""

import json
import shutil

from lingkaran.errors import ExitCode
from lingkaran.store.events import content_hash


def _open_with_a_note(run, db):
    run(
        "--db",
        db,
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
    run("--db", db, "note", "1", "Siti disclosed violence by her husband Budi", "--date", "2026-01-06")


def _closed_and_erased_copy(cli, original, copy, exported):
    """The caseload copied to a colleague's laptop, where case 1 was closed and erased, exported as NDJSON."""
    shutil.copy(original, copy)
    cli.ok("--db", copy, "terminate", "1", "--reason", "withdrew", "--summary", "stopped", "--date", "2026-02-01")
    cli.ok("--db", copy, "forget", "1", "--yes")
    cli.ok("--db", copy, "export", "--case", "1", "--format", "ndjson", "--force", "-o", exported)
    return exported


def _lines(path):
    """An export's header and items, as a forger edits them: without the closing counts, and with a header that
    announces none (as an older lingkaran's export), so the counts do not give the edit away first."""
    head, *items = [json.loads(line) for line in path.read_text().splitlines()]
    head.pop("counted", None)
    return [head, *(item for item in items if "end" not in item)]


def _write(path, items):
    path.write_text("".join(json.dumps(item) + "\n" for item in items))
    return path


ORIGIN = ("device", "seq", "clock", "parents", "prev_hash", "hash")


def _as_legacy(record):
    """An event as an export of the lingkaran before events said where they came from: a device event cut out
    of its chain is refused for the gap alone, so the forged line is written in the older form, which only the
    erasure rule can stop."""
    return {key: value for key, value in record.items() if key not in ORIGIN}


def _only_the_forget(export, forged):
    """The export's header and its `forget` event, nothing else: the one forged line."""
    head, *items = _lines(export)
    forget = [
        {**item, "record": _as_legacy(item["record"])}
        for item in items
        if item["table"] == "events" and item["record"]["kind"] == "forget"
    ]
    return _write(forged, [head, *forget])


def _held(cli, db, case):
    return cli.json("--db", db, "show", case), cli.json("--db", db, "log", case)


def _check_passes(cli, db):
    findings = json.loads(cli("--db", db, "check", "--json").stdout)["findings"]
    assert [finding for finding in findings if finding["check"] != "permissions"] == []  # tmp_path is 0755


def test_one_forged_forget_line_cannot_erase_an_active_case(cli, lingkaran, tmp_path):
    here = tmp_path / "here.db"
    _open_with_a_note(cli.ok, here)
    export = _closed_and_erased_copy(cli, here, tmp_path / "there.db", tmp_path / "there.ndjson")
    forged = _only_the_forget(export, tmp_path / "forged.ndjson")
    before = _held(cli, here, "1")
    result = lingkaran("--db", here, "import", forged)
    assert result.returncode == ExitCode.STEP_REFUSED
    assert result.stderr.count("\n") == 1
    assert "line 2:" in result.stderr and "case 1, which is still active here" in result.stderr
    assert "nothing was imported" in result.stderr
    assert _held(cli, here, "1") == before
    assert before[0]["client"] == "Siti Rahmawati"
    assert [hit["case_id"] for hit in cli.json("--db", here, "search", "Budi")] == [1]
    _check_passes(cli, here)


def test_a_crafted_forget_event_is_refused_naming_the_case_here(cli, tmp_path):
    here = tmp_path / "here.db"
    cli.ok("--db", here, "open", "Ani", "--level", "mikro", "--problem", "p", "--consent", "--date", "2026-01-05")
    cli.ok("--db", here, "open", "Dewi", "--level", "mikro", "--problem", "p", "--consent", "--date", "2026-01-05")
    cli.ok("--db", here, "export", "--format", "ndjson", "--force", "-o", tmp_path / "all.ndjson")
    head, *items = _lines(tmp_path / "all.ndjson")
    opening = next(
        item["record"] for item in items if item["table"] == "events" and item["record"]["data"].get("client") == "Dewi"
    )
    data = {"rows": {"cases": 1}, "events": 1}
    forget = {
        **_as_legacy(opening),
        "uuid": "0f0f0f0f-0000-4000-8000-000000000001",
        "kind": "forget",
        "data": data,
        "content_hash": content_hash(data),
    }
    forged = _write(tmp_path / "forged.ndjson", [head, *items, {"table": "events", "record": forget}])
    result = cli("--db", here, "import", forged)
    assert result.exit_code == ExitCode.STEP_REFUSED
    assert f"line {len(items) + 2}: the file erases case 2, which is still active here" in result.stderr
    assert cli.json("--db", here, "show", "2")["client"] == "Dewi"
    assert [event["kind"] for event in cli.json("--db", here, "log", "2")] == ["open"]


def test_a_forged_forget_in_a_json_export_names_its_record(cli, tmp_path):
    here = tmp_path / "here.db"
    _open_with_a_note(cli.ok, here)
    export = _closed_and_erased_copy(cli, here, tmp_path / "there.db", tmp_path / "there.ndjson")
    head, *items = _lines(export)
    forget = [
        {**item, "record": _as_legacy(item["record"])}
        for item in items
        if item["table"] == "events" and item["record"]["kind"] == "forget"
    ]
    (tmp_path / "forged.json").write_text(json.dumps({**head, "records": forget}, indent=1))
    result = cli("--db", here, "import", tmp_path / "forged.json")
    assert result.exit_code == ExitCode.STEP_REFUSED and "record 1: the file erases case 1" in result.stderr


def test_a_colleagues_export_of_a_case_closed_and_erased_there_waits_for_the_close_here(cli, tmp_path):
    """An export holds no secret: its `terminate` and `forget` could be anyone's, so the person here closes the
    case first (a sealed bundle or a sync, which only the team can write, erases it at once)."""
    here = tmp_path / "here.db"
    _open_with_a_note(cli.ok, here)
    export = _closed_and_erased_copy(cli, here, tmp_path / "there.db", tmp_path / "there.ndjson")
    result = cli("--db", here, "import", export)
    assert result.exit_code == ExitCode.STEP_REFUSED and "case 1, which is still active here" in result.stderr
    assert cli.json("--db", here, "show", "1")["status"] == "active"
    cli.ok("--db", here, "terminate", "1", "--reason", "withdrew", "--summary", "stopped", "--date", "2026-02-01")
    assert cli.json("--db", here, "import", export)["erased"] == [1]
    assert cli.json("--db", here, "show", "1")["erased"] is True
    assert cli.json("--db", here, "search", "Budi") == []
    _check_passes(cli, here)


def test_a_forget_for_a_case_closed_here_is_accepted_as_the_command_would(cli, tmp_path):
    here = tmp_path / "here.db"
    _open_with_a_note(cli.ok, here)
    export = _closed_and_erased_copy(cli, here, tmp_path / "there.db", tmp_path / "there.ndjson")
    cli.ok("--db", here, "terminate", "1", "--reason", "withdrew", "--summary", "stopped", "--date", "2026-02-01")
    forged = _only_the_forget(export, tmp_path / "forget-only.ndjson")
    assert cli.json("--db", here, "import", forged)["erased"] == [1]


def test_a_forget_after_a_close_of_an_earlier_cycle_cannot_erase_a_case_reopened_here(cli, tmp_path):
    here, there = tmp_path / "here.db", tmp_path / "there.db"
    _open_with_a_note(cli.ok, here)
    cli.ok("--db", here, "terminate", "1", "--reason", "withdrew", "--summary", "stopped", "--date", "2026-02-01")
    shutil.copy(here, there)
    cli.ok("--db", here, "reopen", "1", "--reason", "came back", "--date", "2026-03-01")
    cli.ok("--db", there, "forget", "1", "--yes")
    cli.ok("--db", there, "export", "--case", "1", "--format", "ndjson", "--force", "-o", tmp_path / "e.ndjson")
    result = cli("--db", here, "import", tmp_path / "e.ndjson")
    assert result.exit_code == ExitCode.STEP_REFUSED and "an import cannot erase an active case" in result.stderr
    assert cli.json("--db", here, "show", "1")["client"] == "Siti Rahmawati"


def test_a_forget_for_a_case_whose_opening_is_nowhere_is_refused(cli, tmp_path):
    here = tmp_path / "here.db"
    _open_with_a_note(cli.ok, here)
    export = _closed_and_erased_copy(cli, here, tmp_path / "there.db", tmp_path / "there.ndjson")
    head, *items = _lines(export)
    without_opening = [item for item in items if item["table"] != "events" or item["record"]["kind"] != "open"]
    result = cli("--db", tmp_path / "new.db", "import", _write(tmp_path / "cut.ndjson", [head, *without_opening]))
    assert result.exit_code == ExitCode.INVALID_INPUT  # its events follow the missing opening: a gap, named
    assert "which is neither in the file before it nor in this caseload" in result.stderr
    assert cli.json("--db", tmp_path / "new.db", "list", "--all") == []


def test_a_forget_event_under_no_case_is_refused(cli, tmp_path):
    here = tmp_path / "here.db"
    _open_with_a_note(cli.ok, here)
    export = _closed_and_erased_copy(cli, here, tmp_path / "there.db", tmp_path / "there.ndjson")
    head, *items = _lines(export)
    forget = next(item for item in items if item["table"] == "events" and item["record"]["kind"] == "forget")
    forget["record"]["case_uuid"] = None
    result = cli("--db", here, "import", _write(tmp_path / "no-case.ndjson", [head, forget]))
    assert result.exit_code == ExitCode.INVALID_INPUT and "line 2: a forget event names no case" in result.stderr


def test_a_forged_terminate_and_forget_in_the_older_form_cannot_erase_an_active_case(cli, lingkaran, tmp_path):
    here = tmp_path / "here.db"
    _open_with_a_note(cli.ok, here)
    export = _closed_and_erased_copy(cli, here, tmp_path / "there.db", tmp_path / "there.ndjson")
    head, *items = _lines(export)
    forged_lines = [
        {**item, "record": _as_legacy(item["record"])}
        for item in items
        if item["table"] == "events" and item["record"]["kind"] in ("terminate", "forget")
    ]
    assert [item["record"]["kind"] for item in forged_lines] == ["terminate", "forget"]
    before = _held(cli, here, "1")
    result = lingkaran("--db", here, "import", _write(tmp_path / "forged.ndjson", [head, *forged_lines]))
    assert result.returncode == ExitCode.STEP_REFUSED and result.stderr.count("\n") == 1
    assert "case 1, which is still active here" in result.stderr and "nothing was imported" in result.stderr
    assert _held(cli, here, "1") == before
    assert [hit["case_id"] for hit in cli.json("--db", here, "search", "Budi")] == [1]
    _check_passes(cli, here)


MADE_UP_DEVICE = "0f0f0f0f-0000-4000-8000-00000000d0d0"


def _device_event(prev: dict | None, parent: str, kind: str, phase: str, cycle: int, data: dict) -> dict:
    """An event from a device nobody has, with every hash right: the scheme holds no secret."""
    from lingkaran.store.devices import parents_text
    from lingkaran.store.events import DEVICE_CHAINED_FIELDS, chain_hash

    seq = 1 if prev is None else prev["seq"] + 1
    event = {
        "uuid": f"0f0f0f0f-0000-4000-8000-00000000000{seq}",
        "case_uuid": prev["case_uuid"] if prev else None,
        "kind": kind,
        "phase": phase,
        "cycle": cycle,
        "occurred_on": "2026-06-14",
        "recorded_at": f"2026-06-14T08:00:0{seq}.000000+00:00",
        "content_hash": content_hash(data),
        "device": MADE_UP_DEVICE,
        "seq": seq,
        "clock": f"2026-06-14T08:00:0{seq}.000Z-0000",
        "parents": [parent],
        "prev_hash": prev["hash"] if prev else None,
        "data": data,
    }
    event["hash"] = chain_hash(
        event["prev_hash"], {**event, "parents": parents_text(event["parents"])}, DEVICE_CHAINED_FIELDS
    )
    return event


def _forged_close_and_erase(export, case_uuid: str) -> list[dict]:
    """A header and two forged lines, in today's form: the case's closing and its erasure, by a made-up device
    that follows the case's latest event (read from an export of it, as anyone who got one can)."""
    head, *items = _lines(export)
    latest = [item["record"] for item in items if item["table"] == "events"][-1]
    cycle = latest["cycle"]
    closing = {
        "destination": None,
        "follow_up_on": None,
        "reason": "withdrew",
        "referral_id": None,
        "referral_uuid": None,
        "summary": "x",
        "termination_uuid": "0f0f0f0f-0000-4000-8000-0000000000aa",
    }
    terminate = _device_event(
        {"case_uuid": case_uuid, "seq": 0, "hash": None}, latest["uuid"], "terminate", "termination", cycle, closing
    )
    forget = _device_event(
        terminate, terminate["uuid"], "forget", "termination", cycle, {"rows": {"cases": 1}, "events": 2}
    )
    return [head, {"table": "events", "record": terminate}, {"table": "events", "record": forget}]


def _plain_bundle(path, items: list[dict]):
    """A plain bundle of the items after the header (anyone can make one: its checksum holds no secret)."""
    import hashlib

    header = {"format": "lingkaran-bundle", "version": 1, "schema": 1, "presupposes": {}, "cases": None}
    payload = "".join(json.dumps(item) + "\n" for item in [header, *items[1:]]).encode()
    checksum = json.dumps({"sha256": hashlib.sha256(payload).hexdigest()}).encode()
    path.write_bytes(b"lingkaran-bundle 1 plain\n" + checksum + b"\n" + payload)
    return path


def _refused_and_kept(lingkaran, cli, here, forged, case="1"):
    before = _held(cli, here, case)
    result = lingkaran("--db", here, "import", forged)
    assert result.returncode == ExitCode.STEP_REFUSED, result.stderr
    assert result.stderr.count("\n") == 1 and "nothing was imported" in result.stderr
    assert _held(cli, here, case) == before
    assert [hit["case_id"] for hit in cli.json("--db", here, "search", "Budi")] == [int(case)]
    _check_passes(cli, here)


def test_a_forged_terminate_and_forget_from_a_made_up_device_cannot_erase_an_active_case(cli, lingkaran, tmp_path):
    """The pair in the older form was refused; in today's form, with origin fields and hashes right, it erased
    the case (exit 0) from an NDJSON export, a JSON export and a plain bundle alike."""
    here = tmp_path / "here.db"
    _open_with_a_note(cli.ok, here)
    cli.ok("--db", here, "export", "--case", "1", "--format", "ndjson", "--force", "-o", tmp_path / "mine.ndjson")
    case_uuid = cli.json("--db", here, "show", "1")["uuid"]
    forged = _forged_close_and_erase(tmp_path / "mine.ndjson", case_uuid)
    _refused_and_kept(lingkaran, cli, here, _write(tmp_path / "forged.ndjson", forged))
    head, *records = forged
    (tmp_path / "forged.json").write_text(json.dumps({**head, "records": records}, indent=1))
    _refused_and_kept(lingkaran, cli, here, tmp_path / "forged.json")
    _refused_and_kept(lingkaran, cli, here, _plain_bundle(tmp_path / "forged.lkb", forged))


def test_a_forged_pair_cannot_erase_a_case_in_its_second_cycle_either(cli, lingkaran, tmp_path):
    here = tmp_path / "here.db"
    _open_with_a_note(cli.ok, here)
    cli.ok("--db", here, "terminate", "1", "--reason", "withdrew", "--summary", "stopped", "--date", "2026-02-01")
    cli.ok("--db", here, "reopen", "1", "--reason", "came back", "--date", "2026-03-01")
    cli.ok("--db", here, "export", "--case", "1", "--format", "ndjson", "--force", "-o", tmp_path / "mine.ndjson")
    forged = _forged_close_and_erase(tmp_path / "mine.ndjson", cli.json("--db", here, "show", "1")["uuid"])
    assert {item["record"]["cycle"] for item in forged[1:]} == {2}
    _refused_and_kept(lingkaran, cli, here, _write(tmp_path / "forged.ndjson", forged))


def test_a_forged_terminate_in_todays_form_does_not_let_a_legacy_forget_through(cli, lingkaran, tmp_path):
    here = tmp_path / "here.db"
    _open_with_a_note(cli.ok, here)
    cli.ok("--db", here, "export", "--case", "1", "--format", "ndjson", "--force", "-o", tmp_path / "mine.ndjson")
    head, terminate, forget = _forged_close_and_erase(
        tmp_path / "mine.ndjson", cli.json("--db", here, "show", "1")["uuid"]
    )
    legacy_forget = {"table": "events", "record": _as_legacy(forget["record"])}
    _refused_and_kept(lingkaran, cli, here, _write(tmp_path / "mixed.ndjson", [head, terminate, legacy_forget]))
