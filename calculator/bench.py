"""``python -m calculator bench``: how fast the vectorised engine is.

One run measures, on a 5-option, 120-month scenario built here (all five kinds, an interim,
retraining, a data block, a success probability, a hybrid whose primary is switched off, and
ranges on several fields):

- ``single_ms``: the plain report (one draw, with the component detail), median of 20;
- ``plain_report_ms``: the command line's JSON report (crossovers, break-even and payback
  traffic of every pair, the hybrid's share sweep, warnings), median of 5;
- ``mc_ms``: 10,000 draws: sampling, the engine and the per-option totals, median of 5
  runs after one warm-up run (the first run of a process also pays for the operating system
  handing it fresh memory: ``mc_ms_first``);
- ``report_ms``: the full risk report (Monte Carlo, tornado, timing, expected values);
- ``peak_mb``: peak memory traced (tracemalloc) during one 10,000-draw run.

The comparison with a plain per-draw Python loop (the speed-up, and the check that both
agree) lives in ``scripts/bench_engine.py``, which imports the scalar oracle of the tests.

Targets: ``mc_ms`` under 250 ms, ``peak_mb`` under 500.
"""

from __future__ import annotations

import os
import statistics
import time
import tracemalloc
from typing import Any

import numpy as np

from .model import (
    DEFAULT_SEED,
    Params,
    Scenario,
    evaluate,
    simulate_report,
    totals,
    validate,
)
from .model import report as json_report

TARGETS = {"mc_ms": 250.0, "peak_mb": 500.0}


def scenario() -> Scenario:
    """The benchmark scenario: 5 options, 120 months, ranges on traffic, team, quality and
    every kind (the in-house ``model2`` works only inside the hybrid)."""
    return validate({
        "schema_version": 1, "name": "Benchmark", "horizon_months": 120,
        "discount_rate_annual": 0.08,
        "traffic": {"calls_per_month": {"low": 1e6, "likely": 2e6, "high": 3e6},
                    "growth": "compound",
                    "growth_rate_monthly": {"low": 0.0, "likely": 0.02, "high": 0.03},
                    "peak_to_average": 2.5},
        "team": {"mle": {"low": 15_000, "likely": 18_000, "high": 22_000}, "swe": 15_000},
        "quality": {"cost_per_error": {"low": 0.001, "likely": 0.002, "high": 0.004},
                    "value_per_correct_prediction": 0.01},
        "options": {
            "rules": {"kind": "rules", "accuracy": 0.7, "setup": {"team_months": {"swe": 1}},
                      "run_team": {"swe": 0.1}, "cost_per_1k_calls": 0.01},
            "vendor": {"kind": "vendor_api",
                       "accuracy": {"low": 0.8, "likely": 0.85, "high": 0.9},
                       "tiers": [{"up_to_units": 1000, "price_per_1k_units": 0},
                                 {"up_to_units": 5e6, "price_per_1k_units":
                                  {"low": 1.0, "likely": 1.5, "high": 2.0}},
                                 {"price_per_1k_units": 1.0}],
                       "monthly_minimum": 100},
            "llm": {"kind": "genai_api", "accuracy": 0.9,
                    "input_tokens_per_call": {"low": 800, "likely": 1000, "high": 1500,
                                              "distribution": "pert"},
                    "output_tokens_per_call": 50, "price_per_million_input_tokens": 1.0,
                    "price_per_million_output_tokens": 5.0, "cached_input_share": 0.3,
                    "price_change_per_year": {"low": -0.5, "likely": -0.2, "high": 0.0,
                                              "distribution": "uniform"}},
            "model": {"kind": "in_house", "accuracy": {"low": 0.88, "likely": 0.93, "high": 0.95},
                      "interim": "llm", "build_months": {"low": 3, "likely": 5, "high": 9},
                      "build_team": {"mle": 2}, "setup": {"cost": 2000},
                      "run_team": {"mle": 0.5}, "monthly_cost": 500, "node_cost_per_hour": 0.8,
                      "node_capacity_rps": 100, "target_utilization": 0.6, "min_nodes": 2,
                      "retraining": {"every_months": 6, "cost": 1000,
                                     "team_months": {"mle": 0.5}},
                      "data": {"labels_needed": 50_000, "labels_available": 10_000,
                               "cost_per_label": 0.05,
                               "labels_per_month": {"low": 10_000, "likely": 20_000,
                                                    "high": 30_000}},
                      "success_probability": 0.6},
            "model2": {"kind": "in_house", "accuracy": 0.9, "start_month": 6, "build_months": 4,
                       "build_team": {"mle": 1}, "run_team": {"mle": 0.3},
                       "node_cost_per_hour": 0.5, "node_capacity_rps": 200, "min_nodes": 1,
                       "enabled": False},
            "hybrid": {"kind": "hybrid", "primary": "model2", "fallback": "llm",
                       "primary_share": {"low": 0.5, "likely": 0.7, "high": 0.85},
                       "primary_accuracy": {"low": 0.93, "likely": 0.96, "high": 0.98}},
        },
    })


# -- the run --------------------------------------------------------------------------------

def times_ms(f: Any, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        out.append((time.perf_counter() - t) * 1000.0)
    return out


def run(draws: int = 10_000, seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """Time the engine: one draw, the plain JSON report, Monte Carlo and its memory."""
    s = scenario()

    def monte_carlo() -> dict[str, np.ndarray]:
        return totals(evaluate(s, Params.sample(s, draws, seed), detail=False))

    single = times_ms(lambda: totals(evaluate(s)), 20)
    plain_report = times_ms(lambda: json_report(s), 5)
    first = times_ms(monte_carlo, 1)[0]
    mc = times_ms(monte_carlo, 5)
    report = times_ms(lambda: simulate_report(s, draws, seed), 1)[0]
    tracemalloc.start()
    monte_carlo()
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    out = {"single_ms": statistics.median(single), "mc_ms": statistics.median(mc),
           "draws": draws, "peak_mb": peak, "mc_ms_first": first, "mc_ms_runs": mc,
           "report_ms": report, "plain_report_ms": statistics.median(plain_report),
           "options": len(s.active), "months": s.horizon_months,
           "cpus": os.cpu_count(), "targets": dict(TARGETS)}
    out["meets_targets"] = bool(out["mc_ms"] < TARGETS["mc_ms"]
                                and out["peak_mb"] < TARGETS["peak_mb"])
    return out


def as_text(r: dict[str, Any]) -> str:
    ok = "meets" if r["meets_targets"] else "MISSES"
    return "\n".join([
        f"Engine benchmark: {r['options']} options, {r['months']} months, {r['cpus']} CPUs",
        f"  one draw (plain report)     {r['single_ms']:9.2f} ms",
        f"  plain JSON report           {r['plain_report_ms']:9.2f} ms   (with payback and "
        "the hybrid's share sweep)",
        f"  {r['draws']:,} draws               {r['mc_ms']:9.1f} ms   (target < "
        f"{TARGETS['mc_ms']:.0f} ms; first run {r['mc_ms_first']:.1f} ms)",
        f"  full risk report            {r['report_ms']:9.1f} ms",
        f"  peak memory                 {r['peak_mb']:9.1f} MB   (target < "
        f"{TARGETS['peak_mb']:.0f} MB)",
        f"  {ok} the targets (the loop comparison: python scripts/bench_engine.py)",
    ]) + "\n"
