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

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from . import catalog
from .params import Params
from .scenario import GenAIOption, InHouseOption, RulesOption, Scenario, VendorOption

COMPONENTS = ("setup", "labelling", "build", "interim", "run_team", "fixed", "usage",
              "retraining", "errors")
"""Cost components, in stacking order. ``usage`` is the kind's variable cost (API bill,
serving nodes, compute); ``interim`` the money of the option serving before this one is live;
``errors`` the error cost of whichever option serves the month."""

COMPONENT_LABELS = {"setup": "Setup", "labelling": "Labelling", "build": "Build team",
                    "interim": "Interim option", "run_team": "Run team",
                    "fixed": "Fixed monthly", "usage": "Serving / API",
                    "retraining": "Retraining", "errors": "Errors"}


@dataclass
class Result:
    """Monthly costs by draw, option and month, and what is needed to read them.

    ``money``, ``error``, ``value`` and ``components`` are (D, O, H) views of option-major
    arrays (the engine fills one option's rows at a time): index them freely, but do not
    count on C-contiguity."""

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

    def tidy(self, draw: int = 0) -> pd.DataFrame:
        """One row per month, option and component (draw 0 of a plain report)."""
        if self.components is None:
            raise ValueError("this result was computed without the component detail")
        rows = []
        for c in COMPONENTS:
            arr = self.components[c][draw]
            for i, name in enumerate(self.names):
                rows.append(pd.DataFrame({"month": self.months, "option": name,
                                          "component": c, "cost": arr[i]}))
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
        curve = v0 * (1.0 + g) ** (m - 1)
    else:
        curve = v0 * np.ones_like(m)
    return np.atleast_2d(curve)


def discount_weights(s: Scenario) -> np.ndarray:
    m = np.arange(1, s.horizon_months + 1, dtype=float)
    r = (1.0 + s.discount_rate_annual) ** (1.0 / 12.0) - 1.0
    return (1.0 + r) ** (-m)


class _Ctx:
    """What every option's arithmetic needs: params, months, rates."""

    def __init__(self, s: Scenario, p: Params):
        self.s, self.p = s, p
        self.m = np.arange(1, s.horizon_months + 1, dtype=float)

    def rate(self, role: str) -> Any:
        return self.p(f"team.{role}", self.s.team[role])

    def team(self, fte: dict[str, Any], path: str) -> Any:
        """Monthly (or one-off) cost of a role -> FTE (or FTE-months) mapping."""
        return sum((self.p(f"{path}.{role}", v) * self.rate(role) for role, v in fte.items()),
                   0.0)

    def whole(self, path: str, value: Any) -> Any:
        return np.round(self.p(path, value))


def _inplace(op: Any, x: Any, y: Any) -> Any:
    """``op(x, y)``, written over ``x`` when ``x`` is a temporary array of the result's shape.

    Only for temporaries made here: reusing them saves a fresh (draws, months) array per step,
    which at 10,000 draws costs more (page faults) than the arithmetic. Same bits as op(x, y).
    """
    if isinstance(x, np.ndarray) and x.ndim and np.broadcast_shapes(x.shape, np.shape(y)) == x.shape:
        return op(x, y, out=x)
    return op(x, y)


def _is_zero(x: Any) -> bool:
    """A scalar 0: adding ``0 · mask`` changes nothing, so the pass is skipped."""
    return np.ndim(x) == 0 and float(x) == 0.0


def variable_cost(ctx: _Ctx, name: str, opt: Any, v: Any, month: Any) -> Any:
    """The kind's variable cost of volume ``v`` in month ``month`` (broadcasting)."""
    p, path = ctx.p, f"options.{name}"
    if isinstance(opt, RulesOption):
        return _inplace(np.multiply, v / 1000.0, p(f"{path}.cost_per_1k_calls",
                                                    opt.cost_per_1k_calls))
    if isinstance(opt, VendorOption):
        return _tiered(ctx, path, opt, v * p(f"{path}.units_per_call", opt.units_per_call))
    if isinstance(opt, GenAIOption):
        return _inplace(np.multiply, v * cost_per_call(ctx, name, opt),
                        _price_factor(ctx, path, opt, month))
    if isinstance(opt, InHouseOption):
        hours = ctx.s.hours_per_month
        per_node = (node_rps(p, path, opt)
                    * p(f"{path}.target_utilization", opt.target_utilization) * 3600.0 * hours)
        peak = p("traffic.peak_to_average", ctx.s.traffic.peak_to_average)
        # The tiny shrink keeps 2.0000000001 nodes (float noise) from becoming 3.
        needed = _inplace(np.multiply, _inplace(np.divide, v * peak, per_node), 1.0 - 1e-12)
        needed = np.ceil(needed, out=needed) if isinstance(needed, np.ndarray) else np.ceil(needed)
        nodes = _inplace(np.maximum, needed, ctx.whole(f"{path}.min_nodes", opt.min_nodes))
        cost = _inplace(np.multiply, _inplace(np.multiply, nodes, node_price(p, path, opt)),
                        hours)
        per_1k = p(f"{path}.cost_per_1k_calls", opt.cost_per_1k_calls)
        if _is_zero(per_1k):     # + V/1000 · 0 would add nothing
            return cost
        return _inplace(np.add, cost, _inplace(np.multiply, v / 1000.0, per_1k))
    raise TypeError(f"unknown option kind {type(opt).__name__}")  # pragma: no cover


def node_rps(p: Params, path: str, opt: InHouseOption) -> Any:
    """Calls a second one node serves: given, or its token throughput over tokens per call."""
    if opt.node_capacity_rps is not None:
        return p(f"{path}.node_capacity_rps", opt.node_capacity_rps)
    return (p(f"{path}.node_capacity_tokens_per_second", opt.node_capacity_tokens_per_second)
            / p(f"{path}.tokens_per_call", opt.tokens_per_call))


def node_price(p: Params, path: str, opt: InHouseOption) -> Any:
    """A node's price per hour: typed in, else the picked instance's (typed wins)."""
    if opt.node_cost_per_hour is not None or opt.node_catalog is None:
        return p(f"{path}.node_cost_per_hour", opt.node_cost_per_hour)
    from .gpus import lookup as node_lookup

    found = node_lookup(opt.node_catalog.cloud, opt.node_catalog.instance)
    return getattr(found, "price_per_hour", 0.0)


def _tiered(ctx: _Ctx, path: str, opt: VendorOption, units: Any) -> Any:
    p = ctx.p
    prices = [p(f"{path}.tiers.{i}.price_per_1k_units", t.price_per_1k_units) / 1000.0
              for i, t in enumerate(opt.tiers)]
    bounds = [p(f"{path}.tiers.{i}.up_to_units", t.up_to_units)
              for i, t in enumerate(opt.tiers[:-1])]
    cost: Any = 0.0
    if opt.tier_mode == "volume":
        price = prices[0] * np.ones_like(units)
        for bound, tier_price in zip(bounds, prices[1:], strict=True):
            price = np.where(units > bound, tier_price, price)
        cost = units * price
    else:
        lower: Any = 0.0
        for i, tier_price in enumerate(prices):
            upper = bounds[i] if i < len(bounds) else np.inf
            part = units - lower
            part = np.clip(part, 0.0, np.maximum(upper - lower, 0),
                           out=part if isinstance(part, np.ndarray) else None)
            part = _inplace(np.multiply, part, tier_price)
            cost = _inplace(np.add, cost, part) if i else part     # 0 + part is part
            lower = upper
    return _inplace(np.maximum, cost, p(f"{path}.monthly_minimum", opt.monthly_minimum))


def genai_prices(name: str, opt: GenAIOption, p: Params) -> tuple[Any, Any, Any]:
    """Input, cached-input and output prices per million tokens: typed-in win."""
    path = f"options.{name}"
    found = catalog.lookup(opt.catalog.provider, opt.catalog.model) if opt.catalog else None
    ref = found if isinstance(found, catalog.CatalogPrice) else None
    pin = p(f"{path}.price_per_million_input_tokens", opt.price_per_million_input_tokens)
    pout = p(f"{path}.price_per_million_output_tokens", opt.price_per_million_output_tokens)
    pcache = p(f"{path}.price_per_million_cached_input_tokens",
               opt.price_per_million_cached_input_tokens)
    if pin is None:
        pin = ref.input if ref else 0.0
    if pout is None:
        pout = ref.output if ref else 0.0
    if pcache is None:
        pcache = ref.cached_input if ref and ref.cached_input is not None else pin
    return pin, pcache, pout


def cost_per_call(ctx: _Ctx, name: str, opt: GenAIOption) -> Any:
    """Month-1 price of one call, before the yearly price change."""
    p, path = ctx.p, f"options.{name}"
    pin, pcache, pout = genai_prices(name, opt, p)
    tin = p(f"{path}.input_tokens_per_call", opt.input_tokens_per_call)
    tout = p(f"{path}.output_tokens_per_call", opt.output_tokens_per_call)
    c = p(f"{path}.cached_input_share", opt.cached_input_share)
    b = p(f"{path}.batch_share", opt.batch_share)
    delta = p(f"{path}.batch_discount", opt.batch_discount)
    tokens = (1.0 - c) * tin * pin + c * tin * pcache + tout * pout
    return tokens / 1e6 * (1.0 - b * delta)


def _price_factor(ctx: _Ctx, path: str, opt: GenAIOption, month: Any) -> Any:
    change = ctx.p(f"{path}.price_change_per_year", opt.price_change_per_year)
    return (1.0 + change) ** ((month - 1.0) / 12.0)


def _labelling(ctx: _Ctx, path: str, opt: Any) -> tuple[Any, Any]:
    """Months of labelling before the build and the money paid in each of them."""
    if not isinstance(opt, InHouseOption) or opt.data is None:
        return 0.0, 0.0
    p, d, dp = ctx.p, opt.data, f"{path}.data"
    shortfall = np.maximum(0.0, p(f"{dp}.labels_needed", d.labels_needed)
                           - p(f"{dp}.labels_available", d.labels_available))
    per_month = p(f"{dp}.labels_per_month", d.labels_per_month)
    with np.errstate(divide="ignore", invalid="ignore"):
        months = np.where(shortfall > 0, np.ceil(shortfall / np.maximum(per_month, 1e-300)
                                                 * (1 - 1e-12)), 0.0)
        cost = np.where(months > 0, shortfall * p(f"{dp}.cost_per_label", d.cost_per_label)
                        / np.maximum(months, 1.0), 0.0)
    return months, cost


def _multiple_of(k: np.ndarray, every: Any) -> np.ndarray:
    """k % every == 0 for whole-number floats, by one division instead of a slow mod: a
    quotient of whole numbers below 2^53 is whole exactly when the division is exact."""
    q = k / every
    return q == np.floor(q)


class _Rows:
    """The output rows of one evaluation: option-major (O, D, H), so that each option's rows
    are contiguous while they are filled; Result sees them as (D, O, H) views."""

    def __init__(self, index: dict[str, int], money: np.ndarray, error: np.ndarray,
                 value: np.ndarray | None, live: np.ndarray,
                 comps: dict[str, np.ndarray] | None):
        self.index, self.money, self.error, self.value = index, money, error, value
        self.live, self.comps = live, comps

    @classmethod
    def zeros(cls, names: list[str], draws: int, h: int, has_value: bool,
              detail: bool) -> _Rows:
        shape = (len(names), draws, h)
        return cls({n: i for i, n in enumerate(names)}, np.zeros(shape), np.zeros(shape),
                   np.zeros(shape) if has_value else None, np.empty((draws, len(names))),
                   {c: np.zeros(shape) for c in COMPONENTS} if detail else None)

    def block(self, lo: int, hi: int) -> _Rows:
        """Draws lo..hi-1 (views: writing them writes the whole)."""
        comps = {c: a[:, lo:hi] for c, a in self.comps.items()} if self.comps else None
        return _Rows(self.index, self.money[:, lo:hi], self.error[:, lo:hi],
                     None if self.value is None else self.value[:, lo:hi], self.live[lo:hi],
                     comps)

    def add(self, i: int, component: str, amount: Any, where: Any) -> None:
        """money += amount · where, in place (the same bits as adding amount · mask)."""
        if _is_zero(amount):
            return
        np.add(self.money[i], amount, out=self.money[i], where=where)
        if self.comps is not None:
            np.copyto(self.comps[component][i], amount, where=where)


def _fill(ctx: _Ctx, rows: _Rows, name: str, opt: Any, v: np.ndarray, value_per: Any) -> None:
    """Write one option's money, error and value rows, adding its interim's rows (already
    written) in the months before it is live. Components add in the order of COMPONENTS."""
    p, m, path = ctx.p, ctx.m, f"options.{name}"
    i = rows.index[name]
    start = ctx.whole(f"{path}.start_month", opt.start_month)
    build = ctx.whole(f"{path}.build_months", opt.build_months)
    label_months, label_cost = _labelling(ctx, path, opt)
    begin = start + label_months                 # setup and build start here
    live = begin + build                         # L
    is_live = m >= np.where(p.succeeded(name), live, np.inf)
    before = ~is_live
    j = rows.index[opt.interim] if opt.interim is not None else None
    rows.add(i, "setup", p(f"{path}.setup.cost", opt.setup.cost)
             + ctx.team(opt.setup.team_months, f"{path}.setup.team_months"), m == begin)
    rows.add(i, "labelling", label_cost, (m >= start) & (m < begin))
    rows.add(i, "build", ctx.team(opt.build_team, f"{path}.build_team"),
             (m >= begin) & (m < live))
    if j is not None:
        rows.add(i, "interim", rows.money[j], before)
    rows.add(i, "run_team", ctx.team(opt.run_team, f"{path}.run_team"), is_live)
    rows.add(i, "fixed", p(f"{path}.monthly_cost", opt.monthly_cost), is_live)
    rows.add(i, "usage", variable_cost(ctx, name, opt, v, m), is_live)
    if isinstance(opt, InHouseOption) and opt.retraining is not None:
        rt, rp = opt.retraining, f"{path}.retraining"
        every = np.maximum(ctx.whole(f"{rp}.every_months", rt.every_months), 1.0)
        due = is_live & (m > live) & _multiple_of(m - live, every)
        rows.add(i, "retraining", p(f"{rp}.cost", rt.cost)
                 + ctx.team(rt.team_months, f"{rp}.team_months"), due)
    accuracy = p(f"{path}.accuracy", opt.accuracy)
    cost_per_error = _cost_per_error(ctx)
    err = rows.error[i]
    if not _is_zero(cost_per_error):
        np.multiply(v, 1.0 - accuracy, out=err)
        np.multiply(err, cost_per_error, out=err)
        np.multiply(err, is_live, out=err)
        if j is not None:   # the interim's errors in the months it serves
            np.add(err, rows.error[j], out=err, where=before)
        if rows.comps is not None:
            rows.comps["errors"][i] = err
    if rows.value is not None:
        val = rows.value[i]
        np.multiply(v, accuracy, out=val)
        np.multiply(val, value_per, out=val)
        np.multiply(val, is_live, out=val)
        if j is not None:   # the interim's right predictions (0 where it does not serve)
            np.copyto(val, rows.value[j], where=before)
    rows.live[:, i] = np.broadcast_to(np.asarray(live, dtype=float).reshape(-1),
                                      (rows.live.shape[0],))


def _cost_per_error(ctx: _Ctx) -> Any:
    return ctx.p("quality.cost_per_error", ctx.s.quality.cost_per_error)


BLOCK_DRAWS = 1024
"""Draws evaluated together: a block's temporaries stay small (about 1 MB at 120 months).
Every step works row by row, so blocks give the same bits as one pass over all draws."""


def evaluate(s: Scenario, p: Params | None = None, *, detail: bool = True) -> Result:
    """Run the model for every active option and every draw of ``p``."""
    p = p or Params.plain()
    names = list(s.active)
    h = s.horizon_months
    v0 = volume(s, p)
    v = np.broadcast_to(v0, (max(p.draws, v0.shape[0]), h))
    n = v.shape[0]
    value_per = p("quality.value_per_correct_prediction", s.quality.value_per_correct_prediction)
    rows = _Rows.zeros(names, n, h, bool(np.any(np.asarray(value_per) > 0)), detail)
    # Interims first: an option adds its interim's finished rows before it is live.
    order = sorted(names, key=lambda name: s.active[name].interim is not None)
    for lo in range(0, n, BLOCK_DRAWS):
        hi = min(n, lo + BLOCK_DRAWS)
        sub = p.rows(lo, hi) if p.draws > 1 else p
        ctx, block = _Ctx(s, sub), rows.block(lo, hi)
        per_right = sub("quality.value_per_correct_prediction",
                        s.quality.value_per_correct_prediction)
        for name in order:
            _fill(ctx, block, name, s.active[name], v[lo:hi], per_right)

    def view(a: np.ndarray) -> np.ndarray:
        return a.transpose(1, 0, 2)

    comps = {c: view(a) for c, a in rows.comps.items()} if rows.comps is not None else None
    return Result(s, names, np.arange(1, h + 1), v, view(rows.money), view(rows.error),
                  None if rows.value is None else view(rows.value), rows.live,
                  discount_weights(s), comps)


def steady_monthly_cost(s: Scenario, p: Params, name: str, v: Any) -> Any:
    """An option's monthly total at a constant volume: live, month-1 prices, run team,
    fixed, variable and error cost; no setup, build or retraining (for break-even)."""
    ctx = _Ctx(s, p)
    opt, path = s.active[name], f"options.{name}"
    accuracy = p(f"{path}.accuracy", opt.accuracy)
    return (ctx.team(opt.run_team, f"{path}.run_team")
            + p(f"{path}.monthly_cost", opt.monthly_cost)
            + variable_cost(ctx, name, opt, v, 1.0)
            + v * (1.0 - accuracy) * _cost_per_error(ctx))
