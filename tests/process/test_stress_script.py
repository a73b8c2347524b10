"""scripts/stress, the repeatable attacks behind docs/your-data-is-safe.md, runs with tiny numbers so it cannot
rot: every attack is tried, and what this branch defends holds."""

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "stress"


def test_the_stress_script_tries_every_attack_and_reports_what_held(tmp_path):
    done = subprocess.run(
        [sys.executable, SCRIPT, "--rounds", "1", "--writers", "1", "--writes", "2", "--json"],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=tmp_path,
    )
    assert done.returncode in (0, 1), done.stderr
    outcomes = {outcome["attack"]: outcome for outcome in json.loads(done.stdout)["outcomes"]}
    assert len(outcomes) == 9
    for outcome in outcomes.values():
        assert outcome["tried"] >= 1 or "skipped" in outcome["figures"], outcome
        assert outcome["held"], outcome
    assert outcomes["SIGKILL of concurrent writers at random moments"]["figures"].endswith(", 0 lost")
    assert done.returncode == (0 if all(outcome["held"] for outcome in outcomes.values()) else 1)


def test_the_stress_script_refuses_numbers_below_one():
    done = subprocess.run([sys.executable, SCRIPT, "--rounds", "0"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "must be 1 or more" in done.stderr
