"""Two versions' ``decide()`` in one process, alternately: `python scripts/ab_decide.py OLD`.

This workplace's machines change speed from minute to minute, and two processes of the same
code can differ by several per cent (memory layout), so a difference of 5-10 % between
versions does not show in separate runs. Here the other checkout's ``calculator`` package
(``OLD``, e.g. ``git worktree add /tmp/old c69b175``) is copied under another name into a
temporary directory and imported beside this one: both run in the same process, on the
same traffic figures, in alternating rounds (CPU time of this thread, so time the machine
gives to others does not count). Each version keeps its own caches.

Prints, per scenario, the median ``decide()`` time of each version, their ratio and how many
rounds the new one won. Numbers depend on the machine; the ratio is what this measures.
"""

from __future__ import annotations

import argparse
import importlib
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ["support-ticket-routing", "support-ticket-hybrid", "churn-risk-scoring",
           "invoice-field-extraction"]


def versions(old: Path, new: Path, tmp: Path) -> dict[str, tuple[object, object]]:
    """(decision module, yamlio module) of each version; the old package as calculator_old
    (the model imports its own modules relatively, so it runs under any name)."""
    shutil.copytree(old / "calculator", tmp / "calculator_old",
                    ignore=shutil.ignore_patterns("__pycache__"))
    sys.path[:0] = [str(new), str(tmp)]
    return {name: (importlib.import_module(f"{pkg}.model.decision"),
                   importlib.import_module(f"{pkg}.model.yamlio"))
            for name, pkg in (("old", "calculator_old"), ("new", "calculator"))}


def compare(arms: dict[str, tuple[object, object]], path: Path, rounds: int,
            per_round: int) -> dict[str, float]:
    rng = random.Random(5)
    scenarios = {k: y.load_scenario(path) for k, (_, y) in arms.items()}   # type: ignore[attr-defined]
    base = float(scenarios["new"].traffic.calls_per_month)
    calls = [float(round(base * rng.uniform(0.4, 2.5))) for _ in range(per_round)]
    runs = {k: [s.model_copy(update={"traffic": s.traffic.model_copy(
        update={"calls_per_month": c})}) for c in calls] for k, s in scenarios.items()}
    for k, (d, _) in arms.items():           # warm up: imports, caches, first pages
        for s in runs[k][:3]:
            d.decide(s)                       # type: ignore[attr-defined]
    took: dict[str, list[float]] = {k: [] for k in arms}
    for r in range(rounds):
        for k in ("old", "new") if r % 2 == 0 else ("new", "old"):
            d = arms[k][0]
            ts = []
            for s in runs[k]:
                t = time.thread_time()
                d.decide(s)                   # type: ignore[attr-defined]
                ts.append(time.thread_time() - t)
            took[k].append(statistics.median(ts) * 1000)
    old, new = statistics.median(took["old"]), statistics.median(took["new"])
    return {"old_ms": old, "new_ms": new, "ratio": new / old,
            "new_won": sum(n < o for o, n in zip(took["old"], took["new"], strict=True))}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("old", type=Path, help="the other checkout")
    ap.add_argument("new", type=Path, nargs="?", default=ROOT, help="(this checkout)")
    ap.add_argument("--scenarios", nargs="+", default=DEFAULT,
                    help="names in scenarios/ (routing, hybrid, churn, invoices)")
    ap.add_argument("--rounds", type=int, default=16)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        arms = versions(args.old.resolve(), args.new.resolve(), Path(tmp))
        for name in args.scenarios:
            r = compare(arms, args.new / "scenarios" / f"{name}.yaml", args.rounds, 6)
            print(f"{name:28s} old {r['old_ms']:6.2f} ms  new {r['new_ms']:6.2f} ms  "
                  f"new/old {r['ratio']:4.2f}  new faster in {r['new_won']}/{args.rounds} "
                  "rounds", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
