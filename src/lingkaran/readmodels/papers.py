"""What each paper to print and sign holds (`lingkaran paper`): the case plan, the consent form, the referral
letter. Pure: the records come in, the content goes out; templates/paper_*.html only lay it out.

Each paper holds what its reader needs and no more (UU PDP's data minimisation, docs/privacy.md): the referral
letter carries the client's name, age and contact, the service asked for and why, and the referring worker, never
the case's notes, risks or assessments; an identity number only when the worker asks for it.
"""

import datetime as dt

from lingkaran.domain import gas
from lingkaran.domain.dates import long_date_text
from lingkaran.domain.identity import SEX_LABELS, age
from lingkaran.domain.vocabularies import LEVEL, PHASE, TEAM_ROLE
from lingkaran.messages import _


def _heading(case: dict, today: dt.date, agency: str | None, worker: str | None) -> dict:
    """What every paper starts with: who writes it, about whom, when."""
    return {
        "agency": agency,
        "worker": worker or case["worker"],
        "date": long_date_text(today.isoformat()),
        "case": {
            "id": case["id"],
            "reference": case["uuid"][:8],
            "client": case["client"],
            "level": LEVEL.label(case["level"]),
            "phase": PHASE.label(case["phase"]),
            "opened": long_date_text(case["opened_on"]),
        },
        "guardian": _guardian(case),
    }


def _guardian(case: dict) -> dict | None:
    """The parent or guardian recorded for the client (a child's), who signs for them; None when none is."""
    if not case.get("guardian"):
        return None
    return {"name": case["guardian"], "relation": case.get("guardian_relation"), "phone": case.get("guardian_phone")}


def case_plan(
    case: dict,
    goals: list[dict],
    team: list[dict],
    members: list[dict],
    today: dt.date,
    *,
    agency: str | None = None,
    worker: str | None = None,
) -> dict:
    """The plan of the case's current cycle: its open goals with their GAS levels, who does what, to sign."""
    current = [goal for goal in goals if goal["cycle"] == case["cycle"] and goal["status"] == "open"]
    return {
        **_heading(case, today, agency, worker),
        "problem": case["problem"],
        "goals": [
            {
                "number": goal["number"],
                "text": goal["text"],
                "weight": f"{goal['weight']:g}",
                "target": long_date_text(goal["target_on"]) if goal["target_on"] else None,
                "levels": _scale(goal.get("scale") or {}),
            }
            for goal in current
        ],
        "team": [
            {"name": person["name"], "role": TEAM_ROLE.label(person["role"]), "agency": person.get("agency")}
            for person in team
        ],
        "members": [{"name": member["name"], "role": member["role"]} for member in members],
    }


def _scale(scale: dict) -> list[dict]:
    """A goal's GAS scale from -2 to +2: each level's number, its meaning, and what it looks like for this goal
    (blank where the plan did not describe it, to be filled in with the client)."""
    written = {int(level): text for level, text in scale.items()}
    return [
        {"level": gas.format_level(level), "meaning": _(gas.LEVEL_LABELS[level]), "text": written.get(level)}
        for level in sorted(gas.LEVEL_LABELS)
    ]


def consent_form(
    case: dict,
    consents: list[dict],
    today: dt.date,
    *,
    scope: str | None = None,
    agency: str | None = None,
    worker: str | None = None,
) -> dict:
    """The consent form: what the client agrees to (the scope given, else the one recorded, else lines to fill
    in), their rights, and lines to sign for the client (and a child's guardian) and the worker."""
    recorded = consents[-1] if consents else None
    return {
        **_heading(case, today, agency, worker),
        "scope": scope or (recorded["scope"] if recorded and recorded["given"] else None),
        "recorded": ({"given": recorded["given"], "on": long_date_text(recorded["decided_on"])} if recorded else None),
    }


def referral_letter(
    case: dict,
    referral: dict,
    today: dt.date,
    *,
    reason: str | None = None,
    with_id_numbers: bool = False,
    agency: str | None = None,
    worker: str | None = None,
) -> dict:
    """The referral letter (surat rujukan): only what the receiving agency needs to take the client on. The
    reason is written for this letter (`reason`, else lines to fill in), never taken from the case's notes."""
    client = {
        "name": case["client"],
        "sex": _(SEX_LABELS[case["sex"]]) if case.get("sex") else None,
        "address": case.get("address"),
        "phone": case.get("phone"),
        "age": age(case, today),
    }
    client |= {"nik": case.get("nik"), "kk": case.get("kk")} if with_id_numbers else {"nik": None, "kk": None}
    return {
        **_heading(case, today, agency, worker),
        "client": client,
        "referral": {
            "number": referral["id"],
            "agency": referral["agency"],
            "service": referral["service"],
            "contact": referral["contact"],
            "reason": reason,
            "on": long_date_text(referral["referred_on"]),
            "answer_by": long_date_text(referral["due_on"]) if referral["due_on"] else None,
        },
    }
