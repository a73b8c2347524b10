"""Search in Bahasa Indonesia: a root finds its prefixed forms (domain/indonesian_words.py), measured against the
word forms a worker's notes hold (the figures are in docs/design.md, "Search in Bahasa Indonesia")."""

from lingkaran.domain.indonesian_words import prefixed_forms, widened_query

# Roots of the field's words (DOMAIN.md: child marriage, schooling, violence, care, referral, work) and the forms
# they take in notes; each root is what a worker would type.
FORMS = {
    "kawin": ["kawin", "perkawinan", "dikawinkan", "mengawinkan", "kawinnya"],
    "nikah": ["menikah", "pernikahan", "dinikahkan", "nikahnya", "menikahkan"],
    "sekolah": ["sekolah", "bersekolah", "persekolahan", "sekolahnya", "disekolahkan", "menyekolahkan"],
    "kerja": ["bekerja", "pekerjaan", "pekerja", "dipekerjakan", "kerjanya"],
    "asuh": ["mengasuh", "pengasuhan", "diasuh", "pengasuh", "asuhan"],
    "aniaya": ["penganiayaan", "dianiaya", "menganiaya", "teraniaya"],
    "pukul": ["dipukul", "memukul", "pemukulan", "pukulan"],
    "lapor": ["melapor", "pelapor", "dilaporkan", "laporan", "melaporkan"],
    "didik": ["pendidikan", "mendidik", "dididik", "terdidik"],
    "tinggal": ["meninggalkan", "ditinggalkan", "tertinggal", "peninggalan", "tinggal"],
    "bantu": ["membantu", "bantuan", "dibantu", "pembantu", "bantulah"],
    "rujuk": ["merujuk", "dirujuk", "rujukan", "perujuk"],
    "cerai": ["perceraian", "bercerai", "diceraikan", "menceraikan"],
    "hamil": ["kehamilan", "menghamili", "dihamili", "hamil"],
    "ajar": ["belajar", "pelajar", "mengajar", "pelajaran", "diajarkan"],
    "rawat": ["merawat", "perawatan", "dirawat", "perawat"],
    "damping": ["pendampingan", "mendampingi", "didampingi", "pendamping"],
    "sakit": ["penyakit", "menyakiti", "kesakitan", "sakit"],
}


def matches(query_forms: list[str], exact_root: bool, word: str) -> bool:
    """Whether FTS5 would match `word` for these alternatives: the root exactly (or by prefix), the others by
    prefix."""
    root, *others = query_forms
    return (word.startswith(root) if not exact_root else word == root) or any(word.startswith(f) for f in others)


def recall(widen: bool) -> float:
    found = total = 0
    for root, forms in FORMS.items():
        alternatives = prefixed_forms(root) if widen else [root]
        found += sum(matches(alternatives, False, form) for form in forms)
        total += len(forms)
    return found / total


def false_hits() -> list[tuple[str, str]]:
    """Forms of another root a root's widened query would also match."""
    return [
        (root, form)
        for root in FORMS
        for other, forms in FORMS.items()
        if other != root
        for form in forms
        if matches(prefixed_forms(root), False, form)
    ]


def test_a_root_finds_nearly_every_form_in_the_list_where_a_prefix_query_alone_misses_most():
    assert recall(widen=False) < 0.25  # what `kawin*` found before: only the forms that start with the root
    assert recall(widen=True) >= 0.95


def test_no_root_finds_the_forms_of_another():
    assert false_hits() == []


def test_the_query_keeps_phrases_operators_and_filters_as_written():
    assert widened_query('"home visit" OR ab') == '"home visit" OR ab'  # two letters: not widened
    widened = widened_query("kawin* NOT sekolah")
    assert widened.startswith("(kawin* OR ") and " NOT (sekolah OR " in widened and "perkawin*" in widened


def test_the_measured_figures():
    """The figures docs/design.md quotes (kept here so they cannot drift)."""
    assert (round(recall(False), 2), round(recall(True), 2), len(false_hits())) == (0.18, 1.0, 0)
