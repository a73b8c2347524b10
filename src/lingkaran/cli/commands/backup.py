"""Keeping the caseload safe: check, backup, restore."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from lingkaran.cli.commands import command_app
from lingkaran.cli.options import JsonFlag
from lingkaran.cli.output import print_json
from lingkaran.cli.session import session
from lingkaran.errors import DatabaseUnusable, InvalidInput
from lingkaran.messages import N_, _, ngettext

app = command_app()

# The name of each kind of `check` finding in the interface language (JSON keeps the key).
CHECK_LABELS = {
    "integrity": N_("integrity"),
    "foreign_keys": N_("foreign_keys"),
    "schema": N_("schema"),
    "values": N_("values"),
    "levels": N_("levels"),
    "audit": N_("audit"),
    "records": N_("records"),
    "permissions": N_("permissions"),
    "encryption": N_("encryption"),
    "erasure": N_("erasure"),
}


@app.command()
def check(
    ctx: typer.Context,
    expect: Annotated[
        str | None,
        typer.Option(
            "--expect",
            metavar="HASH",
            help=_("A head hash noted earlier (backup prints it): fail unless the event log still holds that event."),
            show_default=False,
        ),
    ] = None,
    json_output: JsonFlag = False,
) -> None:
    """Check the caseload: damage, broken links, schema, records against the audit chain, file permissions."""
    from lingkaran.casework import projection
    from lingkaran.cli.passphrase import key_file_path
    from lingkaran.store import integrity

    expected_hash = _head_hash(expect) if expect is not None else None
    run = session(ctx)
    path = _existing_caseload(run.db_path)
    conn = run.conn(read_only=True)  # checking changes nothing: an older schema is a finding, not a migration
    report = integrity.check_report(
        conn, path, key_file_path(run.key_file), expected_hash, replayed=projection.record_findings
    )
    findings = report["findings"]
    if json_output:
        print_json(report)
    else:
        _print_check(report)
    if findings:
        raise DatabaseUnusable(
            ngettext("check found {count} problem", "check found {count} problems", len(findings)).format(
                count=len(findings)
            )
        )


def _head_hash(text: str) -> str:
    """A head hash as `backup` prints it, or its first 16 or more characters (as `check` shows it)."""
    import re

    value = text.strip().lower()
    if not re.fullmatch(r"[0-9a-f]{16,64}", value):
        raise InvalidInput(
            _(
                "--expect {value!r} is not a head hash; give the 64 hexadecimal characters `backup` "
                "printed (or at least their first 16)"
            ).format(value=text)
        )
    return value


def _print_check(report: dict) -> None:
    sys.stdout.write(
        _("Checked {path}: schema {version}, {events} events, last hash {head}").format(
            path=report["database"],
            version=report["schema_version"],
            events=report["events"],
            head=(report["head_hash"] or "-")[:16],
        )
        + "\n"
    )
    for problem in report["findings"]:
        name = _(CHECK_LABELS[problem["check"]]) if problem["check"] in CHECK_LABELS else problem["check"]
        sys.stdout.write(f"✘ {name}: {problem['message']}\n")
    if report["ok"]:
        sys.stdout.write("✔ " + _("no problems found") + "\n")


@app.command()
def backup(
    ctx: typer.Context,
    path: Annotated[
        Path | None,
        typer.Argument(
            help=_("Where to write it: a new file, or a folder (default: beside the caseload, with a timestamp)."),
            show_default=False,
        ),
    ] = None,
    keep: Annotated[
        int | None,
        typer.Option(
            help=_("Keep only the newest N timestamped backups in that folder, deleting older ones."),
            show_default=False,
        ),
    ] = None,
    json_output: JsonFlag = False,
) -> None:
    """Back up the caseload to a private file (safe while lingkaran is in use)."""
    from lingkaran.store import backup_files, backups

    run = session(ctx)
    db_path = _existing_caseload(run.db_path)
    folder = _backup_folder(path, keep)
    if path is None or folder is not None:
        _clock_can_name_a_backup()
    target = path if path is not None and folder is None else backup_files.backup_path(db_path, folder)
    if target.exists():
        raise InvalidInput(_("{path} already exists; a backup never overwrites a file").format(path=target))
    conn = run.conn()
    head = backups.backup(conn, target, _passphrase_if_encrypted(run, db_path))
    removed = backups.rotate(db_path, folder, keep, target) if keep else []
    result = {
        "backup": str(target.absolute()),
        "bytes": target.stat().st_size,  # usable from any folder
        "removed": [str(old.absolute()) for old in removed],
        **head,
    }
    if json_output:
        print_json(result)
        return
    if sys.stdout.isatty():
        sys.stdout.write(
            _("Backed up to {path} ({size} KB); {count} old backups removed.").format(
                path=target, size=result["bytes"] // 1024, count=len(removed)
            )
            + "\n"
        )
    else:
        sys.stdout.write(result["backup"] + "\n")  # one line a script can take: b=$(lingkaran backup)
    _print_head(head, sys.stdout if sys.stdout.isatty() else sys.stderr)


def _print_head(head: dict, stream) -> None:
    """The backup's head hash, to be noted somewhere other than this laptop."""
    if head["head_hash"]:
        stream.write(
            ngettext(
                "Head hash {hash} ({events} event): note it somewhere else; `lingkaran check "
                "--expect HASH` later proves the log still holds it.",
                "Head hash {hash} ({events} events): note it somewhere else; `lingkaran check "
                "--expect HASH` later proves the log still holds it.",
                head["events"],
            ).format(hash=head["head_hash"], events=head["events"])
            + "\n"
        )


def _clock_can_name_a_backup() -> None:
    """A timestamped backup's name is when it was made, and `--keep` deletes by it: a wrong clock names none."""
    from lingkaran.cli.session import system_date
    from lingkaran.domain.parse import wrong_clock

    reading = wrong_clock(system_date)
    if reading is not None:
        raise InvalidInput(
            _(
                "the computer's clock says {date}, so a backup named by the time it was made would be "
                "misnamed; set the clock, or give the backup a file name: lingkaran backup FILE"
            ).format(date=reading)
        )


def _passphrase_if_encrypted(run, db_path: Path) -> str | None:
    """The passphrase the open caseload was keyed with, when it is encrypted (its backups are keyed with it)."""
    from lingkaran.store.encryption import file_kind

    return run.passphrase() if file_kind(db_path) == "encrypted" else None


def _backup_folder(path: Path | None, keep: int | None) -> Path | None:
    """The folder a timestamped backup goes to (None: beside the caseload, or PATH is a file name)."""
    if keep is not None and keep < 1:
        raise InvalidInput(
            _("--keep {value} must be 1 or more (the backup just made is always kept)").format(value=keep)
        )
    if path is None:
        return None
    if path.is_dir():
        return path
    if keep is not None:
        raise InvalidInput(_("--keep rotates timestamped backups: give a folder as PATH, or no PATH"))
    return None


@app.command()
def restore(
    ctx: typer.Context,
    path: Annotated[Path | None, typer.Argument(help=_("The backup file to restore."), show_default=False)] = None,
    yes: Annotated[bool, typer.Option("--yes", help=_("Do not ask for confirmation (for scripts)."))] = False,
    json_output: JsonFlag = False,
) -> None:
    """Replace the caseload with a backup, after checking it; the current file is kept as a backup."""
    from lingkaran.store import backups

    run = session(ctx)
    run.require({"PATH": path})
    if not path.is_file():
        raise InvalidInput(_("no backup file at {path}").format(path=path))
    db_path = run.db_path
    key = backups.restore_passphrase(path, db_path, run.passphrase, busy_timeout=run.busy_timeout())
    staged, summary = backups.stage_restore(path, db_path, key)
    try:
        _confirm_restore(run, yes, path, db_path, summary)
        encrypted_now = key is None and _a_new_caseload_meant_encrypted(run, db_path)
        if encrypted_now:  # the checked copy is encrypted before it takes the caseload's name
            from lingkaran.store.encryption import convert

            key = run.passphrase()
            convert(staged, None, key, busy_timeout=run.busy_timeout())
        kept = backups.swap_in(staged, db_path, busy_timeout=run.busy_timeout(), passphrase=key)
    finally:
        staged.unlink(missing_ok=True)
    result = {
        "restored": str(path.absolute()),
        "database": str(db_path),
        "kept": str(kept) if kept else None,
        "encrypted": key is not None,
        **summary,
    }
    if json_output:
        print_json(result)
        return
    sys.stdout.write(
        _("Restored {path} ({events} events) into {database}.").format(
            path=path, events=summary["events"], database=db_path
        )
        + "\n"
    )
    if encrypted_now:
        sys.stdout.write(_("The backup was not encrypted; the new caseload is, with the key file's passphrase.") + "\n")
    if kept:
        sys.stdout.write(_("The caseload it replaced is kept in {kept}").format(kept=kept) + "\n")


def _a_new_caseload_meant_encrypted(run, db_path: Path) -> bool:
    """A plain backup restored where no caseload is yet, with a key file given: lingkaran never starts a plain
    caseload while a key file is given (the person means it encrypted), so the restored one is encrypted."""
    from lingkaran.cli.passphrase import key_file_path
    from lingkaran.store.encryption import file_kind

    return file_kind(db_path) == "new" and key_file_path(run.key_file) is not None


def _confirm_restore(run, yes: bool, path: Path, db_path: Path, summary: dict) -> None:
    """Restoring replaces everything in the caseload: ask a person, or require --yes from a script."""
    if yes or not db_path.exists():
        return
    if not run.interactive():
        raise InvalidInput(
            _("restore replaces the caseload {database}; add --yes to confirm without a terminal").format(
                database=db_path
            )
        )
    typer.confirm(
        _("Replace {database} with {path} ({events} events)? The current file is kept as a backup.").format(
            database=db_path, path=path, events=summary["events"]
        ),
        abort=True,
    )


def _existing_caseload(path: Path) -> Path:
    """The caseload file, which must exist: checking or backing up never creates one."""
    if not path.is_file():
        from lingkaran.store.database import refuse_unusable_path

        refuse_unusable_path(path)  # a folder, or a file in the way, is named as such
        raise DatabaseUnusable(_("no caseload at {path}; give --db or set LINGKARAN_DB").format(path=path))
    return path
