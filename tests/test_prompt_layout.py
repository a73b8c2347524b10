"""Guided questions fit the terminal and speak the interface language, prompts and hints included.

Driven like tests/test_prompts.py: keys typed ahead into a prompt_toolkit pipe, the screen a plain-text output
of a fixed size.
"""

import io
from contextlib import contextmanager

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.plain_text import PlainTextOutput

from lingkaran.messages import set_language
from lingkaran.prompts import Asker
from lingkaran.render_plain import cells

ENTER, DOWN = "\r", "\x1b[B"


class Screen(PlainTextOutput):
    """A plain-text terminal `columns` wide."""

    def __init__(self, columns: int):
        self.text = io.StringIO()
        super().__init__(self.text)
        self.columns = columns

    def get_size(self) -> Size:
        return Size(rows=30, columns=self.columns)


@contextmanager
def terminal(columns: int, *keys: str):
    screen = Screen(columns)
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=screen):
        pipe.send_text("".join(keys))
        yield Asker(input=pipe, output=screen), screen


@pytest.mark.parametrize("columns", [80, 40])
def test_a_long_multi_line_question_is_wrapped_with_its_hint_on_a_line_of_its_own(columns):
    set_language("id")
    question = "Apa yang dicapai, dan bagaimana hasilnya akan dipertahankan? " * 2
    with terminal(columns, "Dirujuk ke Dinas Sosial.", ENTER, ENTER) as (ask, screen):
        assert ask.lines(question, lambda text: True) == "Dirujuk ke Dinas Sosial."
    shown = screen.text.getvalue()
    lines = shown.splitlines()[:shown.splitlines().index(">")]  # the first drawing (a plain screen cannot redraw)
    assert max(cells(line) for line in lines) <= columns, [line for line in lines if cells(line) > columns]
    assert "(baris kosong untuk mengakhiri)" in lines
    assert "dipertahankan?" in shown
