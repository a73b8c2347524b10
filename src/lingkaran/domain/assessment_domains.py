"""The assessment domains (data/domains.toml) and the 1–5 scale they are rated on."""

import functools
import tomllib
from pathlib import Path

from lingkaran.messages import N_, _, current_language

DOMAINS_FILE = Path(__file__).parent.parent / "data" / "domains.toml"

SCALE = {
    1: N_("in crisis"),
    2: N_("vulnerable"),
    3: N_("safe"),
    4: N_("building capacity"),
    5: N_("thriving"),
}


@functools.cache
def _load() -> dict[str, dict[str, str]]:
    with DOMAINS_FILE.open("rb") as file:
        return tomllib.load(file)


def domain_names() -> list[str]:
    """The domain keys, in the order the file lists them."""
    return list(_load())


def domain_aliases() -> dict[str, str]:
    """Each domain's names in every language, written as a flag value (`kesehatan-jiwa`), mapped to its key."""
    return {"-".join(name.lower().split()): key for key, names in _load().items() for name in names.values()}


def domain_label(domain: str) -> str:
    """A domain's name in the interface language (the key itself if the file does not know it)."""
    names = _load().get(domain, {})
    return names.get(current_language()) or names.get("en") or domain


def scale_label(score: int) -> str:
    """The anchor word for a 1–5 rating."""
    return _(SCALE[score])
