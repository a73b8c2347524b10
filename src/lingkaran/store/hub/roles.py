"""What a laptop asks the hub about the role it connects as (beside push and pull in `sync`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lingkaran.store.hub.connection import hub_errors
from lingkaran.store.hub.migrations import SUPERVISOR

if TYPE_CHECKING:
    import psycopg


def is_supervisor(conn: psycopg.Connection) -> bool:
    """Whether the connected role reads every case (a supervisor's laptop holds what it pulls and drops none)."""
    with hub_errors(), conn.transaction():
        row = conn.execute("SELECT pg_has_role(current_user, %s, 'MEMBER')", (SUPERVISOR,)).fetchone()
        return bool(row and row[0])
