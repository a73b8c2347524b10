"""Guided questions fit the terminal and speak the interface language, prompts and hints included.

Driven like tests/test_prompts.py: keys typed ahead into a prompt_toolkit pipe, the screen a plain-text output
of a fixed size.
"""

import pytest

from lingkaran.messages import set_language
from lingkaran.prompts.asker import Asker
from lingkaran.render.plain import cells
from tests.helpers import DOWN, ENTER, answer, terminal


@pytest.mark.parametrize("columns", [80, 40])
def test_a_long_multi_line_question_is_wrapped_with_its_hint_on_a_line_of_its_own(columns):
    set_language("id")
    question = "Apa yang dicapai, dan bagaimana hasilnya akan dipertahankan? " * 2
    with terminal(columns, "Dirujuk ke Dinas Sosial.", ENTER, ENTER) as (ask, screen):
        assert ask.lines(question, lambda text: True) == "Dirujuk ke Dinas Sosial."
    shown = screen.text.getvalue()
    lines = shown.splitlines()[: shown.splitlines().index(">")]  # the first drawing (a plain screen cannot redraw)
    assert max(cells(line) for line in lines) <= columns, [line for line in lines if cells(line) > columns]
    assert "(baris kosong untuk mengakhiri)" in lines
    assert "dipertahankan?" in shown


def test_guided_opening_in_indonesian_has_no_english_hints_or_answers(cli, at_a_terminal):
    opened = answer(
        cli,
        "--lang",
        "id",
        "open",
        keys=["Siti Rahmawati", ENTER],  # the rest once the select shows
        later="".join([ENTER, "Putus sekolah", ENTER, "Ketua RT", ENTER, "y", "Pendampingan", ENTER, ENTER]),
    )
    assert opened.exit_code == 0, opened.stderr
    for english in ("Use arrow keys", "(y/N)", "(Y/n)", "Yes", "No"):
        assert english not in opened.screen, english
    assert "(pakai tombol panah)" in opened.screen and "Ya" in opened.screen


@pytest.mark.parametrize("default, hint", [(True, "(Y/t)"), (False, "(y/T)")])
def test_the_confirm_hint_is_indonesian_and_the_default_is_the_capital(default, hint):
    set_language("id")
    with terminal(80, later=ENTER) as (ask, screen):
        assert ask.confirm("Simpan?", default=default) is default
    assert f"? Simpan? {hint}" in screen.text.getvalue()


def test_tidak_answers_no_at_an_indonesian_confirm(cli, at_a_terminal):
    opened = answer(cli, "--lang", "id", "open", keys=["Siti", ENTER, ENTER, "Putus sekolah", ENTER, ENTER, "t", "t"])
    assert opened.exit_code == 130 and "Tidak" in opened.screen
    assert cli.json("list") == []


def test_the_summary_names_stored_values_by_their_indonesian_labels(cli, at_a_terminal, active_case):
    closing = answer(
        cli,
        "--lang",
        "id",
        "terminate",
        active_case,
        keys=[
            DOWN,
            ENTER,  # referred (goals met needs an evaluation first; service-ended comes before referred)
            "Dirujuk ke balai rehabilitasi.",
            ENTER,
            ENTER,
            ENTER,
            "Balai",
            ENTER,
            ENTER,
        ],
    )
    assert closing.exit_code == 0, closing.stderr
    summary = closing.screen[closing.screen.index("Akan dicatat") :]
    assert "referred" not in summary and "Alasan: dirujuk" in summary


def test_every_stored_value_in_the_summary_is_shown_by_its_label():
    import datetime as dt

    from lingkaran.prompts.asker import Flow
    from lingkaran.prompts.flow import summary_lines

    set_language("id")
    answers = {
        "level": "mezzo",
        "activity": "home-visit",
        "risk": "high",
        "decision": "continue",
        "domain": ["housing=2"],
        "reason": "withdrew",
    }
    shown = "\n".join(summary_lines(Flow(Asker(), "terminate", dt.date(2026, 6, 15), answers, True)))
    for stored in ("home-visit", "high", "continue", "housing", "withdrew"):
        assert stored not in shown, stored
    assert "kunjungan rumah" in shown and "tinggi" in shown and "klien mengundurkan diri" in shown
    assert "mezzo: keluarga" in shown and "lanjutkan intervensi" in shown


def test_a_long_one_line_question_is_wrapped_between_words():
    set_language("id")
    question = "Ke mana klien selanjutnya (lingkungan asal tempat ia kembali, atau layanan tempat ia dirujuk)?"
    with terminal(80, "Balai", ENTER) as (ask, screen):
        assert ask.text(question) == "Balai"
    assert (
        "? Ke mana klien selanjutnya (lingkungan asal tempat ia kembali, atau layanan\ntempat ia dirujuk)?"
        in screen.text.getvalue().replace("\r", "")
    )


def test_a_kept_answer_is_offered_as_the_default_of_the_question_asked_again():
    from questionary import Choice

    from lingkaran.prompts.asker import _kept_as_default

    choices = [Choice("Home visit", value="home-visit"), Choice("Closed", value="closed", disabled="not now")]
    (ticked,), _kwargs = _kept_as_default("checkbox", ["home-visit"], (choices,), {})
    assert [choice.checked for choice in ticked] == [True, False]
    assert _kept_as_default("select", "home-visit", (choices,), {}) == ((choices,), {"default": "home-visit"})
    assert _kept_as_default("select", "closed", (choices,), {}) == ((choices,), {})  # it cannot be picked now
    assert _kept_as_default("text", "Ibu Sari", (), {"validate": None}) == (
        (),
        {"validate": None, "default": "Ibu Sari"},
    )
    assert _kept_as_default("confirm", False, (), {"default": True}) == ((), {"default": False})
    assert _kept_as_default("edit", "corrected", ("current", "The note"), {}) == (("current", "The note"), {})
