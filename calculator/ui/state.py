"""The UI state: a flat mapping from scenario paths to values (no streamlit here).

Widget keys are scenario paths (``traffic.calls_per_month``, ``options.llm.batch_share``,
``options.vision.tiers.1.price_per_1k_units``), so one dictionary is the widgets' state,
the YAML file and the share link. Both directions are one generic walk over the field
registry (:func:`calculator.model.fields_of`): :func:`flatten` writes a Scenario in,
:func:`collect` reads plain data back out for :func:`calculator.validate`, and the two are
inverse (a Hypothesis property checks Scenario -> state -> Scenario is the identity).

Keys besides the values:
- a range keeps its likely value at the path itself, and ``<path>.low``, ``<path>.high``,
  ``<path>.distribution`` with ``range:<path>`` = True;
- ``has:<path>`` switches an optional block on (retraining, data, catalog, node_catalog);
- ``mode:<option>.capacity`` is "rps" or "tokens" (an in-house node's capacity is given
  one way or the other);
- ``_shape`` holds the structure widgets cannot: option names and kinds in file order,
  roles, tier counts.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import MutableMapping
from typing import Any

from pydantic import BaseModel

from ..model import (
    KIND_MODELS,
    MAX_OPTIONS,
    FieldSpec,
    InHouseOption,
    Range,
    Scenario,
    VendorOption,
    fields_of,
    is_name,
)

State = MutableMapping[str, Any]
NONE = ""
"""What a select box holds for "nothing chosen" (a select box shows None as a blank)."""
PARTS = ("low", "high", "distribution")
ROLE_DEFAULT = 15_000.0
_PREFIXES = ("traffic.", "quality.", "team.", "options.", "has:", "range:", "mode:", "rename:",
             "panel:")
_TOP = {f.name for f in fields_of(Scenario)}


# -- writing a scenario in -----------------------------------------------------------------------

def _as_widget(spec: FieldSpec, value: Any) -> Any:
    """A value in its widget's type: ints for whole numbers, floats for the rest."""
    if value is None or isinstance(value, bool) or spec.bounds is None:
        return value
    return int(value) if spec.integer else float(value)


def put_value(out: dict[str, Any], path: str, spec: FieldSpec, value: Any) -> None:
    if isinstance(value, Range):
        out[path] = _as_widget(spec, value.likely)
        out[f"{path}.low"] = _as_widget(spec, value.low)
        out[f"{path}.high"] = _as_widget(spec, value.high)
        out[f"{path}.distribution"] = value.distribution
        out[f"range:{path}"] = True
        return
    if spec.unit == "name" and value is None:
        value = NONE
    elif spec.unit == "text" and value is None and spec.optional:
        value = ""
    out[path] = _as_widget(spec, value)


def _put_model(out: dict[str, Any], base: str, obj: BaseModel | None,
               model: type[BaseModel], roles: list[str]) -> None:
    """Every widget key of one block; ``obj`` None writes the values a new block starts
    with (defaults, else the registry's examples)."""
    for f in fields_of(model):
        path = f"{base}{f.name}"
        value = getattr(obj, f.name) if obj is not None else f.start
        if f.structure == "value":
            put_value(out, path, f, value)
        elif f.structure == "series":
            out[path] = list(value) if value is not None else None
        elif f.structure == "roles":
            value = value or {}
            for role in roles:
                put_value(out, f"{path}.{role}", f, value.get(role, 0.0))
        elif f.structure == "list":
            assert f.model is not None
            for i, item in enumerate(value or []):
                _put_model(out, f"{path}.{i}.", item, f.model, roles)
        elif f.structure == "group":
            assert f.model is not None
            if f.optional:
                out[f"has:{path}"] = value is not None
            _put_model(out, f"{path}.", value, f.model, roles)


def flatten_option(name: str, opt: Any, roles: list[str]) -> dict[str, Any]:
    """Every widget key of one option."""
    out: dict[str, Any] = {}
    _put_model(out, f"options.{name}.", opt, type(opt), roles)
    if isinstance(opt, InHouseOption):
        out[f"mode:options.{name}.capacity"] = ("rps" if opt.node_capacity_rps is not None
                                                else "tokens")
        for f in fields_of(InHouseOption):     # the unused way keeps values to switch to
            if f.name in CAPACITY["rps"] + CAPACITY["tokens"] and getattr(opt, f.name) is None:
                out[f"options.{name}.{f.name}"] = _as_widget(f, f.example)
    return out


def flatten(s: Scenario) -> dict[str, Any]:
    """The whole UI state for a scenario."""
    roles = list(s.team)
    out: dict[str, Any] = {}
    _put_model(out, "", s, Scenario, roles)
    for name, opt in s.options.items():
        out.update(flatten_option(name, opt, roles))
    out["_shape"] = {"options": {n: o.kind for n, o in s.options.items()}, "roles": roles,
                     "tiers": {n: len(o.tiers) for n, o in s.options.items()
                               if isinstance(o, VendorOption)}}
    return out


def ours(key: str) -> bool:
    return key == "_shape" or key.startswith(_PREFIXES) or key.split(".")[0] in _TOP


def clear(state: State) -> None:
    for key in [k for k in list(state.keys()) if ours(k)]:
        del state[key]


def load(state: State, s: Scenario) -> None:
    """Replace whatever scenario the state held by ``s``."""
    clear(state)
    state.update(flatten(s))


# -- collecting the plain data back ---------------------------------------------------------------

CAPACITY = {"rps": ("node_capacity_rps",),
            "tokens": ("node_capacity_tokens_per_second", "tokens_per_call")}


def read(state: State, path: str) -> Any:
    """A value, or a range ``{low, likely, high[, distribution]}`` when the path holds one."""
    value = state.get(path)
    if state.get(f"range:{path}"):
        rng = {"low": state.get(f"{path}.low"), "likely": value,
               "high": state.get(f"{path}.high")}
        dist = state.get(f"{path}.distribution", "triangular")
        if dist != "triangular":
            rng["distribution"] = dist
        return rng
    return value


def _collect_model(state: State, base: str, model: type[BaseModel], roles: list[str],
                   skip: tuple[str, ...] = ()) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields_of(model):
        path = f"{base}{f.name}"
        if f.name in skip or (f.when and state.get(f"{base}{f.when[0]}") != f.when[1]):
            continue
        if f.structure == "value":
            value = read(state, path)
            empty = value is None or (value == NONE and (f.unit == "name" or f.optional))
            if empty and f.optional:
                continue
            if isinstance(value, _dt.date) and f.unit == "month_date":
                value = f"{value.year:04d}-{value.month:02d}"
            # an emptied required box stays empty: the loader names it, nothing is guessed
            out[f.name] = None if empty else value
        elif f.structure == "series":
            if state.get(path) is not None:
                out[f.name] = list(state[path])
        elif f.structure == "roles":
            team = {}
            for role in roles:
                value = read(state, f"{path}.{role}")
                if isinstance(value, dict) or (value or 0.0) != 0.0:
                    team[role] = value
            if team:
                out[f.name] = team
        elif f.structure == "list":
            assert f.model is not None
            name = base.split(".")[1]
            n = state["_shape"]["tiers"].get(name, 1)
            items = [_collect_model(state, f"{path}.{i}.", f.model, roles) for i in range(n)]
            if items:
                items[-1].pop("up_to_units", None)   # the last tier is open-ended
            out[f.name] = items
        elif f.structure == "group":
            assert f.model is not None
            if f.optional and not state.get(f"has:{path}"):
                continue
            out[f.name] = _collect_model(state, f"{path}.", f.model, roles)
    return out


def collect_option(state: State, name: str, kind: str, roles: list[str]) -> dict[str, Any]:
    base = f"options.{name}."
    model = KIND_MODELS[kind]
    skip: tuple[str, ...] = ()
    if model is InHouseOption:
        mode = state.get(f"mode:{base}capacity", "rps")
        skip = CAPACITY["tokens" if mode == "rps" else "rps"]
    return {"kind": kind} | _collect_model(state, base, model, roles, skip)


def collect(state: State) -> dict[str, Any]:
    """The scenario as plain data, shaped like the YAML file, ready for validate()."""
    shape = state["_shape"]
    roles = shape["roles"]
    out = _collect_model(state, "", Scenario, roles, skip=("team",))
    out["team"] = {role: read(state, f"team.{role}") for role in roles}   # 0 keeps the role
    out["options"] = {n: collect_option(state, n, k, roles) for n, k in shape["options"].items()}
    return out


# -- structural edits (called from widget callbacks) ----------------------------------------------

def check_name(state: State, name: str, what: str = "option") -> str | None:
    """Why ``name`` cannot be a new option (or role) name, or None."""
    taken = state["_shape"]["options"] if what == "option" else state["_shape"]["roles"]
    if not is_name(name or ""):
        return (f"{what} names use lowercase letters, digits, _ and - (1 to 40 characters); "
                f"{name!r} does not")
    if name in taken:
        return f"there is already an {what} called {name!r}"
    if what == "option" and len(taken) >= MAX_OPTIONS:
        return f"a scenario holds at most {MAX_OPTIONS} options"
    return None


def new_name(state: State, kind: str) -> str:
    stem = {"rules": "rules", "vendor_api": "vendor", "genai_api": "llm",
            "in_house": "in_house", "hybrid": "hybrid"}[kind]
    taken = state["_shape"]["options"]
    if stem not in taken:
        return stem
    return next(f"{stem}_{i}" for i in range(2, 100) if f"{stem}_{i}" not in taken)


TEMPLATES: dict[str, dict[str, Any]] = {
    "rules": {"kind": "rules", "accuracy": 0.7},
    "vendor_api": {"kind": "vendor_api", "accuracy": 0.85,
                   "tiers": [{"up_to_units": 1_000.0, "price_per_1k_units": 0.0},
                             {"up_to_units": 5_000_000.0, "price_per_1k_units": 1.5},
                             {"price_per_1k_units": 1.0}]},
    "genai_api": {"kind": "genai_api", "accuracy": 0.9,
                  "catalog": {"provider": "anthropic", "model": "claude-haiku-4-5"},
                  "input_tokens_per_call": 1_000.0, "output_tokens_per_call": 50.0},
    "in_house": {"kind": "in_house", "accuracy": 0.93, "build_months": 4,
                 "node_cost_per_hour": 0.526, "node_capacity_rps": 100.0,
                 "target_utilization": 0.6, "min_nodes": 2, "monthly_cost": 500.0},
}
"""What a new option of each kind starts with: a valid option once roles are filled in
(a hybrid is made from two existing options: :func:`add_hybrid`)."""


def add_option(state: State, kind: str, name: str) -> None:
    opt = KIND_MODELS[kind].model_validate(TEMPLATES[kind])
    roles = state["_shape"]["roles"]
    state.update(flatten_option(name, opt, roles))
    state["_shape"]["options"][name] = kind
    state[f"panel:{name}"] = True
    if kind == "vendor_api":
        state["_shape"]["tiers"][name] = len(opt.tiers)  # type: ignore[attr-defined]
    if kind == "in_house" and roles:
        state[f"options.{name}.build_team.{roles[0]}"] = 1.0
        state[f"options.{name}.run_team.{roles[0]}"] = 0.2


def add_hybrid(state: State, name: str, primary: str, fallback: str, share: float = 0.7,
               routing: str = "confidence") -> None:
    """A hybrid of two existing options: ``primary`` keeps ``share`` of the calls once live,
    ``fallback`` serves the rest (and everything before)."""
    from ..model import HybridOption

    opt = HybridOption.model_validate({"kind": "hybrid", "primary": primary,
                                       "fallback": fallback, "primary_share": share,
                                       "routing": routing})
    state.update(flatten_option(name, opt, state["_shape"]["roles"]))
    state["_shape"]["options"][name] = "hybrid"
    state[f"panel:{name}"] = True
    # a primary built while the fallback serves needs no interim of its own
    if state.get(f"options.{primary}.interim") == fallback:
        state[f"options.{primary}.interim"] = NONE


def _drop(state: State, prefix: str) -> None:
    for key in [k for k in list(state.keys()) if k.startswith(prefix)]:
        del state[key]


REFS = ("interim", "primary", "fallback")


def remove_option(state: State, name: str) -> list[str]:
    """Remove an option; options that referred to it (as their interim, or a hybrid's
    part) lose the reference (their names are returned, to tell the user)."""
    for prefix in (f"options.{name}.", f"has:options.{name}.", f"range:options.{name}.",
                   f"mode:options.{name}.", f"rename:{name}", f"panel:{name}"):
        _drop(state, prefix)
    shape = state["_shape"]
    del shape["options"][name]
    shape["tiers"].pop(name, None)
    orphans = []
    for o in shape["options"]:
        for ref in REFS:
            if state.get(f"options.{o}.{ref}") == name:
                state[f"options.{o}.{ref}"] = NONE
                orphans.append(o)
    return orphans


def rename_option(state: State, old: str, new: str) -> None:
    shape = state["_shape"]
    for prefix in ("options.", "has:options.", "range:options.", "mode:options."):
        for key in [k for k in list(state.keys()) if k.startswith(f"{prefix}{old}.")]:
            state[f"{prefix}{new}.{key[len(prefix) + len(old) + 1:]}"] = state.pop(key)
    shape["options"] = {(new if n == old else n): k for n, k in shape["options"].items()}
    if f"panel:{old}" in state:
        state[f"panel:{new}"] = state.pop(f"panel:{old}")
    if old in shape["tiers"]:
        shape["tiers"][new] = shape["tiers"].pop(old)
    for o in shape["options"]:
        for ref in REFS:
            if state.get(f"options.{o}.{ref}") == old:
                state[f"options.{o}.{ref}"] = new


def _role_keys(state: State, role: str) -> list[str]:
    keys = []
    for name, kind in state["_shape"]["options"].items():
        keys += [f"options.{name}.{path}.{role}" for path in role_maps(kind)]
    return keys


def role_maps(kind: str) -> list[str]:
    """The paths of an option kind's role maps (build_team, setup.team_months ...)."""
    out = []

    def walk(model: type[BaseModel], base: str) -> None:
        for f in fields_of(model):
            if f.structure == "roles":
                out.append(f"{base}{f.name}")
            elif f.structure == "group" and f.model is not None:
                walk(f.model, f"{base}{f.name}.")

    walk(KIND_MODELS[kind], "")
    return out


def add_role(state: State, role: str, rate: float = ROLE_DEFAULT) -> None:
    state[f"team.{role}"] = float(rate)
    state["_shape"]["roles"].append(role)
    for key in _role_keys(state, role):
        state.setdefault(key, 0.0)


def remove_role(state: State, role: str) -> None:
    for key in _role_keys(state, role) + [f"team.{role}"]:
        for k in (key, f"{key}.low", f"{key}.high", f"{key}.distribution", f"range:{key}"):
            state.pop(k, None)
    state["_shape"]["roles"].remove(role)


def add_tier(state: State, name: str) -> None:
    """Split the last tier: a new bounded tier before it, ten times the previous bound."""
    n = state["_shape"]["tiers"][name]
    base = f"options.{name}.tiers"
    prev = state.get(f"{base}.{n - 2}.up_to_units") if n > 1 else None
    last_price = state.get(f"{base}.{n - 1}.price_per_1k_units", 0.0)
    state[f"{base}.{n}.price_per_1k_units"] = last_price
    state[f"{base}.{n - 1}.up_to_units"] = float((prev or 100.0) * 10)
    state["_shape"]["tiers"][name] = n + 1


def remove_tier(state: State, name: str) -> None:
    """Drop the last tier; the one before it becomes the open-ended last tier."""
    n = state["_shape"]["tiers"][name]
    if n <= 1:
        return
    base = f"options.{name}.tiers"
    _drop(state, f"{base}.{n - 1}.")
    _drop(state, f"range:{base}.{n - 1}.")
    state["_shape"]["tiers"][name] = n - 1


# -- ranges ----------------------------------------------------------------------------------------

def make_range(state: State, path: str) -> None:
    """Turn a single number into a range low = likely = high (nothing changes until the
    user widens it)."""
    value = state.get(path)
    if value is None:
        return
    state[f"{path}.low"] = value
    state[f"{path}.high"] = value
    state.setdefault(f"{path}.distribution", "triangular")
    state[f"range:{path}"] = True


def drop_range(state: State, path: str) -> None:
    """Turn a range back into its likely value."""
    state[f"range:{path}"] = False
    for part in PARTS:
        state.pop(f"{path}.{part}", None)
