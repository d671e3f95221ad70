"""Decide, not just compare: what would have to be true, where building wins, what to
measure next, and what changed between two scenarios.

Every reading runs the one engine on a parameter set with a leading draws axis: the
thresholds put every field's coarse grid (both ways) into one evaluation and then bisect
all fields at once, one evaluation a step; the decision map is one evaluation of n·n draws;
the value of information reads the Monte Carlo draws. Options are ranked by
:func:`analysis.comparable` (present value when discounting, total cost otherwise).
Method and conventions: docs/risk.md, "Decide, not just compare".

This module holds the thresholds; the decision map is in :mod:`.decide_map`, the value of
information in :mod:`.decide_voi` and the comparison of two scenarios in
:mod:`.decide_compare` (all re-exported here), the numbers that can move the answer in
:mod:`.decide_fields` and the sentences in :mod:`.decide_text`.

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
from typing import Any

import numpy as np

from . import decide_text as text
from .analysis import comparable
from .decide_compare import compare
from .decide_fields import Candidate, candidate_fields
from .decide_map import DecisionMap, decision_map, default_axes
from .decide_voi import evpi, evppi, value_of_information
from .engine import evaluate
from .params import Params
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
