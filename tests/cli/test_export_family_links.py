"""A one-case export of a case that is part of a family (mezzo) case imports cleanly anywhere."""

import json
import sqlite3

from lingkaran.errors import ExitCode


def open_family(cli) -> tuple[str, str, str]:
    """A family case, a child opened as part of it, and a second member linked to it later."""
    family = str(
        cli.json(
            "open", "Keluarga Hartono", "--level", "mezzo", "--problem", "Eviction", "--consent", "--date", "2026-06-01"
        )["id"]
    )
    child = str(
        cli.json(
            "open",
            "Dewi Hartono",
            "--level",
            "mikro",
            "--problem",
            "Left school",
            "--consent",
            "--part-of",
            family,
            "--date",
            "2026-06-02",
        )["id"]
    )
    father = str(
        cli.json(
            "open", "Pak Hartono", "--level", "mikro", "--problem", "Lost job", "--consent", "--date", "2026-06-03"
        )["id"]
    )
    cli.ok("link", father, "--part-of", family, "--date", "2026-06-04")
    return family, child, father


def links(path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(path)
    found = conn.execute(
        "SELECT p.client, c.client FROM case_links l JOIN cases p ON p.id = l.parent_id "
        "JOIN cases c ON c.id = l.child_id ORDER BY l.id"
    ).fetchall()
    conn.close()
    return found


def move_case(cli, case: str, tmp_path, name: str):
    """`export --case N` here, then `import` into a new, empty caseload: the worker moving one case."""
    exported = tmp_path / f"{name}.ndjson"
    cli.ok("export", "--case", case, "--format", "ndjson", "--output", exported)
    target = tmp_path / f"{name}.db"
    return cli("--db", target, "import", exported, "--json"), exported, target


def test_a_child_case_of_a_family_moves_to_an_empty_caseload(cli, tmp_path):
    _family, child, _father = open_family(cli)
    result, exported, target = move_case(cli, child, tmp_path, "child")
    assert result.exit_code == 0, result.stderr
    tables = [json.loads(line).get("table") for line in exported.read_text().splitlines()[1:]]
    assert "case_links" not in tables, "the family case stays behind, so its link does too"
    moved = cli.json("--db", target, "list", "--all")
    assert [case["client"] for case in moved] == ["Dewi Hartono"] and links(target) == []
    log = cli.json("--db", target, "log", str(moved[0]["id"]))
    assert "link" in [event["kind"] for event in log], "the history still says it was part of a family case"
    assert cli("--db", target, "check").exit_code == 0


def test_a_member_linked_later_moves_too(cli, tmp_path):
    _family, _child, father = open_family(cli)
    result, _exported, target = move_case(cli, father, tmp_path, "father")
    assert result.exit_code == 0, result.stderr
    assert [case["client"] for case in cli.json("--db", target, "list", "--all")] == ["Pak Hartono"]


def test_the_family_case_moves_and_round_trips_without_its_members(cli, tmp_path):
    family, _child, _father = open_family(cli)
    result, exported, target = move_case(cli, family, tmp_path, "family")
    assert result.exit_code == 0, result.stderr
    assert [case["client"] for case in cli.json("--db", target, "list", "--all")] == ["Keluarga Hartono"]
    again = tmp_path / "family-again.ndjson"
    cli.ok("--db", target, "export", "--case", "1", "--format", "ndjson", "--output", again)
    records = [line for line in again.read_text().splitlines()[1:]]
    assert records == exported.read_text().splitlines()[1:]


def test_the_whole_caseload_still_carries_every_link(cli, db_path, tmp_path):
    open_family(cli)
    exported = tmp_path / "all.json"
    cli.ok("export", "--output", exported)
    target = tmp_path / "all.db"
    assert cli("--db", target, "import", exported).exit_code == 0
    assert (
        links(target) == links(db_path) == [("Keluarga Hartono", "Dewi Hartono"), ("Keluarga Hartono", "Pak Hartono")]
    )


def test_a_link_row_pointing_outside_the_file_is_still_refused_by_import(cli, tmp_path, db_path):
    family, child, _father = open_family(cli)
    exported = tmp_path / "all.ndjson"
    cli.ok("export", "--format", "ndjson", "--output", exported)
    lines = exported.read_text().splitlines()
    without_family = [line for line in lines if '"client":"Keluarga Hartono"' not in line]
    broken = tmp_path / "broken.ndjson"
    broken.write_text("\n".join(without_family) + "\n")
    target = tmp_path / "broken.db"
    result = cli("--db", target, "import", broken)
    assert result.exit_code == ExitCode.INVALID_INPUT and result.stderr.count("\n") == 1
    assert "refers to cases" in result.stderr and "Traceback" not in result.output
    assert cli.json("--db", target, "list", "--all") == []
