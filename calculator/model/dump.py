"""Writing a scenario: plain data in the spec's key order, YAML text that loads back to the
same scenario, and (with :mod:`comments`) the comments of the file it came from.

>>> from calculator.model.yamlio import loads_scenario
>>> s = loads_scenario("schema_version: 1\\nname: x\\nhorizon_months: 3\\n"
...                    "start_date: 2027-01\\ntraffic: {calls_per_month: 1000}\\n"
...                    "options: {r: {kind: rules}}\\n")
>>> print(dumps_scenario(s), end="")
schema_version: 1
name: x
start_date: 2027-01
horizon_months: 3
traffic: {calls_per_month: 1000}
options:
  r: {kind: rules}
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

import yaml

from .scenario import Scenario


class _Dumper(yaml.SafeDumper):
    pass


def _str_representer(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


def _is_scalar(v: Any) -> bool:
    return not isinstance(v, dict | list)


def _dict_representer(dumper: yaml.SafeDumper, data: dict[str, Any]) -> yaml.Node:
    # Small groups of plain values read best on one line, as in the spec's examples.
    flow = len(data) <= 5 and all(_is_scalar(v) for v in data.values())
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=flow)


def _list_representer(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data,
                                     flow_style=all(_is_scalar(v) for v in data))


_Dumper.add_representer(str, _str_representer)
_Dumper.add_representer(dict, _dict_representer)
_Dumper.add_representer(list, _list_representer)


def to_data(scenario: Scenario) -> dict[str, Any]:
    """Plain data in the spec's key order, defaults left out where that keeps it short."""
    data = scenario.model_dump(mode="python", exclude_defaults=True)
    data["schema_version"] = scenario.schema_version
    data["name"] = scenario.name
    data["horizon_months"] = scenario.horizon_months
    if scenario.start_date is not None:   # a calendar month, written as the file says it
        data["start_date"] = f"{scenario.start_date.year:04d}-{scenario.start_date.month:02d}"
    order = list(Scenario.model_fields)
    data = {k: data[k] for k in order if k in data}
    for name, opt in scenario.options.items():
        data["options"][name] = {"kind": opt.kind} | {
            k: v for k, v in data["options"][name].items() if k != "kind"}
    if "traffic" in data:
        data["traffic"] = {"calls_per_month": data["traffic"].pop("calls_per_month")} | data["traffic"]
    return data


def dumps_scenario(scenario: Scenario, comments: Any = None) -> str:
    """YAML text that loads back to exactly the same scenario; with ``comments`` (from
    :func:`calculator.model.comments.comments_of`), the file's comments of every field that
    is still written."""
    text = yaml.dump(to_data(scenario), Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     width=100)
    if comments:
        from .comments import with_comments

        return with_comments(text, comments, scenario)
    return text


def month_text(day: _dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"
