"""The price catalog: token prices, batch prices, dated changes and the per-call formula.

The genai-prices fixtures below come from pydantic/genai-prices tests/test_batch_prices.py
(commit 43be0b0) and tests/test_price_variants.py (commit d901bf8): verbatim usage payloads of
real batch jobs and the dollars genai-prices' own ``calc_price`` gives for them. Each case
prices the same call through our catalog prices with ``call_cost`` and checks both the
fixture's literal number and genai-prices' answer on the bundled data.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest
from genai_prices import calc_price, extract_usage
from genai_prices.data_snapshot import get_snapshot

from calculator.model import catalog
from calculator.model.catalog import BATCH_CONTEXT, BatchPrices, TokenPrices, call_cost
from calculator.model.catalog_order import date_of, version_of

# Every figure is pinned to one day: prices change (Gemini 3.6 Flash on 2027-01-01).
DAY = dt.date(2026, 12, 1)
# 02:00 UTC: inside DeepSeek's peak windows, which the catalog always applies.
WHEN = dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)


def test_spec_worked_example():
    # Tin = 2,000, c = 0.5 -> 1,000 read from cache; W = 200 written; 800 uncached.
    # (800·3 + 1,000·0.30 + 200·3.75 + (100 + 300)·15) / 10^6
    # = (2,400 + 300 + 750 + 6,000) / 10^6 = 9,450 / 10^6
    p = TokenPrices(input=3.0, output=15.0, cached_input=0.30, cache_write=3.75)
    per_call = call_cost(p, tin=2_000, cached_tokens=0.5 * 2_000, cache_write_tokens=200,
                         tout=100, reasoning_tokens=300)
    assert per_call == pytest.approx(0.00945, rel=1e-12)
    assert 1_000_000 * per_call == pytest.approx(9_450)          # a month
    assert 12 * 1_000_000 * per_call == pytest.approx(113_400)   # 12 months, R = 0


def test_plain_call_matches_version_1_formula():
    # No writes, no reasoning: [(1 - c)·Tin·Pin + c·Tin·Pcached + Tout·Pout] / 10^6.
    # 1,000 input at 2.00 and 100 output at 10.00: (2,000 + 1,000) / 10^6 = 0.003.
    p = TokenPrices(input=2.0, output=10.0)
    assert call_cost(p, 1_000, 0, 0, 100) == pytest.approx(0.003)


def test_missing_prices_fall_back():
    # No cached price: cached tokens pay Pin. No write price: 1.25·Pin.
    # (500·2 + 500·2 + 100·2.5 + 0) / 10^6 with Tin = 1,100 (500 cached, 100 written).
    p = TokenPrices(input=2.0, output=10.0)
    assert call_cost(p, 1_100, 500, 100, 0) == pytest.approx((1_000 + 1_000 + 250) / 1e6)


def test_batch_prices_token_type_by_token_type():
    # Batch lists input and output only: cached and write tokens keep the standard prices.
    # (800·1.5 + 1,000·0.30 + 200·3.75 + 400·7.5) / 10^6 = (1,200 + 300 + 750 + 3,000) / 10^6
    p = TokenPrices(input=3.0, output=15.0, cached_input=0.30, cache_write=3.75,
                    batch=BatchPrices(input=1.5, output=7.5))
    assert call_cost(p, 2_000, 1_000, 200, 100, 300, batch=True) == pytest.approx(5_250 / 1e6)
    with pytest.raises(ValueError, match="no batch prices"):
        call_cost(TokenPrices(input=3.0, output=15.0), 1, 0, 0, 1, batch=True)


def test_call_cost_broadcasts_over_draws_and_months():
    draws = np.array([[2.0], [3.0], [4.0]])          # Pin per draw, shape (3, 1)
    months = np.array([1_000.0, 2_000.0, 4_000.0, 8_000.0])  # Tin per month, shape (4,)
    p = TokenPrices(input=draws, output=5 * draws, cached_input=draws / 10)
    got = call_cost(p, months, 0.25 * months, 0.0, 50.0, 10.0)
    assert got.shape == (3, 4)
    for i, pin in enumerate(draws[:, 0]):
        for j, tin in enumerate(months):
            one = TokenPrices(input=pin, output=5 * pin, cached_input=pin / 10)
            assert got[i, j] == pytest.approx(call_cost(one, tin, 0.25 * tin, 0.0, 50.0, 10.0))


# --- genai-prices' own batch and cache fixtures ------------------------------------------

ANTHROPIC_BATCH_CACHE_WRITE = {
    "model": "claude-haiku-4-5-20251001",
    "usage": {"input_tokens": 17, "cache_creation_input_tokens": 7082,
              "cache_read_input_tokens": 0,
              "cache_creation": {"ephemeral_5m_input_tokens": 7082,
                                 "ephemeral_1h_input_tokens": 0},
              "output_tokens": 5, "service_tier": "batch"},
}
ANTHROPIC_BATCH_CACHE_READ = {
    "model": "claude-haiku-4-5-20251001",
    "usage": {"input_tokens": 17, "cache_creation_input_tokens": 0,
              "cache_read_input_tokens": 7082,
              "cache_creation": {"ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 0},
              "output_tokens": 5, "service_tier": "batch"},
}
OPENAI_BATCH_RESULT = {
    "model": "gpt-5-nano-2025-08-07",
    "usage": {"prompt_tokens": 6382, "completion_tokens": 64, "total_tokens": 6446,
              "prompt_tokens_details": {"cached_tokens": 6272, "audio_tokens": 0},
              "completion_tokens_details": {"reasoning_tokens": 64, "audio_tokens": 0}},
}
OPENAI_BATCH_JOB = {
    "model": "gpt-5-nano-2025-08-07",
    "usage": {"input_tokens": 12764, "output_tokens": 128, "total_tokens": 12892,
              "input_tokens_details": {"cached_tokens": 6272},
              "output_tokens_details": {"reasoning_tokens": 128}},
}

# (payload, provider, api flavour, catalog model, Tin, C, W, Tout, Tr, batch $, standard $)
# Tin counts every input token (genai-prices' input_tokens includes cache reads and writes);
# genai-prices' output_tokens include the reasoning tokens, so Tout = output - reasoning.
FIXTURES = [
    # Haiku 4.5 batch: (17·0.5 + 7,082·0.625 + 5·2.5) / 10^6 = 4,447.25 / 10^6;
    # standard: (17·1 + 7,082·1.25 + 5·5) / 10^6 = 8,894.5 / 10^6.
    (ANTHROPIC_BATCH_CACHE_WRITE, "anthropic", "default", "claude-haiku-4-5",
     7099, 0, 7082, 5, 0, "0.00444725", "0.0088945"),
    # batch: (17·0.5 + 7,082·0.05 + 5·2.5) / 10^6 = 375.1 / 10^6; standard 750.2 / 10^6.
    (ANTHROPIC_BATCH_CACHE_READ, "anthropic", "default", "claude-haiku-4-5",
     7099, 7082, 0, 5, 0, "0.0003751", "0.0007502"),
    # gpt-5-nano batch: (110·0.025 + 6,272·0.0025 + 64·0.2) / 10^6 = 31.23 / 10^6;
    # standard: (110·0.05 + 6,272·0.005 + 64·0.4) / 10^6 = 62.46 / 10^6.
    (OPENAI_BATCH_RESULT, "openai", "chat", "gpt-5-nano",
     6382, 6272, 0, 0, 64, "0.00003123", "0.00006246"),
    # job totals: (6,492·0.025 + 6,272·0.0025 + 128·0.2) / 10^6 = 203.58 / 10^6; x2 standard.
    (OPENAI_BATCH_JOB, "openai", "responses", "gpt-5-nano",
     12764, 6272, 0, 0, 128, "0.00020358", "0.00040716"),
]


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f[3] + "-" + f[2])
def test_genai_prices_batch_fixtures(fixture):
    payload, provider, flavour, model, tin, cached, write, tout, tr, batch_usd, std_usd = fixture
    prices = catalog.lookup(provider, model, as_of=DAY)
    assert isinstance(prices, catalog.CatalogPrice)
    ours_batch = call_cost(prices, tin, cached, write, tout, tr, batch=True)
    ours_std = call_cost(prices, tin, cached, write, tout, tr)
    assert ours_batch == pytest.approx(float(Decimal(batch_usd)), rel=1e-12)
    assert ours_std == pytest.approx(float(Decimal(std_usd)), rel=1e-12)

    extracted = extract_usage(payload, provider_id=provider, api_flavor=flavour)
    usage = extracted.usage
    assert (usage.input_tokens, usage.cache_read_tokens or 0) == (tin, cached)
    assert usage.output_tokens == tout + tr
    theirs_batch = extracted.calc_price(genai_request_timestamp=WHEN, price_context=BATCH_CONTEXT)
    theirs_std = extracted.calc_price(genai_request_timestamp=WHEN)
    assert theirs_batch.total_price == Decimal(batch_usd)
    assert theirs_std.total_price == Decimal(std_usd)


def test_google_batch_keeps_the_standard_cache_read_price():
    # gemini-3.1-pro-preview, 100,000 input of which 40,000 cached (genai-prices fixture).
    # standard: (60,000·2 + 40,000·0.2) / 10^6 = 0.128
    # batch: input halved, cache read not:  (60,000·1 + 40,000·0.2) / 10^6 = 0.068
    prices = catalog.lookup("google", "gemini-3.1-pro-preview", as_of=DAY)
    assert isinstance(prices, catalog.CatalogPrice) and prices.batch is not None
    assert prices.batch.cached_input is None  # no batch price: the standard one applies
    assert call_cost(prices, 100_000, 40_000, 0, 0) == pytest.approx(0.128)
    assert call_cost(prices, 100_000, 40_000, 0, 0, batch=True) == pytest.approx(0.068)
    for context, usd in ((None, "0.128"), (BATCH_CONTEXT, "0.068")):
        theirs = calc_price(_usage(100_000, 40_000), "gemini-3.1-pro-preview",
                            provider_id="google", genai_request_timestamp=WHEN,
                            price_context=context)
        assert theirs.total_price == Decimal(usd)


@pytest.mark.parametrize(("provider", "model", "ratio"), [
    ("anthropic", "claude-opus-5", 0.5),
    ("openai", "gpt-5.6-terra", 0.5),
    ("google", "gemini-3.6-flash", 0.5),
    ("mistral", "mistral-large-2512", 0.5),
    ("x-ai", "grok-4.3", 0.8),  # xAI discounts batch by 20 %, not 50 %
])
def test_batch_discount_ratio(provider, model, ratio):
    # genai-prices' fixture: 1,000,000 input and 100,000 output tokens, batch = ratio x standard.
    prices = catalog.lookup(provider, model, as_of=DAY)
    assert isinstance(prices, catalog.CatalogPrice)
    std = call_cost(prices, 1_000_000, 0, 0, 100_000)
    assert call_cost(prices, 1_000_000, 0, 0, 100_000, batch=True) == pytest.approx(std * ratio)
    usage = _usage(1_000_000, 0, 100_000)
    theirs_std, theirs_batch = (calc_price(usage, model, provider_id=provider, price_context=c,
                                           genai_request_timestamp=WHEN).total_price
                                for c in (None, BATCH_CONTEXT))
    assert theirs_batch == theirs_std * Decimal(str(ratio))
    # Dollars agree below the long-context tiers (a 1M-token prompt crosses them on
    # gpt-5.6-terra and grok-4.3; the catalog keeps the base tier for short prompts).
    small = calc_price(_usage(10_000, 0, 1_000), model, provider_id=provider,
                       genai_request_timestamp=WHEN, price_context=BATCH_CONTEXT)
    ours = call_cost(prices, 10_000, 0, 0, 1_000, batch=True)
    assert float(small.total_price) == pytest.approx(ours, rel=1e-12)


def test_no_batch_prices_where_the_data_lists_none():
    # genai-prices' fixture expects Groq llama-3.3-70b-versatile at half price in batch, but
    # the bundled genai-prices 0.2.3 data has no batch variant for it (its Groq batch prices
    # cover the gpt-oss models): genai-prices itself then bills batch at the standard price,
    # and the catalog lists no batch prices (the engine applies its batch-discount rule).
    for provider, model in (("groq", "llama-3.3-70b-versatile"), ("deepseek", "deepseek-v4-pro")):
        prices = catalog.lookup(provider, model, as_of=DAY)
        assert isinstance(prices, catalog.CatalogPrice) and prices.batch is None
        usage = _usage(1_000, 0, 1_000)
        std, batch = (calc_price(usage, model, provider_id=provider, genai_request_timestamp=WHEN,
                                 price_context=c).total_price for c in (None, BATCH_CONTEXT))
        assert batch == std


def test_groq_batch_does_not_stack_with_caching():
    # "cached input is billed at the halved input rate": batch cache read 0.075 = input 0.075.
    prices = catalog.lookup("groq", "openai/gpt-oss-120b", as_of=DAY)
    assert isinstance(prices, catalog.CatalogPrice)
    assert (prices.input, prices.cached_input) == (0.15, 0.075)
    assert prices.batch == BatchPrices(input=0.075, cached_input=0.075, output=0.3)


def _usage(tin: int, cached: int, tout: int = 0):
    from genai_prices import Usage

    return Usage(input_tokens=tin, cache_read_tokens=cached, output_tokens=tout)


# --- the catalog agrees with genai-prices' resolution, model by model -------------------

def _theirs(info, day: dt.date, context):
    got = info.get_prices(dt.datetime.combine(day, dt.time(2, 0), dt.UTC), context)
    return {k: catalog._price(getattr(got, v, None)) for k, v in catalog._KEYS.items()}


def test_every_model_and_date_matches_genai_prices_resolution():
    by_id = {p.id: {m.id: m for m in p.models} for p in get_snapshot().providers}
    checked = 0
    for m in catalog.models():
        info = by_id[m.provider][m.model]
        for start, price in catalog.schedule(m.provider, m.model):
            day = start or dt.date(2000, 1, 1)
            std = _theirs(info, day, None)
            assert std == {k: getattr(price, k) for k in catalog._KEYS}, (m.model, day)
            batch = _theirs(info, day, BATCH_CONTEXT)
            b = price.batch
            ours = {k: (getattr(b, k) if b and getattr(b, k) is not None else getattr(price, k))
                    for k in catalog._KEYS}
            assert batch == ours, (m.provider, m.model, day)
            checked += 1
    assert checked > 2_000


# --- dated prices -----------------------------------------------------------------------

def test_schedule_lists_dated_price_sets():
    s = catalog.schedule("google", "gemini-3.6-flash")
    assert [d for d, _ in s] == [None, dt.date(2026, 10, 14), dt.date(2027, 1, 1)]
    (_, intro), (_, with_batch), (_, later) = s
    assert (intro.input, intro.cached_input, intro.output, intro.batch) == (0.75, 0.075, 3.75, None)
    assert with_batch.batch == BatchPrices(input=0.375, cached_input=0.0375, output=1.875)
    assert (later.input, later.cached_input, later.output) == (1.5, 0.15, 7.5)
    assert later.batch == BatchPrices(input=0.75, cached_input=0.075, output=3.75)
    # OpenAI cut gpt-5.6-luna by 80 % on 2026-07-30: 1.00 / 6.00 -> 0.20 / 1.20.
    luna = catalog.schedule("openai", "gpt-5.6-luna")
    assert [(d, p.input, p.output) for d, p in luna[:2]] == [
        (None, 1.0, 6.0), (dt.date(2026, 7, 30), 0.2, 1.2)]


def test_lookup_on_a_day():
    before = catalog.lookup("openai", "gpt-5.6-luna", as_of=dt.date(2026, 7, 29))
    after = catalog.lookup("openai", "gpt-5.6-luna", as_of=dt.date(2026, 7, 30))
    assert isinstance(before, catalog.CatalogPrice) and isinstance(after, catalog.CatalogPrice)
    assert (before.input, after.input) == (1.0, 0.2)
    assert before.batch is None and after.batch is None  # batch prices start 2026-10-14
    assert catalog.lookup("openai", "gpt-5-mini") == catalog.lookup(
        "openai", "gpt-5-mini", as_of=dt.date.today())
    assert "did you mean 'gpt-5-mini'" in str(catalog.lookup("openai", "gpt-5-mimi"))
    with pytest.raises(KeyError, match="not in the bundled price catalog"):
        catalog.schedule("nobody", "x")


def test_cache_write_prices():
    haiku = catalog.lookup("anthropic", "claude-haiku-4-5", as_of=DAY)
    assert isinstance(haiku, catalog.CatalogPrice)
    # 5-minute writes 1.25 x input, 1-hour writes 2 x input; batch halves all of them.
    assert (haiku.input, haiku.cache_write, haiku.cache_write_1h) == (1.0, 1.25, 2.0)
    assert haiku.batch == BatchPrices(input=0.5, cached_input=0.05, cache_write=0.625,
                                      output=2.5, cache_write_1h=1.0)
    nano = catalog.lookup("openai", "gpt-5-nano", as_of=DAY)
    assert isinstance(nano, catalog.CatalogPrice) and nano.cache_write is None


def test_time_of_day_prices_use_the_peak_rate():
    # deepseek-chat: 0.135 / 0.55 off-peak, 0.27 / 1.10 in the 00:30-16:30 UTC window.
    chat = catalog.lookup("deepseek", "deepseek-chat", as_of=DAY)
    assert isinstance(chat, catalog.CatalogPrice)
    assert (chat.input, chat.output) == (0.27, 1.1)


# --- providers, order, text models -----------------------------------------------------

def test_text_providers():
    text = catalog.text_providers()
    assert {"openai", "anthropic", "google", "mistral", "groq"} <= set(text)
    assert "elevenlabs" not in text and "elevenlabs" in catalog.providers()  # speech only
    assert set(text) <= set(catalog.providers())


def test_models_of_newest_first_legacy_last():
    anthropic = [m.model for m in catalog.models_of("anthropic")]
    assert anthropic.index("claude-opus-4-5") < anthropic.index("claude-3-7-sonnet-latest")
    assert anthropic.index("claude-sonnet-4-6") < anthropic.index("claude-sonnet-4-5")
    assert anthropic[-1] == "claude-v1"  # "Retired, here to match price sources"
    mistral = catalog.models_of("mistral")
    first_legacy = next(i for i, m in enumerate(mistral) if m.legacy)
    assert all(m.legacy for m in mistral[first_legacy:])
    assert "mistral-medium-2312" in [m.model for m in mistral[first_legacy:]]  # "Retired on"
    openai = [m.model for m in catalog.models_of("openai", text_only=True)]
    assert openai.index("gpt-5.4-mini") < openai.index("gpt-5-mini") < openai.index("gpt-4o")
    assert not {"gpt-image-1", "gpt-realtime", "gpt-4o-mini-tts"} & set(openai)
    assert {m.model for m in catalog.models_of("openai")} > set(openai)


@pytest.mark.parametrize(("model", "version"), [
    ("claude-haiku-4-5", (4, 5)), ("claude-3-5-haiku-latest", (3, 5)),
    ("claude-opus-4-0", (4,)), ("claude-opus-4-20250514", (4,)), ("gpt-4o", (4,)),
    ("gpt-5.4-nano", (5, 4)), ("o3-mini", (3,)), ("llama-3.3-70b-versatile", (3, 3)),
    ("Qwen/Qwen3-235B-A22B-Instruct-2507", (3,)), ("mixtral-8x7b", None),
    ("mistral-large-2512", None), ("global.anthropic.claude-opus-4-5-v1:0", (4, 5)),
])
def test_version_of(model, version):
    assert version_of(model) == version


def test_date_of():
    assert date_of("claude-haiku-4-5-20251001") == dt.date(2025, 10, 1)
    assert date_of("gpt-4o-2024-05-13") == dt.date(2024, 5, 13)
    assert date_of("mistral-large-2512") == dt.date(2025, 12, 1)
    assert date_of("deepseek-r1-0528") is None  # MMDD, not a year


# --- cache floors (minimum cacheable prompt length) --------------------------------------

@pytest.mark.parametrize(("provider", "model", "tokens"), [
    ("anthropic", "claude-haiku-4-5", 4096),
    ("aws", "global.anthropic.claude-haiku-4-5-20251001-v1:0", 4096),
    ("google", "claude-haiku-4-5", 4096),          # Claude on Vertex: same minimums
    ("anthropic", "claude-opus-4-5", 4096),
    ("anthropic", "claude-opus-4-7", 2048),
    ("anthropic", "claude-opus-5", 512),
    ("anthropic", "claude-sonnet-4-5", 1024),
    ("anthropic", "claude-opus-4-0", 1024),
    ("google", "claude-4-opus", 1024),
    ("anthropic", "claude-3-5-haiku-latest", 2048),
    ("anthropic", "claude-3-haiku", 2048),
    ("openai", "gpt-5-mini", 1024),
    ("openai", "ft:gpt-4o", 1024),
    ("google", "gemini-2.5-flash", 2048),
    ("google", "gemini-3.6-flash", 4096),
])
def test_cache_floor(provider, model, tokens):
    from calculator.model.cache_floor import cache_floor

    found = cache_floor(provider, model)
    assert found is not None and found.tokens == tokens
    assert found.source.startswith("https://") and "read 2026-12-01" in found.source


@pytest.mark.parametrize(("provider", "model"), [
    ("anthropic", "claude-fable-5-1"),     # not in the documentation's list
    ("openai", "gpt-3.5-turbo"),           # no prompt caching before gpt-4o
    ("google", "gemini-2.5-flash-lite"),   # not listed
    ("mistral", "mistral-large-2512"),     # no sourced figure
    ("openrouter", "anthropic/claude-haiku-4.5"),
])
def test_cache_floor_unknown(provider, model):
    from calculator.model.cache_floor import cache_floor

    assert cache_floor(provider, model) is None


def test_cache_floor_warning_case():
    # The spec's worked example on Claude Haiku 4.5: c·Tin = 0.5 · 2,000 = 1,000 cached
    # tokens, below the 4,096-token minimum: the provider would cache nothing (warn).
    from calculator.model.cache_floor import ROWS, cache_floor

    floor = cache_floor("anthropic", "claude-haiku-4-5")
    assert floor is not None and floor.tokens > 0.5 * 2_000
    for row in ROWS:
        assert row.source.startswith("https://") and row.checked <= dt.date(2026, 12, 1)
        assert row.published is None or row.published <= row.checked


# --- serving instances -----------------------------------------------------------------

@pytest.mark.parametrize(("name", "per_hour", "per_month"), [
    # prices-and-costs.md section 1.3: $/h on-demand and $/month at 730 h.
    ("g4dn.xlarge", 0.526, 383.98), ("g6.xlarge", 0.8048, 587.50),
    ("inf2.xlarge", 0.7582, 553.49), ("g5.xlarge", 1.006, 734.38),
    ("g6e.xlarge", 1.861, 1_358.53), ("m7g.large", 0.0816, 59.57),
    ("t3.large", 0.0832, 60.74),
])
def test_aws_instances_match_the_reference(name, per_hour, per_month):
    from calculator.model.gpus import instance

    row = instance("aws", name)
    assert row is not None and row.price_per_hour == per_hour
    assert round(row.price_per_hour * 730, 2) == per_month


def test_gpu_table():
    from calculator.model.gpus import INSTANCES, instance, instances

    p4d, p5 = instance("aws", "p4d.24xlarge"), instance("aws", "p5.48xlarge")
    assert p4d is not None and p5 is not None
    assert (p4d.gpus, p4d.gpu_model, p4d.gpu_memory_gb, round(p4d.price_per_hour, 2)) == (
        8, "NVIDIA A100", 320, 21.96)
    assert (p5.gpus, p5.gpu_memory_gb, p5.price_per_hour) == (8, 640, 55.04)
    assert instance("aws", "g9.nothing") is None
    hf = instances("huggingface")
    assert [r.price_per_hour for r in hf] == sorted(r.price_per_hour for r in hf)
    assert instance("huggingface", "aws-nvidia-t4-x1").price_per_hour == 0.5  # type: ignore[union-attr]
    assert len({(r.cloud, r.instance) for r in INSTANCES}) == len(INSTANCES)
    for r in INSTANCES:
        assert r.source and r.as_of <= dt.date(2026, 12, 1) and r.price_per_hour > 0
        assert (r.gpus == 0) == (r.gpu_model is None) == (r.gpu_memory_gb == 0)
        assert r.reserved_1y_per_hour is None or r.reserved_1y_per_hour < r.price_per_hour
