"""The cost engine: monthly costs of every option, vectorised over draws and months.

Every array has a leading draws axis (1 for a plain report). Month arrays are indexed
m = 1 … H as in ``spec/model.md``; costs of month m are paid at its end and weighed by
``(1 + r) ** -m`` with r the monthly rate of the annual discount rate.

>>> from calculator.model.yamlio import loads_scenario
>>> s = loads_scenario('''
... schema_version: 1
... name: tiny
... horizon_months: 3
... traffic: {calls_per_month: 1000}
... options:
...   api: {kind: genai_api, input_tokens_per_call: 1000, output_tokens_per_call: 100,
...         price_per_million_input_tokens: 2.0, price_per_million_output_tokens: 10.0}
... ''')
>>> r = evaluate(s)
>>> [round(float(x), 6) for x in r.total[0, 0]]   # (1000·2 + 100·10)/1e6 = 0.003 a call · 1,000 calls
[3.0, 3.0, 3.0]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from . import pricing, scratch
from .costs import (
    COMPONENTS,
    PARTS,
    Rows,
    add_where,
    before_live,
    cost_per_error,
    life,
    month_span,
    once_live,
    steady_own,
)
from .hybrid import fill_hybrid, steady_hybrid
from .numbers import Range
from .params import Params
from .pricing import Ctx, is_zero
from .scenario import GenAIOption, HybridOption, Scenario

COMPONENT_LABELS = {"setup": "Setup", "labelling": "Labelling", "build": "Build team",
                    "interim": "Interim option", "run_team": "Run team",
                    "fixed": "Fixed monthly", "usage": "Serving / API",
                    "retraining": "Retraining", "errors": "Errors",
                    "primary": "Primary (hybrid)", "fallback": "Fallback (hybrid)"}


@dataclass
class Result:
    """Monthly costs by draw, option and month, and what is needed to read them.

    ``money``, ``error``, ``value`` and ``components`` are (D, O, H) views of option-major
    arrays (the engine fills one option's rows at a time): index them freely, but do not
    count on C-contiguity. A hybrid's components are the sum of its two parts; ``parts``
    keeps them apart (hybrid -> "primary" / "fallback" -> component -> (D, H))."""

    scenario: Scenario
    names: list[str]
    months: np.ndarray            # (H,) 1..H
    volume: np.ndarray            # (D, H) calls per month
    money: np.ndarray             # (D, O, H) cost items 1-4 of the spec
    error: np.ndarray             # (D, O, H) item 5
    value: np.ndarray | None      # (D, O, H) value of right predictions, when set
    live_month: np.ndarray        # (D, O) first live month (may lie past the horizon)
    weights: np.ndarray           # (H,) discount factor of each month
    components: dict[str, np.ndarray] | None = None   # name -> (D, O, H), when detailed
    parts: dict[str, dict[str, dict[str, np.ndarray]]] | None = None   # hybrids, detailed

    @property
    def draws(self) -> int:
        return self.money.shape[0]

    @property
    def total(self) -> np.ndarray:
        return self.money + self.error

    @property
    def discounted(self) -> bool:
        return self.scenario.discount_rate_annual > 0

    def cumulative(self) -> np.ndarray:
        """Cumulative total cost (D, O, H), discounted when the discount rate is above 0."""
        total = self.total                       # a fresh array: weigh and sum it in place
        if self.discounted:
            total *= self.weights
        return np.cumsum(total, axis=-1, out=total)

    def cumulative_of(self, i: int) -> np.ndarray:
        """Option ``i``'s cumulative total cost (D, H): the same bits as
        ``cumulative()[:, i]`` without computing every other option's."""
        total = self.money[:, i] + self.error[:, i]
        if self.discounted:
            total *= self.weights
        return np.cumsum(total, axis=-1, out=total)

    def tidy(self, draw: int = 0, parts: bool = False) -> pd.DataFrame:
        """One row per month, option and component (draw 0 of a plain report).

        ``parts=True`` adds ``part`` and ``part_option``: "own" and the option itself for a
        single option; for a hybrid, one row per part ("primary", "fallback") and its
        option, so that a chart can show which part the money (errors included) goes to.
        """
        if self.components is None:
            raise ValueError("this result was computed without the component detail")
        rows = []
        for c in COMPONENTS:
            arr = self.components[c][draw]
            for i, name in enumerate(self.names):
                split = (self.parts or {}).get(name) if parts else None
                if split is None:
                    df = pd.DataFrame({"month": self.months, "option": name, "component": c,
                                       "cost": arr[i]})
                    rows.append(df.assign(part="own", part_option=name) if parts else df)
                    continue
                opt = self.scenario.options[name]
                for role in PARTS:
                    rows.append(pd.DataFrame({
                        "month": self.months, "option": name, "component": c,
                        "cost": split[role][c][draw], "part": role,
                        "part_option": getattr(opt, role)}))
        return pd.concat(rows, ignore_index=True)


def volume(s: Scenario, p: Params) -> Any:
    """Calls in each month, shape (1 or D, H). Never rounded."""
    t = s.traffic
    m = np.arange(1, s.horizon_months + 1, dtype=float)
    if t.monthly_calls is not None:
        return np.asarray(t.monthly_calls[: s.horizon_months], dtype=float)[None, :]
    v0 = p("traffic.calls_per_month", t.calls_per_month)
    if t.growth == "linear":
        d = p("traffic.growth_calls_per_month", t.growth_calls_per_month)
        curve = np.maximum(0.0, v0 + d * (m - 1))
    elif t.growth == "compound":
        g = p("traffic.growth_rate_monthly", t.growth_rate_monthly)
        curve = v0 * pricing.power(1.0 + g, m - 1)
    else:
        curve = v0 * np.ones_like(m)
    return np.atleast_2d(curve)


def discount_weights(s: Scenario) -> np.ndarray:
    m = np.arange(1, s.horizon_months + 1, dtype=float)
    r = (1.0 + s.discount_rate_annual) ** (1.0 / 12.0) - 1.0
    return (1.0 + r) ** (-m)


def _fill(ctx: Ctx, rows: Rows, name: str, opt: Any, v: np.ndarray, value_per: Any) -> None:
    """Write one option's money, error and value rows, adding its interim's rows (already
    written) in the months before it is live. Components add in the order of COMPONENTS."""
    p, path = ctx.p, f"options.{name}"
    i = rows.index[name]
    lf = life(ctx, name, opt)
    before = ~lf.is_live
    j = rows.index[opt.interim] if opt.interim is not None else None
    before_live(ctx, rows, i, name, opt, lf)
    if j is not None:
        rows.add(i, "interim", rows.money[j], before)
    once_live(ctx, rows, i, name, opt, lf, v)
    accuracy = p(f"{path}.accuracy", opt.accuracy)
    per_error = cost_per_error(ctx)
    err = rows.error[i]
    if not is_zero(per_error):
        np.multiply(v, 1.0 - accuracy, out=err)
        np.multiply(err, per_error, out=err)
        np.multiply(err, lf.serving, out=err)
        if j is not None:   # the interim's errors in the months it serves
            add_where(err, rows.error[j], before, month_span(before))
        if rows.comps is not None:
            rows.comps["errors"][i] = err
    if rows.value is not None:
        val = rows.value[i]
        np.multiply(v, accuracy, out=val)
        np.multiply(val, value_per, out=val)
        np.multiply(val, lf.is_live, out=val)
        if j is not None:   # the interim's right predictions (0 where it does not serve)
            np.copyto(val, rows.value[j], where=before)
    rows.live[:, i] = np.broadcast_to(np.asarray(lf.live, dtype=float).reshape(-1),
                                      (rows.live.shape[0],))


def genai_prices(name: str, opt: GenAIOption, p: Params) -> tuple[Any, Any, Any]:
    """Input, cached-input and output prices per million tokens (the version-1 triple, for
    callers outside the model: calculator/export/sources.py). The lookup itself, with every
    price the formula needs, is :func:`calculator.model.pricing.genai_prices`."""
    found = pricing.genai_prices(name, opt, p)
    return found.input, found.cached_input, found.output


BLOCK_DRAWS = 2048
"""Draws evaluated together: a block's temporaries stay small (about 2 MB at 120 months;
the Monte Carlo's cell budget bounds a block's rows to 48 MB however big the scenario).
Every step works row by row, so blocks give the same bits as one pass over all draws.
2,048 and 1,024 measured the same within a shared machine's noise; 2,048 takes half the
Python steps."""


def _has_value(s: Scenario, p: Params, value: bool) -> bool:
    # a ranged value is "set" even when its likely value is 0: the plain report and the
    # Monte Carlo then both have a value view
    value_per = p("quality.value_per_correct_prediction", s.quality.value_per_correct_prediction)
    return value and (isinstance(s.quality.value_per_correct_prediction, Range)
                      or bool(np.any(np.asarray(value_per) > 0)))


def needed(s: Scenario, wanted: Iterable[str]) -> list[str]:
    """The active options to compute for ``wanted``: those and their interims (an interim
    has none of its own; a hybrid computes its parts inside), in the scenario's order.
    Each option's rows depend on nothing else, so they are the same bits as in a run of
    every option.

    >>> from calculator.model.yamlio import loads_scenario
    >>> s = loads_scenario('''
    ... schema_version: 1
    ... name: tiny
    ... horizon_months: 12
    ... traffic: {calls_per_month: 1000}
    ... options:
    ...   rules: {kind: rules}
    ...   api: {kind: rules, cost_per_1k_calls: 1.0}
    ...   model: {kind: in_house, interim: api, build_months: 2, node_capacity_rps: 50,
    ...           node_cost_per_hour: 1.0}
    ... ''')
    >>> needed(s, ["model"])
    ['api', 'model']
    """
    keep = set(wanted)
    keep |= {i for n in list(keep) if (i := getattr(s.active[n], "interim", None)) is not None}
    return [n for n in s.active if n in keep]


def evaluate(s: Scenario, p: Params | None = None, *, detail: bool = True,
             value: bool = True, into: Rows | None = None,
             only: list[str] | None = None) -> Result:
    """Run the model for every active option (or the options ``only`` names: see
    :func:`needed`) and every draw of ``p``.

    A hybrid's parts are computed inside it, also when they are switched off themselves.
    ``value=False`` leaves out the value of right predictions (``Result.value`` is None)
    for a caller that only compares costs. ``into``: zeroed output rows of the right shape
    to write into (:func:`in_blocks` reuses one set); the Result is a view of them."""
    p = p or Params.plain()
    names = list(s.active) if only is None else list(only)
    h = s.horizon_months
    v0 = volume(s, p)
    v = np.broadcast_to(v0, (max(p.draws, v0.shape[0]), h))
    n = v.shape[0]
    hybrids = [k for k in names if isinstance(s.active[k], HybridOption)]
    rows = into if into is not None else Rows.zeros(
        names, n, h, _has_value(s, p, value), detail, hybrids)
    # Interims first: an option adds its interim's finished rows before it is live.
    order = sorted(names, key=lambda k: getattr(s.active[k], "interim", None) is not None)
    for lo in range(0, n, BLOCK_DRAWS):
        hi = min(n, lo + BLOCK_DRAWS)
        sub = p.rows(lo, hi) if p.draws > 1 else p
        ctx, block = Ctx(s, sub), rows.block(lo, hi)
        per_right = sub("quality.value_per_correct_prediction",
                        s.quality.value_per_correct_prediction)
        for name in order:
            fill = fill_hybrid if name in hybrids else _fill
            fill(ctx, block, name, s.active[name], v[lo:hi], per_right)

    def view(a: np.ndarray) -> np.ndarray:
        return a.transpose(1, 0, 2)

    comps = {c: view(a) for c, a in rows.comps.items()} if rows.comps is not None else None
    return Result(s, names, np.arange(1, h + 1), v, view(rows.money), view(rows.error),
                  None if rows.value is None else view(rows.value), rows.live,
                  discount_weights(s), comps, rows.parts)


def in_blocks(s: Scenario, p: Params, *, value: bool = True, block: int = BLOCK_DRAWS,
              only: list[str] | None = None) -> Iterator[Result]:
    """``evaluate(s, p, detail=False, only=only)`` a block of ``block`` draws at a time, in order: the
    same bits as one pass (every draw's row is computed alone).

    The blocks share one set of output rows, zeroed before each: **a block's Result is
    only valid until the next one is asked for, or the blocks end** (copy what you keep).
    Fresh rows for every block cost more than the arithmetic: at 10,000 draws about 5,000
    new memory pages (page faults) a run, a third of the Monte Carlo's time. The rows come
    from, and go back to, :mod:`.scratch`: the next run of the same shape reuses them."""
    if p.draws <= 0:
        return
    size = min(block, p.draws)
    shared = Rows.zeros(list(s.active) if only is None else list(only), size, s.horizon_months, _has_value(s, p, value),
                        False, [], zeros=scratch.zeros)
    try:
        for lo in range(0, p.draws, size):
            hi = min(p.draws, lo + size)
            rows = shared if hi - lo == size else shared.block(0, hi - lo)
            if lo:
                rows.clear()
            yield evaluate(s, p.rows(lo, hi), detail=False, value=value, into=rows,
                           only=only)
    finally:
        scratch.give(shared.money, shared.error, shared.value)


def steady_monthly_cost(s: Scenario, p: Params, name: str, v: Any) -> Any:
    """An option's monthly total at a constant volume: live, month-1 prices, run team,
    fixed, variable and error cost; no setup, build or retraining (for break-even). A
    hybrid: both parts live, at their shares of the volume."""
    ctx = Ctx(s, p)
    opt, path = s.active[name], f"options.{name}"
    if isinstance(opt, HybridOption):
        return steady_hybrid(ctx, name, opt, v)
    accuracy = p(f"{path}.accuracy", opt.accuracy)
    return steady_own(ctx, name, opt, v) + v * (1.0 - accuracy) * cost_per_error(ctx)


__all__ = ["COMPONENTS", "COMPONENT_LABELS", "PARTS", "Result", "discount_weights", "evaluate",
           "genai_prices", "in_blocks", "needed", "steady_monthly_cost", "volume"]
