"""With --lang id, the words lingkaran writes for people are Indonesian everywhere, files included."""


def test_the_graphviz_ecomap_has_an_indonesian_title_and_kinds(cli, opened_case):
    cli.ok("ecomap", "add", opened_case, "Puskesmas Cakung", "--kind", "health", "--tie", "strong")
    dot = cli.ok("--lang", "id", "ecomap", opened_case, "--format", "dot").stdout
    assert 'label="Ekomap Siti Rahmawati, 2026-06-15"' in dot
    assert "Ecomap of" not in dot and "(health)" not in dot and "(kesehatan)" in dot


def test_a_correction_of_an_unknown_kind_of_record_is_named_in_indonesian():
    from lingkaran.messages import set_language
    from lingkaran.render.rich_views import event_summary

    set_language("id")
    summary = event_summary({"kind": "amend", "data": {"amends_kind": "unknown", "note": "x", "reason": "y"}})
    assert "record" not in summary
