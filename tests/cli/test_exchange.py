"""`lingkaran export` and `lingkaran import`: real files, real databases, some runs of the installed command."""

import json
import sqlite3
import stat

import pytest

from lingkaran.store import events
from tests.helpers import EVERY_TABLE, counts, rows


@pytest.fixture
def closed_case(cli, active_case) -> str:
    """A case taken around the cycle to termination, plus a second case opened without consent."""
    cli.ok(
        "assess",
        active_case,
        "--domain",
        "education=3",
        "--strength",
        "Her aunt",
        "--summary",
        "Settling in",
        "--date",
        "2026-06-05",
    )
    cli.ok(
        "plan", active_case, "--gas", "1:0=Attends four days a week", "--target", "1=2026-07-01", "--date", "2026-06-05"
    )
    cli.ok(
        "intervene",
        active_case,
        "--activity",
        "counselling",
        "--note",
        "Talked about her father",
        "--minutes",
        "45",
        "--by",
        "Rina Kusuma",
        "--date",
        "2026-06-06",
    )
    cli.ok("monitor", active_case, "--progress", "1=0", "--note", "Back in class twice", "--date", "2026-06-08")
    cli.ok(
        "evaluate",
        active_case,
        "--score",
        "1=1",
        "--score",
        "2=0",
        "--decision",
        "terminate",
        "--note",
        "Better than hoped",
        "--date",
        "2026-06-10",
    )
    cli.ok(
        "terminate",
        active_case,
        "--reason",
        "goals-met",
        "--summary",
        "Back at school, mother involved",
        "--destination",
        "Home with her mother",
        "--follow-up",
        "2026-09-01",
        "--date",
        "2026-06-12",
    )
    cli.ok(
        "open",
        "Bambang Wijaya",
        "--level",
        "mezzo",
        "--problem",
        "Debts to a loan shark",
        "--source",
        "Pak RT Sutrisno",
        "--worker",
        "Rina Kusuma",
        "--date",
        "2026-06-10",
    )
    return active_case


def ndjson(text: str) -> tuple[dict, list[dict]]:
    """The header and the items of an NDJSON export (its closing counts checked and left out)."""
    lines = [json.loads(line) for line in text.splitlines()]
    assert lines[-1] == {
        "end": {
            "records": sum(line["table"] != "events" for line in lines[1:-1]),
            "events": sum(line["table"] == "events" for line in lines[1:-1]),
        }
    }
    return lines[0], lines[1:-1]


def test_export_import_into_an_empty_caseload_and_export_again_gives_the_same_records(
    lingkaran, closed_case, db_path, tmp_path
):
    first = tmp_path / "first.ndjson"
    assert lingkaran("export", "--format", "ndjson", "--force", "--output", first).returncode == 0
    other = tmp_path / "other.db"
    imported = lingkaran("--db", other, "import", first, "--json")
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout)["imported"]["cases"] == 2
    again = lingkaran("--db", other, "export", "--format", "ndjson", "--force")
    head, records = ndjson(again.stdout)
    assert records == ndjson(first.read_text())[1]
    assert {item["table"] for item in records} == set(EVERY_TABLE)
    assert head["format"] == "lingkaran-export" and head["anonymized"] is False


def test_the_json_format_round_trips_too(cli, closed_case, tmp_path):
    exported = tmp_path / "caseload.json"
    cli.ok("export", "--force", "--output", exported)
    cli.ok("--db", tmp_path / "other.db", "import", exported)
    again = cli.ok("--db", tmp_path / "other.db", "export", "--force")
    assert json.loads(again.stdout)["records"] == json.loads(exported.read_text())["records"]


def test_every_value_arrives_exactly_as_it_left(cli, planned_case, db_path, tmp_path):
    """Numbers that need all 17 digits, text with quotes, tabs, line breaks and non-Latin letters."""
    cli.ok(
        "plan",
        planned_case,
        "--goal",
        "Eats with the family",
        "--weight",
        "3=0.30000000000000004",
        "--date",
        "2026-06-05",
    )
    cli.ok(
        "intervene",
        planned_case,
        "--activity",
        "home-visit",
        "--minutes",
        "30",
        "--date",
        "2026-06-06",
        "--note",
        'Ibu said "cukup"\tthen\nback\\slash — ĀĪŪ 学校 🙂',
    )
    exported = tmp_path / "caseload.ndjson"
    cli.ok("export", "--force", "--format", "ndjson", "--output", exported)
    other = tmp_path / "other.db"
    cli.ok("--db", other, "import", exported)
    kept = ("weight", "note", "scale", "strengths", "needs", "t_score", "data", "content_hash")
    for table in ("goals", "activities", "assessments", "evaluations", "events"):
        arrived = {row["uuid"]: {key: row[key] for key in kept if key in row} for row in rows(other, table)}
        for row in rows(db_path, table):
            assert arrived[row["uuid"]] == {key: row[key] for key in kept if key in row}
    assert 0.30000000000000004 in [row["weight"] for row in rows(other, "goals")]


def test_importing_twice_changes_nothing(cli, closed_case, tmp_path):
    exported = tmp_path / "caseload.ndjson"
    cli.ok("export", "--force", "--format", "ndjson", "--output", exported)
    other = tmp_path / "other.db"
    cli.ok("--db", other, "import", exported)
    before = {table: rows(other, table) for table in EVERY_TABLE}
    second = cli.json("--db", other, "import", exported)
    assert second["imported"] == {} and second["events"] == 0 and second["already_present"] > 0
    assert {table: rows(other, table) for table in EVERY_TABLE} == before


def test_imported_events_keep_their_content_and_the_local_chain_still_verifies(cli, closed_case, db_path, tmp_path):
    exported = tmp_path / "caseload.ndjson"
    cli.ok("export", "--force", "--format", "ndjson", "--output", exported)
    other = tmp_path / "other.db"
    cli.ok("--db", other, "open", "Already here", "--level", "mikro", "--problem", "Local work", "--consent")
    cli.ok("--db", other, "import", exported)
    original = {event["uuid"]: event for event in rows(db_path, "events")}
    previous = {}  # each device keeps its own chain; events from before devices keep the file's (`legacy`)
    for event in rows(other, "events"):
        assert event["prev_hash"] == previous.get(event["device"])
        assert event["hash"] == events.chain_hash(event["prev_hash"], event)
        assert event["content_hash"] == events.content_hash(json.loads(event["data"]))
        if event["uuid"] in original:
            source = original[event["uuid"]]
            assert (event["recorded_at"], event["data"], event["content_hash"]) == (
                source["recorded_at"],
                source["data"],
                source["content_hash"],
            )
        previous[event["device"]] = event["hash"]
    imports = [event for event in rows(other, "events") if event["kind"] == "import"]
    assert len(imports) == 1 and json.loads(imports[0]["data"])["imported"]["cases"] == 2


def test_references_are_exported_as_uuids_and_mapped_back_to_local_ids(cli, closed_case, tmp_path):
    exported = cli.ok("export", "--force", "--format", "ndjson").stdout
    _head, records = ndjson(exported)
    rating = next(item["record"] for item in records if item["table"] == "ratings")
    assert "assessment_id" not in rating and "id" not in rating
    assessment_uuids = {item["record"]["uuid"] for item in records if item["table"] == "assessments"}
    assert rating["assessment_uuid"] in assessment_uuids
    other = tmp_path / "other.db"
    cli.ok("--db", other, "open", "Takes id 1 here", "--level", "mikro", "--problem", "Shifts every id", "--consent")
    assert cli("--db", other, "import", "-", "--format", "ndjson", input=exported).exit_code == 0
    shown = cli.json("--db", other, "show", "2")
    assert shown["client"] == "Siti Rahmawati" and shown["goals"][0]["scale"] == {"0": "Attends four days a week"}
    assert [event["kind"] for event in cli.json("--db", other, "log", "2")][-1] == "terminate"


def test_a_table_added_later_travels_without_new_code(cli, opened_case, db_path, tmp_path):
    other = tmp_path / "other.db"
    cli.ok("--db", other, "list")
    for path in (db_path, other):
        conn = sqlite3.connect(path)
        conn.execute(
            "CREATE TABLE transfers_out (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, "
            "case_id INTEGER NOT NULL REFERENCES cases(id), agency TEXT)"
        )
        conn.execute(
            "CREATE TABLE corrections (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, "
            "event_id INTEGER NOT NULL REFERENCES events(id), case_id INTEGER REFERENCES cases(id), "
            "reason TEXT)"
        )
        conn.commit()
        conn.close()
    conn = sqlite3.connect(db_path)
    conn.execute("INSERT INTO transfers_out (uuid, case_id, agency) VALUES ('r-1', ?, 'Dinas Sosial')", [opened_case])
    conn.execute(
        "INSERT INTO corrections (uuid, event_id, case_id, reason) VALUES ('c-1', 1, ?, 'Typo')", [opened_case]
    )
    conn.commit()
    conn.close()
    exported = cli.ok("export", "--case", opened_case, "--format", "ndjson").stdout
    assert {
        "table": "transfers_out",
        "record": {"uuid": "r-1", "case_uuid": rows(db_path, "cases")[0]["uuid"], "agency": "Dinas Sosial"},
    } in ndjson(exported)[1]
    assert cli("--db", other, "import", "-", "--format", "ndjson", input=exported).exit_code == 0
    assert rows(other, "transfers_out")[0]["agency"] == "Dinas Sosial"
    correction = rows(other, "corrections")[0]
    assert rows(other, "events")[correction["event_id"] - 1]["uuid"] == rows(db_path, "events")[0]["uuid"]


def test_one_case_is_exported_with_its_own_records_only(cli, closed_case):
    cli.ok("assess", "2", "--domain", "income=1", "--date", "2026-06-11")
    _head, records = ndjson(cli.ok("export", "--case", closed_case, "--format", "ndjson").stdout)
    case_uuids = {item["record"]["uuid"] for item in records if item["table"] == "cases"}
    assert len(case_uuids) == 1
    assert all(item["record"]["case_uuid"] in case_uuids for item in records if "case_uuid" in item["record"])
    domains = {item["record"]["domain"] for item in records if item["table"] == "ratings"}
    assert "income" not in domains and "education" in domains


def test_a_case_without_recorded_consent_is_exported_only_with_force(cli, closed_case, tmp_path):
    target = tmp_path / "out.json"
    refused = cli("export", "--case", "2", "--output", target)
    assert refused.exit_code == 2 and refused.stdout == "" and not target.exists()
    assert refused.stderr.count("\n") == 1 and "--force" in refused.stderr
    forced = cli("export", "--case", "2", "--force", "--output", target)
    assert forced.exit_code == 0 and "without recorded consent" in forced.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert cli("export", "--case", closed_case).exit_code == 0


def test_anonymized_export_contains_no_client_name_anywhere(lingkaran, closed_case):
    personal = (
        "Siti",
        "Rahmawati",
        "Bambang",
        "Wijaya",
        "Rina",
        "Kusuma",
        "Sutrisno",
        "Left school",
        "Back to school",
        "father",
        "aunt",
        "mother",
        "loan shark",
        "Attends four",
    )
    for fmt in ("json", "ndjson", "csv"):
        result = lingkaran("export", "--anonymize", "--force", "--format", fmt)
        assert result.returncode == 0, result.stderr
        for word in personal:
            assert word.lower() not in result.stdout.lower(), (fmt, word)
    _head, records = ndjson(lingkaran("export", "--anonymize", "--force", "--format", "ndjson").stdout)
    clients = [item["record"]["client"] for item in records if item["table"] == "cases"]
    assert all(client.startswith("client-") for client in clients) and len(set(clients)) == 2
    again = ndjson(lingkaran("export", "--anonymize", "--force", "--format", "ndjson").stdout)[1]
    assert [item["record"]["client"] for item in again if item["table"] == "cases"] == clients


def test_an_anonymized_export_can_be_imported_for_statistics(cli, closed_case, tmp_path):
    exported = tmp_path / "stats.ndjson"
    cli.ok("export", "--anonymize", "--force", "--output", exported)
    cli.ok("--db", tmp_path / "stats.db", "import", exported)
    cases = cli.json("--db", tmp_path / "stats.db", "list", "--all")
    assert [case["status"] for case in cases] == ["closed", "active"]


def test_ndjson_has_one_record_a_line(cli, closed_case, db_path):
    lines = cli.ok("export", "--force", "--format", "ndjson").stdout.splitlines()
    assert len(lines) == 1 + sum(counts(db_path).values()) + 1  # the header, the records, the closing counts
    assert all(isinstance(json.loads(line), dict) for line in lines)


@pytest.mark.parametrize(
    "args",
    [("--format", "ndjson"), ("--format", "json"), ("--format", "ndjson", "--anonymize"), ("--case", "1")],
)
def test_an_export_read_two_lines_at_a_time_is_the_same_file(cli, closed_case, monkeypatch, args):
    """SQLite joins each table's lines a chunk at a time: chunk boundaries must not lose, repeat or reorder any."""
    from lingkaran.store import tables

    whole = cli.ok("export", "--force", *args).stdout.split("\n", 1)[1]  # after the header and its clock
    monkeypatch.setattr(tables, "CHUNK", 2)
    assert cli.ok("export", "--force", *args).stdout.split("\n", 1)[1] == whole


def test_a_case_opened_while_the_export_is_written_is_not_in_it(cli, closed_case, db_path, monkeypatch):
    """The export reads a chunk at a time, all in one read transaction: the file is one moment of the caseload."""
    import io

    from lingkaran.casework.exchange import export as exporting
    from lingkaran.store import database, tables

    monkeypatch.setattr(tables, "CHUNK", 2)
    conn = database.connect(db_path)
    plan = exporting.plan_export(conn, None, force=True)
    out = io.BytesIO()

    def open_a_case_meanwhile(count: int) -> None:
        if not opened:
            opened.append(cli.ok("open", "Dewi Anggraini", "--level", "mikro", "--problem", "No papers", "--consent"))

    opened: list = []

    written = exporting.write_export(conn, plan, out, "ndjson", anonymize=False, advance=open_a_case_meanwhile)
    assert written == plan.total and b"Dewi" not in out.getvalue()
    assert "Dewi Anggraini" in cli.ok("export", "--force").stdout  # and the next export has them all


def test_an_empty_caseload_exports_a_header_and_no_records(cli):
    assert json.loads(cli.ok("export").stdout)["records"] == []
    assert cli.ok("export", "--format", "csv").stdout.startswith("id,uuid,client,level,problem")


def test_csv_export_has_one_row_a_case_with_its_figures(cli, closed_case):
    import csv

    table = list(csv.DictReader(cli.ok("export", "--format", "csv", "--force").stdout.splitlines()))
    assert [row["client"] for row in table] == ["Siti Rahmawati", "Bambang Wijaya"]
    assert table[0]["contact_minutes"] == "105" and table[0]["activities"] == "2"
    assert table[0]["latest_t_score"] == "58.73" and table[0]["status"] == "closed"


CASES_CSV = (
    "Client,Level,Problem,Opened,Consent\n"
    "Ani Lestari,mikro,Dropped out,2026-05-01,yes\n"
    "Pak Darto,kecil,Debts,2026-05-02,no\n"
    '"Keluarga ""Hartono""",mezzo,"Eviction,\nfour months late",2026-05-03,ya\n'
)


def test_a_malformed_csv_row_is_reported_with_its_line_number_and_nothing_is_imported(lingkaran, db_path, tmp_path):
    source = tmp_path / "cases.csv"
    source.write_text(CASES_CSV)
    result = lingkaran("import", source)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "cases.csv line 3:" in result.stderr and "kecil" in result.stderr and "nothing was imported" in result.stderr
    assert counts(db_path)["cases"] == 0 and counts(db_path)["events"] == 0


def test_several_bad_csv_rows_are_each_reported(cli, tmp_path, db_path):
    source = tmp_path / "cases.csv"
    source.write_text(CASES_CSV + "Dewi,makro,,2026-05-04,no\nEko,mikro,Flood,2026-02-30,maybe\n")
    result = cli("import", source)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert [line.split(":")[1].strip() for line in lines[:-1]] == [
        "cases.csv line 3",
        "cases.csv line 6",
        "cases.csv line 7",
    ]
    assert lines[-1] == "lingkaran: 3 rows are invalid; nothing was imported (--skip-invalid imports the valid rows)"
    assert counts(db_path)["cases"] == 0


def test_skip_invalid_imports_the_valid_rows_each_with_an_open_event(cli, tmp_path):
    source = tmp_path / "cases.csv"
    source.write_text(CASES_CSV)
    result = cli("import", source, "--skip-invalid", "--json")
    assert result.exit_code == 0 and "line 3" in result.stderr
    assert json.loads(result.stdout)["imported"] == {"cases": 2}
    cases = cli.json("list")
    assert [(case["client"], case["level"], case["consent"]) for case in cases] == [
        ("Ani Lestari", "mikro", True),
        ('Keluarga "Hartono"', "mezzo", True),
    ]
    assert cases[1]["problem"] == "Eviction,\nfour months late" and cases[1]["opened_on"] == "2026-05-03"
    assert [event["kind"] for event in cli.json("log", "1")] == ["open"]


def test_a_csv_export_imports_back_once(cli, closed_case, tmp_path):
    source = tmp_path / "cases.csv"
    cli.ok("export", "--format", "csv", "--force", "--output", source)
    other = tmp_path / "other.db"
    assert cli.json("--db", other, "import", source)["imported"] == {"cases": 2}
    assert cli.json("--db", other, "import", source)["already_present"] == 2
    assert [case["client"] for case in cli.json("--db", other, "list")] == ["Siti Rahmawati", "Bambang Wijaya"]


@pytest.mark.parametrize(
    "content, args",
    [
        ("", ["--format", "csv"]),
        ("client,lvl,problem\nAni,mikro,x\n", []),
        ("client,problem\nAni,x\n", []),
        ('{"shopping": ["rice"]}', ["--format", "json"]),
        ("{not json\n", ["--format", "ndjson"]),
        ('{"format":"lingkaran-export","version":99}\n', ["--format", "ndjson"]),
        ("client,level,problem\nAni,mikro,x\n", ["--format", "xml"]),
    ],
)
def test_bad_input_is_exit_2_with_one_line_and_nothing_written(cli, db_path, tmp_path, content, args):
    source = tmp_path / "input.csv"
    source.write_text(content)
    result = cli("import", source, *args)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("lingkaran: ") and result.stderr.count("\n") == 1, result.stderr
    assert not db_path.exists() or counts(db_path)["cases"] == 0


def test_a_changed_event_or_a_dangling_reference_refuses_the_whole_import(cli, closed_case, db_path, tmp_path):
    head, records = ndjson(cli.ok("export", "--force", "--format", "ndjson").stdout)
    tampered = [dict(item) for item in records]
    event = next(item for item in tampered if item["table"] == "events" and item["record"]["kind"] == "terminate")
    event["record"] = {**event["record"], "data": {**event["record"]["data"], "reason": "died"}}
    dangling = [item for item in records if item["table"] != "assessments"]
    for broken, message in ((tampered, "content_hash"), (dangling, "neither in the file")):
        other = tmp_path / f"{message[:7]}.db"
        text = "\n".join(json.dumps(line) for line in [head, *broken])
        result = cli("--db", other, "import", "-", "--format", "ndjson", input=text)
        assert result.exit_code == 2 and message in result.stderr and result.stderr.count("\n") == 1
        assert counts(other)["events"] == 0 and counts(other)["cases"] == 0


def test_missing_files_and_existing_outputs_are_refused(cli, opened_case, tmp_path):
    missing = cli("import", tmp_path / "nowhere.json")
    assert missing.exit_code == 2 and "cannot read" in missing.stderr
    target = tmp_path / "taken.json"
    target.write_text("keep me")
    taken = cli("export", "--output", target)
    assert taken.exit_code == 2 and "already exists" in taken.stderr and target.read_text() == "keep me"
    assert cli("export", "--format", "xml").exit_code == 2


def test_imported_records_are_searchable_beside_the_ones_already_here(cli, closed_case, tmp_path):
    exported = tmp_path / "caseload.ndjson"
    cli.ok("export", "--force", "--format", "ndjson", "--output", exported)
    other = tmp_path / "other.db"
    cli.ok("--db", other, "open", "Dewi", "--level", "mikro", "--problem", "Father lost his work", "--consent")
    cli.ok("--db", other, "import", exported)
    found = cli.json("--db", other, "search", "father")
    assert sorted((hit["client"], hit["source"]) for hit in found) == [
        ("Dewi", "cases"),
        ("Siti Rahmawati", "activities"),
    ]
    assert {hit["source"] for hit in cli.json("--db", other, "search", "Settling")} == {"assessments"}


def test_a_refused_import_leaves_search_working_for_what_is_written_next(cli, closed_case, tmp_path):
    head, records = ndjson(cli.ok("export", "--force", "--format", "ndjson").stdout)
    broken = [*records, {"table": "goals", "record": {"uuid": "dangling-goal", "case_uuid": "nowhere"}}]
    other = tmp_path / "other.db"
    refused = cli(
        "--db",
        other,
        "import",
        "-",
        "--format",
        "ndjson",
        input="\n".join(json.dumps(line) for line in [head, *broken]),
    )
    assert refused.exit_code == 2 and f"line {len(broken) + 1}:" in refused.stderr
    cli.ok("--db", other, "open", "Dewi", "--level", "mikro", "--problem", "Father lost his work", "--consent")
    assert [hit["client"] for hit in cli.json("--db", other, "search", "father")] == ["Dewi"]


def test_a_record_twice_in_one_file_is_stored_once(cli, closed_case, tmp_path):
    head, records = ndjson(cli.ok("export", "--force", "--format", "ndjson").stdout)
    goal = next(item for item in records if item["table"] == "goals")
    event = next(item for item in records if item["table"] == "events")
    twice = [*records, goal, event]
    end = {
        "end": {
            "records": sum(item["table"] != "events" for item in twice),
            "events": sum(item["table"] == "events" for item in twice),
        }
    }
    other = tmp_path / "other.db"
    result = cli(
        "--db",
        other,
        "import",
        "-",
        "--format",
        "ndjson",
        "--json",
        input="\n".join(json.dumps(line) for line in [head, *twice, end]),
    )
    assert json.loads(result.stdout)["already_present"] == 2
    sent = [item for item in records if item["table"] in ("goals", "events")]
    assert counts(other)["goals"] + counts(other)["events"] == len(sent) + 1  # and the import's own event


@pytest.mark.parametrize(
    ("table", "field", "value", "named"),
    [
        ("cases", "level", "kecil", "cases level 'kecil' is not valid here; expected one of: mikro, mezzo, makro"),
        (
            "cases",
            "opened_on",
            "15/06/2026",
            "cases opened_on is not valid here; expected a date YYYY-MM-DD from 1900 to 2999",
        ),
        (
            "terminations",
            "follow_up_on",
            "9999-12-31",
            "terminations follow_up_on is not valid here; expected a date YYYY-MM-DD from 1900 to 2999",
        ),
        ("activities", "cycle", "x", "activities cycle is not valid here; expected a whole number from 1 to 10000"),
        ("activities", "minutes", -30, "activities minutes is not valid here; expected a whole number from 0 to 1440"),
        ("ratings", "domain", "flying", "ratings domain 'flying' is not valid here; expected one of: "),
        ("ratings", "score", 9, "ratings score 9 is not valid here; expected one of: 1, 2, 3, 4, 5"),
        ("cases", "consent", True, "cases consent is not valid here; expected one of: 0, 1"),
        ("goals", "scale", {"7": "Flies"}, "goals scale is not valid here; expected GAS levels -2..2 with their texts"),
        ("activities", "note", 42, "activities note is not valid here; expected text"),
    ],
)
def test_a_value_no_command_would_store_refuses_the_whole_import(
    cli, closed_case, tmp_path, table, field, value, named
):
    """Otherwise a hand-edited file could make show, list, stats or report fail later."""
    head, records = ndjson(cli.ok("export", "--force", "--format", "ndjson").stdout)
    position = next(index for index, item in enumerate(records) if item["table"] == table)
    records[position] = {"table": table, "record": {**records[position]["record"], field: value}}
    other = tmp_path / "other.db"
    result = cli(
        "--db",
        other,
        "import",
        "-",
        "--format",
        "ndjson",
        input="\n".join(json.dumps(line) for line in [head, *records]),
    )
    assert result.exit_code == 2 and result.stderr.startswith(f"lingkaran: line {position + 2}: {named}")
    assert result.stderr.count("\n") == 1
    assert counts(other)["cases"] == 0 and counts(other)["events"] == 0


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        (
            "occurred_on",
            "garbage",
            "events occurred_on is not valid here; expected a date YYYY-MM-DD from 1900 to 2999",
        ),
        ("phase", "nowhere", "events phase 'nowhere' is not valid here; expected one of: engagement, "),
        ("cycle", -5, "events cycle is not valid here; expected a whole number from 1 to 10000"),
        ("data", [1, 2], "events data is not valid here; expected a JSON object"),
    ],
)
def test_an_event_log_could_not_show_refuses_the_whole_import(cli, closed_case, tmp_path, field, value, named):
    """Only an event's data is hashed: its date, step and cycle could be edited and still pass the hash check."""
    head, records = ndjson(cli.ok("export", "--force", "--format", "ndjson").stdout)
    position = next(
        index
        for index, item in enumerate(records)
        if item["table"] == "events" and item["record"]["kind"] == "intervene"
    )
    record = {**records[position]["record"], field: value}
    record["content_hash"] = events.content_hash(record["data"])
    records[position] = {"table": "events", "record": record}
    other = tmp_path / "other.db"
    result = cli(
        "--db",
        other,
        "import",
        "-",
        "--format",
        "ndjson",
        input="\n".join(json.dumps(line) for line in [head, *records]),
    )
    assert result.exit_code == 2 and result.stderr.startswith(f"lingkaran: line {position + 2}: {named}")
    assert counts(other)["events"] == 0


def test_event_data_leaves_as_stored_and_damaged_data_stops_the_export(cli, closed_case, db_path, tmp_path):
    conn = sqlite3.connect(db_path)
    stored = {uuid: data for uuid, data in conn.execute("SELECT uuid, data FROM events WHERE kind != 'import'")}
    conn.close()
    _header, items = ndjson(cli.ok("export", "--format", "ndjson", "--force").stdout)
    exported = {item["record"]["uuid"]: item["record"]["data"] for item in items if item["table"] == "events"}
    assert exported == {uuid: json.loads(data) for uuid, data in stored.items()}

    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("UPDATE events SET data = '{\"note\": \"cut off' WHERE kind = 'intervene'")
    conn.close()
    target = tmp_path / "backup.ndjson"
    result = cli("export", "--format", "ndjson", "--force", "--output", str(target))
    assert result.exit_code == 5 and "damaged" in result.stderr.splitlines()[-1]  # after the --force warning
    assert not target.exists()


def test_a_json_export_on_one_line_is_read_as_json(cli, closed_case, tmp_path):
    """`jq -c` (or an older lingkaran) writes the whole document on one line, which parsed as JSON there and so
    was taken for an NDJSON header: the cases in its "records" were skipped with exit 0 ("Imported 0 records")
    when the header had no closing counts, or refused as "cut short" when it had."""
    exported = tmp_path / "caseload.json"
    cli.ok("export", "--force", "--output", exported)
    document = json.loads(exported.read_text())
    older = {key: value for key, value in document.items() if key not in ("counted", "end")}
    for name, compact in (("current.json", document), ("older.json", older)):
        target = tmp_path / f"{name}.db"
        (tmp_path / name).write_text(json.dumps(compact) + "\n")
        result = cli("--db", target, "import", tmp_path / name, "--json")
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout)["format"] == "json"
        assert len(cli.json("--db", target, "list", "--all")) == len(cli.json("list", "--all")) == 2
