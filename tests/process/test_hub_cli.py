"""`lingkaran hub` as a person types it: init, worker add and remove, status; and its refusals, one line each."""

import json
import os
import stat

import psycopg
import pytest

from tests.helpers import loaded_modules, packages


@pytest.fixture
def fresh_hub(postgres) -> str:
    """A database of its own that `hub init` has not touched yet."""
    with psycopg.connect(postgres.conninfo(), autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS cli_hub")
        conn.execute("CREATE DATABASE cli_hub")
    return postgres.conninfo("cli_hub")


def test_hub_init_through_the_installed_command_then_again(fresh_hub, lingkaran):
    first = lingkaran("hub", "init", fresh_hub)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("Hub ready: schema version 8")
    again = lingkaran("hub", "init", fresh_hub, "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout) == {"schema_version": 8, "applied": [], "restored_events_renumbered": 0}


def test_a_database_that_is_not_a_hub_yet_says_to_run_init(fresh_hub, cli):
    result = cli("hub", "status", "--hub", fresh_hub)
    assert result.exit_code == 5 and "not a lingkaran hub yet: run `lingkaran hub init URL`" in result.stderr


def test_worker_add_writes_the_password_once_to_a_private_file_and_it_logs_in(cli, hub, tmp_path):
    secret = tmp_path / "ana.password"
    result = cli("hub", "worker", "add", "cli_ana", "--password-file", secret, "--hub", hub.url())
    assert result.exit_code == 0, result.stderr
    password = secret.read_text().strip()
    assert password not in result.stdout and len(password) >= 24
    assert stat.S_IMODE(os.stat(secret).st_mode) == 0o600
    admin = hub.connect()
    assert admin.execute(
        "SELECT rolcanlogin, rolpassword LIKE 'SCRAM-SHA-256$%%' FROM pg_authid WHERE rolname = 'cli_ana'"
    ).fetchone() == (True, True)
    again = cli("hub", "worker", "add", "cli_ana", "--password-file", secret, "--hub", hub.url())
    assert again.exit_code == 2 and "already exists" in again.stderr
    assert secret.read_text().strip() == password


def test_worker_add_shows_the_password_once_and_status_lists_the_worker(cli, hub):
    shown = cli.json("hub", "worker", "add", "cli_head", "--supervisor", "--hub", hub.url())
    assert shown["worker"] == "cli_head" and shown["role"] == "supervisor" and len(shown["password"]) >= 24
    report = cli.json("hub", "status", "--hub", hub.url())
    listed = next(worker for worker in report["workers"] if worker["name"] == "cli_head")
    assert listed == {
        "name": "cli_head",
        "role": "supervisor",
        "active": True,
        "events_pushed": 0,
        "cases": 0,
        "last_sync": None,
    }
    assert shown["password"] not in json.dumps(report)
    human = cli("hub", "status", "--hub", hub.url())
    assert human.exit_code == 0 and "cli_head supervisor: 0 events pushed, 0 cases, last sync never" in human.stdout


def test_worker_remove_ends_access_and_status_says_so(cli, hub):
    cli.ok("config", "set", "hub", hub.url())  # the remembered hub
    cli.ok("hub", "worker", "add", "cli_budi")
    removed = cli("hub", "worker", "remove", "cli_budi")
    assert removed.exit_code == 0 and "can no longer connect" in removed.stderr
    with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
        psycopg.connect(hub.url("cli_budi"))
    listed = [worker for worker in cli.json("hub", "status")["workers"] if worker["name"] == "cli_budi"]
    assert listed[0]["active"] is False


@pytest.mark.parametrize("name", ["Ana", "1ana", "pg_ana", "postgres", "lingkaran_owner", "ana-b", "a" * 64, "ana;"])
def test_a_name_that_cannot_be_a_role_is_refused_before_the_hub_is_asked(cli, name):
    result = cli("hub", "worker", "add", name, "--hub", "host=/nonexistent dbname=x")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "cannot name a hub worker" in result.stderr


def test_a_role_lingkaran_did_not_make_is_not_taken_over(cli, hub):
    hub.connect().execute(
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'dba') "
        "THEN CREATE ROLE dba LOGIN; END IF; END $$"
    )
    result = cli("hub", "worker", "add", "dba", "--hub", hub.url())
    assert result.exit_code == 2 and "is not a hub worker" in result.stderr


def test_no_hub_reachable_is_one_line_and_exit_5(lingkaran, tmp_path):
    result = lingkaran("hub", "status", "--hub", f"host={tmp_path} dbname=hub connect_timeout=2")
    assert result.returncode == 5
    assert result.stderr.startswith(f"lingkaran: cannot connect to the hub {tmp_path}/hub: ")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_a_password_in_the_hub_address_is_refused_and_never_repeated(cli):
    for url in ("postgresql://ana:s3cret@hub.example.org/agency", "host=hub dbname=agency password=s3cret"):
        for args in (("hub", "status", "--hub", url), ("config", "set", "hub", url)):
            result = cli(*args)
            assert result.exit_code == 2, args
            assert "password file" in result.stderr and "s3cret" not in result.stderr + result.stdout


def test_no_hub_at_all_says_how_to_give_one(cli):
    result = cli("hub", "status")
    assert result.exit_code == 2 and "config set hub URL" in result.stderr


def test_commands_that_do_not_talk_to_the_hub_never_load_psycopg(tmp_path, cli):
    cli.ok("config", "set", "hub", "host=/tmp dbname=agency")
    for args in (("list", "--json"), ("config", "list", "--json"), ("hub", "--help"), ("hub", "worker", "--help")):
        assert "psycopg" not in packages(loaded_modules(tmp_path, *args)), args
    assert "psycopg" in packages(loaded_modules(tmp_path, "hub", "status", "--hub", f"host={tmp_path} dbname=x"))
