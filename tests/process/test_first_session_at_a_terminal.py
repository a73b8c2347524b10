"""A new worker's first day: the README and the guides followed as written, the guided prompts at a real terminal."""

import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

from lingkaran.domain.assessment_domains import domain_label, domains_for
from tests.helpers import LINGKARAN

pexpect = pytest.importorskip("pexpect")

CTRL_C, CTRL_D, ENTER, DOWN = "\x03", "\x04", "\r", "\x1b[B"
ROOT = Path(__file__).resolve().parents[2]


def _session(args: list[str], *steps: tuple[str, str]):
    """`lingkaran ARGS` on an 80-column pseudo-terminal; each step waits for some text, then types the keys."""
    env = {name: value for name, value in os.environ.items() if name not in ("EDITOR", "VISUAL")}
    child = pexpect.spawn(
        LINGKARAN,
        args,
        env={**env, "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1"},
        encoding="utf-8",
        timeout=20,
        dimensions=(24, 80),
    )
    child.delaybeforesend = None
    for text, keys in steps:
        child.expect_exact(text)
        child.send(keys)
    return child


def _exit_code(child) -> int:
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus


def test_ctrl_d_accepts_each_answer_as_it_stands_and_never_discards_the_step(db_path):
    opening = _session(
        ["open"],
        ("Client's name", "Siti" + CTRL_D),
        ("Level", DOWN + CTRL_D),
        ("Presenting problem", "Left school" + CTRL_D),
        ("Referred by", CTRL_D),
        ("informed consent", CTRL_D),
        ("Save this?", CTRL_D),
    )
    assert _exit_code(opening) == 0
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT client, level, problem, source, consent FROM cases").fetchall() == [
            ("Siti", "mezzo", "Left school", None, 0)
        ]


def test_ctrl_d_at_a_tick_list_takes_the_ticks_and_ctrl_d_in_a_note_ends_it(planned_case, db_path):
    visiting = _session(
        ["intervene", planned_case],
        ("What kind", ENTER),
        ("Which goals", " " + CTRL_D),
        ("Minutes", ENTER),
        ("Who carried it out", "Rina" + ENTER),
        ("What was done", "Visited." + ENTER + "Her mother was home." + CTRL_D),
        ("Save this?", CTRL_D),
    )
    assert _exit_code(visiting) == 0
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT goal_numbers, note FROM activities").fetchall() == [
            ("[1]", "Visited.\nHer mother was home.")
        ]


def test_a_refused_answer_shows_its_whole_reason_on_an_80_column_terminal(active_case, db_path):
    before = db_path.read_bytes()
    closing = _session(
        ["--lang", "id", "terminate", active_case],
        ("Mengapa kasus ditutup?", DOWN + ENTER),
        ("dipertahankan?", "Selesai" + ENTER + ENTER),
        ("Tanggal kontak tindak lanjut", "minggu depan" + ENTER),
        ("bukan tanggal", ""),
        ("yesterday/kemarin", CTRL_C),
    )  # the end of the reason, past column 80
    assert _exit_code(closing) == 130
    assert db_path.read_bytes() == before


def test_a_guided_assessment_with_every_question_skipped_asks_for_the_summary_before_save(opened_case, db_path):
    before = db_path.read_bytes()
    skipped = [(domain_label(domain) + ":", ENTER) for domain in domains_for("mikro")]
    skipped += [(question, ENTER) for question in ("A strength", "A need", "Risk level", "few sentences")]
    assessing = _session(
        ["assess", opened_case],
        *skipped,
        ("nothing rated or noted yet", "Met her once; she did not want to talk yet." + ENTER),
        ("Save this?", ENTER),
    )
    assert _exit_code(assessing) == 0
    assert db_path.read_bytes() != before


@pytest.mark.parametrize("step", ["assess", "intervene", "terminate"])
def test_a_step_without_a_case_on_an_empty_caseload_says_how_to_open_one(step):
    first = _session([step], ("No cases. Open one with: lingkaran open CLIENT --level mikro --problem TEXT", ""))
    assert _exit_code(first) == 3


def test_a_case_the_step_cannot_take_shows_its_whole_reason_on_80_columns(cli, opened_case):
    cli.ok("open", "Budi Santoso", "--level", "mikro", "--problem", "Lost his job", "--date", "2026-06-01")
    cli.ok("assess", "2", "--domain", "employment=1", "--date", "2026-06-02")
    planning = _session(
        ["--lang", "id", "plan"], ("Kasus yang mana?", ""), ("`lingkaran assess 1 --domain", CTRL_C)
    )  # the command to run first, past column 80
    assert _exit_code(planning) == 130


def test_a_ticked_list_answers_in_indonesian(planned_case, db_path):
    before = db_path.read_bytes()
    visiting = _session(
        ["--lang", "id", "intervene", planned_case],
        ("Jenis kegiatan apa?", ENTER),
        ("Tujuan mana yang dilayaninya?", " " + DOWN + " " + ENTER),
        ("selesai (2 dipilih)", ""),
        ("Lama kontak", CTRL_C),
    )
    assert _exit_code(visiting) == 130
    assert db_path.read_bytes() == before


def _tour(readme: Path, heading: str) -> list[str]:
    """The command lines of a README's tour, as a reader would paste them."""
    text = readme.read_text(encoding="utf-8").split(heading, 1)[1]
    block = text.split("```sh\n", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


@pytest.mark.parametrize(
    ("readme", "heading"), [("README.md", "## A 30-second tour"), ("docs/id/README.md", "## Tur 30 detik")]
)
def test_the_readme_tour_runs_as_written_and_its_search_finds_the_case(readme, heading, tmp_path):
    shown = []
    for line in _tour(ROOT / readme, heading):
        done = subprocess.run(
            line,
            shell=True,
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env={**os.environ, "PATH": str(Path(LINGKARAN).parent) + os.pathsep + os.environ["PATH"]},
        )
        assert done.returncode == 0, (line, done.stderr)
        said = done.stderr.splitlines()
        if line.startswith("lingkaran backup"):  # the head hash to note elsewhere: on stderr when piped
            said = [text for text in said if not text.startswith(("Head hash ", "Hash kepala "))]
        assert said == [], line
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
    steps = steps[: next(i for i, line in enumerate(steps) if line.startswith("lingkaran terminate")) + 1]
    env = {**os.environ, "PATH": str(Path(LINGKARAN).parent) + os.pathsep + os.environ["PATH"]}
    subprocess.run(
        [LINGKARAN, "open", "Siti", "--level", "mikro", "--problem", "x", "--consent"],
        check=True,
        capture_output=True,
        env=env,
    )
    for line in steps:
        done = subprocess.run(line, shell=True, capture_output=True, text=True, cwd=tmp_path, env=env)
        assert (line, done.returncode, done.stderr) == (line, 0, "")


@pytest.mark.parametrize(
    ("args", "help_of"),
    [(["open", "Siti", "--level"], "lingkaran open"), (["assess", "1", "--domain"], "lingkaran assess")],
)
def test_an_option_left_without_its_value_points_to_the_commands_own_help(args, help_of, db_path):
    done = subprocess.run([LINGKARAN, *args], capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert done.returncode == 2
    assert done.stderr.endswith(f"(see `{help_of} --help`)\n")
    assert len(done.stderr.splitlines()) == 1
    assert not db_path.exists()


def test_a_referral_named_by_a_uuid_prefix_of_digits_is_found(cli, opened_case, db_path):
    import sqlite3

    cli.ok("refer", opened_case, "--to", "Shelter", "--service", "Bed")
    with sqlite3.connect(db_path) as conn:  # one UUID in 40 starts with eight digits; make this one do so
        conn.execute("UPDATE referrals SET uuid = '95774547' || substr(uuid, 9)")
    assert cli.json("referral", "update", "95774547", "--status", "accepted")["status"] == "accepted"
