"""The supervisor's caseload summary (the read model `supervise` prints): one row an active case with its step,
last contact, next visit, risk and what is overdue, ranked so the cases that need a look come first."""

import datetime as dt
import sqlite3

from lingkaran.domain import supervision
from lingkaran.store import agenda, visits
from lingkaran.store import helping_system as helping
from lingkaran.store import supervision as store


def summary(conn: sqlite3.Connection, today: dt.date, worker: str | None = None) -> list[dict]:
    """Every active case (one worker's with `worker`) as a summary row, most urgent first."""
    day = today.isoformat()
    risks, reviews = store.latest_risks(conn), store.last_reviews(conn)
    next_visits, missed = visits.next_visits(conn, day), store.missed_visits(conn, day)
    referrals = _by_case(helping.overdue_referrals(conn, day), "case_id", "id")
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    goals = _by_case(agenda.goal_targets_until(conn, yesterday), "id", "goal_number")
    rows = []
    for case in store.active_case_rows(conn, worker):
        overdue = {
            "follow_up": case["follow_up_on"] if case["follow_up_on"] and case["follow_up_on"] < day else None,
            "referrals": referrals.get(case["id"], []),
            "goal_targets": goals.get(case["id"], []),
            "missed_visits": missed.get(case["id"], []),
        }
        rows.append(
            _row(case, today, risks.get(case["id"]), next_visits.get(case["id"]), overdue, reviews.get(case["id"]))
        )
    return sorted(rows, key=supervision.urgency)


def _by_case(rows: list[dict], case_key: str, item_key: str) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for row in rows:
        grouped.setdefault(row[case_key], []).append(row[item_key])
    return grouped


def _row(case: dict, today: dt.date, risk: dict | None, visit: dict | None, overdue: dict, review: dict | None) -> dict:
    last = case["last_contact_on"]
    return {
        "id": case["id"],
        "uuid": case["uuid"],
        "client": case["client"],
        "level": case["level"],
        "phase": case["phase"],
        "worker": case["worker"],
        "last_contact_on": last,
        "days_since_contact": (today - dt.date.fromisoformat(last)).days if last else None,
        "next_visit": {key: visit[key] for key in ("id", "planned_on", "at", "place")} if visit else None,
        "risk": risk["risk"] if risk else None,
        "risk_assessed_on": risk["assessed_on"] if risk else None,
        "overdue": overdue,
        "overdue_count": supervision.overdue_count(overdue),
        "last_review": {"reviewed_on": review["reviewed_on"], "by": review["by_name"], "decision": review["decision"]}
        if review
        else None,
    }
