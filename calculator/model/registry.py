"""Every field of the scenario format declared once, with everything people and code need.

A field is declared in :mod:`calculator.model.scenario` (and ``options``) with its type
(bounds come from :func:`~calculator.model.numbers.num` / ``whole`` / :func:`text`) and
:func:`meta` (label, help, unit, widget step, group). Everything else is derived from
that one declaration through :func:`fields_of` and :func:`resolve`: the app's widgets
(their bounds are the model's, by construction), which fields a panel shows and in what
order, the README table, how exports and tornado labels format a value, the JSON Schema
(label -> ``title``, help -> ``description``, unit -> ``x-unit``).

>>> from calculator.model.scenario import Scenario
>>> spec = resolve("options.llm.batch_share", {"llm": "genai_api"})
>>> spec.label, spec.unit, spec.bounds.low, spec.bounds.high, spec.default
('Share of calls sent as batch', 'share', 0, 1, 0.0)
>>> [f.name for f in fields_of(Scenario)][:4]
['schema_version', 'name', 'description', 'currency']
"""

from __future__ import annotations

import re
import types
import typing
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError, PydanticUndefined

from .numbers import Bounds, Range, annotated, bounds_of

UNITS: dict[str, str] = {
    "money": "money in the scenario's currency",
    "share": "a share from 0 to 1",
    "change": "a yearly change as a fraction (-0.2 = 20 % less a year)",
    "growth": "a monthly change as a fraction (0.02 = +2 % a month)",
    "rate": "a yearly rate as a fraction",
    "calls": "calls (predictions) a month",
    "fte": "full-time people",
    "fte_months": "person-months",
    "months": "a number of months",
    "month": "a month of the horizon (1 = the first)",
    "tokens": "tokens",
    "units": "billing units",
    "labels": "labelled examples",
    "ratio": "a ratio",
    "hours": "hours",
    "per_second": "a rate per second",
    "count": "a count",
    "date": "a date (YYYY-MM-DD)",
    "month_date": "a calendar month (YYYY-MM)",
    "text": "text",
    "name": "an option's name",
    "choice": "one of a few words",
    "flag": "true or false",
    "group": "a group of fields",
    "version": "a format version",
}
"""The units a field can have; formatting and widgets follow the unit."""


def meta(default: Any = PydanticUndefined, *, label: str, help: str, unit: str,
         step: float | None = None, group: str = "", advanced: bool = False,
         factory: Any = None, example: Any = None, when: tuple[str, str] | None = None) -> Any:
    """A pydantic ``Field`` carrying the field's label, help and unit (and, for the app, its
    widget step, the group it is drawn in, whether it sits under "more", the ``example``
    value a new option or block starts with when the field has no default, and ``when``:
    (sibling field, value) for a field that only applies then)."""
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}")
    extra: dict[str, Any] = {"x-unit": unit}
    if example is not None:
        extra["x-example"] = example
    if when is not None:
        extra["x-when"] = list(when)
    if step is not None:
        extra["x-step"] = step
    if group:
        extra["x-group"] = group
    if advanced:
        extra["x-advanced"] = True
    kw: dict[str, Any] = {"title": label, "description": help, "json_schema_extra": extra}
    if factory is not None:
        return Field(default_factory=factory, **kw)
    return Field(default, **kw)


# -- text -----------------------------------------------------------------------------------

_BIDI = set("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _bad_char(ch: str, multiline: bool) -> bool:
    """C0 and C1 control characters, line and paragraph separators and bidirectional
    overrides: they move a terminal's cursor, fake lines, reorder what a reader sees or
    crash renderers. Newline and tab pass in multi-line text only."""
    if multiline and ch in "\n\t":
        return False
    return unicodedata.category(ch) in ("Cc", "Zl", "Zp") or ch in _BIDI


@dataclass(frozen=True)
class TextRule:
    min_length: int = 0
    max_length: int = 120
    multiline: bool = False
    pattern: str | None = None
    pattern_words: str = ""

    def validate(self, value: Any) -> str:
        if not isinstance(value, str):
            got = "nothing (null)" if value is None else (
                str(value).lower() if isinstance(value, bool) else f"{value!r}")
            raise PydanticCustomError("scenario", f"expected text, got {got}")
        bad = next((ch for ch in value if _bad_char(ch, self.multiline)), None)
        if bad is not None:
            where = "" if self.multiline else "; newlines and tabs belong in the description"
            raise PydanticCustomError(
                "scenario", f"contains the control character U+{ord(bad):04X}, which is not "
                f"allowed in text{where}")
        if len(value) < self.min_length:
            raise PydanticCustomError("scenario", "must not be empty")
        if len(value) > self.max_length:
            raise PydanticCustomError(
                "scenario", f"is too long ({len(value):,} characters; at most "
                f"{self.max_length:,})")
        if self.pattern and not re.fullmatch(self.pattern, value):
            raise PydanticCustomError("scenario", f"{value[:60]!r} {self.pattern_words}")
        return value

    def json_schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "string", "maxLength": self.max_length}
        if self.min_length:
            out["minLength"] = self.min_length
        if self.pattern:
            out["pattern"] = f"^{self.pattern}$"
        return out


def text(*, min_length: int = 0, max_length: int = 120, multiline: bool = False,
         pattern: str | None = None, pattern_words: str = "") -> Any:
    """A text field: no control characters (newline and tab only when ``multiline``)."""
    rule = TextRule(min_length, max_length, multiline, pattern, pattern_words)
    return Annotated[str, PlainValidator(rule.validate), WithJsonSchema(rule.json_schema()),
                     rule]


NAME_PATTERN = r"[a-z0-9_-]{1,40}"
NAME_WORDS = "is not a name: use 1 to 40 lowercase letters, digits, _ and -"
Name = text(min_length=1, max_length=40, pattern=NAME_PATTERN, pattern_words=NAME_WORDS)


def is_name(value: str) -> bool:
    """Whether ``value`` is a valid option or role name (a full match: no trailing newline)."""
    return isinstance(value, str) and re.fullmatch(NAME_PATTERN, value) is not None


# -- reading the declarations ---------------------------------------------------------------

Structure = Literal["value", "group", "roles", "list", "series", "options"]


@dataclass(frozen=True)
class FieldSpec:
    """One field as people and code need it."""

    name: str
    label: str
    help: str
    unit: str
    structure: Structure            # value, group (a nested block), roles (role -> number),
    required: bool                  # list (of blocks: tiers), series (of numbers), options
    default: Any                    # None when required or empty
    optional: bool                  # the value may be absent (None)
    bounds: Bounds | None = None    # numbers only
    choices: tuple[str, ...] = ()   # choice fields
    text_rule: TextRule | None = None
    model: type[BaseModel] | None = None   # the block's model for group and list
    step: float | None = None
    group: str = ""
    advanced: bool = False
    max_items: int | None = None
    example: Any = None             # the value a new option or block starts with
    when: tuple[str, str] | None = None   # (sibling field, value) it applies under

    @property
    def start(self) -> Any:
        """The value a new option or block starts with: the default, else the example."""
        return self.example if self.required or self.default is None else self.default

    @property
    def ranged(self) -> bool:
        """Whether the value may be a range {low, likely, high}."""
        return self.bounds is not None and self.bounds.ranged

    @property
    def integer(self) -> bool:
        return self.bounds is not None and self.bounds.integer


def _args(ann: Any) -> list[Any]:
    return [a for a in typing.get_args(ann) if a is not type(None)]


def _plain(ann: Any) -> Any:
    """The type without Annotated and None: float | Range stays a union of both."""
    if typing.get_origin(ann) is Annotated:
        return _plain(typing.get_args(ann)[0])
    args = _args(ann)
    if typing.get_origin(ann) in (typing.Union, types.UnionType) and len(args) == 1:
        return _plain(args[0])
    return ann


def _model_in(ann: Any) -> type[BaseModel] | None:
    ann = _plain(ann)
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return ann
    return None




def _choices(ann: Any) -> tuple[str, ...]:
    ann = _plain(ann)
    if typing.get_origin(ann) is Literal:
        return tuple(str(x) for x in typing.get_args(ann))
    return ()


def _structure(ann: Any) -> tuple[Structure, type[BaseModel] | None]:
    plain = _plain(ann)
    origin = typing.get_origin(plain)
    if origin is dict:
        value = typing.get_args(plain)[1]
        return ("roles", None) if bounds_of(value) is not None else ("options", None)
    if origin is list:
        inner = _model_in(typing.get_args(plain)[0])
        return ("list", inner) if inner is not None else ("series", None)
    model = _model_in(ann)
    if model is not None:
        return "group", model
    return "value", None


def _when(x: Any) -> tuple[str, str] | None:
    return (str(x[0]), str(x[1])) if isinstance(x, list | tuple) and len(x) == 2 else None


def _step(x: Any) -> float | None:
    return float(x) if isinstance(x, int | float) else None


def _meta(info: Any, kind: type) -> Any:
    """A marker pydantic moved out of a plain ``Annotated`` field into its metadata."""
    return next((m for m in info.metadata if isinstance(m, kind)), None)


@cache
def fields_of(model: type[BaseModel]) -> tuple[FieldSpec, ...]:
    """Every field of ``model`` in declaration order (the file's and the panels' order)."""
    out = []
    for name, info in model.model_fields.items():
        if name == "kind":
            continue
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        structure, sub = _structure(info.annotation)
        required = info.is_required()
        default = None
        if not required:
            default = info.get_default(call_default_factory=True)
        max_items = next((getattr(m, "max_length", None) for m in info.metadata
                          if getattr(m, "max_length", None) is not None), None)
        out.append(FieldSpec(
            name=name, label=info.title or name, help=info.description or "",
            unit=str(extra.get("x-unit", "text")), structure=structure, required=required,
            default=default, optional=not required and info.default is None,
            bounds=_meta(info, Bounds) or bounds_of(info.annotation),
            choices=_choices(info.annotation),
            text_rule=_meta(info, TextRule) or annotated(info.annotation, TextRule), model=sub,
            step=_step(extra.get("x-step")), group=str(extra.get("x-group", "")),
            advanced=bool(extra.get("x-advanced", False)), max_items=max_items,
            example=extra.get("x-example"),
            when=_when(extra.get("x-when"))))
    return tuple(out)


def field(model: type[BaseModel], name: str) -> FieldSpec:
    for f in fields_of(model):
        if f.name == name:
            return f
    raise KeyError(f"{model.__name__} has no field {name!r}")


def resolve(path: str, kinds: Mapping[str, str]) -> FieldSpec | None:
    """The spec of the value at a scenario path (``options.llm.tiers.0.price_per_1k_units``,
    ``team.ml_engineer``, ``options.model.build_team.ml_engineer``); ``kinds`` maps option
    names to kinds. None when the path names no value."""
    from .scenario import KIND_MODELS, Scenario

    parts = path.split(".")
    model: type[BaseModel] = Scenario
    i = 0
    while i < len(parts):
        try:
            spec = field(model, parts[i])
        except KeyError:
            return None
        rest = parts[i + 1:]
        if spec.structure == "value" or spec.structure == "series":
            return spec if not rest or (spec.structure == "series" and len(rest) == 1) else None
        if spec.structure == "roles":
            if len(rest) != 1:
                return spec if not rest else None
            return _role_value(spec)
        if spec.structure == "options":
            if len(rest) < 2 or rest[0] not in kinds:
                return None
            model, i = KIND_MODELS[kinds[rest[0]]], i + 2
            continue
        if spec.structure == "list":
            if len(rest) < 2 or not rest[0].isdigit():
                return None
            assert spec.model is not None
            model, i = spec.model, i + 2
            continue
        assert spec.model is not None
        model, i = spec.model, i + 1
    return None


def _role_value(spec: FieldSpec) -> FieldSpec:
    """The spec of one role's figure inside a role map (a rate, FTE or FTE-months)."""
    return FieldSpec(name=spec.name, label=spec.label, help=spec.help, unit=spec.unit,
                     structure="value", required=False, default=0.0, optional=False,
                     bounds=spec.bounds, step=spec.step, group=spec.group)


def likely_of(value: Any) -> Any:
    return value.likely if isinstance(value, Range) else value
