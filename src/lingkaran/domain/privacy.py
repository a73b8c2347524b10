"""Which stored fields are personal data. One list, used by erasure, anonymised export and encryption checks.

Every table that stores something a person wrote or could identify the client by is listed here with those
columns; every kind of event with the keys of its `data` that hold such content. Dates of birth, addresses and
places belong here too: the anonymised export drops every value listed. A new table or event kind with
personal content must be added here (a test checks that every table is listed).
"""

import datetime as dt

# table: columns holding names, free text or other identifying details. A case's PPKS category is not among
# them: a code for reporting (as the level and the domain ratings are), it stays in anonymised figures.
PERSONAL_COLUMNS = {
    "cases": (
        "client",
        "problem",
        "source",
        "worker",
        "consent_scope",
        "sex",
        "born",
        "born_on",
        "address",
        "phone",
        "nik",
        "kk",
        "guardian",
        "guardian_relation",
        "guardian_phone",
    ),
    "assessments": ("summary", "strengths", "needs"),
    "ratings": (),
    "goals": ("text", "scale"),
    "activities": ("note", "by_name"),
    "activity_workers": ("name",),
    "goal_levels": (),
    "monitoring": ("note",),
    "evaluations": ("note",),
    "terminations": ("summary", "destination"),
    "consents": ("scope", "given_by"),
    "notes": ("text",),
    "amendments": ("text", "reason"),
    "members": ("name", "role", "relation", "born", "note", "sex", "born_on", "address", "phone", "nik", "kk"),
    "case_links": (),
    "team": ("name", "agency", "contact"),
    "referrals": ("agency", "service", "contact", "note", "consent_override"),
    "ecomap_changes": ("system", "note"),
    "conflicts": ("sides",),  # both values of each conflict (a problem statement, a goal's text…)
    # where events come from (store/devices.py): device ids, clock stamps, event uuids, nothing about a person
    "case_heads": (),
    "this_device": (),
    "device_sequences": (),
    # the hub's bookkeeping (store/hub_state.py): addresses, cursors, cases handed over; nothing about a client
    "hub_syncs": (),
    "handed_over": (),
    "visits": ("place", "purpose", "by_names", "reason"),
    "reviews": ("by_name", "comment"),
}

# event kind: keys of its data holding personal content
PERSONAL_EVENT_KEYS = {
    "open": (
        "client",
        "problem",
        "source",
        "worker",
        "consent_scope",
        "sex",
        "born",
        "born_on",
        "address",
        "phone",
        "nik",
        "kk",
        "guardian",
        "guardian_relation",
        "guardian_phone",
        "consent_given_by",
    ),
    "identity": ("member", "values"),
    "assess": ("strengths", "needs", "summary", "member", "problem", "author"),
    "plan": ("added", "changed", "goal_changes", "author"),
    "intervene": ("note", "by", "member", "with"),
    "contact": ("note", "by", "member", "with"),
    "monitor": ("note",),
    "evaluate": ("note",),
    "terminate": ("summary", "destination", "author"),
    "reopen": ("reason",),
    "import": ("file",),
    "note": ("text",),
    "amend": ("note", "reason", "author"),
    "member-add": ("name", "role", "relation", "born", "note", "sex", "born_on", "address", "phone", "nik", "kk"),
    "member-remove": ("name", "reason"),
    "link": ("parent_client", "child_client"),
    "unlink": ("parent_client", "child_client"),
    "team-add": ("name", "agency", "contact"),
    "team-remove": ("name", "reason"),
    "refer": ("agency", "service", "contact", "consent_override"),
    "referral-update": ("agency", "note", "author"),
    "ecomap-add": ("system", "note"),
    "ecomap-remove": ("system", "note"),
    "consent": ("scope", "given_by", "author"),
    "resolve": ("value", "author"),
    "share": (),
    "handover": (),  # a colleague's hub role name: not the client's data
    "forget": (),
    "visit-plan": ("place", "purpose", "by"),
    "visit-done": (),
    "visit-cancel": ("reason",),
    "review": ("by", "comment"),
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
