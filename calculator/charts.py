"""Altair chart builders and the one shared theme (no streamlit here).

Every builder takes a :class:`~calculator.model.engine.Result` of a plain report (draw 0)
and returns an Altair top-level chart (``alt.Chart``, or a layered/faceted chart built
from ``alt.Chart``s) with a ``title`` parameter. The app shows them with
``st.altair_chart(chart, theme=None)`` and the exports render the same objects, so the
screen and a downloaded PNG look alike once :func:`register_theme` has run.

An option keeps its colour everywhere: colours follow the option's place in the
scenario file (:func:`option_colors`), so switching one option off does not repaint the
others. Text from the scenario (option names, the scenario name) only ever reaches Vega as
data or titles, which Vega draws as text, never as HTML.

Vega tells options apart by a safe id, their place (column ``series``), never by name: it
looks text up in plain JavaScript objects, so an expression holding the literal
"constructor" or "toString" (Vega-Lite writes sort orders that way) fails to parse, and a
"__proto__" key is no key. Names reach people through labels looked up by id in a
parameter that holds them as data (:func:`with_names`), and through tooltips and texts.

>>> from pathlib import Path
>>> from calculator.model import evaluate, load_scenario
>>> here = Path(__file__).resolve().parents[1]
>>> r = evaluate(load_scenario(here / "scenarios" / "support-ticket-routing.yaml"))
>>> register_theme()
'buildvsbuy'
>>> sorted(option_colors(["rules", "llm"]).items())
[('llm', '#0072B2'), ('rules', '#E69F00')]
>>> cumulative_chart(r).to_dict()["layer"][0]["mark"]["type"]
'line'
>>> list(totals_frame(r)["option"])
['rules', 'llm', 'in_house']
"""

from __future__ import annotations

from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from .model import COMPONENT_LABELS, COMPONENTS, Params, Result, steady_monthly_cost
from .model.analysis import break_even, crossovers, pairs, totals
from .model.story import KIND_LABELS, calls, money

THEME = "buildvsbuy"
Chart = alt.Chart | alt.LayerChart | alt.FacetChart
"""What a builder returns; every one of them has ``.to_dict()`` and ``.save()``."""

# Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour
# vision deficiency. Yellow is last: it is weak on white.
OKABE_ITO = ("#E69F00", "#0072B2", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000",
             "#F0E442")
# Components get their own fixed colours (stacking order of COMPONENTS); errors in grey so
# the money an option costs stands out from the errors it makes.
COMPONENT_COLORS = {"setup": "#CC79A7", "labelling": "#F0E442", "build": "#D55E00",
                    "interim": "#56B4E9", "run_team": "#E69F00", "fixed": "#000000",
                    "usage": "#0072B2", "retraining": "#009E73", "errors": "#B8B8B8"}
FONT = "Source Sans Pro, Helvetica Neue, Helvetica, Arial, sans-serif"
_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}

WIDTH, HEIGHT = 680, 320


def _theme() -> dict[str, Any]:
    axis = {"labelFontSize": 12, "titleFontSize": 12, "titleFontWeight": "normal",
            "titleColor": "#444444", "labelColor": "#444444", "gridColor": "#EBEBEB",
            "domainColor": "#888888", "tickColor": "#888888"}
    return {
        "background": "white",
        "padding": {"left": 8, "right": 8, "top": 8, "bottom": 8},
        "config": {
            "font": FONT,
            "view": {"stroke": None, "continuousWidth": WIDTH, "continuousHeight": HEIGHT},
            "axis": axis,
            "axisX": {"grid": False},
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom",
                       "direction": "horizontal", "titleFontWeight": "normal",
                       "labelLimit": 240, "symbolStrokeWidth": 3},
            "title": {"fontSize": 16, "fontWeight": 600, "anchor": "start", "color": "#222222",
                      "subtitleFontSize": 12, "subtitleColor": "#666666", "offset": 10},
            "header": {"labelFontSize": 13, "labelFontWeight": 600, "titleFontSize": 13},
            "range": {"category": list(OKABE_ITO)},
            "line": {"strokeWidth": 2.5},
            "text": {"fontSize": 12},
        },
    }


def register_theme() -> str:
    """Register and enable the shared theme (idempotent); returns its name."""
    if THEME not in alt.theme.names():
        alt.theme.register(THEME, enable=False)(_theme)
    alt.theme.enable(THEME)
    return THEME


def option_colors(names: list[str]) -> dict[str, str]:
    """Colour of each option by its place in ``names`` (pass every option of the file)."""
    return {n: OKABE_ITO[i % len(OKABE_ITO)] for i, n in enumerate(names)}


SERIES = "series"
NAMES = "option_names"


def label_expr(param: str = NAMES) -> str:
    """A legend/axis/header label: the name at the id's place in ``param``'s list."""
    return f"{param}[datum.value]"


def with_names(chart: Any, names: list[str], param: str = NAMES) -> Any:
    """``chart`` with ``param``: the ``names`` its ids stand for, as data (never parsed)."""
    return chart.add_params(alt.param(name=param, value=list(names)))


def series_color(names: list[str], colors: dict[str, str],
                 title: str | None = "Option") -> alt.Color:
    """Colour by id (``series``: the place in ``names``), legend labelled with the names."""
    ids = list(range(len(names)))
    return alt.Color(f"{SERIES}:N", title=title, sort=ids,
                     scale=alt.Scale(domain=ids, range=[colors[n] for n in names]),
                     legend=alt.Legend(labelExpr=label_expr()))


def _color(r: Result, title: str | None = "Option") -> alt.Color:
    return series_color(list(r.names), option_colors(list(r.scenario.options)), title)


def _money_axis(currency: str, title: str) -> alt.Axis:
    """Axis labels like $1.2M / $350k / $0.05. Only a known symbol enters the expression;
    any other currency code goes into the axis title, which Vega treats as text."""
    sym = _SYMBOLS.get(currency.upper(), "")
    if not sym:
        title = f"{title} ({currency})"
    big = "replace(format(abs(datum.value), '.3~s'), 'G', 'B')"
    small = "format(abs(datum.value), '.3~r')"
    expr = (f"(datum.value < 0 ? '-' : '') + '{sym}' + "
            f"(abs(datum.value) >= 1000 ? {big} : {small})")
    return alt.Axis(title=title, labelExpr=expr)


def _calls_axis(title: str) -> alt.Axis:
    return alt.Axis(title=title, labelExpr="replace(format(datum.value, '.2~s'), 'G', 'B')")


def _labels(df: pd.DataFrame, x: str, y: str, span: tuple[float, float],
            log: bool = False) -> list[alt.Chart]:
    """Labels next to marked points: to the right of a dot in the left part of the chart and
    to its left in the right part (so none runs off); above the dot, or below when the
    previous label is close (so neighbours do not overlap); on a white halo."""
    df = df.sort_values(x).reset_index(drop=True)
    pos = np.log(df[x].to_numpy()) if log else df[x].to_numpy(dtype=float)
    lo, hi = (np.log(span[0]), np.log(span[1])) if log else span
    share = (pos - lo) / max(hi - lo, 1e-12)
    align = np.where(share < 0.6, "left", "right")
    for i in range(len(df) - 1):  # a close neighbour on the right: write leftwards
        if share[i + 1] - share[i] < 0.3 and share[i] > 0.3:
            align[i] = "right"
    df["align"] = align
    dy = [-14]
    for i in range(1, len(df)):
        near = abs(share[i] - share[i - 1]) < 0.3
        dy.append(16 if near and dy[-1] < 0 else -14)
    df["dy"] = dy[: len(df)]
    out = []
    for (align, dy), group in df.groupby(["align", "dy"]):
        dx = 8 if align == "left" else -8
        base = alt.Chart(group).encode(x=alt.X(f"{x}:Q"), y=alt.Y(f"{y}:Q"),
                                       text=alt.Text("label:N"))
        for extra in ({"stroke": "white", "strokeWidth": 4, "strokeJoin": "round"}, {}):
            out.append(base.mark_text(align=align, dx=dx, dy=int(dy), color="#222222",
                                      fontWeight=600, **extra))
    return out


def _log_ticks(lo: float, hi: float) -> list[float]:
    """1, 10, 100 ... and, when the span is short, 3, 30, 300 ... between lo and hi."""
    first, last = int(np.floor(np.log10(max(lo, 1e-12)))), int(np.ceil(np.log10(hi)))
    steps = (1, 3) if last - first <= 5 else (1,)
    return [m * 10.0**k for k in range(first, last + 1) for m in steps if lo <= m * 10.0**k <= hi]


def _title(text: str, subtitle: str | None = None) -> alt.Title:
    return alt.Title(text, subtitle=subtitle) if subtitle else alt.Title(text)


def _basis(r: Result) -> str:
    return "present value (discounted)" if r.discounted else "undiscounted"


# -- cumulative total cost ------------------------------------------------------------------

def cumulative_frame(r: Result) -> pd.DataFrame:
    """Cumulative total cost per month and option (discounted when the rate is above 0)."""
    cum = r.cumulative()[0]
    cur = r.scenario.currency
    rows = [pd.DataFrame({"month": r.months, "option": name, SERIES: i,
                          "cumulative_cost": cum[i]})
            for i, name in enumerate(r.names)]
    df = pd.concat(rows, ignore_index=True)
    df["label"] = [money(float(x), cur) for x in df["cumulative_cost"]]
    return df


def crossover_frame(r: Result) -> pd.DataFrame:
    """One row per pair that crosses: where, at what cumulative cost, and a label."""
    cum = r.cumulative()[0]
    rows = []
    for c in crossovers(r):
        y = float(np.interp(c.fractional_month, r.months, cum[r.names.index(c.cheaper)]))
        rows.append({"month": c.month, "fractional_month": c.fractional_month,
                     "cumulative_cost": y, "cheaper": c.cheaper, "than": c.than,
                     "label": f"{c.cheaper} overtakes {c.than} (month {c.month})"})
    cols = ["month", "fractional_month", "cumulative_cost", "cheaper", "than", "label"]
    return pd.DataFrame(rows, columns=cols)


def cumulative_chart(r: Result, title: str = "Cumulative total cost") -> alt.LayerChart:
    """One line per option; crossover points marked and labelled."""
    cur = r.scenario.currency
    df = cumulative_frame(r)
    lines = alt.Chart(df).mark_line().encode(
        x=alt.X("month:Q", title="Month", scale=alt.Scale(domain=[1, int(r.months[-1])], nice=False),
                axis=alt.Axis(tickMinStep=1, format="d")),
        y=alt.Y("cumulative_cost:Q", axis=_money_axis(cur, "Cumulative total cost")),
        color=_color(r),
        tooltip=[alt.Tooltip("option:N", title="Option"), alt.Tooltip("month:Q", title="Month"),
                 alt.Tooltip("label:N", title="Cumulative cost")],
    )
    cross = crossover_frame(r)
    layers: list[Any] = [lines]
    if len(cross):
        base = alt.Chart(cross).encode(x=alt.X("fractional_month:Q"),
                                       y=alt.Y("cumulative_cost:Q"))
        layers += _labels(cross, "fractional_month", "cumulative_cost",
                          (1.0, float(r.months[-1])))
        layers.append(base.mark_point(size=110, filled=True, color="#222222", opacity=1).encode(
            tooltip=[alt.Tooltip("label:N", title="Crossover")]))
    subtitle = (f"{_basis(r).capitalize()}, including the cost of errors. "
                "Dots mark where one option overtakes another.")
    return with_names(alt.layer(*layers), r.names).properties(
        title=_title(title, subtitle), width=WIDTH, height=HEIGHT)


# -- monthly cost by component ---------------------------------------------------------------

def breakdown_frame(r: Result) -> pd.DataFrame:
    """Monthly cost by option and component (components that are always 0 left out)."""
    df = r.tidy()
    keep = df.groupby("component")["cost"].transform(lambda c: bool(np.any(np.abs(c) > 0)))
    df = df[keep].copy()
    df["component_label"] = df["component"].map(COMPONENT_LABELS)
    df["order"] = df["component"].map({c: i for i, c in enumerate(COMPONENTS)})
    df[SERIES] = df["option"].map({n: i for i, n in enumerate(r.names)})
    df["label"] = [money(float(x), r.scenario.currency) for x in df["cost"]]
    return df.reset_index(drop=True)


def breakdown_chart(r: Result, title: str = "Monthly cost by component") -> alt.FacetChart:
    """Stacked monthly cost per option, one panel per option, shared cost axis."""
    df = breakdown_frame(r)
    present = [c for c in COMPONENTS if c in set(df["component"])]
    scale = alt.Scale(domain=[COMPONENT_LABELS[c] for c in present],
                      range=[COMPONENT_COLORS[c] for c in present])
    n = len(r.names)
    width = max(180, min(WIDTH, (WIDTH + 40) // n - 40)) if n <= 3 else 200
    chart = alt.Chart(df).mark_bar().encode(
        x=alt.X("month:O", title="Month",
                axis=alt.Axis(labelAngle=0, values=_month_ticks(int(r.months[-1])))),
        y=alt.Y("sum(cost):Q", axis=_money_axis(r.scenario.currency, "Monthly cost")),
        color=alt.Color("component_label:N", scale=scale, title="Component"),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("option:N", title="Option"), alt.Tooltip("month:O", title="Month"),
                 alt.Tooltip("component_label:N", title="Component"),
                 alt.Tooltip("label:N", title="Cost")],
    ).properties(width=width, height=220)
    subtitle = "Undiscounted money paid each month, by what it pays for."
    panels = chart.facet(
        facet=alt.Facet(f"{SERIES}:N", sort=list(range(n)), title=None,
                        header=alt.Header(labelExpr=label_expr())), columns=min(n, 3))
    return with_names(panels, r.names).properties(title=_title(title, subtitle))


def _month_ticks(h: int) -> list[int]:
    step = next(s for s in (1, 2, 3, 6, 12, 24, 60) if h / s <= 12)
    return [m for m in range(1, h + 1) if m == 1 or m % step == 0]


# -- cost per 1,000 calls --------------------------------------------------------------------

def cost_per_1k_frame(r: Result) -> pd.DataFrame:
    """Each month's total cost per 1,000 of that month's calls (NaN-free: months without
    traffic are left out)."""
    vol = r.volume[0]
    rows = []
    for i, name in enumerate(r.names):
        ok = vol > 0
        per = r.total[0, i][ok] / vol[ok] * 1000.0
        rows.append(pd.DataFrame({"month": r.months[ok], "option": name, SERIES: i,
                                  "cost_per_1k_calls": per}))
    df = pd.concat(rows, ignore_index=True)
    df["label"] = [money(float(x), r.scenario.currency) for x in df["cost_per_1k_calls"]]
    return df


def cost_per_1k_chart(r: Result, title: str = "Cost per 1,000 calls") -> alt.Chart:
    df = cost_per_1k_frame(r)
    chart = alt.Chart(df).mark_line(interpolate="step-after").encode(
        x=alt.X("month:Q", title="Month", scale=alt.Scale(domain=[1, int(r.months[-1])], nice=False),
                axis=alt.Axis(tickMinStep=1, format="d")),
        y=alt.Y("cost_per_1k_calls:Q",
                axis=_money_axis(r.scenario.currency, "Cost per 1,000 calls")),
        color=_color(r),
        tooltip=[alt.Tooltip("option:N", title="Option"), alt.Tooltip("month:Q", title="Month"),
                 alt.Tooltip("label:N", title="Per 1,000 calls")],
    )
    subtitle = ("Each month's total cost (errors included) over that month's calls; build "
                "months show as spikes.")
    return with_names(chart, r.names).properties(title=_title(title, subtitle), width=WIDTH,
                                                 height=HEIGHT)


# -- monthly cost against volume -------------------------------------------------------------

def volume_frame(r: Result, points: int = 121) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Steady monthly cost of every option over a log grid of volumes, and the break-even
    volume of every pair that has one (with the cost there)."""
    s, p = r.scenario, Params.plain()
    now, end = float(r.volume[0, 0]), float(r.volume[0, -1])
    bes = []
    for i, j in pairs(r.names):
        v = float(break_even(s, r.names[i], r.names[j])[0])
        if np.isfinite(v):
            bes.append((r.names[i], r.names[j], v))
    marks = [x for x in (now, end, *(b[2] for b in bes)) if x > 0]
    lo = max(1.0, min(marks) / 30.0)
    hi = min(1e12, max(marks) * 30.0)
    grid = np.logspace(np.log10(lo), np.log10(hi), points)
    rows = []
    for i, name in enumerate(r.names):
        cost = np.broadcast_to(np.asarray(steady_monthly_cost(s, p, name, grid), dtype=float),
                               grid.shape)
        rows.append(pd.DataFrame({"calls_per_month": grid, "option": name, SERIES: i,
                                  "monthly_cost": cost}))
    curves = pd.concat(rows, ignore_index=True)
    curves = curves[curves["monthly_cost"] > 0].reset_index(drop=True)  # log axis
    cur = s.currency
    curves["label"] = [money(float(x), cur) for x in curves["monthly_cost"]]
    curves["calls_label"] = [calls(float(x)) for x in curves["calls_per_month"]]
    even = []
    for a, b, v in bes:
        c = float(np.asarray(steady_monthly_cost(s, p, a, np.array([v])), dtype=float).ravel()[0])
        even.append({"a": a, "b": b, "calls_per_month": v, "monthly_cost": c,
                     "label": f"{a} = {b} at {calls(v)}/month"})
    cols = ["a", "b", "calls_per_month", "monthly_cost", "label"]
    return curves, pd.DataFrame(even, columns=cols)


def volume_chart(r: Result, title: str = "Monthly cost against traffic") -> alt.LayerChart:
    """Steady monthly cost (live, month-1 prices, no build) over traffic volume, log-log;
    break-even volumes marked; month 1's and the last month's traffic as reference lines."""
    cur = r.scenario.currency
    curves, even = volume_frame(r)
    vx, vy = curves["calls_per_month"], curves["monthly_cost"]
    lines = alt.Chart(curves).mark_line().encode(
        x=alt.X("calls_per_month:Q", scale=alt.Scale(type="log", nice=False),
                axis=_calls_axis("Calls per month (log scale)")
                .to_dict() | {"values": _log_ticks(vx.min(), vx.max())}),
        y=alt.Y("monthly_cost:Q", scale=alt.Scale(type="log"),
                axis=_money_axis(cur, "Steady monthly cost (log scale)")
                .to_dict() | {"values": _log_ticks(vy.min() / 2, vy.max() * 2)}),
        color=_color(r),
        tooltip=[alt.Tooltip("option:N", title="Option"),
                 alt.Tooltip("calls_label:N", title="Calls a month"),
                 alt.Tooltip("label:N", title="Monthly cost")],
    )
    h = int(r.months[-1])
    refs = pd.DataFrame({"calls_per_month": [float(r.volume[0, 0]), float(r.volume[0, -1])],
                         "label": [f"traffic in month 1: {calls(float(r.volume[0, 0]))}",
                                   f"month {h}: {calls(float(r.volume[0, -1]))}"],
                         "ypix": [4, 20]})
    if h == 1 or np.isclose(refs["calls_per_month"][0], refs["calls_per_month"][1]):
        refs = refs.iloc[:1]
    ref = alt.Chart(refs).encode(x=alt.X("calls_per_month:Q"))
    layers: list[Any] = [
        ref.mark_rule(strokeDash=[4, 4], color="#888888"),
        ref.mark_text(align="left", baseline="top", dx=4, color="#555555").encode(
            y=alt.Y("ypix:Q", scale=None), text=alt.Text("label:N")),
        lines,
    ]
    if len(even):
        base = alt.Chart(even).encode(x=alt.X("calls_per_month:Q"), y=alt.Y("monthly_cost:Q"))
        layers += _labels(even, "calls_per_month", "monthly_cost",
                          (float(vx.min()), float(vx.max())), log=True)
        layers.append(base.mark_point(size=110, filled=True, color="#222222", opacity=1).encode(
            tooltip=[alt.Tooltip("label:N", title="Break-even")]))
    subtitle = ("Running cost once live at a constant volume: run team, fixed, usage and "
                "errors; no setup or build. Dots mark break-even volumes.")
    return with_names(alt.layer(*layers), r.names).properties(
        title=_title(title, subtitle), width=WIDTH, height=HEIGHT)


# -- totals ----------------------------------------------------------------------------------

TOTALS_LABELS = {"option": "Option", "kind": "Kind", "live_month": "Live from month",
                 "money_cost": "Money cost", "error_cost": "Error cost",
                 "total_cost": "Total cost", "present_value": "Present value",
                 "cost_per_1k_calls": "Per 1,000 calls", "net_value": "Net value"}


def totals_frame(r: Result) -> pd.DataFrame:
    """One row per option with the horizon's totals (full floats; format for people)."""
    t = totals(r)
    df = pd.DataFrame({
        "option": r.names,
        "kind": [KIND_LABELS[r.scenario.active[n].kind] for n in r.names],
        "live_month": [int(x) for x in r.live_month[0]],
    })
    for key in ("money_cost", "error_cost", "total_cost", "present_value",
                "cost_per_1k_calls", "net_value"):
        if key in t:
            df[key] = t[key][0]
    return df
