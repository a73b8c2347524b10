"""The ecomap keeps to 80 terminal columns when names hold wide characters (CJK, emoji), measured in cells."""

from rich.cells import cell_len

from lingkaran.render.drawing import Canvas


def test_an_ecomap_of_cjk_and_emoji_names_fits_80_columns(cli):
    case = str(cli.json("open", "王小明和他的家人们在一起生活", "--level", "mikro", "--problem", "p")["id"])
    cli.ok("ecomap", "add", case, "北京市第一中学附属小学校园", "--kind", "school", "--tie", "strong")
    cli.ok("ecomap", "add", case, "家族の皆さんと友達たち", "--kind", "family", "--tie", "stressful", "--flow", "both")
    cli.ok(
        "ecomap", "add", case, "🏥 医院 Rumah Sakit Umum Daerah", "--kind", "health", "--tie", "tenuous", "--flow", "in"
    )
    lines = cli.ok("ecomap", case).stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= 80, max(lines, key=cell_len)
    first_row = next(line for line in lines if "┤" in line and "├" in line)  # drawn on one line, not wrapped
    assert first_row == " 北京市第一中学附属… ══════════┤王小明和他的家… ├◀┄┄┄┄┄┄┄┄┄ 🏥 医院 Rumah Sakit…"
    assert any(line.startswith(" 家族の皆さんと友達… ◀╪╪╪╪╪╪╪╪▶┤") for line in lines)


def test_wide_names_in_indonesian_fit_too(cli):
    case = str(cli.json("open", "김민준 가족", "--level", "mezzo", "--problem", "p")["id"])
    for number, kind in enumerate(("sekolah", "keluarga", "layanan sosial", "agama"), start=1):
        cli.ok(
            "ecomap", "add", case, f"서울특별시 {number}번째 기관 이름이 아주 깁니다", "--kind", kind, "--tie", "kuat"
        )
    lines = cli.ok("--lang", "id", "ecomap", case).stdout.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    assert sum("══════" in line and "서울특별시" in line for line in lines) == 2  # two ties on each side


def test_a_wide_character_takes_two_columns_and_overwriting_half_blanks_the_other():
    canvas = Canvas(6, 1)
    canvas.put(0, 0, "王小明")
    assert canvas.text().plain == "王小明" and cell_len(canvas.text().plain) == 6
    canvas.put(0, 3, "x")  # the second half of 小
    assert canvas.text().plain == "王 x明"
    canvas.put(0, 5, "家")  # would cross the edge: a blank instead, and 明 loses its other half
    assert canvas.text().plain == "王 x"
