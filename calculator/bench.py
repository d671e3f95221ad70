"""``python -m calculator bench``: how fast the vectorised engine is, and a check that it is right.

One run measures, on a 5-option, 120-month scenario built here (all four kinds, an
interim, retraining, a data block, a success probability and ranges on several fields):

- ``single_ms``: the plain report (one draw, with the component detail), median of 20;
- ``mc_ms``: 10,000 draws: sampling, the engine and the per-option totals, median of 5
  runs after one warm-up run (the first run of a process also pays for the operating system
  handing it fresh memory: ``mc_ms_first``);
- ``loop_ms``: the same draws through a plain per-draw Python loop (:func:`scalar_totals`),
  a straightforward scalar re-implementation of ``spec/model.md``;
- ``max_rel_diff``: the largest relative difference between the loop's and the engine's
  total cost and present value, over every draw and option: an independent check;
- ``peak_mb``: peak memory traced (tracemalloc) during one 10,000-draw run.

Targets: ``mc_ms`` under 250 ms, ``speedup`` (loop / Monte Carlo) at least 50, ``peak_mb``
under 500.
"""

from __future__ import annotations

import math
import os
import statistics
import time
import tracemalloc
from typing import Any

import numpy as np

from .model import catalog
from .model.analysis import report as json_report
from .model.analysis import totals
from .model.engine import evaluate
from .model.numbers import likely
from .model.params import DEFAULT_SEED, Params
from .model.risk import simulate_report
from .model.scenario import GenAIOption, InHouseOption, RulesOption, Scenario, VendorOption
from .model.yamlio import validate

TARGETS = {"mc_ms": 250.0, "speedup": 50.0, "peak_mb": 500.0}


def scenario() -> Scenario:
    """The benchmark scenario: 5 options, 120 months, ranges on traffic, team, quality and
    every kind."""
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
                       "node_cost_per_hour": 0.5, "node_capacity_rps": 200, "min_nodes": 1},
        },
    })


# -- the plain loop -------------------------------------------------------------------------

def scalar_totals(s: Scenario, p: Params) -> tuple[np.ndarray, np.ndarray]:
    """Total cost and present value (draws, options) by a plain loop over draws, options
    and months, written from the spec without the engine."""
    names = list(s.active)
    total = np.zeros((p.draws, len(names)))
    pv = np.zeros((p.draws, len(names)))
    h = s.horizon_months
    r = (1.0 + s.discount_rate_annual) ** (1.0 / 12.0) - 1.0
    weights = [(1.0 + r) ** -m for m in range(1, h + 1)]
    for d in range(p.draws):
        def get(path: str, value: Any, d: int = d) -> Any:
            if path in p.values:
                return float(p.values[path][d])
            return None if value is None else float(likely(value))

        calls = _volume(s, get)
        rates = {role: get(f"team.{role}", v) for role, v in s.team.items()}
        per_error = get("quality.cost_per_error", s.quality.cost_per_error)
        own = {}
        for name, opt in s.active.items():
            ok = bool(p.success[name][d]) if name in p.success else True
            own[name] = _option(s, name, opt, get, calls, rates, per_error, ok)
        for i, name in enumerate(names):
            opt = s.active[name]
            money, errors, live = own[name]
            for m in range(h):
                cost = money[m] + errors[m]
                if opt.interim is not None and not live[m]:
                    other = own[opt.interim]
                    cost += other[0][m] + other[1][m]
                total[d, i] += cost
                pv[d, i] += cost * weights[m]
    return total, pv


def _volume(s: Scenario, get: Any) -> list[float]:
    t, h = s.traffic, s.horizon_months
    if t.monthly_calls is not None:
        return [float(x) for x in t.monthly_calls[:h]]
    v0 = get("traffic.calls_per_month", t.calls_per_month)
    out = []
    for m in range(1, h + 1):
        if t.growth == "linear":
            out.append(max(0.0, v0 + get("traffic.growth_calls_per_month",
                                         t.growth_calls_per_month) * (m - 1)))
        elif t.growth == "compound":
            out.append(v0 * (1.0 + get("traffic.growth_rate_monthly",
                                       t.growth_rate_monthly)) ** (m - 1))
        else:
            out.append(v0)
    return out


def _team(fte: dict[str, Any], path: str, get: Any, rates: dict[str, float]) -> float:
    return sum(get(f"{path}.{role}", v) * rates[role] for role, v in fte.items())


def _option(s: Scenario, name: str, opt: Any, get: Any, calls: list[float],
            rates: dict[str, float], per_error: float, ok: bool):
    """One option by itself: money and error cost of each month, and whether it serves."""
    path = f"options.{name}"
    start = round(get(f"{path}.start_month", opt.start_month))
    build = round(get(f"{path}.build_months", opt.build_months))
    label_months, label_cost = 0, 0.0
    if isinstance(opt, InHouseOption) and opt.data is not None:
        dp, dd = f"{path}.data", opt.data
        short = max(0.0, get(f"{dp}.labels_needed", dd.labels_needed)
                    - get(f"{dp}.labels_available", dd.labels_available))
        if short > 0:
            label_months = math.ceil(short / get(f"{dp}.labels_per_month", dd.labels_per_month)
                                     * (1 - 1e-12))
            label_cost = short * get(f"{dp}.cost_per_label", dd.cost_per_label) / label_months
    begin = start + label_months
    live_from = begin + build
    setup = get(f"{path}.setup.cost", opt.setup.cost) + _team(
        opt.setup.team_months, f"{path}.setup.team_months", get, rates)
    building = _team(opt.build_team, f"{path}.build_team", get, rates)
    running = _team(opt.run_team, f"{path}.run_team", get, rates) + get(
        f"{path}.monthly_cost", opt.monthly_cost)
    accuracy = get(f"{path}.accuracy", opt.accuracy)
    retrain = getattr(opt, "retraining", None)
    money, errors, live = [], [], []
    for m in range(1, s.horizon_months + 1):
        v = calls[m - 1]
        is_live = ok and m >= live_from
        cost = 0.0
        if start <= m < begin:
            cost += label_cost
        if m == begin:
            cost += setup
        if begin <= m < live_from:
            cost += building
        if is_live:
            cost += running + _variable(s, name, opt, get, v, m)
            if retrain is not None:
                every = max(round(get(f"{path}.retraining.every_months", retrain.every_months)), 1)
                if m > live_from and (m - live_from) % every == 0:
                    cost += get(f"{path}.retraining.cost", retrain.cost) + _team(
                        retrain.team_months, f"{path}.retraining.team_months", get, rates)
        money.append(cost)
        errors.append(v * (1.0 - accuracy) * per_error if is_live else 0.0)
        live.append(is_live)
    return money, errors, live


def _variable(s: Scenario, name: str, opt: Any, get: Any, v: float, m: int) -> float:
    path = f"options.{name}"
    if isinstance(opt, RulesOption):
        return v / 1000.0 * get(f"{path}.cost_per_1k_calls", opt.cost_per_1k_calls)
    if isinstance(opt, VendorOption):
        units = v * get(f"{path}.units_per_call", opt.units_per_call)
        bounds = [get(f"{path}.tiers.{i}.up_to_units", t.up_to_units)
                  for i, t in enumerate(opt.tiers)]
        prices = [get(f"{path}.tiers.{i}.price_per_1k_units", t.price_per_1k_units) / 1000.0
                  for i, t in enumerate(opt.tiers)]
        cost = 0.0
        if opt.tier_mode == "volume":
            k = next((i for i, b in enumerate(bounds) if b is None or units <= b), len(bounds) - 1)
            cost = units * prices[k]
        else:
            lower = 0.0
            for b, price in zip(bounds, prices, strict=True):
                upper = math.inf if b is None else b
                cost += price * min(max(units - lower, 0.0), max(upper - lower, 0.0))
                lower = upper
        return max(cost, get(f"{path}.monthly_minimum", opt.monthly_minimum))
    if isinstance(opt, GenAIOption):
        ref = catalog.lookup(opt.catalog.provider, opt.catalog.model) if opt.catalog else None
        ref = ref if isinstance(ref, catalog.CatalogPrice) else None
        pin = get(f"{path}.price_per_million_input_tokens", opt.price_per_million_input_tokens)
        pout = get(f"{path}.price_per_million_output_tokens", opt.price_per_million_output_tokens)
        pc = get(f"{path}.price_per_million_cached_input_tokens",
                 opt.price_per_million_cached_input_tokens)
        pin = pin if pin is not None else (ref.input if ref else 0.0)
        pout = pout if pout is not None else (ref.output if ref else 0.0)
        if pc is None:
            pc = ref.cached_input if ref and ref.cached_input is not None else pin
        tin = get(f"{path}.input_tokens_per_call", opt.input_tokens_per_call)
        c = get(f"{path}.cached_input_share", opt.cached_input_share)
        per_call = ((1 - c) * tin * pin + c * tin * pc
                    + get(f"{path}.output_tokens_per_call", opt.output_tokens_per_call) * pout)
        per_call = per_call / 1e6 * (1 - get(f"{path}.batch_share", opt.batch_share)
                                     * get(f"{path}.batch_discount", opt.batch_discount))
        change = get(f"{path}.price_change_per_year", opt.price_change_per_year)
        return v * per_call * (1 + change) ** ((m - 1) / 12)
    hours = s.hours_per_month
    capacity = (get(f"{path}.node_capacity_rps", opt.node_capacity_rps)
                * get(f"{path}.target_utilization", opt.target_utilization) * 3600 * hours)
    peak = get("traffic.peak_to_average", s.traffic.peak_to_average)
    nodes = max(round(get(f"{path}.min_nodes", opt.min_nodes)),
                math.ceil(v * peak / capacity * (1 - 1e-12)))
    return (nodes * get(f"{path}.node_cost_per_hour", opt.node_cost_per_hour) * hours
            + v / 1000.0 * get(f"{path}.cost_per_1k_calls", opt.cost_per_1k_calls))


# -- the run --------------------------------------------------------------------------------

def _ms(f: Any, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        out.append((time.perf_counter() - t) * 1000.0)
    return out


def run(draws: int = 10_000, seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """Time the engine and the plain loop; check them against each other."""
    s = scenario()

    def monte_carlo() -> dict[str, np.ndarray]:
        return totals(evaluate(s, Params.sample(s, draws, seed), detail=False))

    single = _ms(lambda: totals(evaluate(s)), 20)
    plain_report = _ms(lambda: json_report(s), 20)   # the CLI's JSON: crossovers, break-even
    first = _ms(monte_carlo, 1)[0]
    mc = _ms(monte_carlo, 5)
    report = _ms(lambda: simulate_report(s, draws, seed), 1)[0]
    tracemalloc.start()
    monte_carlo()
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    p = Params.sample(s, draws, seed)
    t0 = time.perf_counter()
    loop_total, loop_pv = scalar_totals(s, p)
    loop_ms = (time.perf_counter() - t0) * 1000.0
    vec = totals(evaluate(s, p, detail=False))
    diff = max(_rel(vec["total_cost"], loop_total), _rel(vec["present_value"], loop_pv))
    out = {"single_ms": statistics.median(single), "mc_ms": statistics.median(mc),
           "draws": draws, "loop_ms": loop_ms, "speedup": loop_ms / statistics.median(mc),
           "peak_mb": peak, "max_rel_diff": diff, "mc_ms_first": first, "mc_ms_runs": mc,
           "report_ms": report, "plain_report_ms": statistics.median(plain_report),
           "options": len(s.active), "months": s.horizon_months,
           "cpus": os.cpu_count(), "targets": dict(TARGETS)}
    out["meets_targets"] = bool(out["mc_ms"] < TARGETS["mc_ms"]
                                and out["speedup"] >= TARGETS["speedup"]
                                and out["peak_mb"] < TARGETS["peak_mb"])
    return out


def _rel(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1.0)))


def as_text(r: dict[str, Any]) -> str:
    ok = "meets" if r["meets_targets"] else "MISSES"
    return "\n".join([
        f"Engine benchmark: {r['options']} options, {r['months']} months, {r['cpus']} CPUs",
        f"  one draw (plain report)     {r['single_ms']:9.2f} ms",
        f"  {r['draws']:,} draws               {r['mc_ms']:9.1f} ms   (target < "
        f"{TARGETS['mc_ms']:.0f} ms; first run {r['mc_ms_first']:.1f} ms)",
        f"  plain JSON report           {r['plain_report_ms']:9.2f} ms   (target < 5 ms)",
        f"  full risk report            {r['report_ms']:9.1f} ms",
        f"  plain Python loop           {r['loop_ms']:9.0f} ms   speedup {r['speedup']:.0f}x "
        f"(target >= {TARGETS['speedup']:.0f}x)",
        f"  peak memory                 {r['peak_mb']:9.1f} MB   (target < "
        f"{TARGETS['peak_mb']:.0f} MB)",
        f"  loop vs engine              max relative difference {r['max_rel_diff']:.2e}",
        f"  {ok} the targets",
    ]) + "\n"
