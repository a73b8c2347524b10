"""Random interleavings of writes on three copies and random exchanges end in one projection: every copy
holds the same rows (local ids aside), the same conflicts, and tells the case's log in the same order."""

import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lingkaran.casework import projection
from lingkaran.store import projection as store
from tests.helpers import pass_bundle

COPIES = 3
WRITES = {
    "note": ("note", "1", "A note"),
    "activity": ("intervene", "1", "--activity", "phone-call", "--note", "A call", "--goal", "1"),
    "goal": ("plan", "1", "--goal", "A goal added here"),
    "revise": ("plan", "1", "--revise", "1=Goal one, reworded here"),
    "problem": ("assess", "1", "--problem", "The problem as seen here"),
    "consent": ("consent", "1", "--withdrawn"),
    "terminate": ("terminate", "1", "--reason", "withdrew", "--summary", "Closed here"),
    "reopen": ("reopen", "1", "--reason", "Came back"),
}
writes = st.tuples(st.just("write"), st.integers(0, COPIES - 1), st.sampled_from(sorted(WRITES)))
exchanges = st.tuples(st.just("exchange"), st.integers(0, COPIES - 1), st.integers(0, COPIES - 1))


def write(cli, db: Path, kind: str, number: int) -> None:
    """One write; a step the cycle refuses on this copy now (exit 4) is simply not written."""
    args = [f"{arg} {number}" if arg.endswith("here") else arg for arg in WRITES[kind]]
    result = cli("--db", db, *args)
    assert result.exit_code in (0, 4), result.stderr


def state(cli, db: Path) -> tuple:
    """The case's rows without local ids, its conflicts and its log, as this copy holds them."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        rows = store.snapshot(conn, 1, projection.PROJECTED_TABLES)
        conflicts = sorted(tuple(row) for row in conn.execute("SELECT code, kind, fact, sides FROM conflicts"))
    finally:
        conn.close()
    log = [event["uuid"] for event in cli.json("--db", db, "log", "1")]
    return rows, conflicts, log


@pytest.fixture
def base(cli, active_case, db_path) -> Path:
    return db_path


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.one_of(writes, exchanges), min_size=2, max_size=12))
def test_any_interleaving_of_writes_and_exchanges_ends_in_one_projection(cli, base, steps):
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        laptops = [folder / f"laptop-{index}.db" for index in range(COPIES)]
        for laptop in laptops:
            shutil.copy(base, laptop)
        (folder / "bundles").mkdir()
        for number, (action, first, second) in enumerate(steps):
            if action == "write":
                write(cli, laptops[first], second, number)
            elif first != second:
                pass_bundle(cli, laptops[first], laptops[second], folder / "bundles")
        for _round in range(2):
            for source in laptops:
                for target in laptops:
                    if source != target:
                        pass_bundle(cli, source, target, folder / "bundles")
        states = [state(cli, laptop) for laptop in laptops]
        assert states[1] == states[0] and states[2] == states[0]
