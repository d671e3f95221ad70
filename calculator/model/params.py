"""Parameter sets with a leading draws axis: one engine for the plain report, Monte Carlo,
the tornado and the timing sweep.

A :class:`Params` answers ``params(path, value)`` for every number the engine reads. A
number nobody varies comes back as a plain float (numpy broadcasting spreads it over the
draws for free); a varied one comes back as a ``(draws, 1)`` column, so that it broadcasts
against ``(…, months)`` arrays.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from pydantic import BaseModel

from .numbers import Range
from .scenario import Scenario

DEFAULT_SEED = 20261128

SAMPLES_KEPT = 32
"""Monte Carlo samples kept (:meth:`Params.sample`): 10,000 draws of a range are 80 KB, so
a scenario's are a few hundred KB and all of them at most about 10 MB."""
_samples: OrderedDict[tuple[Any, ...], Params] = OrderedDict()
_samples_lock = threading.Lock()


def ranged_fields(scenario: Scenario) -> dict[str, Range]:
    """Every range in the scenario by its path (options.llm.price_per_million_input_tokens)."""
    return {path: v for path, v in leaves(scenario) if isinstance(v, Range)}


def leaves(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every value of a scenario (or any block of it) by its path, in file order: numbers,
    ranges, text, dates and flags; a list of numbers (monthly_calls) is one value."""
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from leaves(getattr(node, name), f"{path}.{name}" if path else name)
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from leaves(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list | tuple) and not all(isinstance(x, int | float) for x in node):
        for i, value in enumerate(node):
            yield from leaves(value, f"{path}.{i}")
    elif node is not None:
        yield path, node


@dataclass
class Params:
    """Values by path with a leading draws axis; ``success`` marks builds that work."""

    draws: int = 1
    values: dict[str, np.ndarray] = field(default_factory=dict)
    success: dict[str, np.ndarray] = field(default_factory=dict)

    def __call__(self, path: str, value: float | Range | None) -> Any:
        if path in self.values:
            return self.values[path][:, None]
        if isinstance(value, Range):
            return value.likely
        return value

    def succeeded(self, option: str) -> Any:
        """True, or a (draws, 1) boolean column for an option whose build may fail."""
        if option in self.success:
            return self.success[option][:, None]
        return True

    def rows(self, lo: int, hi: int) -> Params:
        """Draws lo..hi-1 only (the engine works through many draws in blocks)."""
        return Params(hi - lo, {k: a[lo:hi] for k, a in self.values.items()},
                      {k: a[lo:hi] for k, a in self.success.items()})

    # -- the ways to make a parameter set ----------------------------------------------------
    @classmethod
    def plain(cls) -> Params:
        """One draw at every field's likely value; every build succeeds."""
        return cls()

    @classmethod
    def sample(cls, scenario: Scenario, draws: int = 10_000, seed: int | None = DEFAULT_SEED,
               with_failures: bool = True) -> Params:
        """Independent draws of every range; builds fail with 1 - success_probability.

        With a seed the draws depend only on the ranges, the builds that may fail, the
        count and the seed, not on any other input: editing the traffic or a price asks
        for the same draws again, so the last ``SAMPLES_KEPT`` are kept by exactly those
        (read-only arrays, each caller its own Params around them)."""
        key = None
        if seed is not None:
            key = (draws, seed, with_failures, tuple(ranged_fields(scenario).items()),
                   tuple((n, getattr(o, "success_probability", 1.0))
                         for n, o in computed(scenario).items()) if with_failures else ())
            with _samples_lock:
                hit = _samples.get(key)
                if hit is not None:
                    _samples.move_to_end(key)
                    return cls(hit.draws, dict(hit.values), dict(hit.success))
        made = cls._sample(scenario, draws, seed, with_failures)
        if key is not None:
            for a in (*made.values.values(), *made.success.values()):
                a.flags.writeable = False
            with _samples_lock:
                _samples[key] = made
                while len(_samples) > SAMPLES_KEPT:
                    _samples.popitem(last=False)
            return cls(made.draws, dict(made.values), dict(made.success))
        return made

    @classmethod
    def _sample(cls, scenario: Scenario, draws: int, seed: int | None,
                with_failures: bool) -> Params:
        rng = np.random.default_rng(seed)
        values = {path: draw(rng, r, draws) for path, r in ranged_fields(scenario).items()}
        success = {}
        if with_failures:
            for name, opt in computed(scenario).items():
                p = getattr(opt, "success_probability", 1.0)
                if p is not None and _likely(p) < 1.0 or isinstance(p, Range):
                    prob = values.get(f"options.{name}.success_probability")
                    prob = prob if prob is not None else np.full(draws, _likely(p))
                    success[name] = rng.random(draws) < prob
        return cls(draws, values, success)

    @classmethod
    def tornado(cls, scenario: Scenario) -> tuple[Params, list[str]]:
        """Two draws per ranged field: its low, then its high, every other field at likely."""
        ranges = ranged_fields(scenario)
        paths = list(ranges)
        n = 2 * len(paths)
        values = {}
        for i, path in enumerate(paths):
            col = np.full(n, ranges[path].likely, dtype=float)
            col[2 * i] = ranges[path].low
            col[2 * i + 1] = ranges[path].high
            values[path] = col
        return cls(max(n, 1), values), paths

    @classmethod
    def sweep(cls, path: str, values: np.ndarray) -> Params:
        """One draw per value of one field (the timing view sweeps start_month)."""
        values = np.asarray(values, dtype=float)
        return cls(len(values), {path: values})

    @classmethod
    def outcomes(cls, scenario: Scenario) -> Params:
        """Two draws: every build succeeds, then every build fails (for expected values)."""
        success = {name: np.array([True, False]) for name, o in computed(scenario).items()
                   if o.kind == "in_house"}
        return cls(2, {}, success)


def computed(scenario: Scenario) -> dict[str, Any]:
    """The options the engine computes: the active ones, then the parts of active hybrids
    that are switched off themselves (they work inside the hybrid)."""
    out = dict(scenario.active)
    for opt in scenario.active.values():
        for part in (getattr(opt, "primary", None), getattr(opt, "fallback", None)):
            if part is not None and part not in out:
                out[part] = scenario.options[part]
    return out


def success_of(scenario: Scenario, name: str) -> tuple[str | None, float]:
    """Whose build decides whether an option serves, and its success probability (likely):
    an in-house option's own, a hybrid's primary's; (None, 1.0) when nothing can fail."""
    opt = scenario.options[name]
    key = getattr(opt, "primary", None) or name
    p = getattr(scenario.options[key], "success_probability", None)
    if p is None:
        return None, 1.0
    return key, _likely(p)


def _likely(v: Any) -> float:
    return v.likely if isinstance(v, Range) else float(v)


def draw(rng: np.random.Generator, r: Range, n: int) -> np.ndarray:
    """n samples of a range by its distribution."""
    lo, mode, hi = float(r.low), float(r.likely), float(r.high)
    if hi <= lo:
        return np.full(n, lo)
    if r.distribution == "uniform":
        return rng.uniform(lo, hi, n)
    if r.distribution == "pert":
        a = 1 + 4 * (mode - lo) / (hi - lo)
        b = 1 + 4 * (hi - mode) / (hi - lo)
        return lo + (hi - lo) * rng.beta(a, b, n)
    return rng.triangular(lo, mode, hi, n)
