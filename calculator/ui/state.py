"""The UI state: a flat mapping from scenario paths to values (no streamlit here).

Widget keys are scenario paths (``traffic.calls_per_month``, ``options.llm.batch_share``,
``options.vision.tiers.1.price_per_1k_units``), so one dictionary is the widgets' state,
the YAML file and the share link. A range keeps three keys (``<path>.low``, ``.likely``,
``.high``) and its distribution. ``_shape`` holds the structure widgets cannot: option
names and kinds in file order, roles, tier counts. ``has:<path>`` switches an optional
block (retraining, data) on.

Everything here works on any ``MutableMapping`` (``st.session_state`` in the app, a plain
dict in tests): :func:`load` writes a Scenario in, :func:`collect` reads the plain data
back out for :func:`calculator.validate`.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from ..model import Range, Scenario
from ..model.scenario import NAME_RE, GenAIOption, InHouseOption, RulesOption, VendorOption
from . import fields as F

State = MutableMapping[str, Any]
KIND_MODELS = {"rules": RulesOption, "vendor_api": VendorOption, "genai_api": GenAIOption,
               "in_house": InHouseOption}
_PREFIXES = ("traffic.", "quality.", "team.", "options.", "has:", "rename:",
             "panel:")
_TOP = {f.key for f in F.SCENARIO}
_NUM = F.Field("number", "", "")   # how team rates and FTE figures are typed
NONE = ""
"""What a select box holds for "nothing chosen" (a select box shows None as a blank)."""


# -- reading values out of the model -------------------------------------------------------

def _get(obj: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if obj is None:
            return None
        obj = obj.get(part) if isinstance(obj, dict) else getattr(obj, part, None)
    return obj


def _as(field: F.Field | None, value: Any) -> Any:
    """Numbers in the widget's type: ints for whole fields, floats for the rest."""
    if value is None or field is None or isinstance(value, bool):
        return value
    if field.widget == "int":
        return int(value)
    if field.widget in ("number", "share", "calls"):
        return float(value)
    return value


def _put(out: dict[str, Any], path: str, value: Any, field: F.Field | None = None) -> None:
    if isinstance(value, Range):
        for part in ("low", "likely", "high"):
            out[f"{path}.{part}"] = _as(field, getattr(value, part))
        out[f"{path}.distribution"] = value.distribution
    else:
        out[path] = _as(field, value)


def _team_maps(opt: Any) -> list[tuple[str, dict[str, Any]]]:
    maps = [(key, _get(opt, key) or {}) for key, _, _ in F.TEAMS]
    if isinstance(opt, InHouseOption):
        maps.append((F.RETRAINING_TEAM[0], _get(opt, "retraining.team_months") or {}))
    return maps


def flatten_option(name: str, opt: Any, roles: list[str]) -> dict[str, Any]:
    """Every widget key of one option, defaults included, for a validated option model."""
    base, out = f"options.{name}", {}
    for f in F.COMMON + F.KIND_FIELDS[opt.kind]:
        value = _get(opt, f.key)
        if value is None:
            value = NONE if f.widget == "select" else None if f.optional else f.default
        _put(out, f"{base}.{f.key}", value, f)
    for key, team in _team_maps(opt):
        for role in roles:
            _put(out, f"{base}.{key}.{role}", team.get(role, 0.0), _NUM)
    if isinstance(opt, VendorOption):
        for i, tier in enumerate(opt.tiers):
            for f in F.TIER:
                _put(out, f"{base}.tiers.{i}.{f.key}", getattr(tier, f.key), f)
    if isinstance(opt, GenAIOption):
        out[f"{base}.catalog.provider"] = opt.catalog.provider if opt.catalog else NONE
        out[f"{base}.catalog.model"] = opt.catalog.model if opt.catalog else NONE
    if isinstance(opt, InHouseOption):
        for block, group in (("retraining", F.RETRAINING), ("data", F.DATA)):
            out[f"has:{base}.{block}"] = getattr(opt, block) is not None
            for f in group:
                value = _get(opt, f.key)
                _put(out, f"{base}.{f.key}", f.default if value is None else value, f)
    return out


def flatten(s: Scenario) -> dict[str, Any]:
    """The whole UI state for a scenario."""
    out: dict[str, Any] = {}
    for f in F.SCENARIO:
        value = getattr(s, f.key)
        _put(out, f.key, value, f)
    for f in F.TRAFFIC:
        _put(out, f"traffic.{f.key}", getattr(s.traffic, f.key), f)
    out["traffic.monthly_calls"] = (list(s.traffic.monthly_calls)
                                    if s.traffic.monthly_calls is not None else None)
    for f in F.QUALITY:
        _put(out, f"quality.{f.key}", getattr(s.quality, f.key), f)
    roles = list(s.team)
    for role, rate in s.team.items():
        _put(out, f"team.{role}", rate, _NUM)
    for name, opt in s.options.items():
        out.update(flatten_option(name, opt, roles))
    out["_shape"] = {"options": {n: o.kind for n, o in s.options.items()}, "roles": roles,
                     "tiers": {n: len(o.tiers) for n, o in s.options.items()
                               if isinstance(o, VendorOption)}}
    return out


def clear(state: State) -> None:
    for key in [k for k in list(state.keys()) if _ours(k)]:
        del state[key]


def _ours(key: str) -> bool:
    return key == "_shape" or key.startswith(_PREFIXES) or key.split(".")[0] in _TOP


def load(state: State, s: Scenario) -> None:
    """Replace whatever scenario the state held by ``s``."""
    clear(state)
    state.update(flatten(s))


# -- collecting the plain data back ----------------------------------------------------------

def read(state: State, path: str, default: Any = None) -> Any:
    """A value, or a range ``{low, likely, high[, distribution]}`` when the path holds one."""
    if f"{path}.likely" in state:
        rng = {p: state.get(f"{path}.{p}") for p in ("low", "likely", "high")}
        dist = state.get(f"{path}.distribution", "triangular")
        if dist != "triangular":
            rng["distribution"] = dist
        return rng
    return state.get(path, default)


def _set(out: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    for p in parents:
        out = out.setdefault(p, {})
    out[last] = value


def _fields(state: State, out: dict[str, Any], base: str, group: tuple[F.Field, ...]) -> None:
    for f in group:
        value = read(state, f"{base}{f.key}", f.default)
        if value is None or (f.widget in ("textarea", "select") and value == NONE):
            continue
        _set(out, f.key, value)


def _team(state: State, base: str, roles: list[str]) -> dict[str, Any]:
    team = {}
    for role in roles:
        value = read(state, f"{base}.{role}", 0.0)
        if isinstance(value, dict) or (value or 0.0) != 0.0:
            team[role] = value
    return team


def collect_option(state: State, name: str, kind: str, roles: list[str]) -> dict[str, Any]:
    base = f"options.{name}."
    opt: dict[str, Any] = {"kind": kind}
    _fields(state, opt, base, F.COMMON + F.KIND_FIELDS[kind])
    for key, _, _ in F.TEAMS:
        team = _team(state, base + key, roles)
        if team:
            _set(opt, key, team)
    if kind == "vendor_api":
        n = state["_shape"]["tiers"].get(name, 1)
        tiers = []
        for i in range(n):
            tier = {"price_per_1k_units": read(state, f"{base}tiers.{i}.price_per_1k_units",
                                               0.0)}
            if i < n - 1:
                tier = {"up_to_units": read(state, f"{base}tiers.{i}.up_to_units")} | tier
            tiers.append(tier)
        opt["tiers"] = tiers
    if kind == "genai_api" and state.get(f"{base}catalog.provider"):
        opt["catalog"] = {"provider": state[f"{base}catalog.provider"],
                          "model": state.get(f"{base}catalog.model") or ""}
    if kind == "in_house":
        for block, group in (("retraining", F.RETRAINING), ("data", F.DATA)):
            if state.get(f"has:{base}{block}"):
                _fields(state, opt, base, group)
        if state.get(f"has:{base}retraining"):
            team = _team(state, base + F.RETRAINING_TEAM[0], roles)
            if team:
                _set(opt, F.RETRAINING_TEAM[0], team)
    return opt


def collect(state: State) -> dict[str, Any]:
    """The scenario as plain data, shaped like the YAML file, ready for validate()."""
    shape = state["_shape"]
    out: dict[str, Any] = {"schema_version": 1}
    _fields(state, out, "", F.SCENARIO)
    traffic: dict[str, Any] = {}
    growth = state.get("traffic.growth", "none")
    skip = {"growth_rate_monthly"} if growth != "compound" else set()
    skip |= {"growth_calls_per_month"} if growth != "linear" else set()
    _fields(state, traffic, "traffic.", tuple(f for f in F.TRAFFIC if f.key not in skip))
    if state.get("traffic.monthly_calls") is not None:
        traffic["monthly_calls"] = list(state["traffic.monthly_calls"])
    out["traffic"] = traffic
    out["team"] = {role: read(state, f"team.{role}", 0.0) for role in shape["roles"]}
    out["quality"] = {}
    _fields(state, out["quality"], "quality.", F.QUALITY)
    out["options"] = {name: collect_option(state, name, kind, shape["roles"])
                      for name, kind in shape["options"].items()}
    return out


# -- structural edits (called from widget callbacks) -----------------------------------------

def check_name(state: State, name: str, what: str = "option") -> str | None:
    """Why ``name`` cannot be a new option (or role) name, or None."""
    taken = state["_shape"]["options"] if what == "option" else state["_shape"]["roles"]
    if not NAME_RE.match(name or ""):
        return (f"{what} names use lowercase letters, digits, _ and - (1 to 40 characters); "
                f"{name!r} does not")
    if name in taken:
        return f"there is already an {what} called {name!r}"
    return None


def new_name(state: State, kind: str) -> str:
    stem = {"rules": "rules", "vendor_api": "vendor", "genai_api": "llm",
            "in_house": "in_house"}[kind]
    taken = state["_shape"]["options"]
    if stem not in taken:
        return stem
    return next(f"{stem}_{i}" for i in range(2, 100) if f"{stem}_{i}" not in taken)


def add_option(state: State, kind: str, name: str) -> None:
    opt = KIND_MODELS[kind].model_validate(F.TEMPLATES[kind])
    roles = state["_shape"]["roles"]
    state.update(flatten_option(name, opt, roles))
    state["_shape"]["options"][name] = kind
    state[f"panel:{name}"] = True
    if kind == "vendor_api":
        state["_shape"]["tiers"][name] = len(opt.tiers)
    if kind == "in_house" and roles:
        state[f"options.{name}.build_team.{roles[0]}"] = 1.0
        state[f"options.{name}.run_team.{roles[0]}"] = 0.2


def _drop(state: State, prefix: str) -> None:
    for key in [k for k in list(state.keys()) if k.startswith(prefix)]:
        del state[key]


def remove_option(state: State, name: str) -> list[str]:
    """Remove an option; options that used it as their interim lose it (their names
    are returned, to tell the user)."""
    _drop(state, f"options.{name}.")
    _drop(state, f"has:options.{name}.")
    _drop(state, f"rename:{name}")
    _drop(state, f"panel:{name}")
    shape = state["_shape"]
    del shape["options"][name]
    shape["tiers"].pop(name, None)
    orphans = [o for o in shape["options"] if state.get(f"options.{o}.interim") == name]
    for o in orphans:
        state[f"options.{o}.interim"] = NONE
    return orphans


def rename_option(state: State, old: str, new: str) -> None:
    shape = state["_shape"]
    for prefix in ("options.", "has:options."):
        for key in [k for k in list(state.keys()) if k.startswith(f"{prefix}{old}.")]:
            state[f"{prefix}{new}.{key[len(prefix) + len(old) + 1:]}"] = state.pop(key)
    shape["options"] = {(new if n == old else n): k for n, k in shape["options"].items()}
    if f"panel:{old}" in state:
        state[f"panel:{new}"] = state.pop(f"panel:{old}")
    if old in shape["tiers"]:
        shape["tiers"][new] = shape["tiers"].pop(old)
    for o in shape["options"]:
        if state.get(f"options.{o}.interim") == old:
            state[f"options.{o}.interim"] = new


def _role_keys(state: State, role: str) -> list[str]:
    keys = []
    for name, kind in state["_shape"]["options"].items():
        maps = [k for k, _, _ in F.TEAMS]
        if kind == "in_house":
            maps.append(F.RETRAINING_TEAM[0])
        keys += [f"options.{name}.{m}.{role}" for m in maps]
    return keys


def add_role(state: State, role: str, rate: float = F.ROLE_DEFAULT) -> None:
    state[f"team.{role}"] = float(rate)
    state["_shape"]["roles"].append(role)
    for key in _role_keys(state, role):
        state.setdefault(key, 0.0)


def remove_role(state: State, role: str) -> None:
    for key in _role_keys(state, role) + [f"team.{role}"]:
        for k in (key, f"{key}.low", f"{key}.likely", f"{key}.high", f"{key}.distribution"):
            state.pop(k, None)
    state["_shape"]["roles"].remove(role)


def add_tier(state: State, name: str) -> None:
    """Split the last tier: a new bounded tier before it, ten times the previous bound."""
    n = state["_shape"]["tiers"][name]
    base = f"options.{name}.tiers"
    prev = read(state, f"{base}.{n - 2}.up_to_units") if n > 1 else None
    prev = prev["likely"] if isinstance(prev, dict) else prev
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
    state.pop(f"{base}.{n - 2}.up_to_units", None)
    for part in ("low", "likely", "high", "distribution"):
        state.pop(f"{base}.{n - 2}.up_to_units.{part}", None)
    state["_shape"]["tiers"][name] = n - 1


RANGED_SECTIONS = ("traffic.", "team.", "quality.", "options.")


def can_range(path: str, widget: str) -> bool:
    """Whether the field at ``path`` may hold a range: any number in traffic, team, quality
    or an option (the scenario-level horizon, discount rate and hours may not)."""
    return (widget in ("number", "int", "share", "calls") and path.startswith(RANGED_SECTIONS)
            and path != "traffic.monthly_calls")


def make_range(state: State, path: str) -> None:
    """Turn a single number into a range low = likely = high = that number (the plain
    report does not change until the user widens it)."""
    value = state.get(path)
    if value is None:
        return
    for part in ("low", "likely", "high"):
        state[f"{path}.{part}"] = value
    state[f"{path}.distribution"] = "triangular"
    state.pop(path, None)


def drop_range(state: State, path: str) -> None:
    """Turn a range into a single number (its likely value)."""
    likely = state.get(f"{path}.likely")
    for part in ("low", "likely", "high", "distribution"):
        state.pop(f"{path}.{part}", None)
    state[path] = likely
