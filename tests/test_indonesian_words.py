"""Indonesian words typed for stored values, and stored values shown as the interface language's words."""

import pytest

from lingkaran import cycle, helping
from lingkaran.errors import ExitCode
from lingkaran.messages import _, set_language

from .test_members_and_links import refused

IN_BOTH_LANGUAGES = pytest.mark.parametrize("lang", [[], ["--lang", "id"]], ids=["default", "id"])

# Every set of stored values a flag takes: (values, labels, aliases, how a typed word becomes a value).
CHOICE_SETS = (
    (cycle.LEVELS, cycle.LEVEL_LABELS, cycle.LEVEL_ALIASES, cycle.normalize_level),
    (cycle.ACTIVITY_KINDS, cycle.ACTIVITY_LABELS, cycle.ACTIVITY_ALIASES, cycle.normalize_activity),
    (cycle.TERMINATION_REASONS, cycle.REASON_LABELS, cycle.REASON_ALIASES, cycle.normalize_reason),
    (cycle.DECISIONS, cycle.DECISION_LABELS, cycle.DECISION_ALIASES, cycle.normalize_decision),
    (cycle.RISK_LEVELS, cycle.RISK_LABELS, cycle.RISK_ALIASES, cycle.normalize_risk),
    (cycle.PHASES, cycle.PHASE_LABELS, cycle.PHASE_ALIASES, cycle.normalize_phase),
    (helping.TEAM_ROLES, helping.TEAM_ROLE_LABELS, helping.TEAM_ROLE_ALIASES, helping.normalize_team_role),
    (helping.ECOMAP_KINDS, helping.ECOMAP_KIND_LABELS, helping.ECOMAP_KIND_ALIASES, helping.normalize_kind),
    (helping.TIES, helping.TIE_LABELS, helping.TIE_ALIASES, helping.normalize_tie),
    (helping.FLOWS, helping.FLOW_LABELS, helping.FLOW_ALIASES, helping.normalize_flow),
    (helping.REFERRAL_STATUSES, helping.REFERRAL_STATUS_LABELS, helping.REFERRAL_STATUS_ALIASES,
     helping.normalize_referral_status),
)


def test_every_value_has_a_label_and_every_alias_names_a_value():
    for values, labels, aliases, _normalize in CHOICE_SETS:
        assert set(labels) == set(values)
        assert set(aliases.values()) <= set(values) and not set(aliases) & set(values)


@pytest.mark.parametrize("language", ["en", "id"])
def test_every_word_lingkaran_shows_for_a_value_can_be_typed_back(language):
    set_language(language)
    for values, labels, _aliases, normalize in CHOICE_SETS:
        for value in values:
            shown = _(labels[value]).split(":")[0]  # a level's label is "mikro: individu"
            assert normalize(shown) == value, (shown, value)
            assert normalize(value) == value


@IN_BOTH_LANGUAGES
def test_team_roles_are_accepted_in_indonesian_and_stored_in_english(cli, opened_case, lang):
    added = cli.json(*lang, "team", "add", opened_case, "Bu Ani", "--role", "Tokoh Masyarakat")
    assert added["role"] == "community-leader"
    assert cli.json(*lang, "team", "add", opened_case, "Rina", "--role", "pendamping")["role"] == "social-worker"
    assert [person["role"] for person in cli.json(*lang, "team", "list", opened_case)] == [
        "community-leader", "social-worker"]


@IN_BOTH_LANGUAGES
def test_referral_statuses_are_accepted_in_indonesian_and_stored_in_english(cli, opened_case, lang):
    sent = cli.json(*lang, "refer", opened_case, "--to", "Puskesmas", "--service", "Konseling")
    referral = str(sent["referral_id"])
    assert cli.json(*lang, "referral", "update", referral, "--status", "diterima")["status"] == "accepted"
    assert cli.json(*lang, "referral", "update", referral, "--status", "SELESAI")["status"] == "completed"


@IN_BOTH_LANGUAGES
def test_ecomap_kind_tie_and_flow_are_accepted_in_indonesian_and_stored_in_english(cli, opened_case, lang):
    drawn = cli.json(*lang, "ecomap", "add", opened_case, "SD Negeri 5", "--kind", "sekolah", "--tie", "renggang",
                     "--flow", "dua arah")
    assert (drawn["kind"], drawn["tie"], drawn["flow"]) == ("school", "tenuous", "both")
    cli.ok(*lang, "ecomap", "add", opened_case, "Pak RT", "--kind", "lingkungan", "--tie", "penuh_tekanan",
           "--flow", "keluar")
    assert [(s["system"], s["kind"], s["tie"], s["flow"]) for s in cli.json(*lang, "ecomap", opened_case)[
        "systems"]] == [("SD Negeri 5", "school", "tenuous", "both"), ("Pak RT", "neighbourhood", "stressful", "out")]


@IN_BOTH_LANGUAGES
def test_an_unknown_indonesian_word_is_refused_with_the_stored_values_and_writes_nothing(cli, db_path, opened_case,
                                                                                         lang):
    message = refused(cli, db_path, ExitCode.INVALID_INPUT, *lang, "ecomap", "add", opened_case, "Masjid",
                      "--tie", "erat")
    assert "'erat'" in message and "stressful, tenuous, strong" in message
    message = refused(cli, db_path, ExitCode.INVALID_INPUT, *lang, "team", "add", opened_case, "X",
                      "--role", "dukun")
    assert "'dukun'" in message and "social-worker" in message
