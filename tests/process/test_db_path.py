"""A `--db` that cannot be a caseload file is refused in one line that names the path and says what to do."""

import pytest

from lingkaran.errors import ExitCode

COMMANDS = [
    ("list",),
    ("open", "Siti", "--level", "mikro", "--problem", "p"),
    ("export", "--force"),
    ("check",),
    ("backup",),
]


def refused(result, *needles: str) -> None:
    assert result.returncode == ExitCode.DATABASE_UNUSABLE, (result.returncode, result.stderr)
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("lingkaran: "), result.stderr
    assert result.stdout == "" and "Traceback" not in result.stderr
    for needle in needles:
        assert needle in result.stderr, result.stderr


@pytest.mark.parametrize("args", COMMANDS)
def test_a_path_through_a_regular_file_names_the_path_and_the_file(lingkaran, tmp_path, args):
    blocking = tmp_path / "notes.txt"
    blocking.write_text("not a folder")
    target = blocking / "caseload.db"
    result = lingkaran("--db", target, *args)
    refused(result, str(target), f"{blocking} is a file, not a folder", "--db")
    assert blocking.read_text() == "not a folder"


def test_a_path_deeper_below_a_file_names_that_file(lingkaran, tmp_path):
    blocking = tmp_path / "notes.txt"
    blocking.write_text("x")
    refused(lingkaran("--db", blocking / "sub" / "caseload.db", "list"), f"{blocking} is a file, not a folder")


def test_a_folder_given_as_the_caseload_is_refused_with_a_file_name_to_use(lingkaran, tmp_path):
    folder = tmp_path / "cases"
    folder.mkdir()
    refused(
        lingkaran("--db", folder, "list"),
        f"cannot use {folder} as the caseload: it is a folder",
        str(folder / "caseload.db"),
    )
    assert list(folder.iterdir()) == []


def test_the_path_from_the_environment_is_named_too(lingkaran, tmp_path):
    blocking = tmp_path / "notes.txt"
    blocking.write_text("x")
    refused(
        lingkaran("list", env={"LINGKARAN_DB": str(blocking / "caseload.db")}),
        str(blocking / "caseload.db"),
        "LINGKARAN_DB",
    )


@pytest.mark.parametrize("args", [("export", "--force", "--output"), ("backup",), ("report", "1", "--output")])
def test_files_written_below_a_regular_file_name_it_too(lingkaran, opened_case, tmp_path, args):
    blocking = tmp_path / "notes.txt"
    blocking.write_text("x")
    result = lingkaran(*args, blocking / "out.file")
    assert result.returncode in (ExitCode.INVALID_INPUT, ExitCode.DATABASE_UNUSABLE)
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert f"{blocking} is a file, not a folder; give a path inside a folder" in result.stderr, result.stderr
