"""Which stored fields are personal data. One list, used by erasure, anonymised export and encryption checks.

Every table that stores something a person wrote or could identify the client by is listed here with those
columns; every kind of event with the keys of its `data` that hold such content. Dates of birth, addresses and
places belong here too: the anonymised export drops every value listed. A new table or event kind with
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
    "notes": ("text",),
    "amendments": ("text", "reason"),
    "members": ("name", "role", "relation", "born", "note"),
    "case_links": (),
    "team": ("name", "agency", "contact"),
    "referrals": ("agency", "service", "contact", "note", "consent_override"),
    "ecomap_changes": ("system", "note"),
}

# event kind: keys of its data holding personal content
PERSONAL_EVENT_KEYS = {
    "open": ("client", "problem", "source", "worker", "consent_scope"),
    "assess": ("strengths", "needs", "summary", "member"),
    "plan": ("added", "changed"),
    "intervene": ("note", "by", "member"),
    "monitor": ("note",),
    "evaluate": ("note",),
    "terminate": ("summary", "destination"),
    "reopen": ("reason",),
    "import": ("file",),
    "note": ("text",),
    "amend": ("note", "reason"),
    "member-add": ("name", "role", "relation", "born", "note"),
    "member-remove": ("name", "reason"),
    "link": ("parent_client", "child_client"),
    "unlink": ("parent_client", "child_client"),
    "team-add": ("name", "agency", "contact"),
    "team-remove": ("name", "reason"),
    "refer": ("agency", "service", "contact", "consent_override"),
    "referral-update": ("agency", "note"),
    "ecomap-add": ("system", "note"),
    "ecomap-remove": ("system", "note"),
    "consent": ("scope",),
    "forget": (),
}

# Tables derived from the record tables and kept equal to them by triggers: the full-text search index
# (an FTS5 virtual table, plus the shadow tables SQLite keeps for it, named search_index_*). Blanking a
# personal column re-indexes its row, so erasure, export and import must leave these alone.
DERIVED_TABLES = ("search_index",)


def is_derived(table: str) -> bool:
    """Whether a table is derived data (the search index or one of its shadow tables), not a record table."""
    return any(table == name or table.startswith(name + "_") for name in DERIVED_TABLES)


def shift_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` later (earlier when negative); 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def retention_cutoff(today: dt.date, years: int) -> dt.date:
    """The latest closing date whose retention period has ended by `today`."""
    return shift_years(today, -years)
