"""The assumptions behind a Decision, with the source and date each one was written down with.

Sources are the scenario file's comments, kept from load time
(:func:`calculator.model.comments.comments_of`) and given here as ``notes``: path -> note,
from :func:`calculator.model.comments.sources`, which already dropped the notes of values
edited since the file was loaded. Nothing here reads a file.

Every value is said by its field's unit from the registry (``resolve(path, kinds).unit``,
formatted by :func:`calculator.model.wording.value`) and named as the app names it
(:func:`calculator.model.input_label`, option labels), so a field added to the
format shows up here with its label and unit, without a line of code.

>>> from calculator.model import loads_scenario
>>> s = loads_scenario('''
... schema_version: 1
... name: tiny
... horizon_months: 12
... traffic: {calls_per_month: 20_000}
... team: {mle: 18_000}
... options:
...   api: {kind: genai_api, label: LLM, input_tokens_per_call: 900, output_tokens_per_call: 50,
...         price_per_million_input_tokens: {low: 0.5, likely: 1.0, high: 1.25},
...         price_per_million_output_tokens: 5.0}
... ''')
>>> rows = assumptions(s, {"team.mle": "BLS 2025; x 1.42 / 12"})
>>> [(a.area, a.item, a.value, a.source) for a in rows if a.area != "Scenario"][:2]
[('Traffic', 'Calls per month in month 1', '20k calls a month', ''), ('Team', 'MLE monthly rate', '$18,000', 'BLS 2025; x 1.42 / 12')]
>>> [(a.item, a.value) for a in rows if a.area == "LLM"][:3]
[('Display name', 'LLM'), ('Input tokens per call', '900'), ('Output tokens per call', '50')]
>>> [a.value for a in rows if a.item == "Input price per 1M tokens"]
['$1 (range $0.50 to $1.25)']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..model import (
    Params,
    Range,
    Scenario,
    amount,
    calls,
    genai_prices,
    input_label,
    input_unit,
    leaves,
    likely,
    pct,
    ranged_fields,
    to_data,
    value,
)

MAX_SOURCE = 300
_SKIP = {"schema_version", "name", "description"}


@dataclass(frozen=True)
class Assumption:
    area: str       # Scenario, Traffic, Team, Quality or an option's label
    item: str       # what it is, as the app names it: "Input price per 1M tokens"
    value: str      # formatted by its unit: "$1 (range $0.50 to $1.25)"
    source: str     # the file's comment (user text: escape before use), or ""


def show(s: Scenario, path: str, x: Any) -> str:
    """One scenario value for people, by its field's unit; a range shows its likely value
    and its span, a series its length and span."""
    unit, cur = input_unit(s, path), s.currency
    if isinstance(x, Range):
        dist = "" if x.distribution == "triangular" else f", {x.distribution}"
        return (f"{value(unit, x.likely, cur)} (range {value(unit, x.low, cur)} to "
                f"{value(unit, x.high, cur)}{dist})")
    if isinstance(x, list | tuple) and x and all(isinstance(v, int | float) for v in x):
        return f"{len(x)} values, {value(unit, min(x), cur)} to {value(unit, max(x), cur)}"
    return value(unit, x, cur)


def _written(node: Any, path: str = "") -> set[str]:
    """The paths of every value in dumped scenario data (a range or a list of numbers is
    one value)."""
    if isinstance(node, dict) and not ({"likely", "low", "high"} <= set(node)):
        out: set[str] = set()
        for key, sub in node.items():
            out |= _written(sub, f"{path}.{key}" if path else str(key))
        return out
    if isinstance(node, list) and not all(isinstance(v, int | float) for v in node):
        out = set()
        for i, sub in enumerate(node):
            out |= _written(sub, f"{path}.{i}")
        return out
    return {path}


def _area_item(s: Scenario, path: str) -> tuple[str, str]:
    parts = path.split(".")
    what = input_label(s, path)
    if parts[0] == "options" and len(parts) > 2:
        area = s.label(parts[1])
        what = what.removeprefix(f"{area} ")
    elif parts[0] in ("traffic", "team", "quality") and len(parts) > 1:
        area = parts[0].capitalize()
    else:
        area = "Scenario"
    first = what.split(" ", 1)[0]
    if "_" in first or first in (s.team or {}):    # a role's name stays as it is written
        return area, what
    return area, what[:1].upper() + what[1:]


def _note(notes: dict[str, str], path: str) -> str:
    """The note of ``path``, else that of the block it sits in (a comment at the end of
    ``team: {ml_engineer: 20_000}`` explains the rate), but never an option's or the
    options' own note, which speaks of the whole option."""
    if path in notes:
        return notes[path]
    parent = path.rsplit(".", 1)[0] if "." in path else ""
    parts = parent.split(".")
    if not parent or parts[0] == "options" and len(parts) <= 2:
        return ""
    return notes.get(parent, "")


def assumptions(s: Scenario, notes: dict[str, str] | None = None) -> list[Assumption]:
    """Every value the file sets (defaults left out, except the price date, the horizon
    and the discount rate, which are always said), in file order, each with its note; and
    the prices read from the bundled catalog, which name it."""
    notes = notes or {}
    written = _written(to_data(s, keep={p for p in notes if p}))
    said = {"prices_as_of": s.prices_as_of.isoformat() if s.prices_as_of else "not stated",
            "horizon_months": show(s, "horizon_months", s.horizon_months),
            "discount_rate_annual": show(s, "discount_rate_annual", s.discount_rate_annual)
            if s.discount_rate_annual else "none"}
    rows = [Assumption("Scenario", _area_item(s, path)[1], text, notes.get(path, ""))
            for path, text in said.items()]
    for path, x in leaves(s):
        parts = path.split(".")
        if path not in written or path in said or parts[0] in _SKIP:
            continue
        if parts[0] == "options" and (parts[1] not in s.active or parts[2:] == ["kind"]):
            continue
        area, item = _area_item(s, path)
        rows.append(Assumption(area, item, show(s, path, x), _note(notes, path)[:MAX_SOURCE]))
    for name, opt in s.active.items():
        if opt.kind == "genai_api" and getattr(opt, "catalog", None) is not None:
            pin, pcache, pout = genai_prices(name, opt, Params.plain())
            cur = s.currency
            rows.append(Assumption(
                s.label(name), "Prices used (per 1M tokens)",
                f"input {amount(pin, cur)}, cached input {amount(pcache, cur)}, "
                f"output {amount(pout, cur)}",
                f"bundled genai-prices catalog: {opt.catalog.provider}/{opt.catalog.model} "
                "(typed-in prices win)"))
    return rows


# -- the few that matter, for a subtitle or a footnote ----------------------------------------

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
    return line + (" · likely values of ranges" if ranged_fields(s) else "")


def footnote(s: Scenario) -> str:
    when = s.prices_as_of.isoformat() if s.prices_as_of else "not stated"
    return f"Prices as of {when} · Scenario: {s.name}"
