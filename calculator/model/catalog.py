"""LLM list prices from the bundled ``genai-prices`` data (offline, never fetched).

Only per-million-token input, cached-input (cache read) and output prices are used. Where
a provider prices long prompts higher (tiered prices), the base tier is taken: the
calculator's calls are short classification or extraction prompts. Where prices changed
over time, the one in force on ``as_of`` (default today) is taken.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import metadata
from typing import Any


@dataclass(frozen=True)
class CatalogPrice:
    provider: str
    provider_name: str
    model: str
    model_name: str
    input: float
    output: float
    cached_input: float | None
    deprecated: bool


def _price(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, Decimal | int | float):
        return float(value)
    base = getattr(value, "base", None)  # TieredPrices: the short-prompt base price
    return float(base) if base is not None else None


def _prices_on(model: Any, day: _dt.date) -> Any:
    prices = model.prices
    if not isinstance(prices, list):
        return prices
    chosen = None
    for conditional in prices:  # later entries win when their start date has come
        start = getattr(conditional.constraint, "start_date", None)
        if conditional.constraint is None or start is None or start <= day:
            chosen = conditional.prices
    return chosen


@cache
def models(as_of: _dt.date | None = None) -> tuple[CatalogPrice, ...]:
    """Every model with token prices, sorted by provider and model id."""
    from genai_prices.data_snapshot import get_snapshot

    day = as_of or _dt.date.today()
    out = []
    for provider in get_snapshot().providers:
        for model in provider.models:
            prices = _prices_on(model, day)
            if prices is None:
                continue
            pin = _price(getattr(prices, "input_mtok", None))
            pout = _price(getattr(prices, "output_mtok", None))
            if pin is None or pout is None:
                continue
            out.append(CatalogPrice(
                provider=provider.id, provider_name=provider.name, model=model.id,
                model_name=model.name or model.id, input=pin, output=pout,
                cached_input=_price(getattr(prices, "cache_read_mtok", None)),
                deprecated=bool(model.deprecated)))
    return tuple(sorted(out, key=lambda m: (m.provider, m.model)))


@cache
def _index() -> dict[str, dict[str, CatalogPrice]]:
    out: dict[str, dict[str, CatalogPrice]] = {}
    for m in models():
        out.setdefault(m.provider, {})[m.model] = m
    return out


def providers() -> list[str]:
    return sorted(_index())


def models_of(provider: str) -> list[CatalogPrice]:
    return list(_index().get(provider, {}).values())


@cache
def lookup(provider: str, model: str) -> CatalogPrice | str:
    """The model's prices, or a message saying what is wrong with the reference."""
    import difflib

    if provider not in providers():
        close = difflib.get_close_matches(provider, providers(), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return f"provider {provider!r} is not in the bundled price catalog{hint}"
    found = _index()[provider].get(model)
    if found is not None:
        return found
    close = difflib.get_close_matches(model, [m.model for m in models_of(provider)], n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"model {model!r} is not in the catalog for {provider}{hint}"


def snapshot_label() -> str:
    """Where the catalog's prices come from, for a caption."""
    try:
        version = metadata.version("genai-prices")
    except metadata.PackageNotFoundError:  # pragma: no cover - it is a dependency
        version = "unknown"
    return f"genai-prices {version} (bundled price data, read offline)"
