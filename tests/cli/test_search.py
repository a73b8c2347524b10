"""`search`: FTS5 over notes, problems, assessments, goals and summaries, kept in step by triggers."""

import json
import sqlite3

import pytest
from sqlite_utils import Database

from lingkaran.store.database import connect
from lingkaran.store.migrations import migrations


@pytest.fixture
def searchable_case(cli, active_case) -> str:
    """A case with Indonesian text in each kind of record."""
    cli.ok("open", "Other", "--level", "mikro", "--problem", "Rumah bocor")
    cli.ok(
        "assess",
        active_case,
        "--summary",
        "Anak-anak tidak bersekolah",
        "--strength",
        "Nenek yang peduli",
        "--need",
        "Seragam sekolah",
        "--date",
        "2026-06-05",
    )
    cli.ok("plan", active_case, "--goal", "Kembali ke sekolah dasar", "--date", "2026-06-05")
    cli.ok(
        "intervene",
        active_case,
        "--activity",
        "home-visit",
        "--note",
        "Kunjungan ke rumah nenek",
        "--goal",
        "1",
        "--date",
        "2026-06-06",
    )
    cli.ok("monitor", active_case, "--note", "Sudah mulai sekolah", "--date", "2026-06-08")
    cli.ok("note", active_case, "Café dekat sekolah; ibu bekerja di sana")
    return active_case


def test_search_finds_each_kind_of_record_with_case_date_step_and_snippet(cli, searchable_case):
    results = cli.json("search", "sekol*")
    assert {hit["source"] for hit in results} == {"assessments", "goals", "monitoring", "notes"}
    goal = next(hit for hit in results if hit["source"] == "goals")
    assert goal["case_id"] == int(searchable_case) and goal["client"] == "Siti Rahmawati"
    assert goal["phase"] == "planning" and goal["occurred_on"] == "2026-06-05"
    assert goal["snippet"] == "Kembali ke «sekolah» dasar"
    assert {hit["source"] for hit in cli.json("search", "school")} == {"cases", "goals"}  # problem, goal 1
    assert [hit["source"] for hit in cli.json("search", "nenek")].count("assessments") == 1


def test_search_ignores_diacritics_and_matches_joined_words(cli, searchable_case):
    assert [hit["source"] for hit in cli.json("search", "cafe")] == ["notes"]
    assert [hit["source"] for hit in cli.json("search", "anak-anak")] == ["assessments"]
    assert cli.json("search", '"kunjungan ke rumah"')[0]["source"] == "activities"


def test_search_can_be_limited_to_one_case(cli, searchable_case):
    assert [hit["case_id"] for hit in cli.json("search", "rumah")] != []
    assert {hit["case_id"] for hit in cli.json("search", "rumah", "--case", "2")} == {2}
    assert cli.json("search", "bocor", "--case", searchable_case) == []
    assert cli("search", "rumah", "--case", "99").exit_code == 3


def test_search_for_people_highlights_the_match(cli, searchable_case):
    output = cli.ok("search", "cafe").stdout
    assert "#1 Siti Rahmawati · 15 Jun 2026 · Monitoring · note" in output and "«Café»" in output
    assert "Nothing found for 'zebra'." in cli.ok("search", "zebra").stdout


def test_no_match_is_an_empty_array(cli, opened_case):
    assert cli.json("search", "zebra") == []


def test_bad_search_syntax_is_exit_2_with_one_line(cli, searchable_case, lingkaran):
    for query in ('"unterminated', "foo:bar", "AND", "(sekolah", "*", "   ", "sekolah-", "a OR"):
        result = cli("search", query)
        assert result.exit_code == 2, query
        assert result.stderr.startswith("lingkaran: ") and len(result.stderr.strip().splitlines()) == 1, query
    process = lingkaran("search", '"unterminated')
    assert process.returncode == 2 and "Traceback" not in process.stderr and process.stderr.count("\n") == 1
    for args in (["search"], ["search", "x", "--limit", "0"]):
        assert cli(*args).exit_code == 2


def test_the_index_follows_updates_and_erasure(cli, searchable_case, db_path):
    cli.ok("plan", searchable_case, "--revise", "3=Kembali ke madrasah")
    assert "goals" not in {hit["source"] for hit in cli.json("search", "sekolah")}
    assert cli.json("search", "madrasah")[0]["source"] == "goals"
    with sqlite3.connect(db_path) as conn:  # what erasure does: blank the personal columns in place
        conn.execute("UPDATE notes SET text = ''")
        conn.execute("UPDATE assessments SET summary = NULL, strengths = '', needs = ''")
        conn.execute("UPDATE cases SET problem = '' WHERE id = 2")
    assert {hit["source"] for hit in cli.json("search", "sekolah OR cafe OR bocor OR nenek")} == {
        "monitoring",
        "activities",
    }


def test_migrating_an_existing_caseload_indexes_what_is_already_there(tmp_path):
    path = tmp_path / "old.db"
    db = Database(path)
    migrations.apply(db, stop_before="m002_daily_work")
    db.execute(
        "INSERT INTO cases (uuid, client, level, problem, phase, status, cycle, opened_on, consent) "
        "VALUES ('u1', 'Ani', 'mikro', 'Putus sekolah', 'engagement', 'active', 1, '2026-01-01', 0)"
    )
    db.execute("PRAGMA user_version = 1")
    db.conn.commit()
    db.close()
    conn = connect(path)
    assert (
        conn.execute("SELECT body FROM search_index WHERE search_index MATCH 'sekolah'").fetchall()[0][0]
        == "Putus sekolah"
    )


def test_search_through_the_installed_command(lingkaran, searchable_case):
    results = json.loads(lingkaran("search", "sekolah", "--json").stdout)
    assert len(results) >= 3
    assert "«" in lingkaran("search", "sekolah").stdout


def test_the_index_survives_insert_or_replace_of_a_record(cli, searchable_case, db_path):
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "INSERT OR REPLACE INTO notes SELECT id, uuid, case_id, cycle, phase, written_on, 'Ganti teks' FROM notes"
        )
    assert [hit["source"] for hit in cli.json("search", "ganti")] == ["notes"]
    assert "notes" not in {hit["source"] for hit in cli.json("search", "cafe")}


def test_search_for_people_fits_the_terminal_width(cli, active_case, monkeypatch):
    from lingkaran.render.plain import cells

    long_name = "Keluarga Besar " + "Hartono-Wijayakusuma " * 6
    cli.ok("open", long_name, "--level", "mezzo", "--problem", "Rumah")
    note = (
        "Kunjungan rumah bersama kakak perempuan dan paman dari kampung sebelah, " * 3
        + "家庭訪問 " * 12
        + "https://contoh.example/"
        + "x" * 120
    )
    cli.ok("note", "2", note)
    for columns in ("80", "50"):
        monkeypatch.setenv("COLUMNS", columns)
        lines = cli.ok("search", "kunjungan").stdout.splitlines() + cli.ok("search", "家庭訪問").stdout.splitlines()
        assert max(cells(line) for line in lines) <= int(columns), lines
        assert any(line.startswith("#2 Keluarga B") and "…" in line for line in lines)
        assert len([line for line in lines if line.startswith("    ")]) > 2


def test_a_root_finds_the_indonesian_forms_built_on_it(cli, opened_case):
    cli.ok("note", opened_case, "Ibunya khawatir soal perkawinan anak di desa")
    cli.ok("note", opened_case, "Dewi ingin bersekolah lagi tahun depan")
    cli.ok("note", opened_case, "Ayahnya memukul ibunya minggu lalu")
    for query, words in (
        ("kawin*", "perkawinan"),
        ("sekolah", "bersekolah"),
        ("sekol*", "bersekolah"),
        ("pukul", "memukul"),
    ):
        found = cli.json("search", query, "--json")
        assert any(words in result["snippet"] for result in found), query
    assert cli.json("search", "kawin* NOT desa", "--json") == []
