"""Mezzo and makro in their own terms: a family, a group and a community are rated on domains that fit them,
chosen by the case's level (a village is not rated on substance use); a member assessed alone is a person."""

import pytest

from lingkaran.domain import assessment_domains as domains


def open_case(cli, level: str) -> str:
    return str(cli.json("open", "Client", "--level", level, "--problem", "p", "--date", "2026-06-01")["id"])


def test_every_level_has_domains_of_its_own_and_each_domain_a_level():
    mikro, mezzo, makro = (set(domains.domains_for(level)) for level in ("mikro", "mezzo", "makro"))
    assert {"substance-use", "mental-health"} <= mikro - mezzo - makro
    assert {"parenting", "family-communication", "group-cohesion", "participation"} <= mezzo - mikro
    assert {"citizen-participation", "local-leadership", "child-protection", "basic-services"} <= makro
    assert not makro & (mikro | mezzo)
    assert mikro | mezzo | makro == set(domains.domain_names())
    assert domains.domains_for("mezzo", member=True) == domains.domains_for("mikro")


def test_no_two_domains_share_a_name_someone_could_type():
    names = [name for key in domains.domain_names() for name in (key, *domains.domain_aliases())]
    aliases = domains.domain_aliases()
    assert len(aliases) == 2 * len(domains.domain_names())  # an English and an Indonesian name each
    assert set(aliases.values()) == set(domains.domain_names()) and names


def test_a_village_is_not_rated_on_substance_use(cli):
    case = open_case(cli, "makro")
    refused = cli("assess", case, "--domain", "substance-use=2")
    assert refused.exit_code == 2 and refused.stderr.count("\n") == 1
    assert (
        "--domain substance-use is not rated for a community (makro); its domains: citizen-participation"
        in refused.stderr
    )
    assert [event["kind"] for event in cli.json("log", case)] == ["open"]
    result = cli.json("assess", case, "--domain", "perlindungan-anak=2", "--domain", "Partisipasi warga=3")
    assert result["ratings"] == {"child-protection": 2, "citizen-participation": 3}


def test_a_family_and_a_group_have_their_domains_and_a_member_is_a_person(cli):
    case = open_case(cli, "mezzo")
    cli.ok("member", "add", case, "Pak Joko", "--role", "father", "--date", "2026-06-01")
    assert cli.json(
        "assess", case, "--domain", "parenting=2", "--domain", "family=3", "--domain", "kekompakan-kelompok=4"
    )["ratings"] == {"parenting": 2, "family": 3, "group-cohesion": 4}
    refused = cli("assess", case, "--domain", "mental-health=2")
    assert refused.exit_code == 2 and "not rated for a family or group (mezzo)" in refused.stderr
    result = cli.json("assess", case, "--domain", "mental-health=2", "--member", "Pak Joko")
    assert result["ratings"] == {"mental-health": 2} and result["member"] == "Pak Joko"
    refused = cli("assess", case, "--domain", "parenting=2", "--member", "Pak Joko")
    assert refused.exit_code == 2 and "not rated for a member (a person)" in refused.stderr


def test_a_person_is_not_rated_on_a_groups_domains(cli):
    refused = cli("assess", open_case(cli, "mikro"), "--domain", "group-cohesion=3")
    assert refused.exit_code == 2 and "not rated for a person (mikro)" in refused.stderr


@pytest.mark.parametrize("lang, label", [("en", "Child protection"), ("id", "Perlindungan anak")])
def test_the_new_domains_are_named_in_both_languages(cli, lang, label):
    case = open_case(cli, "makro")
    cli.ok("assess", case, "--domain", "child-protection=2")
    assert label in cli.ok("--lang", lang, "show", case).stdout
