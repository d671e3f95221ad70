"""The scalar oracle: spec/model.md written as a plain per-draw Python loop, independently of
the vectorised engine (nothing from calculator.model.engine, costs, pricing or hybrid).

The tests check the engine against it (tests/test_oracle.py) and scripts/bench_engine.py
times the loop against the engine. Every version-2 rule is here: price changes on every
kind, the team cost change, reasoning tokens and cache writes, capacity in tokens, and the
hybrid kind with switched-off parts.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from calculator.model import catalog
from calculator.model.numbers import likely
from calculator.model.params import Params
from calculator.model.scenario import (
    GenAIOption,
    HybridOption,
    InHouseOption,
    RulesOption,
    Scenario,
    VendorOption,
)


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

        w = World(s, p, d, get)
        for i, name in enumerate(names):
            monthly = w.hybrid(name) if isinstance(s.active[name], HybridOption) else w.single(name)
            for m in range(h):
                total[d, i] += monthly[m]
                pv[d, i] += monthly[m] * weights[m]
    return total, pv


class World:
    """One draw: its traffic, rates and each option's life."""

    def __init__(self, s: Scenario, p: Params, d: int, get: Any):
        self.s, self.get = s, get
        self.ok = {name: bool(p.success[name][d]) for name in p.success}
        self.calls = _volume(s, get)
        self.rates = {role: get(f"team.{role}", v) for role, v in s.team.items()}
        self.per_error = get("quality.cost_per_error", s.quality.cost_per_error)
        change = get("team_cost_change_per_year", s.team_cost_change_per_year)
        self.g = [(1.0 + change) ** ((m - 1) / 12) for m in range(1, s.horizon_months + 1)]

    def team(self, fte: dict[str, Any], path: str) -> float:
        return sum(self.get(f"{path}.{role}", v) * self.rates[role] for role, v in fte.items())

    def single(self, name: str) -> list[float]:
        """Total cost a month of a single option, its interim's before it is live."""
        opt = self.s.options[name]
        money, live = self.money(name, self.calls)
        accuracy = self.get(f"options.{name}.accuracy", opt.accuracy)
        interim = self.single(opt.interim) if opt.interim is not None else None
        out = []
        for m, v in enumerate(self.calls):
            cost = money[m] + (v * (1.0 - accuracy) * self.per_error if live[m] else 0.0)
            if interim is not None and not live[m]:
                cost += interim[m]
            out.append(cost)
        return out

    def hybrid(self, name: str) -> list[float]:
        opt = self.s.options[name]
        assert isinstance(opt, HybridOption)
        prim, fb = self.s.options[opt.primary], self.s.options[opt.fallback]
        share = self.get(f"options.{name}.primary_share", opt.primary_share)
        if opt.primary_accuracy is not None:
            acc_p = self.get(f"options.{name}.primary_accuracy", opt.primary_accuracy)
        else:
            acc_p = self.get(f"options.{opt.primary}.accuracy", prim.accuracy)
        acc_f = self.get(f"options.{opt.fallback}.accuracy", fb.accuracy)
        _, live_p = self.money(opt.primary, self.calls)
        kept = [share * v if live_p[m] else 0.0 for m, v in enumerate(self.calls)]
        paid = kept if opt.routing == "segment" else self.calls
        rest = [(1.0 - share) * v if live_p[m] else v for m, v in enumerate(self.calls)]
        money_p, _ = self.money(opt.primary, paid)
        money_f, live_f = self.money(opt.fallback, rest)
        return [money_p[m] + money_f[m] + (kept[m] * (1.0 - acc_p) + (
            rest[m] * (1.0 - acc_f) if live_f[m] else 0.0)) * self.per_error
                for m in range(len(self.calls))]

    def money(self, name: str, calls: list[float]) -> tuple[list[float], list[bool]]:
        """Cost items 1, 2 and 4 of one option by itself at ``calls`` a month, and whether
        it serves each month."""
        s, get, opt, path = self.s, self.get, self.s.options[name], f"options.{name}"
        start = round(get(f"{path}.start_month", opt.start_month))
        build = round(get(f"{path}.build_months", opt.build_months))
        label_months, label_cost = 0, 0.0
        if isinstance(opt, InHouseOption) and opt.data is not None:
            dp, dd = f"{path}.data", opt.data
            short = max(0.0, get(f"{dp}.labels_needed", dd.labels_needed)
                        - get(f"{dp}.labels_available", dd.labels_available))
            if short > 0:
                label_months = math.ceil(short / get(f"{dp}.labels_per_month",
                                                     dd.labels_per_month) * (1 - 1e-12))
                label_cost = short * get(f"{dp}.cost_per_label", dd.cost_per_label) / label_months
        begin = start + label_months
        live_from = begin + build
        ok = self.ok.get(name, True)
        retrain = getattr(opt, "retraining", None)
        change = get(f"{path}.price_change_per_year", opt.price_change_per_year)
        money, live = [], []
        for m in range(1, s.horizon_months + 1):
            g = self.g[m - 1]
            is_live = ok and m >= live_from
            cost = 0.0
            if start <= m < begin:
                cost += label_cost
            if m == begin:
                cost += get(f"{path}.setup.cost", opt.setup.cost) + g * self.team(
                    opt.setup.team_months, f"{path}.setup.team_months")
            if begin <= m < live_from:
                cost += g * self.team(opt.build_team, f"{path}.build_team")
            if is_live:
                cost += (g * self.team(opt.run_team, f"{path}.run_team")
                         + get(f"{path}.monthly_cost", opt.monthly_cost)
                         + _variable(s, name, opt, get, calls[m - 1], m)
                         * (1.0 + change) ** ((m - 1) / 12))
                if retrain is not None:
                    every = max(round(get(f"{path}.retraining.every_months",
                                          retrain.every_months)), 1)
                    if m > live_from and (m - live_from) % every == 0:
                        cost += get(f"{path}.retraining.cost", retrain.cost) + g * self.team(
                            retrain.team_months, f"{path}.retraining.team_months")
            money.append(cost)
            live.append(is_live)
        return money, live


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


def _variable(s: Scenario, name: str, opt: Any, get: Any, v: float, m: int = 1) -> float:
    """The kind's variable cost of month ``m`` with ``v`` calls (before f(m))."""
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
        # retried calls are billed again: V · per call · (1 + retried share)
        return (v * _per_call(name, opt, get, s, m)
                * (1 + get(f"options.{name}.retried_share", opt.retried_share)))
    assert isinstance(opt, InHouseOption)
    hours = s.hours_per_month
    if opt.node_capacity_rps is not None:
        rps = get(f"{path}.node_capacity_rps", opt.node_capacity_rps)
    else:
        rps = (get(f"{path}.node_capacity_tokens_per_second", opt.node_capacity_tokens_per_second)
               / get(f"{path}.tokens_per_call", opt.tokens_per_call))
    capacity = rps * get(f"{path}.target_utilization", opt.target_utilization) * 3600 * hours
    peak = get("traffic.peak_to_average", s.traffic.peak_to_average)
    nodes = max(round(get(f"{path}.min_nodes", opt.min_nodes)),
                math.ceil(v * peak / capacity * (1 - 1e-12)))
    price = get(f"{path}.node_cost_per_hour", opt.node_cost_per_hour)
    if price is None:
        from calculator.model.gpus import lookup

        price = getattr(lookup(opt.node_catalog.cloud, opt.node_catalog.instance),
                        "price_per_hour", 0.0)
    return (nodes * price * hours
            + v / 1000.0 * get(f"{path}.cost_per_1k_calls", opt.cost_per_1k_calls))


_TYPED = ("price_per_million_input_tokens", "price_per_million_output_tokens",
          "price_per_million_cached_input_tokens", "price_per_million_cache_write_tokens")


def _catalog_per_call(name: str, opt: GenAIOption, get: Any, s: Scenario, m: int) -> float:
    """A catalog-billed call (no price typed in): the price set in force in month m's
    calendar month (today's without a start date), its batch prices for the batch share."""
    path, ref = f"options.{name}", opt.catalog
    assert ref is not None
    if s.start_date is None:
        prices = catalog.lookup(ref.provider, ref.model)
    else:
        y, mo = divmod(s.start_date.month - 1 + m - 1, 12)
        year, month = s.start_date.year + y, mo + 1
        prices = [p for d, p in catalog.schedule(ref.provider, ref.model)
                  if d is None or (d.year, d.month) <= (year, month)][-1]
    tin = get(f"{path}.input_tokens_per_call", opt.input_tokens_per_call)
    c = get(f"{path}.cached_input_share", opt.cached_input_share)
    w = get(f"{path}.cache_write_tokens_per_call", opt.cache_write_tokens_per_call)
    out = (get(f"{path}.output_tokens_per_call", opt.output_tokens_per_call)
           + get(f"{path}.reasoning_tokens_per_call", opt.reasoning_tokens_per_call))
    b = get(f"{path}.batch_share", opt.batch_share)

    def dollars(pin: float, pc: float | None, pw: float | None, pout: float) -> float:
        pc = pin if pc is None else pc
        pw = 1.25 * pin if pw is None else pw
        return (((1 - c) * tin - w) * pin + c * tin * pc + w * pw + out * pout) / 1e6

    std = dollars(prices.input, prices.cached_input, prices.cache_write, prices.output)
    if prices.batch is None:
        return std * (1 - b * get(f"{path}.batch_discount", opt.batch_discount))
    bp = prices.batch

    def pick(batch: float | None, normal: float | None) -> float | None:
        return normal if batch is None else batch

    batch = dollars(pick(bp.input, prices.input), pick(bp.cached_input, prices.cached_input),
                    pick(bp.cache_write, prices.cache_write), pick(bp.output, prices.output))
    return (1 - b) * std + b * batch


def _per_call(name: str, opt: GenAIOption, get: Any, s: Scenario | None = None,
              m: int = 1) -> float:
    if s is not None and opt.catalog is not None and all(getattr(opt, f) is None
                                                         for f in _TYPED):
        return _catalog_per_call(name, opt, get, s, m)
    path = f"options.{name}"
    ref = catalog.lookup(opt.catalog.provider, opt.catalog.model) if opt.catalog else None
    ref = ref if isinstance(ref, catalog.CatalogPrice) else None
    pin = get(f"{path}.price_per_million_input_tokens", opt.price_per_million_input_tokens)
    pout = get(f"{path}.price_per_million_output_tokens", opt.price_per_million_output_tokens)
    pc = get(f"{path}.price_per_million_cached_input_tokens",
             opt.price_per_million_cached_input_tokens)
    pw = get(f"{path}.price_per_million_cache_write_tokens",
             opt.price_per_million_cache_write_tokens)
    pin = pin if pin is not None else (ref.input if ref else 0.0)
    pout = pout if pout is not None else (ref.output if ref else 0.0)
    if pc is None:
        pc = ref.cached_input if ref and ref.cached_input is not None else pin
    if pw is None:
        listed = getattr(ref, "cache_write", None)
        pw = listed if listed is not None else 1.25 * pin
    tin = get(f"{path}.input_tokens_per_call", opt.input_tokens_per_call)
    c = get(f"{path}.cached_input_share", opt.cached_input_share)
    w = get(f"{path}.cache_write_tokens_per_call", opt.cache_write_tokens_per_call)
    out = (get(f"{path}.output_tokens_per_call", opt.output_tokens_per_call)
           + get(f"{path}.reasoning_tokens_per_call", opt.reasoning_tokens_per_call))
    per_call = ((1 - c) * tin - w) * pin + c * tin * pc + w * pw + out * pout
    return per_call / 1e6 * (1 - get(f"{path}.batch_share", opt.batch_share)
                             * get(f"{path}.batch_discount", opt.batch_discount))


def rel(a: np.ndarray, b: np.ndarray) -> float:
    """The largest relative difference (absolute below 1)."""
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1.0), initial=0.0))
