"""One place for how numbers and answers are said: money, percentages, calls, months,
currency symbols, values by their field's unit, and the wording of a probability.

Every surface (app, command line, memo, slides, charts) formats through here, so a figure
reads the same everywhere and is never shown raw (no ``2.58e+16``, no ``2500000.00``).

>>> money(99_400, "USD"), money(1_234_567, "EUR"), money(-250, "GBP"), money(0.004, "USD")
('$99.4k', '€1.23M', '-£250', '$0.004')
>>> amount(18_059.68, "USD"), amount(0.526, "EUR"), amount(1.5, "USD"), amount(2e-7, "USD")
('$18,059.68', '€0.526', '$1.50', '$0.0000002')
>>> calls(5_700_000), calls(12_400), calls(0.5), calls(2.58e16)
('5.7M', '12k', '0.5', '25,800T')
>>> pct(0.025), pct(0.86), pct(1 / 3), months(1), months(36)
('2.5 %', '86 %', '33.3 %', '1 month', '36 months')
>>> import datetime as dt
>>> month(25, dt.date(2027, 1, 1)), month(25), month_count(0.5)
('month 25 (Jan 2029)', 'month 25', 'half a month')
>>> value("share", 0.9, "USD"), value("change", -0.2, "USD"), value("fte", 1.5, "USD")
('90 %', '-20 % a year', '1.5 FTE')
>>> pays_off(0.57), pays_off(0.97), pays_off(0.5), pays_off(0.2)
('probably pays off', 'almost certainly pays off', 'may or may not pay off', 'probably does not pay off')
"""

from __future__ import annotations

import datetime as _dt
import math
from typing import Any

CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}
"""The only currency symbols the product writes; any other code is written after the
number ("1.2k CHF")."""

KIND_LABELS = {"rules": "rules", "vendor_api": "vendor API", "genai_api": "GenAI API",
               "in_house": "in-house model", "hybrid": "hybrid"}
KIND_NAMES = {"rules": "Rules / heuristics", "vendor_api": "Vendor ML API",
              "genai_api": "GenAI (LLM) API", "in_house": "In-house model",
              "hybrid": "Hybrid (model + fallback)"}

_SUFFIXES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"))


def symbol(currency: str) -> str:
    """The currency's symbol, or "" when it has none here."""
    return CURRENCY_SYMBOLS.get(str(currency).upper(), "")


def _finite(x: Any) -> bool:
    return x is not None and isinstance(x, int | float) and math.isfinite(x)


def _significant(x: float, digits: int) -> str:
    """|x| with ``digits`` significant digits, trailing zeros dropped (never scientific)."""
    if x == 0:
        return "0"
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(x))))
    text = f"{abs(x):,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def short(x: float, digits: int = 3) -> str:
    """x with ``digits`` significant digits and a k/M/B/T suffix: 99.4k, 1.23M, 708k."""
    a = abs(x)
    for limit, suffix in _SUFFIXES:
        if a >= limit:
            body = _significant(a / limit, digits)
            if body.replace(",", "") == "1000" and suffix != "T":   # 999.96k reads 1M
                return short(math.copysign(limit * 1000, x), digits)
            return ("-" if x < 0 else "") + body + suffix
    return ("-" if x < 0 else "") + _significant(a, digits)


def with_currency(body: str, currency: str, negative: bool = False) -> str:
    sym = symbol(currency)
    text = f"{sym}{body}" if sym else f"{body} {currency}"
    return f"-{text}" if negative else text


TINY_MONEY = 1e-4        # money() below this is "under $0.0001"
TINY_AMOUNT = 1e-9       # amount() below this is "under $0.000000001"


def money(x: float | None, currency: str = "USD") -> str:
    """Money for people: $99.4k, €1.23M (full figures stay in the JSON and CSV); below a
    hundredth of a cent, "under $0.0001" rather than a string of zeros.

    >>> money(99_440), money(-1.2e-300), money(0.000625)
    ('$99.4k', '-under $0.0001', '$0.000625')
    """
    if not _finite(x):
        return "n/a"
    assert x is not None
    if 0 < abs(x) < TINY_MONEY:
        return ("-" if x < 0 else "") + "under " + with_currency(f"{TINY_MONEY:f}".rstrip("0"),
                                                               currency)
    return with_currency(short(abs(x)), currency, x < 0)


def amount(x: float | None, currency: str = "USD") -> str:
    """Money as typed, with separators: $18,059.68, $1.50, $0.0000002 (no k/M rounding)."""
    if not _finite(x):
        return "n/a"
    assert x is not None
    a = abs(x)
    if 0 < a < TINY_AMOUNT:
        return ("-" if x < 0 else "") + "under " + with_currency("0.000000001", currency)
    if a == 0:
        body = "0"
    elif a < 1e-4:
        body = _significant(a, 3)
    else:
        body = f"{a:,.6f}".rstrip("0").rstrip(".")
        if "." in body and len(body.split(".")[1]) == 1:
            body += "0"                                    # cents: $1.50, not $1.5
    return with_currency(body, currency, x < 0)


def calls(x: float | None) -> str:
    """A volume: 5.7M, 12k, 0.5 (calls, labels, tokens a month)."""
    if not _finite(x):
        return "n/a"
    assert x is not None
    return short(x, 2) if abs(x) >= 1000 else _significant(x, 3)


def number(x: float | None) -> str:
    """A plain figure as a person would write it: 1,400, 0.75, 0.0001."""
    if not _finite(x):
        return "n/a"
    assert x is not None
    if x == 0:
        return "0"
    if abs(x) >= 1e15:
        return short(x, 3)
    if abs(x) < 1e-4:
        return ("-" if x < 0 else "") + _significant(abs(x), 3)
    return f"{x:,.6f}".rstrip("0").rstrip(".")


def pct(x: float | None, digits: int = 3) -> str:
    """A share as a percentage: 2.5 %, 86 %, 33.3 %."""
    if not _finite(x):
        return "n/a"
    assert x is not None
    return f"{'-' if x < 0 else ''}{_significant(x * 100, digits) if x else '0'} %"


def months(n: float) -> str:
    """A duration in months: 1 month, 36 months."""
    n = int(n) if float(n).is_integer() else n
    return f"{number(n)} month" if n == 1 else f"{number(n)} months"


def month_count(x: float) -> str:
    if x == 0.5:
        return "half a month"
    return months(round(x, 1))


def calendar(m: int, start: _dt.date | None) -> str | None:
    """The calendar month of month ``m`` ("Jan 2029"), when month 1 has a date (none past
    the year 9999: a labelling plan of a billion months has no calendar month).

    >>> calendar(25, _dt.date(2027, 1, 1)), calendar(10**9, _dt.date(2027, 1, 1))
    ('Jan 2029', None)
    """
    if start is None:
        return None
    y, mo = divmod(start.month - 1 + int(m) - 1, 12)
    if start.year + y > _dt.MAXYEAR:
        return None
    return _dt.date(start.year + y, mo + 1, 1).strftime("%b %Y")


def month(m: int, start: _dt.date | None = None) -> str:
    """"month 25", or "month 25 (Jan 2029)" when the scenario has a start date."""
    when = calendar(m, start)
    return f"month {int(m)}" + (f" ({when})" if when else "")


def value(unit: str, x: Any, currency: str = "USD", exact: bool = True) -> str:
    """A field's value for people, by the field's unit (registry.UNITS): as typed
    (``exact``, for assumptions) or to 3 significant digits (for a computed value such as
    a threshold: "$27.9k", not "$27,877.509348")."""
    if not exact and isinstance(x, int | float) and not isinstance(x, bool):
        x = float(f"{x:.3g}") if x else 0.0
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, _dt.date):
        return f"{x.year:04d}-{x.month:02d}" if unit == "month_date" else x.isoformat()
    if not isinstance(x, int | float):
        return str(x)
    return {
        "money": lambda: amount(x, currency),
        "share": lambda: pct(x),
        "rate": lambda: f"{pct(x)} a year",
        "change": lambda: f"{'+' if x > 0 else ''}{pct(x)} a year",
        "growth": lambda: f"{'+' if x > 0 else ''}{pct(x)} a month",
        "calls": lambda: f"{calls(x)} calls a month",
        "fte": lambda: f"{number(x)} FTE",
        "fte_months": lambda: f"{number(x)} person-months",
        "months": lambda: months(x),
        "month": lambda: month(int(x)),
        "ratio": lambda: f"{number(x)}x",
        "hours": lambda: f"{number(x)} h",
        "per_second": lambda: f"{number(x)} a second",
    }.get(unit, lambda: number(x))()


# -- how sure ---------------------------------------------------------------------------------

CHANCE_BANDS = ((0.9, "almost certainly"), (0.55, "probably"), (0.45, "toss-up"),
                (0.1, "probably not"), (0.0, "almost certainly not"))
"""Words for a probability, defined once: the headline, memo, slides and command line all
say "probably" for the same chances (0.55 <= p < 0.9)."""


def chance(p: float) -> str:
    for floor, words in CHANCE_BANDS:
        if p >= floor:
            return words
    return CHANCE_BANDS[-1][1]


def pays_off(p: float) -> str:
    """"probably pays off", "almost certainly does not pay off"..."""
    return {"almost certainly": "almost certainly pays off", "probably": "probably pays off",
            "toss-up": "may or may not pay off", "probably not": "probably does not pay off",
            "almost certainly not": "almost certainly does not pay off"}[chance(p)]


def is_cheapest(p: float) -> str:
    return {"almost certainly": "is almost certainly the cheapest",
            "probably": "is probably the cheapest",
            "toss-up": "may or may not be the cheapest",
            "probably not": "is probably not the cheapest",
            "almost certainly not": "is almost certainly not the cheapest"}[chance(p)]


def share_of_draws(p: float) -> str:
    """A share of simulated draws, rounded to a whole percent (never "100 %" unless all)."""
    whole = round(p * 100)
    if whole == 100 and p < 1:
        whole = 99
    if whole == 0 and p > 0:
        return "under 1 %"
    return f"{whole} %"


ACRONYMS = {"ml": "ML", "ai": "AI", "qa": "QA", "ux": "UX", "ui": "UI", "sre": "SRE",
            "pm": "PM", "mle": "MLE", "swe": "SWE", "sde": "SDE", "llm": "LLM",
            "mlops": "MLOps", "devops": "DevOps", "nlp": "NLP", "cv": "CV"}


def role(key: str) -> str:
    """A team role's key for people: "ml_engineer" is "ML engineer", "data_scientist" is
    "data scientist"; a key that is not lower-case words joined by "_" is kept as written."""
    words = key.split("_")
    if not all(w.isascii() and w.isalnum() and w == w.lower() for w in words):
        return key
    return " ".join(ACRONYMS.get(w, w) for w in words)


def capital(text: str) -> str:
    """A label that starts a line or a table cell: capitalised, unless it starts with a key
    as written in the file (a team role such as ml_engineer)."""
    first = text.split(" ", 1)[0]
    return text if "_" in first else text[:1].upper() + text[1:]


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"
