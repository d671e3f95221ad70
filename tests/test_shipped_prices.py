"""Every price in a shipped scenario equals the row it cites, and is billed as providers bill.

- A ``genai_api`` option with a ``catalog`` model: each typed-in token price (input, cached
  input, cache write, output; each end of a range) equals that model's price in the bundled
  catalog on the file's ``prices_as_of`` day - or the comment at the end of that line says why
  it differs: it names another catalog model of the same provider whose price that is (``low =
  claude-haiku-5-5 input price``), or it says ``differs`` and why.
- An ``in_house`` option's node price equals the instance's row in ``calculator/model/gpus.py``
  when the option picks one (``node_catalog``) or its price comment names one (on-demand; the
  1-year reserved price when the comment says "reserved").
- A cached input share is used only where the cached prefix clears the model's minimum
  cacheable length (``calculator/model/cache_floor.py``), with cache writes where the provider
  bills them (Anthropic); reasoning models (OpenAI gpt-5 family, o-series) bill reasoning tokens.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from conftest import SCENARIOS

import calculator as c
from calculator.model import catalog, gpus
from calculator.model.cache_floor import cache_floor
from calculator.model.comments import Comment, comments_of
from calculator.model.numbers import Range, likely
from calculator.model.options import GenAIOption, InHouseOption

TOKEN_PRICES = {  # our field -> CatalogPrice attribute
    "price_per_million_input_tokens": "input",
    "price_per_million_cached_input_tokens": "cached_input",
    "price_per_million_cache_write_tokens": "cache_write",
    "price_per_million_output_tokens": "output",
}
CHARGES_CACHE_WRITES = {"anthropic"}           # providers that bill writing the prompt cache
REASONING_MODEL = re.compile(r"^(?:gpt-5(?![.\d]*-chat)|o\d)")   # gpt-5 family, o1/o3/o4...


def _values(v: float | Range) -> list[float]:
    return [v.low, v.likely, v.high] if isinstance(v, Range) else [v]


def _low(v: float | Range) -> float:
    return v.low if isinstance(v, Range) else v


def _same(a: float | None, b: float | None) -> bool:
    return a is not None and b is not None and abs(a - b) <= 1e-9 * max(1.0, abs(b))


def _named(text: str, names: list[str]) -> list[str]:
    """The names that appear in ``text`` as whole words (dots and dashes are part of a name)."""
    return [n for n in names if re.search(rf"(?<![\w.-]){re.escape(n)}(?![\w-]|\.\w)", text)]


def _load(path: Path) -> tuple[c.Scenario, dict[str, Comment]]:
    text = path.read_text()
    return c.loads_scenario(text), comments_of(text)


def _day(s: c.Scenario) -> dt.date | None:
    return s.prices_as_of


def _genai(path: Path):
    s, notes = _load(path)
    for name, opt in s.options.items():
        if isinstance(opt, GenAIOption) and opt.catalog is not None:
            yield s, notes, name, opt


def _explained(value: float, kind: str, provider: str, comment: str, day: dt.date | None) -> bool:
    if re.search(r"\bdiffers\b", comment):
        return True
    ids = [m.model for m in catalog.models_of(provider)]
    for model in _named(comment, ids):
        other = catalog.lookup(provider, model, day)
        if not isinstance(other, str) and _same(value, getattr(other, kind)):
            return True
    return False


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_typed_token_prices_equal_their_catalog_row(path):
    problems = []
    for s, notes, name, opt in _genai(path):
        row = catalog.lookup(opt.catalog.provider, opt.catalog.model, _day(s))
        assert not isinstance(row, str), f"{path.name}: options.{name}.catalog: {row}"
        for field, kind in TOKEN_PRICES.items():
            typed = getattr(opt, field)
            if typed is None:
                continue            # left empty: the catalog's price is used
            where = f"options.{name}.{field}"
            comment = notes.get(where, Comment()).trailing
            for value in _values(typed):
                if _same(value, getattr(row, kind)):
                    continue
                if not _explained(value, kind, opt.catalog.provider, comment, _day(s)):
                    problems.append(f"{where} = {value}, but {opt.catalog.model} costs "
                                    f"{getattr(row, kind)} (catalog, {_day(s)}) and the line's "
                                    f"comment {comment!r} names no catalog model at that price "
                                    "nor says why it differs")
    assert problems == [], f"{path.name}:\n" + "\n".join(problems)


def test_a_price_from_another_model_needs_that_model_named_on_its_line():
    haiku_45 = catalog.lookup("anthropic", "claude-haiku-4-5")
    assert not isinstance(haiku_45, str)
    assert _explained(0.10, "input", "anthropic", "low = claude-haiku-5-5 input price", None)
    assert not _explained(0.10, "input", "anthropic", "low = Haiku 5.5, unverified", None)
    assert not _explained(0.20, "input", "anthropic", "low = claude-haiku-5-5", None)
    assert _explained(0.90, "input", "anthropic", "differs: our negotiated 10 % discount", None)
    assert _named("g4dn.xlarge (T4)", ["g4dn.xlarge", "g4dn.2xlarge"]) == ["g4dn.xlarge"]
    assert _named("claude-haiku-4-5-20251001", ["claude-haiku-4-5"]) == []


def _instance_named(text: str) -> list[gpus.GpuInstance]:
    names = sorted({r.instance for r in gpus.INSTANCES}, key=len, reverse=True)
    found = _named(text, names)
    return [r for r in gpus.INSTANCES if r.instance in found]


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_node_prices_equal_the_gpu_table(path):
    s, notes = _load(path)
    problems = []
    for name, opt in s.options.items():
        if not isinstance(opt, InHouseOption):
            continue
        where = f"options.{name}.node_cost_per_hour"
        note = notes.get(where, Comment())
        comment = note.text()
        if opt.node_catalog is not None:
            rows = [gpus.instance(opt.node_catalog.cloud, opt.node_catalog.instance)]
        else:
            rows = _instance_named(comment)
            if len({(r.price_per_hour, r.reserved_1y_per_hour) for r in rows}) > 1:
                problems.append(f"{where}: the comment names several instances "
                                f"({', '.join(r.instance for r in rows)}); name one")
                continue
        if opt.node_cost_per_hour is None or not rows:
            continue                # the table fills the price, or no instance is cited
        row = rows[0]
        assert row is not None
        reserved = re.search(r"\breserved\b", comment) is not None
        want = row.reserved_1y_per_hour if reserved else row.price_per_hour
        for value in _values(opt.node_cost_per_hour):
            if not _same(value, want) and not re.search(r"\bdiffers\b", note.trailing):
                problems.append(f"{where} = {value}, but {row.cloud} {row.instance} costs {want} "
                                f"an hour {'(1-year reserved)' if reserved else 'on demand'} in "
                                "calculator/model/gpus.py")
    assert problems == [], f"{path.name}:\n" + "\n".join(problems)


def test_every_shipped_node_price_cites_an_instance_of_the_table():
    for path in SCENARIOS:
        s, notes = _load(path)
        for name, opt in s.options.items():
            if isinstance(opt, InHouseOption) and opt.node_catalog is None:
                note = notes.get(f"options.{name}.node_cost_per_hour", Comment()).text()
                assert _instance_named(note), f"{path.name}: options.{name}.node_cost_per_hour " \
                    "cites no instance of calculator/model/gpus.py"


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_cached_prefixes_clear_the_providers_minimum(path):
    for _s, _notes, name, opt in _genai(path):
        share, tin = opt.cached_input_share, opt.input_tokens_per_call
        if likely(share) == 0 and _low(share) == 0:
            assert likely(opt.cache_write_tokens_per_call) == 0, \
                f"options.{name}: cache writes without a cached prefix"
            continue
        floor = cache_floor(opt.catalog.provider, opt.catalog.model)
        assert floor is not None, f"options.{name}: no known cache floor for " \
            f"{opt.catalog.model}; use no cached share until one is sourced"
        prefix = _low(share) * _low(tin)
        assert prefix >= floor.tokens, (
            f"{path.name}: options.{name}: cached prefix {prefix:,.0f} tokens is below the "
            f"{floor.tokens:,} tokens {opt.catalog.model} caches at the least ({floor.source})")
        if opt.catalog.provider in CHARGES_CACHE_WRITES:
            assert likely(opt.cache_write_tokens_per_call) > 0, \
                f"{path.name}: options.{name}: {opt.catalog.provider} bills cache writes"


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_reasoning_models_bill_reasoning_tokens(path):
    for _s, _notes, name, opt in _genai(path):
        if REASONING_MODEL.match(opt.catalog.model):
            assert likely(opt.reasoning_tokens_per_call) > 0, \
                f"{path.name}: options.{name}: {opt.catalog.model} is a reasoning model"


def test_the_checks_are_not_vacuous():
    genai = [o for p in SCENARIOS for *_rest, o in _genai(p)]
    assert len(genai) >= 5
    assert any(isinstance(getattr(o, f), Range) for o in genai for f in TOKEN_PRICES)
    assert any(likely(o.cached_input_share) > 0 for o in genai)
    assert any(REASONING_MODEL.match(o.catalog.model) for o in genai)
    nodes = [o for p in SCENARIOS for o in c.load_scenario(p).options.values()
             if isinstance(o, InHouseOption)]
    assert len(nodes) >= 6
