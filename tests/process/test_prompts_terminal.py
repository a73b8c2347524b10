"""The guided prompts in a real pseudo-terminal: the installed `lingkaran`, answered key by key with pexpect."""

import os
import sqlite3

import pytest

from lingkaran.domain.assessment_domains import domain_label, domains_for
from tests.helpers import LINGKARAN

pexpect = pytest.importorskip("pexpect")

ENTER, DOWN, SPACE, ESC = "\r", "\x1b[B", " ", "\x1b"


class Terminal:
    """One `lingkaran` run in a pseudo-terminal: wait for a question, type the answer.

    PROMPT_TOOLKIT_NO_CPR: a pty answers no cursor-position request, and waiting for the answer takes seconds.
    """

    def __init__(self, *args: str):
        env = {name: value for name, value in os.environ.items() if name not in ("EDITOR", "VISUAL")}
        self.child = pexpect.spawn(
            LINGKARAN,
            list(args),
            env={**env, "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1"},
            encoding="utf-8",
            timeout=20,
            dimensions=(40, 120),
        )
        self.child.delaybeforesend = None

    def answer(self, question: str, *keys: str) -> "Terminal":
        self.child.expect_exact(question)
        for key in keys:
            self.child.send(key)
        return self

    def exit_code(self) -> int:
        self.child.expect(pexpect.EOF)
        self.child.close()
        return self.child.exitstatus


def test_a_worker_opens_assesses_plans_and_records_a_visit_at_a_real_terminal(db_path):
    opening = Terminal("open").answer("Client's name", "Siti Rahmawati", ENTER).answer("Level", ENTER)
    opening.answer("Presenting problem", "Left school", ENTER).answer("Referred by", ENTER)
    opening.answer("informed consent", "y").answer("consent to", "Case management", ENTER).answer("Save this?", ENTER)
    assert opening.exit_code() == 0

    assessing = Terminal("assess").answer("Which case?", ENTER)
    for domain in domains_for("mikro"):  # a person is rated on the mikro domains
        assessing.answer(domain_label(domain) + ":", *((DOWN, DOWN) if domain == "housing" else ()), ENTER)
    assessing.answer("A strength", "Loves drawing", ENTER).answer("A strength", ENTER).answer("A need", ENTER)
    assessing.answer("Risk level", ENTER).answer("few sentences", ENTER).answer("Save this?", ENTER)
    assert assessing.exit_code() == 0

    planning = Terminal("plan", "1").answer("Goal 1", "Back to school", ENTER).answer("GAS levels", "n")
    planning.answer("weight", ENTER).answer("Target date", ENTER).answer("Goal 2", ENTER)
    planning.answer("Save this?", ENTER)
    assert planning.exit_code() == 0

    visiting = Terminal("intervene").answer("Which case?", ENTER).answer("What kind", ENTER)
    visiting.answer("Which goals", SPACE, ENTER).answer("Minutes", "60", ENTER).answer("Who", "Rina", ENTER)
    visiting.answer("What was done", "First visit.", ENTER, ENTER).answer("Save this?", ENTER)
    assert visiting.exit_code() == 0

    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT client, phase FROM cases").fetchall() == [("Siti Rahmawati", "intervention")]
        assert conn.execute("SELECT domain, score FROM ratings").fetchall() == [("housing", 2)]
        assert conn.execute("SELECT number, text FROM goals").fetchall() == [(1, "Back to school")]
        assert conn.execute("SELECT kind, note, minutes, by_name, goal_numbers FROM activities").fetchall() == [
            ("home-visit", "First visit.", 60, "Rina", "[1]")
        ]


def test_esc_at_a_real_terminal_stops_and_writes_nothing(db_path):
    opening = Terminal("open", "Siti", "--level", "mikro").answer("Presenting problem", "Left school", ENTER)
    opening.answer("Referred by", ESC)
    opening.child.expect_exact("interrupted; nothing was written")
    assert opening.exit_code() == 130
    assert not db_path.exists()


def test_a_note_and_a_team_member_are_asked_for_at_a_real_terminal(opened_case, db_path):
    noting = Terminal("note", opened_case).answer("What do you want to note?", "Mother called.", ENTER, ENTER)
    assert noting.answer("Save this?", ENTER).exit_code() == 0
    adding = Terminal("team", "add").answer("Which case?", ENTER).answer("joining the team", "Bu Rina", ENTER)
    adding.answer("Their role", DOWN, ENTER).answer("Where they work", ENTER).answer("How to reach them", ENTER)
    assert adding.answer("Save this?", ENTER).exit_code() == 0
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT text FROM notes").fetchall() == [("Mother called.",)]
        assert conn.execute("SELECT name FROM team").fetchall() == [("Bu Rina",)]


def test_a_plan_stopped_with_ctrl_c_is_offered_back_as_a_draft_at_a_real_terminal(cli, opened_case, db_path):
    cli.ok("assess", opened_case, "--domain", "education=2")
    planning = Terminal("plan", opened_case).answer("Goal 1", "Back to school", ENTER).answer("GAS levels", "n")
    planning.answer("weight", "\x03")
    planning.child.expect_exact("your answers are kept as a draft")
    assert planning.exit_code() == 130

    resuming = Terminal("plan", opened_case).answer("A draft from", ENTER)
    resuming.child.expect_exact("? Goal 1: Back to school")
    resuming.answer("weight", ENTER).answer("Target date", ENTER).answer("Goal 2", ENTER)
    assert resuming.answer("Save this?", ENTER).exit_code() == 0
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT number, text FROM goals").fetchall() == [(1, "Back to school")]

    again = Terminal("plan", opened_case).answer("Carry these open goals", "\x03")  # the finished draft is gone
    assert "A draft" not in again.child.before
    assert again.exit_code() == 130
