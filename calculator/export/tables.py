"""The projection as spreadsheet-safe CSV: monthly (tidy and wide), the horizon's totals and
the decision map (one row per cell).

Numbers are written as full floats (pandas writes the shortest text that reads back to the
same float), so a CSV read back equals the engine's arrays. Text cells that a spreadsheet
would run as a formula get a leading apostrophe; numbers are never touched. That is a cell
starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (OWASP's "CSV
injection" list), and also one where a formula character comes after leading whitespace
of any kind (a space, a tab, a no-break or other Unicode space) or invisible characters
(a zero-width space, a byte-order mark): spreadsheets trim some of these before they look
for a formula.

>>> neutralise('=HYPERLINK("http://x","click")')
'\\'=HYPERLINK("http://x","click")'
>>> neutralise("in_house"), neutralise(-3.5), neutralise(" @SUM(A1)")
('in_house', -3.5, "' @SUM(A1)")
>>> neutralise("\\u00a0=1+1"), neutralise("\\u200b-2"), neutralise("a=b")
("'\\xa0=1+1", "'\\u200b-2", 'a=b')
"""

from __future__ import annotations

import unicodedata
from typing import Any

import numpy as np
import pandas as pd

from ..charts import totals_frame
from ..model import COMPONENT_LABELS, Decision, DecisionMap
from .tools import map_of

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA = frozenset("=+-@")


def _first_seen(cell: str) -> str:
    """The first character once leading whitespace and invisible (format) characters are
    dropped, folded by NFKC: a spreadsheet that folds full-width forms would read "＝"
    as "=", so that counts too."""
    for ch in cell:
        if not (ch.isspace() or unicodedata.category(ch) == "Cf"):
            return unicodedata.normalize("NFKC", ch)[:1]
    return ""


def neutralise(cell: Any) -> Any:
    """A text cell a spreadsheet would run as a formula, made plain text; others unchanged."""
    if not isinstance(cell, str):
        return cell
    if cell.startswith(_TRIGGERS) or _first_seen(cell) in _FORMULA:
        return "'" + cell
    return cell


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell and every column name neutralised."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with a BOM so Excel reads accents right), neutralised, no index."""
    text = safe_frame(df).to_csv(index=False, lineterminator="\r\n")
    return ("\ufeff" + text).encode("utf-8")


def monthly_tidy(d: Decision) -> pd.DataFrame:
    """One row per month, option and component: the engine's ``Result.tidy()`` of the
    Decision's plain report, with the scenario name (so several scenarios stack in one
    sheet) and people's component names. The costs of one month and option add up to its
    total cost."""
    r = d.result
    df = r.tidy()
    df.insert(0, "scenario", r.scenario.name)
    df["component_label"] = df["component"].map(COMPONENT_LABELS)
    return df[["scenario", "month", "option", "component", "component_label", "cost"]]


def monthly_wide(d: Decision) -> pd.DataFrame:
    """One row per month: calls, discount factor, and per option its money, error and
    total cost and cumulative total (plus the discounted cumulative when discounting)."""
    r = d.result
    df = pd.DataFrame({"scenario": r.scenario.name, "month": r.months,
                       "calls": r.volume[0], "discount_factor": r.weights})
    cum = np.cumsum(r.total[0], axis=-1)
    cum_pv = r.cumulative()[0] if r.discounted else None
    for i, name in enumerate(r.names):
        df[f"{name} money_cost"] = r.money[0, i]
        df[f"{name} error_cost"] = r.error[0, i]
        df[f"{name} total_cost"] = r.total[0, i]
        df[f"{name} cumulative_total"] = cum[i]
        if cum_pv is not None:
            df[f"{name} cumulative_present_value"] = cum_pv[i]
    return df


def totals_table(d: Decision) -> pd.DataFrame:
    """One row per option with the horizon's totals, as in the JSON report, plus the
    scenario's name and currency so a sheet of several scenarios stays readable."""
    r = d.result
    df = totals_frame(r)
    df.insert(0, "scenario", r.scenario.name)
    df["currency"] = r.scenario.currency
    return df


def decision_map_table(dm: DecisionMap, scenario: str) -> pd.DataFrame:
    """One row per cell of the decision map, x varying fastest: the two inputs (their paths
    in ``x_field`` and ``y_field``) and their values, the cheapest option's key and label,
    and each option's comparable total there (``<option> total_cost``, or
    ``<option> present_value`` when discounting)."""
    f = dm.frame
    df = pd.DataFrame({"scenario": scenario, "x_field": dm.x_field, "x": f["x"],
                       "y_field": dm.y_field, "y": f["y"], "cheapest": f["cheapest"],
                       "cheapest_label": f["cheapest"].map(lambda n: dm.labels.get(n, n))})
    for name in dm.names:
        df[f"{name} {dm.basis}"] = f[f"total_{name}"]
    return df


def csv_files(d: Decision, dmap: DecisionMap | None = None) -> dict[str, bytes]:
    """The CSV files by their name suffix; the decision map's when the scenario has one
    (``dmap``: the export's map, made here when none is given)."""
    out = {"monthly-tidy.csv": csv_bytes(monthly_tidy(d)),
           "monthly-wide.csv": csv_bytes(monthly_wide(d)),
           "totals.csv": csv_bytes(totals_table(d))}
    dm = dmap if dmap is not None else map_of(d, None)
    if dm is not None:
        out["decision-map.csv"] = csv_bytes(decision_map_table(dm, d.scenario.name))
    return out
