"""The decision tools as people read them, in one place for the app, the memo and the deck:
titles, lead sentences and table rows (text cells only: labels for keys, formatted values
for floats, never NaN or None).

Every row and sentence here is read from the tools' own output
(:func:`decide.thresholds`, :func:`decide.decision_map`, :func:`decide.value_of_information`,
:func:`decide.compare`); nothing is decided again. Inputs are named by
:func:`input_labels.input_label` and their values formatted by :func:`input_labels.input_value`,
options by their labels, money by :func:`wording.money`.

>>> from calculator.model.yamlio import loads_scenario
>>> from calculator.model import thresholds
>>> s = loads_scenario('''
... schema_version: 1
... name: tiny
... horizon_months: 12
... traffic: {calls_per_month: 1_000_000}
... team: {ml_engineer: 20_000}
... options:
...   api: {kind: genai_api, label: LLM, input_tokens_per_call: 1000,
...         output_tokens_per_call: 100, price_per_million_input_tokens: 2.0,
...         price_per_million_output_tokens: 10.0}
...   model: {kind: in_house, label: Our model, run_team: {ml_engineer: 0.05},
...           node_cost_per_hour: 1.0, node_capacity_rps: 1000}
... ''')
>>> out = thresholds(s)     # model 730 + 1,000 = 1,730 a month; api 0.003 a call
>>> threshold_rows(s, out)[0]     # 1,730 / 0.003 = 576,667 calls: 42.3 % below 1M
{'Input': 'Calls per month in month 1', 'Today': '1M calls a month', 'Flips at': '577k calls a month', 'Change': '-42 %', 'Cheapest then': 'LLM'}
>>> thresholds_intro(s, out)
'Today Our model is the cheapest; each input moved on its own, the others as they are, nearest flip first.'
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .decide_map import DecisionMap
from .decide_text import measure_sentence
from .input_labels import input_label, input_unit, input_value
from .scenario import Scenario
from .wording import capital, money, pct, value

SHOWN = 12
"""At most this many rows in a tool's table (the nearest flips, the inputs most worth
knowing)."""
SENTENCES = 3
"""The nearest flips said in words above the table."""

THRESHOLDS_TITLE = "What would have to be true"
MEASURE_TITLE = "What to measure next"
NO_FLIP = "No single input within its bounds changes the cheapest option."
NO_CHANGE = "No input differs."
VOI_INTRO = ("How much the expected cost of the decision would fall if you knew each "
             "uncertain input before deciding.")


# -- what would have to be true -------------------------------------------------------------

def thresholds_intro(s: Scenario, out: dict[str, Any]) -> str:
    """The lead of the thresholds: which option is cheapest today, and how to read them."""
    return (f"Today {s.label(out['cheapest'])} is the cheapest; each input moved on its own, "
            "the others as they are, nearest flip first.")


def flips(out: dict[str, Any]) -> list[dict[str, Any]]:
    """The thresholds that flip the answer within the search, nearest first."""
    return [r for r in out["thresholds"] if r["flips_at"] is not None]


def threshold_sentences(out: dict[str, Any], n: int = SENTENCES) -> list[str]:
    """The ``n`` nearest flips in words (the model's sentences)."""
    return [r["text"] for r in flips(out)[:n]]


def threshold_rows(s: Scenario, out: dict[str, Any], limit: int = SHOWN) -> list[dict[str, str]]:
    """The nearest ``limit`` flips as a table: the input, its value today (as typed), where
    the answer flips (3 significant digits), the change in percent (none for shares and
    rates, whose change reads better as the two values) and the cheapest option then."""
    rows = []
    for r in flips(out)[:limit]:
        v, x, path = r["value"], r["flips_at"], r["field"]
        shares = input_unit(s, path) in ("share", "rate", "change", "growth")
        change = "" if not v or shares else f"{'+' if x > v else '-'}{pct(abs(x / v - 1), 2)}"
        rows.append({"Input": capital(input_label(s, path)),
                     "Today": input_value(s, path, v, exact=True),
                     "Flips at": input_value(s, path, x), "Change": change or "-",
                     "Cheapest then": s.label(r["cheapest_after"])})
    return rows


# -- where building wins --------------------------------------------------------------------

def map_title(dm: DecisionMap) -> str:
    """"Where building wins" when the map has something to build and something to buy."""
    return "Where building wins" if dm.build and dm.buy else "Which option is cheapest where"


def map_caption(dm: DecisionMap) -> str:
    """How to read the decision map, and today's point."""
    basis = "present value" if dm.basis == "present_value" else "total cost"
    today = dm.labels.get(dm.today["cheapest"], dm.today["cheapest"])
    return (f"Each cell is the cheapest option over {dm.horizon_months} months ({basis}) at "
            f"that {dm.x_label} and {dm.y_label}, the other inputs as they are (log scales). "
            f"The diamond is today's scenario: {today} is the cheapest there.")


# -- what to measure next -------------------------------------------------------------------

def measure_next(s: Scenario, out: dict[str, Any]) -> str:
    """What to measure first, and what knowing it is worth (the model's sentence)."""
    top = out["inputs"][0] if out["inputs"] else None
    return measure_sentence(s, top, out["noise_floor"])


def voi_rows(s: Scenario, out: dict[str, Any], limit: int = SHOWN) -> list[dict[str, str]]:
    """The inputs worth something to know before deciding, most first: what knowing each
    is worth (marked when within the estimate's noise). The others: :func:`voi_rest`."""
    cur, noise = out["currency"], out["noise_floor"]
    rows = []
    for r in [r for r in out["inputs"] if r["value"] > 0][:limit]:
        v = r["value"]
        worth = f"{money(v, cur)} (within noise)" if v <= noise else money(v, cur)
        rows.append({"Input": capital(r["label"]), "Worth knowing": worth})
    return rows


def voi_rest(out: dict[str, Any]) -> str | None:
    """The uncertain inputs that are worth nothing to know alone, counted (None: none)."""
    n = sum(1 for r in out["inputs"] if r["value"] <= 0)
    if not n:
        return None
    if n == len(out["inputs"]):
        return ("Knowing any one uncertain input alone before deciding would not change the "
                "choice.")
    which = "the other uncertain input" if n == 1 else f"any of the other {n} uncertain inputs"
    return f"Knowing {which} before deciding would not change the choice."


# -- compared with another scenario ---------------------------------------------------------

LONG_TEXT = 120
"""A changed text (a description) is shown up to this many characters."""


def compare_title(before: Scenario) -> str:
    return f"Compared with {before.name}"


def show(s: Scenario, path: str, v: Any) -> str:
    """A value of a compared input for people: by the field's unit; a range as low to high
    with its likely value; nothing as "(none)"."""
    if v is None or v == {} or v == []:
        return "(none)"
    if isinstance(v, dict) and "likely" in v:
        low, likely, high = (show(s, path, v[k]) for k in ("low", "likely", "high"))
        return f"{low} to {high} (likely {likely})"
    if isinstance(v, str) and len(v) > LONG_TEXT:
        return v[:LONG_TEXT - 1].rstrip() + "…"
    if isinstance(v, bool | str | dt.date):
        return value(input_unit(s, path), v, s.currency)
    if isinstance(v, int | float):
        return input_value(s, path, float(v), exact=True)
    if isinstance(v, list | tuple):
        return ", ".join(show(s, path, x) for x in v) or "(none)"
    return str(v)


def _option(a: Scenario, b: Scenario, name: str) -> str:
    return b.label(name) if name in b.options else a.label(name)


def compare_input_rows(a: Scenario, b: Scenario, out: dict[str, Any]) -> list[dict[str, str]]:
    """The inputs that changed from ``a`` (before) to ``b`` (now), then the options added
    and removed. Inputs are named as in the scenario they are in now (else as before)."""
    rows = []
    for r in out["inputs"]:
        path = r["path"]
        named = b if r["after"] is not None or r["before"] is None else a
        rows.append({"Input": capital(input_label(named, path)),
                     "Before": show(a, path, r["before"]), "Now": show(b, path, r["after"])})
    rows += [{"Input": f"Option: {b.label(k)}", "Before": "(none)", "Now": "added"}
             for k in out["options_added"]]
    rows += [{"Input": f"Option: {a.label(k)}", "Before": "present", "Now": "removed"}
             for k in out["options_removed"]]
    return rows


def compare_total_rows(a: Scenario, b: Scenario, out: dict[str, Any]) -> list[dict[str, str]]:
    """Each option's comparable total before and now, and how much it moved."""
    basis = {k: "present value" if v == "present_value" else "total cost"
             for k, v in out["basis"].items()}
    rows = []
    for k, t in out["options"].items():
        change = t["change"]
        moved = ("-" if change is None else
                 f"+{money(change, b.currency)}" if change > 0 else money(change, b.currency))
        rows.append({"Option": _option(a, b, k),
                     f"Before ({basis['before']})": "-" if t["before"] is None
                     else money(t["before"], a.currency),
                     f"Now ({basis['after']})": "-" if t["after"] is None
                     else money(t["after"], b.currency),
                     "Change": moved})
    return rows
