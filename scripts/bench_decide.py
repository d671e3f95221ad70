"""How fast the decision tools answer: `python scripts/bench_decide.py [--format json]`.

On the engine benchmark's scenario (5 options, 120 months; ``calculator.bench.scenario``):

1. thresholds ("what would have to be true") for every candidate field: one evaluation of
   every field's coarse grid, then one evaluation per bisection step.   Target < 1 s.
2. a 50 × 50 decision map: one evaluation of 2,501 draws.               Target < 1 s.
3. value of information from 10,000 Monte Carlo draws.                  Target < 0.5 s.

Each figure is the median of 5 runs after one warm-up run (the first run of a process also
pays for fresh memory and imports; it is printed beside). Numbers depend on the machine
and on what else runs on it. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))       # time this checkout, not whichever one is installed

from calculator.bench import scenario, times_ms  # noqa: E402
from calculator.model import decide, decide_map, decide_voi  # noqa: E402

TARGETS_MS = {"thresholds": 1000.0, "decision_map": 1000.0, "value_of_information": 500.0}


def run(repeat: int = 5) -> dict[str, Any]:
    s = scenario()
    evaluations: list[int] = []
    real = decide.evaluate

    def counting(*args: Any, **kw: Any) -> Any:
        evaluations.append(args[1].draws)
        return real(*args, **kw)

    tools = {"thresholds": lambda: decide.thresholds(s),
             "decision_map": lambda: decide.decision_map(s, n=50),
             "value_of_information": lambda: decide.value_of_information(s, draws=10_000)}
    out: dict[str, Any] = {"options": len(s.active), "months": s.horizon_months,
                           "fields": len(decide.candidate_fields(s)), "cpus": os.cpu_count(),
                           "targets_ms": TARGETS_MS}
    homes = {"thresholds": decide, "decision_map": decide_map,   # where each calls the engine
             "value_of_information": decide_voi}
    for name, f in tools.items():
        homes[name].evaluate = counting      # count the engine runs of one call
        first = times_ms(f, 1)[0]
        homes[name].evaluate = real
        out[name] = {"ms": statistics.median(times_ms(f, repeat)), "first_ms": first,
                     "evaluations": len(evaluations), "draws": sum(evaluations)}
        evaluations.clear()
    out["meets_targets"] = all(out[k]["ms"] < t for k, t in TARGETS_MS.items())
    return out


def as_text(r: dict[str, Any]) -> str:
    lines = [f"Decision tools: {r['options']} options, {r['months']} months, "
             f"{r['fields']} candidate fields, {r['cpus']} CPUs"]
    titles = {"thresholds": "thresholds", "decision_map": "decision map 50 x 50",
              "value_of_information": "value of information, 10,000 draws"}
    for k, title in titles.items():
        x = r[k]
        lines.append(f"  {title:<36} {x['ms']:8.1f} ms  (target < {TARGETS_MS[k]:.0f} ms; "
                     f"first run {x['first_ms']:.1f} ms; {x['evaluations']} evaluations, "
                     f"{x['draws']:,} draws)")
    lines.append(f"  {'meets' if r['meets_targets'] else 'MISSES'} the targets")
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--format", choices=["text", "json"], default="text")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    r = run(args.repeat)
    sys.stdout.write(json.dumps(r, indent=2) + "\n" if args.format == "json" else as_text(r))
    return 0 if r["meets_targets"] else 1


if __name__ == "__main__":
    sys.exit(main())
