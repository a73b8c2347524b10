"""An erased case's words leave the file for good: the search index is merged in the very transaction that blanks
them, a `forget` interrupted before its compaction is finished by running `forget` again, a colleague's note for
a case erased here is not left in the index, the file name an import was recorded with is blanked too, and
`check` finds an erased case's words still in the index's pages (as an older lingkaran could leave them)."""

import json
import sqlite3

import pytest

from lingkaran.errors import ExitCode
from tests.helpers import killed_when

SECRET = "Kalimantanrahasia"  # one word that appears nowhere but in the erased case's note


def on_disk(db_path) -> bytes:
    """The caseload and its WAL as raw bytes, lower-cased as the search index keeps its words."""
    wal = db_path.with_name(db_path.name + "-wal")
    return (db_path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")).lower()


def closed_case_with_a_secret(cli, db=None) -> None:
    where = ["--db", db] if db else []
    cli.ok(
        *where,
        "open",
        "Siti Rahmawati",
        "--level",
        "mikro",
        "--problem",
        "Eviction",
        "--consent",
        "--date",
        "2026-01-05",
    )
    cli.ok(*where, "note", "1", f"She named the village {SECRET} where her brother hides", "--date", "2026-01-06")
    cli.ok(*where, "terminate", "1", "--reason", "withdrew", "--summary", "Stopped", "--date", "2026-02-01")


def forgets(db_path) -> int:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("SELECT count(*) FROM events WHERE kind = 'forget'").fetchone()[0]
    finally:
        conn.close()


def forget_killed_after_its_commit(cli, db_path) -> None:
    """Case 1 closed with a secret, case 2 with a few megabytes of notes (so compacting takes a moment to be
    killed in), and `forget 1` killed once it has committed; skipped when it finished first."""
    closed_case_with_a_secret(cli)
    cli.ok("open", "Budi", "--level", "mikro", "--problem", "Lost his job", "--consent", "--date", "2026-01-05")
    for _note in range(40):
        assert (
            cli("note", "2", "-", input="A long note about the job centre and the family's plans. " * 1_000).exit_code
            == 0
        )
    if not killed_when(["forget", "1", "--yes"], lambda: forgets(db_path) > 0):  # committed, now compacting
        pytest.skip("forget finished before it could be killed after its commit (a much faster machine)")


def test_a_forget_killed_after_its_commit_is_finished_by_forget_again(cli, db_path, lingkaran):
    forget_killed_after_its_commit(cli, db_path)
    assert forgets(db_path) == 1
    again = lingkaran("forget", "1", "--yes", "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout) == {
        "case_id": 1,
        "uuid": json.loads(again.stdout)["uuid"],
        "erased_on": "2026-06-15",
        "rows": {},
        "events": 0,
        "already_erased": True,
    }
    assert SECRET.lower().encode() not in on_disk(db_path) and b"rahmawati" not in on_disk(db_path)
    refused = lingkaran("forget", "1", "--yes")  # nothing can remain now: refused as ever
    assert refused.returncode == ExitCode.STEP_REFUSED and "was erased on 2026-06-15" in refused.stderr
    assert lingkaran("check").returncode == 0


def test_a_forget_that_fails_before_its_compaction_has_already_taken_the_words_out_of_the_index(
    cli, db_path, monkeypatch
):
    from lingkaran.store import erasure

    closed_case_with_a_secret(cli)

    def full_disk(conn):
        raise sqlite3.OperationalError("database or disk is full")

    with monkeypatch.context() as patch:
        patch.setattr(erasure, "compact", full_disk)
        result = cli("forget", "1", "--yes")
    assert result.exit_code == ExitCode.DATABASE_UNUSABLE and "the disk is full" in result.stderr
    assert cli.json("show", "1")["erased"] is True  # the erasure itself was committed
    assert SECRET.lower().encode() not in on_disk(db_path)


def test_a_colleagues_note_for_a_case_erased_here_leaves_no_word_behind(cli, tmp_path):
    here, there = tmp_path / "here.db", tmp_path / "there.db"
    cli.ok(
        "--db", here, "open", "Siti", "--level", "mikro", "--problem", "Eviction", "--consent", "--date", "2026-01-05"
    )
    first = tmp_path / "first.ndjson"
    cli.ok("--db", here, "export", "--case", "1", "--format", "ndjson", "--force", "-o", first)
    cli.ok("--db", there, "import", first)
    cli.ok("--db", there, "note", "1", f"New address in {SECRET}", "--date", "2026-01-10")
    later = tmp_path / "siti-later.ndjson"
    cli.ok("--db", there, "export", "--case", "1", "--format", "ndjson", "--force", "-o", later)
    cli.ok("--db", here, "terminate", "1", "--reason", "withdrew", "--summary", "x", "--date", "2026-02-01")
    cli.ok("--db", here, "forget", "1", "--yes")
    cli.ok("--db", here, "import", later)
    assert cli.json("--db", here, "search", SECRET) == []
    assert SECRET.lower().encode() not in on_disk(here)
    assert b"siti-later" not in on_disk(here)  # the import's event names no file that brought erased text
    findings = json.loads(cli("--db", here, "check", "--json").stdout)["findings"]
    assert [finding for finding in findings if finding["check"] != "permissions"] == []  # tmp_path is 0755


def test_erasing_a_case_blanks_the_file_names_its_imports_were_recorded_with(cli, tmp_path):
    here, there = tmp_path / "here.db", tmp_path / "there.db"
    closed_case_with_a_secret(cli, here)
    named = tmp_path / "siti-rahmawati-eviction.ndjson"
    cli.ok("--db", here, "export", "--case", "1", "--format", "ndjson", "--force", "-o", named)
    cli.ok("--db", there, "import", named)
    assert b"siti-rahmawati-eviction" in on_disk(there)
    cli.ok("--db", there, "forget", "1", "--yes")
    assert b"siti-rahmawati-eviction" not in on_disk(there)
    assert b"rahmawati" not in on_disk(there) and SECRET.lower().encode() not in on_disk(there)
    findings = json.loads(cli("--db", there, "check", "--json").stdout)["findings"]
    assert [finding for finding in findings if finding["check"] != "permissions"] == []


def test_check_finds_an_erased_cases_words_left_in_the_index_and_forget_removes_them(cli, db_path, monkeypatch):
    from lingkaran.store import erasure

    closed_case_with_a_secret(cli)
    with monkeypatch.context() as older_lingkaran:  # erasing without merging the index, killed before compacting
        older_lingkaran.setattr(erasure, "purge_search_index", lambda conn: None, raising=False)
        older_lingkaran.setattr(erasure, "compact", lambda conn: None)
        cli.ok("forget", "1", "--yes")
    assert cli.json("search", SECRET) == []  # queries never show them: only the file's pages do
    assert SECRET.lower().encode() in on_disk(db_path)
    result = cli("check", "--json")
    assert result.exit_code == ExitCode.DATABASE_UNUSABLE
    assert json.loads(result.stdout)["findings"] == [
        {
            "check": "erasure",
            "case_id": 1,
            "message": "the search index still holds words of erased case 1; `lingkaran forget 1` removes them",
        }
    ]
    assert cli("check").stdout.count("✘ erasure: the search index still holds words of erased case 1") == 1
    finished = cli("forget", "1", "--yes")
    assert finished.exit_code == 0
    assert "Case 1 was erased on 2026-06-15; what an interrupted erasure may have left" in finished.stdout
    assert SECRET.lower().encode() not in on_disk(db_path)
    assert cli("check").exit_code == 0


@pytest.mark.parametrize("library", ["sqlite3", "sqlcipher3"])
@pytest.mark.parametrize("page_size", [1000, 64])  # FTS5's default leaf size, and one so small doclists span pages
def test_reading_the_index_pages_finds_every_entry_deleted_or_not(library, page_size):
    import random

    from lingkaran.store.search_segments import rowids_on_disk

    module = pytest.importorskip(library)
    words = [f"w{number}" for number in range(300)] + ["rahasia", "x" * 40]
    for seed in range(3):
        rng = random.Random(seed)
        conn = module.connect(":memory:", isolation_level=None)
        conn.execute("CREATE VIRTUAL TABLE search_index USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')")
        conn.execute("INSERT INTO search_index (search_index, rank) VALUES ('pgsz', ?)", [page_size])
        ever, live = set(), set()
        for _step in range(400):
            if live and rng.random() < 0.3:
                rowid = rng.choice(sorted(live))
                conn.execute("DELETE FROM search_index WHERE rowid = ?", [rowid])
                live.discard(rowid)
                continue
            rowid = rng.randrange(1, 5000) * 16 + rng.randrange(1, 9)
            if rowid not in live:
                text = " ".join(rng.choice(words) for _word in range(rng.choice([1, 3, 20, 300])))
                conn.execute("INSERT INTO search_index (rowid, body) VALUES (?, ?)", [rowid, text])
                live.add(rowid)
                ever.add(rowid)
        assert live <= rowids_on_disk(conn) <= ever
        assert rowids_on_disk(conn) != live  # deleted rows whose words are still in the pages were found
        conn.execute("INSERT INTO search_index (search_index) VALUES ('optimize')")
        assert rowids_on_disk(conn) == live
        conn.close()


def test_check_finds_an_erasure_killed_before_its_compaction_while_its_words_are_still_in_the_file(
    cli, db_path, lingkaran
):
    """Killed after its commit, a `forget` leaves the client's name and words in the caseload's file beneath its
    WAL until a command folds the WAL in; `check`, which only reads, said all was well while they were there."""
    forget_killed_after_its_commit(cli, db_path)
    if SECRET.lower().encode() not in on_disk(db_path):
        pytest.skip("the kill came after the compaction had folded the WAL in")
    found = lingkaran("check", "--json")
    assert found.returncode == ExitCode.DATABASE_UNUSABLE, found.stdout
    assert {"check": "erasure", "case_id": 1, "message": LEFT_IN_THE_FILE} in json.loads(found.stdout)["findings"]
    assert SECRET.lower().encode() in on_disk(db_path)  # check changed nothing
    assert lingkaran("forget", "1", "--yes").returncode == 0
    assert SECRET.lower().encode() not in on_disk(db_path)
    assert json.loads(lingkaran("check", "--json").stdout)["findings"] == []


LEFT_IN_THE_FILE = (
    "erased case 1 is still readable in the caseload's file beneath its WAL (an erasure was stopped before it "
    "compacted the file); `lingkaran forget 1` removes it"
)
