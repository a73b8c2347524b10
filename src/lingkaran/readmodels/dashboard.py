"""The caseload at a glance, built from sections, and the agenda of what is due.

A section is a key (its name in `--json`), a title, and a function that reads its rows: cases, each with at
least the columns of `store.agenda.CASE_COLUMNS`, plus whatever the section adds (overdue referrals add the
referral's fields). Another section is one more line in SECTIONS; `render_daily.dashboard_view` draws any.
"""

import datetime as dt
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from lingkaran.domain.dates import date_text, when_text
from lingkaran.domain.helping_system import REFERRAL_MOVES
from lingkaran.messages import N_, _, ngettext
from lingkaran.store import agenda
from lingkaran.store import helping_system as helping_store


@dataclass(frozen=True)
class Context:
    """What every section may need: today and the no-contact threshold in days."""

    today: dt.date
    no_contact_days: int

    def days_ago(self, days: int) -> str:
        return (self.today - dt.timedelta(days=days)).isoformat()


@dataclass(frozen=True)
class Section:
    """One part of the dashboard: its JSON key, its title for people, how to read its rows, and what the
    human view says beside each case (`detail`, called only when drawing for people)."""

    key: str
    title: str
    rows: Callable[[sqlite3.Connection, Context], list[dict]]
    detail: Callable[[dict], str] | None = None
    by_step: bool = False  # drawn grouped by step, with each case's cycle strip


def _days_between(earlier: str | None, later: dt.date) -> int | None:
    return (later - dt.date.fromisoformat(earlier)).days if earlier else None


def _with_days(rows: list[dict], column: str, context: Context, key: str) -> list[dict]:
    """Add to each row how many days lie between its `column` date and today (positive: in the past)."""
    return [{**row, key: _days_between(row[column], context.today)} for row in rows]


def _due_follow_ups(conn: sqlite3.Connection, context: Context) -> list[dict]:
    return _with_days(agenda.follow_ups_until(conn, context.today.isoformat()), "follow_up_on", context, "days_overdue")


def _no_contact(conn: sqlite3.Connection, context: Context) -> list[dict]:
    return _with_days(
        agenda.without_contact_since(conn, context.days_ago(context.no_contact_days)),
        "last_contact_on",
        context,
        "days_since_contact",
    )


def _with_cases(conn: sqlite3.Connection, referrals: list[dict]) -> list[dict]:
    """Referral rows as case rows (the section and agenda contract) carrying the referral's own fields."""
    cases = agenda.cases_by_id(conn, {referral["case_id"] for referral in referrals})
    return [
        {
            **cases[referral["case_id"]],
            "referral_id": referral["id"],
            "referral_uuid": referral["uuid"],
            "agency": referral["agency"],
            "service": referral["service"],
            "referred_on": referral["referred_on"],
            "due_on": referral["due_on"],
            "referral_status": referral["status"],
        }
        for referral in referrals
    ]


def _overdue_referrals(conn: sqlite3.Connection, context: Context) -> list[dict]:
    overdue = helping_store.overdue_referrals(conn, context.today.isoformat())
    return _with_days(_with_cases(conn, overdue), "due_on", context, "days_overdue")


WEEK_DAYS = 7  # this week: today and the six days after


def _visit_rows(conn: sqlite3.Connection, until: str, today: dt.date) -> list[dict]:
    """Visits still planned up to `until` (missed ones too, planned before today) as case rows carrying the
    visit's fields (the section and agenda contract)."""
    from lingkaran.store import visits

    planned = visits.schedule(conn, start=today.isoformat(), end=until, with_missed=True)
    cases = agenda.cases_by_id(conn, {visit["case_id"] for visit in planned})
    return [
        {
            **cases[visit["case_id"]],
            "visit_id": visit["id"],
            "visit_uuid": visit["uuid"],
            "planned_on": visit["planned_on"],
            "at": visit["at"],
            "place": visit["place"],
            "purpose": visit["purpose"],
            "visit_kind": visit["kind"],
            "by": visit["by_names"] or [],
            "missed": visit["planned_on"] < today.isoformat(),
        }
        for visit in planned
    ]


def _visits_this_week(conn: sqlite3.Connection, context: Context) -> list[dict]:
    until = (context.today + dt.timedelta(days=WEEK_DAYS - 1)).isoformat()
    return _visit_rows(conn, until, context.today)


def _visit_detail(row: dict) -> str:
    when = when_text(row)
    text = _("missed: {when}").format(when=when) if row["missed"] else when
    return text + (f" · {row['place']}" if row.get("place") else "")


def _overdue_detail(row: dict) -> str:
    if row["days_overdue"] == 0:
        return _("due today")
    return ngettext(
        "{days} day overdue (since {date})", "{days} days overdue (since {date})", row["days_overdue"]
    ).format(days=row["days_overdue"], date=date_text(row["follow_up_on"]))


def _referral_detail(row: dict) -> str:
    return ngettext("{agency}: {days} day overdue", "{agency}: {days} days overdue", row["days_overdue"]).format(
        agency=row["agency"], days=row["days_overdue"]
    )


def _silence_detail(row: dict) -> str:
    if row["last_contact_on"] is None:
        return _("no contact recorded")
    return _("last contact {date} ({days} days)").format(
        date=date_text(row["last_contact_on"]), days=row["days_since_contact"]
    )


SECTIONS: list[Section] = [
    Section(
        "active",
        N_("Active cases by step"),
        lambda conn, context: agenda.active_cases(conn),
        lambda row: _("last contact {date}").format(date=date_text(row["last_contact_on"])),
        by_step=True,
    ),
    Section("visits_this_week", N_("Visits this week"), _visits_this_week, _visit_detail),
    Section("follow_ups_due", N_("Follow-ups due today or overdue"), _due_follow_ups, _overdue_detail),
    Section("overdue_referrals", N_("Referrals past their due date"), _overdue_referrals, _referral_detail),
    Section("no_contact", N_("No contact in {days} days"), _no_contact, _silence_detail),
    Section(
        "awaiting_follow_up",
        N_("Closed, awaiting post-termination follow-up"),
        lambda conn, context: agenda.closed_awaiting_follow_up(conn),
        lambda row: _("follow-up {date}").format(date=date_text(row["follow_up_on"])),
    ),
    Section(
        "no_consent",
        N_("Open cases without recorded consent"),
        lambda conn, context: agenda.without_consent(conn),
        lambda row: _("opened {date}").format(date=date_text(row["opened_on"])),
    ),
]


def dashboard(conn: sqlite3.Connection, context: Context) -> dict[str, list[dict]]:
    """Every section's rows, keyed as in `--json`."""
    return {section.key: section.rows(conn, context) for section in SECTIONS}


def due(conn: sqlite3.Connection, today: dt.date, within_days: int) -> list[dict]:
    """Follow-ups and goal target dates up to `within_days` ahead, overdue first, each with its command."""
    until = (today + dt.timedelta(days=within_days)).isoformat()
    items = [
        _item(row, "follow-up", row["follow_up_on"], today, f"lingkaran monitor {row['id']} --note TEXT")
        for row in agenda.follow_ups_until(conn, until)
    ]
    items += [
        _item(
            row,
            "goal-target",
            row["target_on"],
            today,
            f"lingkaran monitor {row['id']} --progress {row['goal_number']}=LEVEL --note TEXT",
            goal_number=row["goal_number"],
            goal_text=row["goal_text"],
        )
        for row in agenda.goal_targets_until(conn, until)
    ]
    items += [
        _item(
            row,
            "referral",
            row["due_on"],
            today,
            _referral_command(row),
            referral_id=row["referral_id"],
            agency=row["agency"],
            service=row["service"],
        )
        for row in _with_cases(conn, helping_store.open_referrals_due_by(conn, until))
    ]
    items += [
        _item(
            row,
            "visit",
            row["planned_on"],
            today,
            f"lingkaran visit done {row['visit_id']} --note TEXT",
            visit_id=row["visit_id"],
            at=row["at"],
            place=row["place"],
        )
        for row in _visit_rows(conn, until, today)
    ]
    return sorted(
        items,
        key=lambda item: (
            item["due_on"],
            item["case_id"],
            item["kind"],
            item["goal_number"] or 0,
            item["referral_id"] or 0,
            item["at"] or "99:99",
            item["visit_id"] or 0,
        ),
    )


def _referral_command(row: dict) -> str:
    """The command that records a referral's outcome, offering the statuses it may move to."""
    statuses = "|".join(REFERRAL_MOVES[row["referral_status"]])
    return f"lingkaran referral update {row['referral_id']} --status {statuses} --note TEXT"


def _item(
    row: dict,
    kind: str,
    due_on: str,
    today: dt.date,
    command: str,
    goal_number: int | None = None,
    goal_text: str | None = None,
    referral_id: int | None = None,
    agency: str | None = None,
    service: str | None = None,
    visit_id: int | None = None,
    at: str | None = None,
    place: str | None = None,
) -> dict:
    days = (dt.date.fromisoformat(due_on) - today).days
    return {
        "kind": kind,
        "due_on": due_on,
        "days": days,
        "overdue": days < 0,
        "case_id": row["id"],
        "case_uuid": row["uuid"],
        "client": row["client"],
        "status": row["status"],
        "phase": row["phase"],
        "goal_number": goal_number,
        "goal_text": goal_text,
        "referral_id": referral_id,
        "agency": agency,
        "service": service,
        "visit_id": visit_id,
        "at": at,
        "place": place,
        "command": command,
    }
