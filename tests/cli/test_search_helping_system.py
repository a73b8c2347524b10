"""`search` finds the helping system too (issue 17): members, the team, referrals and the ecomap, kept in step by
their triggers (migration m015), in import's fast path, after an erasure and in a caseload from before m015."""

import json
import sqlite3

import pytest
from sqlite_utils import Database

from lingkaran.errors import ExitCode
from lingkaran.store.database import SCHEMA_VERSION, connect
from lingkaran.store.migrations import migrations


@pytest.fixture
def helping_case(cli, opened_case) -> str:
    """A case with a member, a team member, a referral with its answer, and a system on its ecomap."""
    cli.ok(
        "member",
        "add",
        opened_case,
        "Budi Hartono",
        "--role",
        "father",
        "--relation",
        "kepala keluarga",
        "--note",
        "Bekerja malam di pabrik",
        "--phone",
        "0812-3456-7890",
        "--date",
        "2026-06-02",
    )
    cli.ok(
        "team",
        "add",
        opened_case,
        "Dewi Lestari",
        "--role",
        "psikolog",
        "--agency",
        "Puskesmas Cempaka",
        "--date",
        "2026-06-02",
    )
    cli.ok(
        "refer",
        opened_case,
        "--to",
        "Dinas Sosial Kota",
        "--service",
        "Bantuan seragam",
        "--contact",
        "Bu Marlina",
        "--date",
        "2026-06-03",
    )
    cli.ok(
        "referral", "update", "1", "--status", "accepted", "--note", "Anak dirujuk ke konselor", "--date", "2026-06-04"
    )
    cli.ok(
        "ecomap",
        "add",
        opened_case,
        "Masjid Al-Ikhlas",
        "--kind",
        "religion",
        "--tie",
        "strong",
        "--note",
        "Ustadz membantu biaya sekolah",
        "--date",
        "2026-06-05",
    )
    return opened_case


def sources(cli, query: str, *args: str) -> list[str]:
    return [hit["source"] for hit in cli.json("search", query, *args)]


def test_search_finds_a_member_a_team_member_a_referral_and_an_ecomap_system(cli, helping_case):
    assert sources(cli, "Budi") == ["members"]
    assert sources(cli, '"kepala keluarga"') == ["members"]
    assert sources(cli, "Dewi") == ["team"]
    assert sources(cli, "psychologist") == ["team"]  # the role as stored
    assert sources(cli, "Cempaka") == ["team"]
    assert sources(cli, "Dinas") == ["referrals"]
    assert sources(cli, "seragam") == ["referrals"]
    assert sources(cli, "Marlina") == ["referrals"]
    assert sources(cli, "konselor") == ["referrals"]  # the answer's note
    assert sources(cli, "Masjid") == ["ecomap_changes"]
    assert sources(cli, "Ustadz") == ["ecomap_changes"]
    assert sources(cli, "zebra") == []


def test_each_hit_says_its_case_date_step_and_the_words_around_the_match(cli, helping_case):
    hits = {hit["source"]: hit for hit in cli.json("search", "Budi OR Dewi OR Dinas OR Masjid")}
    assert {source: (hit["occurred_on"], hit["phase"]) for source, hit in hits.items()} == {
        "members": ("2026-06-02", "assessment"),
        "team": ("2026-06-02", "intervention"),
        "referrals": ("2026-06-03", "intervention"),
        "ecomap_changes": ("2026-06-05", "assessment"),
    }
    member = hits["members"]
    assert set(member) == {"case_id", "case_uuid", "client", "source", "record_uuid", "occurred_on", "phase", "snippet"}
    assert member["case_id"] == int(helping_case) and member["client"] == "Siti Rahmawati"
    assert member["record_uuid"] == cli.json("show", helping_case)["members"][0]["uuid"]
    assert member["snippet"] == "«Budi» Hartono · father · kepala keluarga · Bekerja malam di pabrik"
    assert hits["team"]["snippet"] == "«Dewi» Lestari · psychologist · Puskesmas Cempaka"
    assert (
        hits["referrals"]["snippet"] == "«Dinas» Sosial Kota · Bantuan seragam · Bu Marlina · Anak dirujuk ke konselor"
    )
    assert hits["ecomap_changes"]["snippet"] == "«Masjid» Al-Ikhlas · Ustadz membantu biaya sekolah"


def test_each_hit_names_its_kind_of_record_in_english_and_indonesian(cli, helping_case):
    english = cli.ok("search", "Budi OR Dewi OR Dinas OR Masjid").stdout
    assert "#1 Siti Rahmawati · 2 Jun 2026 · Assessment · member\n" in english
    assert "#1 Siti Rahmawati · 2 Jun 2026 · Intervention · team member\n" in english
    assert "#1 Siti Rahmawati · 3 Jun 2026 · Intervention · referral\n" in english
    assert "#1 Siti Rahmawati · 5 Jun 2026 · Assessment · ecomap\n" in english
    indonesian = cli.ok("--lang", "id", "search", "Budi OR Dewi OR Dinas OR Masjid").stdout
    assert "· Asesmen · anggota\n" in indonesian
    assert "· Intervensi · anggota tim\n" in indonesian
    assert "· Intervensi · rujukan\n" in indonesian
    assert "· Asesmen · ekomap\n" in indonesian
    assert "    «Dinas» Sosial Kota · Bantuan seragam" in indonesian


def test_a_root_finds_the_indonesian_forms_in_a_referral(cli, helping_case):
    assert sources(cli, "rujuk") == ["referrals"]  # "dirujuk" in the answer's note


def test_a_phone_number_finds_the_member_once(cli, helping_case):
    hits = cli.json("search", "0812 3456")
    assert [(hit["source"], hit.get("whose")) for hit in hits] == [("phone", "member")]


def test_the_index_follows_each_change_to_the_helping_system(cli, helping_case, db_path):
    cli.ok(
        "referral", "update", "1", "--status", "completed", "--note", "Seragam sudah diterima", "--date", "2026-06-09"
    )
    assert sources(cli, "konselor") == [] and sources(cli, "diterima") == ["referrals"]
    cli.ok("ecomap", "add", helping_case, "Masjid Al-Ikhlas", "--tie", "tenuous", "--note", "Jarang datang")
    assert sources(cli, "Masjid") == ["ecomap_changes", "ecomap_changes"]  # each dated change of the system
    with sqlite3.connect(db_path) as conn:  # a correction by hand, and a row taken out, as a rebuild may do
        conn.execute("UPDATE members SET note = 'Sudah pindah ke Bekasi'")
        conn.execute("DELETE FROM team")
    assert sources(cli, "pabrik") == [] and sources(cli, "Bekasi") == ["members"]
    assert sources(cli, "Dewi OR psychologist") == []


def test_search_for_one_case_keeps_to_its_helping_system(cli, helping_case):
    cli.ok("open", "Ani", "--level", "mikro", "--problem", "Rumah", "--consent", "--date", "2026-06-01")
    cli.ok("member", "add", "2", "Budi Santoso", "--role", "uncle", "--date", "2026-06-02")
    assert sorted(hit["case_id"] for hit in cli.json("search", "Budi")) == [1, 2]
    assert [hit["case_id"] for hit in cli.json("search", "Budi", "--case", "2")] == [2]


def test_forget_takes_the_helping_systems_words_out_of_the_index_and_the_file(cli, helping_case, db_path):
    cli.ok("terminate", helping_case, "--reason", "withdrew", "--summary", "Pindah", "--date", "2026-06-10")
    words = ("hartono", "lestari", "cempaka", "marlina", "konselor", "ikhlas", "ustadz")
    assert all(word.encode() in db_path.read_bytes().lower() for word in words)
    cli.ok("forget", helping_case, "--yes")
    assert cli.json("search", " OR ".join(words + ("psychologist", "religion"))) == []
    on_disk = db_path.read_bytes().lower()
    assert [word for word in words if word.encode() in on_disk] == []
    findings = json.loads(cli("check", "--json").stdout)["findings"]
    assert [finding for finding in findings if finding["check"] != "permissions"] == []  # tmp_path is 0755


def test_check_finds_a_helping_systems_words_an_interrupted_erasure_left_in_the_index(
    cli, helping_case, db_path, monkeypatch
):
    from lingkaran.store import erasure

    cli.ok("terminate", helping_case, "--reason", "withdrew", "--summary", "x", "--date", "2026-06-10")
    with sqlite3.connect(db_path) as conn:  # the cycle's words gone already: only the helping system's are left
        conn.execute("UPDATE cases SET problem = ''")
        conn.execute("UPDATE terminations SET summary = ''")
        conn.execute("INSERT INTO search_index (search_index) VALUES ('optimize')")
    with monkeypatch.context() as older_lingkaran:  # erasing without merging the index, killed before compacting
        older_lingkaran.setattr(erasure, "purge_search_index", lambda conn: None)
        older_lingkaran.setattr(erasure, "compact", lambda conn: None)
        cli.ok("forget", helping_case, "--yes")
    assert cli.json("search", "Budi OR Dewi OR Dinas OR Masjid") == []
    result = cli("check", "--json")
    assert result.exit_code == ExitCode.DATABASE_UNUSABLE
    findings = json.loads(result.stdout)["findings"]
    assert {finding["check"] for finding in findings} == {"erasure"}
    assert any("the search index still holds words" in finding["message"] for finding in findings)
    cli.ok("forget", helping_case, "--yes")
    assert cli("check").exit_code == 0


def test_an_import_indexes_the_helping_system_it_brings(cli, helping_case, tmp_path):
    exported = tmp_path / "siti.ndjson"
    cli.ok("export", "--case", helping_case, "--format", "ndjson", "--force", "-o", exported)
    other = tmp_path / "colleague.db"
    cli.ok("--db", other, "import", exported)
    found = cli.json("--db", other, "search", "Budi OR Dewi OR Dinas OR Masjid")
    assert sorted(hit["source"] for hit in found) == ["ecomap_changes", "members", "referrals", "team"]
    with sqlite3.connect(other) as conn:  # import put its search triggers back
        triggers = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert {"members_search_insert", "team_search_insert", "referrals_search_insert"} <= triggers
    assert "ecomap_changes_search_insert" in triggers


def test_a_caseload_from_before_m015_gets_its_helping_system_indexed(db_path, cli):
    db = Database(db_path)
    migrations.apply(db, stop_before="m015_search_the_helping_system")
    for statement in (
        "INSERT INTO cases (uuid, client, level, problem, phase, status, cycle, opened_on, consent) "
        "VALUES ('0b6c6d7e-0000-4000-8000-000000000001', 'Ani', 'mikro', 'Putus sekolah', 'assessment', 'active', "
        "1, '2026-01-01', 1)",
        "INSERT INTO members (uuid, case_id, name, role, relation, note, added_on) "
        "VALUES ('0b6c6d7e-0000-4000-8000-000000000002', 1, 'Wati', 'mother', 'ibu kandung', NULL, '2026-01-02')",
        "INSERT INTO team (uuid, case_id, name, role, agency, added_on) "
        "VALUES ('0b6c6d7e-0000-4000-8000-000000000003', 1, 'Pak Joko', 'teacher', 'SMP 3', '2026-01-03')",
        "INSERT INTO referrals (uuid, case_id, agency, service, referred_on, status, status_on, note) "
        "VALUES ('0b6c6d7e-0000-4000-8000-000000000004', 1, 'Puskesmas', 'counselling', '2026-01-04', 'accepted', "
        "'2026-01-05', 'Jadwal konseling Senin')",
        "INSERT INTO ecomap_changes (uuid, case_id, system, kind, tie, flow, note, changed_on, removed) "
        "VALUES ('0b6c6d7e-0000-4000-8000-000000000005', 1, 'Karang Taruna', 'recreation', 'strong', 'in', "
        "'Latihan futsal', '2026-01-06', 0)",
    ):
        db.execute(statement)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
    db.conn.commit()
    db.close()
    before = dict(sqlite3.connect(db_path).execute("SELECT uuid, name FROM members").fetchall())
    conn = connect(db_path)  # any command upgrades the file
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert dict(conn.execute("SELECT uuid, name FROM members").fetchall()) == before
    conn.close()
    found = {hit["source"]: hit for hit in cli.json("search", "Wati OR Joko OR konseling OR futsal OR sekolah")}
    assert sorted(found) == ["cases", "ecomap_changes", "members", "referrals", "team"]
    assert found["referrals"]["snippet"] == "Puskesmas · counselling · Jadwal «konseling» Senin"
    assert found["members"]["record_uuid"] == "0b6c6d7e-0000-4000-8000-000000000002"
    cli.ok("member", "add", "1", "Tono", "--role", "brother", "--date", "2026-01-07")  # and the triggers keep it
    assert [hit["source"] for hit in cli.json("search", "Tono")] == ["members"]
