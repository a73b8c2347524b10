"""Which stored fields are personal data. One list, used by erasure, anonymised export and encryption checks.

Every table that stores something a person wrote or could identify the client by is listed here with those
columns; every kind of event with the keys of its `data` that hold such content. A new table or event kind with
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
    "members": ("name", "role", "relation", "born", "note"),
    "case_links": (),
    "team": ("name", "agency", "contact"),
    "referrals": ("agency", "service", "contact", "note", "consent_override"),
    "ecomap_changes": ("system", "note"),
}

# event kind: keys of its data holding personal content
PERSONAL_EVENT_KEYS = {
    "open": ("client", "problem", "source", "worker"),
    "assess": ("strengths", "needs", "summary", "member"),
    "plan": ("added", "changed"),
    "intervene": ("note", "by", "member"),
    "monitor": ("note",),
    "evaluate": ("note",),
    "terminate": ("summary", "destination"),
    "reopen": ("reason",),
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
}
