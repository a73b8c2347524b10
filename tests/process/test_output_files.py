"""A file named on the command line that cannot be written is the caller's input: exit 2, one line, nothing left."""

import pytest

from lingkaran.errors import ExitCode


@pytest.mark.parametrize(
    "args",
    [
        ["report", "1", "--output", "{place}/x.md"],
        ["export", "--output", "{place}/x.json"],
        ["export", "--format", "csv", "--output", "{place}/x.csv"],
        ["ecomap", "1", "--format", "dot", "--output", "{place}/x.dot"],
    ],
)
@pytest.mark.parametrize("place", ["/proc", "{tmp}/a-file"])
def test_an_output_file_that_cannot_be_written_is_exit_2_with_one_line(lingkaran, opened_case, tmp_path, args, place):
    (tmp_path / "a-file").write_text("not a folder")
    place = place.format(tmp=tmp_path)
    result = lingkaran(*[arg.format(place=place) for arg in args])
    assert result.returncode == ExitCode.INVALID_INPUT, result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("lingkaran: cannot write ")
    assert place in result.stderr and result.stdout == ""


@pytest.mark.parametrize(
    "args",
    [
        ["report", "1", "--output", "{place}/x.md"],
        ["export", "--output", "{place}/x.json"],
        ["export", "--format", "csv", "--output", "{place}/x.csv"],
        ["ecomap", "1", "--format", "dot", "--output", "{place}/x.dot"],
    ],
)
def test_an_output_file_in_a_folder_that_does_not_exist_is_refused_and_no_folder_made(
    lingkaran, opened_case, tmp_path, args
):
    place = tmp_path / "missing" / "deeper"
    result = lingkaran(*[arg.format(place=place) for arg in args])
    assert result.returncode == ExitCode.INVALID_INPUT, result.stderr
    assert result.stderr.count("\n") == 1 and result.stdout == ""
    assert f"folder {place} does not exist" in result.stderr
    assert not (tmp_path / "missing").exists()


def test_the_caseload_still_gets_its_own_new_folder(lingkaran, tmp_path):
    caseload = tmp_path / "new" / "folder" / "caseload.db"
    assert lingkaran("--db", caseload, "init").returncode == 0
    assert caseload.exists() and (caseload.parent.stat().st_mode & 0o777) == 0o700
