"""What SQLite and the disk alone need for an export and an import of a caseload: the floors under them.

    python benchmarks/floors.py --db /tmp/lingkaran-bench/caseload-10000.db

No lingkaran command runs here; each measurement is the least any export or import of this file could cost on
this machine, whatever Python did around it:

- read: every row of every table an export writes, fetched from SQLite as plain values (no encoding at all);
- write: as many bytes as the file's NDJSON export has, written to a new file (page cache, no fsync);
- insert, UUID indexes kept: every row put into a new empty caseload with lingkaran's schema, one INSERT a
  row from values already in memory, with the unique UUID indexes import relies on to skip what is already
  there, then the commit (the search index left out, as import fills it at the end);
- insert, indexes after: the same with every index created after the rows are in (this gives up skipping
  records by UUID while loading, so it is a floor import cannot use as it is);
- search index: filling the full-text index of those rows in one statement per table, as import does.

Times are process CPU seconds (user + system) except for the commit and the write, which are wall seconds.
The export's size comes from `--export FILE` when given, else from `lingkaran export` run once.
"""

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from lingkaran.store import search_index, tables
from lingkaran.store.database import connect

BATCH = 2000


@contextmanager
def timed(label: str, results: dict[str, float], wall: bool = False) -> Iterator[None]:
    """Add the CPU (or wall) seconds the block took to `results[label]`."""
    clock = time.perf_counter if wall else time.process_time
    started = clock()
    yield
    results[label] = results.get(label, 0.0) + clock() - started


def exported_tables(conn: sqlite3.Connection) -> list[str]:
    """The tables an export reads: every record table, then the event log."""
    return [table.name for table in tables.record_tables(conn)] + ["events"]


def rows_of(conn: sqlite3.Connection, table: str) -> Iterator[list[tuple]]:
    cursor = conn.execute(f"SELECT * FROM [{table}] ORDER BY id")
    while batch := cursor.fetchmany(BATCH):
        yield batch


def empty_caseload(folder: Path) -> sqlite3.Connection:
    """A new caseload with lingkaran's schema, its search-index insert triggers dropped as import drops them."""
    conn = connect(folder / "empty.db")
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                "AND name GLOB '*_search_insert'").fetchall():
        conn.execute(f"DROP TRIGGER [{name}]")
    conn.execute("PRAGMA cache_size = -16384")  # import's larger_cache
    return conn


def insert_all(source: sqlite3.Connection, folder: Path, results: dict[str, float], label: str,
               indexes_after: bool) -> None:
    """Copy every exported row into a new caseload one INSERT at a time, timing only the inserts and commit."""
    conn = empty_caseload(folder)
    dropped = []
    if indexes_after:
        dropped = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                               "AND tbl_name != '_sqlite_migrations'").fetchall()
        for name, _sql in dropped:
            conn.execute(f"DROP INDEX [{name}]")
    conn.execute("BEGIN IMMEDIATE")
    for table in exported_tables(source):
        for batch in rows_of(source, table):
            sql = f"INSERT INTO [{table}] VALUES ({', '.join('?' * len(batch[0]))})"
            with timed(label, results):
                for row in batch:
                    conn.execute(sql, row)
    with timed(label, results):
        for _name, sql in dropped:
            conn.execute(sql)
    if not indexes_after:
        with timed("search index", results):
            for table in search_index.INDEXED_SOURCES:
                conn.execute(search_index.search_row_sql(table, rows_after=True), {"after": 0})
    with timed(f"{label}: commit", results, wall=True):
        conn.execute("COMMIT")
    conn.close()
    for path in folder.glob("empty.db*"):
        path.unlink()


def export_file(db: Path, export: Path | None, folder: Path) -> Path:
    """The caseload's NDJSON export: the one given, else written once now."""
    if export:
        return export
    export = folder / "export.ndjson"
    with open(export, "wb") as out:
        subprocess.run([sys.executable, "-m", "lingkaran", "--db", str(db), "export", "--format", "ndjson",
                        "--force"], stdout=out, stderr=subprocess.DEVNULL, check=True)
    return export


def write_bytes(size: int, folder: Path, results: dict[str, float]) -> None:
    """Write `size` bytes to a new file a megabyte at a time: what any export of that size costs to write."""
    chunk = b"x" * (1 << 20)
    with timed("write", results, wall=True), open(folder / "written", "wb") as out:
        for _ in range(size // len(chunk)):
            out.write(chunk)
        out.write(chunk[:size % len(chunk)])
    (folder / "written").unlink()


def measure(db: Path, export: Path | None, report: Callable[[str], None] = print) -> dict[str, float]:
    results: dict[str, float] = {}
    source = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    with tempfile.TemporaryDirectory(dir=os.environ.get("TMPDIR")) as name:
        folder = Path(name)
        rows = 0
        with timed("read", results):
            for table in exported_tables(source):
                for batch in rows_of(source, table):
                    rows += len(batch)
        size = export_file(db, export, folder).stat().st_size
        write_bytes(size, folder, results)
        insert_all(source, folder, results, "insert, UUID indexes kept", indexes_after=False)
        insert_all(source, folder, results, "insert, indexes after", indexes_after=True)
    report(f"{db.name}: {rows:,} rows; export {size / 1e6:.0f} MB")
    for label, seconds in results.items():
        report(f"  {label:<34} {seconds:6.2f} s")
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a caseload made by generate.py")
    parser.add_argument("--export", type=Path, help="its NDJSON export, if already written")
    args = parser.parse_args(argv)
    if not args.db.is_file():
        parser.error(f"{args.db} does not exist; benchmarks/generate.py makes one")
    measure(args.db, args.export)


if __name__ == "__main__":
    sys.exit(main())
