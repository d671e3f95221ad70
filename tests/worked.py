"""The worked example of spec/model.md as plain data, and edits of it, shared by the tests."""

from __future__ import annotations

import copy
from typing import Any

import calculator as c

WORKED: dict[str, Any] = {
    "schema_version": 1, "name": "Worked example", "horizon_months": 12,
    "traffic": {"calls_per_month": 1_000_000}, "team": {"ml_engineer": 20_000},
    "options": {
        "api": {"kind": "genai_api", "input_tokens_per_call": 1000, "output_tokens_per_call": 100,
                "price_per_million_input_tokens": 2.0, "price_per_million_output_tokens": 10.0},
        "model": {"kind": "in_house", "interim": "api", "build_months": 2,
                  "build_team": {"ml_engineer": 1}, "setup": {"cost": 1000},
                  "run_team": {"ml_engineer": 0.05}, "min_nodes": 1, "node_cost_per_hour": 1.0,
                  "node_capacity_rps": 1000},
    },
}


def worked(**changes: Any) -> dict[str, Any]:
    """The worked example with ``a__b__c=value`` edits (None deletes the key), as data."""
    data = copy.deepcopy(WORKED)
    for path, value in changes.items():
        node = data
        keys = path.split("__")
        for k in keys[:-1]:
            node = node.setdefault(k, {})
        if value is None:
            node.pop(keys[-1], None)
        else:
            node[keys[-1]] = value
    return data


def scenario(**changes: Any) -> c.Scenario:
    """The worked example with edits, validated."""
    return c.validate(worked(**changes))


# Two options, 12 months, no discounting, no error cost (the decision tools' tests):
#   api   (genai_api): (1000 · 2.00 + 100 · 10.00) / 10^6 = 0.003 a call -> V · 0.003 a month
#   model (in_house): live from month 1, one node at 1.00/h · 730 h = 730, run team
#                      0.05 · 20,000 = 1,000 -> a flat 1,730 a month
# At V = 1,000,000: api 3,000 a month, model 1,730: model is cheapest (20,760 against 36,000).
FLAT = """\
schema_version: 1
name: Flat
horizon_months: 12
traffic: {calls_per_month: 1_000_000}
team: {ml_engineer: 20_000}
options:
  api:
    kind: genai_api
    input_tokens_per_call: 1000
    output_tokens_per_call: 100
    price_per_million_input_tokens: 2.00
    price_per_million_output_tokens: 10.00
  model:
    kind: in_house
    run_team: {ml_engineer: 0.05}
    node_cost_per_hour: 1.0
    node_capacity_rps: 1000
"""


def flat_labelled(model: str = "Our model") -> str:
    """:data:`FLAT` with people's names: "Hosted API" and ``model``."""
    return (FLAT.replace("    kind: genai_api\n", "    kind: genai_api\n    label: Hosted API\n")
            .replace("    kind: in_house\n", f"    kind: in_house\n    label: {model}\n"))
