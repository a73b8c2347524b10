"""Which stored fields are personal data. One list, used by erasure, anonymised export and encryption checks.

Every table that stores something a person wrote or could identify the client by is listed here with those
columns; every kind of event with the keys of its `data` that hold such content. Dates of birth, addresses and
places belong here too: the anonymised export drops every value listed. A new table or event kind with
personal content must be added here (a test checks that every table is listed).
"""

# table: columns holding names, free text or other identifying details
PERSONAL_COLUMNS = {
    "cases": ("client", "problem", "source", "worker"),
    "assessments": ("summary", "strengths", "needs"),
    "ratings": (),
    "goals": ("text", "scale"),
    "activities": ("note", "by_name"),
    "goal_levels": (),
    "monitoring": ("note",),
    "evaluations": ("note",),
    "terminations": ("summary", "destination"),
}

# event kind: keys of its data holding personal content
PERSONAL_EVENT_KEYS = {
    "open": ("client", "problem", "source", "worker"),
    "assess": ("strengths", "needs", "summary"),
    "plan": ("added", "changed"),
    "intervene": ("note", "by"),
    "monitor": ("note",),
    "evaluate": ("note",),
    "terminate": ("summary", "destination"),
    "reopen": ("reason",),
    "import": ("file",),
}
