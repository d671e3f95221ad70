"""Where building wins: the cheapest option over an n × n grid of two inputs (log scales), in
one evaluation of n·n draws, and the boundary between building and buying
(:func:`decision_map`; :func:`default_axes` picks month-1 traffic and the main API price).
Method: docs/risk.md, "Decide, not just compare"."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import decide_text as text
from .analysis import comparable
from .decide_fields import Candidate, candidate_fields, is_build
from .engine import evaluate
from .errors import ScenarioError
from .params import Params
from .registry import resolve
from .scenario import Scenario

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
