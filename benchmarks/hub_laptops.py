#!/usr/bin/env python3
"""200 laptops syncing through one hub: random concurrent rounds, then every laptop agrees with the supervisor.

    .venv/bin/python benchmarks/hub_laptops.py                       # 200 laptops, 6 rounds, 16 at a time
    .venv/bin/python benchmarks/hub_laptops.py --laptops 20 --rounds 2

Each laptop is a worker role of its own with a few cases; in each round, in random order and 16 at a time, a
laptop connects, pulls, writes notes on the cases it holds, sometimes shares a case with a colleague or hands
one over, pushes and pulls again. At the end every laptop syncs until nothing is pending, then the check: the
hub holds exactly the unique events pushed, and for every case a laptop holds, its set of events equals the
supervisor's. Runs against a temporary PostgreSQL on a Unix socket (tests/postgres_server.py); needs the `test`
extra (psycopg). Not a timed test: its time is recorded in benchmarks/README.md.
"""

import argparse
import random
import sys
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "src")]

from tests.postgres_server import PostgresServer, find_binaries  # noqa: E402
from tests.process.hub_events import Device  # noqa: E402

from lingkaran.store.hub import connection, migrations, sync, workers  # noqa: E402


class Laptop:
    """One worker's laptop: its device, what it has written and not pushed, and what it knows per case."""

    def __init__(self, name: str, url: str, seed: int):
        self.name, self.url, self.random = name, url, random.Random(seed)
        self.device, self.pending, self.cursor = Device(), [], None
        self.known: dict[str, set[str]] = defaultdict(set)
        self.holds: set[str] = set()

    def open_cases(self, count: int) -> None:
        for number in range(count):
            case_uuid, events = self.device.new_case(f"Klien {self.name} {number}", notes=2)
            self._wrote(events)

    def _wrote(self, events: list[dict]) -> None:
        self.pending += events
        for event in events:
            self.known[event["case_uuid"]].add(event["uuid"])

    def sync(self) -> int:
        """Push what is pending, then pull until the horizon has nothing more; returns the events pushed."""
        with connection.connect(self.url) as conn:
            pushed = sync.push(conn, self.pending) if self.pending else 0
            self.pending = []
            events, self.cursor = sync.pull(conn, self.cursor)
            for event in events:
                self.known[event["case_uuid"]].add(event["uuid"])
            self.holds = sync.assigned_cases(conn)
        return pushed

    def work(self, colleagues: list[str]) -> None:
        """A round: sync, write on held cases (sometimes share or hand one over), sync again."""
        self.sync()
        for case_uuid in sorted(self.holds):
            self._wrote([self.device.event(case_uuid, "note") for _ in range(self.random.randint(0, 3))])
        if self.holds and self.random.random() < 0.3:
            case_uuid = self.random.choice(sorted(self.holds))
            kind = "handover" if self.random.random() < 0.2 else "share"
            colleague = self.random.choice([name for name in colleagues if name != self.name])
            self._wrote([self.device.event(case_uuid, kind, {"worker": colleague})])
        self.sync()


def run(laptop_count: int, rounds: int, concurrency: int, seed: int, limit: float) -> dict:
    binaries = find_binaries()
    if binaries is None:
        sys.exit("no PostgreSQL server programs (initdb, pg_ctl) found")
    started = time.monotonic()
    with PostgresServer(binaries, settings={"max_connections": str(concurrency * 2 + 20)}) as server:
        import psycopg

        with psycopg.connect(server.conninfo(), autocommit=True) as conn:
            conn.execute("CREATE DATABASE hub")
        with connection.connect(server.conninfo("hub")) as admin:
            migrations.init(admin)
            names = [f"laptop_{number:03d}" for number in range(laptop_count)]
            for name in names:
                workers.worker_add(admin, name)
            workers.worker_add(admin, "supervisor", supervisor=True)
        rng = random.Random(seed)
        laptops = [Laptop(name, server.conninfo("hub", name), rng.randrange(1 << 30)) for name in names]
        for laptop in laptops:
            laptop.open_cases(3)
        set_up = time.monotonic()
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            for _ in range(rounds):
                order = rng.sample(laptops, len(laptops))
                list(pool.map(lambda laptop: laptop.work(names), order))
                if time.monotonic() - started > limit:
                    sys.exit(f"stopped: over the {limit:.0f} s limit")
            for _ in range(2):  # everyone pushes what is left, then pulls what everyone else pushed
                list(pool.map(Laptop.sync, laptops))
        rounds_done = time.monotonic()
        return check(server, laptops) | {"laptops": laptop_count, "rounds": rounds, "concurrency": concurrency,
                                         "setup_seconds": round(set_up - started, 1),
                                         "rounds_seconds": round(rounds_done - set_up, 1)}


def check(server: PostgresServer, laptops: list[Laptop]) -> dict:
    """The hub's count equals the unique events written; each laptop's held cases equal the supervisor's view."""
    written = set().union(*(events for laptop in laptops for events in laptop.known.values()))
    with connection.connect(server.conninfo("hub", "supervisor")) as conn:
        everything, _ = sync.pull(conn)
        stored = conn.execute("SELECT count(*) FROM lingkaran.events").fetchone()[0]
    by_case: dict[str, set[str]] = defaultdict(set)
    for event in everything:
        by_case[event["case_uuid"]].add(event["uuid"])
    assert stored == len(everything) == len({event["uuid"] for event in everything}), "duplicates on the hub"
    assert {event["uuid"] for event in everything} == written, "the hub and the laptops disagree"
    compared = 0
    for laptop in laptops:
        for case_uuid in laptop.holds:
            assert laptop.known[case_uuid] == by_case[case_uuid], (laptop.name, case_uuid)
            compared += 1
    return {"events": stored, "cases": len(by_case), "held_cases_compared": compared}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--laptops", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--limit", type=float, default=900, help="give up after this many seconds")
    arguments = parser.parse_args()
    started = time.monotonic()
    result = run(arguments.laptops, arguments.rounds, arguments.concurrency, arguments.seed, arguments.limit)
    result["total_seconds"] = round(time.monotonic() - started, 1)
    print(" ".join(f"{key}={value}" for key, value in result.items()))


if __name__ == "__main__":
    main()
