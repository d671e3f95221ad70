"""How numbers and answers are said (calculator.model.wording): money, amounts, volumes,
percentages, months and calendar months, values by their unit, and the words for a chance.
Every expectation is worked out by hand from the rule in the function's docstring."""

from __future__ import annotations

import datetime as dt
import math
import re

import pytest

from calculator.model import wording as w

NOT_FINITE = [None, math.nan, math.inf, -math.inf]


# -- money: 3 significant digits and a k/M/B/T suffix -------------------------------------------

@pytest.mark.parametrize("x, currency, text", [
    (1_234_567, "USD", "$1.23M"),           # 1.234567M to 3 digits
    (99_400, "EUR", "€99.4k"),
    (105_820, "USD", "$106k"),              # 105.82k rounds up
    (999_499, "USD", "$999k"),              # 999.499k -> 999k
    (999_960, "USD", "$1M"),                # 999.96k would read "1,000k": it is 1M
    (2.5e9, "GBP", "£2.5B"),
    (1_000, "JPY", "¥1k"),
    (999, "INR", "₹999"),
    (0, "USD", "$0"),
    (-28_300, "USD", "-$28.3k"),            # the sign before the symbol
    (0.004, "USD", "$0.004"),
    (1_200, "CHF", "1.2k CHF"),             # no symbol of its own: the code after the number
    (1_200, "usd", "$1.2k"),                # a code in lower case still has its symbol
])
def test_money(x, currency, text):
    assert w.money(x, currency) == text


def test_trillions_keep_their_suffix_past_a_thousand():
    assert w.money(2e15, "USD") == "$2,000T"
    assert w.money(999.96e12, "USD") == "$1,000T"          # no suffix above T to carry to


@pytest.mark.parametrize("x", [1.2e-8, 1.57e-216])
def test_a_tiny_amount_is_not_written_with_all_its_zeros(x):
    assert not re.search(r"\.0{6,}", w.money(x, "USD")), w.money(x, "USD")


@pytest.mark.parametrize("x", NOT_FINITE)
def test_money_that_is_not_a_number_is_said_so(x):
    assert w.money(x, "USD") == "n/a"
    assert w.amount(x, "USD") == "n/a"


# -- amounts: as typed, with separators and cents ------------------------------------------------

@pytest.mark.parametrize("x, text", [
    (20_000, "$20,000"),
    (1_234.5678901, "$1,234.56789"),        # at most 6 decimals, trailing zeros dropped
    (1.5, "$1.50"),                         # one decimal is written as cents
    (1.0, "$1"),
    (0.526, "$0.526"),
    (5e-5, "$0.00005"),                     # under 0.0001: 3 significant digits
    (1.23456e-7, "$0.000000123"),
    (0, "$0"),
    (-1.5, "-$1.50"),
])
def test_amount(x, text):
    assert w.amount(x, "USD") == text


# -- volumes, plain numbers and percentages -------------------------------------------------------

@pytest.mark.parametrize("x, text", [
    (1_943_333.3, "1.9M"),                  # 2 significant digits with a suffix ...
    (576_666.67, "577k"),                   # ... but the whole part is never cut: 576.67k
    (1_000, "1k"),
    (999, "999"),                           # under a thousand: 3 significant digits
    (12.345, "12.3"),
    (0.25, "0.25"),
    (0, "0"),
])
def test_calls(x, text):
    assert w.calls(x) == text


@pytest.mark.parametrize("x, text", [
    (1_400, "1,400"), (0.75, "0.75"), (2.0, "2"), (1 / 3, "0.333333"),
    (1.234e-5, "0.0000123"), (-5e-5, "-0.00005"), (2e15, "2,000T"), (0, "0")])
def test_number(x, text):
    assert w.number(x) == text


@pytest.mark.parametrize("x, text", [
    (0.025, "2.5 %"), (1.0, "100 %"), (0.123456, "12.3 %"), (0.0001234, "0.0123 %"),
    (-0.05, "-5 %"), (0, "0 %"), (2.5, "250 %")])
def test_pct(x, text):
    assert w.pct(x) == text


@pytest.mark.parametrize("f", [w.calls, w.number, w.pct])
@pytest.mark.parametrize("x", NOT_FINITE)
def test_figures_that_are_not_numbers_are_said_so(f, x):
    assert f(x) == "n/a"


# -- months -------------------------------------------------------------------------------------

@pytest.mark.parametrize("n, text", [(1, "1 month"), (1.0, "1 month"), (2, "2 months"),
                                     (1.5, "1.5 months"), (0, "0 months"),
                                     (1_200, "1,200 months")])
def test_months(n, text):
    assert w.months(n) == text


@pytest.mark.parametrize("x, text", [(0.5, "half a month"), (2.04, "2 months"),
                                     (0.96, "1 month"), (3.46, "3.5 months")])
def test_month_count_rounds_to_a_tenth(x, text):
    assert w.month_count(x) == text


@pytest.mark.parametrize("m, start, when", [
    (1, dt.date(2027, 1, 1), "Jan 2027"),       # month 1 is the start month
    (12, dt.date(2027, 3, 1), "Feb 2028"),      # March + 11 months
    (13, dt.date(2026, 12, 1), "Dec 2027"),     # December + 12 months
    (35, dt.date(2027, 1, 1), "Nov 2029"),      # January + 34 months
    (2, dt.date(2027, 1, 15), "Feb 2027"),      # the day of the start does not matter
    (1, dt.date(9999, 12, 1), "Dec 9999"),
    (2, dt.date(9999, 12, 1), None),            # past the year 9999: no calendar month
])
def test_calendar_months(m, start, when):
    assert w.calendar(m, start) == when


def test_a_month_is_named_with_its_calendar_month_when_the_scenario_starts_on_a_date():
    assert w.calendar(7, None) is None
    assert w.month(35) == "month 35"
    assert w.month(35, dt.date(2027, 1, 1)) == "month 35 (Nov 2029)"
    assert w.month(35.0, dt.date(2027, 1, 1)) == "month 35 (Nov 2029)"
    assert w.month(2, dt.date(9999, 12, 1)) == "month 2"


# -- a value by its field's unit ----------------------------------------------------------------

@pytest.mark.parametrize("unit, x, text", [
    ("money", 18_059.68, "$18,059.68"),
    ("share", 0.925, "92.5 %"),
    ("rate", 0.08, "8 % a year"),
    ("change", 0.1, "+10 % a year"),
    ("change", 0, "0 % a year"),
    ("growth", 0.02, "+2 % a month"),
    ("growth", -0.5, "-50 % a month"),
    ("calls", 1_500_000, "1.5M calls a month"),
    ("fte", 0.05, "0.05 FTE"),
    ("fte_months", 3, "3 person-months"),
    ("months", 6, "6 months"),
    ("month", 7, "month 7"),
    ("ratio", 2.5, "2.5x"),
    ("hours", 4, "4 h"),
    ("per_second", 1_000, "1,000 a second"),
    ("no-such-unit", 1_234.5, "1,234.5"),
])
def test_value_by_unit(unit, x, text):
    assert w.value(unit, x, "USD") == text


def test_value_of_other_kinds_and_a_computed_value_to_three_digits():
    assert w.value("flag", True) == "yes" and w.value("flag", False) == "no"
    assert w.value("month_date", dt.date(2027, 3, 1)) == "2027-03"
    assert w.value("date", dt.date(2026, 11, 1)) == "2026-11-01"
    assert w.value("text", "api") == "api"
    assert w.value("money", 0.75, "EUR") == "€0.75"
    # a threshold the search found, to 3 significant digits: 27,877.509348 -> 27,900
    assert w.value("money", 27_877.509348, "USD", exact=False) == "$27,900"
    assert w.value("share", 0.923456, exact=False) == "92.3 %"
    assert w.value("money", 0, "USD", exact=False) == "$0"


# -- how sure: one set of bands for every surface -----------------------------------------------

@pytest.mark.parametrize("p, words", [
    (1.0, "almost certainly"), (0.9, "almost certainly"), (0.8999, "probably"),
    (0.55, "probably"), (0.5499, "toss-up"), (0.45, "toss-up"), (0.4499, "probably not"),
    (0.1, "probably not"), (0.0999, "almost certainly not"), (0.0, "almost certainly not"),
    (-0.1, "almost certainly not")])
def test_chance_bands(p, words):
    assert w.chance(p) == words


@pytest.mark.parametrize("p, pays, cheapest", [
    (0.95, "almost certainly pays off", "is almost certainly the cheapest"),
    (0.6, "probably pays off", "is probably the cheapest"),
    (0.5, "may or may not pay off", "may or may not be the cheapest"),
    (0.3, "probably does not pay off", "is probably not the cheapest"),
    (0.05, "almost certainly does not pay off", "is almost certainly not the cheapest")])
def test_pays_off_and_is_cheapest_follow_the_bands(p, pays, cheapest):
    assert w.pays_off(p) == pays
    assert w.is_cheapest(p) == cheapest


@pytest.mark.parametrize("p, text", [
    (0.0, "0 %"),
    (0.001, "under 1 %"),       # some draws, fewer than 0.5 %: never "0 %"
    (0.005, "under 1 %"),       # round(0.5) = 0 (half to even)
    (0.006, "1 %"),
    (0.5, "50 %"),
    (0.544, "54 %"),
    (0.995, "99 %"),            # round(99.5) = 100, but not every draw: 99 %
    (0.9999, "99 %"),
    (1.0, "100 %"),
])
def test_share_of_draws(p, text):
    assert w.share_of_draws(p) == text


def test_symbols_plural_and_the_currency_after_the_number():
    assert (w.symbol("gbp"), w.symbol("CHF")) == ("£", "")
    assert w.with_currency("5", "CHF", negative=True) == "-5 CHF"
    assert w.with_currency("5", "EUR", negative=True) == "-€5"
    assert (w.plural(1, "draw"), w.plural(0, "draw"), w.plural(2, "draw")) == (
        "1 draw", "0 draws", "2 draws")


@pytest.mark.parametrize("key, said", [
    ("ml_engineer", "ML engineer"), ("data_scientist", "data scientist"), ("mle", "MLE"),
    ("sre_oncall", "SRE oncall"), ("Designer", "Designer"),      # not lower-case: as written
    ("ml__eng", "ml__eng"), ("ingeniería", "ingeniería")])
def test_a_team_role_is_said_in_words_unless_it_is_not_a_plain_key(key, said):
    assert w.role(key) == said
