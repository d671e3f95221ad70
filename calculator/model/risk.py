"""Decisions under uncertainty: Monte Carlo, expected values, tornado, timing, data readiness.

Every reading here runs the one engine on a parameter set with a leading draws axis
(``Params.sample``, ``Params.tornado``, ``Params.sweep``, ``Params.outcomes``): no per-draw
Python loop. Results are seeded (``params.DEFAULT_SEED`` when no seed is given), so a report
is reproducible.

Conventions (docs/risk.md):
- Options are compared on cumulative total cost, discounted when the discount rate is
  above 0 (the same basis as the plain report's crossovers and ``cheapest``).
- Crossover month percentiles are taken over all draws, a draw without a crossover counting
  as "later than the horizon": a percentile that lands among those draws is ``None``.
- ``success_probability`` is sampled per draw in the Monte Carlo; the plain figures assume
  success and the ``expected`` figures weigh success and failure by p.

>>> from calculator.model.yamlio import loads_scenario
>>> s = loads_scenario('''
... schema_version: 1
... name: tiny
... horizon_months: 3
... traffic: {calls_per_month: 1000}
... options:
...   api: {kind: genai_api, input_tokens_per_call: 1000, output_tokens_per_call: 100,
...         price_per_million_input_tokens: {low: 1.0, likely: 2.0, high: 3.0},
...         price_per_million_output_tokens: 10.0}
... ''')
>>> out = simulate_report(s, draws=1000)
>>> out["options"]["api"]["plain"]["total_cost"]   # (1000·2 + 100·10)/1e6 · 1,000 calls · 3
9.0
>>> out["draws"], out["seed"]
(1000, 20261128)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .analysis import comparable, crossing, decision_pair, expected_totals, pairs, totals
from .engine import evaluate
from .errors import ScenarioError
from .input_labels import input_label, input_unit
from .numbers import likely
from .params import DEFAULT_SEED, Params, ranged_fields, success_of
from .scenario import InHouseOption, Scenario
from .wording import money, month

QUANTILES = (10, 50, 90)
MAX_DRAWS = 200_000
"""The most draws anyone may ask for (``simulate --draws``)."""
CELL_BUDGET = 10_000 * 5 * 120
"""Memory grows with draws x options x months: the Monte Carlo computes at most this many
cells (10,000 draws of 5 options over 120 months, a few hundred MB at peak); a bigger
scenario gets fewer draws and the report says so (``draws_reduced_from``)."""


def draws_within_budget(s: Scenario, draws: int) -> int:
    """The draws a Monte Carlo of ``s`` runs: ``draws``, or fewer when draws x options x
    months would pass :data:`CELL_BUDGET` (never fewer than 100, nor more than asked).

    >>> from calculator.model.yamlio import validate
    >>> llm = {"kind": "genai_api", "input_tokens_per_call": 1, "output_tokens_per_call": 1,
    ...        "price_per_million_input_tokens": 1, "price_per_million_output_tokens": 1}
    >>> s = validate({"schema_version": 1, "name": "n", "horizon_months": 240,
    ...               "traffic": {"calls_per_month": 1},
    ...               "options": {f"o{i}": llm for i in range(10)}})
    >>> draws_within_budget(s, 10_000)      # 6,000,000 cells / (10 options x 240 months)
    2500
    """
    cells = max(1, len(s.active) * s.horizon_months)
    return min(draws, max(100, CELL_BUDGET // cells))


def _pcts(x: np.ndarray, axis: int = 0) -> np.ndarray:
    return np.percentile(x, QUANTILES, axis=axis)


def _p(s: Scenario, name: str) -> float:
    """An option's success probability (likely value; a hybrid's: its primary's); 1 when
    nothing can fail."""
    return success_of(s, name)[1]


def p_cheaper(cum: np.ndarray, i: int, j: int) -> np.ndarray:
    """Share of draws in which option i's cumulative cost is strictly below j's, by month."""
    return np.mean(cum[:, i] < cum[:, j], axis=0)


def crossover_summary(month: np.ndarray, catcher: np.ndarray) -> dict[str, Any]:
    """Crossover month P10/P50/P90 over all draws (no crossover = after the horizon, shown
    as None) and the share of draws without one; ``catcher`` 0 means a catches up."""
    never = month <= 0
    at = np.where(never, np.inf, month.astype(float))
    q = np.quantile(at, [x / 100 for x in QUANTILES], method="inverted_cdf")
    out: dict[str, Any] = {f"month_p{k}": (int(v) if math.isfinite(v) else None)
                           for k, v in zip(QUANTILES, q, strict=True)}
    out["share_no_crossover"] = float(np.mean(never))
    out["a_catches_up"] = float(np.mean(~never & (catcher == 0)))
    out["b_catches_up"] = float(np.mean(~never & (catcher == 1)))
    return out


# -- tornado --------------------------------------------------------------------------------

@dataclass
class Bar:
    path: str
    low: float                  # the input at its low ...
    high: float                 # ... and at its high
    at_low: float | None        # the result with the input at low (None: no crossover)
    at_high: float | None
    swing: float


def tornado(s: Scenario, a: str, b: str, metric: str = "gap",
            runs: tuple[Any, Any, list[str]] | None = None) -> tuple[float | None, list[Bar]]:
    """Base result and one bar per ranged field, largest swing first.

    ``metric`` "gap": comparable total of a minus b (present value when discounting);
    "crossover": fractional crossover month of the pair (None when they never cross; a swing
    counts that as the horizon). Success probabilities are left out: the plain result
    assumes every build works, so they cannot move it (the expected line shows them).
    ``runs`` (from :func:`tornado_runs`) lets many pairs share one evaluation.
    """
    plain, r, paths = runs if runs is not None else tornado_runs(s)
    base = _pair_metric(plain, a, b, metric)[0]
    keep = [k for k, path in enumerate(paths) if not path.endswith(".success_probability")]
    if not keep:
        return base, []
    result = _pair_metric(r, a, b, metric)
    ranges, h = ranged_fields(s), s.horizon_months
    bars = []
    for k in keep:
        lo, hi = result[2 * k], result[2 * k + 1]
        swing = abs((h if hi is None else hi) - (h if lo is None else lo))
        bars.append(Bar(paths[k], ranges[paths[k]].low, ranges[paths[k]].high, lo, hi,
                        float(swing)))
    bars.sort(key=lambda x: -x.swing)
    return base, bars


def tornado_runs(s: Scenario) -> tuple[Any, Any, list[str]]:
    """The plain result, and each ranged field at its low and its high (one evaluation)."""
    params, paths = Params.tornado(s)
    return evaluate(s, detail=False), evaluate(s, params, detail=False), paths


def _pair_metric(r: Any, a: str, b: str, metric: str) -> list[float | None]:
    i, j = r.names.index(a), r.names.index(b)
    if metric == "gap":
        rank = comparable(r)
        return [float(x) for x in rank[:, i] - rank[:, j]]
    if metric != "crossover":
        raise ValueError(f"metric must be 'gap' or 'crossover', not {metric!r}")
    month, frac, _ = crossing(r.cumulative_of(i), r.cumulative_of(j))
    return [float(f) if m > 0 else None for m, f in zip(month, frac, strict=True)]


# -- timing ---------------------------------------------------------------------------------

def timing(s: Scenario, name: str) -> dict[str, Any]:
    """Total (present value when discounting) for every start month 1..H of an option with
    an interim; the best start month is the lowest (the earliest on a tie)."""
    opt = s.active[name]
    if getattr(opt, "interim", None) is None:
        raise ValueError(f"{name!r} has no interim: its start month only delays it")
    h, path = s.horizon_months, f"options.{name}.start_month"
    starts = np.arange(1, h + 1)
    i = list(s.active).index(name)
    prob = _p(s, name)
    if prob < 1.0:      # success then failure for every start month, in one evaluation
        p = Params(2 * h, {path: np.concatenate([starts, starts]).astype(float)},
                   {name: np.repeat([True, False], h)})
    else:
        p = Params.sweep(path, starts)
    rank = comparable(evaluate(s, p, detail=False))[:, i]
    plain, expected = rank[:h], None
    if prob < 1.0:
        expected = prob * plain + (1.0 - prob) * rank[h:]
    best = int(np.argmin(plain))
    current = int(likely(opt.start_month))
    as_planned = comparable(evaluate(s, detail=False))[0]
    only = as_planned[list(s.active).index(opt.interim)]
    return {"option": name, "interim": opt.interim, "start_months": starts.tolist(),
            "totals": plain.tolist(), "expected": None if expected is None else expected.tolist(),
            "best_start_month": best + 1, "best_total": float(plain[best]),
            "best_expected_start_month": None if expected is None
            else int(np.argmin(expected)) + 1,
            "current_start_month": current,
            # the plan itself: its start month may lie past the horizon the sweep covers
            "current_total": float(as_planned[i]),
            "interim_only_total": float(only)}


# -- data readiness and value ---------------------------------------------------------------

def data_readiness(s: Scenario) -> list[dict[str, Any]]:
    """For every in-house option with a data block: the label shortfall, how long and how
    much labelling takes, and when the build starts (read from the engine's plain run)."""
    r = evaluate(s)
    assert r.components is not None
    out = []
    for i, (name, opt) in enumerate(s.active.items()):
        if not isinstance(opt, InHouseOption) or opt.data is None:
            continue
        d = opt.data
        short = max(0.0, likely(d.labels_needed) - likely(d.labels_available))
        live = int(r.live_month[0, i])
        begin = live - int(likely(opt.build_months))
        start = int(likely(opt.start_month))
        cost = float(r.components["labelling"][0, i].sum())
        row = {"option": name, "labels_needed": float(likely(d.labels_needed)),
               "labels_short": short, "labelling_months": begin - start,
               "labelling_cost": cost, "start_month": start, "build_start_month": begin,
               "live_month": live}
        row["text"] = readiness_text(row, s)
        out.append(row)
    return out


def readiness_text(row: dict[str, Any], s: Scenario) -> str:
    """The data-readiness row in words, with the option's label and calendar months."""
    h, who, live = s.horizon_months, s.label(row["option"]), row["live_month"]
    tail = (f"it is live from {month(live, s.start_date)}" if live <= h
            else f"it would go live in month {live}, after the {h}-month horizon")
    build = month(row["build_start_month"], s.start_date)
    if row["labels_short"] <= 0:
        return (f"{who}: the {row['labels_needed']:,.0f} labels it needs are available; the "
                f"build starts in {build} and {tail}.")
    n = row["labelling_months"]
    return (f"{who}: labelling {row['labels_short']:,.0f} labels takes {n} "
            f"month{'s' if n != 1 else ''} and {money(row['labelling_cost'], s.currency)}; "
            f"the build starts in {build} and {tail}.")


def value_statement(s: Scenario, net: dict[str, float]) -> str:
    """One sentence on net value (plain report), saying plainly when nothing pays off."""
    h, cur = s.horizon_months, s.currency
    best = max(net, key=lambda n: net[n])
    paying = [n for n, v in net.items() if v > 0]
    if not paying:
        return (f"No option pays for itself within {h} months: each costs more than its "
                f"right predictions are worth (closest: {s.label(best)}, net "
                f"{money(net[best], cur)}). Question the feature before choosing how to build it.")
    return (f"{len(paying)} of {len(net)} options pay for themselves within {h} months; "
            f"the best net value is {s.label(best)}, {money(net[best], cur)}.")


# -- the report -----------------------------------------------------------------------------

def monte_carlo(s: Scenario, draws: int = 10_000,
                seed: int | None = None) -> tuple[int, int, Params, Any]:
    """The one Monte Carlo run of a scenario: (draws asked, draws run, the sampled
    parameters, their Result). :func:`simulate_report` and the Decision's odds read the
    same run when they are made together (an export runs it once)."""
    sample = sampled(s, draws, seed)
    return draws, sample.draws, sample, evaluate(s, sample, detail=False)


def sampled(s: Scenario, draws: int = 10_000, seed: int | None = None) -> Params:
    """The Monte Carlo's draws of ``s`` (``draws`` checked, fewer for big scenarios: see
    :func:`draws_within_budget`), without evaluating them."""
    seed = DEFAULT_SEED if seed is None else seed
    if draws > MAX_DRAWS:
        raise ScenarioError(f"{draws:,} draws is more than the maximum of {MAX_DRAWS:,}; "
                            "10,000 draws is the normal size")
    if draws < 1:
        raise ScenarioError(f"draws must be at least 1 (got {draws:,})")
    return Params.sample(s, draws_within_budget(s, draws), seed)


def simulate_report(s: Scenario, draws: int = 10_000, seed: int | None = None,
                    run: tuple[int, int, Params, Any] | None = None) -> dict[str, Any]:
    """Everything the risk view, the command line and exports show, JSON-safe (no NaN).
    ``run``: a :func:`monte_carlo` of ``s`` already made (same draws and seed)."""
    seed = DEFAULT_SEED if seed is None else seed
    asked, draws, sample, r = run if run is not None else monte_carlo(s, draws, seed)
    plain = evaluate(s, detail=False)
    t, tp = totals(r), totals(plain)
    rank = comparable(r)
    cum, cum_plain = r.cumulative(), plain.cumulative()[0]
    names, h = r.names, s.horizon_months
    basis = "present_value" if r.discounted else "total_cost"
    exp = expected_totals(s)
    outcome_cum = evaluate(s, Params.outcomes(s), detail=False).cumulative()
    cheapest = np.bincount(np.argmin(rank, axis=1), minlength=len(names)) / r.draws
    fan_q = _pcts(cum)
    has_value = "net_value" in t
    options: dict[str, Any] = {}
    fan: dict[str, Any] = {}
    for i, name in enumerate(names):
        opt = s.active[name]
        row: dict[str, Any] = {"kind": opt.kind, "plain": {
            k: float(tp[k][0, i]) for k in ("total_cost", "present_value", "net_value")
            if k in tp} | {"live_month": int(plain.live_month[0, i])}}
        for k in ("total_cost", "present_value", "net_value"):
            if k in t:
                q = _pcts(t[k][:, i])
                row[k] = {f"p{p}": float(v) for p, v in zip(QUANTILES, q, strict=True)}
                row[k]["mean"] = float(t[k][:, i].mean())
        row["p_cheapest"] = float(cheapest[i])
        if has_value:
            row["p_pays_for_itself"] = float(np.mean(t["net_value"][:, i] > 0))
        key, prob = success_of(s, name)       # a hybrid's primary decides for it
        expected_curve = None
        if key is not None:
            row["success_probability"] = prob
            ok = sample.success.get(key)
            row["build_failed_share"] = 0.0 if ok is None else float(1.0 - np.mean(ok))
            if prob < 1.0:
                row["expected"] = exp[name]
                expected_curve = (prob * outcome_cum[0, i]
                                  + (1.0 - prob) * outcome_cum[-1, i]).tolist()
        options[name] = row
        fan[name] = {f"p{p}": fan_q[k, i].tolist() for k, p in enumerate(QUANTILES)}
        fan[name] |= {"plain": cum_plain[i].tolist(), "expected": expected_curve}
    out: dict[str, Any] = {
        "name": s.name, "horizon_months": h, "currency": s.currency, "draws": int(r.draws),
        "draws_reduced_from": asked if asked != r.draws else None, "seed": int(seed),
        "basis": basis, "months": list(range(1, h + 1)),
        "option_order": list(s.options),
        "labels": {n: s.label(n) for n in s.options},
        "kinds": {n: o.kind for n, o in s.options.items()},
        "input_labels": {k: input_label(s, k) for k in ranged_fields(s)},
        "input_units": {k: input_unit(s, k) for k in ranged_fields(s)},
        "decision_pair": list(decision_pair(s, [names[k] for k in np.argsort(
            comparable(plain)[0], kind="stable")])),
        "ranged_fields": [{"path": k, "low": v.low, "likely": v.likely, "high": v.high,
                           "distribution": v.distribution}
                          for k, v in ranged_fields(s).items()],
        "options": options, "fan": fan, "pairs": [],
        "timing": {n: timing(s, n) for n, o in s.active.items()
                   if getattr(o, "interim", None) is not None},
        "data_readiness": data_readiness(s), "value": None,
    }
    runs = tornado_runs(s)
    for i, j in pairs(names):
        month, _, catcher = crossing(cum[:, i], cum[:, j])
        entry: dict[str, Any] = {"a": names[i], "b": names[j],
                                 "p_a_cheaper": p_cheaper(cum, i, j).tolist(),
                                 "p_b_cheaper": p_cheaper(cum, j, i).tolist(),
                                 "crossover": crossover_summary(month, catcher), "tornado": {}}
        for metric in ("gap", "crossover"):
            base, bars = tornado(s, names[i], names[j], metric, runs)
            entry["tornado"][metric] = {"base": base, "bars": [vars(b) for b in bars]}
        out["pairs"].append(entry)
    if has_value:
        net = {n: float(tp["net_value"][0, i]) for i, n in enumerate(names)}
        out["value"] = {"net_value": net, "pays_for_itself": [n for n in names if net[n] > 0],
                        "statement": value_statement(s, net)}
    return _json_safe(out)


def _json_safe(x: Any) -> Any:
    if isinstance(x, dict):
        return {k: _json_safe(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_json_safe(v) for v in x]
    if isinstance(x, float | np.floating):
        return float(x) if math.isfinite(x) else None
    if isinstance(x, np.integer):
        return int(x)
    return x
