"""A hub restored from a backup, and a supervisor's laptop, through `lingkaran sync` against a real PostgreSQL.

A hub restored from an older backup has lost the events pushed after it: each laptop notices (the last event
it pushed, or the one at its pull cursor, is gone) and sends again what the hub lacks. A backup restored into
another cluster carries transaction ids that cluster has not reached: sync refuses with one line until `hub init`
renumbers them, then every laptop reads its cases again. A supervisor, who holds no case, pushes reviews and
pulls every case like any laptop.
"""

import itertools
import json
import subprocess
from pathlib import Path

import pytest

from tests.helpers import row_counts
from tests.postgres_server import PostgresServer

_databases = itertools.count(1)


class Agency:
    """A hub database of its own in a server, its workers' laptops under tmp_path."""

    def __init__(self, server: PostgresServer, folder: Path):
        self.server, self.folder = server, folder
        self.dbname = f"restored_{next(_databases)}"
        self.admin_sql(f"CREATE DATABASE {self.dbname}", "postgres")

    def admin_sql(self, statement: str, dbname: str | None = None, params: tuple = ()):
        import psycopg

        with psycopg.connect(self.server.conninfo(dbname or self.dbname), autocommit=True) as conn:
            rows = conn.execute(statement, params)
            return rows.fetchall() if rows.description else None

    def url(self, role: str | None = None) -> str:
        return self.server.conninfo(self.dbname, role)

    def laptop(self, name: str) -> Path:
        return self.folder / f"{name}.db"

    def events(self, case_uuid: str) -> int:
        return self.admin_sql("SELECT count(*) FROM lingkaran.events WHERE case_uuid = %s", params=(case_uuid,))[0][0]

    def dump(self, to: Path) -> None:
        tool = self.server.binaries / "pg_dump"
        subprocess.run([tool, "--format=custom", f"--file={to}", f"--dbname={self.url()}"], check=True, timeout=120)

    def restore(self, dump: Path) -> None:
        """What the docs say: an empty database, pg_restore, then `hub init` (run by the test)."""
        self.admin_sql(f"DROP DATABASE {self.dbname} WITH (FORCE)", "postgres")
        self.admin_sql(f"CREATE DATABASE {self.dbname}", "postgres")
        tool = self.server.binaries / "pg_restore"
        subprocess.run([tool, f"--dbname={self.url()}", str(dump)], check=True, timeout=120)


@pytest.fixture
def agency(postgres, tmp_path, lingkaran) -> Agency:
    made = Agency(postgres, tmp_path)
    assert lingkaran("hub", "init", made.url()).returncode == 0
    return made


def worker(lingkaran, agency: Agency, name: str, *flags: str) -> str:
    added = lingkaran("hub", "worker", "add", name, *flags, "--hub", agency.url(), "--json")
    assert added.returncode == 0, added.stderr
    return name


def sync(lingkaran, agency: Agency, name: str, url: str | None = None) -> dict:
    result = lingkaran("--db", agency.laptop(name), "sync", "--hub", url or agency.url(name), "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def open_case(cli, db: Path) -> str:
    opened = cli.json("--db", db, "open", "Siti Rahmawati", "--level", "mikro", "--problem", "Left school", "--consent")
    return opened["uuid"]


def test_a_supervisor_pulls_every_case_and_her_review_reaches_the_worker(cli, lingkaran, agency):
    ani, head = worker(lingkaran, agency, "ani_s"), worker(lingkaran, agency, "head_s", "--supervisor")
    case = open_case(cli, agency.laptop(ani))
    cli.ok("--db", agency.laptop(ani), "note", case[:8], "Home visit with the mother")
    sync(lingkaran, agency, ani)
    pulled = sync(lingkaran, agency, head)
    assert pulled["pulled"] == 2 and pulled["cases"][0]["new"] is True
    cli.ok(
        "--db",
        agency.laptop(head),
        "review",
        case[:8],
        "--by",
        "Bu Head",
        "--comment",
        "Visit the school too",
        "--decision",
        "continue",
    )
    pushed = sync(lingkaran, agency, head)
    assert (pushed["pushed"], pushed["stored_on_hub"]) == (1, 1)
    back = sync(lingkaran, agency, ani)
    assert back["pulled"] == 1
    log = cli.json("--db", agency.laptop(ani), "log", case[:8])
    assert any(item["data"].get("comment") == "Visit the school too" for item in log)
    assert sync(lingkaran, agency, head)["pushed"] == 0


def test_a_hub_restored_from_an_older_backup_gets_back_from_the_laptops_what_it_lost(cli, lingkaran, agency, tmp_path):
    ani, budi = worker(lingkaran, agency, "ani_r"), worker(lingkaran, agency, "budi_r")
    case = open_case(cli, agency.laptop(ani))
    cli.ok("--db", agency.laptop(ani), "share", case[:8], budi)
    sync(lingkaran, agency, ani)
    agency.dump(tmp_path / "hub.dump")
    cli.ok("--db", agency.laptop(ani), "note", case[:8], "Written after the backup")
    sync(lingkaran, agency, ani)
    assert sync(lingkaran, agency, budi)["pulled"] == 3
    agency.restore(tmp_path / "hub.dump")
    assert lingkaran("hub", "init", agency.url()).returncode == 0
    assert agency.events(case) == 2  # the note is gone from the hub

    refilled = sync(lingkaran, agency, budi)  # Budi only pulled the note: he sends it back all the same
    assert refilled["hub_went_back"] is True and refilled["stored_on_hub"] == 1 and refilled["pulled"] == 0
    assert agency.events(case) == 3
    again = sync(lingkaran, agency, ani)
    assert again["hub_went_back"] is True and again["stored_on_hub"] == 0
    quiet = sync(lingkaran, agency, ani)
    assert (quiet["hub_went_back"], quiet["pushed"], quiet["pulled"]) == (False, 0, 0)


def burn_transactions(agency: Agency, count: int) -> None:
    """Move the cluster's transaction counter on, as months of use would."""
    agency.admin_sql(f"DO $$ BEGIN FOR i IN 1..{count} LOOP PERFORM pg_current_xact_id(); COMMIT; END LOOP; END $$")


def moved_to(server: PostgresServer, agency: Agency, roles: str, dump: Path) -> Agency:
    """The hub restored on another server as docs/hub.md says: its roles, an empty database, pg_restore."""
    moved = Agency.__new__(Agency)
    moved.server, moved.folder, moved.dbname = server, agency.folder, agency.dbname
    psql = subprocess.run(
        [server.binaries / "psql", "-q", f"--dbname={server.conninfo()}"], input=roles, capture_output=True, text=True
    )
    assert "lingkaran_owner" not in psql.stderr  # the only complaint allowed: the superuser exists already
    moved.admin_sql(f"CREATE DATABASE {moved.dbname}", "postgres")
    subprocess.run([server.binaries / "pg_restore", f"--dbname={moved.url()}", dump], check=True, timeout=120)
    return moved


def test_a_hub_restored_into_a_new_server_is_refused_until_hub_init_then_every_laptop_reads_again(
    cli, lingkaran, agency, postgres, tmp_path, monkeypatch
):
    ani, head = worker(lingkaran, agency, "ani_n"), worker(lingkaran, agency, "head_n", "--supervisor")
    address = {name: f"dbname={agency.dbname} user={name}" for name in (ani, head)}  # the server: PGHOST
    monkeypatch.setenv("PGHOST", str(postgres.folder))
    burn_transactions(agency, 5000)
    case = open_case(cli, agency.laptop(ani))
    sync(lingkaran, agency, ani, address[ani])
    assert sync(lingkaran, agency, head, address[head])["pulled"] == 1
    roles = subprocess.run(
        [postgres.binaries / "pg_dumpall", "--roles-only", f"--dbname={postgres.conninfo()}"],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    agency.dump(tmp_path / "hub.dump")
    with PostgresServer(postgres.binaries) as new_server:
        moved = moved_to(new_server, agency, roles, tmp_path / "hub.dump")
        monkeypatch.setenv("PGHOST", str(new_server.folder))  # the hub's name stays, the server behind it changed
        cli.ok("--db", moved.laptop(ani), "note", case[:8], "Written while the hub was down")
        before = row_counts(moved.laptop(ani))
        refused = lingkaran("--db", moved.laptop(ani), "sync", "--hub", address[ani])
        assert refused.returncode == 5 and "hub init" in refused.stderr and refused.stderr.count("\n") == 1
        assert row_counts(moved.laptop(ani)) == before

        renumbered = lingkaran("hub", "init", moved.url(), "--json")
        assert json.loads(renumbered.stdout)["restored_events_renumbered"] == 1
        after = sync(lingkaran, moved, ani, address[ani])
        assert after["hub_went_back"] is True and after["stored_on_hub"] == 1
        seen = sync(lingkaran, moved, head, address[head])
        assert seen["hub_went_back"] is True and seen["pulled"] == 1 and seen["already_here"] == 1
        digests = {
            name: cli.json("--db", moved.laptop(name), "sync", "status", "--case", case)["digest"]
            for name in (ani, head)
        }
        assert digests[ani] == digests[head]
