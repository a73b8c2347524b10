"""Time lingkaran's commands as whole processes on a synthetic caseload, beside Taskwarrior on the same cases.

    python benchmarks/run.py                      # 10,000 cases, 5 rounds after a warm-up round
    python benchmarks/run.py --cases 100000       # generated once into the work folder, then reused
    python benchmarks/run.py --cases 20 --quick   # one run each, no Taskwarrior: checks that it all works
    python benchmarks/run.py --cases 100000 --no-taskwarrior --only show,show-json,log,intervene

Each command runs as its own process (the installed `lingkaran`, as a user would type it), stdout to /dev/null
or a file. Wall time from spawn to exit; peak memory is the process's maximum resident set as the kernel counts
it (GNU time's %M, else os.wait4). Commands run in rounds (each command once a round, a warm-up round first),
so a busy machine slows all of them alike; the table gives each command's median and its range.
Commands another branch has not built yet are skipped (`lingkaran CMD --help` fails).
When `task` is installed, the same cases are imported as Taskwarrior tasks (one annotation per event) into a
private TASKDATA, and `task N info`, `task list`, `task export` are timed in the same run.
"""

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import generate  # noqa: E402

NOTE = ("Home visit: the mother says the children now eat twice a day and the eldest is back at school. "
        "We went through the rent arrears together; the landlord will wait until the end of the month if half "
        "is paid. Next visit in two weeks with the school counsellor to talk about the catch-up classes.")
MEMORY_LIMIT_MB = 80
TARGET_CASES = 10_000
GNU_TIME = "/usr/bin/time" if Path("/usr/bin/time").exists() else None


@dataclass
class Timing:
    """The runs of one command: wall seconds, peak memory, and why it failed if it did."""

    label: str
    seconds: list[float] = field(default_factory=list)
    peak_kb: int = 0
    error: str | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.seconds) if self.seconds else float("nan")

    def spread(self) -> str:
        return f"{min(self.seconds):.3f}–{max(self.seconds):.3f}" if self.seconds else ""


def run_once(argv: list[str], env: dict, stdout: Path | None = None) -> tuple[float, int, int, str]:
    """Run one process; return its wall time, peak RSS (KB), exit code and the last line of stderr.

    The peak comes from GNU time when it is installed: a child forked from this (bigger) Python process would
    report this process's memory as its own peak, since Linux keeps the pre-exec high-water mark.
    """
    with tempfile.TemporaryDirectory() as folder, open(stdout or os.devnull, "wb") as out:
        err_path, peak_path = Path(folder) / "stderr", Path(folder) / "peak"
        wrapper = [GNU_TIME, "-f", "%M", "-o", str(peak_path), "--"] if GNU_TIME else []
        with open(err_path, "wb") as err:
            started = time.perf_counter()
            process = subprocess.Popen([*wrapper, *argv], stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env)
            _, status, usage = os.wait4(process.pid, 0)
            seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        peak_kb = usage.ru_maxrss
        if GNU_TIME and peak_path.exists():
            figures = peak_path.read_text().split()
            peak_kb = int(figures[-1]) if figures and figures[-1].isdigit() else peak_kb
        lines = err_path.read_text(errors="replace").strip().splitlines()
    return seconds, peak_kb, process.returncode, lines[-1] if lines else ""


@dataclass
class Job:
    """One command to time: its label, how to build its argv (fresh each run), and what to do before a run."""

    key: str
    label: str
    argv: Callable[[], list[str]]
    env: dict
    stdout: Path | None = None
    before: Callable[[], None] | None = None
    max_runs: int | None = None


def measure_all(jobs: list[Job], runs: int, warm_up: bool) -> dict[str, Timing]:
    """Run every job once a round (a warm-up round first), `runs` rounds: a busy machine then slows every
    command alike instead of whichever happened to run while it was busy. A job stops at its first failure."""
    timings = {job.key: Timing(job.label) for job in jobs}
    for round_number in range(-1 if warm_up else 0, runs):
        for job in jobs:
            timing = timings[job.key]
            if timing.error or (job.max_runs is not None and round_number >= job.max_runs):
                continue
            if job.before:
                job.before()
            seconds, peak_kb, code, last_line = run_once(job.argv(), job.env, job.stdout)
            if code != 0:
                timing.error = f"exit {code}: {last_line}"
            elif round_number >= 0:
                timing.seconds.append(seconds)
                timing.peak_kb = max(timing.peak_kb, peak_kb)
    return timings


def lingkaran_command() -> list[str]:
    beside = Path(sys.executable).parent / "lingkaran"
    return [str(beside)] if beside.exists() else [shutil.which("lingkaran") or "lingkaran"]


def available(base: list[str], env: dict, command: str) -> str | None:
    """The command's --help text when the installed lingkaran has it, else None."""
    result = subprocess.run([*base, command, "--help"], capture_output=True, text=True, env=env)
    return result.stdout if result.returncode == 0 else None


def prepare_caseload(work: Path, cases: int, today: dt.date) -> Path:
    """The generated caseload for `cases` in the work folder, built on first use and reused after."""
    path = work / f"caseload-{cases}.db"
    if not path.exists():
        partial = path.with_suffix(".tmp")
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{partial}{suffix}").unlink(missing_ok=True)  # left by an interrupted build
        started = time.perf_counter()
        events = generate.build(partial, cases, today=today)
        partial.rename(path)
        print(f"generated {cases} cases, {events} events in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return path


def case_json(base: list[str], env: dict, *args: str) -> list[dict]:
    result = subprocess.run([*base, *args, "--json"], capture_output=True, text=True, env=env, check=True)
    return json.loads(result.stdout)


def lingkaran_jobs(args, path: Path, env: dict) -> list[Job]:
    """The lingkaran commands to time on the caseload at `path` (those this lingkaran has)."""
    base = lingkaran_command()
    env = {**env, "LINGKARAN_DB": str(path)}
    middle = str(max(args.cases // 2, 1))
    working = [case for case in case_json(base, env, "list")
               if any(goal["status"] == "open" for goal in case["goals"])]  # intervene needs an open goal
    write_case = str(working[len(working) // 2]["id"]) if working else middle
    jobs: list[Job] = []

    def add(key: str, *argv: str, **options) -> None:
        label = "lingkaran " + " ".join("TEXT" if argument == NOTE else argument for argument in argv)
        jobs.append(Job(key, label, lambda: [*base, *argv], env, **options))

    add("help", "--help")
    add("show", "show", middle)
    add("show-json", "show", middle, "--json")
    add("list", "list")
    add("list-all-json", "list", "--all", "--json")
    add("log", "log", middle)
    if available(base, env, "search") is not None:
        add("search", "search", "sekolah")
    add("intervene", "intervene", write_case, "--activity", "home-visit", "--note", NOTE, "--minutes", "60")
    for command in ("dashboard", "due"):
        if available(base, env, command) is not None:
            add(command, command)
    if available(base, env, "export") is not None:
        exported = args.work / f"export-{args.cases}.ndjson"
        # the synthetic caseload has cases without recorded consent, which export refuses without --force
        add("export", "export", "--format", "ndjson", "--force", stdout=exported)
        import_help = available(base, env, "import")
        if import_help is not None:
            fresh = args.work / "imported.db"
            fmt = ["--format", "ndjson"] if "--format" in import_help else []

            def empty_database() -> None:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{fresh}{suffix}").unlink(missing_ok=True)

            jobs.append(Job("import", f"lingkaran import {exported.name} (into an empty file)",
                            lambda: [*base, "--db", str(fresh), "import", str(exported), *fmt], env,
                            before=empty_database, max_runs=3))
    return jobs


def floor_jobs(args, path: Path, env: dict) -> list[Job]:
    """What Python and SQLite's own shell take on the same file, in the same rounds: Python starting and loading
    sqlite3 (start-up's floor), `.dump` of the caseload (export's) and replaying that dump into an empty file
    (import's). Needs the `sqlite3` program (Debian package sqlite3); without it only Python's floor is timed."""
    jobs = [Job("floor:python", f"{Path(sys.executable).name} -c 'import sqlite3'",
                lambda: [sys.executable, "-c", "import sqlite3"], env)]
    if not shutil.which("sqlite3"):
        print("floors: no sqlite3 program (apt-get install sqlite3): .dump and its replay are not timed",
              file=sys.stderr)
        return jobs
    dump = args.work / f"dump-{args.cases}.sql"
    if not dump.exists():
        with open(dump, "wb") as out:
            subprocess.run(["sqlite3", str(path), ".dump"], stdout=out, check=True)
    replayed = args.work / "replayed.db"

    def empty_file() -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{replayed}{suffix}").unlink(missing_ok=True)

    return [*jobs, Job("floor:dump", f"sqlite3 caseload-{args.cases}.db .dump", lambda: ["sqlite3", str(path), ".dump"],
                       env, stdout=args.work / "dump-timed.sql"),
            Job("floor:replay", f"sqlite3 new.db < {dump.name}",
                lambda: ["sh", "-c", f'sqlite3 "{replayed}" < "{dump}"'], env, before=empty_file, max_runs=3)]


def taskwarrior_jobs(args, path: Path) -> list[Job]:
    """Load the same cases into a private Taskwarrior and time info, list and export."""
    folder = args.work / f"taskwarrior-{args.cases}{'-bare' if args.taskwarrior_bare else ''}"
    env = {**os.environ, "TASKRC": str(folder / "taskrc"), "TASKDATA": str(folder / "data")}
    if not (folder / "loaded").exists():
        shutil.rmtree(folder, ignore_errors=True)
        (folder / "data").mkdir(parents=True)
        (folder / "taskrc").write_text(f"data.location={folder / 'data'}\nconfirmation=off\nhooks=off\n"
                                       "news.version=2.6.0\n")
        tasks = folder / "tasks.json"
        tasks.write_text(json.dumps(as_tasks(path, annotations=not args.taskwarrior_bare)))
        started = time.perf_counter()
        subprocess.run(["task", "import", str(tasks)], env=env, check=True, capture_output=True)
        subprocess.run(["task", "list"], env=env, capture_output=True)  # the first report renumbers (gc)
        print(f"taskwarrior: imported {args.cases} cases in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        (folder / "loaded").touch()
    pending = subprocess.run(["task", "status:pending", "count"], env=env, capture_output=True, text=True)
    middle = str(max(int(pending.stdout.strip() or 1) // 2, 1))
    return [Job(f"tw:{key}", " ".join(argv), lambda argv=argv: argv, env)
            for key, argv in (("info", ["task", middle, "info"]), ("list", ["task", "list"]),
                              ("export", ["task", "export"]))]


def as_tasks(path: Path, annotations: bool = True) -> list[dict]:
    """The caseload as Taskwarrior tasks: a task per case, an annotation per event (read with lingkaran's code)."""
    from lingkaran.readmodels import case_view
    from lingkaran.store import events
    from lingkaran.store.database import connect

    conn = connect(path)
    tasks = []
    for case in case_view.caseload(conn, include_closed=True, phase=None, level=None):
        task = {"uuid": case["uuid"], "description": f"{case['client']}: {case['problem']}",
                "project": case["level"], "tags": [case["phase"]], "entry": stamp(case["opened_on"]),
                "status": "pending" if case["status"] == "active" else "completed"}
        if case["closed_on"]:
            task["end"] = stamp(case["closed_on"])
        if case["follow_up_on"]:
            task["due"] = stamp(case["follow_up_on"])
        if annotations:
            task["annotations"] = [
                {"entry": stamp(event["occurred_on"], seconds=index), "description": annotation(event)}
                for index, event in enumerate(events.for_case(conn, case["id"]))]
        tasks.append(task)
    conn.close()
    return tasks


def stamp(iso_date: str, seconds: int = 0) -> str:
    """A date as Taskwarrior's UTC timestamp (seconds apart, so annotations of one day stay distinct)."""
    moment = dt.datetime.fromisoformat(iso_date) + dt.timedelta(hours=8, seconds=seconds)
    return moment.strftime("%Y%m%dT%H%M%SZ")


def annotation(event: dict) -> str:
    data = event["data"]
    text = data.get("note") or data.get("summary") or data.get("problem") or data.get("reason") or ""
    return f"{event['kind']}: {text}".strip()


def read_cost(path: Path, cases: int, sample: int = 50) -> str:
    """What reading one case costs inside SQLite, whatever the machine's load: the mean number of virtual
    machine instructions (and milliseconds) that `show` and `log` take over cases spread across the file."""
    from lingkaran.readmodels import case_view
    from lingkaran.store.database import connect

    conn = connect(path)
    references = [str(1 + index * cases // sample) for index in range(min(sample, cases))]
    instructions = 0

    def count() -> int:
        nonlocal instructions
        instructions += 1
        return 0

    conn.set_progress_handler(count, 1)
    for reference in references:
        case_view.case_detail(conn, reference), case_view.timeline(conn, reference)
    conn.set_progress_handler(None, 1)
    started = time.perf_counter()
    for reference in references:
        case_view.case_detail(conn, reference), case_view.timeline(conn, reference)
    milliseconds = (time.perf_counter() - started) * 1000 / len(references)
    conn.close()
    return (f"Reading one case (show + log, in process, mean of {len(references)} cases across the file): "
            f"{instructions // len(references):,} SQLite VM steps (progress-handler count), {milliseconds:.2f} ms.")


TARGETS = {  # key: (what it is compared with, the highest ratio allowed): issue 16's, and the earlier ones met
    "help": ("floor:python", 2.0), "show": ("tw:info", 1.0), "list": ("tw:list", 0.75),
    "list-all-json": ("tw:export", 0.5), "export": ("floor:dump", 1.0), "import": ("floor:replay", 1.5),
    "intervene": ("show", 1.2), "search": ("show", 1.5),
}
OTHERS = ("tw:", "floor:")  # timed beside lingkaran to compare with, listed under it


def report(timings: dict[str, Timing], cases: int) -> str:
    """The table: each command's median, spread, peak memory, and its ratio to what it is measured against.
    The ratios to Taskwarrior are targets at 10,000 cases; at other sizes they are shown, not judged."""
    rows = ["| command | median s | min–max s | peak MB | compared with | its median s | ratio | target |",
            "|---|---:|---:|---:|---|---:|---:|---|"]
    ours = {key: timing for key, timing in timings.items() if not key.startswith(OTHERS)}
    theirs = {key: timing for key, timing in timings.items() if key.startswith("tw:")}
    for key, timing in ours.items():
        if timing.error:
            rows.append(f"| `{timing.label}` | failed: {timing.error} | | | | | | |")
            continue
        against, limit = TARGETS.get(key, (None, None))
        other = timings.get(against or "")
        versus = f"`{other.label}`" if other else ""
        their_median = f"{other.median:.3f}" if other and other.seconds else ""
        ratio = timing.median / other.median if other and other.seconds else None
        verdict = []
        if ratio is not None and (cases >= TARGET_CASES or not against.startswith("tw:")):
            verdict.append(f"≤ {limit} {'ok' if ratio <= limit else 'MISSED'}")
        mb = timing.peak_kb / 1024
        verdict.append(f"≤ {MEMORY_LIMIT_MB} MB {'ok' if mb <= MEMORY_LIMIT_MB else 'MISSED'}")
        rows.append(f"| `{timing.label}` | {timing.median:.3f} | {timing.spread()} | {mb:.1f} | {versus} | "
                    f"{their_median} | {'' if ratio is None else f'{ratio:.2f}'} | {', '.join(verdict)} |")
    for timing in theirs.values():
        rows.append(f"| `{timing.label}` | {timing.median:.3f} | {timing.spread()} | {timing.peak_kb / 1024:.1f} "
                    f"| | | | |" if not timing.error else f"| `{timing.label}` | failed: {timing.error} | | | | | | |")
    return "\n".join(rows)


def floors_report(timings: dict[str, Timing]) -> str:
    """The floors: what Python alone and SQLite's own shell take on the same file, in the same rounds (so anyone
    can check a ratio above on their own machine)."""
    rows = ["| floor | median s | min–max s | the lingkaran command compared with it |", "|---|---:|---:|---|"]
    compared = {against: key for key, (against, _limit) in TARGETS.items()}
    for key, timing in timings.items():
        if key.startswith("floor:"):
            ours = timings.get(compared.get(key, ""))
            rows.append(f"| `{timing.label}` | {timing.median:.3f} | {timing.spread()} | "
                        f"{f'`{ours.label}`' if ours else ''} |" if not timing.error
                        else f"| `{timing.label}` | failed: {timing.error} | | |")
    return "\n".join(rows)


def machine() -> str:
    memory_kb = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal")), 0) if Path("/proc/meminfo").exists() else 0
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    return (f"{os.cpu_count()} CPUs, {memory_kb / 1024 / 1024:.1f} GB RAM, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}, load average {load} at the start")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000, help="caseload size (default 10000)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each command (default 5)")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "lingkaran-bench",
                        help="folder for the generated caseloads and Taskwarrior data (reused between runs)")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today(),
                        help="pretend today is this date (LINGKARAN_TODAY) when generating and timing")
    parser.add_argument("--quick", action="store_true", help="no warm-up and no Taskwarrior: a smoke test")
    parser.add_argument("--no-taskwarrior", action="store_true", help="skip Taskwarrior even when installed")
    parser.add_argument("--taskwarrior-bare", action="store_true",
                        help="give Taskwarrior only a task per case, without the events as annotations")
    parser.add_argument("--only", default="", help="time only these commands, e.g. show,show-json,log,intervene")
    args = parser.parse_args(argv)
    if args.quick:
        args.runs = min(args.runs, 1)
    args.work.mkdir(parents=True, exist_ok=True)
    header = f"{args.cases} cases; {machine()}"
    path = prepare_caseload(args.work, args.cases, args.today)
    # PYTHONDONTWRITEBYTECODE would make every run compile lingkaran's source again (an editable install has no
    # .pyc until a run writes them; a wheel install has them): the warm-up run writes them.
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("LINGKARAN_", "LC_", "LANG")) and key != "PYTHONDONTWRITEBYTECODE"}
    env.update({"LINGKARAN_TODAY": args.today.isoformat(), "LINGKARAN_CONFIG": str(args.work / "no-config.json"),
                "NO_COLOR": "1", "COLUMNS": "100", "XDG_DATA_HOME": str(args.work / "data")})
    jobs = lingkaran_jobs(args, path, env)
    if not (args.quick or args.no_taskwarrior) and shutil.which("task"):
        jobs += taskwarrior_jobs(args, path)
    jobs += floor_jobs(args, path, env)
    if args.only:
        jobs = [job for job in jobs if job.key in args.only.split(",")]
    timings = measure_all(jobs, args.runs, warm_up=not args.quick)
    size = path.stat().st_size / 1e6
    print(f"{header}; caseload file {size:.0f} MB; {args.runs} rounds after a warm-up"
          if not args.quick else f"{header}; quick mode (one run, no warm-up)")
    print()
    print(report(timings, args.cases))
    print()
    print("Floors:")
    print()
    print(floors_report(timings))
    print()
    print(read_cost(path, args.cases))


if __name__ == "__main__":
    main()
