"""The hub's people: a PostgreSQL login role per worker, in the worker or supervisor group; and its status."""

from __future__ import annotations

import re
import secrets
from typing import TYPE_CHECKING

from lingkaran.errors import InvalidInput
from lingkaran.messages import _
from lingkaran.store.hub.connection import hub_errors
from lingkaran.store.hub.migrations import GROUP_ROLES, SCHEMA, SUPERVISOR, WORKER, applied

if TYPE_CHECKING:
    import psycopg

ROLE_NAME = re.compile(r"[a-z][a-z0-9_]{0,62}")
RESERVED = ("postgres", "public", "none", "current_user", "session_user")


def checked_name(name: str) -> str:
    """A worker's name as a role name: lowercase letters, digits and _, starting with a letter, not reserved."""
    if not ROLE_NAME.fullmatch(name) or name.startswith("pg_") or name in RESERVED or name in GROUP_ROLES:
        raise InvalidInput(
            _(
                "{name!r} cannot name a hub worker: use lowercase letters, digits and _, starting "
                "with a letter (at most 63), and not a name PostgreSQL reserves"
            ).format(name=name)
        )
    return name


def new_password() -> str:
    """A generated password: 32 characters, about 190 bits."""
    return secrets.token_urlsafe(24)


def worker_add(conn: psycopg.Connection, name: str, supervisor: bool = False, password: str | None = None) -> str:
    """Create (or re-enable) a worker's login role with a password; returns the password.

    Only the SCRAM verifier reaches the server, so the password is in no statement log.
    """
    from psycopg import sql

    name, password = checked_name(name), password or new_password()
    verifier = conn.pgconn.encrypt_password(password.encode(), name.encode(), b"scram-sha-256").decode()
    with hub_errors(), conn.transaction():
        _refuse_foreign_or_active(conn, name)
        role = sql.Identifier(name)
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
        verb = "ALTER" if exists else "CREATE"
        conn.execute(sql.SQL(verb + " ROLE {} LOGIN PASSWORD {}").format(role, sql.Literal(verifier)))
        group, other = (SUPERVISOR, WORKER) if supervisor else (WORKER, SUPERVISOR)
        conn.execute(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(other), role))
        conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(group), role))
        conn.execute(
            f"""INSERT INTO {SCHEMA}.workers (name, supervisor) VALUES (%s, %s)
                         ON CONFLICT (name) DO UPDATE SET supervisor = excluded.supervisor, added_at = now(),
                         removed_at = NULL""",
            (name, supervisor),
        )
    return password


def _refuse_foreign_or_active(conn: psycopg.Connection, name: str) -> None:
    """Refuse a name that is an active worker already, or a role lingkaran did not make."""
    known = conn.execute(f"SELECT removed_at IS NULL FROM {SCHEMA}.workers WHERE name = %s", (name,)).fetchone()
    if known and known[0]:
        raise InvalidInput(
            _("{name} is already a hub worker; remove them first to give a new password").format(name=name)
        )
    if not known and conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone():
        raise InvalidInput(
            _("a PostgreSQL role named {name} exists and is not a hub worker; choose another name").format(name=name)
        )


def worker_remove(conn: psycopg.Connection, name: str) -> None:
    """End a worker's access: no login, out of both groups, open sessions ended. What they pushed stays."""
    from psycopg import sql

    name = checked_name(name)
    with hub_errors(), conn.transaction():
        known = conn.execute(f"SELECT 1 FROM {SCHEMA}.workers WHERE name = %s", (name,)).fetchone()
        if not known:
            raise InvalidInput(_("{name} is not a hub worker").format(name=name))
        role = sql.Identifier(name)
        conn.execute(sql.SQL("ALTER ROLE {} NOLOGIN PASSWORD NULL").format(role))
        for group in (WORKER, SUPERVISOR):
            conn.execute(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(group), role))
        conn.execute(f"UPDATE {SCHEMA}.workers SET removed_at = coalesce(removed_at, now()) WHERE name = %s", (name,))
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", (name,))


def status(conn: psycopg.Connection) -> dict:
    """What the hub holds: its schema steps, events, cases, erased cases, and each worker's pushes and syncs."""
    with hub_errors(), conn.transaction():
        steps = applied(conn)
        events, cases = conn.execute(f"SELECT count(*), count(DISTINCT case_uuid) FROM {SCHEMA}.events").fetchone() or (
            0,
            0,
        )  # an aggregate always has its row
        erased = (conn.execute(f"SELECT count(*) FROM {SCHEMA}.tombstones").fetchone() or (0,))[0]
        # One pass over events and assignments, not one per worker (status stays quick at a million events).
        workers = conn.execute(f"""
            WITH pushed AS (SELECT pushed_by, count(*) AS events FROM {SCHEMA}.events GROUP BY pushed_by),
                 held AS (SELECT worker, count(*) AS cases FROM {SCHEMA}.assignments GROUP BY worker)
            SELECT w.name, w.supervisor, w.removed_at IS NULL, coalesce(p.events, 0), coalesce(h.cases, 0),
                   to_char(greatest(s.last_push, s.last_pull) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
            FROM {SCHEMA}.workers w LEFT JOIN {SCHEMA}.syncs s ON s.worker = w.name
                 LEFT JOIN pushed p ON p.pushed_by = w.name LEFT JOIN held h ON h.worker = w.name
            ORDER BY w.name""").fetchall()
    return {
        "schema_version": len(steps),
        "migrations": steps,
        "events": events,
        "cases": cases,
        "erased_cases": erased,
        "workers": [
            {
                "name": name,
                "role": "supervisor" if supervisor else "worker",
                "active": active,
                "events_pushed": pushed,
                "cases": held,
                "last_sync": last,
            }
            for name, supervisor, active, pushed, held, last in workers
        ],
    }
