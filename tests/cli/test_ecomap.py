"""The ecomap: its grammar, dated changes, `--at`, `--compare`, DOT, and the picture in 80 columns."""

import json
import stat

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from lingkaran.errors import ExitCode
from lingkaran.render.helping_system import TIE_PATTERNS, ecomap_picture, ecomap_view
from tests.helpers import refused

TWELVE = [
    ("Ibu Sri Wahyuningsih", "family", "strong", "both"),
    ("Pak Hartono", "family", "stressful", "out"),
    ("SMP Negeri 5 Jakarta Timur", "school", "tenuous", "in"),
    ("Puskesmas Cakung", "health", "strong", "in"),
    ("Masjid Al-Ikhlas", "religion", "tenuous", "in"),
    ("Pabrik tekstil", "work", "stressful", "none"),
    ("Teman sekolah", "friends", "tenuous", "both"),
    ("Karang Taruna", "recreation", "tenuous", "none"),
    ("Dinas Sosial", "social-services", "strong", "in"),
    ("LBH Jakarta", "legal", "tenuous", "in"),
    ("RT 05 / RW 02", "neighbourhood", "stressful", "out"),
    ("Pemilik kontrakan", "other", "stressful", "out"),
]


def ties(rows=TWELVE):
    return [{"system": s, "kind": k, "tie": t, "flow": f, "note": None, "since": "2026-06-01"} for s, k, t, f in rows]


def plain(renderable, width=80) -> str:
    console = Console(width=width, no_color=True, record=True, file=open("/dev/null", "w"))
    console.print(renderable)
    return console.export_text()


def test_twelve_systems_fit_80_columns_with_every_name_and_distinct_tie_styles():
    picture = plain(ecomap_picture("Keluarga Hartono", "mezzo", "2026-06-15", ties()))
    lines = picture.splitlines()
    assert max(len(line) for line in lines) <= 80
    for name, _kind, _tie, _flow in TWELVE:
        shown = name if len(name) <= 20 else name[:19] + "…"
        assert shown in picture, name
    for system, _kind, tie, _flow in TWELVE:
        line = next(line for line in lines if system[:19] in line)
        on_the_left = line.index(system[:19]) < 21
        segment = line[21:31] if on_the_left else line[49:59]  # the ten columns of this system's line
        assert set(segment) <= {TIE_PATTERNS[tie], "▶", "◀"} and TIE_PATTERNS[tie] * 3 in segment, (system, line)
    assert "Keluarga Hartono" in picture


def test_the_whole_view_fits_80_columns_and_carries_its_meaning_without_colour():
    result = {"case_id": 1, "client": "Keluarga Hartono", "level": "mezzo", "on": "2026-06-15", "systems": ties()}
    text = plain(ecomap_view(result))
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "═══ strong" in text and "┄┄┄ tenuous" in text and "╪╪╪ stressful" in text


@pytest.mark.parametrize(
    "flow, left, right",
    [
        ("in", "═════════▶┤", "├◀═════════"),
        ("out", "◀═════════┤", "├═════════▶"),
        ("both", "◀════════▶┤", "├◀════════▶"),
        ("none", "══════════┤", "├══════════"),
    ],
)
def test_arrowheads_point_at_the_client_for_in_and_away_for_out(flow, left, right):
    two = ties([("Left", "family", "strong", flow), ("Right", "family", "strong", flow)])
    picture = plain(ecomap_picture("C", "mikro", "2026-06-15", two))
    assert left in picture and right in picture


def add_twelve(cli, case, date="2026-06-02"):
    for system, kind, tie, flow in TWELVE:
        cli.ok("ecomap", "add", case, system, "--kind", kind, "--tie", tie, "--flow", flow, "--date", date)


def test_ecomap_case_shows_the_map_and_the_issue_word_order_works_too(cli, opened_case):
    cli.ok("ecomap", opened_case, "add", "Ibu", "--kind", "family", "--tie", "strong", "--flow", "in")
    cli.ok("ecomap", "add", opened_case, "Sekolah", "--kind", "school", "--tie", "tenuous")
    shown = cli.json("ecomap", opened_case)
    assert [(s["system"], s["tie"], s["flow"]) for s in shown["systems"]] == [
        ("Ibu", "strong", "in"),
        ("Sekolah", "tenuous", "none"),
    ]
    assert cli.json("ecomap", "show", opened_case) == shown
    text = cli.ok("ecomap", opened_case).stdout
    assert "Ibu" in text and "Sekolah" in text and "Siti Rahmawati" in text
    assert max(len(line) for line in text.splitlines()) <= 80


def test_every_change_is_dated_so_the_map_can_be_seen_as_it_was(cli, opened_case):
    add_twelve(cli, opened_case)
    cli.ok(
        "ecomap",
        "add",
        opened_case,
        "Pak Hartono",
        "--kind",
        "family",
        "--tie",
        "tenuous",
        "--flow",
        "both",
        "--note",
        "Talks again",
        "--date",
        "2026-06-10",
    )
    cli.ok("ecomap", "remove", opened_case, "pemilik kontrakan", "--date", "2026-06-10")
    cli.ok("ecomap", "add", opened_case, "Bank sampah", "--kind", "work", "--tie", "strong", "--flow", "in")
    then = {s["system"]: s for s in cli.json("ecomap", opened_case, "--at", "2026-06-05")["systems"]}
    now = {s["system"]: s for s in cli.json("ecomap", opened_case)["systems"]}
    assert len(then) == 12 and then["Pak Hartono"]["tie"] == "stressful"
    assert "Pemilik kontrakan" not in now and now["Pak Hartono"]["note"] == "Talks again" and "Bank sampah" in now
    assert cli.json("ecomap", opened_case, "--at", "2026-06-01")["systems"] == []
    assert cli.json("show", opened_case)["ecomap_systems"] == 12
    assert "Ecomap: 12 systems · lingkaran ecomap 1" in cli.ok("show", opened_case).stdout
    kinds = [e["kind"] for e in cli.json("log", opened_case)]
    assert kinds.count("ecomap-add") == 14 and kinds.count("ecomap-remove") == 1


def test_compare_shows_intake_against_now(cli, opened_case):
    add_twelve(cli, opened_case)
    cli.ok("ecomap", "add", opened_case, "Pak Hartono", "--tie", "tenuous", "--date", "2026-06-10")
    cli.ok("ecomap", "add", opened_case, "Puskesmas Cakung", "--kind", "health", "--tie", "stressful")
    cli.ok("ecomap", "remove", opened_case, "LBH Jakarta")
    cli.ok("ecomap", "add", opened_case, "Bank sampah", "--kind", "work", "--tie", "strong")
    compared = cli.json("ecomap", opened_case, "--compare")
    assert compared["from"] == "2026-06-02" and compared["on"] == "2026-06-15"
    changes = {row["system"]: row["change"] for row in compared["changes"]}
    assert changes["Pak Hartono"] == "stronger" and changes["Puskesmas Cakung"] == "weaker"
    assert changes["LBH Jakarta"] == "gone" and changes["Bank sampah"] == "new" and changes["Dinas Sosial"] == "same"
    redrawn = next(row for row in compared["changes"] if row["system"] == "Pak Hartono")
    assert redrawn["after"] == {"tie": "tenuous", "flow": "out"}, "redrawing keeps the flow and kind"
    midway = cli.json("ecomap", opened_case, "--compare", "--from", "2026-06-10")
    assert {row["system"]: row["change"] for row in midway["changes"]}["Pak Hartono"] == "same"
    text = cli.ok("ecomap", opened_case, "--compare").stdout
    assert "↑ stronger" in text and "↓ weaker" in text and "+ new" in text and "− gone" in text
    assert max(len(line) for line in text.splitlines()) <= 80


def test_dot_output_to_stdout_and_to_a_private_file(cli, opened_case, tmp_path):
    add_twelve(cli, opened_case)
    dot = cli.ok("ecomap", opened_case, "--format", "dot").stdout
    assert dot.startswith("digraph ecomap {") and dot.count(" -> ") == 12
    target = tmp_path / "maps" / "ecomap.dot"
    target.parent.mkdir()  # an --output folder must exist already (test_output_files)
    cli.ok("ecomap", opened_case, "--format", "dot", "--output", str(target))
    assert target.read_text() == dot and stat.S_IMODE(target.stat().st_mode) == 0o600
    again = cli("ecomap", opened_case, "--format", "dot", "--output", str(target))
    assert again.exit_code == ExitCode.INVALID_INPUT and "exists" in again.stderr
    as_json = tmp_path / "ecomap.json"
    cli.ok("ecomap", opened_case, "--format", "json", "--output", str(as_json))
    assert len(json.loads(as_json.read_text())["systems"]) == 12


@pytest.mark.parametrize(
    "args",
    [
        ["ecomap", "add", "{case}", "School", "--kind", "school", "--tie", "lukewarm"],
        ["ecomap", "add", "{case}", "School", "--kind", "zoo", "--tie", "strong"],
        ["ecomap", "add", "{case}", "School", "--kind", "school", "--tie", "strong", "--flow", "sideways"],
        ["ecomap", "add", "{case}", "School", "--tie", "strong"],
        ["ecomap", "add", "{case}", "School", "--kind", "school", "--tie", "strong", "--date", "2020-01-01"],
        ["ecomap", "remove", "{case}", "Nowhere"],
        ["ecomap", "{case}", "--format", "png"],
        ["ecomap", "{case}", "--from", "2026-06-01"],
        ["ecomap", "{case}", "--output", "map.txt"],
        ["ecomap", "{case}", "--at", "someday"],
    ],
)
def test_bad_ecomap_commands_are_exit_2_and_write_nothing(cli, db_path, opened_case, args):
    refused(cli, db_path, ExitCode.INVALID_INPUT, *[arg.format(case=opened_case) for arg in args])


def test_an_ecomap_of_an_unknown_case_is_exit_3(cli, db_path, opened_case):
    refused(cli, db_path, ExitCode.NO_SUCH_CASE, "ecomap", "42")


def test_an_empty_ecomap_says_how_to_start(cli, opened_case):
    assert "ecomap add 1 SYSTEM" in cli.ok("ecomap", opened_case).stdout
    assert cli.json("ecomap", opened_case)["systems"] == []


def test_ecomap_as_a_real_process(lingkaran, cli, opened_case):
    add_twelve(cli, opened_case)  # in-process, to keep the suite fast; the reads below are real processes
    added = lingkaran("ecomap", "1", "add", "Bank sampah", "--kind", "work", "--tie", "strong", "--flow", "in")
    assert added.returncode == 0, added.stderr
    shown = lingkaran("ecomap", "1", env={"COLUMNS": "80"})
    assert shown.returncode == 0 and max(len(line) for line in shown.stdout.splitlines()) <= 80
    assert all(name[:19] in shown.stdout for name, *_ in TWELVE)
    assert len(json.loads(lingkaran("ecomap", "1", "--json").stdout)["systems"]) == 13
    assert lingkaran("ecomap", "1", "--format", "dot").stdout.count(" -> ") == 13


NAMES = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .-'/()éñü", min_size=1, max_size=40
).filter(str.strip)
TIE_ROWS = st.tuples(
    NAMES,
    st.sampled_from(["family", "social-services", "neighbourhood"]),
    st.sampled_from(list(TIE_PATTERNS)),
    st.sampled_from(["in", "out", "both", "none"]),
)


@settings(max_examples=25, deadline=None)
@given(client=NAMES, rows=st.lists(TIE_ROWS, max_size=12))
def test_any_map_of_up_to_twelve_systems_fits_80_columns(client, rows):
    result = {"case_id": 7, "client": client, "level": "makro", "on": "2026-06-15", "systems": ties(rows)}
    text = plain(ecomap_view(result))
    assert max(len(line) for line in text.splitlines()) <= 80
