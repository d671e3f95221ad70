"""Which numbers of a scenario can move the answer, and where each may go.

:func:`candidate_fields` is the one place that knows the fields for the decision tools
(:mod:`calculator.model.decide`); it reads bounds and units from the field registry.

>>> from calculator.model.yamlio import loads_scenario
>>> s = loads_scenario('''
... schema_version: 1
... name: tiny
... horizon_months: 12
... traffic: {calls_per_month: 1000, growth: compound, growth_rate_monthly: 0.02}
... options:
...   api: {kind: genai_api, input_tokens_per_call: 1000, output_tokens_per_call: 100,
...         price_per_million_input_tokens: 2.0, price_per_million_output_tokens: 10.0,
...         price_change_per_year: -0.2}
... ''')
>>> c = {c.path: c for c in candidate_fields(s)}
>>> c["traffic.calls_per_month"].lo, c["traffic.calls_per_month"].lo_open
(1.0, False)
>>> c["options.api.price_change_per_year"].offset    # searched in ratio of 1 + x
1.0
>>> "options.api.start_month" in c                   # no interim: delaying it is no saving
False
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .engine import genai_prices
from .numbers import Range, likely
from .params import Params, leaves
from .registry import resolve
from .scenario import MAX_CALLS_PER_MONTH, GenAIOption, InHouseOption, Scenario


@dataclass(frozen=True)
class Candidate:
    """A number that can move the answer: its path, today's (likely) value and where it may go.

    The search works in ratio of ``value + offset``: ``offset`` is 0 for most fields, 1 for
    a rate whose multiplier 1 + x is what costs scale with (growth and price change), and
    V0/(H − 1) for linear growth (the ratio is then that of the last month's traffic)."""

    path: str
    value: float
    lo: float
    hi: float
    lo_open: bool = False
    hi_open: bool = False
    integer: bool = False
    offset: float = 0.0
    follows: str | None = None
    """A field left empty that takes another field's value (so it moves with it)."""

    def allows(self, x: np.ndarray) -> np.ndarray:
        low = (x > self.lo) if self.lo_open else (x >= self.lo)
        return low & ((x < self.hi) if self.hi_open else (x <= self.hi))


_NOT_CANDIDATES = {"value_per_correct_prediction", "success_probability"}
"""Read by the engine but unable to move the plain ranking (value is not a cost; the plain
report assumes every build works)."""


def candidate_fields(s: Scenario) -> list[Candidate]:
    """Every number of the scenario that can move the answer, with its bounds.

    Walks the numeric values of ``team``, ``traffic``, ``quality`` and every option in use
    (active, or a part of an active hybrid; tier prices included), takes each field's bounds
    and unit from the field registry, then narrows the bounds where the rest of the
    scenario would make a value invalid (tier bounds stay in order, traffic stays under
    10^12 a month, an interim stays live from month 1).
    """
    h, t = s.horizon_months, s.traffic
    v0 = float(likely(t.calls_per_month))
    interims = {o.interim for o in s.active.values() if getattr(o, "interim", None)}
    used = set(s.active) | {getattr(o, part) for o in s.active.values()
                            for part in ("primary", "fallback") if hasattr(o, part)}
    kinds = {n: o.kind for n, o in s.options.items()}
    found: list[tuple[str, Any]] = [(p, v) for p, v in leaves(s)
                                    if p.split(".")[0] in ("team", "traffic", "quality")
                                    or (p.startswith("options.") and p.split(".")[1] in used)]
    for name in used:     # prices left empty take the catalog's: they can move too
        opt = s.options[name]
        if isinstance(opt, GenAIOption):
            found += [(f"options.{name}.{k}", None) for k in _GENAI_PRICES
                      if getattr(opt, k) is None]
    out = []
    for path, raw in found:
        spec = resolve(path, kinds)
        leaf = path.rsplit(".", 1)[-1]
        if (spec is None or spec.bounds is None or spec.structure != "value"
                or leaf in _NOT_CANDIDATES or isinstance(raw, list)):
            continue
        value, follows = _effective(s, path) if raw is None else (float(likely(raw)), None)
        if value is None or _inert(s, path, leaf, interims):
            continue
        b = spec.bounds
        lo, lo_open = (b.ge, False) if b.ge is not None else (b.gt, b.gt is not None)
        hi, hi_open = (b.le, False) if b.le is not None else (b.lt, b.lt is not None)
        c = Candidate(path, value, -math.inf if lo is None else float(lo),
                      math.inf if hi is None else float(hi), lo_open, hi_open, b.integer,
                      1.0 if spec.unit in ("change", "growth") else 0.0, follows)
        if path == "traffic.growth_calls_per_month":
            c = _replace(c, offset=v0 / (h - 1))
        out.append(_narrow(s, c))
    return out


_GENAI_PRICES = ("price_per_million_input_tokens", "price_per_million_cached_input_tokens",
                 "price_per_million_output_tokens")


def _effective(s: Scenario, path: str) -> tuple[float | None, str | None]:
    """Today's value of a number left empty in the file (GenAI prices from the catalog), and
    the field it then follows, if any (a cached-input price left empty is the input price
    when the catalog has none: it must move with it)."""
    parts = path.split(".")
    opt = s.active.get(parts[1]) if parts[0] == "options" and len(parts) == 3 else None
    if not isinstance(opt, GenAIOption):
        return None, None
    keys = _GENAI_PRICES
    if parts[2] not in keys:
        return None, None
    now = genai_prices(parts[1], opt, Params.plain())
    lead = f"options.{parts[1]}.{keys[0]}"
    moved = genai_prices(parts[1], opt, Params(1, {lead: np.array([2.0 * now[0] + 1.0])}))
    k = keys.index(parts[2])
    follows = lead if k and np.any(np.asarray(moved[k]) != now[k]) else None
    return float(now[k]), follows


def _inert(s: Scenario, path: str, leaf: str, interims: set[str]) -> bool:
    """Fields the engine does not read here, or may not change without breaking the file."""
    t, h = s.traffic, s.horizon_months
    if path.startswith("traffic.") and leaf != "peak_to_average" and t.monthly_calls is not None:
        return True
    if leaf == "growth_rate_monthly":
        return t.growth != "compound" or h == 1
    if leaf == "growth_calls_per_month":
        return t.growth != "linear" or h == 1
    parts = path.split(".")
    if parts[0] != "options" or leaf not in ("start_month", "build_months") or len(parts) > 3:
        return False
    # An interim must stay live from month 1. An option without an interim serves nothing,
    # and costs nothing, before it is live: delaying it always looks cheaper, an artefact.
    return parts[1] in interims or getattr(s.options[parts[1]], "interim", None) is None


def _replace(c: Candidate, **kw: Any) -> Candidate:
    return Candidate(**(vars(c) | kw))


def _narrow(s: Scenario, c: Candidate) -> Candidate:
    """Bounds that keep the rest of the scenario valid (the loader's cross-field rules)."""
    t, h, parts = s.traffic, s.horizon_months, c.path.split(".")
    v0 = float(likely(t.calls_per_month))
    top = max(float(likely(t.growth_rate_monthly)), _high(t.growth_rate_monthly))
    if c.path == "traffic.calls_per_month" and t.growth == "compound" and top > 0:
        return _replace(c, hi=min(c.hi, MAX_CALLS_PER_MONTH / (1.0 + top) ** (h - 1)))
    if c.path == "traffic.calls_per_month" and t.growth == "linear":
        return _replace(c, hi=min(c.hi, MAX_CALLS_PER_MONTH
                                  - max(0.0, _high(t.growth_calls_per_month)) * (h - 1)))
    if c.path == "traffic.growth_rate_monthly":
        return _replace(c, hi=min(c.hi, (MAX_CALLS_PER_MONTH / v0) ** (1.0 / (h - 1)) - 1.0))
    if c.path == "traffic.growth_calls_per_month":
        return _replace(c, hi=min(c.hi, (MAX_CALLS_PER_MONTH - v0) / (h - 1)))
    if len(parts) == 5 and parts[2] == "tiers" and parts[4] == "up_to_units":
        vendor: Any = s.options[parts[1]]
        tiers, i = vendor.tiers, int(parts[3])
        lo = float(likely(tiers[i - 1].up_to_units)) if i > 0 else c.lo
        nxt = tiers[i + 1].up_to_units if i + 1 < len(tiers) else None
        return _replace(c, lo=lo, lo_open=i > 0 or c.lo_open,
                        hi=c.hi if nxt is None else float(likely(nxt)),
                        hi_open=nxt is not None or c.hi_open)
    if len(parts) == 3 and parts[2] in ("cache_write_tokens_per_call", "cached_input_share",
                                        "input_tokens_per_call"):
        return _cache_room(s, c, parts[1], parts[2])
    if len(parts) == 4 and parts[2] == "data" and parts[3] in ("labels_needed",
                                                                 "labels_available"):
        owner: Any = s.options[parts[1]]
        d = owner.data
        if _low(d.labels_per_month) <= 0:     # no labelling pipeline: no shortfall allowed
            if parts[3] == "labels_needed":
                return _replace(c, hi=min(c.hi, float(likely(d.labels_available))))
            return _replace(c, lo=max(c.lo, float(likely(d.labels_needed))))
    return c


def _cache_room(s: Scenario, c: Candidate, name: str, leaf: str) -> Candidate:
    """Cache writes come out of the uncached input: W <= (1 - c) x Tin in every draw."""
    opt: Any = s.options[name]
    w, share = _high(opt.cache_write_tokens_per_call), _high(opt.cached_input_share)
    tin = _low(opt.input_tokens_per_call)
    if leaf == "cache_write_tokens_per_call":
        return _replace(c, hi=min(c.hi, tin * (1.0 - share)))
    if leaf == "cached_input_share" and tin > 0:
        return _replace(c, hi=min(c.hi, 1.0 - w / tin))
    if leaf == "input_tokens_per_call" and w > 0:
        return _replace(c, lo=max(c.lo, w / max(1.0 - share, 1e-12)))
    return c


def _high(v: float | Range) -> float:
    return float(v.high if isinstance(v, Range) else v)


def _low(v: float | Range) -> float:
    return float(v.low if isinstance(v, Range) else v)


def is_build(opt: Any) -> bool:
    """Options you build (in-house models) against options you buy or keep (the rest)."""
    return isinstance(opt, InHouseOption) or getattr(opt, "kind", "") == "hybrid"


