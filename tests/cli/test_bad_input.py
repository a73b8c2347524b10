"""Bad input, tried on purpose: random arguments at every command, and awkward text stored and shown literally."""

import json
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lingkaran.errors import ExitCode
from lingkaran.messages import set_language
from lingkaran.store.database import SCHEMA_VERSION
from tests.helpers import LINGKARAN

DOCUMENTED_EXIT_CODES = {0, 2, 3, 4, 5}
HUGE = ["x" * 1_000_001, "é" * 400_000, "9" * 5000]
AWKWARD = [
    "",
    " ",
    "\t\n",
    "\x00",
    "a\x00b",
    "\x1b[31mred\x1b[0m",
    "\r",
    "\x7f",
    "\u200b",
    "\ufeff",
    "\u202eevil",
    "'; DROP TABLE cases; --",
    "Robert'); DELETE FROM events; --",
    "%s %d {0} {client}",
    "NULL",
    "null",
    "مرحبا بالعالم",
    "שלום",
    "👩‍👧‍👦🏳️‍🌈",
    'O\'Brien "Bob"',
    "\udcff",
    "a\udc80b",
    "-",
    "--",
    "--json",
    "-1",
    "0",
    "1",
    "2",
    "99999",
    "9223372036854775808",
    "1e309",
    "nan",
    "inf",
    "-inf",
    "1_000",
    "١٢٣",
    "½",
    "²",
    "2026-02-30",
    "2026-13-01",
    "0000-00-00",
    "9999-12-31",
    "2026-6-1",
    "20260601",
    "today",
    "tomorrow",
    "kemarin",
    "1=+3",
    "=",
    "1=",
    "=1",
    "1=1=1",
    "1:9=x",
    "a:b=c",
    "x=1",
    "1:−2=much worse",
    "0=0",
    "-1=-1",
    "6f1c",
    "6f1c2a3b",
    "00000000-0000-0000-0000-000000000000",
]
nasty = st.one_of(
    st.sampled_from(AWKWARD + HUGE),
    st.text(max_size=30),
    st.text(st.characters(categories=["Cc", "Cf", "Zl", "Zp", "Mn", "Co"]), max_size=8),
    st.integers().map(str),
    st.from_regex(r"-?[0-9]{1,3}(:[-+−]?[0-9])?=[-+−]?[0-9.]{1,4}", fullmatch=True),
    st.from_regex(r"[0-9]{1,5}-[0-9]{1,2}-[0-9]{1,3}", fullmatch=True),
    st.uuids().map(str),
)

CASES = ["1", "2", "3", "2", "999999", "0"]
DATES = ["2026-06-10", "today", "yesterday", "2026-06-16", "2020-01-01"]
LEVELS = ["1=1", "1=-2", "2=0", "1=+2", "3=1"]
SETTINGS = ["worker", "lang", "no_contact_days", "retention_years"]
# command: (positionals with plausible values, required options, optional options, flags)
COMMANDS = {
    "open": (
        [["Siti", "Keluarga Ayu"]],
        {"--level": ["mikro", "mezzo", "makro", "MEZZO"], "--problem": ["Lost job"]},
        {"--source": ["RT"], "--worker": ["Rina"], "--date": DATES},
        ["--consent", "--no-consent", "--json"],
    ),
    "assess": (
        [CASES],
        {"--domain": ["housing=2", "education=5", "family=1"]},
        {
            "--strength": ["Sings"],
            "--need": ["Rent"],
            "--risk": ["low", "high"],
            "--summary": ["Fine"],
            "--date": DATES,
        },
        ["--json"],
    ),
    "plan": (
        [CASES],
        {"--goal": ["Back to school"]},
        {
            "--weight": ["1=3", "2=0.5"],
            "--target": ["2026-12-01", "1=2027-01-01"],
            "--gas": ["1:0=Goes"],
            "--revise": ["1=Goes daily"],
            "--drop": ["1", "2"],
            "--date": DATES,
        },
        ["--json"],
    ),
    "intervene": (
        [CASES],
        {"--activity": ["home-visit", "phone-call", "other"], "--note": ["Visited", "-"]},
        {"--goal": ["1", "2"], "--minutes": ["30", "1440"], "--by": ["Rina"], "--date": DATES},
        ["--json"],
    ),
    "monitor": (
        [CASES],
        {"--note": ["Better", "-"]},
        {"--progress": LEVELS, "--follow-up": ["2026-07-01"], "--date": DATES},
        ["--json"],
    ),
    "evaluate": (
        [CASES],
        {"--score": LEVELS, "--decision": ["terminate", "continue", "replan", "reassess"]},
        {"--note": ["Done"], "--date": DATES},
        ["--json"],
    ),
    "terminate": (
        [CASES],
        {"--reason": ["goals-met", "referred", "died"], "--summary": ["Done"]},
        {"--follow-up": ["2026-09-01"], "--destination": ["Home"], "--date": DATES},
        ["--json"],
    ),
    "reopen": ([CASES], {"--reason": ["Again"]}, {"--date": DATES}, ["--json"]),
    "list": ([], {}, {"--phase": ["planning", "monitoring"], "--level": ["mikro"]}, ["--all", "--json"]),
    "show": ([CASES], {}, {}, ["--json"]),
    "log": ([CASES], {}, {}, ["--json"]),
    "check": ([], {}, {}, ["--json"]),
    "backup": ([["FOLDER", "FOLDER/copy.db"]], {}, {"--keep": ["1", "3"]}, ["--json"]),
    "restore": ([["FOLDER/good.db", "FOLDER/missing.db"]], {}, {}, ["--yes", "--json"]),
    "note": ([CASES, ["Grandmother came", "-"]], {}, {"--date": DATES}, ["--json"]),
    "amend": ([["EVENT", "6f1c2a3b"]], {"--note": ["Corrected"], "--reason": ["Typo"]}, {}, ["--json"]),
    "member add": (
        [CASES, ["Ibu Sri", "Budi"]],
        {"--role": ["mother", "child"]},
        {"--relation": ["aunt"], "--born": ["1981", "2011"], "--note": ["x"], "--date": DATES},
        ["--json"],
    ),
    "member remove": ([CASES, ["Ibu Sri", "Budi"]], {}, {"--reason": ["Moved"], "--date": DATES}, ["--json"]),
    "team add": (
        [CASES, ["Rina", "Bu Wati"]],
        {"--role": ["social-worker", "teacher"]},
        {"--agency": ["Dinsos"], "--contact": ["0812"], "--date": DATES},
        ["--json"],
    ),
    "link": ([CASES], {"--part-of": CASES}, {"--date": DATES}, ["--json"]),
    "unlink": ([CASES], {"--part-of": CASES}, {"--date": DATES}, ["--json"]),
    "refer": (
        [CASES],
        {"--to": ["LBH"], "--service": ["Legal aid"]},
        {"--contact": ["Bu Ratna"], "--due": ["2026-07-01"], "--reason": ["Urgent"], "--date": DATES},
        ["--force", "--json"],
    ),
    "referral update": (
        [["1", "2", "99"]],
        {"--status": ["accepted", "declined", "completed"]},
        {"--note": ["x"], "--date": DATES},
        ["--json"],
    ),
    "ecomap add": (
        [CASES, ["School", "Mosque"]],
        {"--tie": ["strong", "tenuous", "stressful"]},
        {"--kind": ["school", "religion"], "--flow": ["in", "both"], "--note": ["x"], "--date": DATES},
        ["--json"],
    ),
    "ecomap show": (
        [CASES],
        {},
        {"--at": DATES, "--from": DATES, "--format": ["text", "json", "dot"]},
        ["--compare", "--json"],
    ),
    "dashboard": ([], {}, {"--days": ["30", "0"]}, ["--json"]),
    "due": ([], {}, {"--within": ["7", "365"]}, ["--json"]),
    "search": ([["school", "Siti", "visit"]], {}, {"--case": CASES, "--limit": ["5"]}, ["--json"]),
    "stats": ([], {}, {"--from": DATES, "--to": DATES}, ["--json"]),
    "report": ([CASES], {}, {"--format": ["md", "html"], "--output": ["FOLDER/report.md"]}, []),
    "export": (
        [],
        {},
        {"--format": ["json", "ndjson", "csv"], "--case": CASES, "--output": ["FOLDER/out.json"]},
        ["--anonymize", "--force"],
    ),
    "import": (
        [["FOLDER/export.json", "FOLDER/missing.json"]],
        {},
        {"--format": ["json", "csv"]},
        ["--skip-invalid", "--json"],
    ),
    "config set": ([SETTINGS, ["Rina", "en", "id", "40"]], {}, {}, []),
    "config get": ([SETTINGS], {}, {}, []),
    "config unset": ([SETTINGS], {}, {}, []),
}


@st.composite
def command_lines(draw, folder):
    """A command line a careless or hostile user might type: a real command with its usual values, one or two of
    them replaced by something nasty, sometimes a value missing or an option repeated."""
    name = draw(st.sampled_from(sorted(COMMANDS)))
    positionals, required, optional, flags = COMMANDS[name]
    chosen = [*required, *draw(st.lists(st.sampled_from(sorted(optional)), max_size=3))] if optional else [*required]
    fields = [(None, values) for values in positionals] + [
        (option, {**required, **optional}[option]) for option in chosen
    ]
    spoiled = draw(st.sets(st.integers(0, max(len(fields) - 1, 0)), max_size=2))
    args = [*draw(st.sampled_from([[], [], ["--no-input"], ["--lang", "id"]])), *name.split()]
    for index, (option, values) in enumerate(fields):
        value = draw(nasty) if index in spoiled else draw(st.sampled_from(values))
        if name in ("backup", "restore", "import") or option == "--output":  # files stay in this test's folder
            value = (
                value.replace("FOLDER", str(folder))
                if "FOLDER" in value
                else str(folder / (value.replace("/", "_").replace("\x00", "_")[:100] or "x"))
            )  # argv never holds NUL
        value = value.replace("EVENT", folder.joinpath("event").read_text()) if value == "EVENT" else value
        if draw(st.integers(0, 19)):  # now and then a value goes missing
            args += [option, value] if option else [value]
    args += draw(st.lists(st.sampled_from(flags), max_size=2, unique=True)) if flags else []
    return args


@pytest.fixture
def seeded(cli, db_path, tmp_path):
    """Cases at several steps (opened, active with goals, closed) and a good backup to restore."""
    cli.ok("open", "Siti", "--level", "mikro", "--problem", "Left school", "--date", "2026-06-01")
    cli.ok("open", "Budi", "--level", "mezzo", "--problem", "Eviction", "--date", "2026-06-01")
    cli.ok("assess", "2", "--domain", "housing=1", "--date", "2026-06-02")
    cli.ok("plan", "2", "--goal", "A home", "--goal", "Income", "--date", "2026-06-03")
    cli.ok("intervene", "2", "--activity", "home-visit", "--note", "Visit", "--date", "2026-06-04")
    cli.ok("open", "Ani", "--level", "mikro", "--problem", "Pregnant at 16", "--date", "2026-06-01")
    cli.ok("terminate", "3", "--reason", "referred", "--summary", "To the shelter", "--date", "2026-06-05")
    cli.ok("note", "2", "Grandmother came too")
    (tmp_path / "event").write_text(cli.json("log", "2")[-1]["uuid"])
    cli.ok("backup", tmp_path / "good.db")
    cli.ok("export", "--output", tmp_path / "export.json", "--force")
    return tmp_path


def test_random_arguments_at_every_command_never_crash_or_damage(cli, seeded):
    @settings(
        max_examples=150,
        deadline=None,
        derandomize=True,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )
    @given(args=command_lines(seeded), stdin=st.one_of(st.none(), st.text(max_size=50)))
    def attempt(args, stdin):
        set_language("en")
        result = cli(*args, input=stdin)
        assert result.exit_code in DOCUMENTED_EXIT_CODES, (args, result.output, result.exception)
        assert result.exception is None or isinstance(result.exception, SystemExit), (args, result.exception)
        assert "Traceback" not in result.output
        if result.exit_code:
            assert result.stderr.startswith("lingkaran: ") and result.stderr.count("\n") == 1, result.stderr
        assert cli("check").exit_code == 0, (args, cli("check").stdout)

    attempt()


@pytest.mark.parametrize(
    "text",
    [
        "O'Brien \"Bobby\" d'Arc",
        "Robert'); DROP TABLE cases; --",
        "👩‍👧‍👦 Keluarga Ayu 🏠",
        "עדי בן-דוד",
        "مريم عبد الله",
        "Line one\nLine two\ttabbed",
    ],
)
def test_awkward_names_and_notes_are_stored_and_shown_literally(cli, text):
    case = cli.json("open", text, "--level", "mezzo", "--problem", text)
    assert case["client"] == text and case["problem"] == text
    cli.ok("assess", case["id"], "--domain", "housing=2", "--summary", text)
    cli.ok("plan", case["id"], "--goal", text)
    cli.ok("intervene", case["id"], "--activity", "other", "--note", text)
    shown = cli.json("show", case["id"])
    assert shown["client"] == text and shown["goals"][0]["text"] == text
    assert shown["activities"][0]["note"] == text and shown["assessments"][0]["summary"] == text
    human = cli.ok("show", case["id"]).stdout
    assert text.split("\n")[0] in human
    assert [event["data"].get("note") for event in cli.json("log", case["id"])][-1] == text
    assert cli("check").exit_code == 0


def test_a_one_megabyte_note_is_kept_whole(cli, active_case):
    note = ("Catatan kunjungan rumah: ibu dan anak. " * 30_000)[:1_000_000]
    result = json.loads(
        cli("intervene", active_case, "--activity", "home-visit", "--note", "-", "--json", input=note).stdout
    )
    assert result["note"] == note.strip()
    assert cli.json("show", active_case)["activities"][0]["note"] == note.strip()
    assert "Catatan kunjungan" in cli.ok("show", active_case).stdout
    too_long = cli("intervene", active_case, "--activity", "home-visit", "--note", "-", input=note + "x")
    assert too_long.exit_code == ExitCode.INVALID_INPUT and "longer than" in too_long.stderr


def test_text_that_is_not_utf8_is_refused_without_a_trace(lingkaran, active_case, db_path):
    """Bytes a terminal in another encoding sends: in argv and on stdin."""
    import os
    import subprocess

    argv = subprocess.run(
        [
            os.fsencode(LINGKARAN),
            b"intervene",
            active_case.encode(),
            b"--activity",
            b"other",
            b"--note",
            b"caf\xe9 latte",
        ],
        capture_output=True,
    )
    stdin = subprocess.run(
        [LINGKARAN, "intervene", active_case, "--activity", "other", "--note", "-"],
        input=b"caf\xe9 latte",
        capture_output=True,
    )
    for result in (argv, stdin):
        assert result.returncode == ExitCode.INVALID_INPUT, result.stderr
        assert b"UTF-8" in result.stderr and result.stderr.count(b"\n") == 1 and b"Traceback" not in result.stderr
    assert lingkaran("check").returncode == 0


def test_a_newer_caseload_is_refused_by_the_installed_command_and_left_untouched(lingkaran, db_path):
    assert lingkaran("open", "Siti", "--level", "mikro", "--problem", "Left school").returncode == 0
    raw = sqlite3.connect(db_path)
    raw.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    raw.close()
    before = {path.name: path.read_bytes() for path in db_path.parent.iterdir() if path.is_file()}
    for args in (
        ["list"],
        ["intervene", "1", "--activity", "other", "--note", "x"],
        ["check"],
        ["backup"],
        ["open", "Budi", "--level", "mikro", "--problem", "p"],
    ):
        result = lingkaran(*args)
        assert result.returncode == ExitCode.DATABASE_UNUSABLE, (args, result.stderr)
        assert "newer lingkaran" in result.stderr and result.stderr.count("\n") == 1
    after = {path.name: path.read_bytes() for path in db_path.parent.iterdir() if path.is_file()}
    assert after == before
    assert json.loads(json.dumps(sorted(after))) == sorted(before)


@pytest.mark.parametrize(
    "variable, value",
    [
        ("LINGKARAN_BUSY_TIMEOUT", "soon"),
        ("LINGKARAN_BUSY_TIMEOUT", "-1"),
        ("LINGKARAN_TODAY", "15/06/2026"),
        ("LINGKARAN_TODAY", "2026-02-30"),
    ],
)
def test_a_bad_environment_variable_is_named_not_a_traceback(lingkaran, variable, value):
    result = lingkaran("open", "Siti", "--level", "mikro", "--problem", "Left school", env={variable: value})
    assert result.returncode == ExitCode.INVALID_INPUT and variable in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_an_error_quoting_a_newline_or_escape_code_stays_one_line(cli, tmp_path):
    result = cli("restore", tmp_path / "evil\n\x1b[2Jname.db", "--yes")
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert result.stderr.count("\n") == 1 and "\x1b" not in result.stderr and "\\n" in result.stderr


def test_an_export_refused_for_its_output_file_says_only_that(cli, opened_case, tmp_path):
    (tmp_path / "taken.json").write_text("mine")
    cli.ok("open", "Budi", "--level", "mikro", "--problem", "No consent yet")
    result = cli("export", "--output", tmp_path / "taken.json", "--force")
    assert result.exit_code == ExitCode.INVALID_INPUT and result.stderr.count("\n") == 1
    assert "already exists" in result.stderr and (tmp_path / "taken.json").read_text() == "mine"
