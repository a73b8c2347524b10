"""Through the installed command: a caseload written by lingkaran at schema 6 (tests/data/caseload-schema-6.db)
upgrades with its members, team, referrals and ecomap searchable, in English and Indonesian, and `forget` takes
their words out of the file."""

import json
import shutil
from pathlib import Path

import pytest

SCHEMA_6 = Path(__file__).parents[1] / "data" / "caseload-schema-6.db"
QUERY = "Wati OR Joko OR Puskesmas OR smp"


@pytest.fixture
def schema_6(db_path) -> Path:
    shutil.copyfile(SCHEMA_6, db_path)
    db_path.chmod(0o600)
    return db_path


def findings(lingkaran) -> list[dict]:
    result = lingkaran("check", "--json")
    return [finding for finding in json.loads(result.stdout)["findings"] if finding["check"] != "permissions"]


def test_an_older_caseloads_helping_system_is_found_in_both_languages(schema_6, lingkaran):
    result = lingkaran("search", QUERY, "--json")
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)
    assert sorted((hit["case_id"], hit["source"], hit["phase"], hit["snippet"]) for hit in hits) == [
        (1, "ecomap_changes", "assessment", "«SMP» 3"),
        (1, "referrals", "intervention", "«Puskesmas» · counselling"),
        (1, "team", "intervention", "Pak «Joko» · teacher · «SMP» 3"),
        (3, "members", "assessment", "«Wati» · head"),
    ]
    assert all(hit["occurred_on"] == "2026-06-15" and hit["record_uuid"] for hit in hits)
    english = lingkaran("search", QUERY).stdout
    assert (
        "#1 Siti Rahmawati · 15 Jun 2026 · Intervention · team member\n    Pak «Joko» · teacher · «SMP» 3\n" in english
    )
    assert "#3 Keluarga Wati · 15 Jun 2026 · Assessment · member\n" in english
    indonesian = lingkaran("search", QUERY, env={"LINGKARAN_LANG": "id"}).stdout
    for label in ("Intervensi · anggota tim", "Asesmen · anggota", "Intervensi · rujukan", "Asesmen · ekomap"):
        assert f"· {label}\n" in indonesian, label
    assert findings(lingkaran) == []


def test_forget_leaves_no_word_of_the_helping_system_in_the_file(schema_6, lingkaran):
    assert lingkaran("terminate", "1", "--reason", "withdrew", "--summary", "Pindah").returncode == 0
    assert b"joko" in schema_6.read_bytes().lower()
    forgotten = lingkaran("forget", "1", "--yes")
    assert forgotten.returncode == 0, forgotten.stderr
    assert [hit["case_id"] for hit in json.loads(lingkaran("search", QUERY, "--json").stdout)] == [3]
    on_disk = schema_6.read_bytes().lower()
    assert b"joko" not in on_disk and b"puskesmas" not in on_disk and b"smp 3" not in on_disk
    assert findings(lingkaran) == []
