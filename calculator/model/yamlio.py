"""The one safe door for scenario files: bytes in, a validated Scenario or a ScenarioError out.

Safety rules, all enforced before or while parsing:
- at most ``MAX_BYTES`` (1 MiB); UTF-8 only (a leading BOM is dropped); no NUL bytes;
- one document, a mapping at the top; no anchors or aliases (no alias bombs); no tags
  other than the plain scalar/list/map ones; nesting at most ``MAX_DEPTH`` deep;
- duplicate keys are errors;
- YAML 1.1 surprises never pass as numbers or booleans: only ``true``/``false`` are
  booleans; ``no``, ``on``, ``1:10`` and ``012`` stay text (and a number field refuses
  text with a clear message); ``1e3`` and ``2_000_000`` are numbers.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .errors import ScenarioError
from .numbers import fmt
from .scenario import KINDS, GenAIOption, InHouseOption, RulesOption, Scenario, VendorOption

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 12

_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^[-+]?(?:0|[1-9](?:_?[0-9])*)$")
_FLOAT = re.compile(
    r"^[-+]?(?:(?:0|[1-9](?:_?[0-9])*)(?:\.(?:[0-9](?:_?[0-9])*)?)?|\.[0-9](?:_?[0-9])*)"
    r"(?:[eE][-+]?[0-9]+)?$|^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$")
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


class _Resolver(yaml.resolver.BaseResolver):
    """Plain scalars resolve to str, except the few shapes listed above."""


_Resolver.yaml_implicit_resolvers = {}


class _Loader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser,
              yaml.composer.Composer, _Resolver):
    def __init__(self, stream: str):
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _Resolver.__init__(self)

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise ScenarioError(f"anchors and aliases (& and *) are not allowed in a scenario "
                                f"file (line {event.start_mark.line + 1})")
        return super().compose_node(parent, index)


_STR = "tag:yaml.org,2002:str"


def _scalar(node: yaml.ScalarNode, path: str) -> Any:
    if node.tag != _STR:
        raise ScenarioError(f"{path or 'file'}: tags like {node.tag} are not allowed "
                            f"(line {node.start_mark.line + 1})")
    text = node.value
    if node.style is not None:  # quoted or block text is always text
        return text
    # A plain scalar: resolved by our own narrow rules, never YAML 1.1's.
    if _BOOL.match(text):
        return text.lower() == "true"
    if _NULL.match(text):
        return None
    if _INT.match(text):
        return int(text.replace("_", ""))
    if _FLOAT.match(text):
        low = text.lower().replace("_", "")
        if low.endswith("nan"):
            return float("nan")
        if low.endswith("inf"):
            return float("-inf") if low.startswith("-") else float("inf")
        return float(low)
    if _DATE.match(text):
        try:
            return _dt.date.fromisoformat(text)
        except ValueError:
            return text
    return text


def _build(node: yaml.Node, path: str, depth: int, lines: dict[str, int]) -> Any:
    if depth > MAX_DEPTH:
        raise ScenarioError(f"{path or 'file'}: nested more than {MAX_DEPTH} levels deep "
                            f"(line {node.start_mark.line + 1})")
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node, path)
    if node.tag not in ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
        raise ScenarioError(f"{path or 'file'}: tags like {node.tag} are not allowed "
                            f"(line {node.start_mark.line + 1})")
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, f"{path}.{i}" if path else str(i), depth + 1, lines)
                for i, item in enumerate(node.value)]
    out: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise ScenarioError(f"{path or 'file'}: keys must be plain names "
                                f"(line {key_node.start_mark.line + 1})")
        key = key_node.value
        if key == "<<":
            raise ScenarioError(f"{path or 'file'}: merge keys (<<) are not allowed "
                                f"(line {key_node.start_mark.line + 1})")
        sub = f"{path}.{key}" if path else key
        if key in out:
            raise ScenarioError(f"{sub}: the key appears twice (line "
                                f"{key_node.start_mark.line + 1}, first at line "
                                f"{lines.get(sub, '?')})")
        lines[sub] = key_node.start_mark.line + 1
        out[key] = _build(value_node, sub, depth + 1, lines)
    return out


def parse_yaml(data: bytes | str) -> tuple[dict[str, Any], dict[str, int]]:
    """Safe-parse one scenario document into plain data and a path -> line map."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    if len(data) > MAX_BYTES:
        raise ScenarioError(f"the file is {len(data):,} bytes; a scenario file may be at most "
                            f"{MAX_BYTES:,} bytes (1 MiB)")
    if b"\x00" in data:
        raise ScenarioError("the file contains a NUL byte; it is not a text scenario file")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"the file is not UTF-8 text (bad byte at position {exc.start}); "
                            "save it as UTF-8") from None
    if not text.strip():
        raise ScenarioError("the file is empty; a scenario needs at least schema_version, "
                            "name, horizon_months, traffic and options")
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except ScenarioError:
        raise
    except yaml.composer.ComposerError as exc:
        if "single document" in str(exc):
            raise ScenarioError("the file holds several YAML documents (---); a scenario is "
                                "one document") from None
        raise ScenarioError(f"the file is not valid YAML: {_yaml_reason(exc)}") from None
    except yaml.YAMLError as exc:
        raise ScenarioError(f"the file is not valid YAML: {_yaml_reason(exc)}") from None
    except RecursionError:
        raise ScenarioError(f"the file is nested too deeply (more than {MAX_DEPTH} levels)") from None
    if node is None:
        raise ScenarioError("the file is empty; a scenario needs at least schema_version, "
                            "name, horizon_months, traffic and options")
    if node.tag not in ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", _STR):
        raise ScenarioError(f"tags like {node.tag} are not allowed in a scenario file "
                            f"(line {node.start_mark.line + 1})")
    if not isinstance(node, yaml.MappingNode):
        raise ScenarioError("the file must be a mapping of keys (schema_version: 1, name: ...), "
                            "not a list or a single value")
    lines: dict[str, int] = {}
    try:
        raw = _build(node, "", 0, lines)
    except RecursionError:
        raise ScenarioError(f"the file is nested too deeply (more than {MAX_DEPTH} levels)") from None
    return raw, lines


def _yaml_reason(exc: yaml.YAMLError) -> str:
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    mark = getattr(exc, "problem_mark", None)
    return f"{problem} (line {mark.line + 1})" if mark is not None else str(problem)


def loads_scenario(data: bytes | str) -> Scenario:
    """Parse and validate scenario YAML (bytes or text)."""
    raw, lines = parse_yaml(data)
    return validate(raw, lines)


def load_scenario(path: str | Path) -> Scenario:
    """Read a scenario file; refuses files over 1 MiB before reading them."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise ScenarioError(f"{p.name}: the file is {size:,} bytes; a scenario file may be "
                                f"at most {MAX_BYTES:,} bytes (1 MiB)")
        with p.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ScenarioError(f"{p.name}: cannot read the file ({exc.strerror or exc})") from None
    return loads_scenario(data)


def validate(raw: Any, lines: dict[str, int] | None = None) -> Scenario:
    """Validate plain data (from YAML, JSON or the app's widgets) into a Scenario."""
    lines = lines or {}
    if not isinstance(raw, dict):
        raise ScenarioError("a scenario must be a mapping of keys, not a list or a single value")
    try:
        return Scenario.model_validate(raw)
    except ValidationError as exc:
        problems = [_translate(dict(err), raw, lines) for err in exc.errors(include_url=False)]
        raise ScenarioError(list(dict.fromkeys(problems))) from None


# --- turning pydantic's errors into a product manager's sentences -------------------------

_KIND_MODELS: dict[str, type[BaseModel]] = {"rules": RulesOption, "vendor_api": VendorOption, "genai_api": GenAIOption,
                "in_house": InHouseOption}


def _path_of(loc: tuple[Any, ...]) -> list[str]:
    parts = [str(p) for p in loc]
    # a discriminated union puts the kind into the path: options.llm.genai_api.tiers
    out = []
    for i, p in enumerate(parts):
        if i >= 2 and parts[0] == "options" and i == 2 and p in KINDS:
            continue
        out.append(p)
    return out


def _lookup(raw: Any, parts: list[str]) -> Any:
    cur = raw
    for p in parts:
        if isinstance(cur, dict) and p in cur:
            cur = cur[p]
        elif isinstance(cur, list) and p.isdigit() and int(p) < len(cur):
            cur = cur[int(p)]
        else:
            return None
    return cur


def _line(lines: dict[str, int], parts: list[str]) -> str:
    for n in range(len(parts), -1, -1):
        key = ".".join(parts[:n])
        if key in lines and (n or key):
            return f" (line {lines[key]})"
    return ""


def _fields_of(parts: list[str], raw: Any) -> list[str]:
    from .scenario import Data, Quality, Retraining, Setup, Tier, Traffic

    parent = parts[:-1]
    if not parent:
        return list(Scenario.model_fields)
    head = parent[0]
    if head == "traffic" and len(parent) == 1:
        return list(Traffic.model_fields)
    if head == "quality" and len(parent) == 1:
        return list(Quality.model_fields)
    if head == "options" and len(parent) >= 2:
        kind = _lookup(raw, parent[:2] + ["kind"])
        model = _KIND_MODELS.get(kind) if isinstance(kind, str) else None
        tail = parent[2:]
        if not tail:
            return list(model.model_fields) if model else ["kind"]
        subs: dict[str, type[BaseModel]] = {"setup": Setup, "retraining": Retraining,
                                            "data": Data, "tiers": Tier}
        sub = subs.get(tail[0])
        return list(sub.model_fields) if sub else []
    return []


def _translate(err: dict[str, Any], raw: Any, lines: dict[str, int]) -> str:
    ctx = err.get("ctx") or {}
    parts = _path_of(err["loc"])
    if err["type"] == "scenario_at":
        parts = str(ctx["path"]).split(".")
        return f"{'.'.join(parts)}: {err['msg']}{_line(lines, parts)}"
    path = ".".join(parts) or "file"
    where = _line(lines, parts)
    kind = err["type"]
    value = err.get("input")
    if parts == ["schema_version"] and kind in ("less_than_equal", "greater_than_equal"):
        return (f"{path}: {_show(value)} is not supported; this version reads "
                f"schema_version 1{where}")
    if kind == "extra_forbidden":
        key = parts[-1] if parts else ""
        known = _fields_of(parts, raw)
        owner = _kind_owning(key, parts, raw)
        if owner:
            return f"{path}: {owner}{where}"
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return f"{path}: unknown key{hint}{where}"
    if kind == "missing":
        return f"{path}: is required{where}"
    if kind == "union_tag_invalid" or kind == "union_tag_not_found":
        got = _lookup(raw, parts + ["kind"])
        if got is None:
            return f"{path}.kind: is required (one of {', '.join(KINDS)}){where}"
        return f"{path}.kind: {got!r} is not a kind; use one of {', '.join(KINDS)}{where}"
    if kind == "literal_error":
        return f"{path}: {_show(value)} is not one of {ctx.get('expected', '')}{where}"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        limit = next(iter(ctx.values()), "?")
        word = {"greater_than_equal": "below the minimum", "less_than_equal":
                "above the maximum", "greater_than": "must be above", "less_than":
                "must be below"}[kind]
        verb = "is " if word.startswith(("below", "above")) else ""
        return f"{path}: {_show(value)} {verb}{word} {fmt(limit)}{where}"
    if kind in ("int_type", "int_from_float", "int_parsing"):
        if isinstance(value, float):
            return f"{path}: {value!r} must be a whole number{where}"
        return f"{path}: expected a whole number, got {_show(value, text=True)}{where}"
    if kind in ("float_type", "float_parsing", "finite_number"):
        return f"{path}: {_show(value)} is not a finite number{where}"
    if kind in ("string_type",):
        return f"{path}: expected text, got {_show(value)}{where}"
    if kind in ("bool_type", "bool_parsing"):
        return f"{path}: expected true or false, got {_show(value)}{where}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"{path}: expected a group of keys, got {_show(value)}{where}"
    if kind in ("list_type",):
        return f"{path}: expected a list, got {_show(value)}{where}"
    if kind in ("too_short", "too_long"):
        return f"{path}: {err['msg'].lower()}{where}"
    if kind == "string_too_short":
        return f"{path}: must not be empty{where}"
    if kind == "string_too_long":
        return f"{path}: is too long (at most {ctx.get('max_length')} characters){where}"
    msg = err["msg"]
    if kind == "scenario" and isinstance(value, int | float) and not isinstance(value, bool):
        return f"{path}: {msg}{where}"
    return f"{path}: {msg}{where}"


def _show(value: Any, text: bool = False) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return f"the text {value[:60]!r}" if text else repr(value[:60])
    if isinstance(value, dict):
        return "a group of keys"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    return fmt(value)


def _kind_owning(key: str, parts: list[str], raw: Any) -> str | None:
    """'tiers is used by vendor_api options, not genai_api' when the key is another kind's."""
    if len(parts) != 3 or parts[0] != "options":
        return None
    kind = _lookup(raw, parts[:2] + ["kind"])
    owners = [k for k, m in _KIND_MODELS.items() if key in m.model_fields and k != kind]
    if kind in _KIND_MODELS and owners:
        return f"{key} is not used by a {kind} option (it belongs to {', '.join(owners)})"
    return None


# --- writing ------------------------------------------------------------------------------

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
    order = list(Scenario.model_fields)
    data = {k: data[k] for k in order if k in data}
    for name, opt in scenario.options.items():
        data["options"][name] = {"kind": opt.kind} | {
            k: v for k, v in data["options"][name].items() if k != "kind"}
    if "traffic" in data:
        data["traffic"] = {"calls_per_month": data["traffic"].pop("calls_per_month")} | data["traffic"]
    return data


def dumps_scenario(scenario: Scenario) -> str:
    """YAML text that loads back to exactly the same scenario."""
    return yaml.dump(to_data(scenario), Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     width=100)
