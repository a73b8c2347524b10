#!/usr/bin/env python3
"""Issue 16's fourth target: what merging a day's work and syncing with the hub cost, beside `show`, by size.

    .venv/bin/python benchmarks/sync_cost.py --cases 1000,10000     # 5 rounds after a warm-up, each size
    .venv/bin/python benchmarks/sync_cost.py --cases 200 --runs 1   # does it all work?

For each size, on the generated caseload (benchmarks/generate.py, reused from run.py's work folder), timed in
the same rounds as whole processes of the installed command:
- `show` of a case: what every ratio is measured against;
- `import` of one day's work from a colleague (50 notes over 10 cases, `bundle --since` this caseload's
  `sync status`), into a fresh copy of the caseload each round: as a plain bundle, and sealed with a passphrase
  (its memory-hard key derivation is a fixed cost, by design);
- `sync` against a temporary PostgreSQL hub holding every case: with nothing new, and after a day's work (before
  each round, untimed: 50 notes written on this laptop and 50 by a colleague who synced them);
- a new worker's first `sync`, pulling 200 cases assigned to them (about 29 events a case), into a new file;
- the floor under every `sync`: Python starting and loading psycopg, which any hub client in Python pays.
Needs the `test` extra (psycopg) and PostgreSQL's server programs (tests/postgres_server.py finds them).
"""

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src"), str(Path(__file__).parent)]

import run  # noqa: E402
from tests.postgres_server import PostgresServer, find_binaries  # noqa: E402

DAY_CASES, NOTES_A_CASE, NEW_WORKER_CASES = 10, 5, 200
TARGETS = {"import-day": 2.0, "sync-day": 3.0, "sync-nothing": 1.5}  # ratio to `show` (issue 16, target 4)
FIRST_PULL_SECONDS = 3.0
PASSPHRASE = "kunjungan rumah setiap kamis"


class Sizes:
    """The files of one caseload size: the caseload, its copies, the bundles, and the `lingkaran` runner."""

    def __init__(self, work: Path, cases: int, env: dict, today: dt.date):
        self.work, self.cases, self.env, self.today = work / f"sync-{cases}", cases, env, today
        self.work.mkdir(parents=True, exist_ok=True)
        self.base = run.prepare_caseload(work, cases, today)
        self.command = run.lingkaran_command()

    def lingkaran(self, db: Path, *args: str) -> str:
        done = subprocess.run([*self.command, "--db", str(db), *map(str, args)], env=self.env, capture_output=True,
                              text=True)
        if done.returncode != 0:
            sys.exit(f"lingkaran {' '.join(map(str, args))}: {done.stderr.strip()}")
        return done.stdout

    def copy(self, name: str) -> Path:
        target = self.work / name
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(self.base, target)
        target.chmod(0o600)
        os.sync()  # else the copy's dirty pages are flushed by the timed command's first fsync (0.5 s at 10,000)
        return target

    def active_cases(self, count: int) -> list[str]:
        listed = json.loads(self.lingkaran(self.base, "list", "--json"))
        return [case["uuid"] for case in listed[:count]]


def write_day(db: Path, case_uuids: list[str], today: dt.date, author: str) -> None:
    """A day's work: NOTES_A_CASE notes on each case, through the code `lingkaran note` runs."""
    from lingkaran.casework import notes
    from lingkaran.store.database import connect

    conn = connect(db)
    try:
        for case_uuid in case_uuids:
            for number in range(NOTES_A_CASE):
                notes.add_note(conn, case_uuid, text=f"{author}: {run.NOTE} ({number})", on=today)
    finally:
        conn.close()


def bundle_jobs(size: Sizes, cases: list[str]) -> list[run.Job]:
    """`import` of a colleague's day as a plain and as a sealed bundle, each into a fresh copy every round."""
    colleague = size.copy("colleague.db")
    write_day(colleague, cases, size.today, "colleague")
    status = size.work / "status.json"
    status.write_text(size.lingkaran(size.base, "sync", "status", "--json"))
    passphrase = size.work / "passphrase"
    passphrase.write_text(PASSPHRASE + "\n")
    passphrase.chmod(0o600)
    plain, sealed = size.work / "day-plain.lkb", size.work / "day-sealed.lkb"
    for made in (plain, sealed):
        made.unlink(missing_ok=True)
    size.lingkaran(colleague, "bundle", plain, "--plain", "--since", status)
    size.lingkaran(colleague, "bundle", sealed, "--passphrase-file", passphrase, "--since", status)
    target = size.work / "target.db"

    def fresh_target() -> None:
        size.copy("target.db")

    return [
        run.Job("import-day", f"lingkaran import {plain.name} (a day: 50 notes, 10 cases)",
                lambda: [*size.command, "--db", str(target), "import", str(plain)], size.env, before=fresh_target),
        run.Job("import-day-sealed", f"lingkaran import {sealed.name} --passphrase-file FILE",
                lambda: [*size.command, "--db", str(target), "import", str(sealed), "--passphrase-file",
                         str(passphrase)], size.env, before=fresh_target),
    ]


def hub_jobs(size: Sizes, server: PostgresServer, cases: list[str]) -> list[run.Job]:
    """Sync with nothing new, sync after a day, and a new worker's first pull, against a hub holding every case."""
    import psycopg

    from lingkaran.store.hub import connection, migrations, workers

    database = f"hub_{size.cases}"
    with psycopg.connect(server.conninfo(), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {database}")
        conn.execute(f"CREATE DATABASE {database}")
    roles = {name: f"{name}_{size.cases}" for name in ("ani", "budi", "baru")}  # roles are the cluster's
    with connection.connect(server.conninfo(database)) as admin:
        migrations.init(admin)
        for role in roles.values():
            workers.worker_add(admin, role)
    ani, budi = size.copy("ani.db"), size.work / "budi.db"
    budi.unlink(missing_ok=True)
    url = {name: server.conninfo(database, role) for name, role in roles.items()}
    size.lingkaran(ani, "sync", "--hub", url["ani"])  # the whole caseload onto the hub: ani holds every case
    for case_uuid in cases:
        size.lingkaran(ani, "share", case_uuid, roles["budi"])
    size.lingkaran(ani, "sync", "--hub", url["ani"])
    size.lingkaran(budi, "sync", "--hub", url["budi"])
    with psycopg.connect(server.conninfo(database), autocommit=True) as conn:  # 200 cases for the new worker
        conn.execute("INSERT INTO lingkaran.assignments (case_uuid, worker) SELECT case_uuid, %s FROM "
                     "(SELECT DISTINCT case_uuid FROM lingkaran.events WHERE case_uuid IS NOT NULL "
                     f"ORDER BY case_uuid LIMIT {NEW_WORKER_CASES}) AS chosen", (roles["baru"],))
    new_laptop = size.work / "baru.db"

    def a_day_on_both() -> None:
        write_day(budi, cases, size.today, "budi")
        size.lingkaran(budi, "sync", "--hub", url["budi"])
        write_day(ani, cases, size.today, "ani")
        os.sync()

    def new_file() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{new_laptop}{suffix}").unlink(missing_ok=True)

    sync = [*size.command, "--db", str(ani), "sync", "--hub", url["ani"]]
    return [
        run.Job("sync-nothing", "lingkaran sync (nothing new)", lambda: sync, size.env),
        run.Job("sync-day", "lingkaran sync (a day: 50 notes pushed, 50 pulled)", lambda: sync, size.env,
                before=a_day_on_both),
        run.Job("first-pull", f"lingkaran sync (a new worker's first pull, {NEW_WORKER_CASES} cases)",
                lambda: [*size.command, "--db", str(new_laptop), "sync", "--hub", url["baru"]], size.env,
                before=new_file),
    ]


def table(timings: dict[str, run.Timing], cases: int) -> str:
    show = timings["show"]
    rows = [f"| {cases:,} cases | median s | min–max s | peak MB | ratio to `show` | target |",
            "|---|---:|---:|---:|---:|---|"]
    for key, timing in timings.items():
        if timing.error:
            rows.append(f"| `{timing.label}` | failed: {timing.error} | | | | |")
            continue
        ratio = timing.median / show.median if show.seconds else float("nan")
        if key in TARGETS:
            target = f"≤ {TARGETS[key]} {'ok' if ratio <= TARGETS[key] else 'MISSED'}"
        elif key == "first-pull":
            target = f"≤ {FIRST_PULL_SECONDS} s {'ok' if timing.median <= FIRST_PULL_SECONDS else 'MISSED'}"
        else:
            target = ""
        rows.append(f"| `{timing.label}` | {timing.median:.3f} | {timing.spread()} | {timing.peak_kb / 1024:.1f} | "
                    f"{ratio:.2f} | {target} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default="1000,10000", help="caseload sizes, comma-separated (default 1000,10000)")
    parser.add_argument("--runs", type=int, default=5, help="timed rounds after a warm-up round (default 5)")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "lingkaran-bench")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today())
    parser.add_argument("--no-hub", action="store_true", help="time only show and the bundle imports")
    args = parser.parse_args(argv)
    binaries = None if args.no_hub else find_binaries()
    if not args.no_hub and binaries is None:
        sys.exit("no PostgreSQL server programs (initdb, pg_ctl): use --no-hub")
    args.work.mkdir(parents=True, exist_ok=True)
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("LINGKARAN_", "LC_", "LANG")) and key != "PYTHONDONTWRITEBYTECODE"}
    env.update({"LINGKARAN_TODAY": args.today.isoformat(), "LINGKARAN_CONFIG": str(args.work / "no-config.json"),
                "NO_COLOR": "1", "COLUMNS": "100", "XDG_DATA_HOME": str(args.work / "data")})
    print(f"{run.machine()}; {args.runs} rounds after a warm-up")
    server = PostgresServer(binaries).start() if binaries else None
    try:
        for cases in (int(size) for size in args.cases.split(",")):
            size = Sizes(args.work, cases, env, args.today)
            chosen = size.active_cases(DAY_CASES)
            show_on = size.copy("show.db")
            jobs = [run.Job("show", "lingkaran show CASE", lambda db=show_on, case=chosen[0]: [
                *size.command, "--db", str(db), "show", case], env),
                    run.Job("floor:psycopg", "python -c 'import psycopg' (what any hub client in Python loads)",
                            lambda: [sys.executable, "-c", "import psycopg"], env)]
            jobs += bundle_jobs(size, chosen)
            if server:
                jobs += hub_jobs(size, server, chosen)
            timings = run.measure_all(jobs, args.runs, warm_up=True)
            print()
            print(table(timings, cases))
    finally:
        if server:
            server.stop()


if __name__ == "__main__":
    main()
