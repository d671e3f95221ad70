"""The scenario format's reference table, generated from the models themselves.

The README embeds this table; a test checks that it is current, so the docs can never
drift from the code.
"""

from __future__ import annotations

import typing
from typing import Any

from pydantic import BaseModel

from .numbers import Bounds, fmt
from .scenario import (
    CatalogRef,
    Data,
    GenAIOption,
    InHouseOption,
    OptionBase,
    Quality,
    Retraining,
    RulesOption,
    Scenario,
    Setup,
    Tier,
    Traffic,
    VendorOption,
)

_SECTIONS: list[tuple[str, type[BaseModel], set[str]]] = [
    ("top level", Scenario, {"traffic", "team", "quality", "options"}),
    ("traffic", Traffic, set()),
    ("quality", Quality, set()),
    ("options.NAME (every kind)", OptionBase, set()),
    ("options.NAME.setup / retraining.team_months", Setup, set()),
    ("kind: rules", RulesOption, set(OptionBase.model_fields) | {"kind"}),
    ("kind: vendor_api", VendorOption, set(OptionBase.model_fields) | {"kind"}),
    ("tiers[]", Tier, set()),
    ("kind: genai_api", GenAIOption, set(OptionBase.model_fields) | {"kind"}),
    ("catalog", CatalogRef, set()),
    ("kind: in_house", InHouseOption, set(OptionBase.model_fields) | {"kind"}),
    ("retraining", Retraining, set()),
    ("data", Data, set()),
]


def _n(x: float) -> str:
    return f"{x:,.0f}" if abs(x) >= 1e5 else fmt(x)


def _limits(ge: Any, gt: Any, le: Any, lt: Any) -> str:
    parts = []
    for sign, v in ((">=", ge), (">", gt), ("<=", le), ("<", lt)):
        if v is not None:
            parts.append(f"{sign} {_n(v)}")
    return " and ".join(parts)


def _bounds(field: Any) -> str:
    found: dict[str, Any] = {"ge": None, "gt": None, "le": None, "lt": None}
    for meta in field.metadata:
        b = getattr(getattr(meta, "func", None), "__self__", None)
        if isinstance(b, Bounds):
            kind = "whole number" if b.integer else "number"
            rng = ", or a range" if b.ranged else ""
            return f"{kind} {_limits(b.ge, b.gt, b.le, b.lt)}{rng}".strip()
        for key in found:
            if getattr(meta, key, None) is not None:
                found[key] = getattr(meta, key)
    ann = field.annotation
    if any(v is not None for v in found.values()):
        kind = "whole number" if ann is int else "number"
        return f"{kind} {_limits(**found)}"
    args = [a for a in typing.get_args(ann) if a is not type(None)]
    for a in [ann, *args]:
        if typing.get_origin(a) is typing.Literal:
            return " / ".join(typing.get_args(a))
    if typing.get_origin(ann) is dict:
        return "role: number"
    if typing.get_origin(ann) is list or any(typing.get_origin(a) is list for a in args):
        return "list"
    if ann is str or str in args:
        return "text"
    if ann is bool:
        return "true / false"
    if "date" in str(ann):
        return "date (YYYY-MM-DD)"
    return "group"


def _default(field: Any) -> str:
    if field.is_required():
        return "**required**"
    if field.default_factory is not None:
        return "empty"
    d = field.default
    if d is None:
        return "none"
    if isinstance(d, bool):
        return str(d).lower()
    if isinstance(d, str):
        return f"`{d}`" if d else "empty"
    return fmt(d)


def table() -> str:
    """Markdown: one table per section with field, default, values and meaning."""
    out = []
    for title, model, skip in _SECTIONS:
        out += [f"**{title}**", "", "| field | default | values | meaning |", "|---|---|---|---|"]
        for name, field in model.model_fields.items():
            if name in skip or name == "kind":
                continue
            doc = (field.description or "").replace("|", "/").replace("\n", " ")
            out.append(f"| `{name}` | {_default(field)} | {_bounds(field)} | {doc} |")
        out.append("")
    return "\n".join(out)
