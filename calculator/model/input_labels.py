"""Inputs in words: a scenario's input named, given its unit and its value for people, from the
field registry and the option labels (thresholds, value of information, tornado, exports)."""

from __future__ import annotations

from .wording import role


def input_label(s, path: str) -> str:  # noqa: ANN001 - a Scenario
    """An input of the scenario for people, from the field registry and the option labels:
    "LLM input price per 1M tokens", "calls per month in month 1", "ML engineer monthly
    rate", "whether the In-house model build succeeds"."""
    from .registry import resolve

    parts = path.split(".")
    kinds = {n: o.kind for n, o in s.options.items()}
    if parts[0] == "options" and len(parts) > 2 and parts[1] in s.options:
        who = s.label(parts[1])
        if parts[2:] == ["build_succeeds"]:
            return f"whether the {who} build succeeds"
        spec = resolve(path, kinds)
        what = spec.label if spec is not None else " ".join(p.replace("_", " ") for p in parts[2:])
        if len(parts) > 4 and parts[2] == "tiers":
            what = f"tier {int(parts[3]) + 1} {_lower_first(what)}"
        elif len(parts) > 3 and spec is not None and spec.unit in ("fte", "fte_months"):
            what = f"{role(parts[-1])} {_lower_first(what)}"
        return f"{who} {_lower_first(what)}"
    if parts[0] == "team" and len(parts) == 2:
        return f"{role(parts[1])} monthly rate"
    spec = resolve(path, kinds)
    what = spec.label if spec is not None else " ".join(p.replace("_", " ") for p in parts)
    return _lower_first(what)


def _lower_first(text: str) -> str:
    """A label inside a sentence: "Calls per month" is "calls per month"; "ML engineer" and
    "LLM input price" keep their capitals."""
    return text if text[1:2].isupper() else text[:1].lower() + text[1:]


def input_unit(s, path: str) -> str:  # noqa: ANN001 - a Scenario
    from .registry import resolve

    spec = resolve(path, {n: o.kind for n, o in s.options.items()})
    return spec.unit if spec is not None else "number"


def input_value(s, path: str, x: float, exact: bool = False) -> str:  # noqa: ANN001
    """An input's value for people, by its unit: "$0.75", "577k calls a month", "92.5 %"
    (rounded to 3 significant digits unless ``exact``)."""
    from .wording import value

    return value(input_unit(s, path), x, s.currency, exact=exact)
