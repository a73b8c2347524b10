"""The case report's content: what a supervisor or a receiving agency reads, arranged by cycle. Pure.

The templates (templates/report.md, templates/report.html) only lay this out; every figure is worked out here.
"""

import datetime as dt
from collections import Counter, defaultdict

from lingkaran.domain import gas
from lingkaran.domain import helping_system as helping
from lingkaran.domain.assessment_domains import domain_label, scale_label
from lingkaran.domain.vocabularies import ECOMAP_CHANGE, LEVEL, PHASE
from lingkaran.messages import _

LEVEL_SOURCES = {"monitor": "monitoring", "evaluate": "evaluation"}


def domain_changes(assessments: list[dict]) -> list[dict]:
    """Each assessment's ratings beside the previous rating of the same domain (across cycles)."""
    previous: dict[str, int] = {}
    changed = []
    for assessment in assessments:
        domains = []
        for domain, score in assessment["ratings"].items():
            before = previous.get(domain)
            domains.append(
                {
                    "domain": domain,
                    "label": domain_label(domain),
                    "score": score,
                    "anchor": scale_label(score),
                    "previous": before,
                    "change": None if before is None else _signed(score - before),
                }
            )
            previous[domain] = score
        changed.append({**assessment, "domains": domains})
    return changed


def domain_series(assessments: list[dict], members: list[dict]) -> list[dict]:
    """Each domain's ratings over time, oldest first: one series per domain and person rated (the client, or a
    member of the client system), so one person's rating is never drawn as another's change."""
    names = {member["id"]: member["name"] for member in members}
    series: dict[tuple, dict] = {}
    for assessment in assessments:
        whose = assessment.get("member_id")
        for domain, score in assessment["ratings"].items():
            label = domain_label(domain) if whose is None else f"{domain_label(domain)} ({names.get(whose, '?')})"
            series.setdefault((whose, domain), {"label": label, "ratings": []})["ratings"].append(
                {"on": assessment["assessed_on"], "score": score}
            )
    return list(series.values())


def _signed(number: int) -> str:
    return f"+{number}" if number > 0 else str(number)


def activity_totals(activities: list[dict]) -> dict:
    """How many activities of each kind and their contact minutes, with the totals."""
    counts: Counter[str] = Counter()
    minutes: Counter[str] = Counter()
    for activity in activities:
        counts[activity["kind"]] += 1
        minutes[activity["kind"]] += activity["minutes"] or 0
    kinds = [{"kind": kind, "count": counts[kind], "minutes": minutes[kind]} for kind in sorted(counts)]
    return {"kinds": kinds, "count": sum(counts.values()), "minutes": sum(minutes.values()), "entries": activities}


def goal_histories(goals: list[dict], levels: list[dict]) -> list[dict]:
    """Each goal with the GAS levels observed over time (monitoring and evaluation), oldest first."""
    by_goal: dict[int, list[dict]] = defaultdict(list)
    for level in levels:
        by_goal[level["goal_number"]].append(
            {
                **level,
                "level_text": gas.format_level(level["level"]),
                "meaning": _(gas.LEVEL_LABELS[level["level"]]),
                "source_label": PHASE.label(LEVEL_SOURCES.get(level["source"], "monitoring")),
            }
        )
    return [
        {
            **goal,
            "levels": by_goal[goal["number"]],
            "latest_text": gas.format_level(goal["latest_level"]),
            "weight_text": f"{goal['weight']:g}",  # 3, not 3.0: as the case card shows it
            "scale_rows": [
                (gas.format_level(int(key)), text)
                for key, text in sorted((goal["scale"] or {}).items(), key=lambda item: int(item[0]))
            ],
        }
        for goal in goals
    ]


def case_report(case: dict, records: dict[str, list[dict]], today: dt.date) -> dict:
    """Everything the report shows, grouped by cycle."""
    assessments = domain_changes(records["assessments"])
    cycles = []
    for number in range(1, case["cycle"] + 1):

        def in_cycle(key: str, number: int = number) -> list[dict]:
            return [record for record in records[key] if record.get("cycle") == number]

        cycles.append(
            {
                "number": number,
                "assessments": [a for a in assessments if a["cycle"] == number],
                "goals": goal_histories([g for g in records["goals"] if g["cycle"] == number], records["goal_levels"]),
                "activities": activity_totals(in_cycle("activities")),
                "monitoring": in_cycle("monitoring"),
                "evaluations": in_cycle("evaluations"),
                "terminations": _terminations(in_cycle("terminations"), case, number),
            }
        )
    evaluations = records["evaluations"]
    return {
        **helping_system(records, today),
        "case": {**case, "phase_label": PHASE.label(case["phase"]), "level_label": LEVEL.label(case["level"])},
        "generated_on": today.isoformat(),
        "cycles": cycles,
        "t_score": evaluations[-1]["t_score"] if evaluations else None,
        "activities": activity_totals(records["activities"]),
        "domain_series": domain_series(records["assessments"], records["members"]),
    }


def _terminations(terminations: list[dict], case: dict, cycle: int) -> list[dict]:
    """A cycle's terminations; the one that closed the case as it stands now carries the case's next follow-up
    (moved on by every follow-up recorded since), the others the follow-up planned when they closed."""
    closed_now = case["status"] == "closed" and cycle == case["cycle"]
    return [
        {
            **termination,
            "current": closed_now and index == len(terminations) - 1,
            "next_follow_up": case["follow_up_on"],
        }
        for index, termination in enumerate(terminations)
    ]


def ecomap_now(changes: list[dict], today: dt.date) -> dict:
    """The ecomap as it stands today, each system with how it changed since the map was first drawn."""
    now = helping.ecomap_at(changes, today.isoformat())
    intake = helping.first_map_date(changes)
    since = (
        {
            row["system"].casefold(): row["change"]
            for row in helping.ecomap_diff(helping.ecomap_at(changes, intake), now)
        }
        if intake
        else {}
    )
    systems = [
        {
            **tie,
            "change": since.get(tie["system"].casefold(), "same"),
            "change_label": ECOMAP_CHANGE.label(since.get(tie["system"].casefold(), "same")),
        }
        for tie in now.values()
    ]
    return {"on": today.isoformat(), "drawn_on": intake, "systems": systems}


def helping_system(records: dict[str, list[dict]], today: dt.date) -> dict:
    """The people around the case: members, team and contact minutes, referrals, linked cases, ecomap, notes."""
    return {
        "members": records["members"],
        "team": records["team"],
        "referrals": records["referrals"],
        "part_of": records["part_of"],
        "parts": records["parts"],
        "notes": [{**note, "phase_label": PHASE.label(note["phase"])} for note in records["notes"]],
        "minutes_by_person": records["minutes_by_person"],
        "minutes_by_role": records["minutes_by_role"],
        "ecomap": ecomap_now(records["ecomap_changes"], today),
    }
