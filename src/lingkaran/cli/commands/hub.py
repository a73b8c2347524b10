"""`lingkaran hub`: set up the agency hub (a PostgreSQL database), its workers, and see its status."""

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from lingkaran.cli.commands import command_app
from lingkaran.cli.options import JsonFlag
from lingkaran.cli.output import print_json, print_lines
from lingkaran.errors import InvalidInput
from lingkaran.messages import _

app = command_app()

hub_app = typer.Typer(
    help=_("The agency hub: the PostgreSQL database that the team's laptops sync through."),
    no_args_is_help=True,
    rich_markup_mode=None,
)
worker_app = typer.Typer(
    help=_("The hub's workers: each a PostgreSQL login role."), no_args_is_help=True, rich_markup_mode=None
)
hub_app.add_typer(worker_app, name="worker")

HubOption = Annotated[
    str | None,
    typer.Option(
        "--hub",
        metavar="URL",
        show_default=False,
        help=_("The hub's PostgreSQL URL or connection string (default: `config set hub URL`)."),
    ),
]


def hub_url(given: str | None) -> str:
    """The hub's address: the flag, else the `hub` setting; one line naming both when neither is there."""
    from lingkaran.store import settings
    from lingkaran.store.hub.url import checked_url

    url = given if given is not None else settings.get("hub")
    if not url:
        raise InvalidInput(_("no hub given: use --hub URL, or set it once with `lingkaran config set hub URL`"))
    return checked_url(url)


def _connect(url: str):
    from lingkaran.store.hub.connection import connect

    return connect(url)


@hub_app.command("init")
def init(
    url: Annotated[
        str | None,
        typer.Argument(
            metavar="URL",
            show_default=False,
            help=_("The database to make a hub, as its superuser (default: `config set hub URL`)."),
        ),
    ] = None,
    json_output: JsonFlag = False,
) -> None:
    """Create or upgrade the hub's tables, roles and rules in a PostgreSQL database."""
    from lingkaran.store.hub import migrations

    with _connect(hub_url(url)) as conn:
        now = migrations.init(conn)
        version = len(migrations.applied(conn))
        renumbered = migrations.renumber_restored(conn)
    if json_output:
        print_json({"schema_version": version, "applied": now, "restored_events_renumbered": renumbered})
        return
    if now:
        lines = [
            _("Hub ready: schema version {version} ({count} steps applied).").format(version=version, count=len(now))
        ]
    else:
        lines = [_("Hub already current: schema version {version}.").format(version=version)]
    if renumbered:
        lines.append(
            _(
                "Restored from another server's backup: {count} events renumbered so laptops can read them again; "
                "each laptop sends what the hub lacks on its next sync."
            ).format(count=renumbered)
        )
    print_lines(lines)


@worker_app.command("add")
def worker_add(
    name: Annotated[str, typer.Argument(metavar="NAME", help=_("The worker's name: lowercase letters, digits and _."))],
    supervisor: Annotated[
        bool, typer.Option("--supervisor", help=_("A supervisor: reads every case, may share and hand over any case."))
    ] = False,
    password_file: Annotated[
        Path | None,
        typer.Option(
            "--password-file",
            show_default=False,
            help=_("Write the generated password to this new file (readable only by you) instead of showing it."),
        ),
    ] = None,
    hub: HubOption = None,
    json_output: JsonFlag = False,
) -> None:
    """Add a worker to the hub: a login role with a generated password, shown or written once."""
    from lingkaran.store.hub.workers import checked_name, new_password

    checked_name(name)
    url, password = hub_url(hub), new_password()
    if password_file is not None:
        _write_private(password_file, password)
    try:
        with _connect(url) as conn:
            from lingkaran.store.hub.workers import worker_add as add

            add(conn, name, supervisor=supervisor, password=password)
    except BaseException:
        if password_file is not None:
            password_file.unlink(missing_ok=True)  # a password for a role that was not made helps nobody
        raise
    _report_added(name, supervisor, password, password_file, json_output)


def _write_private(path: Path, password: str) -> None:
    """Write the password to a new file only its owner can read (never over an existing file)."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise InvalidInput(
            _("{path} already exists; a password is only written to a new file").format(path=path)
        ) from None
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(password + "\n")


def _report_added(name: str, supervisor: bool, password: str, password_file: Path | None, json_output: bool):
    role = "supervisor" if supervisor else "worker"
    if json_output:
        shown = {"password_file": str(password_file.absolute())} if password_file else {"password": password}
        print_json({"worker": name, "role": role, **shown})
        return
    words = _("supervisor") if supervisor else _("worker")
    lines = [_("Added {name} to the hub as a {role}.").format(name=name, role=words)]
    if password_file:
        lines.append(
            _("Password written to {path}: give it to {name} in person, then delete the file.").format(
                path=password_file, name=name
            )
        )
    else:
        lines.append(_("Password (shown only now): {password}").format(password=password))
    print_lines(lines)


@worker_app.command("remove")
def worker_remove(
    name: Annotated[str, typer.Argument(metavar="NAME", help=_("The worker's name."))], hub: HubOption = None
) -> None:
    """End a worker's access to the hub; what they pushed stays."""
    from lingkaran.store.hub.workers import checked_name
    from lingkaran.store.hub.workers import worker_remove as remove

    checked_name(name)
    with _connect(hub_url(hub)) as conn:
        remove(conn, name)
    sys.stderr.write(_("{name} can no longer connect to the hub; their events stay.").format(name=name) + "\n")


@hub_app.command("status")
def status(hub: HubOption = None, json_output: JsonFlag = False) -> None:
    """Show the hub: events, cases, and each worker's last sync."""
    from lingkaran.store.hub.workers import status as hub_status

    with _connect(hub_url(hub)) as conn:
        report = hub_status(conn)
    if json_output:
        print_json(report)
        return
    lines = [
        _("Hub schema {version}: {events} events in {cases} cases ({erased} erased).").format(
            version=report["schema_version"],
            events=report["events"],
            cases=report["cases"],
            erased=report["erased_cases"],
        )
    ]
    for worker in report["workers"]:
        role = _("supervisor") if worker["role"] == "supervisor" else _("worker")
        state = "" if worker["active"] else " " + _("(removed)")
        lines.append(
            _("  {name} {role}{state}: {pushed} events pushed, {cases} cases, last sync {last}").format(
                name=worker["name"],
                role=role,
                state=state,
                pushed=worker["events_pushed"],
                cases=worker["cases"],
                last=worker["last_sync"] or _("never"),
            )
        )
    print_lines(lines)


app.add_typer(hub_app, name="hub")
