"""Backups are named by the time they were made and `--keep` rotates by that name, so a wrong clock must not
name one: a timestamped backup is refused while the clock is wrong, and `--keep` never deletes the backup it
has just made, even when a backup named by a wrong clock sorts after it."""

import datetime as dt
import shutil
from pathlib import Path

from lingkaran.cli import session
from lingkaran.errors import ExitCode


def test_keep_never_deletes_the_backup_just_made_when_an_older_one_has_a_later_name(cli, tmp_path):
    cli.ok("open", "Siti", "--level", "mikro", "--problem", "x", "--consent")
    folder = tmp_path / "usb"
    folder.mkdir()
    made_in_3000 = folder / "caseload-backup-3000-01-01T00-00-00.000000Z.db"  # by a clock set to 3000 once
    shutil.copy(cli.json("backup", tmp_path / "first.db")["backup"], made_in_3000)
    result = cli.json("backup", folder, "--keep", "1")
    assert Path(result["backup"]).exists()
    assert result["removed"] == [str(made_in_3000)] and not made_in_3000.exists()


def test_keep_two_keeps_the_backup_just_made_and_the_newest_other(cli, tmp_path):
    cli.ok("open", "Siti", "--level", "mikro", "--problem", "x", "--consent")
    folder = tmp_path / "usb"
    folder.mkdir()
    earlier = cli.json("backup", folder)["backup"]
    made_in_3000 = folder / "caseload-backup-3000-01-01T00-00-00.000000Z.db"
    shutil.copy(earlier, made_in_3000)
    result = cli.json("backup", folder, "--keep", "2")
    assert result["removed"] == [earlier]
    assert sorted(path.name for path in folder.iterdir()) == sorted([made_in_3000.name, Path(result["backup"]).name])


def test_a_timestamped_backup_is_refused_while_the_clock_is_wrong(cli, db_path, tmp_path, monkeypatch):
    cli.ok("open", "Siti", "--level", "mikro", "--problem", "x", "--consent")
    monkeypatch.setattr(session, "system_date", lambda: dt.date(1970, 1, 1))
    before = sorted(db_path.parent.iterdir())
    for args in (["backup"], ["backup", "--keep", "3"], ["backup", tmp_path]):
        result = cli(*args)
        assert result.exit_code == ExitCode.INVALID_INPUT and result.stderr.count("\n") == 1
        assert result.stderr == (
            "lingkaran: the computer's clock says 1970-01-01, so a backup named by the time "
            "it was made would be misnamed; set the clock, or give the backup a file name: "
            "lingkaran backup FILE\n"
        )
    assert sorted(db_path.parent.iterdir()) == before
    named = tmp_path / "friday.db"
    assert cli.json("backup", named)["backup"] == str(named)  # a name given by hand needs no clock
