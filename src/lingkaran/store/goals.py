"""Goals are named by UUID: activities and evaluation scores that still name them by number get their UUIDs."""

import sqlite3

from lingkaran.store.records import json_text
from lingkaran.store.sqlite import stored_json


def name_goals_by_uuid(conn: sqlite3.Connection) -> int:
    """Give activities and evaluations that name goals only by number (before goals were named by UUID, or
    imported from an older lingkaran) the UUIDs of the goals those numbers name in their case; returns how many
    rows changed. A number naming no goal is left out of the UUIDs and stays in the numbers."""
    missing_activities = conn.execute(
        "SELECT id, case_id, coalesce(goal_numbers, '[]') FROM activities WHERE goal_uuids IS NULL"
    ).fetchall()
    missing_scores = conn.execute(
        "SELECT id, case_id, coalesce(scores, '{}') FROM evaluations WHERE goal_scores IS NULL"
    ).fetchall()
    if not (missing_activities or missing_scores):
        return 0  # every import asks: the goals need reading only when something names them by number alone
    uuids = {
        (case_id, number): uuid for case_id, number, uuid in conn.execute("SELECT case_id, number, uuid FROM goals")
    }
    activities = [
        [json_text([uuids[(case_id, n)] for n in stored_json(numbers) if (case_id, n) in uuids]), row_id]
        for row_id, case_id, numbers in missing_activities
    ]
    evaluations = [
        [
            json_text(
                {
                    uuids[(case_id, int(n))]: level
                    for n, level in stored_json(scores).items()
                    if n.isdigit() and (case_id, int(n)) in uuids
                }
            ),
            row_id,
        ]
        for row_id, case_id, scores in missing_scores
    ]
    conn.executemany("UPDATE activities SET goal_uuids = ? WHERE id = ?", activities)
    conn.executemany("UPDATE evaluations SET goal_scores = ? WHERE id = ?", evaluations)
    return len(activities) + len(evaluations)
