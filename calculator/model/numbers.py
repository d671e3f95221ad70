"""Numbers in a scenario: bounded, finite, and optionally a range ``{low, likely, high}``.

Every numeric field is declared with :func:`num` (a float or a :class:`Range`) or
:func:`whole` (an integer or a range of integers). The validators here are strict on
purpose: ``true`` is never a number, the text ``"12"`` is never a number, NaN and
infinity never pass, and every message says the value and the bound it broke.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated, Any, Literal, TypeVar

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

T = TypeVar("T")
Distribution = Literal["triangular", "uniform", "pert"]
DISTRIBUTIONS: tuple[str, ...] = ("triangular", "uniform", "pert")


@dataclass(frozen=True)
class Range:
    """An uncertain number: a plain report uses ``likely``; the risk view samples it."""

    low: float
    likely: float
    high: float
    distribution: Distribution = "triangular"

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"low": _plain(self.low), "likely": _plain(self.likely),
                               "high": _plain(self.high)}
        if self.distribution != "triangular":
            out["distribution"] = self.distribution
        return out


def likely(value: float | Range) -> float:
    """The value a plain report uses."""
    return value.likely if isinstance(value, Range) else value


def fmt(value: Any) -> str:
    """A number as a person would type it: 2000000, 1.7, 0.0001."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return repr(value) if isinstance(value, str) else str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return {math.inf: "infinity", -math.inf: "-infinity"}.get(value, "NaN")
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))


def _plain(value: float) -> float | int:
    """Whole floats are written as integers so a saved file reads naturally."""
    if float(value).is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def _fail(message: str) -> PydanticCustomError:
    return PydanticCustomError("scenario", message)


def _describe(value: Any, integer: bool = False) -> str:
    what = "a whole number" if integer else "a number"
    if isinstance(value, bool):
        return f"expected {what}, got {str(value).lower()}"
    if isinstance(value, str):
        return f"expected {what}, got the text {value[:60]!r}"
    if value is None:
        return f"is empty; type {what}"
    if isinstance(value, list):
        return f"expected {what}, got a list"
    if isinstance(value, dict):
        return f"expected {what}, got a group of keys"
    return f"expected {what}, got {type(value).__name__}"


@dataclass(frozen=True)
class Bounds:
    """A number field's rule: its bounds, whether it is whole, whether it may be a range.

    ``positive_min``: a value above 0 must be at least this much (0 itself stays allowed),
    for rates the engine divides by: 1e-310 labels a month would make labelling last
    forever."""

    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    lt: float | None = None
    integer: bool = False
    ranged: bool = True
    positive_min: float | None = None

    @property
    def low(self) -> float | None:
        """The smallest value allowed (for a widget), or None."""
        return self.ge if self.ge is not None else self.gt

    @property
    def high(self) -> float | None:
        return self.le if self.le is not None else self.lt

    def check(self, value: Any) -> float | int:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _fail(_describe(value, self.integer))
        if isinstance(value, int) and value.bit_length() > 63:
            # far beyond any bound, and too long to print (Python refuses str() of an int
            # over 4,300 digits): say so without converting it
            side = "above the maximum" if value > 0 else "below the minimum"
            limit = self.high if value > 0 else self.low
            raise _fail(f"a {_digits(value)}-digit number is {side}"
                        + (f" {fmt(limit)}" if limit is not None else ""))
        if isinstance(value, float) and not math.isfinite(value):
            raise _fail(f"{fmt(value)} is not allowed: numbers must be finite")
        if self.integer:
            if isinstance(value, float):
                if value.is_integer() and abs(value) >= 2**53:
                    side = "above the maximum" if value > 0 else "below the minimum"
                    limit = self.high if value > 0 else self.low
                    raise _fail(f"{fmt(value)} is {side} {fmt(limit)}")
                raise _fail(f"{fmt(value) if not value.is_integer() else repr(value)} "
                            "must be a whole number")
        else:
            value = float(value)
        if self.positive_min is not None and 0 < value < self.positive_min:
            raise _fail(f"{fmt(value)} is too small: use 0 or at least {fmt(self.positive_min)}")
        if self.ge is not None and value < self.ge:
            raise _fail(f"{fmt(value)} is below the minimum {fmt(self.ge)}")
        if self.gt is not None and value <= self.gt:
            raise _fail(f"{fmt(value)} must be above {fmt(self.gt)}")
        if self.le is not None and value > self.le:
            raise _fail(f"{fmt(value)} is above the maximum {fmt(self.le)}")
        if self.lt is not None and value >= self.lt:
            raise _fail(f"{fmt(value)} must be below {fmt(self.lt)}")
        return value

    def validate(self, value: Any) -> Any:
        if isinstance(value, Range):
            value = value.as_dict() | {"distribution": value.distribution}
        if isinstance(value, dict):
            if not self.ranged:
                raise _fail("this field cannot be a range")
            return self._range(value)
        return self.check(value)

    def _range(self, raw: dict[str, Any]) -> Range:
        allowed = {"low", "likely", "high", "distribution"}
        extra = sorted(str(k) for k in raw if k not in allowed)
        if extra:
            raise _fail(f"a range takes low, likely, high and distribution, not {', '.join(extra)}")
        missing = [k for k in ("low", "likely", "high") if k not in raw]
        if missing:
            raise _fail(f"a range needs low, likely and high; {', '.join(missing)} missing")
        parts = {}
        for key in ("low", "likely", "high"):
            try:
                parts[key] = self.check(raw[key])
            except PydanticCustomError as exc:
                raise _fail(f"{key}: {exc.message()}") from None
        dist = raw.get("distribution", "triangular")
        if dist not in DISTRIBUTIONS:
            raise _fail(f"distribution {dist!r} is not one of {', '.join(DISTRIBUTIONS)}")
        if not parts["low"] <= parts["likely"] <= parts["high"]:
            raise _fail(f"range must have low <= likely <= high, got {fmt(parts['low'])}, "
                        f"{fmt(parts['likely'])}, {fmt(parts['high'])}")
        return Range(parts["low"], parts["likely"], parts["high"], dist)

    def json_schema(self) -> dict[str, Any]:
        number: dict[str, Any] = {"type": "integer" if self.integer else "number"}
        for key, name in (("ge", "minimum"), ("le", "maximum"), ("gt", "exclusiveMinimum"),
                          ("lt", "exclusiveMaximum")):
            if getattr(self, key) is not None:
                number[name] = getattr(self, key)
        if not self.ranged:
            return number
        rng = {"type": "object", "additionalProperties": False,
               "required": ["low", "likely", "high"],
               "properties": {"low": number, "likely": number, "high": number,
                              "distribution": {"enum": list(DISTRIBUTIONS)}}}
        return {"anyOf": [number, rng]}


def _digits(value: int) -> int:
    """Decimal digits of a huge int without str() (which refuses over 4,300 digits)."""
    return int(abs(value).bit_length() * math.log10(2)) + 1


def _serialize(value: Any) -> Any:
    return value.as_dict() if isinstance(value, Range) else _plain(value)


def num(*, ge: float | None = None, gt: float | None = None, le: float | None = None,
        lt: float | None = None, ranged: bool = True, positive_min: float | None = None) -> Any:
    """A float field (or a range of floats) with bounds."""
    b = Bounds(ge=ge, gt=gt, le=le, lt=lt, ranged=ranged, positive_min=positive_min)
    kind = float | Range if ranged else float
    return Annotated[kind, PlainValidator(b.validate), PlainSerializer(_serialize),
                     WithJsonSchema(b.json_schema()), b]


def whole(*, ge: int | None = None, le: int | None = None, ranged: bool = True) -> Any:
    """An integer field (or a range of integers) with bounds."""
    b = Bounds(ge=ge, le=le, integer=True, ranged=ranged)
    kind = int | Range if ranged else int
    return Annotated[kind, PlainValidator(b.validate), PlainSerializer(_serialize),
                     WithJsonSchema(b.json_schema()), b]


def annotated(annotation: Any, kind: type[T]) -> T | None:
    """The first ``kind`` in a type's Annotated metadata (through ``X | None`` and
    ``list[X]``), or None."""
    import typing

    if typing.get_origin(annotation) is Annotated:
        found = [m for m in typing.get_args(annotation)[1:] if isinstance(m, kind)]
        if found:
            return found[0]
    for arg in typing.get_args(annotation):
        m = annotated(arg, kind)
        if m is not None:
            return m
    return None


def bounds_of(annotation: Any) -> Bounds | None:
    """The Bounds a field's type carries (through ``X | None`` and ``list[X]``), or None."""
    return annotated(annotation, Bounds)
