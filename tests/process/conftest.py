"""One real PostgreSQL for the whole session (a temporary folder, a Unix socket), and a hub database in it."""

import itertools

import pytest

from tests.postgres_server import PostgresServer, find_binaries
from tests.process.hub_events import Device

HUB_DATABASE = "hub"
_names = itertools.count(1)


@pytest.fixture(scope="session")
def postgres():
    """The session's PostgreSQL server; the hub tests skip only when no server programs exist at all."""
    binaries = find_binaries()
    if binaries is None:
        pytest.skip("no PostgreSQL server programs (initdb, pg_ctl) on PATH or under /usr/lib/postgresql/*/bin")
    server = PostgresServer(binaries).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def hub_database(postgres) -> str:
    """A database made a hub once for the session; tests keep apart by their own workers and cases."""
    import psycopg

    from lingkaran.store.hub.migrations import init

    with psycopg.connect(postgres.conninfo(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {HUB_DATABASE}")
    with psycopg.connect(postgres.conninfo(HUB_DATABASE)) as conn:
        init(conn)
    return postgres.conninfo(HUB_DATABASE)


class Hub:
    """The session hub seen by one test: its admin, workers with names of their own, connections closed after."""

    def __init__(self, server: PostgresServer, dbname: str):
        self.server, self.dbname, self.connections = server, dbname, []

    def url(self, user: str | None = None) -> str:
        return self.server.conninfo(self.dbname, user)

    def connect(self, user: str | None = None, autocommit: bool = True):
        """A connection as `user` (default: the superuser); in autocommit, as lingkaran's sync uses it."""
        import psycopg

        conn = psycopg.connect(self.url(user), autocommit=autocommit)
        self.connections.append(conn)
        return conn

    def admin(self):
        return self.connect()

    def worker(self, prefix: str = "worker", supervisor: bool = False) -> str:
        """A new worker (or supervisor) role, named uniquely for this session."""
        from lingkaran.store.hub.workers import worker_add

        name = f"{prefix}_{next(_names)}"
        worker_add(self.admin(), name, supervisor=supervisor)
        return name

    def close(self) -> None:
        for conn in self.connections:
            conn.close()


@pytest.fixture
def hub(postgres, hub_database) -> Hub:
    helper = Hub(postgres, "hub")
    yield helper
    helper.close()


@pytest.fixture
def device() -> Device:
    return Device()


@pytest.fixture
def new_device():
    return Device
