"""The helping system's pure rules: referral moves, the consent gate, case links, ecomap history and diffs."""

import pytest

from lingkaran.domain import helping_system
from lingkaran.domain.vocabularies import ECOMAP_KIND, FLOW, REFERRAL_STATUS, TEAM_ROLE, TIE
from lingkaran.errors import InvalidInput, StepRefused
from lingkaran.render.helping_system import ecomap_dot


@pytest.mark.parametrize("current, new", [("sent", "accepted"), ("sent", "declined"), ("accepted", "completed")])
def test_a_referral_moves_sent_to_accepted_or_declined_then_completed(current, new):
    assert helping_system.referral_move(current, new) == new


@pytest.mark.parametrize(
    "current, new",
    [
        ("sent", "completed"),
        ("sent", "sent"),
        ("accepted", "declined"),
        ("declined", "accepted"),
        ("completed", "accepted"),
    ],
)
def test_a_referral_cannot_skip_or_undo_a_step(current, new):
    with pytest.raises(StepRefused, match=f"cannot become {new}"):
        helping_system.referral_move(current, new)


def test_only_sent_and_accepted_referrals_are_open():
    assert [s for s in REFERRAL_STATUS.values if helping_system.is_open_referral(s)] == ["sent", "accepted"]


def test_referring_without_consent_is_refused_unless_forced_with_a_reason():
    assert helping_system.check_referral_consent(True, False, None) is None
    with pytest.raises(StepRefused, match="--force --reason"):
        helping_system.check_referral_consent(False, False, None)
    with pytest.raises(InvalidInput, match="--reason"):
        helping_system.check_referral_consent(False, True, None)
    assert helping_system.check_referral_consent(False, True, "Child at risk") == "Child at risk"


FAMILY = {"id": 1, "level": "mezzo"}
CHILD = {"id": 2, "level": "mikro"}


def test_an_individual_case_can_be_part_of_a_family_case():
    helping_system.check_link(CHILD, FAMILY, ancestors_of_parent=set())


@pytest.mark.parametrize(
    "child, parent, ancestors, message",
    [
        (FAMILY, FAMILY, set(), "part of itself"),
        (FAMILY, CHILD, set(), "mezzo or makro"),
        ({"id": 3, "level": "mezzo"}, FAMILY, {3}, "circle"),
    ],
)
def test_a_link_cannot_point_at_itself_a_mikro_case_or_go_round(child, parent, ancestors, message):
    with pytest.raises(InvalidInput, match=message):
        helping_system.check_link(child, parent, ancestors)


def change(system, on, tie="strong", flow="in", kind="family", removed=0, note=None):
    return {
        "system": system,
        "kind": kind,
        "tie": tie,
        "flow": flow,
        "note": note,
        "changed_on": on,
        "removed": removed,
    }


HISTORY = [
    change("Mother", "2026-01-10", tie="stressful", flow="out"),
    change("School", "2026-01-10", tie="tenuous", kind="school"),
    change("Landlord", "2026-01-10", tie="stressful", kind="other"),
    change("Clinic", "2026-01-10", tie="strong", kind="health"),
    change("mother", "2026-03-01", tie="strong", flow="both"),
    change("School", "2026-03-01", tie="tenuous", flow="both", kind="school"),
    change("Landlord", "2026-03-01", tie="stressful", kind="other", removed=1),
    change("Clinic", "2026-04-01", tie="tenuous", kind="health"),
    change("Mosque", "2026-04-01", tie="tenuous", kind="religion"),
]


def test_the_map_on_a_date_keeps_each_systems_latest_change_and_drops_removed_ones():
    assert set(helping_system.ecomap_at(HISTORY, "2026-01-31")) == {"Mother", "School", "Landlord", "Clinic"}
    now = helping_system.ecomap_at(HISTORY)
    assert set(now) == {"mother", "School", "Clinic", "Mosque"}
    assert now["mother"]["tie"] == "strong" and now["Clinic"]["tie"] == "tenuous"
    assert helping_system.ecomap_at(HISTORY, "2025-12-31") == {}
    assert helping_system.first_map_date(HISTORY) == "2026-01-10" and helping_system.first_map_date([]) is None


def test_the_diff_says_what_got_stronger_weaker_new_gone_or_changed():
    diff = helping_system.ecomap_diff(
        helping_system.ecomap_at(HISTORY, "2026-01-10"), helping_system.ecomap_at(HISTORY)
    )
    assert [(row["system"], row["change"]) for row in diff] == [
        ("Mosque", "new"),
        ("Landlord", "gone"),
        ("mother", "stronger"),
        ("Clinic", "weaker"),
        ("School", "changed"),
    ]
    mother = diff[2]
    assert mother["before"] == {"tie": "stressful", "flow": "out"} and mother["after"] == {
        "tie": "strong",
        "flow": "both",
    }


def test_the_same_map_has_no_changes_but_same():
    same = helping_system.ecomap_at(HISTORY)
    assert {row["change"] for row in helping_system.ecomap_diff(same, same)} == {"same"}


def test_dot_output_styles_each_tie_and_directs_each_flow():
    ties = list(helping_system.ecomap_at(HISTORY, "2026-01-10").values())
    dot = ecomap_dot('Siti "Ani"', "2026-01-10", ties)
    assert dot.startswith("digraph ecomap {") and dot.rstrip().endswith("}")
    assert 'label="Siti \\"Ani\\""' in dot
    assert "dashed" in dot and "penwidth=3" in dot and 'color="red"' in dot
    assert "dir=back" in dot and "dir=forward" in dot


@pytest.mark.parametrize(
    "vocabulary, typed, stored",
    [
        (ECOMAP_KIND, "Neighborhood", "neighbourhood"),
        (ECOMAP_KIND, "social services", "social-services"),
        (TIE, "STRONG", "strong"),
        (FLOW, "both", "both"),
        (TEAM_ROLE, "community_leader", "community-leader"),
        (REFERRAL_STATUS, "Accepted", "accepted"),
    ],
)
def test_values_are_accepted_in_the_spellings_people_type(vocabulary, typed, stored):
    assert vocabulary.parse(typed) == stored


def test_an_unknown_tie_lists_the_valid_ones():
    with pytest.raises(InvalidInput, match="stressful, tenuous, strong"):
        TIE.parse("lukewarm")
