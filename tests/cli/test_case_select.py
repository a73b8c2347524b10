"""`show` and `log` without a case: a terminal offers the caseload to pick from; a script is told CASE is missing.

Driven like tests/test_prompts.py: prompt_toolkit's pipe input, with `interactive()` forced on.
"""

import pytest

from lingkaran.errors import ExitCode
from tests.helpers import DOWN, ENTER, PROMPT_MODULES, answer, loaded_modules, packages


@pytest.fixture
def two_cases(cli, active_case) -> tuple[str, str]:
    """The active case, and a second one closed after its client moved away."""
    other = str(cli.json("open", "Budi Santoso", "--level", "mikro", "--problem", "Lost his job")["id"])
    cli.ok("terminate", other, "--reason", "moved", "--summary", "Moved to Medan")
    return active_case, other


def test_show_without_a_case_offers_every_case_closed_ones_too(cli, at_a_terminal, two_cases):
    result = answer(cli, "show", keys=[DOWN, ENTER])
    assert result.exit_code == 0, result.stderr
    assert "Which case?" in result.screen and "Siti Rahmawati" in result.screen
    assert "Budi Santoso" in result.stdout and "Lost his job" in result.stdout


def test_log_without_a_case_shows_the_timeline_of_the_case_picked(cli, at_a_terminal, two_cases):
    result = answer(cli, "log", "--json", keys=[ENTER])
    assert result.exit_code == 0, result.stderr
    events = result.stdout[result.stdout.index("[") :]
    assert "First visit" in events and "Moved to Medan" not in events


def test_the_case_select_speaks_the_interface_language(cli, at_a_terminal, two_cases):
    result = answer(cli, "--lang", "id", "show", keys=[DOWN, ENTER])
    assert result.exit_code == 0, result.stderr
    assert "Kasus yang mana?" in result.screen and "ditutup" in result.screen


def test_show_with_an_empty_caseload_says_there_is_no_case_to_pick(cli, at_a_terminal):
    result = answer(cli, "show", keys=[])
    assert result.exit_code == ExitCode.NO_SUCH_CASE
    assert result.stderr == "lingkaran: No cases. Open one with: lingkaran open CLIENT --level mikro --problem TEXT\n"


@pytest.mark.parametrize("command", ["show", "log"])
def test_without_a_terminal_the_missing_case_is_named_and_nothing_is_asked(lingkaran, opened_case, command):
    result = lingkaran(command)  # stdin is not a terminal
    assert result.returncode == ExitCode.INVALID_INPUT and result.stdout == ""
    assert result.stderr == "lingkaran: missing CASE; give them as flags (see --help)\n"


@pytest.mark.parametrize("command", ["show", "log"])
def test_no_input_names_the_missing_case_even_at_a_terminal(cli, at_a_terminal, opened_case, command):
    result = answer(cli, "--no-input", command, keys=[])
    assert result.exit_code == ExitCode.INVALID_INPUT and result.screen == ""
    assert result.stderr == "lingkaran: missing CASE; give them as flags (see --help)\n"


def test_show_and_log_without_a_terminal_never_load_the_prompt_libraries(tmp_path, opened_case):
    for command in ("show", "log"):
        assert packages(loaded_modules(tmp_path, command)).isdisjoint(PROMPT_MODULES), command
