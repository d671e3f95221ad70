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
