"""Dates as people write them: in a letter, the month in words in the interface language."""


def test_a_letter_writes_the_month_in_words_in_the_interface_language():
    from lingkaran.domain.dates import long_date_text
    from lingkaran.messages import set_language

    assert long_date_text("2026-12-03") == "3 December 2026"
    set_language("id")
    try:
        assert [long_date_text(f"2026-{month:02}-03") for month in (1, 2, 3, 5, 8, 12)] == [
            "3 Januari 2026",
            "3 Februari 2026",
            "3 Maret 2026",
            "3 Mei 2026",
            "3 Agustus 2026",
            "3 Desember 2026",
        ]
    finally:
        set_language("en")
    assert long_date_text(None) == "–"
