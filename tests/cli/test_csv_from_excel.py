"""CSV from an Indonesian agency's spreadsheet: `;` separators, day-first dates, a BOM, Windows line ends, and
columns lingkaran does not import (named on stderr, never a refusal)."""

import pytest

EXCEL = (
    "\ufeffNama;Tingkat;Masalah;Tanggal;Alamat;No HP;Persetujuan\r\n"
    "Siti Rahmawati;mikro;Putus sekolah;03/05/2026;Jl. Melati 4, Bogor;0812-3456-7890;ya\r\n"
    "Keluarga Hartono;mezzo;KDRT, ayah memukul ibu;1.6.2026;Kp. Cibeureum;;tidak\r\n"
)


def write(tmp_path, text: str, name: str = "kasus.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def test_an_excel_file_with_semicolons_and_day_first_dates_imports(cli, tmp_path):
    result = cli("import", str(write(tmp_path, EXCEL)))
    assert result.exit_code == 0, result.stderr
    assert "'Alamat', 'No HP'" in result.stderr and "not imported" in result.stderr
    cases = {case["client"]: case for case in cli.json("list", "--all")}
    assert cases["Siti Rahmawati"]["opened_on"] == "2026-05-03" and cases["Siti Rahmawati"]["consent"]
    assert cases["Keluarga Hartono"]["opened_on"] == "2026-06-01" and cases["Keluarga Hartono"]["level"] == "mezzo"
    assert cases["Keluarga Hartono"]["problem"] == "KDRT, ayah memukul ibu"  # a comma inside a `;` file


def test_the_json_result_names_the_columns_left_out(cli, tmp_path):
    result = cli.json("import", str(write(tmp_path, EXCEL)), "--json")
    assert result["ignored_columns"] == ["Alamat", "No HP"] and result["imported"]["cases"] == 2


def test_a_tab_separated_file_imports_too(cli, tmp_path):
    text = "client\tlevel\tproblem\topened_on\nBudi\tmikro\tLost his job\t2026-05-04\n"
    assert cli("import", str(write(tmp_path, text))).exit_code == 0
    assert cli.json("list")[0]["opened_on"] == "2026-05-04"


@pytest.mark.parametrize("date", ["12/31/2026", "3/13/2026"])
def test_a_date_that_is_not_day_first_is_refused_not_guessed(cli, tmp_path, date):
    text = f"nama;tingkat;masalah;tanggal\nSiti;mikro;Putus sekolah;{date}\n"
    result = cli("import", str(write(tmp_path, text)))
    assert result.exit_code == 2 and "day first (DD/MM/YYYY)" in result.stderr
    assert cli.json("list", "--all") == []


def test_a_file_saved_in_a_windows_code_page_says_how_to_save_it(cli, tmp_path):
    path = tmp_path / "kasus.csv"
    path.write_bytes("nama;tingkat;masalah\nJosé;mikro;Sin trabajo\n".encode("cp1252"))
    result = cli("import", str(path))
    assert result.exit_code == 2 and '"CSV UTF-8"' in result.stderr


def test_the_installed_command_imports_an_excel_file(lingkaran, tmp_path):
    done = lingkaran("import", str(write(tmp_path, EXCEL)))
    assert done.returncode == 0, done.stderr
    assert "Imported" in done.stdout
