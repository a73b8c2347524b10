"""Start-up stays lean: commands run without a terminal never load the prompt libraries, and `--json` never
loads Rich. Checked by listing the modules a real `lingkaran` process had loaded when it exited (no timing)."""

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
import typer

from lingkaran.cli.app import app
from tests.helpers import PROMPT_MODULES, RICH, loaded_modules, packages


def bare_runs() -> list[tuple[str, ...]]:
    """Every command and group the app has (other branches add theirs), bare: with --json where it has one."""
    root = typer.main.get_command(app)
    commands = {name: root.get_command(None, name) for name in root.list_commands(None)}
    return [
        (name, "--json") if any("--json" in getattr(param, "opts", ()) for param in command.params) else (name,)
        for name, command in sorted(commands.items())
    ]


def offenders(tmp_path, runs: list[tuple[str, ...]]) -> dict[str, list[str]]:
    """For each run that loaded what it must not: the packages it loaded. Runs four processes at a time."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        loaded = dict(zip(runs, pool.map(lambda args: packages(loaded_modules(tmp_path, *args)), runs), strict=False))
    forbidden = {args: set(PROMPT_MODULES) | ({RICH} if "--json" in args else set()) for args in runs}
    found = {" ".join(args): sorted(forbidden[args] & modules) for args, modules in loaded.items()}
    return {args: names for args, names in found.items() if names}


@pytest.fixture
def caseload(cli) -> str:
    """One case with an assessment, a plan and an activity; returns its id."""
    case = cli.json("open", "Siti", "--level", "mikro", "--problem", "Left school", "--consent")
    cli.ok("assess", str(case["id"]), "--domain", "education=2")
    cli.ok("plan", str(case["id"]), "--goal", "Back to school")
    cli.ok("intervene", str(case["id"]), "--activity", "home-visit", "--note", "First visit")
    return str(case["id"])


def test_no_command_without_a_terminal_loads_the_prompt_libraries_nor_rich_for_json(tmp_path, caseload):
    runs = bare_runs() + [("open", "--no-input"), ("assess", caseload, "--no-input")]
    assert offenders(tmp_path, runs) == {}


def test_json_output_of_real_work_never_loads_rich_or_the_prompt_libraries(tmp_path, caseload):
    runs = [
        ("list", "--json"),
        ("list", "--all", "--json"),
        ("show", caseload, "--json"),
        ("log", caseload, "--json"),
        ("open", "Budi", "--level", "mikro", "--problem", "Lost his job", "--json"),
        ("intervene", caseload, "--activity", "phone-call", "--note", "Called", "--json"),
        ("monitor", caseload, "--note", "Going well", "--json"),
        ("config", "list", "--json"),
    ]
    assert offenders(tmp_path, runs) == {}


def test_help_loads_neither_rich_nor_sqlite(tmp_path):
    for args in (("--help",), ("config", "--help"), ("intervene", "--help")):
        assert not {"rich", "sqlite3"} & packages(loaded_modules(tmp_path, *args)), args


def test_reading_a_case_loads_neither_the_write_path_nor_sqlite_utils(tmp_path, caseload):
    for args in (("show", caseload, "--json"), ("list", "--json"), ("log", caseload, "--json")):
        modules = loaded_modules(tmp_path, *args)
        assert "sqlite_utils" not in packages(modules), args
        assert "lingkaran.casework.steps" not in modules, args


def test_the_probe_really_sees_what_a_command_loads(tmp_path, caseload):
    """Guards the tests above against passing vacuously: a human `show` does load Rich, a step casework."""
    assert RICH in packages(loaded_modules(tmp_path, "show", caseload))
    assert "lingkaran.casework.steps" in loaded_modules(tmp_path, "monitor", caseload, "--note", "Fine", "--json")


def test_a_step_for_people_confirms_in_one_plain_line_without_rich(tmp_path, caseload, lingkaran):
    args = ("intervene", caseload, "--activity", "phone-call", "--note", "Called her")
    assert RICH not in packages(loaded_modules(tmp_path, *args))
    result = lingkaran(*args)
    assert result.returncode == 0
    assert re.fullmatch(
        f"✔ Case {caseload}: phone-call recorded \\(event [0-9a-f]{{8}}\\).  Now: Intervention\n", result.stdout
    ), result.stdout
