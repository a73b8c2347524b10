"""The questions themselves: questionary with lingkaran's keys (Ctrl-C and Esc stop, Ctrl-D accepts), checks and
Flow, the answers of one guided step."""

import datetime as dt
import functools
import os
import shlex
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import questionary
from prompt_toolkit import print_formatted_text
from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

from lingkaran.domain import cycle
from lingkaran.domain import parse as values
from lingkaran.domain.parse import missing
from lingkaran.errors import Interrupted, LingkaranError
from lingkaran.messages import _

SKIP = "-"  # the value of "not now" choices (questionary would turn a None value into the title)


_CANCEL_KEYS = KeyBindings()


@_CANCEL_KEYS.add("escape")
def _cancel(event) -> None:
    """Esc stops the guided step, as Ctrl-C does."""
    event.app.exit(exception=KeyboardInterrupt, style="class:aborting")


@_CANCEL_KEYS.add("c-d")
def _done_with_this_answer(event) -> None:
    """Ctrl-D means "I'm done with this answer", at every question: whatever Enter does there (the answer as it
    stands, checked as Enter checks it; the choice or the ticks shown; the default of a yes/no). It never throws
    answers away: that is Ctrl-C's and Esc's job (docs/guided-session.md)."""
    from prompt_toolkit.key_binding.key_processor import KeyPress
    from prompt_toolkit.keys import Keys

    event.app.key_processor.feed(KeyPress(Keys.ControlM, "\r"), first=True)


_NOTE_KEYS = KeyBindings()


@_NOTE_KEYS.add("enter")
@_NOTE_KEYS.add("c-j")
def _new_line_or_done(event) -> None:
    """In a multi-line note, Enter starts a new line; Enter on an empty last line ends the note."""
    buffer = event.current_buffer
    document = buffer.document
    if not buffer.text.strip() or (document.is_cursor_at_the_end and document.current_line == ""):
        buffer.text = buffer.text.rstrip("\n")
        buffer.validate_and_handle()
    else:
        buffer.newline(copy_margin=False)


@_NOTE_KEYS.add("c-d")
def _note_done(event) -> None:
    """Ctrl-D ends a multi-line note with what is written so far, as it ends a note typed into `note CASE -`."""
    buffer = event.current_buffer
    buffer.text = buffer.text.rstrip("\n")
    buffer.validate_and_handle()


def _wrap_refusals(app) -> None:
    """Let the reason a wrong answer is refused, and a choice greyed with its reason, take as many lines as they
    need: prompt_toolkit cut both at the terminal's edge (on 80 columns an Indonesian reason lost "gunakan
    YYYY-MM-DD, today/ha…", and a case the step cannot take yet lost the command to run first)."""
    from prompt_toolkit.filters import to_filter
    from prompt_toolkit.layout import FormattedTextControl, Window
    from questionary.prompts.common import InquirerControl

    for container in app.layout.walk():
        if not isinstance(container, Window):
            continue
        text = getattr(container.content, "text", None)
        if isinstance(container.content, InquirerControl):
            container.wrap_lines = to_filter(True)
        elif isinstance(container.content, FormattedTextControl) and "ValidationToolbar" in getattr(
            text, "__qualname__", ""
        ):
            container.height, container.wrap_lines = None, to_filter(True)


def _translate_done(app) -> None:
    """questionary writes a ticked list's answer in English ("done (2 selections)"): say it in the interface's
    language."""

    def translated(style: str, text: str) -> str:
        if style == "class:answer" and text == "done":
            return _("done")
        if style == "class:answer" and text.startswith("done (") and text.endswith(" selections)"):
            return _("done ({count} selections)").format(count=text[len("done (") : -len(" selections)")])
        return text

    # The question's words come from the PromptSession's `message` (questionary's get_prompt_tokens), which the
    # prompt window reaches through the session's bound `_get_prompt`.
    for container in app.layout.walk():
        text = getattr(getattr(container, "content", None), "text", None)
        for cell in getattr(text, "__closure__", None) or ():
            session = getattr(cell.cell_contents, "__self__", None)
            tokens = getattr(session, "message", None)
            if callable(tokens) and "get_prompt_tokens" in getattr(tokens, "__qualname__", ""):
                session.message = lambda tokens=tokens: [
                    (style, translated(style, text), *rest) for style, text, *rest in tokens()
                ]
                return


def check(parse: Callable[[str], object]) -> Callable[[str], bool | str]:
    """A questionary validator made from one of lingkaran's parsers: True, or the parser's reason to refuse."""

    def validate(text: str) -> bool | str:
        try:
            parse(text)
        except LingkaranError as error:
            return error.message
        return True

    return validate


def _kept(ask_one: Callable) -> Callable:
    """Keep each answer with its question, for a draft should the step be stopped; and answer from `replay` (an
    accepted draft) while its next question is the one asked, showing the answer kept, as if typed again."""

    @functools.wraps(ask_one)
    def asking(self: "Asker", message: str, *args: Any, **kwargs: Any) -> Any:
        if self.inside:  # a question within another (the note's "in your editor?"): the outer answer is kept
            return ask_one(self, message, *args, **kwargs)
        if self.replay and self.replay[0][0] == message:
            kept = self.replay.pop(0)[1]
            if self.reviewing:  # asked again, the kept answer ready to keep or change
                args, kwargs = _kept_as_default(ask_one.__name__, kept, args, kwargs)
                answer = _asked_alone(self, ask_one, message, args, kwargs)
            else:
                answer = kept
                self.say(f"? {message} {_shown(answer, kwargs.get('choices', args[0] if args else None))}")
        else:
            self.replay.clear()  # the questions went another way (the case changed since): ask from here on
            answer = _asked_alone(self, ask_one, message, args, kwargs)
        self.kept.append([message, answer])
        return answer

    return asking


def _asked_alone(ask: "Asker", ask_one: Callable, message: str, args: tuple, kwargs: dict) -> Any:
    """Ask one question; the questions it asks within (the note's "in your editor?") are not kept apart."""
    ask.inside = True
    try:
        return ask_one(ask, message, *args, **kwargs)
    finally:
        ask.inside = False


def _kept_as_default(asked: str, kept: Any, args: tuple, kwargs: dict) -> tuple[tuple, dict]:
    """The arguments that offer a kept answer as the one Enter accepts: the default text or choice, the boxes
    ticked; a correction (`edit`) starts from the text as it reads now, as it always does."""
    choices = kwargs.get("choices", args[0] if args else None)
    if asked == "checkbox" and isinstance(choices, list) and isinstance(kept, list):
        ticked = [replace_choice(choice, checked=choice.value in kept) for choice in choices]
        return ((ticked, *args[1:]), kwargs) if args else (args, {**kwargs, "choices": ticked})
    if asked == "select" and isinstance(choices, list):
        takeable = any(choice.value == kept and not choice.disabled for choice in choices)
        return args, ({**kwargs, "default": kept} if takeable else kwargs)
    if asked in ("confirm", "text", "lines", "note") and isinstance(kept, bool | str):
        return args, {**kwargs, "default": kept}
    return args, kwargs


def replace_choice(choice: Any, **changes: Any) -> Any:
    """A questionary Choice like `choice` with some of its settings changed."""
    import questionary

    settings = {"value": choice.value, "disabled": choice.disabled, "checked": choice.checked, **changes}
    return questionary.Choice(choice.title, **settings)


def _shown(answer: Any, choices: Any) -> str:
    """A kept answer as the worker gave it: a choice by its title, yes/no in words, a note on one line."""
    titles = {choice.value: choice.title for choice in choices} if isinstance(choices, list) else {}
    if isinstance(answer, bool):
        return _("Yes") if answer else _("No")
    if isinstance(answer, list):
        return "; ".join(str(titles.get(item, item)) for item in answer)
    return " ".join(str(titles.get(answer, answer)).split())


class Asker:
    """Asks questions on one terminal (or, in tests, a pipe) and turns Ctrl-C and Esc into Interrupted."""

    def __init__(self, input=None, output=None):
        self.io = {name: io for name, io in (("input", input), ("output", output)) if io is not None}
        self.said: list[str] = []
        self.kept: list[list] = []  # [question, answer] pairs answered so far: a draft, should the step stop
        self.replay: list[list] = []  # a draft's pairs still to be given as answers
        self.reviewing = False  # the draft's answers are asked again, each ready to keep or change
        self.inside = False

    def _ask(self, question: questionary.Question, keys: KeyBindings | None = None) -> Any:
        app = question.application
        app.key_bindings = merge_key_bindings([kb for kb in (app.key_bindings, _CANCEL_KEYS, keys) if kb])
        _wrap_refusals(app)
        try:
            return question.unsafe_ask()
        except (KeyboardInterrupt, EOFError):
            raise Interrupted(_("interrupted; nothing was written")) from None

    @_kept
    def select(self, message: str, choices: list[questionary.Choice], default: str | None = None) -> Any:
        """One of `choices`; disabled ones show why they cannot be picked."""
        instruction = _("(use the arrow keys)")
        return self._ask(
            questionary.select(
                self._fitted(message, beside=instruction), choices, default=default, instruction=instruction, **self.io
            )
        )

    @_kept
    def checkbox(self, message: str, choices: list[questionary.Choice]) -> list:
        """Any of `choices` (space toggles, Enter accepts)."""
        instruction = _("(space toggles, Enter accepts)")
        question = questionary.checkbox(
            self._fitted(message, beside=instruction), choices, instruction=instruction, **self.io
        )
        _translate_done(question.application)
        return self._ask(question)

    @_kept
    def confirm(self, message: str, default: bool) -> bool:
        """Yes or no: y, or n (t for *tidak* too); Enter takes the default."""
        return self._ask(yes_or_no(self._fitted(message, beside=_("(Y/n)")), default, **self.io))

    @_kept
    def text(
        self,
        message: str,
        validate: Callable[[str], bool | str] | None = None,
        default: str = "",
        instruction: str | None = None,
    ) -> str:
        """One line of text, asked again while `validate` refuses it."""
        return self._ask(
            questionary.text(
                self._fitted(message), default=default, validate=validate, instruction=instruction, **self.io
            )
        )

    @_kept
    def lines(self, message: str, validate: Callable[[str], bool | str], default: str = "") -> str:
        """Several lines of text (`default` already written): Enter on an empty line, or Ctrl-D, ends it."""
        # The hint on a line of its own and the answer below it, as questionary itself lays out a multi-line
        # question: prompt_toolkit draws nothing at all when the line the answer starts on is wider than the
        # terminal (a long question with its hint, in Indonesian, on an 80-column screen).
        question = questionary.text(
            self._fitted(message),
            default=default,
            validate=validate,
            multiline=True,
            instruction="\n{hint}\n>".format(hint=_("(an empty line ends it)")),
            **self.io,
        )
        return self._ask(question, _NOTE_KEYS)

    def _fitted(self, message: str, beside: str = "") -> str:
        """`message` in lines that fit the terminal after questionary's "? " (prompt_toolkit cuts, not wraps),
        its last line leaving room for the hint drawn `beside` it (an Indonesian question and its hint were
        wider than 80 columns, and the end of the question was lost)."""
        from prompt_toolkit.application.current import get_app_session

        from lingkaran.render.plain import cells, wrap

        columns = (self.io.get("output") or get_app_session().output).get_size().columns
        width = max(columns - 3, 20)
        lines = wrap(message, width)
        if beside and cells(lines[-1]) + 1 + cells(beside) > width:
            lines[-1:] = wrap(lines[-1], max(width - 1 - cells(beside), 10))
        return "\n".join(lines)

    def say(self, line: str) -> None:
        """Show a line between questions (a running score, a summary)."""
        self.said.append(line)
        print_formatted_text(line, **({"output": self.io["output"]} if "output" in self.io else {}))

    @_kept
    def note(self, message: str, label: str, required: bool, default: str = "") -> str:
        """A multi-line note, written in $VISUAL/$EDITOR when one is set and the worker asks for it (`default`:
        the text it starts from)."""
        validate = check(lambda text: values.clean_text(text, label, required=required))
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        if editor and self.confirm(_("Write it in your editor ({editor})?").format(editor=editor), default=False):
            text = edit_text(editor, default)
            if validate(text) is True:
                return text
            self.say(_("The editor gave back no text; write it here instead."))
        return self.lines(message, validate, default=default)

    @_kept
    def edit(self, message: str, current: str, label: str) -> str:
        """A correction of `current`: in $VISUAL/$EDITOR when one is set, else here, starting from the text as it
        reads now. Giving it back unchanged corrects nothing, and says so."""
        validate = check(lambda text: values.clean_text(text, label, required=True))
        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
        text = edit_text(editor, current) if editor else self.lines(message, validate, default=current)
        if editor and validate(text) is not True:
            self.say(_("The editor gave back no text; write it here instead."))
            text = self.lines(message, validate, default=current)
        if text.strip() == current.strip():
            raise Interrupted(_("the text is unchanged; nothing was written"))
        return text


def yes_or_no(message: str, default: bool, **io: Any) -> questionary.Question:
    """questionary.confirm in the interface language: its "(y/N)" hint is a parameter, but the "Yes"/"No" it
    echoes are fixed English words, so the question is built here the same way (a prompt_toolkit session)."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.formatted_text import to_formatted_text
    from prompt_toolkit.keys import Keys
    from questionary.styles import merge_styles_default

    state: dict[str, bool | None] = {"answer": None}
    hint = _("(Y/n)") if default else _("(y/N)")

    def tokens():
        answer = state["answer"]
        shown = [("class:qmark", "?"), ("class:question", f" {message} ")]
        if answer is None:
            return to_formatted_text(shown + [("class:instruction", f"{hint} ")])
        return to_formatted_text(shown + [("class:answer", _("Yes") if answer else _("No"))])

    keys = KeyBindings()

    def answer_with(value: bool | None):
        def handler(event) -> None:
            state["answer"] = default if value is None else value
            event.app.exit(result=state["answer"])

        return handler

    for key in "yY":
        keys.add(key)(answer_with(True))
    for key in "nNtT":  # t: *tidak*
        keys.add(key)(answer_with(False))
    keys.add(Keys.ControlM, eager=True)(answer_with(None))
    keys.add(Keys.ControlC, eager=True)(
        lambda event: event.app.exit(exception=KeyboardInterrupt, style="class:aborting")
    )
    keys.add(Keys.Any)(lambda event: None)  # nothing else is typed into the answer
    return questionary.Question(PromptSession(tokens, key_bindings=keys, style=merge_styles_default([None]), **io).app)


def edit_text(editor: str, initial: str = "") -> str:
    """Open a private file holding `initial` (empty for a new note) in the worker's editor; return what they
    wrote."""
    handle, name = tempfile.mkstemp(prefix="lingkaran-note-", suffix=".txt")  # mode 0600: notes are personal
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write(initial)
    try:
        finished = subprocess.run([*shlex.split(editor), name], check=False)
        if finished.returncode != 0:
            raise Interrupted(_("the editor failed; nothing was written"))
        return Path(name).read_text(encoding="utf-8")
    finally:
        os.unlink(name)


@dataclass
class Flow:
    """One guided step: the answers so far (flag names as keys), the case and what the rules know of it."""

    ask: Asker
    step: str
    today: dt.date
    answers: dict[str, Any]
    guiding: bool
    conn: sqlite3.Connection | None = None
    case: dict | None = None
    state: cycle.CaseState | None = None
    shown: list[tuple[str, str]] = field(default_factory=list)  # extra summary lines, e.g. the T-score

    def wants(self, name: str) -> bool:
        """Whether to ask for `name`: it was not given, and the worker is being guided through the step."""
        return self.guiding and missing(self.answers.get(name))
