"""Hypothesis strategies shared by the property tests: valid scenarios as plain data."""

from __future__ import annotations

from hypothesis import strategies as st

money = st.floats(0, 5_000, allow_nan=False, allow_infinity=False)
share = st.floats(0, 1, allow_nan=False, allow_infinity=False)


@st.composite
def scenario_data(draw, max_horizon: int = 36) -> dict:
    h = draw(st.integers(1, max_horizon))
    growth = draw(st.sampled_from(["none", "linear", "compound"]))
    traffic: dict = {"calls_per_month": draw(st.floats(1, 5e7)), "growth": growth,
                     "peak_to_average": draw(st.floats(1, 5))}
    if growth == "compound":
        traffic["growth_rate_monthly"] = draw(st.floats(-0.5, 0.2))
    if growth == "linear":
        traffic["growth_calls_per_month"] = draw(st.floats(-1e6, 1e6))
    team = {"mle": draw(st.floats(1_000, 30_000)), "swe": draw(st.floats(1_000, 30_000))}
    options: dict = {
        "rules": {"kind": "rules", "accuracy": draw(share),
                  "setup": {"team_months": {"swe": draw(st.floats(0, 3))}},
                  "run_team": {"swe": draw(st.floats(0, 0.5))},
                  "cost_per_1k_calls": draw(st.floats(0, 0.1))},
        "vendor": {"kind": "vendor_api", "accuracy": draw(share),
                   "units_per_call": draw(st.floats(0.5, 4)),
                   "tier_mode": draw(st.sampled_from(["graduated", "volume"])),
                   "tiers": [{"up_to_units": 1000.0, "price_per_1k_units": 0.0},
                             {"up_to_units": 5e6, "price_per_1k_units": draw(st.floats(0, 3))},
                             {"price_per_1k_units": draw(st.floats(0, 3))}],
                   "monthly_minimum": draw(st.floats(0, 500))},
        "llm": {"kind": "genai_api", "accuracy": draw(share),
                "input_tokens_per_call": draw(st.floats(0, 3000)),
                "output_tokens_per_call": draw(st.floats(0, 500)),
                "price_per_million_input_tokens": draw(st.floats(0, 5)),
                "price_per_million_output_tokens": draw(st.floats(0, 25)),
                "cached_input_share": draw(share), "batch_share": draw(share),
                "price_change_per_year": draw(st.floats(-0.5, 0.5))},
        "model": {"kind": "in_house", "accuracy": draw(share),
                  "interim": draw(st.sampled_from([None, "llm", "rules", "vendor"])),
                  "start_month": draw(st.integers(1, 6)), "build_months": draw(st.integers(0, 8)),
                  "build_team": {"mle": draw(st.floats(0, 3))},
                  "setup": {"cost": draw(money)}, "run_team": {"mle": draw(st.floats(0, 1))},
                  "monthly_cost": draw(money), "node_cost_per_hour": draw(st.floats(0, 3)),
                  "node_capacity_rps": draw(st.floats(1, 500)),
                  "min_nodes": draw(st.integers(0, 3)),
                  "retraining": {"every_months": draw(st.integers(1, 12)), "cost": draw(money)}},
    }
    if options["model"]["interim"] is None:
        del options["model"]["interim"]
    return {"schema_version": 1, "name": "prop", "horizon_months": h,
            "discount_rate_annual": draw(st.sampled_from([0.0, 0.08])),
            "traffic": traffic, "team": team,
            "quality": {"cost_per_error": draw(st.floats(0, 0.05)),
                        "value_per_correct_prediction": draw(st.sampled_from([0.0, 0.01]))},
            "options": options}


# -- every field, from the registry ------------------------------------------------------------
#
# ``registry_scenario`` walks calculator.model.registry.fields_of(model) to draw every number
# within its FieldSpec.bounds (often exactly at a bound; a range low <= likely <= high where
# the field may be one), then fixes up the cross-field rules of scenario.py so that the
# result always validates. New fields are picked up without touching this file; a new
# cross-field rule needs a fix-up here (the tests fail loudly until it has one).

import datetime as _dt  # noqa: E402
import math  # noqa: E402
from typing import Any  # noqa: E402

from calculator.model.numbers import Bounds  # noqa: E402
from calculator.model.options import KIND_MODELS, Tier  # noqa: E402
from calculator.model.registry import FieldSpec, fields_of  # noqa: E402
from calculator.model.scenario import MAX_CALLS_PER_MONTH, Scenario, Traffic  # noqa: E402

ROLES = ("mle", "swe")
CATALOG = (("anthropic", "claude-haiku-4-5"), ("openai", "gpt-5-mini"))
GPUS = ("g4dn.xlarge", "g6.xlarge")
SAFE_TEXT = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ABC-0123456789", max_size=20)
# drawn by the fix-ups, not by the walk: names of other options, the kind, price sources
_BY_FIXUP = {"kind", "interim", "primary", "fallback", "enabled", "catalog", "node_catalog",
             "node_capacity_rps", "node_capacity_tokens_per_second", "tokens_per_call",
             "tiers", "options", "traffic", "team", "monthly_calls"}


def _plain_number(b: Bounds) -> st.SearchStrategy:
    lo = b.low if b.low is not None else -1e6
    hi = b.high if b.high is not None else 1e6
    if b.integer:
        inner: st.SearchStrategy = st.integers(int(lo), int(hi))
    else:
        inner = st.floats(lo, hi, allow_nan=False, allow_infinity=False)
    if b.positive_min is not None:      # 0 itself, or at least the positive minimum
        inner = st.one_of(st.just(0.0), st.floats(b.positive_min, hi))
    return st.one_of(st.sampled_from([lo, hi]), inner)


@st.composite
def number(draw, b: Bounds, ranged: bool = True) -> Any:
    """A value within ``b``: sometimes exactly at a bound, sometimes a range."""
    if ranged and b.ranged and draw(st.integers(0, 3)) == 0:
        values = sorted(draw(_plain_number(b)) for _ in range(3))
        out: dict[str, Any] = dict(zip(("low", "likely", "high"), values, strict=True))
        dist = draw(st.sampled_from([None, "uniform", "pert"]))
        return out | ({"distribution": dist} if dist else {})
    return draw(_plain_number(b))


def _low(v: Any) -> float:
    return v["low"] if isinstance(v, dict) else v


def _high(v: Any) -> float:
    return v["high"] if isinstance(v, dict) else v


@st.composite
def field_value(draw, f: FieldSpec) -> Any:
    if f.structure == "group":
        return draw(model_data(f.model))
    if f.structure == "roles":
        roles = draw(st.lists(st.sampled_from(ROLES), unique=True, max_size=len(ROLES)))
        return {r: draw(number(f.bounds)) for r in roles}
    if f.bounds is not None:
        return draw(number(f.bounds))
    if f.choices:
        return draw(st.sampled_from(f.choices))
    if f.unit == "date":
        return draw(st.dates(_dt.date(2020, 1, 1), _dt.date(2030, 12, 31))).isoformat()
    if f.unit == "month_date":
        return draw(st.dates(_dt.date(2020, 1, 1), _dt.date(2030, 12, 31))).strftime("%Y-%m")
    if f.unit == "flag":
        return draw(st.booleans())
    rule = f.text_rule
    text = draw(SAFE_TEXT)[: rule.max_length if rule else 20]
    return text if text or not (rule and rule.min_length) else "x"


@st.composite
def model_data(draw, model: Any) -> dict[str, Any]:
    """Every field of ``model`` the walk draws: required ones always, the others sometimes."""
    out = {}
    for f in fields_of(model):
        if f.name in _BY_FIXUP:
            continue
        if f.required or draw(st.booleans()):
            out[f.name] = draw(field_value(f))
    return out


@st.composite
def _tiers(draw) -> list[dict[str, Any]]:
    """Ordered tiers: each bound's low above the previous bound's high; the last has none."""
    n = draw(st.integers(1, 4))
    b = fields_of(Tier)[0].bounds
    cuts = sorted(set(draw(st.lists(_plain_number(b), min_size=3 * (n - 1),
                                    max_size=3 * (n - 1)))))
    tiers = []
    for i in range(n):
        tier = draw(model_data(Tier))
        group = cuts[3 * i: 3 * i + 3]
        if i == n - 1 or len(group) < 3:            # the last tier (duplicates: fewer tiers)
            tier.pop("up_to_units", None)
            return [*tiers, tier]
        tier["up_to_units"] = ({"low": group[0], "likely": group[1], "high": group[2]}
                               if draw(st.booleans()) else group[1])
        tiers.append(tier)
    raise AssertionError("unreachable")  # pragma: no cover


def _fix_traffic(t: dict[str, Any], h: int) -> None:
    if t.get("growth") != "compound":
        t.pop("growth_rate_monthly", None)
    if t.get("growth") != "linear":
        t.pop("growth_calls_per_month", None)
    top = _high(t["calls_per_month"])
    if t.get("growth") == "compound" and h > 1:
        end = top * math.exp((h - 1) * math.log1p(_high(t.get("growth_rate_monthly", 0.0))))
        if end > MAX_CALLS_PER_MONTH:
            g = math.expm1(math.log(MAX_CALLS_PER_MONTH / top) / (h - 1)) * (1 - 1e-9)
            # at the limit itself the rate is at float granularity: no growth then
            end = top * math.exp((h - 1) * math.log1p(g))
            t["growth_rate_monthly"] = g if end <= MAX_CALLS_PER_MONTH else 0.0
    end = top + _high(t.get("growth_calls_per_month", 0.0)) * (h - 1)
    if t.get("growth") == "linear" and h > 1 and end > MAX_CALLS_PER_MONTH:
        t["growth_calls_per_month"] = (MAX_CALLS_PER_MONTH - top) / (h - 1) * (1 - 1e-9)


def _live_from_month_one(o: dict[str, Any]) -> None:
    for key in ("start_month", "build_months", "interim", "data"):
        o.pop(key, None)


@st.composite
def _option(draw, kind: str) -> dict[str, Any]:
    o = {"kind": kind} | draw(model_data(KIND_MODELS[kind]))
    if kind == "vendor_api":
        o["tiers"] = draw(_tiers())
    if kind == "genai_api":
        if draw(st.booleans()):
            provider, model = draw(st.sampled_from(CATALOG))
            o["catalog"] = {"provider": provider, "model": model}
        else:
            spec = {f.name: f for f in fields_of(KIND_MODELS[kind])}
            for key in ("price_per_million_input_tokens", "price_per_million_output_tokens"):
                o.setdefault(key, draw(number(spec[key].bounds)))
        room = _low(o["input_tokens_per_call"]) * (1 - _high(o.get("cached_input_share", 0.0)))
        if _high(o.get("cache_write_tokens_per_call", 0.0)) > room:
            o["cache_write_tokens_per_call"] = draw(st.sampled_from([room, room / 2, 0.0]))
    if kind == "in_house":
        spec = {f.name: f for f in fields_of(KIND_MODELS[kind])}
        if draw(st.booleans()):
            o["node_capacity_rps"] = draw(number(spec["node_capacity_rps"].bounds))
        else:
            for key in ("node_capacity_tokens_per_second", "tokens_per_call"):
                o[key] = draw(number(spec[key].bounds))
        if draw(st.integers(0, 2)) == 0:           # a listed serving instance prices the node
            o["node_catalog"] = {"cloud": "aws", "instance": draw(st.sampled_from(GPUS))}
            if draw(st.booleans()):
                o.pop("node_cost_per_hour", None)
        else:
            o.setdefault("node_cost_per_hour", draw(number(spec["node_cost_per_hour"].bounds)))
        d = o.get("data")
        if d is not None and _high(d["labels_needed"]) - _low(d.get("labels_available", 0.0)) > 0 \
                and _low(d.get("labels_per_month", 0.0)) <= 0:
            d["labels_per_month"] = draw(st.sampled_from([1.0, 1e4, 1e10]))
    return o


@st.composite
def registry_scenario(draw, max_options: int = 5, max_horizon: int = 240) -> dict[str, Any]:
    """A valid scenario as plain data with every field drawn from the registry."""
    data = {"schema_version": 1} | draw(model_data(Scenario))
    h = data["horizon_months"] = min(data["horizon_months"], max_horizon)
    spec = {f.name: f for f in fields_of(Scenario)}
    data["team"] = {r: draw(number(spec["team"].bounds)) for r in ROLES}
    traffic = draw(model_data(Traffic))
    _fix_traffic(traffic, h)
    if draw(st.integers(0, 3)) == 0:
        b = fields_of(Traffic)[-1].bounds
        series = draw(st.lists(_plain_number(b), min_size=h, max_size=min(h + 3, 240)))
        series[0] = max(series[0], 1.0)             # some traffic in the horizon
        traffic["monthly_calls"] = series
    data["traffic"] = traffic
    kinds = draw(st.lists(st.sampled_from(["rules", "vendor_api", "genai_api", "in_house"]),
                          min_size=1, max_size=max_options))
    options = {f"o{i}": draw(_option(k)) for i, k in enumerate(kinds)}
    singles = list(options)
    servers = [n for n in singles if draw(st.booleans())] or singles[:1]
    for n in servers:                               # interims and fallbacks serve from month 1
        _live_from_month_one(options[n])
    for n in singles:
        options[n].pop("interim", None)
        others = [x for x in servers if x != n]
        if n not in servers and others and draw(st.booleans()):
            options[n]["interim"] = draw(st.sampled_from(others))
    hybrids = draw(st.integers(0, 2)) if len(singles) >= 2 else 0
    for k in range(hybrids):
        fallback = draw(st.sampled_from(servers))
        primary = draw(st.sampled_from([n for n in singles if n != fallback]))
        hy = {"kind": "hybrid", "primary": primary, "fallback": fallback}
        options[f"h{k}"] = hy | draw(model_data(KIND_MODELS["hybrid"]))
        options[primary].pop("interim", None)
        options[fallback].pop("interim", None)
    off = {n for n in options if draw(st.integers(0, 4)) == 0}
    for n, o in options.items():
        if n in off:
            o["enabled"] = False
        elif draw(st.booleans()):
            o["enabled"] = True
    off = {n for n, o in options.items() if o.get("enabled") is False}   # drawn ones too
    if off == set(options):                        # at least one option stays on
        first = next(iter(options))
        options[first].pop("enabled")
        off.discard(first)
    for n, o in options.items():                   # an interim of a live option is switched on
        if n not in off and o.get("interim") in off:
            del o["interim"]
    data["options"] = options
    return data
