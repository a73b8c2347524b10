"""`lingkaran sync` against a real PostgreSQL hub started for these tests (a temporary folder, a Unix socket):
two workers who share a case converge after diverging offline, a worker not assigned never receives the case and
cannot push into it, a handover moves the whole history and the old laptop drops the case, a removed worker
cannot sync, and no server means one line and exit 5 with nothing changed. The server is the session's
(`postgres` in tests/process/conftest.py); this module makes a hub database of its own in it."""

import itertools
import json
import sqlite3
from pathlib import Path

import pytest

from tests.helpers import row_counts

LOCAL_IDS = (
    "id",
    "case_id",
    "assessment_id",
    "goal_id",
    "member_id",
    "team_id",
    "referral_id",
    "parent_id",
    "child_id",
    "case",
    "number",
)
_names = itertools.count(1)


@pytest.fixture(scope="module")
def hub_db(postgres) -> str:
    import psycopg

    from lingkaran.store.hub.migrations import init

    with psycopg.connect(postgres.conninfo(), autocommit=True) as conn:
        conn.execute("CREATE DATABASE laptops")
    with psycopg.connect(postgres.conninfo("laptops")) as conn:
        init(conn)
    return "laptops"


class Team:
    """Workers on the module's hub, each with a laptop (a caseload file) of their own."""

    def __init__(self, server, dbname, folder: Path):
        self.server, self.dbname, self.folder = server, dbname, folder

    def admin(self):
        import psycopg

        return psycopg.connect(self.server.conninfo(self.dbname), autocommit=True)

    def add(self, prefix: str = "worker", supervisor: bool = False) -> str:
        from lingkaran.store.hub.workers import worker_add

        name = f"{prefix}_{next(_names)}"
        with self.admin() as conn:
            worker_add(conn, name, supervisor=supervisor)
        return name

    def remove(self, name: str) -> None:
        from lingkaran.store.hub.workers import worker_remove

        with self.admin() as conn:
            worker_remove(conn, name)

    def url(self, name: str) -> str:
        return self.server.conninfo(self.dbname, name)

    def laptop(self, name: str) -> Path:
        return self.folder / f"{name}.db"


@pytest.fixture
def team(postgres, hub_db, tmp_path) -> Team:
    return Team(postgres, hub_db, tmp_path)


def sync(cli, team: Team, name: str) -> dict:
    return cli.json("--db", team.laptop(name), "sync", "--hub", team.url(name))


def without_local_ids(value):
    if isinstance(value, dict):
        return {key: without_local_ids(item) for key, item in value.items() if key not in LOCAL_IDS}
    if isinstance(value, list):
        return [without_local_ids(item) for item in value]
    return value


def views(lingkaran, db: Path, case_uuid: str) -> dict:
    found = {}
    for args in (("show", case_uuid), ("log", case_uuid), ("conflicts",), ("sync", "status", "--case", case_uuid)):
        result = lingkaran("--db", db, *args, "--json")
        assert result.returncode == 0, result.stderr
        found[args[0]] = without_local_ids(json.loads(result.stdout))
    found["sync"].pop("device")
    found["sync"].pop("sequences")
    found["sync"].pop("partial")
    return found


def open_case(cli, db: Path, name: str = "Siti Rahmawati") -> str:
    return cli.json(
        "--db", db, "open", name, "--level", "mikro", "--problem", "Left school", "--consent", "--date", "2026-06-01"
    )["uuid"]


def client_names(db: Path) -> set[str]:
    conn = sqlite3.connect(db)
    try:
        return {row[0] for row in conn.execute("SELECT client FROM cases")}
    finally:
        conn.close()


def test_two_workers_who_share_a_case_converge_after_diverging_offline_and_both_see_the_conflict(cli, lingkaran, team):
    ani, budi = team.add("ani"), team.add("budi")
    case = open_case(cli, team.laptop(ani))
    cli.ok("--db", team.laptop(ani), "share", case[:8], budi)
    assert sync(cli, team, ani)["pushed"] == 2
    first = sync(cli, team, budi)
    assert first["pulled"] == 2 and first["cases"][0]["new"] is True
    # offline, each restates the problem and writes a note
    cli.ok("--db", team.laptop(ani), "assess", case[:8], "--problem", "Ani: works in the market")
    cli.ok("--db", team.laptop(ani), "note", case[:8], "Ani's visit")
    cli.ok("--db", team.laptop(budi), "assess", case[:8], "--problem", "Budi: cares for a sister")
    cli.ok("--db", team.laptop(budi), "note", case[:8], "Budi's visit")
    sync(cli, team, ani)
    budi_sync = sync(cli, team, budi)
    assert budi_sync["pulled"] == 2 and budi_sync["conflicts"]
    ani_sync = sync(cli, team, ani)
    assert ani_sync["pulled"] == 2 and ani_sync["conflicts"] == budi_sync["conflicts"]
    assert views(lingkaran, team.laptop(ani), case) == views(lingkaran, team.laptop(budi), case)
    assert views(lingkaran, team.laptop(ani), case)["conflicts"]
    again = sync(cli, team, ani)
    assert (again["pushed"], again["pulled"]) == (0, 0)


def test_a_worker_not_assigned_never_receives_the_case_and_cannot_push_into_it(cli, team, tmp_path):
    import psycopg

    ani, dewi = team.add("ani"), team.add("dewi")
    case = open_case(cli, team.laptop(ani))
    cli.ok("--db", team.laptop(ani), "note", case[:8], "Seen at home")
    sync(cli, team, ani)
    received = sync(cli, team, dewi)
    assert received["pulled"] == 0 and received["cases"] == []
    with psycopg.connect(team.url(dewi)) as conn:  # plain SQL as her own role sees nothing of it either
        assert conn.execute("SELECT count(*) FROM lingkaran.events WHERE case_uuid = %s", (case,)).fetchone()[0] == 0
    # a copy of Ani's caseload on Dewi's laptop (a bundle, say): her note on it is refused by the hub
    bundle = tmp_path / "ani.lkb"
    cli.ok("--db", team.laptop(ani), "bundle", bundle, "--plain")
    cli.ok("--db", team.laptop(dewi), "import", bundle)
    cli.ok("--db", team.laptop(dewi), "note", case[:8], "Dewi's note")
    before = row_counts(team.laptop(dewi))
    refused = cli("--db", team.laptop(dewi), "sync", "--hub", team.url(dewi))
    assert refused.exit_code == 4 and "not assigned to you" in refused.stderr and refused.stderr.count("\n") == 1
    assert row_counts(team.laptop(dewi)) == before
    with team.admin() as conn:
        assert (
            conn.execute(
                "SELECT count(*) FROM lingkaran.events WHERE case_uuid = %s AND pushed_by = %s", (case, dewi)
            ).fetchone()[0]
            == 0
        )


def test_a_handover_brings_the_whole_history_and_the_old_laptop_drops_the_case_after_its_last_push(
    cli, lingkaran, team
):
    ani, eka = team.add("ani"), team.add("eka")
    case = open_case(cli, team.laptop(ani), "Rina Handayani")
    kept = open_case(cli, team.laptop(ani), "Tono Wibowo")
    cli.ok("--db", team.laptop(ani), "note", case[:8], "Before the handover")
    sync(cli, team, ani)
    cli.ok("--db", team.laptop(ani), "note", case[:8], "Last note, offline")
    cli.ok("--db", team.laptop(ani), "handover", case[:8], eka)
    handed = sync(cli, team, ani)
    assert handed["pushed"] == 2 and [item["uuid"] for item in handed["dropped"]] == [case]
    listed = cli.json("--db", team.laptop(ani), "list", "--all")
    assert [item["uuid"] for item in listed] == [kept]
    assert b"Rina Handayani" not in team.laptop(ani).read_bytes()
    assert b"Last note, offline" not in team.laptop(ani).read_bytes()
    assert lingkaran("--db", team.laptop(ani), "check").returncode == 0
    received = sync(cli, team, eka)
    assert received["pulled"] == 4 and received["cases"][0]["new"] is True
    log = cli.json("--db", team.laptop(eka), "log", case[:8])
    assert {"Before the handover", "Last note, offline"} <= {item["data"].get("text") for item in log}
    assert client_names(team.laptop(eka)) == {"Rina Handayani"}
    assert sync(cli, team, ani)["dropped"] == []


def test_a_removed_worker_cannot_sync_and_the_laptop_goes_on_offline(cli, lingkaran, team):
    fajar = team.add("fajar")
    case = open_case(cli, team.laptop(fajar))
    sync(cli, team, fajar)
    team.remove(fajar)
    cli.ok("--db", team.laptop(fajar), "note", case[:8], "Written after leaving")
    before = row_counts(team.laptop(fajar))
    result = lingkaran("--db", team.laptop(fajar), "sync", "--hub", team.url(fajar))
    assert result.returncode == 5 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stdout == "" and row_counts(team.laptop(fajar)) == before


def test_without_a_server_sync_says_so_in_one_line_exits_5_and_changes_nothing(lingkaran, cli, tmp_path):
    db = tmp_path / "offline.db"
    open_case(cli, db)
    before = row_counts(db)
    result = lingkaran("--db", db, "sync", "--hub", f"host={tmp_path} dbname=none user=nobody")
    assert result.returncode == 5, result.stderr
    assert result.stderr.startswith("lingkaran: ") and result.stderr.count("\n") == 1
    assert result.stdout == "" and row_counts(db) == before
    assert lingkaran("--db", db, "note", "1", "Still working offline").returncode == 0


def test_sync_needs_a_hub_address_and_refuses_one_with_a_password(cli, db_path):
    open_case(cli, db_path)
    missing = cli("sync")
    assert missing.exit_code == 2 and "config set hub" in missing.stderr
    with_password = cli("sync", "--hub", "postgresql://ani:secret@hub.example/agency")
    assert with_password.exit_code == 2 and "secret" not in with_password.output
    cli.ok("config", "set", "hub", "host=/nowhere dbname=agency")
    assert cli("sync").exit_code == 5


SCHEMA_6 = Path(__file__).parents[1] / "data" / "caseload-schema-6.db"


def hub_events(team: Team, case_uuid: str | None = None) -> int:
    with team.admin() as conn:
        if case_uuid is None:
            return conn.execute("SELECT count(*) FROM lingkaran.events").fetchone()[0]
        return conn.execute("SELECT count(*) FROM lingkaran.events WHERE case_uuid = %s", (case_uuid,)).fetchone()[0]


def test_legacy_events_travel_under_a_pseudo_device_and_arrive_as_legacy_events_with_the_same_digest(
    cli, lingkaran, team
):
    import shutil

    gita, hadi = team.add("gita"), team.add("hadi")
    shutil.copyfile(SCHEMA_6, team.laptop(gita))
    team.laptop(gita).chmod(0o600)
    cases = cli.json("--db", team.laptop(gita), "list", "--all")
    case = cases[0]["uuid"]
    cli.ok("--db", team.laptop(gita), "share", case[:8], hadi)
    pushed = sync(cli, team, gita)
    legacy = cli.json("--db", team.laptop(gita), "sync", "status")["legacy_events"]
    imports = sqlite3.connect(team.laptop(gita)).execute("SELECT count(*) FROM events WHERE kind = 'import'")
    travelling = cli.json("--db", team.laptop(gita), "sync", "status")["events"] - imports.fetchone()[0]
    assert legacy > 0 and pushed["pushed"] == travelling  # an import event is the file's own bookkeeping
    with team.admin() as conn:
        devices_on_hub = {
            row[0] for row in conn.execute("SELECT DISTINCT device FROM lingkaran.events WHERE pushed_by = %s", (gita,))
        }
    assert any(device.startswith("legacy:") for device in devices_on_hub)
    sync(cli, team, hadi)
    status = {name: cli.json("--db", team.laptop(name), "sync", "status", "--case", case) for name in (gita, hadi)}
    assert status[gita]["digest"] == status[hadi]["digest"] and status[hadi]["legacy_events"] > 0
    assert lingkaran("--db", team.laptop(hadi), "check").returncode == 0
    assert sync(cli, team, gita)["pushed"] == 0  # what came back from the hub is not pushed again


def test_a_sync_killed_after_the_hub_stored_the_push_is_completed_by_the_retry_without_duplicates(
    cli, team, monkeypatch
):
    from lingkaran.store import hub_state

    ida = team.add("ida")
    case = open_case(cli, team.laptop(ida))
    cli.ok("--db", team.laptop(ida), "note", case[:8], "Before the kill")

    def killed(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(hub_state, "mark_pushed", killed)
    assert cli("--db", team.laptop(ida), "sync", "--hub", team.url(ida)).exit_code == 130
    assert hub_events(team, case) == 2
    monkeypatch.undo()
    retried = sync(cli, team, ida)
    assert (retried["pushed"], retried["stored_on_hub"]) == (2, 0) and hub_events(team, case) == 2
    assert sync(cli, team, ida)["pushed"] == 0


def test_a_case_pulled_from_the_hub_is_found_by_search_as_if_written_here(cli, team):
    ani, joko = team.add("ani"), team.add("joko")
    case = open_case(cli, team.laptop(ani), "Wulan Sari")
    cli.ok("--db", team.laptop(ani), "note", case[:8], "Bersekolah lagi sejak Senin")
    cli.ok("--db", team.laptop(ani), "share", case[:8], joko)
    sync(cli, team, ani)
    assert sync(cli, team, joko)["cases"][0]["new"] is True
    hits = cli.json("--db", team.laptop(joko), "search", "sekolah")  # the note, and the problem "Left school"
    assert {hit["case_id"] for hit in hits} == {cli.json("--db", team.laptop(joko), "show", case)["id"]}
    assert len(hits) == 1


def test_a_first_pull_in_pages_stopped_half_way_resumes_and_ends_as_one_pull_would(cli, lingkaran, team, monkeypatch):
    from lingkaran.casework import hub_sync
    from lingkaran.store.hub import sync as hub

    kiki, lala = team.add("kiki"), team.add("lala")
    cases = []
    for name in ("Ani", "Budi", "Citra"):
        case = open_case(cli, team.laptop(kiki), name)
        cases.append(case)
        cli.ok("--db", team.laptop(kiki), "note", case[:8], "Seen at home")
        cli.ok("--db", team.laptop(kiki), "share", case[:8], lala)
        sync(cli, team, kiki)  # one hub transaction a case: three events each
    monkeypatch.setattr(hub, "PAGE", 2)
    merged_pages = []
    real_page = hub_sync._merge_page

    def stopped_after_two(*args, **kwargs):
        if len(merged_pages) == 2:
            raise KeyboardInterrupt
        merged_pages.append(args[2])
        return real_page(*args, **kwargs)

    monkeypatch.setattr(hub_sync, "_merge_page", stopped_after_two)
    assert cli("--db", team.laptop(lala), "sync", "--hub", team.url(lala)).exit_code == 130
    assert [len(page) for page in merged_pages] == [3, 3]
    assert len(cli.json("--db", team.laptop(lala), "list", "--all")) == 2  # two pages in, each whole
    monkeypatch.setattr(hub_sync, "_merge_page", real_page)
    resumed = sync(cli, team, lala)
    assert (resumed["pulled"], resumed["already_here"]) == (3, 0)
    for case in cases:
        assert views(lingkaran, team.laptop(lala), case) == views(lingkaran, team.laptop(kiki), case)
    assert sync(cli, team, lala)["pulled"] == 0


def heads_and_runs(db: Path, devices: list[str]) -> tuple[list, list]:
    conn = sqlite3.connect(db)
    try:
        heads = conn.execute("SELECT case_uuid, event_uuid FROM case_heads ORDER BY 1, 2").fetchall()
        marks = ", ".join("?" * len(devices))
        runs = conn.execute(
            f"SELECT device, contiguous FROM device_sequences WHERE device IN ({marks}) ORDER BY 1", devices
        ).fetchall()
        return heads, runs
    finally:
        conn.close()


def test_a_new_laptops_first_pull_leaves_the_heads_and_runs_a_merge_one_event_at_a_time_leaves(cli, team):
    """A first pull into an empty caseload is checked from memory (store/arrivals.py, IntoEmpty) and brings
    events by case, so each device's events arrive out of its order: it must end as the one-by-one merge did."""
    ani, budi, cici = team.add("ani"), team.add("budi"), team.add("cici")
    cases = [open_case(cli, team.laptop(ani), name) for name in ("Ani", "Budi")]
    for case in cases:
        cli.ok("--db", team.laptop(ani), "share", case[:8], budi)
    sync(cli, team, ani)
    sync(cli, team, budi)
    for case in reversed(cases):  # both laptops write to both cases while apart: concurrent heads
        cli.ok("--db", team.laptop(ani), "note", case[:8], "Ani's visit")
        cli.ok("--db", team.laptop(budi), "note", case[:8], "Budi's visit")
    sync(cli, team, ani)
    sync(cli, team, budi)
    sync(cli, team, ani)
    for case in cases:
        cli.ok("--db", team.laptop(ani), "share", case[:8], cici)
    sync(cli, team, ani)
    assert sync(cli, team, cici)["pulled"] >= 8
    writers = [
        sqlite3.connect(team.laptop(name)).execute("SELECT device FROM this_device").fetchone()[0]
        for name in (ani, budi)
    ]
    assert heads_and_runs(team.laptop(cici), writers) == heads_and_runs(team.laptop(ani), writers)
    runs = dict(heads_and_runs(team.laptop(cici), writers)[1])
    assert [runs[device] for device in writers] == [8, 2]  # ani: two opens, shares, notes, shares; budi: notes
