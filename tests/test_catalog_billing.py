"""The catalog bills a GenAI option as its provider does: batch prices token type by token
type, and dated price changes from the month they take effect (spec v2)."""

from __future__ import annotations

import pytest

import calculator as c
from tests.worked import worked


def llm(horizon: int = 3, start_date: str | None = None, **opt) -> c.Scenario:
    data = worked(horizon_months=horizon, traffic__calls_per_month=1000, start_date=start_date)
    del data["options"]["model"]
    data["options"]["api"] = {"kind": "genai_api", "input_tokens_per_call": 1000,
                              "output_tokens_per_call": 100} | opt
    return c.validate(data)


def months(s: c.Scenario) -> list[float]:
    return [round(float(x), 9) for x in c.evaluate(s).money[0, 0]]


def test_batch_calls_are_priced_at_the_models_batch_prices_token_type_by_token_type():
    # Claude Haiku 4.5 lists batch prices (0.5 in / 2.5 out, half the 1 / 5 standard).
    # standard call: (1,000 x 1 + 100 x 5) / 10^6 = 0.0015; batch: (500 + 250) / 10^6 =
    # 0.00075; half the calls in batch: 0.5 x 0.0015 + 0.5 x 0.00075 = 0.001125 a call,
    # 1.125 for 1,000 calls a month (the batch_discount of 0.9 is not used)
    s = llm(catalog={"provider": "anthropic", "model": "claude-haiku-4-5"}, batch_share=0.5,
            batch_discount=0.9)
    assert months(s) == [1.125, 1.125, 1.125]


def test_a_typed_price_keeps_the_plain_rule():
    # typed input 1.00 (output from the catalog, 5.00): 0.0015 a call x (1 - 0.5 x 0.9)
    # = 0.000825, 0.825 for 1,000 calls
    s = llm(catalog={"provider": "anthropic", "model": "claude-haiku-4-5"}, batch_share=0.5,
            batch_discount=0.9, price_per_million_input_tokens=1.0)
    assert months(s) == [0.825, 0.825, 0.825]


def test_dated_price_changes_apply_from_their_month_with_a_start_date():
    # gemini-3.6-flash: 0.75 / 3.75 until 2027-01-01, then 1.50 / 7.50. From November 2026,
    # months 1-2 (Nov, Dec) at (1,000 x 0.75 + 100 x 3.75) / 10^6 = 0.001125 a call, month 3
    # (Jan 2027) at (1,500 + 750) / 10^6 = 0.00225: 1.125, 1.125, 2.25 for 1,000 calls
    s = llm(start_date="2026-11", catalog={"provider": "google", "model": "gemini-3.6-flash"})
    assert months(s) == [1.125, 1.125, 2.25]
    # a price change of its own on top: f(m) = (1 - 0.2)^((m - 1)/12)
    s = llm(start_date="2026-11", catalog={"provider": "google", "model": "gemini-3.6-flash"},
            price_change_per_year=-0.2)
    assert float(c.evaluate(s).money[0, 0, 2]) == pytest.approx(2.25 * 0.8 ** (2 / 12), rel=1e-12)


def test_without_a_start_date_todays_catalog_price_holds_for_the_horizon():
    s = llm(horizon=3, catalog={"provider": "google", "model": "gemini-3.6-flash"})
    today = c.evaluate(s).money[0, 0]
    assert today[0] == today[2]
