"""One vocabulary table per set of stored values: every value has its words in both languages, and the flag, the
guided prompt, the import rules and the renderings accept and show the same set."""

import re
from pathlib import Path

import pytest
import typer
from babel.messages.pofile import read_po

from lingkaran.cli.app import app
from lingkaran.domain import record_rules, vocabularies
from lingkaran.domain.parse import typed_key
from lingkaran.domain.vocabularies import (
    ACTIVITY,
    CASE_STATUS,
    DECISION,
    ECOMAP_CHANGE,
    ECOMAP_KIND,
    FLOW,
    GOAL_STATUS,
    LEVEL,
    PHASE,
    REASON,
    REFERRAL_STATUS,
    RISK,
    TEAM_ROLE,
    TIE,
)
from lingkaran.errors import ExitCode
from lingkaran.messages import set_language

PO = Path(__file__).resolve().parents[2] / "src" / "lingkaran" / "locale" / "id" / "LC_MESSAGES" / "lingkaran.po"
TYPED = [vocabulary for vocabulary in vocabularies.ALL.values() if vocabulary.flag]
# The column each stored vocabulary is kept in, by the rules an import is held to (ECOMAP_CHANGE is never stored:
# it is what `ecomap --compare` says changed).
STORED_IN = {
    PHASE: [("cases", "phase"), ("notes", "phase")],
    LEVEL: [("cases", "level")],
    ACTIVITY: [("activities", "kind")],
    RISK: [("assessments", "risk")],
    DECISION: [("evaluations", "decision")],
    REASON: [("terminations", "reason"), ("cases", "close_reason")],
    CASE_STATUS: [("cases", "status")],
    GOAL_STATUS: [("goals", "status")],
    TEAM_ROLE: [("team", "role")],
    ECOMAP_KIND: [("ecomap_changes", "kind")],
    TIE: [("ecomap_changes", "tie")],
    FLOW: [("ecomap_changes", "flow")],
    REFERRAL_STATUS: [("referrals", "status")],
}
# A command line that gives each flag a word no vocabulary knows (CASE stands for a case's number).
REFUSED_BY_FLAG = {
    PHASE: ["list", "--phase", "BOGUS"],
    LEVEL: ["open", "Budi", "--problem", "Lost his job", "--level", "BOGUS"],
    ACTIVITY: ["intervene", "CASE", "--note", "Called", "--activity", "BOGUS"],
    RISK: ["assess", "CASE", "--risk", "BOGUS"],
    DECISION: ["evaluate", "CASE", "--score", "1=0", "--decision", "BOGUS"],
    REASON: ["terminate", "CASE", "--summary", "Done", "--reason", "BOGUS"],
    TEAM_ROLE: ["team", "add", "CASE", "Bu Ani", "--role", "BOGUS"],
    ECOMAP_KIND: ["ecomap", "add", "CASE", "School", "--tie", "strong", "--kind", "BOGUS"],
    TIE: ["ecomap", "add", "CASE", "School", "--tie", "BOGUS"],
    FLOW: ["ecomap", "add", "CASE", "School", "--tie", "strong", "--flow", "BOGUS"],
    REFERRAL_STATUS: ["referral", "update", "1", "--status", "BOGUS"],
}


def name_of(vocabulary: vocabularies.Vocabulary) -> str:
    return next(name for name, known in vocabularies.ALL.items() if known is vocabulary)


@pytest.fixture(scope="module")
def indonesian():
    with PO.open("rb") as file:
        return read_po(file, locale="id")


def test_every_label_and_title_has_its_indonesian_words_in_the_catalog(indonesian):
    for vocabulary in vocabularies.ALL.values():
        for term in vocabulary:
            for words in filter(None, (term.label, term.title)):
                entry = indonesian.get(words)
                assert entry is not None and entry.string and not entry.fuzzy, (term.value, words)


@pytest.mark.parametrize("language", ["en", "id"])
def test_every_value_is_shown_by_its_words_and_an_unknown_one_as_it_is(language):
    set_language(language)
    for vocabulary in vocabularies.ALL.values():
        for term in vocabulary:
            assert vocabulary.label(term.value) and vocabulary.title(term.value)
        assert vocabulary.label("not-a-value") == "not-a-value" and vocabulary.label(None) == ""


def test_an_alias_stands_for_one_value_and_is_written_the_way_a_typed_word_is_read():
    for vocabulary in TYPED:
        aliases = [alias for term in vocabulary for alias in term.aliases]
        assert len(aliases) == len(set(aliases)), vocabulary.flag
        assert all(typed_key(alias) == alias for alias in aliases), vocabulary.flag


def test_the_import_rules_accept_exactly_each_vocabulary():
    assert set(STORED_IN) == set(vocabularies.ALL.values()) - {ECOMAP_CHANGE}
    for vocabulary, columns in STORED_IN.items():
        for column in columns:
            assert record_rules.BY_COLUMN[column].choices == vocabulary.values, column
    assert record_rules.EVENT_RULES["phase"].choices == PHASE.values


def options_of(command, ctx) -> list:
    """Every option of a command and of its subcommands, however the group loads them."""
    found = list(command.params)
    if hasattr(command, "list_commands"):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            found += options_of(sub, type(ctx)(sub, info_name=name, parent=ctx))
    return found


def test_each_flag_takes_its_help_from_its_vocabulary():
    root = typer.main.get_command(app)
    options = options_of(root, root.make_context("lingkaran", [], resilient_parsing=True))
    for vocabulary in TYPED:
        assert any(vocabulary.flag in option.opts and option.help == vocabulary.help_text() for option in options), (
            vocabulary.flag
        )


@pytest.mark.parametrize("language", ["en", "id"])
def test_a_flags_help_lists_every_value_or_none(language):
    set_language(language)
    for vocabulary in TYPED:
        text = vocabulary.help_text()
        named = [value for value in vocabulary.values if re.search(rf"(?<![\w-]){re.escape(value)}(?![\w-])", text)]
        # `referral update --status` records an outcome: a referral is `sent` when it is made
        expected = [v for v in vocabulary.values if v != "sent"] if vocabulary is REFERRAL_STATUS else vocabulary.values
        assert named in ([], list(expected)), (vocabulary.flag, text)


@pytest.mark.parametrize("vocabulary", list(REFUSED_BY_FLAG), ids=name_of)
def test_a_flag_refuses_a_word_its_vocabulary_does_not_know_and_names_the_values(cli, opened_case, vocabulary):
    assert set(REFUSED_BY_FLAG) == set(TYPED)
    args = [opened_case if arg == "CASE" else arg for arg in REFUSED_BY_FLAG[vocabulary]]
    result = cli(*args)
    assert result.exit_code == ExitCode.INVALID_INPUT, result.output
    assert result.stderr.strip().splitlines() == [
        f"lingkaran: {vocabulary.flag} 'BOGUS' is not valid; use one of: {', '.join(vocabulary.values)}"
    ]


def test_the_guided_prompts_offer_each_vocabulary_in_full_under_the_flags_name():
    from lingkaran.prompts import flow, steps

    for name, vocabulary in flow.VOCABULARIES.items():
        assert vocabulary.flag == f"--{name}"
        assert [choice.value for choice in steps.choices_of(vocabulary)] == list(vocabulary.values)


@pytest.mark.parametrize("language", ["en", "id"])
def test_a_prompts_choice_shows_the_value_and_its_title_once(language):
    from lingkaran.prompts import steps

    set_language(language)
    shown = {choice.value: choice.title for choice in steps.choices_of(ACTIVITY)}
    assert shown["phone-call"] == ("phone-call  (phone call)" if language == "en" else "phone-call  (telepon)")
    assert shown["counselling"] == ("counselling" if language == "en" else "counselling  (konseling)")
    decisions = {choice.value: choice.title for choice in steps.choices_of(DECISION)}
    assert decisions["replan"] == DECISION.title("replan")  # "replan: revise the goals" names itself
