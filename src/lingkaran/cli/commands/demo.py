"""`lingkaran demo`: build a sample caseload in its own file and show it."""

import contextlib
import os
from pathlib import Path

import typer

from lingkaran.cli.commands import command_app
from lingkaran.cli.output import show
from lingkaran.cli.session import Session, session
from lingkaran.errors import InvalidInput
from lingkaran.messages import _

app = command_app()


@app.command()
def demo(ctx: typer.Context) -> None:
    """Build a sample caseload of a dozen cases in a separate demo file and show it."""
    from lingkaran.store.locations import demo_database_path

    run = session(ctx)
    path = demo_database_path(run.db_flag)
    _prepare(path, explicit=run.db_flag is not None)
    featured = _build_whole(path)
    demo_run = Session(db_flag=path)
    conn = demo_run.conn()
    from lingkaran.readmodels import case_view
    from lingkaran.render.rich_views import case_card, caseload_table

    show(_("Demo caseload in {path}").format(path=path))
    show(caseload_table(case_view.caseload(conn, include_closed=True, phase=None, level=None)))
    show(case_card(case_view.card_detail(conn, str(featured), demo_run.today().isoformat())))
    show(_("Try: lingkaran --db {path} show {id}").format(path=path, id=featured))


def _build_whole(path: Path) -> int:
    """Build the demo (many commands' worth of writes) in a hidden file and rename it into place when complete,
    so an interrupted demo leaves nothing half-built behind; one that fails (a full disk) removes it."""
    from lingkaran.casework import demo as demo_data

    building = path.with_name(f".{path.name}.building")
    _remove_with_journal(building)
    builder = Session(db_flag=building)
    try:
        featured = demo_data.build(builder.conn(), builder.today())
        builder.close()  # the last connection to close folds the WAL into the file
    except BaseException:
        with contextlib.suppress(Exception):  # the error that stopped the build is the one to report
            builder.close()
        _remove_with_journal(building)  # it held the space a full disk needs back
        raise
    os.replace(building, path)
    return featured


def _remove_with_journal(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _prepare(path: Path, explicit: bool) -> None:
    """Start the demo afresh: remove an old default demo file; never overwrite a caseload named with --db."""
    if explicit:
        if path.exists() and path.stat().st_size > 0:
            raise InvalidInput(_("{path} already exists; the demo builds only in a new file").format(path=path))
        return
    _remove_with_journal(path)
