"""Indonesian word forms for search: the prefixed forms a root takes, so `kawin*` finds "perkawinan" and `sekolah`
finds "bersekolah". Pure: no I/O.

Indonesian builds words by adding prefixes (and suffixes, which a prefix query already covers) to a root:
kawin → perkawinan, dikawinkan, mengawinkan. The search index stores words as written, so a query for the root
misses every prefixed form. Rather than stem the index (it is kept by SQL triggers, which cannot call Python, and
a full stemmer such as Sastrawi needs a 30,000-word dictionary loaded on every search), the query is widened: each
root becomes a prefix query for the root itself and for each prefixed form, with the sound changes of the nasal
prefixes meN- and peN- (kawin → mengawin-, pukul → memukul-, tulis → menulis-, sakit → penyakit). Measured
against a list of word forms in tests/unit/test_indonesian_words.py (docs/design.md, "Search in Bahasa
Indonesia").
"""

import re

VOWELS = set("aeiou")
# Prefixes that join a root as they are (ber- and per- lose their r before a root that starts with r, as in
# berencana, so be- and pe- are here too: bekerja, pekerja, dipekerjakan; bel-/pel- only before a vowel: belajar).
PLAIN_PREFIXES = ("di", "ter", "ber", "be", "per", "pe", "ke", "se", "diper", "dipe", "memper", "keber")
VOWEL_ONLY_PREFIXES = ("bel", "pel")
SHORTEST_ROOT = 3  # a shorter word is not widened: too many words begin with "di" + two letters


def nasal_forms(root: str) -> list[str]:
    """The root after meN- and peN- (and diperN-), by its first sound: k drops and takes meng-, p drops and takes
    mem-, t drops and takes men-, s drops and takes meny-; a vowel, g, h take meng-; b, f, v mem-; c, d, j, z
    men-; l, m, n, r, w, y plain me-."""
    first = root[0]
    if first == "k":
        stems = ["ng" + root[1:], "ng" + root]  # mengawin-; mengkritik keeps its k in loanwords
    elif first == "p":
        stems = ["m" + root[1:], "m" + root]
    elif first == "t":
        stems = ["n" + root[1:]]
    elif first == "s":
        stems = ["ny" + root[1:]]
    elif first in VOWELS or first in "gh":
        stems = ["ng" + root]
    elif first in "bfv":
        stems = ["m" + root]
    elif first in "cdjz":
        stems = ["n" + root]
    else:
        stems = [root]
    return [prefix + stem for prefix in ("me", "pe") for stem in stems]


def prefixed_forms(root: str) -> list[str]:
    """Every prefixed form a root may take, the root first (lowercase, each once)."""
    root = root.lower()
    forms = [root]
    if len(root) < SHORTEST_ROOT or not root.isalpha():
        return forms
    forms += [prefix + root for prefix in PLAIN_PREFIXES]
    if root[0] in VOWELS:
        forms += [prefix + root for prefix in VOWEL_ONLY_PREFIXES]
    forms += nasal_forms(root)
    return list(dict.fromkeys(forms))


def widened_term(term: str) -> str:
    """One word of a query as an FTS5 expression over its prefixed forms: `kawin*` → (kawin* OR perkawin* OR …);
    a word without `*` keeps its exact match and finds the prefixed forms as whole words plus endings."""
    prefix_query = term.endswith("*")
    root = term.rstrip("*")
    forms = prefixed_forms(root)
    if len(forms) == 1:
        return term
    alternatives = [term] + [f"{form}*" for form in forms[1:]] if not prefix_query else [f"{form}*" for form in forms]
    return "(" + " OR ".join(alternatives) + ")"


OPERATORS = {"AND", "OR", "NOT", "NEAR"}
QUERY_PART = re.compile(r'"[^"]*"|\S+')
BARE_WORD = re.compile(r"[^\W\d_]+\*?")


def widened_query(query: str) -> str:
    """An FTS5 query with each bare word widened to its prefixed forms; phrases in double quotes, operators and
    anything with other punctuation (a column filter, a bracket) stay as written."""
    return " ".join(
        widened_term(part) if BARE_WORD.fullmatch(part) and part not in OPERATORS else part
        for part in QUERY_PART.findall(query)
    )
