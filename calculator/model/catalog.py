"""LLM list prices from the bundled ``genai-prices`` data (offline, never fetched).

Per model: input, cached-input (cache read), cache-write (5-minute and 1-hour) and output
prices per million tokens, the Batch-API prices where the data lists them, and every dated
price change. Where a provider prices long prompts higher (tiered prices), the base tier is
taken: the calculator's calls are short classification or extraction prompts.

How genai-prices states these (and so how they are read here):

- Dated changes: ``ModelInfo.prices`` is a list of ``ConditionalPrice``; the last one whose
  ``StartDateConstraint`` has come wins, and before any has come the first one applies.
  Time-of-day prices (DeepSeek's peak windows, ``TimeOfDateConstraint``, listed after the
  off-peak rate so that they win during peak hours) count as always in force: a month of
  traffic is priced at the peak rate, an upper bound, as genai-prices prices a peak-hour call.
- Batch: ``ModelInfo.price_variants`` entries with ``when={'processing': 'batch'}`` hold
  partial prices. genai-prices resolves them token type by token type: the first active
  variant that names a type sets it, and a type no variant names keeps the standard price
  (Google's batch keeps the standard cache-read price; Groq's batch bills cache reads at the
  halved input price; OpenAI's older models list no batch cache-read price). Batch variants
  carry their own start dates (most begin on 2026-10-14: "batch history before then is not
  modelled"), so before that date a model has no batch prices here.
"""

from __future__ import annotations

import datetime as _dt
import difflib
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import metadata
from typing import Any

from .catalog_order import is_legacy, is_text_generation, newest_first_key

#: genai-prices' request context for a Batch-API call.
BATCH_CONTEXT = {"processing": "batch"}

# Our field name -> genai-prices' price key (USD per million tokens).
_KEYS = {"input": "input_mtok", "cached_input": "cache_read_mtok",
         "cache_write": "cache_write_mtok", "cache_write_1h": "cache_write_1h_mtok",
         "output": "output_mtok"}


@dataclass(frozen=True)
class BatchPrices:
    """Batch-API prices per million tokens, token type by token type.

    ``None`` means the data lists no batch price for that token type: genai-prices then
    bills batch tokens of that type at the model's standard price (see ``call_cost``).
    """

    input: float | None = None
    cached_input: float | None = None
    cache_write: float | None = None
    output: float | None = None
    cache_write_1h: float | None = None


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
    cache_write: float | None = None
    """5-minute (default) cache write; ``None``: the data lists no cache-write price."""
    cache_write_1h: float | None = None
    batch: BatchPrices | None = None
    """``None``: no batch prices listed for the model on that day."""
    legacy: bool = False
    """Deprecated in the data, or described there as retired or legacy."""
    text_generation: bool = True
    """False for speech, image, audio, embedding and other non-text models."""


@dataclass(frozen=True)
class TokenPrices:
    """Prices per million tokens for ``call_cost``; floats or numpy arrays (draws).

    ``CatalogPrice`` has the same fields, so either can be priced.
    """

    input: Any
    output: Any
    cached_input: Any = None
    cache_write: Any = None
    batch: BatchPrices | None = None


def call_cost(prices: Any, tin: Any, cached_tokens: Any, cache_write_tokens: Any, tout: Any,
              reasoning_tokens: Any = 0.0, batch: bool = False) -> Any:
    """Dollars for one call (floats or broadcasting numpy arrays).

    Notes
    -----
    cost = [(Tin − C − W)·Pin + C·Pcached + W·Pw + (Tout + Tr)·Pout] / 10^6, with Tin every
    input token of the call, C = c·Tin of them read from the prompt cache, W of them written
    to it, Tout visible output tokens and Tr reasoning (thinking) tokens, billed as output.
    A missing cached-input price means no caching discount (Pcached = Pin); a missing
    cache-write price is 1.25·Pin (Anthropic's 5-minute write; spec v2 default).
    With ``batch=True`` every token type is priced at the model's batch price, and a type
    with no batch price at its standard price, as genai-prices bills it; a model without
    batch prices raises ``ValueError`` (use the batch-discount rule instead).

    Examples
    --------
    The spec's worked example: 800·3 + 1,000·0.30 + 200·3.75 + 400·15 = 9,450 per 10^6.

    >>> p = TokenPrices(input=3.0, output=15.0, cached_input=0.30, cache_write=3.75)
    >>> round(call_cost(p, 2_000, 1_000, 200, 100, 300), 10)
    0.00945
    """
    if batch:
        b = prices.batch
        if b is None:
            raise ValueError("no batch prices listed for this model")
        pin = prices.input if b.input is None else b.input
        pcached = prices.cached_input if b.cached_input is None else b.cached_input
        pw = prices.cache_write if b.cache_write is None else b.cache_write
        pout = prices.output if b.output is None else b.output
    else:
        pin, pcached, pw, pout = (prices.input, prices.cached_input, prices.cache_write,
                                  prices.output)
    if pcached is None:
        pcached = pin
    if pw is None:
        pw = 1.25 * pin
    uncached = tin - cached_tokens - cache_write_tokens
    return (uncached * pin + cached_tokens * pcached + cache_write_tokens * pw
            + (tout + reasoning_tokens) * pout) / 1e6


def _price(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, Decimal | int | float):
        return float(value)
    base = getattr(value, "base", None)  # TieredPrices: the short-prompt base price
    return float(base) if base is not None else None


def _active(constraint: Any, day: _dt.date) -> bool:
    if constraint is None:
        return True
    start = getattr(constraint, "start_date", None)
    return start is None or start <= day  # a time-of-day window (peak rate): always


def _standard_on(model: Any, day: _dt.date) -> Any:
    prices = model.prices
    if not isinstance(prices, list):
        return prices
    if not prices:
        return None
    chosen = prices[0].prices  # genai-prices' fallback when no constraint is met
    for conditional in prices:  # the last active one wins
        if _active(conditional.constraint, day):
            chosen = conditional.prices
    return chosen


def _batch_on(model: Any, day: _dt.date) -> BatchPrices | None:
    found: dict[str, Any] = {}
    active = False
    for variant in model.price_variants or ():
        if variant.when != BATCH_CONTEXT or not _active(variant.constraint, day):
            continue
        active = True
        for key, value in vars(variant.prices).items():
            if value is not None:
                found.setdefault(key, value)  # the first active variant wins, key by key
    if not active:
        return None
    return BatchPrices(**{ours: _price(found.get(theirs)) for ours, theirs in _KEYS.items()})


def _resolve(provider: Any, model: Any, day: _dt.date) -> CatalogPrice | None:
    prices = _standard_on(model, day)
    if prices is None:
        return None
    got = {ours: _price(getattr(prices, theirs, None)) for ours, theirs in _KEYS.items()}
    pin, pout = got.pop("input"), got.pop("output")
    if pin is None or pout is None:
        return None
    return CatalogPrice(
        provider=provider.id, provider_name=provider.name, model=model.id,
        model_name=model.name or model.id, input=pin, output=pout,
        deprecated=bool(model.deprecated), batch=_batch_on(model, day),
        legacy=is_legacy(model), text_generation=is_text_generation(model, prices), **got)


def _change_dates(model: Any) -> list[_dt.date]:
    constraints = [c.constraint for c in model.prices] if isinstance(model.prices, list) else []
    constraints += [v.constraint for v in model.price_variants or () if v.when == BATCH_CONTEXT]
    return sorted({c.start_date for c in constraints if getattr(c, "start_date", None)})


@cache
def _snapshot() -> dict[str, tuple[Any, dict[str, Any]]]:
    from genai_prices.data_snapshot import get_snapshot

    return {p.id: (p, {m.id: m for m in p.models}) for p in get_snapshot().providers}


@cache
def models(as_of: _dt.date | None = None) -> tuple[CatalogPrice, ...]:
    """Every model with token prices on ``as_of`` (default today), by provider and model id."""
    day = as_of or _dt.date.today()
    out = [_resolve(provider, model, day)
           for provider, by_id in _snapshot().values() for model in by_id.values()]
    return tuple(sorted((m for m in out if m is not None), key=lambda m: (m.provider, m.model)))


@cache
def _index() -> dict[str, dict[str, CatalogPrice]]:
    out: dict[str, dict[str, CatalogPrice]] = {}
    for m in models():
        out.setdefault(m.provider, {})[m.model] = m
    return out


def providers() -> list[str]:
    """Providers with at least one token-priced model, sorted."""
    return sorted(_index())


def text_providers() -> list[str]:
    """Providers with at least one text-generation model (no speech, image or embedding-only)."""
    return sorted(p for p, ms in _index().items() if any(m.text_generation for m in ms.values()))


def models_of(provider: str, *, text_only: bool = False) -> list[CatalogPrice]:
    """The provider's models, newest first and legacy ones last (see ``catalog_order``)."""
    found = [m for m in _index().get(provider, {}).values() if m.text_generation or not text_only]
    return sorted(found, key=newest_first_key)


def _problem(provider: str, model: str) -> str | None:
    if provider not in providers():
        close = difflib.get_close_matches(provider, providers(), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return f"provider {provider!r} is not in the bundled price catalog{hint}"
    if model in _index()[provider]:
        return None
    close = difflib.get_close_matches(model, list(_index()[provider]), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"model {model!r} is not in the catalog for {provider}{hint}"


def schedule(provider: str, model: str) -> list[tuple[_dt.date | None, CatalogPrice]]:
    """Every dated price set of the model, oldest first: ``[(start date, prices), ...]``.

    The first entry's date is ``None`` (in force before any dated change). A date where
    neither a token price nor a batch price changes is left out. Raises ``KeyError`` with
    ``lookup``'s message for a model that is not in the catalog.
    """
    return list(_schedule(provider, model))


@cache
def _schedule(provider: str, model: str) -> tuple[tuple[_dt.date | None, CatalogPrice], ...]:
    problem = _problem(provider, model)
    if problem:
        raise KeyError(problem)
    prov, by_id = _snapshot()[provider]
    info = by_id[model]
    out: list[tuple[_dt.date | None, CatalogPrice]] = []
    for start in [None, *_change_dates(info)]:
        price = _resolve(prov, info, start or _dt.date.min)
        if price is not None and (not out or out[-1][1] != price):
            out.append((start, price))
    return tuple(out)


@cache
def lookup(provider: str, model: str, as_of: _dt.date | None = None) -> CatalogPrice | str:
    """The model's prices in force on ``as_of`` (default today), or what is wrong."""
    problem = _problem(provider, model)
    if problem:
        return problem
    if as_of is None:
        return _index()[provider][model]
    found = [p for start, p in _schedule(provider, model) if start is None or start <= as_of]
    return found[-1] if found else f"model {model!r} has no token prices on {as_of}"


def snapshot_label() -> str:
    """Where the catalog's prices come from, for a caption."""
    try:
        version = metadata.version("genai-prices")
    except metadata.PackageNotFoundError:  # pragma: no cover - it is a dependency
        version = "unknown"
    return f"genai-prices {version} (bundled price data, read offline)"
