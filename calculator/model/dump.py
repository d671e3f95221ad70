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


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """libyaml's emitter when PyYAML has it (five times faster: the app writes the scenario
    on every change, for its share link), our representers either way. Both emitters
    write text that loads back to the same scenario; they may quote exotic text
    differently."""


class _Block(dict):
    """A group written one key a line (its keys carry comments of their own)."""


def _str_representer(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = "|" if "\n" in data else ">" if len(data) > 80 else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


def _block_representer(dumper: yaml.SafeDumper, data: dict[str, Any]) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=False)


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
_Dumper.add_representer(_Block, _block_representer)


def to_data(scenario: Scenario, keep: set[str] | frozenset[str] = frozenset()) -> dict[str, Any]:
    """Plain data in the spec's key order, defaults left out where that keeps it short
    (except the paths in ``keep``: fields whose comments should survive a save)."""
    full = scenario.model_dump(mode="python")
    short = scenario.model_dump(mode="python", exclude_defaults=True)
    data = _prune(full, short, set(keep), "")
    data["schema_version"] = scenario.schema_version
    data["name"] = scenario.name
    data["horizon_months"] = scenario.horizon_months
    if scenario.start_date is not None:   # a calendar month, written as the file says it
        data["start_date"] = month_text(scenario.start_date)
    order = list(Scenario.model_fields)
    data = {k: data[k] for k in order if k in data}
    for name, opt in scenario.options.items():
        data["options"][name] = _first(data["options"][name], "kind", opt.kind)
    if "traffic" in data:
        data["traffic"] = _first(data["traffic"], "calls_per_month",
                                 data["traffic"]["calls_per_month"])
    return data


def _first(d: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    """``d`` with ``key`` first (the spec's order), keeping its block style."""
    out = type(d)({key: value})
    out.update((k, v) for k, v in d.items() if k != key)
    return out


def _prune(full: Any, short: Any, keep: set[str], path: str) -> Any:
    """``short`` (non-defaults only), plus the values of ``full`` at kept paths, in the
    order of ``full``."""
    if not isinstance(full, dict):
        return short if short is not None else full
    out: dict[str, Any] = {}
    short = short if isinstance(short, dict) else {}
    for key, value in full.items():
        sub = f"{path}.{key}" if path else str(key)
        wanted = sub in keep or any(k.startswith(sub + ".") for k in keep)
        if key in short:
            out[key] = _prune(value, short[key], keep, sub)
        elif wanted and value is not None and value != {}:
            out[key] = _prune(value, None, keep, sub) if isinstance(value, dict) else value
    inner = any(k.startswith(path + ".") and k.count(".") > path.count(".") for k in keep)
    if path and inner and isinstance(out, dict) and not _ranged(out):
        return _Block(out)    # on one line, its keys' comments would all end up at its end
    return out


def _ranged(d: dict[str, Any]) -> bool:
    return set(d) <= {"low", "likely", "high", "distribution"} and "likely" in d


def dumps_scenario(scenario: Scenario, comments: Any = None) -> str:
    """YAML text that loads back to exactly the same scenario; with ``comments`` (from
    :func:`calculator.model.comments.comments_of`), the file's comments of every field that
    still exists, written where they were (a commented field keeps its line even at its
    default value)."""
    keep = {p for p in comments if p} if comments else set()
    text = yaml.dump(to_data(scenario, keep), Dumper=_Dumper, sort_keys=False,
                     allow_unicode=True, width=100)
    if comments:
        from .comments import with_comments

        return with_comments(text, comments, scenario)
    return text


def month_text(day: _dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"
