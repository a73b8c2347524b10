"""Bundles carry the event log between caseload copies: sealed with the team's passphrase, refused when changed
or when they leave a gap, idempotent, and merged so both copies hold the same events (the same digest)."""

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from lingkaran.errors import ExitCode
from lingkaran.store import devices


@pytest.fixture
def laptops(cli, active_case, db_path, tmp_path) -> tuple[Path, Path]:
    """Two copies of one caseload (the second a `cp` of the first), each with a note written offline."""
    copy = tmp_path / "laptop-b.db"
    shutil.copy(db_path, copy)
    cli.ok("note", active_case, "Written on laptop A")
    cli.ok("--db", copy, "note", active_case, "Written on laptop B")
    return db_path, copy


def bundle(cli, db: Path, target: Path, *options: str) -> Path:
    cli.ok("--db", db, "bundle", target, *options)
    return target


def status(cli, db: Path) -> dict:
    return cli.json("--db", db, "sync", "status")


def event_rows(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    found = sorted(conn.execute("SELECT uuid, device, seq, clock, parents, content_hash, hash FROM events"))
    conn.close()
    return found


def problems(cli, db: Path) -> list[dict]:
    """What `check` finds besides permissions (tmp_path is a 0755 folder)."""
    found = json.loads(cli("--db", db, "check", "--json").stdout)["findings"]
    return [finding for finding in found if finding["check"] != "permissions"]


def behind_the_guard(db: Path, trigger: str, sql: str, value: str) -> None:
    """Edit the event log with plain sqlite3, as a tamperer would: drop its guard, edit, put the guard back."""
    raw = sqlite3.connect(db)
    guard = raw.execute("SELECT sql FROM sqlite_master WHERE name = ?", [trigger]).fetchone()[0]
    with raw:
        raw.execute(f"DROP TRIGGER {trigger}")
        raw.execute(sql, [value])
        raw.execute(guard)
    raw.close()


def exchange_both_ways(cli, a: Path, b: Path, tmp_path: Path, passphrase_file: Path) -> None:
    cli.ok(
        "--db",
        b,
        "import",
        bundle(cli, a, tmp_path / "from-a.lkb", "--passphrase-file", passphrase_file),
        "--passphrase-file",
        passphrase_file,
    )
    cli.ok(
        "--db",
        a,
        "import",
        bundle(cli, b, tmp_path / "from-b.lkb", "--passphrase-file", passphrase_file),
        "--passphrase-file",
        passphrase_file,
    )


def test_two_copies_that_exchange_bundles_both_ways_hold_the_same_events(laptops, tmp_path, passphrase_file, lingkaran):
    a, b = laptops
    for source, target, name in ((a, b, "a.lkb"), (b, a, "b.lkb")):
        made = lingkaran("--db", source, "bundle", tmp_path / name, "--passphrase-file", passphrase_file)
        assert made.returncode == 0, made.stderr
        merged = lingkaran("--db", target, "import", tmp_path / name, "--passphrase-file", passphrase_file, "--json")
        assert merged.returncode == 0, merged.stderr
        report = json.loads(merged.stdout)
        assert report["events"] == 1 and [case["events"] for case in report["cases"]] == [1]
    a_status, b_status = (json.loads(lingkaran("--db", db, "sync", "status", "--json").stdout) for db in (a, b))
    assert a_status["digest"] == b_status["digest"] and a_status["events"] == b_status["events"] == 6
    assert a_status["device"] != b_status["device"]
    assert a_status["sequences"] == b_status["sequences"] == {a_status["device"]: 5, b_status["device"]: 1}
    assert event_rows(a) == event_rows(b)  # each event kept who wrote it and what it knew


def test_a_merged_file_passes_check_and_a_sqlite3_edit_of_an_arrived_event_is_still_caught(
    cli, laptops, tmp_path, passphrase_file
):
    a, b = laptops
    exchange_both_ways(cli, a, b, tmp_path, passphrase_file)
    assert problems(cli, a) == [] and problems(cli, b) == []
    arrived = sqlite3.connect(a).execute("SELECT uuid FROM events WHERE data LIKE '%laptop B%'").fetchone()[0]
    behind_the_guard(a, "events_no_rewrite", "UPDATE events SET occurred_on = '2026-01-01' WHERE uuid = ?", arrived)
    [finding] = problems(cli, a)
    assert finding["check"] == "audit" and finding["event_uuid"] == arrived
    assert "fields were changed" in finding["message"]


def test_an_event_deleted_from_a_merged_file_is_caught_even_at_the_end_of_its_device(
    cli, laptops, tmp_path, passphrase_file
):
    a, b = laptops
    exchange_both_ways(cli, a, b, tmp_path, passphrase_file)
    device = sqlite3.connect(a).execute("SELECT device FROM events WHERE data LIKE '%laptop B%'").fetchone()[0]
    behind_the_guard(a, "events_no_delete", "DELETE FROM events WHERE device = ? AND seq = 1", device)
    [finding] = problems(cli, a)
    assert finding["check"] == "audit" and f"events 1–1 of device {device}" in finding["message"]


def test_no_client_name_is_readable_in_a_sealed_bundle(cli, laptops, tmp_path, passphrase_file):
    a, _b = laptops
    sealed = bundle(cli, a, tmp_path / "sealed.lkb", "--passphrase-file", passphrase_file).read_bytes()
    plain = bundle(cli, a, tmp_path / "plain.lkb", "--plain").read_bytes()
    for text in (b"Siti", b"Rahmawati", b"Written on laptop A", b"Back to school", b"Left school"):
        assert text in plain  # the words are there to be found, unless sealed
        assert text not in sealed and text.lower() not in sealed.lower()
    assert sealed.startswith(b"lingkaran-bundle 1 sealed\n") and plain.startswith(b"lingkaran-bundle 1 plain\n")


def test_plain_says_so_on_stderr(cli, laptops, tmp_path):
    result = cli("--db", laptops[0], "bundle", tmp_path / "plain.lkb", "--plain")
    assert result.exit_code == 0 and "is NOT encrypted" in result.stderr


@pytest.mark.parametrize("where", [3, 30, 60, -1, -20, "middle"])
def test_one_changed_byte_refuses_a_sealed_bundle_and_writes_nothing(cli, laptops, tmp_path, passphrase_file, where):
    a, b = laptops
    data = bytearray(bundle(cli, a, tmp_path / "a.lkb", "--passphrase-file", passphrase_file).read_bytes())
    position = len(data) // 2 if where == "middle" else where
    data[position] ^= 0x01
    changed = tmp_path / "changed.lkb"
    changed.write_bytes(bytes(data))
    before = event_rows(b), status(cli, b)["digest"]
    result = cli("--db", b, "import", changed, "--passphrase-file", passphrase_file)
    assert result.exit_code == ExitCode.DATABASE_UNUSABLE, result.stderr
    assert result.stderr.count("\n") == 1 and "nothing was imported" in result.stderr
    assert (event_rows(b), status(cli, b)["digest"]) == before


def test_one_changed_byte_refuses_a_plain_bundle_too(cli, laptops, tmp_path):
    a, b = laptops
    data = bytearray(bundle(cli, a, tmp_path / "a.lkb", "--plain").read_bytes())
    data[data.index(b"Written on laptop A")] = ord("w")
    changed = tmp_path / "changed.lkb"
    changed.write_bytes(bytes(data))
    result = cli("--db", b, "import", changed)
    assert result.exit_code == ExitCode.DATABASE_UNUSABLE and "changed or damaged" in result.stderr


def test_a_wrong_passphrase_is_refused_with_exit_5(cli, laptops, tmp_path, passphrase_file):
    a, b = laptops
    made = bundle(cli, a, tmp_path / "a.lkb", "--passphrase-file", passphrase_file)
    wrong = tmp_path / "wrong"
    wrong.write_text("not the team passphrase\n")
    result = cli("--db", b, "import", made, "--passphrase-file", wrong)
    assert result.exit_code == ExitCode.DATABASE_UNUSABLE and "passphrase" in result.stderr


def test_importing_the_same_bundle_again_changes_nothing(cli, laptops, tmp_path, passphrase_file):
    a, b = laptops
    made = bundle(cli, a, tmp_path / "a.lkb", "--passphrase-file", passphrase_file)
    first = cli.json("--db", b, "import", made, "--passphrase-file", passphrase_file)
    rows, digest = event_rows(b), status(cli, b)["digest"]
    again = cli.json("--db", b, "import", made, "--passphrase-file", passphrase_file)
    assert first["events"] == 1 and again["events"] == 0 and again["imported"] == {} and again["cases"] == []
    assert event_rows(b) == rows and status(cli, b)["digest"] == digest
    assert "digest" not in again  # the whole file's digest is read on request (sync status), not after each merge


def test_a_bundle_that_starts_after_events_this_file_lacks_is_refused_naming_the_device_and_range(
    cli, active_case, db_path, tmp_path, passphrase_file
):
    colleague, newcomer = tmp_path / "colleague.db", tmp_path / "newcomer.db"
    shutil.copy(db_path, newcomer)
    for number in range(3):
        cli.ok("note", active_case, f"Note {number}")
    cli.ok(
        "--db",
        colleague,
        "import",
        bundle(cli, db_path, tmp_path / "whole.lkb", "--passphrase-file", passphrase_file),
        "--passphrase-file",
        passphrase_file,
    )
    known = tmp_path / "colleague-status.json"
    known.write_text(cli("--db", colleague, "sync", "status", "--json").stdout)
    cli.ok("note", active_case, "Note 3")
    later = bundle(cli, db_path, tmp_path / "later.lkb", "--since", known, "--passphrase-file", passphrase_file)
    device = status(cli, db_path)["device"]
    assert cli.json("--db", colleague, "import", later, "--passphrase-file", passphrase_file)["events"] == 1
    before = event_rows(newcomer)
    refused = cli("--db", newcomer, "import", later, "--passphrase-file", passphrase_file)
    assert refused.exit_code == ExitCode.INVALID_INPUT
    assert f"lacks events 5–7 of device {device}" in refused.stderr and "nothing was imported" in refused.stderr
    assert event_rows(newcomer) == before


def test_the_passphrase_never_comes_from_a_flag_value_and_its_file_is_one_line(cli, laptops, tmp_path):
    a, _b = laptops
    no_terminal = cli("--db", a, "bundle", tmp_path / "x.lkb")
    assert no_terminal.exit_code == ExitCode.INVALID_INPUT and "--passphrase-file" in no_terminal.stderr
    two_lines = tmp_path / "two-lines"
    two_lines.write_text("first line\nsecond line\n")
    assert "one line" in cli("--db", a, "bundle", tmp_path / "x.lkb", "--passphrase-file", two_lines).stderr
    folder = cli("--db", a, "bundle", tmp_path / "x.lkb", "--passphrase-file", tmp_path)
    assert folder.exit_code == ExitCode.INVALID_INPUT and "not a regular file" in folder.stderr
    short = tmp_path / "short"
    short.write_text("short\n")
    assert "too short" in cli("--db", a, "bundle", tmp_path / "x.lkb", "--passphrase-file", short).stderr
    assert not (tmp_path / "x.lkb").exists()


def test_erasure_wins_over_a_note_written_offline_and_an_old_bundle_brings_nothing_back(
    cli, laptops, tmp_path, passphrase_file
):
    a, b = laptops
    old = bundle(cli, b, tmp_path / "old.lkb", "--passphrase-file", passphrase_file)
    cli.ok("--db", a, "terminate", "1", "--reason", "withdrew", "--summary", "Moved away")
    cli.ok("--db", a, "forget", "1", "--yes")
    cli.ok("--db", b, "note", "1", "Her new address is Jalan Melati 12")
    exchange_both_ways(cli, a, b, tmp_path, passphrase_file)
    cli.ok("--db", a, "import", old, "--passphrase-file", passphrase_file)
    assert status(cli, a)["digest"] == status(cli, b)["digest"]
    for db in (a, b):
        assert cli.json("--db", db, "show", "1")["erased"] is True
        assert problems(cli, db) == []
        written = db.read_bytes() + (Path(f"{db}-wal").read_bytes() if Path(f"{db}-wal").exists() else b"")
        for text in (b"Rahmawati", b"Melati", b"laptop B", b"laptop A"):
            assert text not in written, (db, text)


def test_an_import_cannot_erase_a_case_its_writer_had_not_seen_closed(cli, laptops, tmp_path, passphrase_file):
    """A forged `forget` (no termination in its past) is refused: exit 4, nothing written."""
    from lingkaran.store import events

    a, b = laptops
    conn = sqlite3.connect(a, isolation_level=None)
    conn.execute("PRAGMA user_version")
    case = conn.execute("SELECT id, uuid FROM cases").fetchone()
    with conn:
        events.append(
            conn,
            events.CaseRef(*case),
            "forget",
            phase="intervention",
            cycle=1,
            occurred_on="2026-06-15",
            data={"rows": {}, "events": 0},
        )
    conn.close()
    made = bundle(cli, a, tmp_path / "forged.lkb", "--passphrase-file", passphrase_file)
    before = event_rows(b)
    result = cli("--db", b, "import", made, "--passphrase-file", passphrase_file)
    assert result.exit_code == ExitCode.STEP_REFUSED and "had not seen closed" in result.stderr
    assert event_rows(b) == before


def test_events_stamped_far_ahead_are_kept_flagged_and_do_not_drag_this_clock(
    cli, laptops, tmp_path, passphrase_file, monkeypatch
):
    a, b = laptops
    real = devices.wall_ms()
    monkeypatch.setattr(devices, "wall_ms", lambda: real + 3 * 365 * 24 * 3600 * 1000)
    cli.ok("--db", a, "note", "1", "Written on a laptop whose clock is three years ahead")
    made = bundle(cli, a, tmp_path / "a.lkb", "--passphrase-file", passphrase_file)
    monkeypatch.setattr(devices, "wall_ms", lambda: real)
    cli.ok("--db", b, "import", made, "--passphrase-file", passphrase_file)
    [ahead] = status(cli, b)["ahead"]
    cli.ok("--db", b, "note", "1", "Written here afterwards")
    newest = sqlite3.connect(b).execute("SELECT clock FROM events ORDER BY id DESC LIMIT 1").fetchone()[0]
    assert newest < ahead["clock"] and int(newest[:4]) < int(ahead["clock"][:4])
    assert problems(cli, b) == []


def test_sync_status_of_one_case_gives_that_case_s_digest(cli, laptops, tmp_path, passphrase_file):
    a, b = laptops
    other = cli.json("--db", a, "open", "Budi", "--level", "mikro", "--problem", "Lost his job")
    exchange_both_ways(cli, a, b, tmp_path, passphrase_file)
    one, whole = cli.json("--db", a, "sync", "status", "--case", "1"), status(cli, a)
    assert one["case"] != other["uuid"] and one["events"] == whole["events"] - 1
    assert one["digest"] == cli.json("--db", b, "sync", "status", "--case", "1")["digest"] != whole["digest"]
    assert set(whole) == {"device", "case", "events", "legacy_events", "sequences", "partial", "digest", "ahead"}


def test_a_bundle_of_one_case_carries_only_that_case(cli, laptops, tmp_path, passphrase_file):
    a, _b = laptops
    cli.ok("--db", a, "open", "Budi Santoso", "--level", "mikro", "--problem", "Lost his job")
    cli.ok("--db", a, "note", "1", "Written after the second case was opened")
    plain = bundle(cli, a, tmp_path / "one.lkb", "--case", "1", "--plain").read_bytes()
    assert b"Siti" in plain and b"Budi" not in plain
    newcomer = tmp_path / "newcomer.db"
    report = cli.json("--db", newcomer, "import", tmp_path / "one.lkb")
    assert [case["new"] for case in report["cases"]] == [True]
    assert cli.json("--db", newcomer, "sync", "status")["partial"] != {}
    assert problems(cli, newcomer) == []


def test_a_bundle_since_a_colleagues_status_carries_only_the_cases_that_changed(cli, lingkaran, db_path, tmp_path):
    for client in ("Ani", "Budi", "Citra"):
        cli.ok("open", client, "--level", "mikro", "--problem", "Left school", "--consent", "--date", "2026-06-01")
    copy = tmp_path / "colleague.db"
    shutil.copy(db_path, copy)
    known = tmp_path / "status.json"
    known.write_text(json.dumps(status(cli, db_path)))
    cli.ok("--db", copy, "note", "2", "A home visit")
    cli.ok("--db", copy, "open", "Dewi", "--level", "mikro", "--problem", "No birth certificate", "--consent")
    day = bundle(cli, copy, tmp_path / "day.lkb", "--plain", "--since", known)
    lines = [json.loads(line) for line in day.read_bytes().split(b"\n")[3:] if line]
    carried = {item["record"].get("case_uuid") or item["record"].get("uuid") for item in lines}
    cases = {case["id"]: case["uuid"] for case in cli.json("--db", copy, "list", "--all")}
    assert cases[1] not in carried and cases[3] not in carried and {cases[2], cases[4]} <= carried
    merged = lingkaran("--db", db_path, "import", day, "--json")
    assert merged.returncode == 0, merged.stderr
    assert json.loads(merged.stdout)["events"] == 2  # the note and Dewi's opening
    assert cli.json("show", cases[4])["client"] == "Dewi"
    assert status(cli, db_path)["digest"] == status(cli, copy)["digest"]


def test_a_bundle_since_a_status_that_holds_everything_carries_nothing(cli, db_path, tmp_path):
    cli.ok("open", "Ani", "--level", "mikro", "--problem", "Left school", "--consent", "--date", "2026-06-01")
    known = tmp_path / "status.json"
    known.write_text(json.dumps(status(cli, db_path)))
    empty = bundle(cli, db_path, tmp_path / "empty.lkb", "--plain", "--since", known)
    assert [line for line in empty.read_bytes().split(b"\n")[3:] if line] == []


def test_a_whole_bundle_of_a_caseload_that_once_imported_an_export_is_imported(
    cli, lingkaran, laptops, tmp_path, passphrase_file
):
    """The `import` event an export's import recorded is in its device's chain, so a bundle carries it; the
    import refused it as another caseload's bookkeeping, and with it the whole bundle."""
    a, b = laptops
    elsewhere = tmp_path / "elsewhere.db"
    cli.ok("--db", elsewhere, "open", "Budi", "--level", "mikro", "--problem", "Lost his job", "--consent")
    cli.ok("--db", elsewhere, "export", "--format", "ndjson", "-o", tmp_path / "budi.ndjson")
    cli.ok("--db", a, "import", tmp_path / "budi.ndjson")
    made = bundle(cli, a, tmp_path / "a.lkb", "--passphrase-file", passphrase_file)
    merged = lingkaran("--db", b, "import", made, "--passphrase-file", passphrase_file)
    assert merged.returncode == 0, merged.stderr
    assert "Budi" in [case["client"] for case in cli.json("--db", b, "list")]
    assert problems(cli, b) == []
    device = status(cli, a)["device"]
    assert status(cli, b)["sequences"][device] == status(cli, a)["sequences"][device]  # no gap in its chain
    again = lingkaran("--db", b, "import", made, "--passphrase-file", passphrase_file, "--json")
    assert again.returncode == 0 and json.loads(again.stdout)["events"] == 0
