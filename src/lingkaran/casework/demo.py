"""The demo caseload: a dozen invented cases at every step and level, built through the real casework code.

Besides the seven steps it shows the helping system: family members and community groups, an individual case
that is part of a family case, a team of several professions, referrals (one accepted, one overdue), a dated
ecomap that changed over time, and free notes.
"""

import datetime as dt
import sqlite3

from lingkaran.casework import helping_work
from lingkaran.casework import notes as casenotes
from lingkaran.casework import steps as casework
from lingkaran.messages import _


def build(conn: sqlite3.Connection, today: dt.date) -> int:
    """Fill `conn` with the demo cases (dated relative to `today`); returns the case to feature."""
    worker = _("Rina (demo)")

    def day(days_ago: int) -> dt.date:
        return today - dt.timedelta(days=days_ago)

    def opened(client: str, level: str, problem: str, source: str, days_ago: int, consent: bool = True) -> str:
        case = casework.open_case(
            conn,
            client=client,
            level=level,
            problem=problem,
            source=source,
            consent=consent,
            worker=worker,
            on=day(days_ago),
        )
        # The worker is on every case's team, so her minutes count as a social worker's in `stats`.
        helping_work.add_team_member(
            conn, str(case["id"]), name=worker, role="social-worker", agency=None, contact=None, on=day(days_ago)
        )
        return str(case["id"])

    def assessed(case: str, days_ago: int, ratings: dict[str, int], need: str, strength: str, risk: str) -> None:
        casework.assess(
            conn, case, on=day(days_ago), ratings=ratings, strengths=[strength], needs=[need], risk=risk, summary=None
        )

    def planned(case: str, days_ago: int, goals: list[str], weights: dict[int, float] | None = None) -> None:
        casework.plan(
            conn,
            case,
            on=day(days_ago),
            new_goals=goals,
            default_target=day(-60).isoformat(),
            weights=weights or {},
            targets={},
            scales={},
            revisions={},
            dropped=[],
        )

    def visited(case: str, days_ago: int, kind: str, note: str, minutes: int = 60) -> None:
        casework.intervene(
            conn, case, on=day(days_ago), kind=kind, note=note, goal_numbers=[1], minutes=minutes, by=worker
        )

    def monitored(case: str, days_ago: int, progress: dict[int, int], note: str, follow_up: int | None) -> None:
        casework.monitor(
            conn,
            case,
            on=day(days_ago),
            progress=progress,
            note=note,
            follow_up=day(-follow_up) if follow_up is not None else None,
        )

    def members(case: str, days_ago: int, *people: tuple[str, str, str | None, int | None]) -> None:
        for name, role, relation, born in people:
            helping_work.add_member(
                conn,
                case,
                name=name,
                role=role,
                relation=relation,
                note=None,
                on=day(days_ago),
                details={"born": born} if born else None,
            )

    def ecomap(case: str, days_ago: int, *systems: tuple[str, str | None, str, str | None]) -> None:
        for system, kind, tie, flow in systems:
            helping_work.ecomap_add(
                conn, case, system=system, kind=kind, tie=tie, flow=flow, note=None, on=day(days_ago)
            )

    # engagement only
    opened(
        _("Siti Rahmawati"),
        "mikro",
        _("Left school after her father's death"),
        _("School counsellor"),
        2,
        consent=False,
    )
    # assessment
    hartono = opened(
        _("Hartono family"), "mezzo", _("Eviction notice; four months of rent arrears"), _("Village office"), 20
    )
    members(
        hartono,
        19,
        (_("Pak Hartono"), _("father"), _("head of household"), 1968),
        (_("Ibu Sri"), _("mother"), _("wife"), 1972),
        (_("Dimas"), _("son"), _("son"), 2012),
    )
    assessed(hartono, 15, {"housing": 1, "income": 2, "family": 3}, _("Stable housing"), _("Close-knit family"), "high")
    casenotes.add_note(conn, hartono, text=_("The landlord agreed to wait until the end of the month."), on=day(12))
    # planning
    budi = opened(_("Budi Santoso"), "mikro", _("Unemployed since the factory closed; drinking more"), _("Wife"), 40)
    assessed(
        budi,
        35,
        {"employment": 1, "income": 2, "substance-use": 2, "mental-health": 2},
        _("Work"),
        _("Skilled welder"),
        "medium",
    )
    planned(budi, 30, [_("Find paid work within three months"), _("Cut drinking to weekends only")], {1: 3, 2: 2})
    members(hartono, 18, (_("Budi Santoso"), _("son-in-law"), _("lodges with the family"), 1990))
    helping_work.link_cases(conn, budi, hartono, on=day(18))  # his lost wage is the family's rent
    # intervention (makro)
    sukamaju = opened(
        _("Sukamaju hamlet"), "makro", _("No clean water since the spring dried up"), _("Village head"), 70
    )
    members(
        sukamaju,
        68,
        (_("Pak Slamet"), _("leader"), _("hamlet head"), None),
        (_("Mosque committee"), _("institution"), None, None),
        (_("Women's prayer group"), _("group"), None, None),
    )
    assessed(
        sukamaju,
        65,
        {"basic-services": 1, "social-cohesion": 3},
        _("Clean water"),
        _("Active mosque committee"),
        "medium",
    )
    planned(sukamaju, 60, [_("A working water committee"), _("Piped water to 40 households")])
    visited(sukamaju, 50, "group-session", _("Community meeting: 35 residents chose a water committee."), 120)
    members(sukamaju, 49, (_("Water committee"), _("group"), _("chosen by the residents"), None))
    visited(sukamaju, 20, "advocacy", _("Met the district water office with the committee chair."), 90)
    # monitoring (featured)
    wulan = opened(
        _("Wulan Sari"),
        "mikro",
        _("Caring alone for a son with cerebral palsy; exhausted"),
        _("Community health centre"),
        80,
    )
    assessed(
        wulan,
        75,
        {"health": 2, "social-support": 1, "income": 2, "mental-health": 2},
        _("Respite care"),
        _("Determined, good bond with her son"),
        "medium",
    )
    son, mother, neighbours, school = _("Son Rafi"), _("Her mother"), _("Neighbours"), _("Special needs school")
    ecomap(
        wulan,
        75,
        (son, "family", "strong", "out"),
        (_("Former husband"), "family", "stressful", "none"),
        (mother, "family", "tenuous", "in"),
        (_("Community health centre"), "health", "strong", "in"),
        (neighbours, "neighbourhood", "tenuous", "both"),
        (school, "school", "tenuous", "both"),
        (_("Social affairs office"), "social-services", "stressful", "out"),
    )
    planned(wulan, 70, [_("Weekly respite through a carers' group"), _("Disability allowance granted")], {1: 2, 2: 3})
    for name, role, agency in (
        (_("Bu Dian"), "psychologist", _("Community health centre")),
        (_("Pak Agus"), "teacher", _("Special needs school")),
    ):
        helping_work.add_team_member(conn, wulan, name=name, role=role, agency=agency, contact=None, on=day(70))
    visited(wulan, 60, "home-visit", _("First home visit; mapped her week and who could help."), 90)
    casework.intervene(
        conn,
        wulan,
        on=day(55),
        kind="counselling",
        note=_("Talked through her exhaustion."),
        goal_numbers=[1],
        minutes=60,
        by=_("Bu Dian"),
    )
    casework.intervene(
        conn,
        wulan,
        on=day(45),
        kind="case-conference",
        goal_numbers=[1],
        minutes=40,
        note=_("School and family planned two after-school afternoons a week."),
        by=_("Pak Agus"),
    )
    visited(wulan, 40, "referral", _("Referred to the disability allowance office; forms filled in together."), 45)
    helping_work.refer(
        conn,
        wulan,
        agency=_("Social affairs office"),
        service=_("Disability allowance"),
        contact=None,
        due=day(10),
        force=False,
        reason=None,
        on=day(40),
    )
    monitored(wulan, 20, {1: 0, 2: -1}, _("Joined the carers' group; allowance still pending."), follow_up=5)
    ecomap(
        wulan,
        20,
        (_("Carers' group"), "friends", "strong", "both"),
        (neighbours, None, "strong", "both"),
        (school, None, "strong", "both"),
    )
    casenotes.add_note(conn, wulan, text=_("Her mother now stays two nights a week."), on=day(15))
    # evaluation, decision terminate
    youth = opened(
        _("Karang Taruna youth group RW 05"),
        "mezzo",
        _("Idle teenagers; petty theft rising"),
        _("Neighbourhood head"),
        120,
    )
    assessed(youth, 115, {"education": 2, "participation": 2, "safety": 2}, _("Activities"), _("Football pitch"), "low")
    planned(youth, 110, [_("Weekly activities run by the youth themselves")])
    members(
        youth, 118, (_("Karang Taruna board"), _("group"), None, None), (_("Mas Yoga"), _("leader"), _("chair"), 2004)
    )
    visited(youth, 90, "group-session", _("Planned a football league and a repair workshop."), 120)
    casework.evaluate(
        conn,
        youth,
        on=day(10),
        scores={1: 1},
        decision="terminate",
        note=_("The league runs itself; theft reports down."),
    )
    # loop back: evaluation → replan
    joko = opened(_("Joko Prasetyo"), "mikro", _("Widowed, lives alone, not eating"), _("Neighbour"), 100)
    assessed(joko, 95, {"food": 2, "social-support": 1, "health": 3}, _("Company"), _("Good neighbours"), "medium")
    planned(joko, 90, [_("Eats a hot meal every day")])
    visited(joko, 80, "home-visit", _("Arranged meals with the neighbours' rota."), 60)
    casework.evaluate(conn, joko, on=day(30), scores={1: -1}, decision="replan", note=_("The rota fell apart."))
    planned(joko, 25, [_("Joins the elderly day centre twice a week")])
    # terminated: goals met, follow-up due
    siregar = opened(_("Siregar family"), "mezzo", _("Parents' conflict; children missing school"), _("School"), 200)
    members(
        siregar,
        199,
        (_("Pak Siregar"), _("father"), None, 1982),
        (_("Ibu Siregar"), _("mother"), None, 1985),
        (_("Tiur"), _("daughter"), None, 2014),
        (_("Andi"), _("son"), None, 2016),
    )
    assessed(
        siregar, 195, {"family": 1, "education": 2, "safety": 2}, _("Calm at home"), _("Parents want change"), "high"
    )
    planned(siregar, 190, [_("Children attend school every day"), _("Parents resolve conflict without violence")])
    visited(siregar, 170, "counselling", _("Joint session with both parents."), 90)
    casework.evaluate(conn, siregar, on=day(40), scores={1: 1, 2: 0}, decision="terminate", note=None)
    casework.terminate(
        conn,
        siregar,
        on=day(35),
        reason="goals-met",
        follow_up=day(-3),
        destination=_("Home, with the school counsellor keeping watch"),
        summary=_("Both goals met; the family is calmer."),
    )
    # terminated: referred
    ani = opened(_("Ani Lestari"), "mikro", _("Pregnant at 16 and rejected by her family"), _("Midwife"), 60)
    assessed(ani, 58, {"family": 1, "health": 3, "safety": 2}, _("A safe place to live"), _("Her aunt"), "high")
    shelter = helping_work.refer(
        conn,
        ani,
        agency=_("Women's shelter"),
        service=_("Maternity programme"),
        contact=None,
        due=None,
        force=False,
        reason=None,
        on=day(55),
    )
    helping_work.update_referral(
        conn, str(shelter["referral_id"]), status="accepted", note=_("A place from next week."), on=day(51)
    )
    casework.terminate(
        conn,
        ani,
        on=day(50),
        reason="referred",
        follow_up=None,
        summary=_("Referred to a women's shelter with a maternity programme."),
        destination=_("Women's shelter"),
    )
    # intervention with monitoring, makro
    muara = opened(
        _("Muara fishing village"),
        "makro",
        _("Fishers' income collapsed after the storm season"),
        _("Fisheries office"),
        90,
    )
    members(
        muara,
        88,
        (_("Fishers' cooperative"), _("group"), None, None),
        (_("Bu Nining"), _("leader"), _("village head"), None),
    )
    assessed(
        muara,
        85,
        {"local-economy": 1, "basic-services": 2, "social-institutions": 4},
        _("Boats repaired"),
        _("Fishers' cooperative"),
        "high",
    )
    planned(muara, 80, [_("Boat repair fund for 30 boats")])
    visited(muara, 60, "advocacy", _("Proposal to the regency disaster fund, with the cooperative."), 120)
    monitored(muara, 30, {1: -1}, _("Fund approved for 12 boats so far."), follow_up=-2)
    # reopened: cycle 2
    rudi = opened(
        _("Rudi Hakim"), "mikro", _("Released from prison; no identity card, no work"), _("Correctional office"), 300
    )
    assessed(rudi, 295, {"legal": 1, "employment": 1, "housing": 2}, _("Identity card"), _("Wants to work"), "medium")
    planned(rudi, 290, [_("Identity card issued")])
    visited(rudi, 280, "advocacy", _("Went with him to the civil registry."), 180)
    casework.evaluate(conn, rudi, on=day(200), scores={1: 2}, decision="terminate", note=None)
    casework.terminate(
        conn,
        rudi,
        on=day(199),
        reason="goals-met",
        follow_up=None,
        destination=None,
        summary=_("Identity card issued."),
    )
    casework.reopen(conn, rudi, on=day(7), reason=_("Lost his job; asks for help again"))
    # withdrew
    dewi = opened(
        _("Dewi Anggraini"), "mikro", _("Elderly, memory loss, neglected by relatives"), _("Health volunteer"), 45
    )
    casework.terminate(
        conn,
        dewi,
        on=day(30),
        reason="withdrew",
        follow_up=day(-30),
        destination=None,
        summary=_("Her son took her home and declined further contact."),
    )
    return int(wulan)
