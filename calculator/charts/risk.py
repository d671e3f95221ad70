"""Altair charts of the risk view (no streamlit): each builder reads the JSON-safe dict of
:func:`calculator.model.risk.simulate_report`, so the app, a test and an export draw the
same numbers. Option colours and the theme are those of :mod:`calculator.charts`, and so
is the rule that Vega tells series apart by a safe id (column ``series``, a place in a
list of names shown through labels), never by a name or another free text: see there.

>>> from calculator.model import load_scenario, simulate_report
>>> rep = simulate_report(load_scenario("scenarios/support-ticket-routing.yaml"), draws=500)
>>> fan_chart(rep).to_dict()["layer"][0]["mark"]["type"]
'area'
>>> best = timing_frame(rep, "in_house")
>>> int(best[best["best"]]["start_month"].iloc[0]) == rep["timing"]["in_house"]["best_start_month"]
True
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from ..model import capital, money, value
from .theme import (
    HEIGHT,
    SERIES,
    WIDTH,
    kind_colors,
    label_expr,
    money_axis,
    series_color,
    with_names,
)


def option_colors(rep: dict[str, Any]) -> dict[str, str]:
    """Colours by kind, as on every other chart (the report lists each option's kind)."""
    order = rep.get("option_order") or list(rep["options"])
    kinds = {n: rep.get("kinds", {}).get(n) or rep["options"].get(n, {}).get("kind", "rules")
             for n in order}
    return kind_colors(kinds)


LOW_HIGH_COLORS = {"at its low": "#56B4E9", "at its high": "#D55E00"}   # Okabe-Ito
INPUTS = "input_names"
_money_axis = money_axis


def _label(rep: dict[str, Any], name: str) -> str:
    return rep.get("labels", {}).get(name, name)


def _color(rep: dict[str, Any], names: list[str]) -> alt.Color:
    colors = option_colors(rep)
    return series_color([_label(rep, n) for n in names], [colors[n] for n in names])


def _month_x(h: int, field: str = "month", title: str = "Month") -> alt.X:
    return alt.X(f"{field}:Q", title=title, scale=alt.Scale(domain=[1, h], nice=False),
                 axis=alt.Axis(tickMinStep=1, format="d"))


# -- chance of being cheaper ----------------------------------------------------------------

def p_cheaper_frame(rep: dict[str, Any], a: str, b: str) -> pd.DataFrame:
    """By month: the share of draws in which a is cheaper than b so far, and b than a."""
    pair = _pair(rep, a, b)
    rows = []
    for i, (name, other, key) in enumerate(((pair["a"], pair["b"], "p_a_cheaper"),
                                            (pair["b"], pair["a"], "p_b_cheaper"))):
        rows.append(pd.DataFrame({"month": rep["months"], "option": name, SERIES: i,
                                  "p_cheaper": pair[key],
                                  "what": f"{_label(rep, name)} cheaper than "
                                          f"{_label(rep, other)}"}))
    return pd.concat(rows, ignore_index=True)


def p_cheaper_chart(rep: dict[str, Any], a: str, b: str) -> alt.LayerChart:
    df = p_cheaper_frame(rep, a, b)
    names = list(dict.fromkeys(df["option"]))
    lines = alt.Chart(df).mark_line(interpolate="step-after").encode(
        x=_month_x(rep["horizon_months"]),
        y=alt.Y("p_cheaper:Q", title="Share of draws", scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%")),
        color=_color(rep, names),
        tooltip=[alt.Tooltip("what:N", title=" "), alt.Tooltip("month:Q", title="Month"),
                 alt.Tooltip("p_cheaper:Q", title="Chance", format=".0%")])
    half = alt.Chart(pd.DataFrame({"y": [0.5]})).mark_rule(strokeDash=[4, 4],
                                                           color="#888888").encode(y=alt.Y("y:Q"))
    basis = "present value" if rep["basis"] == "present_value" else "total cost"
    return with_names(alt.layer(lines, half), [_label(rep, n) for n in names]).properties(
        title=alt.Title("Chance of being the cheaper one, by month",
                        subtitle=f"Cumulative {basis} to each month, over {rep['draws']:,} "
                        "draws of the ranges."), width=WIDTH, height=HEIGHT)


# -- fan chart ------------------------------------------------------------------------------

def fan_frame(rep: dict[str, Any]) -> pd.DataFrame:
    """Cumulative cost by month and option: P10, P50, P90, the plain report and, for a build
    that may fail, the expected line (None elsewhere)."""
    rows = []
    ids = {name: i for i, name in enumerate(rep["options"])}
    for name, f in rep["fan"].items():
        expected = f["expected"] if f["expected"] is not None else [None] * len(rep["months"])
        rows.append(pd.DataFrame({"month": rep["months"], "option": name,
                                  SERIES: ids[name], "p10": f["p10"],
                                  "p50": f["p50"], "p90": f["p90"], "plain": f["plain"],
                                  "expected": expected}))
    return pd.concat(rows, ignore_index=True)


def fan_chart(rep: dict[str, Any]) -> alt.LayerChart:
    df = fan_frame(rep)
    names = list(rep["options"])
    cur, h = rep["currency"], rep["horizon_months"]
    label = "present value" if rep["basis"] == "present_value" else "total cost"
    base = alt.Chart(df).encode(x=_month_x(h), color=_color(rep, names))
    band = base.mark_area(opacity=0.18).encode(
        y=alt.Y("p10:Q", axis=_money_axis(cur, f"Cumulative {label}")), y2=alt.Y2("p90:Q"),
        tooltip=[alt.Tooltip("option:N", title="Option"), alt.Tooltip("month:Q", title="Month"),
                 alt.Tooltip("p10:Q", title="P10", format=",.0f"),
                 alt.Tooltip("p50:Q", title="P50", format=",.0f"),
                 alt.Tooltip("p90:Q", title="P90", format=",.0f")])
    median = base.mark_line().encode(y=alt.Y("p50:Q"))
    layers: list[Any] = [band, median]
    exp = df.dropna(subset=["expected"])
    if len(exp):
        layers.append(alt.Chart(exp).mark_line(strokeDash=[6, 4]).encode(
            x=_month_x(h), y=alt.Y("expected:Q"), color=_color(rep, names),
            tooltip=[alt.Tooltip("option:N", title="Option"),
                     alt.Tooltip("expected:Q", title="Expected", format=",.0f")]))
    sub = "Band: P10 to P90 of the draws; line: median."
    if len(exp):
        sub += " Dashed: expected cost with the build's success probability."
    return with_names(alt.layer(*layers), [_label(rep, n) for n in names]).properties(
        title=alt.Title("Cumulative cost under uncertainty", subtitle=sub), width=WIDTH,
        height=HEIGHT)


# -- tornado --------------------------------------------------------------------------------

ROW_PX = 40
"""Height of one tornado row (its bar about 28 px): labels never print on top of each other."""


def tornado_frame(rep: dict[str, Any], a: str, b: str, metric: str = "gap") -> pd.DataFrame:
    """One row per ranged input and end (low, high): the result there, from the base. Inputs
    that do not move the result are left out. Largest swing first (``rank`` 0).

    One sign convention everywhere (screen and exports): metric "gap" is the SAVING of ``a``
    against ``b`` (b's cost minus a's, comparable basis): right of the line, ``a`` saves
    more. For the decision, a is the build path and b the option to buy
    (:func:`decision_tornado_chart`)."""
    pair = _pair(rep, a, b)
    t = pair["tornado"][metric]
    sign = -1.0 if pair["a"] == a else 1.0          # the report's gap is pair a minus pair b
    h, cur = rep["horizon_months"], rep["currency"]
    labels, units = rep.get("input_labels", {}), rep.get("input_units", {})

    def result(x: float | None) -> float:
        if metric == "crossover":
            return float(h) if x is None else float(x)
        return sign * float(x if x is not None else 0.0)

    base = result(t["base"])
    rows = []
    for rank, bar in enumerate(x for x in t["bars"] if x["swing"] > 0):
        unit = units.get(bar["path"], "number")
        span = (f"{value(unit, bar['low'], cur, exact=False)} to "
                f"{value(unit, bar['high'], cur, exact=False)}")
        name = f"{labels.get(bar['path'], bar['path'])} ({span})"
        for end, at, inp in (("at its low", bar["at_low"], bar["low"]),
                             ("at its high", bar["at_high"], bar["high"])):
            rows.append({"field": name, "path": bar["path"], "end": end, "input": inp,
                         "input_name": labels.get(bar["path"], bar["path"]), "span": span,
                         "base": base, "result": result(at), "never": at is None,
                         "swing": bar["swing"], "rank": rank,
                         "label": (money(result(at), cur) if metric == "gap"
                                   else f"month {result(at):.1f}")})
    cols = ["field", "path", "end", "input", "input_name", "span", "base", "result", "never",
            "swing", "rank", "label"]
    return pd.DataFrame(rows, columns=cols)


def tornado_chart(rep: dict[str, Any], a: str, b: str, metric: str = "gap") -> alt.LayerChart:
    """What moves the answer most: each ranged input from its low to its high, the others at
    their likely values; rows sorted by swing, labels left of the axis, the line at the
    likely-value result and labelled with it."""
    df = tornado_frame(rep, a, b, metric)
    cur, h = rep["currency"], rep["horizon_months"]
    la, lb = rep.get("labels", {}).get(a, a), rep.get("labels", {}).get(b, b)
    order = list(dict.fromkeys(df.sort_values("rank")["field"]))
    # each input's label on two lines, its name and its range, so neither is cut off
    first = df.sort_values("rank").drop_duplicates("rank")
    lines = [[capital(n), f"({span})"]
             for n, span in zip(first["input_name"], first["span"], strict=True)]
    base_value = float(df["base"].iloc[0]) if len(df) else 0.0
    if metric == "gap":
        axis, scale = money_axis(cur, f"Saving of {la} against {lb}"), alt.Scale(zero=False)
        base_text = f"likely values: {money(base_value, cur)}"
        sub = [f"Right of the line: {la} saves more against {lb}.",
               "Each input from its low to its high, the others at their likely values."]
    else:
        axis = alt.Axis(title=f"Month {la} overtakes {lb}", format="d", tickMinStep=1)
        scale = alt.Scale(domain=[0, h], nice=False)
        base_text = f"likely values: month {base_value:.1f}"
        sub = f"A draw with no crossover is drawn at month {h} (the horizon)."
    ids = list(range(len(order)))
    bars = alt.Chart(df).mark_bar(cornerRadius=2).encode(
        y=alt.Y("rank:N", sort=ids, title=None, scale=alt.Scale(paddingInner=0.3),
                axis=alt.Axis(labelLimit=360, labelExpr=label_expr(INPUTS), orient="left",
                              labelFontSize=12, labelPadding=6)),
        x=alt.X("base:Q", axis=axis, scale=scale), x2=alt.X2("result:Q"),
        color=alt.Color("end:N", title="Input", scale=alt.Scale(
            domain=list(LOW_HIGH_COLORS), range=list(LOW_HIGH_COLORS.values()))),
        tooltip=[alt.Tooltip("field:N", title="Input"), alt.Tooltip("end:N", title=" "),
                 alt.Tooltip("label:N", title="Result")])
    line = pd.DataFrame({"base": [base_value], "text": [base_text]})
    rule = alt.Chart(line).mark_rule(color="#222222", strokeWidth=1.5).encode(x=alt.X("base:Q"))
    text = alt.Chart(line).mark_text(align="left", dx=4, dy=-6, baseline="bottom",
                                     fontWeight=600, color="#222222").encode(
        x=alt.X("base:Q"), y=alt.YValue(0), text=alt.Text("text:N"))
    return with_names(alt.layer(bars, rule, text), lines, INPUTS).properties(
        title=alt.Title(f"What moves the {'saving' if metric == 'gap' else 'crossover'} most",
                        subtitle=sub), width=WIDTH, height=alt.Step(ROW_PX))


def decision_tornado_chart(rep: dict[str, Any], metric: str = "gap") -> alt.LayerChart | None:
    """The tornado of the decision: the build path against the option to buy (the screen and
    the exports both draw this one)."""
    a, b = rep.get("decision_pair") or (None, None)
    if not (a and b):
        return None
    return tornado_chart(rep, a, b, metric)


# -- timing ---------------------------------------------------------------------------------

def timing_frame(rep: dict[str, Any], name: str) -> pd.DataFrame:
    """Total (present value when discounting) by start month; ``best`` marks the lowest."""
    tm = rep["timing"][name]
    df = pd.DataFrame({"start_month": tm["start_months"], "total": tm["totals"],
                       "expected": tm["expected"] if tm["expected"] is not None
                       else [None] * len(tm["totals"])})
    df["best"] = df["start_month"] == tm["best_start_month"]
    df["label"] = [money(float(x), rep["currency"]) for x in df["total"]]
    return df


def timing_chart(rep: dict[str, Any], name: str) -> alt.LayerChart:
    tm, cur, h = rep["timing"][name], rep["currency"], rep["horizon_months"]
    df = timing_frame(rep, name)
    color = option_colors(rep)[name]
    x = _month_x(h, "start_month", f"Month work on {_label(rep, name)} starts")
    line = alt.Chart(df).mark_line(color=color).encode(
        x=x, y=alt.Y("total:Q", axis=_money_axis(cur, "Total over the horizon"),
                     scale=alt.Scale(zero=False)),
        tooltip=[alt.Tooltip("start_month:Q", title="Start month"),
                 alt.Tooltip("label:N", title="Total")])
    best = df[df["best"]].assign(text=f"best: month {tm['best_start_month']}")
    dot = alt.Chart(best).mark_point(size=120, filled=True, color="#222222").encode(
        x=x, y=alt.Y("total:Q"))
    left = tm["best_start_month"] < 0.6 * h        # write the label away from the edge
    text = alt.Chart(best).mark_text(dy=-14, dx=8 if left else -8, align="left" if left
                                     else "right", fontWeight=600, color="#222222").encode(
        x=x, y=alt.Y("total:Q"), text=alt.Text("text:N"))
    only = pd.DataFrame({"total": [tm["interim_only_total"]],
                         "text": [f"{_label(rep, tm['interim'])} alone, never building"]})
    rule = alt.Chart(only).mark_rule(strokeDash=[4, 4], color="#888888").encode(y=alt.Y("total:Q"))
    layers: list[Any] = [line, rule, dot, text]
    if tm["expected"] is not None:
        layers.insert(1, alt.Chart(df).mark_line(color=color, strokeDash=[6, 4]).encode(
            x=x, y=alt.Y("expected:Q")))
    sub = (f"Grey dashed: {_label(rep, tm['interim'])} alone. A start too late to go live "
           "within the "
           "horizon only pays for the build.")
    if tm["expected"] is not None:
        sub += " Dashed: expected, with the success probability."
    return alt.layer(*layers).properties(
        title=alt.Title(f"When to start building {_label(rep, name)}", subtitle=sub),
        width=WIDTH,
        height=HEIGHT)


def _pair(rep: dict[str, Any], a: str, b: str) -> dict[str, Any]:
    for pair in rep["pairs"]:
        if {pair["a"], pair["b"]} == {a, b}:
            return pair
    raise KeyError(f"no pair {a!r}, {b!r} in the report")
