"""Opening a hub connection, and psycopg's failures as lingkaran's errors (one line, a documented exit code)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from lingkaran.errors import DatabaseUnusable, InvalidInput, StepRefused
from lingkaran.messages import _
from lingkaran.store.hub.url import checked_url

if TYPE_CHECKING:
    import psycopg

CONNECT_TIMEOUT = "10"  # seconds: a laptop without a network should hear so soon, not hang


def where(params: dict) -> str:
    """The hub named for a person: host (or socket folder), port and database; never the password."""
    host = params.get("host") or params.get("hostaddr") or "localhost"
    port = f":{params['port']}" if params.get("port") else ""
    return f"{host}{port}/{params.get('dbname') or params.get('user') or ''}"


def first_line(error: Exception) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


def connect(url: str, **overrides: str) -> psycopg.Connection:
    """A connection to the hub at `url` (libpq's own password file, TLS and certificate settings apply).

    In autocommit: each hub function is one transaction of its own, and nothing is left open between them
    (an open writing transaction would hold every puller's snapshot horizon back).
    """
    try:
        import psycopg
        from psycopg.conninfo import conninfo_to_dict
    except ImportError:
        raise DatabaseUnusable(
            _("talking to a hub needs psycopg: install lingkaran with the hub extra, pip install 'lingkaran[hub]'")
        ) from None
    try:
        params: dict[str, Any] = conninfo_to_dict(checked_url(url))
    except psycopg.ProgrammingError as error:
        raise InvalidInput(_("the hub address is not valid: {reason}").format(reason=first_line(error))) from None
    params.setdefault("connect_timeout", CONNECT_TIMEOUT)
    params.setdefault("application_name", "lingkaran")
    params.update(overrides)
    try:
        return psycopg.connect(**params, autocommit=True)
    except psycopg.OperationalError as error:
        reason = first_line(error).replace(str(params.get("password") or "\0"), "***")
        raise DatabaseUnusable(
            _("cannot connect to the hub {hub}: {reason}").format(hub=where(params), reason=reason)
        ) from None


def scalar(conn: psycopg.Connection, query: str, params: tuple | dict = ()) -> Any:
    """The one value a query answers with (every query given here answers one row)."""
    row = conn.execute(query, params).fetchone()  # type: ignore[arg-type]  # query text built from constants
    if row is None:
        raise DatabaseUnusable(_("the hub gave no answer to a question that always has one"))
    return row[0]


@contextmanager
def hub_errors() -> Iterator[None]:
    """Turn what the hub answers into lingkaran's errors: refused (exit 4), or unusable (exit 5)."""
    import psycopg

    try:
        yield
    except (psycopg.errors.UndefinedTable, psycopg.errors.InvalidSchemaName):
        raise DatabaseUnusable(
            _("this database is not a lingkaran hub yet: run `lingkaran hub init URL` as its superuser")
        ) from None
    except psycopg.errors.UndefinedFunction:
        raise DatabaseUnusable(
            _("the hub's tables are older than this lingkaran: its administrator runs `lingkaran hub init URL`")
        ) from None
    except psycopg.errors.InsufficientPrivilege as error:
        raise StepRefused(_("the hub refused: {reason}").format(reason=first_line(error))) from None
    except psycopg.OperationalError as error:
        raise DatabaseUnusable(
            _("the connection to the hub was lost: {reason}").format(reason=first_line(error))
        ) from None
    except psycopg.Error as error:
        raise DatabaseUnusable(_("the hub could not do it: {reason}").format(reason=first_line(error))) from None
