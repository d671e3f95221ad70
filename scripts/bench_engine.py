"""The vectorised engine against the scalar oracle: speed-up and agreement.

    python scripts/bench_engine.py [--draws 10000] [--format text|json]

Runs the benchmark scenario of ``calculator.bench`` through the engine (Monte Carlo, median
of 3 after a warm-up) and through the plain per-draw Python loop of ``tests/oracle.py``
(once), and reports both times, the speed-up (target: at least 50x) and the largest
relative difference of total cost and present value over every draw and option.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from oracle import rel, scalar_totals  # noqa: E402

from calculator import bench  # noqa: E402
from calculator.model.analysis import totals  # noqa: E402
from calculator.model.engine import evaluate  # noqa: E402
from calculator.model.params import DEFAULT_SEED, Params  # noqa: E402

SPEEDUP_TARGET = 50.0


def run(draws: int = 10_000, seed: int = DEFAULT_SEED) -> dict[str, Any]:
    s = bench.scenario()
    p = Params.sample(s, draws, seed)

    def engine() -> dict[str, Any]:
        return totals(evaluate(s, p, detail=False))

    engine()
    runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        vec = engine()
        runs.append((time.perf_counter() - t0) * 1000.0)
    t0 = time.perf_counter()
    loop_total, loop_pv = scalar_totals(s, p)
    loop_ms = (time.perf_counter() - t0) * 1000.0
    mc_ms = statistics.median(runs)
    return {"draws": draws, "options": len(s.active), "months": s.horizon_months,
            "engine_ms": mc_ms, "loop_ms": loop_ms, "speedup": loop_ms / mc_ms,
            "max_rel_diff": max(rel(vec["total_cost"], loop_total),
                                rel(vec["present_value"], loop_pv)),
            "speedup_target": SPEEDUP_TARGET}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=10_000)
    ap.add_argument("--format", choices=["text", "json"], default="text")
    args = ap.parse_args(argv)
    r = run(args.draws)
    if args.format == "json":
        print(json.dumps(r, indent=2))
    else:
        print(f"{r['draws']:,} draws, {r['options']} options, {r['months']} months: engine "
              f"{r['engine_ms']:.1f} ms, plain loop {r['loop_ms']:.0f} ms, speed-up "
              f"{r['speedup']:.0f}x (target >= {SPEEDUP_TARGET:.0f}x); max relative "
              f"difference {r['max_rel_diff']:.2e}")
    return 0 if r["max_rel_diff"] < 1e-9 else 1


if __name__ == "__main__":
    sys.exit(main())
