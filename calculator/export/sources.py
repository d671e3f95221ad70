"""The assumptions behind a result, with the source and date each one was written down with.

Sources are the comments of the scenario file: a comment at the end of a key's line, and
the comment lines right above it (``# Google Cloud Vision label detection, ...`` above a
price tier). The validated Scenario keeps no comments, so the file's text is passed along
when there is one; without it the sources column stays empty, except for prices read from
the bundled catalog, which name it.

>>> text = "schema_version: 1\\nteam:\\n  # BLS 2025\\n  mle: 18_000  # x 1.42 / 12\\n"
>>> sources(text)["team.mle"]
'BLS 2025; x 1.42 / 12'
>>> amount(18_059.68, "USD"), amount(0.526, "EUR"), pct(0.025), pct(0.86)
('$18,059.68', '€0.526', '2.5 %', '86 %')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from ..model import Params, Range, Scenario, ScenarioError, ranged_fields
from ..model.engine import genai_prices
from ..model.numbers import likely
from ..model.story import calls
from ..model.yamlio import loads_scenario, parse_yaml

MAX_SOURCE = 300
_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}
_PERCENT = ("accuracy", "share", "rate", "probability", "utilization", "discount",
            "price_change")
_MONEY = ("cost", "price", "minimum", "value_per")
_SKIP = {"schema_version", "name", "description", "kind", "enabled", "currency"}


@dataclass(frozen=True)
class Assumption:
    area: str       # Scenario, Traffic, Team, Quality or an option's name
    item: str       # what it is, in words: "build team · ml engineer"
    value: str      # formatted for people, with its unit
    source: str     # the file's comment (user text: escape before use), or ""


# -- formatting -----------------------------------------------------------------------------

def _trim(text: str) -> str:
    return text.rstrip("0").rstrip(".") if "." in text else text


def amount(x: float, currency: str) -> str:
    """Money as typed, with separators: $18,059.68, $1.50, $0.0001 (no rounding to k/M)."""
    body = f"{abs(x):.3g}" if 0 < abs(x) < 1e-4 else _trim(f"{abs(x):,.6f}")
    if "." in body and len(body.split(".")[1]) == 1:
        body += "0"                                    # cents: $1.50, not $1.5
    sym = _SYMBOLS.get(currency.upper())
    text = f"{sym}{body}" if sym else f"{body} {currency}"
    return f"-{text}" if x < 0 else text


def months(n: int) -> str:
    return f"{n} month" if n == 1 else f"{n} months"


def pct(x: float) -> str:
    return f"{x * 100:.4g} %"


def number(x: float) -> str:
    return _trim(f"{x:,.6f}") if abs(x) >= 1e-4 or x == 0 else f"{x:.3g}"


def _formatter(path: str, currency: str) -> Any:
    last = path.rsplit(".", 1)[-1]
    if path.startswith("team."):
        return lambda x: amount(x, currency)
    if "_team." in path or "team_months." in path:        # FTE or FTE-months of a role
        return number
    if any(k in last for k in _PERCENT):
        return pct
    if any(k in last for k in _MONEY):
        return lambda x: amount(x, currency)
    return number


def show(path: str, value: Any, currency: str) -> str:
    """One scenario value for people; a range shows its likely value and its span."""
    if isinstance(value, Range):
        f = _formatter(path, currency)
        dist = "" if value.distribution == "triangular" else f", {value.distribution}"
        return f"{f(value.likely)} (range {f(value.low)} to {f(value.high)}{dist})"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return _formatter(path, currency)(float(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# -- comments of the file -------------------------------------------------------------------

def _trailing(line: str) -> str:
    """The comment at the end of a YAML line ('#' after a space, outside quotes)."""
    quote = None
    prev = " "
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"" and prev in " :-,[{":
            quote = ch
        elif ch == "#" and prev in " \t":
            return line[i + 1:].strip()
        prev = ch
    return ""


def sources(text: str | bytes | None, scenario: Scenario | None = None) -> dict[str, str]:
    """Scenario path -> the comments that explain it (above its line, then on it).

    With ``scenario``, a comment is kept only where the file still says what the scenario
    says (a value edited in the app since the file was loaded loses its old source)."""
    if not text:
        return {}
    try:
        _, lines = parse_yaml(text)
        changed = _changed(loads_scenario(text), scenario) if scenario is not None else set()
    except ScenarioError:
        return {}
    if isinstance(text, bytes):
        text = text.decode("utf-8-sig", "replace")
    rows = text.splitlines()
    out: dict[str, str] = {}
    for path, n in lines.items():
        if not path or n > len(rows):
            continue
        above: list[str] = []
        k = n - 2
        while k >= 0 and rows[k].strip().startswith("#"):
            above.insert(0, rows[k].strip().lstrip("#").strip())
            k -= 1
        note = "; ".join(x for x in (" ".join(above), _trailing(rows[n - 1])) if x)
        stale = any(c == path or c.startswith(path + ".") for c in changed)
        if note and not stale:
            out[path] = note[:MAX_SOURCE]
    return out


def _changed(a: Scenario, b: Scenario) -> set[str]:
    if a == b:
        return set()
    va, vb = dict(_walk(a, "")), dict(_walk(b, ""))
    return {p for p in va.keys() | vb.keys() if va.get(p) != vb.get(p)}


# -- the assumptions, every one ---------------------------------------------------------------

def _walk(node: Any, path: str) -> Iterator[tuple[str, Any]]:
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            if name in node.model_fields_set and name not in _SKIP:
                yield from _walk(getattr(node, name), f"{path}.{name}" if path else name)
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list | tuple):
        if node and all(isinstance(x, int | float) for x in node):
            yield path, f"{len(node)} values, {calls(min(node))} to {calls(max(node))}"
        else:
            for i, value in enumerate(node):
                yield from _walk(value, f"{path}.{i}")
    elif node is not None:
        yield path, node


def area_item(path: str) -> tuple[str, str]:
    parts = path.split(".")
    if parts[0] == "options" and len(parts) > 2:
        area, rest = parts[1], parts[2:]
    elif parts[0] in ("traffic", "team", "quality") and len(parts) > 1:
        area, rest = parts[0].capitalize(), parts[1:]
    else:
        area, rest = "Scenario", parts
    words = [str(int(p) + 1) if p.isdigit() else p.replace("_", " ") for p in rest]
    return area, " · ".join(words)


def assumptions(s: Scenario, text: str | bytes | None = None) -> list[Assumption]:
    """Every number the file sets (defaults left out), plus the horizon, the discount rate,
    the price date and prices taken from the catalog, each with its source comment."""
    notes = sources(text, s)
    cur = s.currency
    rows = [Assumption("Scenario", "prices as of",
                       s.prices_as_of.isoformat() if s.prices_as_of else "not stated",
                       notes.get("prices_as_of", "")),
            Assumption("Scenario", "horizon", f"{months(s.horizon_months)}",
                       notes.get("horizon_months", "")),
            Assumption("Scenario", "discount rate",
                       pct(s.discount_rate_annual) + " a year" if s.discount_rate_annual
                       else "none", notes.get("discount_rate_annual", ""))]
    skip = {"prices_as_of", "horizon_months", "discount_rate_annual"}
    for path, value in _walk(s, ""):
        if path in skip or (path.startswith("options.") and path.split(".")[1] not in s.active):
            continue
        area, item = area_item(path)
        rows.append(Assumption(area, item, show(path, value, cur), notes.get(path, "")))
    for name, opt in s.active.items():
        if opt.kind == "genai_api" and opt.catalog is not None:
            pin, pcache, pout = genai_prices(name, opt, Params.plain())
            rows.append(Assumption(
                name, "prices used (per million tokens)",
                f"input {amount(pin, cur)}, cached input {amount(pcache, cur)}, "
                f"output {amount(pout, cur)}",
                f"bundled genai-prices catalog: {opt.catalog.provider}/{opt.catalog.model} "
                "(typed-in prices win)"))
    return rows


# -- the few that matter, for a subtitle or a slide -------------------------------------------

def growth_words(s: Scenario) -> str:
    t = s.traffic
    if t.monthly_calls is not None:
        v = t.monthly_calls[: s.horizon_months]
        return f"from a monthly series, {calls(v[0])} to {calls(v[-1])} calls a month"
    text = f"{calls(likely(t.calls_per_month))} calls a month in month 1"
    if t.growth == "compound":
        return text + f", growing {pct(likely(t.growth_rate_monthly))} a month"
    if t.growth == "linear":
        d = likely(t.growth_calls_per_month)
        return text + f", {'+' if d >= 0 else '-'}{calls(abs(d))} calls a month each month"
    return text + ", flat"


def assumption_line(s: Scenario) -> str:
    """Traffic, growth, horizon and discounting in one line (a chart's subtitle)."""
    disc = (f"discounted at {pct(s.discount_rate_annual)} a year" if s.discount_rate_annual
            else "no discounting")
    line = f"Traffic {growth_words(s)} · {s.horizon_months}-month horizon · {disc}"
    return line + (" · likely values of ranges" if _has_ranges(s) else "")


def _has_ranges(s: Scenario) -> bool:
    return bool(ranged_fields(s))


def footnote(s: Scenario) -> str:
    when = s.prices_as_of.isoformat() if s.prices_as_of else "not stated"
    return f"Prices as of {when} · Scenario: {s.name}"


def _first(notes: dict[str, str], prefix: str, keys: tuple[str, ...]) -> str:
    found = [v for k, v in notes.items() if k.startswith(prefix)
             and k[len(prefix):].split(".")[0] in keys]
    return "; ".join(dict.fromkeys(found))[:MAX_SOURCE]


_PRICE_KEYS = ("tiers", "price_per_million_input_tokens", "price_per_million_output_tokens",
               "catalog", "node_cost_per_hour", "cost_per_1k_calls", "build_months",
               "accuracy", "success_probability")


def key_assumptions(s: Scenario, text: str | bytes | None = None) -> list[Assumption]:
    """A short list for a slide: traffic, horizon, discounting, price date, team rates,
    error cost and one line per option."""
    notes = sources(text, s)
    cur = s.currency
    t = s.traffic
    rows = [Assumption("Scenario", "Traffic", growth_words(s),
                       notes.get("traffic.calls_per_month", "")
                       or notes.get("traffic.monthly_calls", "")),
            Assumption("Scenario", "Horizon", f"{months(s.horizon_months)}", ""),
            Assumption("Scenario", "Discounting",
                       f"{pct(s.discount_rate_annual)} a year" if s.discount_rate_annual
                       else "none", notes.get("discount_rate_annual", "")),
            Assumption("Scenario", "Prices as of",
                       s.prices_as_of.isoformat() if s.prices_as_of else "not stated",
                       notes.get("prices_as_of", ""))]
    if t.growth != "none" and t.monthly_calls is None:
        key = "growth_rate_monthly" if t.growth == "compound" else "growth_calls_per_month"
        both = (notes.get("traffic.calls_per_month", ""), notes.get(f"traffic.{key}", ""))
        rows[0] = Assumption("Scenario", "Traffic", growth_words(s),
                             "; ".join(x for x in both if x))
    for role, rate in s.team.items():
        rows.append(Assumption("Team", role, show(f"team.{role}", rate, cur) + " a month",
                               notes.get(f"team.{role}", "")))
    if likely(s.quality.cost_per_error):
        rows.append(Assumption("Quality", "Cost per error",
                               show("quality.cost_per_error", s.quality.cost_per_error, cur),
                               notes.get("quality.cost_per_error", "")))
    if likely(s.quality.value_per_correct_prediction):
        rows.append(Assumption("Quality", "Value per right prediction",
                               show("quality.value_per_correct_prediction",
                                    s.quality.value_per_correct_prediction, cur),
                               notes.get("quality.value_per_correct_prediction", "")))
    for name in s.active:
        src = _first(notes, f"options.{name}.", _PRICE_KEYS)
        opt = s.active[name]
        if opt.kind == "genai_api" and opt.catalog is not None:
            src = f"genai-prices: {opt.catalog.provider}/{opt.catalog.model}" + (
                f"; {src}" if src else "")
        rows.append(Assumption(name, name, option_summary(s, name), src[:MAX_SOURCE]))
    return rows


def _team(fte: dict[str, Any]) -> str:
    return ", ".join(f"{number(likely(v))} {role}" for role, v in fte.items())


def option_summary(s: Scenario, name: str) -> str:
    """An option's prices and plan in one line (likely values)."""
    opt, cur = s.active[name], s.currency
    parts: list[str] = []
    if opt.kind == "rules":
        parts.append(f"rules, {amount(likely(opt.cost_per_1k_calls), cur)} per 1,000 calls")
    elif opt.kind == "vendor_api":
        tiers = []
        for t in opt.tiers:
            price = amount(likely(t.price_per_1k_units), cur) + " per 1k units"
            if likely(t.price_per_1k_units) == 0:
                price = "free"
            tiers.append(f"{price} to {calls(likely(t.up_to_units))}" if t.up_to_units
                         is not None else f"then {price}")
        parts.append(f"vendor API ({opt.tier_mode}): " + ", ".join(tiers))
        if likely(opt.units_per_call) != 1:
            parts.append(f"{number(likely(opt.units_per_call))} units a call")
        if likely(opt.monthly_minimum):
            parts.append(f"minimum {amount(likely(opt.monthly_minimum), cur)} a month")
    elif opt.kind == "genai_api":
        pin, _, pout = genai_prices(name, opt, Params.plain())
        parts.append(f"GenAI API, {number(likely(opt.input_tokens_per_call))} in + "
                     f"{number(likely(opt.output_tokens_per_call))} out tokens a call at "
                     f"{amount(pin, cur)} / {amount(pout, cur)} per million")
        if likely(opt.batch_share):
            parts.append(f"{pct(likely(opt.batch_share))} batched")
        if likely(opt.price_change_per_year):
            parts.append(f"prices {pct(likely(opt.price_change_per_year))} a year")
    else:
        live = likely(opt.start_month) + likely(opt.build_months)
        build = f"in-house model, {number(likely(opt.build_months))} build months"
        parts.append(build + (f" ({_team(opt.build_team)})" if opt.build_team else ""))
        parts.append(f"{int(likely(opt.min_nodes))}+ nodes at "
                     f"{amount(likely(opt.node_cost_per_hour), cur)}/h")
        if opt.interim:
            parts.append(f"{opt.interim} serves until it is live (month {int(live)} "
                         "or later with labelling)" if opt.data else
                         f"{opt.interim} serves until month {int(live)}")
        if likely(opt.success_probability) < 1:
            parts.append(f"{pct(likely(opt.success_probability))} chance of success")
    if opt.run_team:
        parts.append(f"run team {_team(opt.run_team)}")
    parts.append(f"accuracy {pct(likely(opt.accuracy))}")
    return "; ".join(parts)
