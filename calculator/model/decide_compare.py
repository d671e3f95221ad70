"""Compare two scenarios: which inputs changed and how each headline number moved.

Reads the plain report of each (:func:`calculator.model.analysis.report`), so the numbers
are those the command line's report prints.

>>> from calculator.model.yamlio import loads_scenario
>>> text = '''
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
... '''
>>> a = loads_scenario(text)
>>> b = loads_scenario(text.replace("input_tokens: 2.0", "input_tokens: 0.5"))
>>> out = compare(a, b)     # api: 3,000 -> (500 + 1,000) = 1,500 a month; model 1,730
>>> out["inputs"]
[{'path': 'options.api.price_per_million_input_tokens', 'before': 2, 'after': 0.5}]
>>> out["text"]
'The answer changed: model was cheapest ($20.8k over 12 months), now api is ($18k over 12 months).'
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from . import decide_text as text
from .analysis import report
from .scenario import Scenario


def _flat(node: Any, path: str = "") -> dict[str, Any]:
    """Leaves of a dumped scenario by path; a range {low, likely, high} is one leaf."""
    if isinstance(node, dict) and node and "likely" not in node:
        out: dict[str, Any] = {}
        for k, v in node.items():
            out |= _flat(v, f"{path}.{k}" if path else str(k))
        return out
    if isinstance(node, list) and node and all(isinstance(v, dict) for v in node):
        return {k: v for i, item in enumerate(node) for k, v in _flat(item, f"{path}.{i}").items()}
    return {path: node.isoformat() if isinstance(node, dt.date) else node}


def compare(a: Scenario, b: Scenario) -> dict[str, Any]:
    """What changed from scenario a to scenario b: the inputs (path, before, after; options
    added and removed) and the headline numbers (cheapest option, each option's comparable
    total, each pair's crossover month and break-even volume), with the change of answer in
    one sentence."""
    ra, rb = report(a), report(b)
    fa, fb = _flat(a.model_dump(mode="python")), _flat(b.model_dump(mode="python"))
    added = [k for k in b.options if k not in a.options]
    removed = [k for k in a.options if k not in b.options]
    gone = tuple(f"options.{k}." for k in added + removed)
    inputs = [{"path": p, "before": fa.get(p), "after": fb.get(p)}
              for p in dict.fromkeys([*fa, *fb])
              if fa.get(p) != fb.get(p) and not p.startswith(gone)]
    basis = {"before": _basis(a), "after": _basis(b)}
    names = list(dict.fromkeys([*ra["options"], *rb["options"]]))
    totals: dict[str, Any] = {}
    for k in names:
        before = ra["options"].get(k, {}).get(basis["before"])
        after = rb["options"].get(k, {}).get(basis["after"])
        change = None if before is None or after is None else after - before
        totals[k] = {"before": before, "after": after, "change": change}
    out: dict[str, Any] = {
        "before": a.name, "after": b.name, "inputs": inputs, "options_added": added,
        "options_removed": removed, "basis": basis,
        "horizon_months": {"before": a.horizon_months, "after": b.horizon_months},
        "cheapest": {"before": ra["cheapest"], "after": rb["cheapest"]},
        "answer_changed": ra["cheapest"] != rb["cheapest"], "options": totals,
        "crossovers": [_crossover_pair(ra, rb, x, y) for x, y in _pairs(ra, rb)],
    }
    for key in ("break_even", "payback"):     # payback: spec version 2, when reported
        if key in ra or key in rb:
            out[key] = [{"options": [x, y], "before": _pair_value(ra, key, x, y),
                         "after": _pair_value(rb, key, x, y)} for x, y in _pairs(ra, rb)]
    out["text"] = text.compare_sentence(out, a, b)
    return out


def _basis(s: Scenario) -> str:
    return "present_value" if s.discount_rate_annual > 0 else "total_cost"


def _pairs(ra: dict[str, Any], rb: dict[str, Any]) -> list[tuple[str, str]]:
    seen: dict[frozenset[str], tuple[str, str]] = {}
    for rep in (ra, rb):
        for entry in rep["break_even"]:
            x, y = entry["options"]
            seen.setdefault(frozenset((x, y)), (x, y))
    return list(seen.values())


def _pair_value(rep: dict[str, Any], key: str, x: str, y: str) -> float | None:
    for entry in rep.get(key, []):
        if set(entry["options"]) == {x, y}:
            return entry["calls_per_month"]
    return None


def _crossover_pair(ra: dict[str, Any], rb: dict[str, Any], x: str, y: str) -> dict[str, Any]:
    def find(rep: dict[str, Any]) -> dict[str, Any] | None:
        for c in rep["crossovers"]:
            if {c["cheaper"], c["than"]} == {x, y}:
                return {"cheaper": c["cheaper"], "month": c["month"],
                        "fractional_month": c["fractional_month"]}
        return None

    return {"options": [x, y], "before": find(ra), "after": find(rb)}
