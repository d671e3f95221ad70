"""What to measure next: the expected value of perfect information (:func:`evpi`) and, per
ranged input and per build that may fail, the partial EVPI (:func:`evppi`), read from the
Monte Carlo draws (:func:`value_of_information`). Method: docs/risk.md, "Decide, not just
compare"."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import decide_text as text
from .analysis import comparable
from .engine import evaluate
from .errors import ScenarioError
from .params import DEFAULT_SEED, Params, ranged_fields
from .risk import MAX_DRAWS
from .scenario import Scenario


def default_bins(draws: int) -> int:
    """Quantile bins for the partial value of information: at least 500 draws a bin, 2 to
    50 bins (20 at 10,000 draws); see docs/risk.md for the trade-off."""
    return int(min(50, max(2, draws // 500)))


def evpi(cost: np.ndarray) -> float:
    """Expected value of perfect information of costs (draws, options): the expected cost of
    choosing now minus that of choosing after learning everything.

    >>> evpi(np.array([[100.0, 60.0], [100.0, 160.0]]))   # min(100, 110) - mean(60, 100)
    20.0
    """
    return _clip(float(cost.mean(axis=0).min() - cost.min(axis=1).mean()), cost)


def evppi(cost: np.ndarray, x: np.ndarray, bins: int) -> float:
    """Partial EVPI of one input x (draws,): draws grouped by x (one group per value when
    it takes at most ``bins`` values, else ``bins`` equal-count quantile bins), the best
    option chosen per group; min_o E[C_o] - mean over groups of min_o E[C_o | group].

    >>> cost = np.array([[100.0, 60.0], [100.0, 160.0]])
    >>> evppi(cost, np.array([0.0, 1.0]), 20)        # knowing x tells which B you get
    20.0
    >>> evppi(cost, np.array([5.0, 5.0]), 20)        # an input that tells nothing
    0.0
    """
    d = len(x)
    distinct, group = np.unique(x, return_inverse=True)
    if distinct.size > bins:
        group = np.empty(d, dtype=np.intp)
        group[np.argsort(x, kind="stable")] = np.arange(d) * bins // d
    count = np.bincount(group).astype(float)
    sums = np.stack([np.bincount(group, weights=cost[:, o], minlength=count.size)
                     for o in range(cost.shape[1])], axis=1)
    informed = float((count / d * (sums / count[:, None]).min(axis=1)).sum())
    return _clip(float(cost.mean(axis=0).min()) - informed, cost)


def _clip(value: float, cost: np.ndarray) -> float:
    """0 for rounding dust: sums of many equal costs differ by ~1e-16 of their size, so
    anything within 1e-9 of the largest expected cost (or below 0) is no value at all."""
    scale = float(np.abs(cost.mean(axis=0)).max()) if cost.size else 0.0
    return 0.0 if value <= 1e-9 * max(scale, 1.0) else value


def value_of_information(s: Scenario, draws: int = 10_000, seed: int | None = None,
                         bins: int | None = None) -> dict[str, Any]:
    """What to measure next, from the Monte Carlo: the expected value of perfect information
    (EVPI) and, for each ranged input and each build that may fail, the partial EVPI: how
    much the expected cost of the decision falls if that input is known before deciding.
    Inputs are sorted by value, largest first, each with a sentence."""
    seed = DEFAULT_SEED if seed is None else seed
    if not 2 <= draws <= MAX_DRAWS:
        raise ScenarioError(f"draws must be between 2 and {MAX_DRAWS:,} (got {draws:,})")
    nb = default_bins(draws) if bins is None else int(bins)
    if not 2 <= nb <= draws:
        raise ScenarioError(f"bins must be between 2 and the number of draws (got {nb})")
    sample = Params.sample(s, draws, seed)
    r = evaluate(s, sample, detail=False)
    cost = comparable(r)
    inputs = {p: sample.values[p] for p in ranged_fields(s)
              if not p.startswith("options.") or p.split(".")[1] in s.active}
    inputs |= {f"options.{k}.build_succeeds": ok.astype(float)
               for k, ok in sample.success.items()}
    noise = evppi(cost, np.random.default_rng(seed).permutation(draws).astype(float), nb)
    rows: list[dict[str, Any]] = [{"input": p, "value": evppi(cost, x, nb)}
                                  for p, x in inputs.items()]
    rows.sort(key=lambda row: -row["value"])
    for row in rows:
        row["text"] = text.voi_sentence(s, row["input"], row["value"], noise)
        row["label"] = text.label(s, row["input"])
    mean = cost.mean(axis=0)
    best = r.names[int(np.argmin(mean))]
    total = evpi(cost)
    return {"draws": draws, "seed": seed, "bins": nb,
            "basis": "present_value" if r.discounted else "total_cost",
            "currency": s.currency, "best_without_information": best,
            "expected_cost": {k: float(mean[i]) for i, k in enumerate(r.names)},
            "evpi": total, "noise_floor": noise,
            "text": text.evpi_sentence(s, best, total, bool(rows)), "inputs": rows}
