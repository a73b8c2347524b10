"""Three copies of a caseload, written on and exchanged in any order, end with the same events and the same digest.

Real files and the real commands (in-process): random interleavings of notes and activities on three copies of
one caseload and bundles passed between them in random order; after everyone has passed a bundle to everyone,
every copy reports one digest and holds every event any copy wrote."""

import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import pass_bundle

COPIES = 3
writes = st.tuples(st.just("write"), st.integers(0, COPIES - 1), st.sampled_from(["note", "intervene"]))
exchanges = st.tuples(st.just("exchange"), st.integers(0, COPIES - 1), st.integers(0, COPIES - 1))


@pytest.fixture
def base(cli, active_case, db_path) -> Path:
    """One caseload with an active case, to be copied to three laptops."""
    return db_path


def event_uuids(db: Path) -> set[str]:
    conn = sqlite3.connect(db)
    found = {row[0] for row in conn.execute("SELECT uuid FROM events")}
    conn.close()
    return found


def write(cli, db: Path, kind: str, number: int) -> None:
    if kind == "note":
        cli.ok("--db", db, "note", "1", f"Note {number}")
    else:
        cli.ok("--db", db, "intervene", "1", "--activity", "phone-call", "--note", f"Call {number}", "--minutes", "5")


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.one_of(writes, exchanges), min_size=1, max_size=10))
def test_any_interleaving_of_writes_and_exchanges_converges_to_one_digest_without_losing_an_event(cli, base, steps):
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        laptops = [folder / f"laptop-{index}.db" for index in range(COPIES)]
        for laptop in laptops:
            shutil.copy(base, laptop)
        bundles = folder / "bundles"
        bundles.mkdir()
        for number, (action, first, second) in enumerate(steps):
            if action == "write":
                write(cli, laptops[first], second, number)
            elif first != second:
                pass_bundle(cli, laptops[first], laptops[second], bundles)
        written = set().union(*(event_uuids(laptop) for laptop in laptops))
        for _round in range(2):
            for source in laptops:
                for target in laptops:
                    if source != target:
                        pass_bundle(cli, source, target, bundles)
        digests = {cli.json("--db", laptop, "sync", "status")["digest"] for laptop in laptops}
        assert len(digests) == 1
        assert all(event_uuids(laptop) == written for laptop in laptops)
        assert all(cli("--db", laptop, "check").exit_code == 0 for laptop in laptops)
