"""The output seam (cli/output.py): JSON for scripts without drawing anything, else plain lines or Rich."""

import json

from rich.text import Text

from lingkaran.cli import output


def never_drawn():
    raise AssertionError("a --json run drew the human output")


def test_json_output_is_the_data_alone_and_draws_nothing(capsys):
    output.emit(True, {"case_id": 3, "client": "Siti\u202e"}, never_drawn)
    printed = capsys.readouterr().out
    assert json.loads(printed) == {"case_id": 3, "client": "Siti\u202e"}
    assert "\u202e" not in printed  # a bidi override reaches a terminal only as its \u escape


def test_people_get_a_line_a_list_of_lines_or_a_renderable(capsys):
    output.emit(False, {}, lambda: "one line")
    output.emit(False, {}, lambda: ["first", "second"])
    output.emit(False, {}, lambda: Text("drawn by Rich"))
    assert capsys.readouterr().out.splitlines() == ["one line", "first", "second", "drawn by Rich"]


def test_a_confirmation_says_where_the_case_is_only_after_a_step(capsys, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    output.confirm(False, {"phase": "planning"}, "Case 1: plan recorded.", step=True)
    output.confirm(False, {"phase": "planning"}, "Case 1: Budi added as father.")
    assert capsys.readouterr().out.splitlines() == [
        "✔ Case 1: plan recorded.  Now: Planning",
        "✔ Case 1: Budi added as father.",
    ]
