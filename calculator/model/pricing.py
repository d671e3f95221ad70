"""Prices: each kind's variable cost of a month's volume, and how prices move over time.

Every number comes through ``p(path, value)`` (see :mod:`calculator.model.params`), so the
Monte Carlo, the tornado and the sweeps vary it; arrays broadcast as ``(draws, months)``.

Notes
-----
A yearly change x gives the factor f(m) = (1 + x)^((m − 1)/12) in month m (f(1) = 1):
``price_change_per_year`` scales a kind's prices (rules: cost per 1,000 calls; vendor: every
tier price and the minimum, bounds unchanged; GenAI: every token price; in-house: the node
price and the cost per 1,000 calls), ``team_cost_change_per_year`` every team cost.

GenAI cost per call, with Tin, Tout, Tr input, output and reasoning tokens, c the cached
input share, W cache-write tokens, b the batch share and δ the batch discount::

    [((1 − c)·Tin − W)·Pin + c·Tin·Pcached + W·Pw + (Tout + Tr)·Pout] / 10^6 · (1 − b·δ) · f(m)

The spec's version-2 worked example: (800·3 + 1,000·0.30 + 200·3.75 + 400·15) / 10^6:

>>> from calculator.model.yamlio import loads_scenario
>>> from calculator.model.params import Params
>>> s = loads_scenario('''
... schema_version: 1
... name: v2
... horizon_months: 12
... traffic: {calls_per_month: 1000000}
... options:
...   llm: {kind: genai_api, input_tokens_per_call: 2000, cached_input_share: 0.5,
...         cache_write_tokens_per_call: 200, output_tokens_per_call: 100,
...         reasoning_tokens_per_call: 300, price_per_million_input_tokens: 3,
...         price_per_million_cached_input_tokens: 0.30, price_per_million_output_tokens: 15}
... ''')
>>> round(float(cost_per_call(Params.plain(), "llm", s.options["llm"])), 8)   # Pw = 1.25·3
0.00945
>>> round(float(factor(0.21, 13.0)), 6)    # a year later at +21 % a year
1.21
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import catalog
from .params import Params
from .scenario import GenAIOption, InHouseOption, RulesOption, Scenario, VendorOption

CACHE_WRITE_MARKUP = 1.25
"""Cache writes cost 1.25 × the input price when neither the file nor the catalog says
(Anthropic's 5-minute cache; spec/model.md)."""


class Ctx:
    """What every option's arithmetic needs: the scenario, the params, the months."""

    def __init__(self, s: Scenario, p: Params):
        self.s, self.p = s, p
        self.m = np.arange(1, s.horizon_months + 1, dtype=float)
        change = p("team_cost_change_per_year", s.team_cost_change_per_year)
        # g(m) for team costs, only when they change (no pass at all keeps the same bits)
        self.team_changes = not is_zero(change)
        self.team_factor: Any = factor(change, self.m) if self.team_changes else 1.0

    def rate(self, role: str) -> Any:
        return self.p(f"team.{role}", self.s.team[role])

    def team(self, fte: dict[str, Any], path: str) -> Any:
        """Monthly (or one-off) cost of a role -> FTE (or FTE-months) mapping, month-1 rates."""
        return sum((self.p(f"{path}.{role}", v) * self.rate(role) for role, v in fte.items()),
                   0.0)

    def people(self, fte: dict[str, Any], path: str) -> Any:
        """Like :meth:`team`, in month m's money: times g(m) when team costs change."""
        cost = self.team(fte, path)
        if not self.team_changes or is_zero(cost):
            return cost
        return cost * self.team_factor

    def whole(self, path: str, value: Any) -> Any:
        return np.round(self.p(path, value))


def factor(change: Any, month: Any) -> Any:
    """f(m) = (1 + x)^((m − 1)/12) for a yearly change x."""
    return power(1.0 + change, (month - 1.0) / 12.0)


POWERS_KEPT_BYTES = 48 * 2**20
"""At most this much of :func:`power`'s results is kept (the least recently used go first):
every shipped scenario's powers together take about 35 MB."""
_MIN_DRAWS = 64
_powers: OrderedDict[tuple[Any, ...], np.ndarray] = OrderedDict()
_powers_bytes = 0
_powers_lock = threading.Lock()


def power(base: Any, exponent: Any) -> Any:
    """``base ** exponent``, the same bits, for a Monte Carlo's draws of a yearly change or a
    growth rate ``base`` (draws, 1) and the months ``exponent`` (H,).

    A power costs a hundred times an addition (numpy has no vectorised ``pow`` for float64
    on these machines: about 19 ns an element), and these were a fifth of a Decision's
    time. The draws of a range depend only on the range and the seed, not on any other
    input, so editing anything else (the traffic, a price, an accuracy) asks for the same
    powers again: a (draws, months) result is kept, keyed by the exact bytes of both
    arguments, and shared read-only (an in-place write to it raises). Scalars and single
    draws are computed as before."""
    if not (isinstance(base, np.ndarray) and base.ndim == 2 and base.shape[0] >= _MIN_DRAWS
            and np.ndim(exponent) == 1):
        return base ** exponent
    global _powers_bytes
    e = np.asarray(exponent)
    key = (base.dtype.str, base.shape, base.tobytes(), e.dtype.str, e.tobytes())
    with _powers_lock:
        hit = _powers.get(key)
        if hit is not None:
            _powers.move_to_end(key)
            return hit
    out = base ** e
    out.flags.writeable = False
    with _powers_lock:
        if key not in _powers:
            _powers[key] = out
            _powers_bytes += out.nbytes
            while _powers_bytes > POWERS_KEPT_BYTES and len(_powers) > 1:
                _powers_bytes -= _powers.popitem(last=False)[1].nbytes
    return out


def inplace(op: Any, x: Any, y: Any) -> Any:
    """``op(x, y)``, written over ``x`` when ``x`` is a temporary array of the result's shape.

    Only for temporaries made here: reusing them saves a fresh (draws, months) array per step,
    which at 10,000 draws costs more (page faults) than the arithmetic. Same bits as op(x, y).
    """
    if isinstance(x, np.ndarray) and x.ndim:
        # a number or an array of x's shape fits without asking numpy (a few µs a step)
        shape = y.shape if isinstance(y, np.ndarray) else () if isinstance(y, int | float) \
            else np.shape(y)
        if shape == () or shape == x.shape or np.broadcast_shapes(x.shape, shape) == x.shape:
            return op(x, y, out=x)
    return op(x, y)


def is_zero(x: Any) -> bool:
    """A scalar 0: adding ``0 · mask`` changes nothing, so the pass is skipped. (Asked a
    few hundred times a Decision: a number is answered without numpy.)"""
    if isinstance(x, int | float):          # numpy's float64 is a float
        return float(x) == 0.0
    return np.ndim(x) == 0 and float(x) == 0.0


def variable_cost(ctx: Ctx, name: str, opt: Any, v: Any, month: Any) -> Any:
    """The kind's variable cost of volume ``v`` in month ``month`` (broadcasting), at that
    month's prices."""
    p, path = ctx.p, f"options.{name}"
    if isinstance(opt, RulesOption):
        cost = inplace(np.multiply, v / 1000.0, p(f"{path}.cost_per_1k_calls",
                                                  opt.cost_per_1k_calls))
    elif isinstance(opt, VendorOption):
        cost = _tiered(ctx, path, opt, v * p(f"{path}.units_per_call", opt.units_per_call))
    elif isinstance(opt, GenAIOption):
        sent = 1.0 + p(f"{path}.retried_share", opt.retried_share)   # retries billed again
        cost = v * genai_cost_per_call(ctx, name, opt, month) * sent
    elif isinstance(opt, InHouseOption):
        cost = _serving(ctx, path, opt, v)
    else:  # pragma: no cover - hybrids are priced by their parts (hybrid.py)
        raise TypeError(f"no variable cost for kind {type(opt).__name__}")
    change = p(f"{path}.price_change_per_year", opt.price_change_per_year)
    if is_zero(change):         # f(m) = 1: skip the pass (and keep the version-1 bits)
        return cost
    return inplace(np.multiply, cost, factor(change, month))


def _serving(ctx: Ctx, path: str, opt: InHouseOption, v: Any) -> Any:
    """Nodes N = max(min_nodes, ceil(V·peak / (rps·utilisation·3600·hours))) at the node
    price, plus the cost per 1,000 calls (month-1 prices)."""
    p, hours = ctx.p, ctx.s.hours_per_month
    per_node = (node_rps(p, path, opt)
                * p(f"{path}.target_utilization", opt.target_utilization) * 3600.0 * hours)
    peak = p("traffic.peak_to_average", ctx.s.traffic.peak_to_average)
    # The tiny shrink keeps 2.0000000001 nodes (float noise) from becoming 3.
    needed = inplace(np.multiply, inplace(np.divide, v * peak, per_node), 1.0 - 1e-12)
    needed = np.ceil(needed, out=needed) if isinstance(needed, np.ndarray) else np.ceil(needed)
    nodes = inplace(np.maximum, needed, ctx.whole(f"{path}.min_nodes", opt.min_nodes))
    cost = inplace(np.multiply, inplace(np.multiply, nodes, node_price(p, path, opt)), hours)
    per_1k = p(f"{path}.cost_per_1k_calls", opt.cost_per_1k_calls)
    if is_zero(per_1k):     # + V/1000 · 0 would add nothing
        return cost
    return inplace(np.add, cost, inplace(np.multiply, v / 1000.0, per_1k))


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


def _tiered(ctx: Ctx, path: str, opt: VendorOption, units: Any) -> Any:
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
            part = inplace(np.multiply, part, tier_price)
            cost = inplace(np.add, cost, part) if i else part     # 0 + part is part
            lower = upper
    return inplace(np.maximum, cost, p(f"{path}.monthly_minimum", opt.monthly_minimum))


@dataclass(frozen=True)
class TokenPrices:
    """Prices per million tokens that one GenAI call is billed at (month-1 prices)."""

    input: Any
    cached_input: Any
    cache_write: Any
    output: Any


def genai_prices(name: str, opt: GenAIOption, p: Params) -> TokenPrices:
    """Every price the GenAI formula needs; typed-in prices win over the catalog's.

    The one place that reads the catalog. Cache writes: typed, else the catalog's (when the
    catalog lists one for the model), else 1.25 × the input price. Cached input: typed, else
    the catalog's, else the input price.

    With no price typed in and a catalog model, :func:`genai_cost_per_call` takes the
    catalog's batch prices and dated schedule instead (this function gives today's prices).
    """
    path = f"options.{name}"
    found = catalog.lookup(opt.catalog.provider, opt.catalog.model) if opt.catalog else None
    ref = found if isinstance(found, catalog.CatalogPrice) else None
    pin = p(f"{path}.price_per_million_input_tokens", opt.price_per_million_input_tokens)
    pout = p(f"{path}.price_per_million_output_tokens", opt.price_per_million_output_tokens)
    pcache = p(f"{path}.price_per_million_cached_input_tokens",
               opt.price_per_million_cached_input_tokens)
    pwrite = p(f"{path}.price_per_million_cache_write_tokens",
               opt.price_per_million_cache_write_tokens)
    if pin is None:
        pin = ref.input if ref else 0.0
    if pout is None:
        pout = ref.output if ref else 0.0
    if pcache is None:
        pcache = ref.cached_input if ref and ref.cached_input is not None else pin
    if pwrite is None:
        listed = getattr(ref, "cache_write", None)     # the catalog branch adds it
        pwrite = listed if listed is not None else CACHE_WRITE_MARKUP * pin
    return TokenPrices(pin, pcache, pwrite, pout)


CALL_FIELDS = ("input_tokens_per_call", "output_tokens_per_call", "reasoning_tokens_per_call",
               "cache_write_tokens_per_call", "cached_input_share", "batch_share",
               "batch_discount")


def call_inputs(p: Params, name: str, opt: GenAIOption) -> tuple[Any, ...]:
    """What one call of a GenAI option bills, per draw: input, output, reasoning and
    cache-write tokens, the cached input share, the batch share and its discount."""
    return tuple(p(f"options.{name}.{f}", getattr(opt, f)) for f in CALL_FIELDS)


def cost_per_call(p: Params, name: str, opt: GenAIOption) -> Any:
    """Month-1 price of one call, before the yearly price change."""
    pr = genai_prices(name, opt, p)
    tin, tout, tr, w, c, b, delta = call_inputs(p, name, opt)
    if is_zero(w) and is_zero(tr):      # the version-1 formula, bit for bit
        tokens = (1.0 - c) * tin * pr.input + c * tin * pr.cached_input + tout * pr.output
    else:
        tokens = (((1.0 - c) * tin - w) * pr.input + c * tin * pr.cached_input
                  + w * pr.cache_write + (tout + tr) * pr.output)
    return tokens / 1e6 * (1.0 - b * delta)


PRICE_FIELDS = ("price_per_million_input_tokens", "price_per_million_output_tokens",
                "price_per_million_cached_input_tokens", "price_per_million_cache_write_tokens")


def catalog_billed(opt: GenAIOption) -> bool:
    """Whether the catalog bills this option as its provider does (batch prices token type
    by token type, dated price changes): a catalog model and no price typed in. Typed-in
    prices keep the plain rules (one batch discount, one price for the horizon)."""
    return opt.catalog is not None and all(getattr(opt, f) is None for f in PRICE_FIELDS)


def genai_cost_per_call(ctx: Ctx, name: str, opt: GenAIOption, month: Any) -> Any:
    """The price of one call in ``month`` (a month number or an array of them), before the
    yearly price change f(m).

    Catalog-billed options (:func:`catalog_billed`): the batch share b at the model's
    batch prices where it lists them (a token type it does not list at its standard price),
    else the (1 − b·δ) rule; with ``start_date``, each month at the price set in force in
    that calendar month (a change takes effect from the month containing its date)."""
    if not catalog_billed(opt):
        return cost_per_call(ctx.p, name, opt)
    assert opt.catalog is not None
    tin, tout, tr, w, c, b, delta = call_inputs(ctx.p, name, opt)

    def per_call(prices: catalog.CatalogPrice) -> Any:
        std = catalog.call_cost(prices, tin, c * tin, w, tout, tr)
        if prices.batch is None:
            return std * (1.0 - b * delta)
        return (1.0 - b) * std + b * catalog.call_cost(prices, tin, c * tin, w, tout, tr,
                                                       batch=True)

    sets = price_sets(ctx.s, opt, month)
    if len(sets) == 1:
        return per_call(sets[0][1])
    out: Any = 0.0
    for mask, prices in sets:        # a handful of dated price sets at most
        out = out + np.where(mask, per_call(prices), 0.0)
    return out


def price_sets(s: Any, opt: GenAIOption, month: Any) -> list[tuple[Any, catalog.CatalogPrice]]:
    """(months it applies to, prices) for a catalog model: today's prices when the scenario
    has no start date, else every dated set in force within ``month``."""
    assert opt.catalog is not None
    provider, model = opt.catalog.provider, opt.catalog.model
    if s.start_date is None:
        found = catalog.lookup(provider, model)
        assert isinstance(found, catalog.CatalogPrice)
        return [(True, found)]
    schedule = catalog.schedule(provider, model)
    m = np.asarray(month, dtype=float)
    # the calendar month of each month m, as a month count: year * 12 + month - 1
    start = s.start_date.year * 12 + s.start_date.month - 1
    when = start + m - 1
    begins = [(-np.inf if d is None else d.year * 12 + d.month - 1) for d, _ in schedule]
    idx = np.searchsorted(np.asarray(begins, dtype=float), when, side="right") - 1
    idx = np.maximum(idx, 0)
    used = sorted(set(np.atleast_1d(idx).tolist()))
    if len(used) == 1:
        return [(True, schedule[used[0]][1])]
    return [(idx == k, schedule[k][1]) for k in used]
