"""Decide, not just compare: what would have to be true, where building wins, what to
measure next, and what changed between two scenarios.

Every reading runs the one engine on a parameter set with a leading draws axis: the
thresholds put every field's coarse grid (both ways) into one evaluation and then bisect
all fields at once, one evaluation a step; the decision map is one evaluation of n·n draws;
the value of information reads the Monte Carlo draws. Options are ranked by
:func:`analysis.comparable` (present value when discounting, total cost otherwise).
Method and conventions: docs/risk.md, "Decide, not just compare".

>>> from calculator.model.yamlio import loads_scenario
>>> s = loads_scenario('''
... schema_version: 1
... name: tiny
... horizon_months: 12
... traffic: {calls_per_month: 1_000_000}
... team: {ml_engineer: 20_000}
... options:
...   api: {kind: genai_api, input_tokens_per_call: 1000, output_tokens_per_call: 100,
...         price_per_million_input_tokens: 2.0, price_per_million_output_tokens: 10.0}
...   model: {kind: in_house, run_team: {ml_engineer: 0.05}, node_cost_per_hour: 1.0,
...           node_capacity_rps: 1000}
... ''')
>>> out = thresholds(s)
>>> first = out["thresholds"][0]      # api: 0.003 a call; model: 730 + 1,000 = 1,730 a month
>>> out["cheapest"], first["field"], first["cheapest_after"]
('model', 'traffic.calls_per_month', 'api')
>>> round(first["flips_at"] / (1730 / 0.003), 3)   # 576,666.67 calls a month, to 0.1 %
1.0
>>> first["text"]
'model stops being the cheapest if the calls per month in month 1 falls 42.3 % to 577k calls a month; api is the cheapest then.'
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import decide_text as text
from .analysis import comparable
from .decide_compare import compare
from .decide_fields import Candidate, candidate_fields, is_build
from .engine import evaluate
from .errors import ScenarioError
from .params import DEFAULT_SEED, Params, ranged_fields
from .registry import resolve
from .risk import MAX_DRAWS
from .scenario import Scenario

__all__ = ["DecisionMap", "candidate_fields", "compare", "decision_map", "default_axes",
           "evpi", "evppi", "thresholds", "value_of_information"]

SPAN = math.log(1000.0)
"""How far the threshold search looks either way: a factor of 1,000 (in ratio)."""
STEP = math.log(1.25)
"""Coarse grid: neighbours differ by 25 %; a flip and its return within one step are missed."""
ZERO_DECADES, ZERO_STEP = 12, math.log(1.5)
"""A field that is 0 today is searched upwards over 12 decades below its maximum."""
TOL = 1e-4
"""Bisection stops when the bracket is 0.01 % wide (the contract asks for 0.1 %)."""


# -- what would have to be true -------------------------------------------------------------

def _grid(c: Candidate, sign: int) -> np.ndarray:
    """Coarse values going outward from today's, in one direction (+1 up, -1 down)."""
    u = c.value + c.offset
    if u > 0:
        steps = np.append(np.arange(1, int(SPAN / STEP) + 1) * STEP, SPAN)
        x = u * np.exp(sign * steps) - c.offset
    elif sign > 0:     # 0 today (or below the ratio's zero): no ratio, upward steps only
        top = min(c.hi, c.value + 1e12)
        x = c.value + (top - c.value) * np.exp(np.arange(-int(ZERO_DECADES * math.log(10)
                                                              / ZERO_STEP), 1) * ZERO_STEP)
    else:
        return np.empty(0)
    x = np.clip(x, c.lo, c.hi)
    if c.integer:
        x = np.ceil(x) if sign > 0 else np.floor(x)
    x = np.unique(x[c.allows(x) & (sign * (x - c.value) > 0)])
    return x if sign > 0 else x[::-1]


def _ranks(s: Scenario, cands: list[Candidate], field: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The cheapest option's index with field[k] set to x[k] (row k + 1; row 0 is today):
    one evaluation of len(x) + 1 draws."""
    n = len(x) + 1
    values: dict[str, np.ndarray] = {}
    varied = np.unique(field)
    # a field that follows another goes after it, and moves with it where it is not varied
    for f in sorted(varied, key=lambda f: cands[f].follows is not None):
        c = cands[f]
        col = values[c.follows].copy() if c.follows in values else np.full(n, c.value)
        sel = np.flatnonzero(field == f)
        col[sel + 1] = x[sel]
        values[c.path] = col
    return np.argmin(comparable(evaluate(s, Params(n, values), detail=False)), axis=1)


def thresholds(s: Scenario) -> dict[str, Any]:
    """For each number that can move the answer, the value nearest to today's at which the
    cheapest option over the horizon changes (scenario-format.md, "What would have to be
    true"), nearest first; ``flips_at`` is None where nothing changes within a factor of
    1,000 either way and the field's bounds."""
    cands = candidate_fields(s)
    names = list(s.active)
    today = names[int(_ranks(s, cands, np.zeros(0, int), np.zeros(0))[0])]
    seg_field, seg_grid = [], []
    if len(names) > 1:
        for f, c in enumerate(cands):
            for sign in (1, -1):
                g = _grid(c, sign)
                if g.size:
                    seg_field.append(f)
                    seg_grid.append(g)
    found: dict[int, list[tuple[float, float, str]]] = {}
    if seg_grid:
        a, b, after, fld = _brackets(s, cands, seg_field, seg_grid)
        a, b, after = _bisect(s, cands, names.index(today), fld, a, b, after)
        for k, f in enumerate(fld):
            c = cands[f]
            u0, u1 = c.value + c.offset, b[k] + c.offset
            near = abs(math.log(u1 / u0)) if u0 > 0 and u1 > 0 else math.inf
            found.setdefault(int(f), []).append((near, float(b[k]), names[after[k]]))
    rows = []
    for f, c in enumerate(cands):
        best = min(found.get(f, []), default=None)
        value: float | int = int(c.value) if c.integer else c.value
        row: dict[str, Any] = {"field": c.path, "value": value, "flips_at": None,
                               "cheapest_after": None}
        if best is not None:
            row["flips_at"] = int(best[1]) if c.integer else best[1]
            row["cheapest_after"] = best[2]
        row["text"] = text.threshold_sentence(s, row, today)
        rows.append((best[0] if best else math.inf, best is None, f, row))
    rows.sort(key=lambda r: (r[1], r[0], r[2]))
    return {"cheapest": today, "basis": "present_value" if s.discount_rate_annual > 0
            else "total_cost", "thresholds": [r[3] for r in rows]}


def _brackets(s: Scenario, cands: list[Candidate], seg_field: list[int],
              seg_grid: list[np.ndarray]) -> tuple[Any, Any, Any, Any]:
    """One evaluation of every coarse grid; per direction that flips, the last value that
    does not and the first that does (today's value when the first step flips)."""
    sizes = np.array([g.size for g in seg_grid])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    field = np.repeat(seg_field, sizes)
    x = np.concatenate(seg_grid)
    best = _ranks(s, cands, field, x)
    flipped = best[1:] != best[0]
    pos = np.arange(x.size) - np.repeat(starts, sizes)
    first = np.minimum.reduceat(np.where(flipped, pos, x.size), starts)
    keep = first < sizes
    k = first[keep] + starts[keep]
    fld = np.asarray(seg_field)[keep]
    a = np.where(first[keep] > 0, x[np.maximum(k - 1, 0)],
                 [cands[f].value for f in fld])
    return a, x[k].copy(), best[1:][k].copy(), fld


def _bisect(s: Scenario, cands: list[Candidate], today: int, fld: np.ndarray, a: np.ndarray,
            b: np.ndarray, after: np.ndarray) -> tuple[Any, Any, Any]:
    """Bisect every bracket at once (a: same answer as today, b: another), one evaluation a
    step: geometric midpoints in ratio of value + offset, whole midpoints for whole fields."""
    off = np.array([cands[f].offset for f in fld])
    whole = np.array([cands[f].integer for f in fld], dtype=bool)
    for _ in range(64):   # a bracket [0, tiny] (a tie at 0 today) may never reach TOL
        ua, ub = a + off, b + off
        done = np.where(whole, np.abs(b - a) <= 1,
                        np.abs(ub - ua) <= TOL * np.maximum(np.abs(ua), np.abs(ub)))
        if done.all():
            break
        geo = (ua > 0) & (ub > 0)
        mid = np.where(geo, np.sqrt(np.abs(ua * ub)), (ua + ub) / 2) - off
        mid = np.where(whole, a + np.trunc((b - a) / 2), mid)
        todo = np.flatnonzero(~done)
        best = _ranks(s, cands, fld[todo], mid[todo])[1:]
        flip = best != today
        a[todo[~flip]] = mid[todo[~flip]]
        b[todo[flip]] = mid[todo[flip]]
        after[todo[flip]] = best[flip]
    return a, b, after


# -- where building wins --------------------------------------------------------------------

MAX_MAP = 200
"""Largest decision map side: 200 × 200 = 40,000 draws in one evaluation."""


@dataclass
class DecisionMap:
    """The cheapest option over a grid of two inputs (log scales), today's point, and the
    boundary where the cheapest changes between building and buying.

    ``frame``: one row per cell (x varies fastest) with columns x, y, cheapest and
    ``total_<option>`` (the comparable total: present value when discounting).
    ``boundary``: points (x, y) where the best build option and the best buy option cost the
    same, interpolated in log space along each column and each row, sorted by x.
    ``today``: x, y, cheapest and the totals of today's scenario."""

    x_field: str
    y_field: str
    x_values: np.ndarray
    y_values: np.ndarray
    frame: pd.DataFrame
    boundary: pd.DataFrame
    today: dict[str, Any]
    names: list[str]
    option_order: list[str]
    build: list[str]
    buy: list[str]
    basis: str
    currency: str
    horizon_months: int
    x_label: str = ""                   # the two inputs and the options for people
    y_label: str = ""
    x_unit: str = "number"
    y_unit: str = "number"
    labels: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)


def default_axes(s: Scenario) -> tuple[str, str]:
    """Month-1 traffic and the main API price: the input price of the first GenAI option,
    else the first priced vendor tier, else the first rules cost per 1,000 calls, else the
    first other number above 0."""
    cands = {c.path: c for c in candidate_fields(s)}
    x = "traffic.calls_per_month"
    tiers = [f"options.{n}.tiers.{i}.price_per_1k_units" for n, o in s.active.items()
             if o.kind == "vendor_api" for i in range(len(o.tiers))]
    for group in ([f"options.{n}.price_per_million_input_tokens" for n, o in s.active.items()
                   if o.kind == "genai_api"], tiers,
                  [f"options.{n}.cost_per_1k_calls" for n, o in s.active.items()
                   if o.kind == "rules"], list(cands)):
        y = next((p for p in group if p in cands and p != x and cands[p].value > 0), None)
        if y is not None:
            return x, y
    raise ScenarioError("no second number above 0 to map against traffic; choose the map's "
                        "inputs and give ranges for them")


def _axis(c: Candidate | None, field: str, rng: tuple[float, float] | None, n: int,
          known: list[str]) -> np.ndarray:
    if c is None:
        raise ScenarioError(f"{field} is not a number that can move the answer in this "
                            f"scenario; choose one of {', '.join(known)}")
    if rng is None:
        if c.value <= 0:
            raise ScenarioError(f"{field} is 0 today, which a log scale cannot show; "
                                "give a range for it")
        rng = (c.value / 10.0, c.value * 10.0)
    lo, hi = float(rng[0]), float(rng[1])
    if not (math.isfinite(lo) and math.isfinite(hi) and 0 < lo < hi):
        raise ScenarioError(f"the range of {field} must be two numbers 0 < low < high "
                            f"(got {lo:g}, {hi:g})")
    lo, hi = max(lo, c.lo), min(hi, c.hi)
    if c.lo_open and lo <= c.lo:
        lo = c.lo + abs(c.lo) * 1e-9 + 1e-300
    if lo >= hi:
        raise ScenarioError(f"the range of {field} lies outside its bounds")
    return np.geomspace(lo, hi, n)


def decision_map(s: Scenario, x_field: str | None = None, y_field: str | None = None,
                 n: int = 50, x_range: tuple[float, float] | None = None,
                 y_range: tuple[float, float] | None = None) -> DecisionMap:
    """The cheapest option over the horizon on an n × n grid of two inputs (log scales;
    default span today's value /10 to ×10 within bounds), in one evaluation of n·n draws
    (plus today's point), and the payback boundary between building and buying."""
    if not 2 <= n <= MAX_MAP:
        raise ScenarioError(f"the map side must be between 2 and {MAX_MAP} (got {n})")
    if x_field is None or y_field is None:
        dx, dy = default_axes(s)
        x_field, y_field = x_field or dx, y_field or dy
    if x_field == y_field:
        raise ScenarioError(f"the map needs two different inputs (both are {x_field})")
    cands = {c.path: c for c in candidate_fields(s)}
    xs = _axis(cands.get(x_field), x_field, x_range, n, list(cands))
    ys = _axis(cands.get(y_field), y_field, y_range, n, list(cands))
    x0, y0 = cands[x_field].value, cands[y_field].value
    gx, gy = np.meshgrid(xs, ys)                       # (ny, nx): x varies fastest
    p = Params(n * n + 1, {x_field: np.append(gx.ravel(), x0),
                           y_field: np.append(gy.ravel(), y0)})
    r = evaluate(s, p, detail=False)
    rank = comparable(r)
    names = r.names
    best = np.argmin(rank, axis=1)
    frame = pd.DataFrame({"x": gx.ravel(), "y": gy.ravel(),
                          "cheapest": np.asarray(names, dtype=object)[best[:-1]]})
    for i, name in enumerate(names):
        frame[f"total_{name}"] = rank[:-1, i]
    build = [k for k in names if is_build(s.active[k])]
    buy = [k for k in names if k not in build]
    boundary = pd.DataFrame({"x": [], "y": []})
    if build and buy:
        gap = (rank[:-1, [names.index(k) for k in build]].min(axis=1)
               - rank[:-1, [names.index(k) for k in buy]].min(axis=1)).reshape(n, n)
        boundary = _boundary(xs, ys, gap)
    today = {"x": x0, "y": y0, "cheapest": names[int(best[-1])],
             "totals": {k: float(rank[-1, i]) for i, k in enumerate(names)}}
    kinds = {n: o.kind for n, o in s.options.items()}
    units = [getattr(resolve(f, kinds), "unit", "number") for f in (x_field, y_field)]
    return DecisionMap(x_field, y_field, xs, ys, frame, boundary, today, names,
                       list(s.options), build, buy,
                       "present_value" if r.discounted else "total_cost", s.currency,
                       s.horizon_months, text.label(s, x_field), text.label(s, y_field),
                       units[0], units[1], {n: s.label(n) for n in s.options},
                       {n: o.kind for n, o in s.options.items()})


def _boundary(xs: np.ndarray, ys: np.ndarray, gap: np.ndarray) -> pd.DataFrame:
    """Where gap (ny, nx) changes sign: along each column (y at fixed x) and each row (x at
    fixed y), interpolated linearly in log space; sorted by x."""
    lx, ly = np.log(xs), np.log(ys)

    def cross(g: np.ndarray, lv: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        # g: (steps along the line, lines); returns (line index, log value) of each crossing
        j, k = np.nonzero(g[:-1] * g[1:] < 0)
        w = g[j, k] / (g[j, k] - g[j + 1, k])
        return k, lv[j] + w * (lv[j + 1] - lv[j])

    col_k, col_y = cross(gap, ly)                 # column k at x = xs[k]
    row_k, row_x = cross(gap.T, lx)               # row k at y = ys[k]
    out = pd.DataFrame({"x": np.concatenate([xs[col_k], np.exp(row_x)]),
                        "y": np.concatenate([np.exp(col_y), ys[row_k]])})
    return out.sort_values(["x", "y"]).drop_duplicates().reset_index(drop=True)


# -- what to measure next -------------------------------------------------------------------

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
