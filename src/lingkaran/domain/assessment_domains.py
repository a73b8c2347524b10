"""The assessment domains (data/domains.toml) and the 1–5 scale they are rated on."""

import functools
import tomllib
from pathlib import Path

from lingkaran.errors import InvalidInput
from lingkaran.messages import LANGUAGES, N_, _, current_language

DOMAINS_FILE = Path(__file__).parent.parent / "data" / "domains.toml"

LEVELS_OF_ALL = ("mikro", "mezzo", "makro")  # a domain the file gives no levels is rated at every level
LEVEL_WORDS = {
    "mikro": N_("a person (mikro)"),
    "mezzo": N_("a family or group (mezzo)"),
    "makro": N_("a community (makro)"),
}

SCALE = {
    1: N_("in crisis"),
    2: N_("vulnerable"),
    3: N_("safe"),
    4: N_("building capacity"),
    5: N_("thriving"),
}


@functools.cache
def _load() -> dict[str, dict]:
    with DOMAINS_FILE.open("rb") as file:
        return tomllib.load(file)


def domain_names() -> list[str]:
    """The domain keys, in the order the file lists them."""
    return list(_load())


def domains_for(level: str, member: bool = False) -> list[str]:
    """The domains a case of `level` is rated on (a member of a family or group is a person: mikro's)."""
    wanted = "mikro" if member else level
    return [key for key, entry in _load().items() if wanted in entry.get("levels", LEVELS_OF_ALL)]


def domain_aliases() -> dict[str, str]:
    """Each domain's names in every language, written as a flag value (`kesehatan-jiwa`), mapped to its key."""
    return {
        "-".join(entry[language].lower().split()): key
        for key, entry in _load().items()
        for language in LANGUAGES
        if language in entry
    }


def refuse_other_levels(ratings: dict[str, int], level: str, member: bool = False) -> None:
    """Domain ratings must fit the case's level: a village is not rated on substance use."""
    allowed = domains_for(level, member)
    for domain in ratings:
        if domain not in allowed:
            who = _("a member (a person)") if member else _(LEVEL_WORDS[level])
            raise InvalidInput(
                _("--domain {name} is not rated for {who}; its domains: {valid}").format(
                    name=domain, who=who, valid=", ".join(allowed)
                )
            )


def domain_label(domain: str) -> str:
    """A domain's name in the interface language (the key itself if the file does not know it)."""
    names = _load().get(domain, {})
    return names.get(current_language()) or names.get("en") or domain


def scale_label(score: int) -> str:
    """The anchor word for a 1–5 rating."""
    return _(SCALE[score])
