"""Which numbers of a scenario can move the answer, and where each may go.

:func:`candidate_fields` is the one place that knows the fields for the decision tools
(:mod:`calculator.model.decide`): switch it to the field registry when there is one.

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
(0.0, True)
>>> c["options.api.price_change_per_year"].offset    # searched in ratio of 1 + x
1.0
>>> "options.api.start_month" in c                   # no interim: delaying it is no saving
False
"""

from __future__ import annotations

import math
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
from pydantic import BaseModel

from .engine import genai_prices
from .numbers import Bounds, Range, likely
from .params import Params
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

    Walks the numeric leaves of ``team``, ``traffic``, ``quality`` and every active option
    (tier prices included) and reads each field's bounds from its pydantic metadata, then
    narrows them where the rest of the scenario would make a value invalid (tier bounds stay
    in order, traffic stays under 10^12 a month, an interim stays live from month 1). This is
    the one place that knows the fields: switch it to the field registry when there is one.
    """
    h, t = s.horizon_months, s.traffic
    v0 = float(likely(t.calls_per_month))
    interims = {o.interim for o in s.active.values() if o.interim is not None}
    team_bounds = _bounds_in(Scenario.model_fields["team"])
    leaves = [(f"team.{k}", v, team_bounds) for k, v in s.team.items()]
    leaves += list(_leaves(t, "traffic")) + list(_leaves(s.quality, "quality"))
    for name, opt in s.active.items():
        leaves += list(_leaves(opt, f"options.{name}"))
    out = []
    for path, raw, b in leaves:
        value, follows = _effective(s, path) if raw is None else (float(likely(raw)), None)
        leaf = path.rsplit(".", 1)[-1]
        if value is None or b is None or _inert(s, path, leaf, interims):
            continue
        lo, lo_open = (b.ge, False) if b.ge is not None else (b.gt, b.gt is not None)
        hi, hi_open = (b.le, False) if b.le is not None else (b.lt, b.lt is not None)
        c = Candidate(path, value, -math.inf if lo is None else float(lo),
                      math.inf if hi is None else float(hi), lo_open, hi_open, b.integer,
                      1.0 if b.gt == -1 else 0.0, follows)
        if path == "traffic.growth_calls_per_month":
            c = _replace(c, offset=v0 / (h - 1))
        out.append(_narrow(s, c))
    return out


def _bounds_in(obj: Any) -> Bounds | None:
    """The Bounds a field was declared with (num()/whole()), looking inside Optional,
    dict[str, num(...)] and list[num(...)]."""
    for meta in getattr(obj, "metadata", None) or ():
        b = getattr(getattr(meta, "func", None), "__self__", None)
        if isinstance(b, Bounds):
            return b
    ann = getattr(obj, "annotation", obj)
    if typing.get_origin(ann) is typing.Annotated:
        for meta in typing.get_args(ann)[1:]:
            b = getattr(getattr(meta, "func", None), "__self__", None)
            if isinstance(b, Bounds):
                return b
    for arg in typing.get_args(ann):
        if not isinstance(arg, type) or not issubclass(arg, BaseModel):
            found = _bounds_in(arg)
            if found is not None:
                return found
    return None


def _leaves(node: BaseModel, path: str) -> Iterator[tuple[str, Any, Bounds | None]]:
    for name, info in type(node).model_fields.items():
        if name in _NOT_CANDIDATES:
            continue
        value, sub = getattr(node, name), f"{path}.{name}"
        if isinstance(value, BaseModel):
            yield from _leaves(value, sub)
        elif isinstance(value, list) and value and isinstance(value[0], BaseModel):
            for i, item in enumerate(value):
                yield from _leaves(item, f"{sub}.{i}")
        elif isinstance(value, dict):
            b = _bounds_in(info)
            yield from ((f"{sub}.{k}", v, b) for k, v in value.items())
        elif not isinstance(value, list | str | bool) and (b := _bounds_in(info)) is not None:
            yield sub, value, b


def _effective(s: Scenario, path: str) -> tuple[float | None, str | None]:
    """Today's value of a number left empty in the file (GenAI prices from the catalog), and
    the field it then follows, if any (a cached-input price left empty is the input price
    when the catalog has none: it must move with it)."""
    parts = path.split(".")
    opt = s.active.get(parts[1]) if parts[0] == "options" and len(parts) == 3 else None
    if not isinstance(opt, GenAIOption):
        return None, None
    keys = ("price_per_million_input_tokens", "price_per_million_cached_input_tokens",
            "price_per_million_output_tokens")
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
    return parts[1] in interims or s.active[parts[1]].interim is None


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
        tiers, i = s.active[parts[1]].tiers, int(parts[3])
        lo = float(likely(tiers[i - 1].up_to_units)) if i > 0 else c.lo
        nxt = tiers[i + 1].up_to_units if i + 1 < len(tiers) else None
        return _replace(c, lo=lo, lo_open=True, hi=c.hi if nxt is None else float(likely(nxt)),
                        hi_open=nxt is not None or c.hi_open)
    if len(parts) == 4 and parts[2] == "data" and parts[3] in ("labels_needed",
                                                                 "labels_available"):
        d = s.active[parts[1]].data
        if _low(d.labels_per_month) <= 0:     # no labelling pipeline: no shortfall allowed
            if parts[3] == "labels_needed":
                return _replace(c, hi=min(c.hi, float(likely(d.labels_available))))
            return _replace(c, lo=max(c.lo, float(likely(d.labels_needed))))
    return c


def _high(v: float | Range) -> float:
    return float(v.high if isinstance(v, Range) else v)


def _low(v: float | Range) -> float:
    return float(v.low if isinstance(v, Range) else v)


def is_build(opt: Any) -> bool:
    """Options you build (in-house models) against options you buy or keep (the rest)."""
    return isinstance(opt, InHouseOption) or getattr(opt, "kind", "") == "hybrid"


