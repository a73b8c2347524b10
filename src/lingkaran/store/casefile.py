"""Everything recorded about one case, every cycle, for the case report."""

import sqlite3

from lingkaran.store import helping_system
from lingkaran.store.records import as_dict


def _all(conn: sqlite3.Connection, sql: str, case_id: int) -> list[dict]:
    return [as_dict(row) for row in conn.execute(sql, [case_id])]


def case_records(conn: sqlite3.Connection, case_id: int) -> dict[str, list[dict]]:
    """A case's assessments (with ratings), goals, goal levels, activities, monitoring, evaluations and
    terminations, each oldest first, and its helping system (`helping_records`)."""
    found = {
        "assessments": _all(conn, "SELECT * FROM assessments WHERE case_id = ? ORDER BY assessed_on, id", case_id),
        "goals": _all(conn, "SELECT * FROM goals WHERE case_id = ? ORDER BY number", case_id),
        "goal_levels": _all(
            conn,
            "SELECT l.*, g.number AS goal_number FROM goal_levels l "
            "JOIN goals g ON g.id = l.goal_id WHERE l.case_id = ? ORDER BY l.observed_on, l.id",
            case_id,
        ),
        "activities": _all(conn, "SELECT * FROM activities WHERE case_id = ? ORDER BY occurred_on, id", case_id),
        "monitoring": _all(conn, "SELECT * FROM monitoring WHERE case_id = ? ORDER BY observed_on, id", case_id),
        "evaluations": _all(conn, "SELECT * FROM evaluations WHERE case_id = ? ORDER BY evaluated_on, id", case_id),
        "terminations": _all(conn, "SELECT * FROM terminations WHERE case_id = ? ORDER BY closed_on, id", case_id),
    }
    ratings = conn.execute(
        "SELECT r.assessment_id, r.domain, r.score FROM ratings r JOIN assessments a "
        "ON a.id = r.assessment_id WHERE a.case_id = ? ORDER BY r.id",
        [case_id],
    )
    by_assessment: dict[int, dict[str, int]] = {}
    for row in ratings:
        by_assessment.setdefault(row["assessment_id"], {})[row["domain"]] = row["score"]
    for assessment in found["assessments"]:
        assessment["ratings"] = by_assessment.get(assessment["id"], {})
    return found | helping_records(conn, case_id)


def helping_records(conn: sqlite3.Connection, case_id: int) -> dict[str, list[dict]]:
    """A case's helping system for the report: current members and team (with their contact minutes), referrals
    and notes oldest first, linked cases, every ecomap change, and contact minutes by person and by role."""
    return {
        "members": helping_system.members(conn, case_id),
        "team": helping_system.team_with_minutes(conn, case_id),
        "referrals": helping_system.referrals(conn, case_id)[::-1],
        **helping_system.linked_cases(conn, case_id),
        "notes": _all(
            conn, "SELECT uuid, written_on, phase, text FROM notes WHERE case_id = ? ORDER BY written_on, id", case_id
        ),
        "ecomap_changes": helping_system.ecomap_changes(conn, case_id),
        "minutes_by_person": helping_system.contact_minutes(conn, case_id),
        "minutes_by_role": helping_system.contact_minutes_by_role(conn, case_id),
    }
