"""The one safe door for scenario files: bytes in, a validated Scenario or a ScenarioError out.

Safety rules, all enforced before or while parsing:
- at most ``MAX_BYTES`` (1 MiB); UTF-8 only (a leading BOM is dropped); no NUL bytes;
- one document, a mapping at the top; no anchors or aliases (no alias bombs); no tags
  other than the plain scalar/list/map ones; nesting at most ``MAX_DEPTH`` deep;
- at most ``MAX_ITEMS`` entries in any list or mapping, refused while parsing, so an
  oversized list costs no validation or engine work;
- duplicate keys are errors;
- YAML 1.1 surprises never pass as numbers or booleans: only ``true``/``false`` are
  booleans; ``no``, ``on``, ``1:10`` and ``012`` stay text (and a number field refuses
  text with a clear message); ``1e3`` and ``2_000_000`` are numbers; a whole number too
  long to be one (over 30 digits) is kept as a float and refused by its bound.

Every problem is a :class:`~calculator.model.errors.Problem` with its scenario path, its
message and its line.
"""

from __future__ import annotations

import datetime as _dt
import difflib
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .errors import Problem, ScenarioError
from .numbers import fmt
from .options import KIND_MODELS, KINDS
from .registry import fields_of
from .scenario import MAX_MONTHS, Scenario

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 12
MAX_ITEMS = MAX_MONTHS
"""No list or mapping of a scenario needs more entries than the longest horizon."""

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


def _fail(message: str, node: Any = None, path: str = "") -> ScenarioError:
    line = node.start_mark.line + 1 if node is not None else None
    return ScenarioError([Problem(path, message, line)])


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
            raise _fail("anchors and aliases (& and *) are not allowed in a scenario file",
                        event)
        return super().compose_node(parent, index)

    def compose_sequence_node(self, anchor: Any) -> Any:
        # PyYAML's own, counting: a 500,000-item list is refused at item MAX_ITEMS + 1
        start = self.get_event()
        tag = start.tag
        if tag is None or tag == "!":
            tag = self.resolve(yaml.SequenceNode, None, start.implicit)
        node = yaml.SequenceNode(tag, [], start.start_mark, None, flow_style=start.flow_style)
        while not self.check_event(yaml.SequenceEndEvent):
            if len(node.value) >= MAX_ITEMS:
                raise _fail(f"a list has more than {MAX_ITEMS} entries; no scenario list needs "
                            f"more (one value per month of at most {MAX_MONTHS} months)", node)
            node.value.append(self.compose_node(node, len(node.value)))
        node.end_mark = self.get_event().end_mark
        return node

    def compose_mapping_node(self, anchor: Any) -> Any:
        start = self.get_event()
        tag = start.tag
        if tag is None or tag == "!":
            tag = self.resolve(yaml.MappingNode, None, start.implicit)
        node = yaml.MappingNode(tag, [], start.start_mark, None, flow_style=start.flow_style)
        while not self.check_event(yaml.MappingEndEvent):
            if len(node.value) >= MAX_ITEMS:
                raise _fail(f"a group has more than {MAX_ITEMS} keys", node)
            key = self.compose_node(node, None)
            node.value.append((key, self.compose_node(node, key)))
        node.end_mark = self.get_event().end_mark
        return node


_STR = "tag:yaml.org,2002:str"


def _scalar(node: yaml.ScalarNode, path: str) -> Any:
    if node.tag != _STR:
        raise _fail(f"tags like {node.tag} are not allowed", node, path)
    text = node.value
    if node.style is not None:  # quoted or block text is always text
        return text
    # A plain scalar: resolved by our own narrow rules, never YAML 1.1's.
    if _BOOL.match(text):
        return text.lower() == "true"
    if _NULL.match(text):
        return None
    if _INT.match(text):
        digits = text.replace("_", "")
        # int() of a few thousand digits is slow or refused: far beyond every bound anyway
        return int(digits) if len(digits.lstrip("+-")) <= 30 else float(digits)
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
        raise _fail(f"nested more than {MAX_DEPTH} levels deep", node, path)
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node, path)
    if node.tag not in ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
        raise _fail(f"tags like {node.tag} are not allowed", node, path)
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, f"{path}.{i}" if path else str(i), depth + 1, lines)
                for i, item in enumerate(node.value)]
    out: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise _fail("keys must be plain names", key_node, path)
        key = key_node.value
        if key == "<<":
            raise _fail("merge keys (<<) are not allowed", key_node, path)
        sub = f"{path}.{key}" if path else key
        if key in out:
            raise ScenarioError([Problem(sub, f"the key appears twice; it is first at line "
                                         f"{lines.get(sub, '?')}", key_node.start_mark.line + 1)])
        lines[sub] = key_node.start_mark.line + 1
        out[key] = _build(value_node, sub, depth + 1, lines)
    return out


def parse_yaml(data: bytes | str) -> tuple[dict[str, Any], dict[str, int]]:
    """Safe-parse one scenario document into plain data and a path -> line map."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    if len(data) > MAX_BYTES:
        raise _fail(f"the file is {len(data):,} bytes; a scenario file may be at most "
                    f"{MAX_BYTES:,} bytes (1 MiB)")
    if b"\x00" in data:
        raise _fail("the file contains a NUL byte; it is not a text scenario file")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _fail(f"the file is not UTF-8 text (bad byte at position {exc.start}); save it "
                    "as UTF-8") from None
    empty = ("the file is empty; a scenario needs at least schema_version, name, "
             "horizon_months, traffic and options")
    if not text.strip():
        raise _fail(empty)
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
            raise _fail("the file holds several YAML documents (---); a scenario is one "
                        "document") from None
        raise _yaml_error(exc) from None
    except yaml.YAMLError as exc:
        raise _yaml_error(exc) from None
    except RecursionError:
        raise _fail(f"the file is nested too deeply (more than {MAX_DEPTH} levels)") from None
    if node is None:
        raise _fail(empty)
    if node.tag not in ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", _STR):
        raise _fail(f"tags like {node.tag} are not allowed in a scenario file", node)
    if not isinstance(node, yaml.MappingNode):
        raise _fail("the file must be a mapping of keys (schema_version: 1, name: ...), not a "
                    "list or a single value")
    lines: dict[str, int] = {}
    try:
        raw = _build(node, "", 0, lines)
    except RecursionError:
        raise _fail(f"the file is nested too deeply (more than {MAX_DEPTH} levels)") from None
    return raw, lines


def _yaml_error(exc: yaml.YAMLError) -> ScenarioError:
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    return ScenarioError([Problem("", f"the file is not valid YAML: {problem}", line)])


def loads_scenario(data: bytes | str) -> Scenario:
    """Parse and validate scenario YAML (bytes or text)."""
    raw, lines = parse_yaml(data)
    return validate(raw, lines)


def read_file(path: str | Path) -> bytes:
    """A scenario file's bytes; refuses files over 1 MiB before reading them."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise _fail(f"{p.name}: the file is {size:,} bytes; a scenario file may be at most "
                        f"{MAX_BYTES:,} bytes (1 MiB)")
        with p.open("rb") as fh:
            return fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise _fail(f"{p.name}: cannot read the file ({exc.strerror or exc})") from None


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file."""
    return loads_scenario(read_file(path))


def validate(raw: Any, lines: dict[str, int] | None = None) -> Scenario:
    """Validate plain data (from YAML, JSON or the app's widgets) into a Scenario."""
    lines = lines or {}
    if not isinstance(raw, dict):
        raise _fail("a scenario must be a mapping of keys, not a list or a single value")
    try:
        return Scenario.model_validate(raw)
    except ValidationError as exc:
        problems = [p for err in exc.errors(include_url=False)
                    for p in _translate(dict(err), raw, lines)]
        raise ScenarioError(list(dict.fromkeys(problems))) from None


# --- turning pydantic's errors into a product manager's sentences -------------------------

def _path_of(loc: tuple[Any, ...]) -> list[str]:
    parts = [str(p) for p in loc]
    # a discriminated union puts the kind into the path: options.llm.genai_api.tiers;
    # a number-or-range union puts the branch name in: ...function-plain[validate()]
    return [p for i, p in enumerate(parts)
            if not (parts[0] == "options" and i == 2 and p in KINDS) and "[" not in p]


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


def _line(lines: dict[str, int], parts: list[str]) -> int | None:
    for n in range(len(parts), 0, -1):
        key = ".".join(parts[:n])
        if key in lines:
            return lines[key]
    return None


def _model_at(parts: list[str], raw: Any) -> type[BaseModel] | None:
    """The model whose fields a path's last part names (for "did you mean")."""
    model: type[BaseModel] = Scenario
    i = 0
    while i < len(parts) - 1:
        spec = next((f for f in fields_of(model) if f.name == parts[i]), None)
        if spec is None:
            return None
        if spec.structure == "options":
            kind = _lookup(raw, parts[: i + 2] + ["kind"])
            found = KIND_MODELS.get(kind) if isinstance(kind, str) else None
            if found is None:
                return None
            model, i = found, i + 2
        elif spec.structure == "list" and spec.model is not None:
            model, i = spec.model, i + 2
        elif spec.model is not None:
            model, i = spec.model, i + 1
        else:
            return None
    return model


def _translate(err: dict[str, Any], raw: Any, lines: dict[str, int]) -> list[Problem]:
    ctx = err.get("ctx") or {}
    parts = _path_of(err["loc"])
    if err["type"] == "scenario_many":   # the scenario's cross-field rules, all at once
        return [Problem(path, msg, _line(lines, path.split(".")))
                for path, msg in ctx["problems"]]
    if err["type"] == "scenario_at":
        if "path" in ctx:
            parts = str(ctx["path"]).split(".")
        else:  # a rule of one block names a field of that block
            parts = parts + str(ctx["field"]).split(".")
        return [Problem(".".join(parts), err["msg"], _line(lines, parts))]
    message = _message(err, parts, raw, ctx)
    if err["type"] in ("union_tag_invalid", "union_tag_not_found"):
        parts = parts + ["kind"]
    return [Problem(".".join(parts), message, _line(lines, parts))]


def _message(err: dict[str, Any], parts: list[str], raw: Any, ctx: dict[str, Any]) -> str:
    kind = err["type"]
    value = err.get("input")
    if parts == ["schema_version"] and kind == "scenario" and isinstance(value, int):
        return f"{_show(value)} is not supported; this version reads schema_version 1"
    if kind == "extra_forbidden":
        key = parts[-1] if parts else ""
        owner = _kind_owning(key, parts, raw)
        if owner:
            return owner
        model = _model_at(parts, raw)
        known = [f.name for f in fields_of(model)] if model else []
        close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
        return "unknown key" + (f"; did you mean {close[0]!r}?" if close else "")
    if kind == "missing":
        return "is required"
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        got = _lookup(raw, parts + ["kind"])
        if got is None:
            return f"is required (one of {', '.join(KINDS)})"
        return f"{_show(got)} is not a kind; use one of {', '.join(KINDS)}"
    if kind == "literal_error":
        return f"{_show(value)} is not one of {ctx.get('expected', '')}"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, got {_show(value)}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a group of keys, got {_show(value)}"
    if kind in ("list_type",):
        return f"expected a list, got {_show(value)}"
    if kind == "too_long":
        return f"has {ctx.get('actual_length')} entries; at most {ctx.get('max_length')}"
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length')} entries"
    return str(err["msg"])


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return repr(value[:60])
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
    owners = [k for k, m in KIND_MODELS.items() if key in m.model_fields and k != kind]
    if kind in KIND_MODELS and owners:
        return f"{key} is not used by a {kind} option (it belongs to {', '.join(owners)})"
    return None
