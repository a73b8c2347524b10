"""A new worker's first day: the README and the guides followed as written, the guided prompts at a real terminal."""

import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import LINGKARAN

pexpect = pytest.importorskip("pexpect")

CTRL_D, ENTER = "\x04", "\r"
ROOT = Path(__file__).resolve().parent.parent


def _terminal(*args: str):
    env = {name: value for name, value in os.environ.items() if name not in ("EDITOR", "VISUAL")}
    child = pexpect.spawn(LINGKARAN, list(args), env={**env, "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1"},
                          encoding="utf-8", timeout=20, dimensions=(24, 80))
    child.delaybeforesend = None
    return child


def test_ctrl_d_at_a_list_of_choices_stops_the_step_and_writes_nothing(db_path):
    opening = _terminal("open")
    opening.expect_exact("Client's name")
    opening.send("Siti" + ENTER)
    opening.expect_exact("Level")
    opening.send(CTRL_D)
    opening.expect_exact("interrupted; nothing was written")
    opening.expect(pexpect.EOF)
    opening.close()
    assert opening.exitstatus == 130
    assert not db_path.exists()


def test_ctrl_d_at_a_tick_list_stops_the_step(planned_case, db_path):
    before = db_path.read_bytes()
    visiting = _terminal("intervene", planned_case)
    visiting.expect_exact("What kind")
    visiting.send(ENTER)
    visiting.expect_exact("Which goals")
    visiting.send(CTRL_D)
    visiting.expect_exact("interrupted; nothing was written")
    visiting.expect(pexpect.EOF)
    visiting.close()
    assert visiting.exitstatus == 130
    assert db_path.read_bytes() == before


def _tour(readme: Path, heading: str) -> list[str]:
    """The command lines of a README's tour, as a reader would paste them."""
    text = readme.read_text(encoding="utf-8").split(heading, 1)[1]
    block = text.split("```sh\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


@pytest.mark.parametrize(("readme", "heading"), [("README.md", "## A 30-second tour"),
                                                 ("docs/id/README.md", "## Tur 30 detik")])
def test_the_readme_tour_runs_as_written_and_its_search_finds_the_case(readme, heading, tmp_path):
    shown = []
    for line in _tour(ROOT / readme, heading):
        done = subprocess.run(line, shell=True, capture_output=True, text=True, cwd=tmp_path,
                              env={**os.environ, "PATH": str(Path(LINGKARAN).parent) + os.pathsep + os.environ["PATH"]})
        assert done.returncode == 0, (line, done.stderr)
        assert done.stderr == "", line
        shown.append((line, done.stdout))
    searches = [out for line, out in shown if line.startswith("lingkaran search")]
    assert all("#1 Siti Rahmawati" in out for out in searches)


def _examples(page: Path) -> list[str]:
    """Every command line of a page's ```sh blocks, in order."""
    lines, inside = [], False
    for line in page.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            inside = line == "```sh"
        elif inside and line.strip():
            lines.append(line)
    return lines


@pytest.mark.parametrize("page", ["docs/user-guide.md", "docs/id/panduan.md"])
def test_the_guides_walk_case_2_round_the_cycle_as_written(page, tmp_path):
    steps = _examples(ROOT / page)
    steps = steps[:next(i for i, line in enumerate(steps) if line.startswith("lingkaran terminate")) + 1]
    env = {**os.environ, "PATH": str(Path(LINGKARAN).parent) + os.pathsep + os.environ["PATH"]}
    subprocess.run([LINGKARAN, "open", "Siti", "--level", "mikro", "--problem", "x", "--consent"], check=True,
                   capture_output=True, env=env)
    for line in steps:
        done = subprocess.run(line, shell=True, capture_output=True, text=True, cwd=tmp_path, env=env)
        assert (line, done.returncode, done.stderr) == (line, 0, "")


def test_a_refused_answer_shows_its_whole_reason_on_an_80_column_terminal(active_case, db_path):
    before = db_path.read_bytes()
    closing = _terminal("--lang", "id", "terminate", active_case)
    closing.expect_exact("Mengapa kasus ditutup?")
    closing.send("\x1b[B" + ENTER)
    closing.expect_exact("dipertahankan?")
    closing.send("Selesai" + ENTER + ENTER)
    closing.expect_exact("Tanggal kontak tindak lanjut")
    closing.send("minggu depan" + ENTER)
    closing.expect_exact("bukan tanggal")
    closing.expect_exact("yesterday/kemarin")  # the end of the reason, past column 80
    closing.send("\x03")
    closing.expect(pexpect.EOF)
    closing.close()
    assert closing.exitstatus == 130
    assert db_path.read_bytes() == before
