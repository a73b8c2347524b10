"""The Indonesian words a Kemensos worker expects (issue 17): the data file is "berkas data kasus" (a "beban
kasus" is a workload), an override of missing consent is a "pengecualian" ("pengabaian" is neglect, in child
protection), the step is "Perencanaan", and "now" is always "sekarang"."""

from pathlib import Path

from babel.messages.pofile import read_po

import lingkaran

CATALOG = Path(lingkaran.__file__).parent / "locale" / "id" / "LC_MESSAGES" / "lingkaran.po"
DEMO_TEXTS = {"Ibunya kini menginap dua malam setiap minggu."}  # a client's own words in the demo's notes


def translations() -> list[str]:
    found = []
    for message in read_po(CATALOG.open("rb")):
        if message.id and message.string not in DEMO_TEXTS:
            found += list(message.string) if isinstance(message.string, tuple) else [message.string]
    return found


def test_words_that_mean_something_else_in_practice_are_not_used():
    for text in translations():
        lowered = text.lower()
        assert "beban kasus" not in lowered and "pengabaian" not in lowered, text
        assert " kini " not in f" {lowered} ".replace(":", " "), text


def test_the_planning_step_is_perencanaan():
    catalog = {message.id: message.string for message in read_po(CATALOG.open("rb"))}
    assert catalog["Planning"] == "Perencanaan"


def test_a_contact_column_is_kontak_not_the_verb_hubungi():
    catalog = {message.id: message.string for message in read_po(CATALOG.open("rb"))}
    assert catalog["Contact"] == "Kontak"
    assert not any(text.startswith("Hubungi") for text in translations() if len(text.split()) == 1)
