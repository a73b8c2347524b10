"""Goal Attainment Scaling (Kiresuk & Sherman, 1968). Pure."""

import math
from collections.abc import Sequence

from lingkaran.messages import N_

RHO = 0.3  # the conventional inter-goal correlation
LEVELS = (-2, -1, 0, 1, 2)
LEVEL_LABELS = {
    -2: N_("much less than expected"),
    -1: N_("less than expected"),
    0: N_("expected outcome"),
    1: N_("more than expected"),
    2: N_("much more than expected"),
}


def t_score(levels: Sequence[int], weights: Sequence[float] | None = None) -> float:
    """T = 50 + 10·Σ(wᵢxᵢ) / √((1−ρ)·Σwᵢ² + ρ·(Σwᵢ)²); 50 means goals met as expected."""
    if not levels:
        raise ValueError("t_score needs at least one goal")
    weights = [1.0] * len(levels) if weights is None else list(weights)
    if len(weights) != len(levels):
        raise ValueError("t_score needs one weight per goal")
    weighted_sum = sum(w * x for w, x in zip(weights, levels, strict=False))
    spread = (1 - RHO) * sum(w * w for w in weights) + RHO * sum(weights) ** 2
    return 50 + 10 * weighted_sum / math.sqrt(spread)


def is_newest_observation(observed_on: str, latest_observed_on: str | None) -> bool:
    """Whether a level observed on `observed_on` becomes the goal's latest level: only when no observation is
    newer. A catch-up entry from paper notes (monitor or evaluate) is kept in the goal's history but does not
    overwrite a newer level; on the same day the entry made later wins."""
    return latest_observed_on is None or observed_on >= latest_observed_on


def format_level(level: int | None) -> str:
    """A GAS level as people write it: −2, −1, 0, +1, +2 (or a dash for none)."""
    if level is None:
        return "–"
    return f"+{level}" if level > 0 else str(level)


EXPECTED_T = 50.0  # the goals met as expected
REPLAN_BELOW_T = 40.0  # a whole standard deviation short: the plan, not the effort, needs looking at


def suggested_decision(t_score: float) -> str:
    """What an evaluation's T-score suggests (the worker decides): the goals met as expected or better,
    terminate; somewhat short of them, continue on the same plan; a standard deviation short, replan."""
    if t_score >= EXPECTED_T:
        return "terminate"
    return "continue" if t_score >= REPLAN_BELOW_T else "replan"
