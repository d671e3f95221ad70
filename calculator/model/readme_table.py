"""Writes the README's table of every scenario field, from the field registry.

The README embeds :func:`table`; a test checks that it is current, so the docs can never
drift from the code (``python scripts/update_readme_fields.py`` rewrites it).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from .option_blocks import (
    CatalogRef,
    Data,
    NodeCatalogRef,
    OptionBase,
    OptionCommon,
    Retraining,
    Setup,
    Tier,
)
from .options import GenAIOption, HybridOption, InHouseOption, RulesOption, VendorOption
from .registry import UNITS, FieldSpec, fields_of
from .scenario import Quality, Scenario, Traffic
from .wording import number

_BASE = {f.name for f in fields_of(OptionBase)}
_SECTIONS: list[tuple[str, type[BaseModel], set[str]]] = [
    ("top level", Scenario, set()),
    ("traffic", Traffic, set()),
    ("quality", Quality, set()),
    ("options.NAME (every kind but hybrid)", OptionBase, set()),
    ("options.NAME.setup", Setup, set()),
    ("kind: rules", RulesOption, _BASE),
    ("kind: vendor_api", VendorOption, _BASE),
    ("tiers[]", Tier, set()),
    ("kind: genai_api", GenAIOption, _BASE),
    ("catalog", CatalogRef, set()),
    ("kind: in_house", InHouseOption, _BASE),
    ("node_catalog", NodeCatalogRef, set()),
    ("retraining", Retraining, set()),
    ("data", Data, set()),
    ("kind: hybrid", HybridOption, {f.name for f in fields_of(OptionCommon)}),
]


def _n(x: float) -> str:
    return number(x) if abs(x) < 1e5 else f"{x:,.0f}" if abs(x) < 1e13 else f"{x:.0e}"


def _limits(f: FieldSpec) -> str:
    b = f.bounds
    assert b is not None
    parts = [f"{sign} {_n(v)}" for sign, v in ((">=", b.ge), (">", b.gt), ("<=", b.le),
                                                ("<", b.lt)) if v is not None]
    if b.positive_min is not None:
        parts.append(f"(0, or at least {_n(b.positive_min)})")
    return " and ".join(parts)


def _values(f: FieldSpec) -> str:
    if f.structure == "roles":
        return f"role: {_values_of_number(f)}"
    if f.structure == "series":
        return f"list of {_values_of_number(f)}"
    if f.structure == "list":
        return "list of groups"
    if f.structure in ("group", "options"):
        return "group"
    if f.choices:
        return " / ".join(f.choices)
    if f.bounds is not None:
        return _values_of_number(f)
    if f.unit == "flag":
        return "true / false"
    if f.unit in ("date", "month_date"):
        return "date (YYYY-MM-DD)" if f.unit == "date" else "month (YYYY-MM)"
    if f.unit == "name":
        return "option name"
    rule = f.text_rule
    return f"text (at most {rule.max_length} characters)" if rule else "text"


def _values_of_number(f: FieldSpec) -> str:
    assert f.bounds is not None
    kind = "whole number" if f.integer else "number"
    rng = ", or a range" if f.ranged else ""
    return f"{kind} {_limits(f)}{rng}".strip()


def _default(f: FieldSpec) -> str:
    if f.required:
        return "**required**"
    d: Any = f.default
    if d is None or d == {} or d == "":
        return "none" if d is None else "empty"
    if isinstance(d, BaseModel):
        return "empty"
    if isinstance(d, bool):
        return str(d).lower()
    if isinstance(d, str):
        return f"`{d}`"
    return number(d)


def table() -> str:
    """Markdown: one table per section with field, default, values, unit and meaning."""
    out = []
    for title, model, skip in _SECTIONS:
        out += [f"**{title}**", "", "| field | default | values | unit | meaning |",
                "|---|---|---|---|---|"]
        for f in fields_of(model):
            if f.name in skip:
                continue
            unit = "" if f.unit in ("group", "text", "choice", "flag", "name") else UNITS[f.unit]
            meaning = f"{f.label}. {f.help}".replace("|", "/").replace("\n", " ")
            out.append(f"| `{f.name}` | {_default(f)} | {_values(f)} | {unit} | {meaning} |")
        out.append("")
    return "\n".join(out)
