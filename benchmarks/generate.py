"""Build a synthetic caseload of N cases through lingkaran's own casework code, for the benchmarks.

    python benchmarks/generate.py --cases 10000 --db /tmp/caseload.db

Every case tells a plausible story (open, assess with domain ratings, plan goals with weights and GAS levels,
activities with ~300-character notes, monitoring, evaluations, terminations, follow-ups, a second cycle now and
then) and ends at a step drawn from an agency's mix: about 40% active at every step, 60% closed. About 30
events a case. The same seed gives the same caseload. Each step goes through `lingkaran.casework.steps`, so the
records, events and hash chain are exactly what the commands would have written; many cases share one outer
transaction (the steps nest inside it as savepoints), which is what makes 10,000 cases take seconds.
"""

import argparse
import datetime as dt
import random
import sys
import time
from pathlib import Path

from lingkaran.casework import steps as casework
from lingkaran.domain.vocabularies import ACTIVITY, LEVEL, RISK
from lingkaran.domain.assessment_domains import domain_names, domains_for
from lingkaran.store import search_index
from lingkaran.store.database import connect, transaction

CASES_PER_COMMIT = 1000

FIRST_NAMES = (
    "Siti", "Budi", "Wulan", "Joko", "Ani", "Dewi", "Rudi", "Agus", "Sri", "Hartono", "Yuni", "Eko", "Rina",
    "Bambang", "Nur", "Dian", "Fitri", "Hendra", "Indah", "Putri", "Rizky", "Lestari", "Wahyu", "Ayu", "Teguh",
    "Ratna", "Slamet", "Endang", "Yusuf", "Maya", "Adi", "Kartini", "Made", "Ketut", "Nyoman", "Ahmad", "Rahmat",
)
LAST_NAMES = (
    "Santoso", "Rahmawati", "Prasetyo", "Lestari", "Hakim", "Anggraini", "Siregar", "Wibowo", "Susanto",
    "Hidayat", "Saputra", "Nasution", "Simanjuntak", "Kusuma", "Setiawan", "Gunawan", "Pratama", "Sari",
    "Wijaya", "Harahap", "Pohan", "Utami", "Purnomo", "Sembiring", "Manurung", "Suryadi",
)
GROUPS = ("family", "youth group RW {n}", "women's savings group {n}", "carers' circle {n}", "farmers' group {n}")
COMMUNITIES = ("{name} hamlet", "{name} fishing village", "RT {n} {name}", "{name} market traders")
PROBLEMS = (
    "Left school after her father's death", "Eviction notice; four months of rent arrears",
    "Unemployed since the factory closed; drinking more", "No clean water since the spring dried up",
    "Caring alone for a son with cerebral palsy; exhausted", "Idle teenagers; petty theft rising",
    "Widowed, lives alone, not eating", "Parents' conflict; children missing school",
    "Pregnant at 16 and rejected by her family", "Fishers' income collapsed after the storm season",
    "Released from prison; no identity card, no work", "Elderly, memory loss, neglected by relatives",
    "Putus sekolah, bekerja di bengkel", "Kekerasan dalam rumah tangga, anak-anak ketakutan",
    "Tidak punya KTP sehingga tidak bisa mendaftar bantuan", "Lansia tinggal sendiri tanpa penghasilan",
    "Child labour at the brick kiln", "Gambling debts; moneylenders threatening the family",
    "Disability allowance refused twice", "Flood destroyed the house; family in a shelter",
)
SOURCES = ("School counsellor", "Village office", "Wife", "Village head", "Community health centre", "Neighbour",
           "Midwife", "Correctional office", "Health volunteer", "Puskesmas", "Dinas Sosial", "Self-referred", None)
WORKERS = tuple(f"{first} {last}" for first, last in zip(FIRST_NAMES[:18], reversed(LAST_NAMES[:18])))
SENTENCES = (
    "Visited the family at home and sat with the mother for most of the afternoon.",
    "She said the children are eating twice a day now, which is better than last month.",
    "The landlord agreed to wait until the end of the month if half the arrears are paid.",
    "We filled in the disability allowance form together and took photos of the documents.",
    "He has not been drinking since the last visit, according to his wife and his brother.",
    "The school principal agreed to take the girl back if she attends the catch-up classes.",
    "Ibu Wulan mengatakan kelompok pengasuh sangat membantu dan ia bisa tidur lebih lama.",
    "Kami bertemu kepala desa untuk membahas bantuan air bersih bagi empat puluh rumah tangga.",
    "Anak-anak sudah kembali ke sekolah sejak hari Senin dan gurunya memberi tugas tambahan.",
    "Pak Joko makan siang bersama tetangga dan terlihat lebih bersemangat daripada minggu lalu.",
    "The youth group chose a treasurer and opened a savings book at the cooperative.",
    "Referred to the legal aid office about the identity card; appointment on Thursday.",
    "The committee reported that the pipe to the lower hamlet is still leaking.",
    "She cried when talking about her late husband; we agreed to meet again next week.",
    "Counselling session focused on how the parents speak to each other when angry.",
    "The health centre nurse will check the baby's weight every two weeks from now on.",
    "Keluarga sepakat membuat jadwal piket memasak dan membersihkan rumah bersama.",
    "Kader posyandu akan mengunjungi rumah ini setiap minggu untuk memantau gizi anak.",
    "Her son's wheelchair needs a new wheel; asked the church group to help with the cost.",
    "We practised the job interview twice and he wrote down the questions to prepare.",
    "The neighbours' meal rota has gaps on weekends; two more families offered to join.",
    "Advocated with the district office; they promised an answer within fourteen days.",
    "Case conference with the school, the health centre and the village office.",
    "No one was at home; left a note and spoke briefly with the neighbour.",
)
STRENGTHS = ("Close-knit family", "Skilled welder", "Active mosque committee", "Determined", "Good neighbours",
             "Football pitch", "Fishers' cooperative", "Wants to work", "Her aunt", "Keluarga besar mendukung")
NEEDS = ("Stable housing", "Work", "Clean water", "Respite care", "Company", "Calm at home", "Identity card",
         "A safe place to live", "Boats repaired", "Penghasilan tetap", "Sekolah lagi")
GOALS = ("Find paid work within three months", "Cut drinking to weekends only", "A working water committee",
         "Weekly respite through a carers' group", "Disability allowance granted", "Eats a hot meal every day",
         "Children attend school every day", "Parents resolve conflict without violence", "Identity card issued",
         "Rent arrears paid off", "Joins the elderly day centre twice a week", "Anak kembali bersekolah",
         "Keluarga memiliki penghasilan tetap", "Boat repair fund for 30 boats")
SUMMARIES = ("Both goals met; the family is calmer.", "Referred to a women's shelter with a maternity programme.",
             "Identity card issued and a job found.", "The league runs itself; theft reports down.",
             "Moved to her daughter's house in another province.", "Tujuan tercapai; keluarga mandiri.")
UNPLANNED_REASONS = ("referred", "transferred", "withdrew", "moved", "died", "other")
ACTIVITIES = ACTIVITY.values
DOMAINS = domain_names()
# Where a case stands at the end of its story, weighted like an agency with years of records.
OUTCOMES = {"engagement": 3, "assessment": 4, "planning": 4, "intervention": 13, "monitoring": 12, "evaluation": 4,
            "closed-planned": 40, "closed-unplanned": 20}
ACTIVE_OUTCOMES = {"engagement", "assessment", "planning", "intervention", "monitoring", "evaluation"}
YEARS_OF_RECORDS = 6


class Story:
    """One case's steps, as (days after the previous step, casework function, its arguments)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.steps: list[tuple[int, str, dict]] = []
        self.open_goals: list[int] = []
        self.next_goal = 1

    def add(self, name: str, gap: tuple[int, int] = (1, 12), **arguments) -> None:
        self.steps.append((self.rng.randint(*gap), name, arguments))

    def note(self) -> str:
        """A progress note of about 300 characters."""
        sentences: list[str] = []
        while sum(len(s) + 1 for s in sentences) < 260:
            sentences.append(self.rng.choice(SENTENCES))
        return " ".join(sentences)

    def assess(self) -> None:
        domains = self.rng.sample(DOMAINS, self.rng.randint(4, 8))
        self.add("assess", ratings={domain: self.rng.randint(1, 4) for domain in domains},
                 strengths=self.rng.sample(STRENGTHS, self.rng.randint(1, 2)),
                 needs=self.rng.sample(NEEDS, self.rng.randint(1, 2)), risk=self.rng.choice(RISK.values),
                 summary=self.rng.choice(SENTENCES))

    def plan(self, count: int) -> None:
        numbers = list(range(self.next_goal, self.next_goal + count))
        self.next_goal += count
        self.open_goals += numbers
        self.add("plan", new_goals=self.rng.sample(GOALS, count), default_target=None,
                 weights={n: float(self.rng.randint(1, 3)) for n in numbers if self.rng.random() < 0.5},
                 targets={}, revisions={}, dropped=[],
                 scales={numbers[0]: {"-1": "As now", "0": "Expected outcome", "1": "Better than expected"}})

    def intervene(self) -> None:
        goals = self.rng.sample(self.open_goals, self.rng.randint(1, min(2, len(self.open_goals))))
        self.add("intervene", kind=self.rng.choice(ACTIVITIES), note=self.note(), goal_numbers=goals,
                 minutes=self.rng.choice((15, 30, 45, 60, 90, 120)), by=self.rng.choice(WORKERS))

    def monitor(self, follow_up: dt.date | None = None, gap: tuple[int, int] = (1, 12)) -> None:
        progress = {n: self.rng.randint(-2, 1) for n in self.open_goals} if self.open_goals else {}
        self.add("monitor", gap, progress=progress, note=self.note(), follow_up=follow_up)

    def work(self, activities: int) -> None:
        """A stretch of intervention: activities, with monitoring about every third contact."""
        for _ in range(activities):
            self.intervene()
            if self.rng.random() < 0.33:
                self.monitor()

    def evaluate(self, decision: str) -> None:
        self.add("evaluate", scores={n: self.rng.randint(-1, 2) for n in self.open_goals}, decision=decision,
                 note=self.rng.choice(SENTENCES))

    def terminate(self, reason: str, follow_up: bool) -> None:
        self.add("terminate", reason=reason, summary=self.rng.choice(SUMMARIES), destination=None,
                 follow_up=self.rng.randint(30, 120) if follow_up else None)
        self.open_goals = []


def story(rng: random.Random, outcome: str) -> Story:
    """The steps of one case that ends at `outcome`."""
    tale = Story(rng)
    if outcome == "engagement":
        return tale
    cycles = 2 if outcome == "closed-planned" and rng.random() < 0.15 else 1
    for number in range(1, cycles + 1):
        last = number == cycles
        if number > 1:
            tale.add("reopen", (30, 200), reason="Asks for help again")
        tale.assess()
        if outcome == "assessment" and last:
            return tale
        if outcome == "closed-unplanned" and rng.random() < 0.3:
            tale.terminate(rng.choice(UNPLANNED_REASONS), follow_up=False)
            return tale
        tale.plan(rng.randint(2, 3))
        if outcome == "planning" and last:
            return tale
        tale.work(rng.randint(12, 28) if cycles == 1 else rng.randint(8, 16))
        if rng.random() < 0.25:
            tale.evaluate(rng.choice(("continue", "replan")))
            if tale.steps[-1][2]["decision"] == "replan":
                tale.plan(1)
            tale.work(rng.randint(3, 8))
        if outcome == "intervention" and last:
            tale.intervene()
            return tale
        if outcome == "monitoring" and last:
            tale.monitor()
            return tale
        if outcome == "closed-unplanned":
            tale.terminate(rng.choice(UNPLANNED_REASONS), follow_up=rng.random() < 0.3)
            return tale
        tale.evaluate("terminate")
        if outcome == "evaluation" and last:
            return tale
        tale.terminate("goals-met", follow_up=rng.random() < 0.4)
    if rng.random() < 0.4:
        tale.monitor(gap=(20, 90))
    return tale


def new_case(rng: random.Random) -> dict:
    """What `open` records: a client at one of the three levels, a problem, a source."""
    level = rng.choices(LEVEL.values, weights=(70, 22, 8))[0]
    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    if level == "mezzo":
        name = rng.choice(GROUPS).format(n=rng.randint(1, 20)).replace("family", f"{rng.choice(LAST_NAMES)} family")
    elif level == "makro":
        name = rng.choice(COMMUNITIES).format(n=rng.randint(1, 20), name=rng.choice(LAST_NAMES))
    return {"client": name, "level": level, "problem": rng.choice(PROBLEMS), "source": rng.choice(SOURCES),
            "consent": rng.random() < 0.93, "worker": rng.choice(WORKERS)}


def add_case(conn, rng: random.Random, today: dt.date) -> int:
    """Open one case and play its story through casework, dated so that it ends where it should."""
    outcome = rng.choices(list(OUTCOMES), weights=list(OUTCOMES.values()))[0]
    tale = story(rng, outcome)
    span = sum(gap for gap, _, _ in tale.steps)
    ends_days_ago = rng.randint(0, 45) if outcome in ACTIVE_OUTCOMES else rng.randint(0, 365 * YEARS_OF_RECORDS)
    on = today - dt.timedelta(days=ends_days_ago + span)
    case = casework.open_case(conn, on=on, **new_case(rng))
    reference = str(case["id"])
    for gap, name, arguments in tale.steps:
        on += dt.timedelta(days=gap)
        if isinstance(arguments.get("follow_up"), int):
            arguments = {**arguments, "follow_up": on + dt.timedelta(days=arguments["follow_up"])}
        if name == "assess":  # each level is rated on its own domains (a village not on substance use)
            fitting = domains_for(case["level"])
            arguments = {**arguments, "ratings": dict(zip(rng.sample(fitting, min(len(fitting), len(arguments["ratings"]))),
                                                          arguments["ratings"].values()))}
        getattr(casework, name)(conn, reference, on=on, **arguments)
    return 1 + len(tale.steps)


def build(path: Path, cases: int, seed: int = 6, today: dt.date | None = None, progress: bool = False) -> int:
    """Create the caseload at `path` with `cases` cases; returns the number of events written."""
    today = today or dt.date.today()
    rng = random.Random(seed)
    conn = connect(path)
    # A new scratch file filled by one process: no rollback journal and no fsyncs while loading (about 15% less
    # time; any failed step aborts the whole build), WAL again at the end. Commands keep their own durability.
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA cache_size = -262144")
    events = 0
    for start in range(0, cases, CASES_PER_COMMIT):
        with transaction(conn), search_index.filled_at_end(conn):
            for _ in range(min(CASES_PER_COMMIT, cases - start)):
                events += add_case(conn, rng, today)
        if progress:
            sys.stderr.write(f"\r{min(start + CASES_PER_COMMIT, cases)} cases")
    if progress:
        sys.stderr.write("\n")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    return events



def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000, help="how many cases (default 10000)")
    parser.add_argument("--db", type=Path, required=True, help="the caseload file to create (must not exist)")
    parser.add_argument("--seed", type=int, default=6, help="random seed (default 6)")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=None, help="the last possible date")
    args = parser.parse_args(argv)
    if args.db.exists():
        parser.error(f"{args.db} already exists; the generator fills only a new file")
    started = time.perf_counter()
    events = build(args.db, args.cases, args.seed, args.today, progress=sys.stderr.isatty())
    seconds = time.perf_counter() - started
    size = args.db.stat().st_size / 1e6
    print(f"{args.cases} cases, {events} events ({events / max(args.cases, 1):.1f} a case) in {seconds:.1f} s; "
          f"{args.db} is {size:.0f} MB")


if __name__ == "__main__":
    main()
