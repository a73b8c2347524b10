"""Working as a team without a network: `sync status`, `bundle`, and importing a bundle (through `import`)."""

import os
import stat
import sys
from pathlib import Path
from typing import Annotated

import typer

from lingkaran.cli.commands import command_app
from lingkaran.cli.options import JsonFlag
from lingkaran.cli.output import emit, print_json
from lingkaran.cli.session import session
from lingkaran.errors import InvalidInput
from lingkaran.messages import N_, _, ngettext

app = command_app()

MAX_PASSPHRASE_BYTES = 1024
sync_app = typer.Typer(
    help=_(
        "Working as a team: sync with the agency hub; what this caseload holds, to compare "
        "and exchange with colleagues."
    ),
    invoke_without_command=True,
    rich_markup_mode=None,
)
PassphraseFileOption = Annotated[
    Path | None,
    typer.Option(
        "--passphrase-file",
        help=_("A file holding the team's passphrase on one line (else it is asked at a terminal)."),
        show_default=False,
    ),
]


@sync_app.callback()
def sync(
    ctx: typer.Context,
    hub: Annotated[
        str | None,
        typer.Option(
            "--hub",
            help=_(
                "The agency hub's address (a PostgreSQL URL; default: `config set hub`). The password "
                "comes from your password file, never from here."
            ),
            show_default=False,
        ),
    ] = None,
    json_output: JsonFlag = False,
) -> None:
    """Push what this laptop wrote to the agency hub and pull what colleagues wrote on your cases."""
    if ctx.invoked_subcommand is not None:
        return
    from lingkaran.casework import hub_sync
    from lingkaran.render.progress import progress_bar
    from lingkaran.store import settings

    url = hub or settings.get("hub")
    if not url:
        raise InvalidInput(_("no hub to sync with: give --hub URL, or remember it with `lingkaran config set hub URL`"))
    run = session(ctx)
    conn = run.conn()
    report = hub_sync.sync(conn, url, lambda total: progress_bar(total, N_("Merging")), today=run.today())
    emit(json_output, report, lambda: _sync_lines(report))


def _sync_lines(report: dict) -> list[str]:
    from lingkaran.render.conflicts import merge_lines

    lines = [
        _("Synced with {hub}: pushed {pushed} events, pulled {pulled} ({present} already here).").format(
            hub=report["hub"], pushed=report["pushed"], pulled=report["pulled"], present=report["already_here"]
        )
    ]
    if report["hub_went_back"]:
        lines.append(
            "  "
            + _("The hub had gone back to a backup: this laptop sent again what it lacked and read its cases again.")
        )
    lines += _arrived_lines(report["cases"])
    lines += [
        "  " + _("case {case}: handed over; dropped from this laptop").format(case=case["case"])
        for case in report["dropped"]
    ]
    lines += merge_lines(report["renumbered"], report["conflicts"])
    lines.append(_compare_hint())
    return lines


def _compare_hint() -> str:
    return _("To compare with a colleague's copy: lingkaran sync status (the same digest, the same work).")


@sync_app.command("status")
def status(
    ctx: typer.Context,
    case: Annotated[
        str | None, typer.Option(help=_("The digest of this case's events only (number or UUID)."), show_default=False)
    ] = None,
    json_output: JsonFlag = False,
) -> None:
    """What this caseload holds: its device, its events, each device's sequence, and the digest to compare."""
    from lingkaran.store import chains, devices, records

    conn = session(ctx).conn()
    chosen = records.find_case(conn, case) if case else None
    held, highest = chains.contiguous_sequences(conn), chains.highest_sequences(conn)
    report = {
        "device": devices.this_device(conn),
        "case": chosen["uuid"] if chosen else None,
        "events": chains.event_count(conn, chosen["uuid"] if chosen else None),
        "legacy_events": chains.event_count(conn, chosen["uuid"] if chosen else None, legacy=True),
        "sequences": held,
        "partial": {
            device: {"contiguous": held.get(device, 0), "highest": top}
            for device, top in highest.items()
            if top > held.get(device, 0)
        },
        "digest": chains.digest(conn, chosen["uuid"] if chosen else None),
        "ahead": chains.far_ahead(conn, devices.wall_ms()),
    }
    emit(json_output, report, lambda: _status_lines(report))


def _status_lines(report: dict) -> list[str]:
    lines = [
        _("Device: {device} (this caseload)").format(device=report["device"]),
        _("Events: {count} ({legacy} from before devices)").format(
            count=report["events"], legacy=report["legacy_events"]
        ),
        _("Digest: {digest}").format(digest=report["digest"]),
    ]
    for device, contiguous in sorted(report["sequences"].items()):
        lines.append("  " + _("{device}: events 1–{last}").format(device=device, last=contiguous))
    for device, held in sorted(report["partial"].items()):
        lines.append(
            "  "
            + _("{device}: some events up to {highest} (a part: only some cases' events)").format(
                device=device, highest=held["highest"]
            )
        )
    if report["ahead"]:
        lines.append(
            "⚠ "
            + ngettext(
                "{count} event is stamped more than a day ahead of this computer's clock (written on a computer whose "
                "clock was wrong; kept, and it does not move this clock)",
                "{count} events are stamped more than a day ahead of this computer's clock (written on a computer "
                "whose clock was wrong; kept, and they do not move this clock)",
                len(report["ahead"]),
            ).format(count=len(report["ahead"]))
        )
    return lines


@app.command()
def bundle(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help=_("The bundle to write (a new file, mode 0600)."))],
    cases: Annotated[
        list[str] | None,
        typer.Option(
            "--case",
            help=_("Only this case (number or UUID); repeat for more. Default: the whole caseload."),
            show_default=False,
        ),
    ] = None,
    passphrase_file: PassphraseFileOption = None,
    plain: Annotated[
        bool, typer.Option("--plain", help=_("Write it unencrypted (anyone who gets it can read it)."))
    ] = False,
    since: Annotated[
        Path | None,
        typer.Option(
            "--since",
            help=_("Leave out what a colleague holds already: a file with their `sync status --json`."),
            show_default=False,
        ),
    ] = None,
    json_output: JsonFlag = False,
) -> None:
    """Write the events a colleague needs as one file, encrypted with the team's passphrase."""
    from lingkaran.casework import bundles
    from lingkaran.cli.files import output_file

    run = session(ctx)
    if plain and passphrase_file is not None:
        raise InvalidInput(_("--plain writes no passphrase; give --plain or --passphrase-file, not both"))
    known = bundles.known_sequences(_read_json(since)) if since else {}
    passphrase = None if plain else team_passphrase(run, passphrase_file, new=True)
    written = bundles.write_payload(run.conn(), cases or [], known)
    data = bundles.pack(written.payload, passphrase)
    with output_file(file) as out:
        out.write(data)
    report = {
        "bundle": str(file),
        "encrypted": not plain,
        "events": written.events,
        "cases": written.cases,
        "presupposes": written.presupposes,
        "bytes": len(data),
    }
    if plain:
        sys.stderr.write(
            "lingkaran: " + _("{path} is NOT encrypted: anyone who gets it can read it").format(path=file) + "\n"
        )
    if json_output:
        print_json(report)
        return
    sys.stdout.write(
        ngettext(
            "Wrote {events} events of {cases} case to {path}.",
            "Wrote {events} events of {cases} cases to {path}.",
            written.cases,
        ).format(events=written.events, cases=written.cases, path=file)
        + "\n"
    )


def _read_json(path: Path) -> object:
    import json

    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InvalidInput(_("cannot read {path}: {reason}").format(path=path, reason=error.strerror)) from None
    except (ValueError, RecursionError):  # RecursionError: nested ~1,000 deep, past Python's parser
        raise InvalidInput(
            _("--since needs a file holding a colleague's `lingkaran sync status --json` output")
        ) from None


def team_passphrase(run, path: Path | None, *, new: bool) -> str:
    """The team's passphrase: from --passphrase-file, else typed at a terminal (twice for a new bundle)."""
    from lingkaran.cli.passphrase import MIN_LENGTH

    if path is not None:
        passphrase = _passphrase_file(path.expanduser())
    elif run.interactive():
        import getpass

        passphrase = getpass.getpass(_("The team's passphrase: "))
        if new and getpass.getpass(_("The same passphrase again: ")) != passphrase:
            raise InvalidInput(_("the two passphrases differ; nothing was written"))
    else:
        raise InvalidInput(
            _(
                "a bundle is sealed with the team's passphrase: give --passphrase-file PATH (a file "
                "holding it), or run lingkaran at a terminal to be asked"
            )
        )
    if new and len(passphrase) < MIN_LENGTH:
        raise InvalidInput(_("the passphrase is too short: use at least {n} characters").format(n=MIN_LENGTH))
    if not passphrase:
        raise InvalidInput(_("the passphrase is empty"))
    return passphrase


def _passphrase_file(path: Path) -> str:
    """The one line of a passphrase file (a regular file, at most 1024 bytes)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise InvalidInput(_("--passphrase-file {path} is not a regular file").format(path=path))
        with open(path, "rb") as file:
            raw = file.read(MAX_PASSPHRASE_BYTES + 2)
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError as error:
        raise InvalidInput(_("cannot read {path}: {reason}").format(path=path, reason=error.strerror)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(_("--passphrase-file {path} is not UTF-8 text").format(path=path)) from None
    lines = text.removesuffix("\n").removesuffix("\r").split("\n")
    if len(raw) > MAX_PASSPHRASE_BYTES + 1 or len(lines) > 1:
        raise InvalidInput(
            _("--passphrase-file {path} must hold the passphrase alone on one line (at most {n} bytes)").format(
                path=path, n=MAX_PASSPHRASE_BYTES
            )
        )
    if mode & 0o077:
        sys.stderr.write(
            "lingkaran: " + _("warning: others can read {path}; run: chmod 600 {path}").format(path=path) + "\n"
        )
    return lines[0]


def import_bundle(ctx: typer.Context, file: Path, data: bytes, passphrase_file: Path | None, json_output: bool) -> None:
    """Merge a bundle into the caseload and say what arrived."""
    from lingkaran.casework import bundles
    from lingkaran.render.progress import progress_bar

    run = session(ctx)
    passphrase = team_passphrase(run, passphrase_file, new=False) if bundles.is_sealed(data) else None
    payload = bundles.unpack(data, file.name, passphrase)
    with progress_bar(None, N_("Importing")) as advance:
        report = bundles.import_payload(run.conn(), payload, advance, run.today(), sealed=passphrase is not None)
    report = {"bundle": str(file), "encrypted": passphrase is not None, **report}
    emit(json_output, report, lambda: _import_lines(report))


def _import_lines(report: dict) -> list[str]:
    lines = [
        _("Imported {events} events from {path}; {present} already here.").format(
            events=report["events"], path=report["bundle"], present=report["already_present"]
        )
    ]
    lines += _arrived_lines(report["cases"])
    from lingkaran.render.conflicts import merge_lines

    lines += merge_lines(report["renumbered"], report["conflicts"])
    lines.append(_compare_hint())
    return lines


def _arrived_lines(cases: list[dict]) -> list[str]:
    """One line per case that events arrived for."""
    return [
        "  "
        + ngettext(
            "case {case} {client}: {events} event", "case {case} {client}: {events} events", case["events"]
        ).format(case=case["case"], client=case["client"] or "-", events=case["events"])
        + (" " + _("(new here)") if case["new"] else "")
        + (" " + _("(erased)") if case["erased"] else "")
        for case in cases
    ]


app.add_typer(sync_app, name="sync")
