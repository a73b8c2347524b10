"""The case a write goes to: found, not erased, and not dated before it was opened."""

import datetime as dt
import sqlite3

from lingkaran.domain.parse import refuse_before_opening
from lingkaran.store import erasure, records


def case_to_write(conn: sqlite3.Connection, reference: str, on: dt.date | None) -> dict:
    """The case a change is about to be written to: not erased, and not dated before it was opened."""
    case = records.find_case(conn, reference)
    erasure.refuse_if_erased(conn, case)
    if on is not None:
        refuse_before_opening(on, case["opened_on"], "--date", case["id"])
    return case
