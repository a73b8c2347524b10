"""Which stored fields are personal data. One list, used by erasure, anonymised export and encryption checks.

Every table that stores something a person wrote or could identify the client by is listed here with those
columns; every kind of event with the keys of its `data` that hold such content. A new table or event kind with
personal content must be added here (a test checks that every table is listed).
"""

import datetime as dt

# table: columns holding names, free text or other identifying details
PERSONAL_COLUMNS = {
    "cases": ("client", "problem", "source", "worker", "consent_scope"),
    "assessments": ("summary", "strengths", "needs"),
    "ratings": (),
    "goals": ("text", "scale"),
    "activities": ("note", "by_name"),
    "goal_levels": (),
    "monitoring": ("note",),
    "evaluations": ("note",),
    "terminations": ("summary", "destination"),
    "consents": ("scope",),
}

# event kind: keys of its data holding personal content
PERSONAL_EVENT_KEYS = {
    "open": ("client", "problem", "source", "worker", "consent_scope"),
    "assess": ("strengths", "needs", "summary"),
    "plan": ("added", "changed"),
    "intervene": ("note", "by"),
    "monitor": ("note",),
    "evaluate": ("note",),
    "terminate": ("summary", "destination"),
    "reopen": ("reason",),
    "consent": ("scope",),
    "forget": (),
}


def shift_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` later (earlier when negative); 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def retention_cutoff(today: dt.date, years: int) -> dt.date:
    """The latest closing date whose retention period has ended by `today`."""
    return shift_years(today, -years)
