"""The plain report's charts over the months (no streamlit here), built from a Decision: what
building saves month by month, the cumulative total cost, the monthly cost by component;
the totals table; and the helpers every report chart shares (:func:`labels_of`,
:func:`colors_of`). The charts against traffic are in :mod:`.traffic`, a hybrid's share
chart in :mod:`.share`.

Every builder returns a top-level chart with a title: Altair's, or for the saving chart,
drawn again on every input change, a finished Vega-Lite dict (:class:`.theme.Spec`). The
app shows them with the registered theme (never Streamlit's) and the exports render the
same objects, so the screen and a downloaded PNG look alike. Option names appear through labels, never as Vega ids.

>>> from pathlib import Path
>>> from calculator.model import load_scenario
>>> from calculator.model import decision_of
>>> d = decision_of(load_scenario(Path(__file__).parents[2] / "scenarios/support-ticket-routing.yaml"))
>>> register_theme()
'buildvsbuy'
>>> saving_chart(d).to_dict()["height"] >= 420
True
>>> list(totals_frame(d.result)["option"])
['rules', 'llm', 'in_house']
"""

from __future__ import annotations

from typing import Any

import altair as alt
import numpy as np
import pandas as pd

from ..model import (
    COMPONENT_LABELS,
    COMPONENTS,
    KIND_LABELS,
    Decision,
    Result,
    money,
    month,
    path_label,
    totals,
)
from .theme import (
    BAD,
    BREAKDOWN_NOTE,
    COMPONENT_COLORS,
    GOOD,
    HEIGHT,
    INK,
    MUTED,
    PLOT_MIN,
    SERIES,
    WIDTH,
    Spec,
    column_records,
    finished,
    kind_colors,
    label_expr,
    layer_spec,
    money_axis,
    money_axis_spec,
    month_ticks,
    month_x,
    month_x_spec,
    nom,
    point_labels,
    quant,
    register_theme,
    series_color,
    spread,
    title,
    with_names,
)

__all__ = ["breakdown_chart", "cumulative_chart", "register_theme", "saving_chart",
           "totals_columns", "totals_frame"]


def labels_of(d: Decision) -> list[str]:
    return [d.label(n) for n in d.result.names]


def colors_of(d: Decision) -> list[str]:
    colors = kind_colors({n: o.kind for n, o in d.scenario.options.items()})
    return [colors[n] for n in d.result.names]


def _basis(d: Decision) -> str:
    return "present value (discounted)" if d.result.discounted else "undiscounted"


# -- the hero chart: what building saves, month by month ------------------------------------------

def saving_columns(d: Decision) -> dict[str, Any]:
    """The saving chart's data, column by column: month, saving, its parts ahead and
    behind, the Monte Carlo's band (with ranges) and the saving in words."""
    h = d.horizon
    saving = np.asarray(d.saving_curve, dtype=float)
    cols: dict[str, Any] = {"month": np.arange(1, h + 1), "saving": saving,
                            "ahead": np.maximum(saving, 0.0),
                            "behind": np.minimum(saving, 0.0)}
    if d.odds is not None and d.odds.band_p10:
        cols["p10"] = np.asarray(d.odds.band_p10, dtype=float)
        cols["p90"] = np.asarray(d.odds.band_p90, dtype=float)
    cols["label"] = [money(float(x), d.scenario.currency) for x in saving]
    return cols


def saving_chart(d: Decision) -> Spec | None:
    """The J-curve of the decision: the cumulative saving of the build path against the best
    option to buy. It dips while building costs and crosses zero when building pays off;
    with ranges, the P10-P90 band of the Monte Carlo around it. None without a pair.

    The page's first chart, drawn again on every input change: written as a Vega-Lite dict
    (:class:`~calculator.charts.theme.Spec`), not through Altair."""
    if not (d.build and d.buy):
        return None
    s, cur, h = d.scenario, d.scenario.currency, d.horizon
    cols = saving_columns(d)      # rows straight from the columns: no DataFrame on screen
    x = month_x_spec(h)
    y_axis = money_axis_spec(
        cur, f"Cumulative saving ({'present value' if d.result.discounted else 'total cost'})")
    data: dict[str, Any] = {"saving": column_records(cols), "zero": [{"y": 0.0}]}
    layers: list[dict[str, Any]] = []
    if "p10" in cols:
        layers.append(layer_spec(
            "saving", {"type": "area", "color": MUTED, "opacity": 0.18},
            x=x, y=quant("p10", axis=y_axis), y2={"field": "p90"},
            tooltip=[quant("month", title="Month"), quant("p10", title="P10", format=",.0f"),
                     quant("p90", title="P90", format=",.0f")]))
    layers += [
        layer_spec("saving", {"type": "area", "color": GOOD, "opacity": 0.25},
                   x=x, y=quant("ahead", axis=y_axis)),
        layer_spec("saving", {"type": "area", "color": BAD, "opacity": 0.22},
                   x=x, y=quant("behind")),
        layer_spec("zero", {"type": "rule", "color": INK, "strokeWidth": 1}, y=quant("y")),
        layer_spec("saving", {"type": "line", "color": INK, "strokeWidth": 2.5},
                   x=x, y=quant("saving"),
                   tooltip=[quant("month", title="Month"), nom("label", title="Saving so far")]),
    ]
    marks = []
    live = d.live_month(d.build)
    if 1 < live <= h:
        marks.append({"month": live, "text": f"{d.label(d.build)} live"})
    if d.payoff_month:
        marks.append({"month": d.payoff_month,
                      "text": f"pays off: {month(d.payoff_month, s.start_date)}"})
    if marks:
        for k, mk in enumerate(marks):
            share = (mk["month"] - 1) / max(h - 1, 1)
            mk["align"] = "right" if share > 0.6 else "left"
            mk["y"] = 12 + 20 * k                # one row each: long names never overlap
        data["marks"] = marks
        layers.append(layer_spec("marks", {"type": "rule", "strokeDash": [4, 4],
                                           "color": MUTED}, x=quant("month")))
        for al in sorted({mk["align"] for mk in marks}):
            name = f"marks-{al}"
            data[name] = [mk for mk in marks if mk["align"] == al]
            for extra in ({"stroke": "white", "strokeWidth": 5, "strokeJoin": "round"}, {}):
                layers.append(layer_spec(
                    name, {"type": "text", "align": al, "dx": 6 if al == "left" else -6,
                           "fontWeight": 600, "color": INK, **extra},
                    x=quant("month"), y=quant("y", scale=None), text=nom("text")))
    # short lines: Vega cuts a subtitle line at the chart's width, it does not wrap it
    sub = [path_label(d, d.build), f"against {d.label(d.buy)}; {_basis(d)}, errors included.",
           "Above zero, building is ahead." + (
               " Line: likely values; grey band: P10 to P90 of the draws." if "p10" in cols
               else "")]
    return finished({"layer": layers, "height": HEIGHT,
                     "title": {"text": f"What building saves against {d.label(d.buy)}",
                               "subtitle": sub},
                     "width": WIDTH}, data)


# -- cumulative total cost, focused on the decision ------------------------------------------------

LABEL_GAP_PX = 20


def cumulative_frame(d: Decision) -> pd.DataFrame:
    r = d.result
    cum = r.cumulative()[0]
    cur = r.scenario.currency
    rows = [pd.DataFrame({"month": r.months, "option": d.label(name), SERIES: i,
                          "cumulative_cost": cum[i]}) for i, name in enumerate(r.names)]
    df = pd.concat(rows, ignore_index=True)
    df["label"] = [money(float(x), cur) for x in df["cumulative_cost"]]
    return df


def _focus(d: Decision) -> list[str]:
    """The options the decision is about (else the two cheapest)."""
    if d.build and d.buy:
        return [d.build, d.buy]
    return d.ranking[:2]


def _cut_at(df: pd.DataFrame, col: str, top: float) -> pd.DataFrame:
    """Each series' rows up to where ``col`` first passes ``top``, ending exactly at ``top``
    (the crossing interpolated): a line that runs off the top stops at the edge without a
    clip path, which costs a renderer far more than the line (a PNG takes five times as
    long to draw with one)."""
    parts = []
    for _, g in df.astype({"month": float}).groupby(SERIES, sort=False):
        over = np.nonzero(g[col].to_numpy() > top)[0]
        if not over.size:
            parts.append(g)
            continue
        k = int(over[0])
        parts.append(g.iloc[:k])
        if k > 0:
            a, b = g.iloc[k - 1], g.iloc[k]
            edge = b.copy()
            edge["month"] = a["month"] + (top - a[col]) / (b[col] - a[col]) * (b["month"] - a["month"])
            edge[col] = top
            parts.append(edge.to_frame().T.astype(g.dtypes.to_dict()))
    return pd.concat(parts, ignore_index=True)


def cumulative_chart(d: Decision, chart_title: str = "Cumulative total cost") -> alt.LayerChart:
    """One line per option, the decision pair drawn strongly and the rest lighter; the
    y-axis fits the pair (a far costlier option runs off the top, said in the subtitle);
    each line labelled at its end, labels spread so they never overlap."""
    r, cur, h = d.result, d.scenario.currency, d.horizon
    df = cumulative_frame(d)
    focus = _focus(d)
    ids = [r.names.index(n) for n in focus]
    cum = r.cumulative()[0]
    top = float(max(cum[i].max() for i in ids)) * 1.12 or 1.0
    bottom = min(0.0, float(min(cum[i].min() for i in ids)))
    above = [n for n in r.names if n not in focus and cum[r.names.index(n)].max() > top]
    df["strong"] = df[SERIES].isin(ids)
    drawn = _cut_at(df, "cumulative_cost", top)
    clip = bool((df["cumulative_cost"] < bottom).any())
    y = alt.Y("cumulative_cost:Q", axis=money_axis(cur, "Cumulative total cost"),
              scale=alt.Scale(domain=[bottom, top], nice=False, clamp=False))
    color = series_color(labels_of(d), colors_of(d))
    scale = alt.Scale(domain=list(range(len(r.names))), range=colors_of(d))
    lines = alt.Chart(drawn).mark_line(clip=clip).encode(
        x=month_x(h), y=y, color=color,
        # typed channel values: a plain dict here costs Altair a schema lookup (about 5 ms)
        opacity=alt.OpacityValue(0.35, condition={"test": "datum.strong", "value": 1.0}),
        strokeWidth=alt.StrokeWidthValue(1.5, condition={"test": "datum.strong", "value": 3.0}),
        tooltip=[alt.Tooltip("option:N", title="Option"), alt.Tooltip("month:Q", title="Month"),
                 alt.Tooltip("label:N", title="Cumulative cost")])
    # labels at the right end, spread at least 20 px apart (a 12 px bold line) in data units
    ends = df[df["month"] == h].copy()
    ends = ends[ends["cumulative_cost"] <= top]
    gap = (top - bottom) * LABEL_GAP_PX / PLOT_MIN
    ends["y"] = spread(list(ends["cumulative_cost"]), gap)
    ends["text"] = [f"{o} {lab}" for o, lab in zip(ends["option"], ends["label"], strict=True)]
    text = alt.Chart(ends).mark_text(align="right", dx=-4, dy=-2, baseline="bottom",
                                     fontWeight=600).encode(
        x=alt.X("month:Q"), y=alt.Y("y:Q", scale=alt.Scale(domain=[bottom, top])),
        text=alt.Text("text:N"), color=alt.Color(f"{SERIES}:N", scale=scale, legend=None))
    halo = text.mark_text(align="right", dx=-4, dy=-2, baseline="bottom", fontWeight=600,
                          stroke="white", strokeWidth=5, strokeJoin="round")
    layers: list[Any] = [lines, halo, text]
    if d.build and d.buy and d.payoff_month and d.payoff_month > 1:
        y0 = float(cum[r.names.index(d.build)][d.payoff_month - 1])
        pt = pd.DataFrame({"month": [d.payoff_month], "cumulative_cost": [y0],
                           "label": [f"pays off: {month(d.payoff_month, d.scenario.start_date)}"]})
        layers.append(alt.Chart(pt).mark_point(size=110, filled=True, color=INK, opacity=1)
                      .encode(x=alt.X("month:Q"), y=alt.Y("cumulative_cost:Q")))
        layers += point_labels(pt, "month", "cumulative_cost", (1.0, float(h)))
    sub = [f"{_basis(d).capitalize()}, errors included. Bold: the choice the decision is "
           f"about ({' vs '.join(d.label(n) for n in focus)})."]
    if above:
        far = ", ".join(f"{d.label(n)} ({money(float(cum[r.names.index(n)][-1]), cur)} by "
                        f"{month(h)})" for n in above)
        sub.append(f"Off the top of the chart: {far}.")
    return with_names(alt.layer(*layers), labels_of(d)).properties(
        title=title(chart_title, sub), width=WIDTH, height=HEIGHT)


# -- monthly cost by component ------------------------------------------------------------------

STACK = ("primary", "fallback", *COMPONENTS)
"""Stacking order: a hybrid's parts, then every option's own components."""


def breakdown_frame(r: Result, labels: list[str] | None = None) -> pd.DataFrame:
    """Monthly cost by option and component (components that are always 0 left out); a
    hybrid's cost by where it goes: its primary, its fallback, the errors of both."""
    df = r.tidy(parts=True) if r.parts else r.tidy()
    if "part" in df:
        hybrid = df["part"] != "own"
        errors = hybrid & (df["component"] == "errors")
        df.loc[hybrid & ~errors, "component"] = df.loc[hybrid & ~errors, "part"]
        df = (df.groupby(["month", "option", "component"], sort=False, as_index=False)["cost"]
              .sum())
    keep = df.groupby("component")["cost"].transform(lambda c: bool(np.any(np.abs(c) > 0)))
    df = df[keep].copy()
    df["component_label"] = df["component"].map(lambda c: COMPONENT_LABELS.get(c, c))
    df["order"] = df["component"].map({c: i for i, c in enumerate(STACK)})
    df[SERIES] = df["option"].map({n: i for i, n in enumerate(r.names)})
    if labels is not None:
        df["option"] = df[SERIES].map(dict(enumerate(labels)))
    df["label"] = [money(float(x), r.scenario.currency) for x in df["cost"]]
    return df.reset_index(drop=True)


def breakdown_chart(d: Decision, chart_title: str = "Monthly cost by component") -> alt.FacetChart:
    """Stacked monthly cost per option, one panel per option, shared cost axis (a hybrid's
    cost stacked by where it goes: primary, fallback, errors)."""
    r = d.result
    df = breakdown_frame(r, labels_of(d))
    present = [c for c in STACK if c in set(df["component"])]
    scale = alt.Scale(domain=[COMPONENT_LABELS.get(c, c) for c in present],
                      range=[COMPONENT_COLORS.get(c, MUTED) for c in present])
    n = len(r.names)
    width = max(180, min(WIDTH, (WIDTH + 40) // n - 40)) if n <= 3 else 200
    chart = alt.Chart(df).mark_bar().encode(
        x=alt.X("month:O", title="Month",
                axis=alt.Axis(labelAngle=0, values=month_ticks(int(r.months[-1])))),
        y=alt.Y("sum(cost):Q", axis=money_axis(r.scenario.currency, "Monthly cost")),
        color=alt.Color("component_label:N", scale=scale, title="Component",
                        legend=alt.Legend(columns=min(len(present), 5))),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("option:N", title="Option"), alt.Tooltip("month:O", title="Month"),
                 alt.Tooltip("component_label:N", title="Component"),
                 alt.Tooltip("label:N", title="Cost")],
    ).properties(width=width, height=220)
    panels = chart.facet(
        facet=alt.Facet(f"{SERIES}:N", sort=list(range(n)), title=None,
                        header=alt.Header(labelExpr=label_expr())), columns=min(n, 3)
    ).resolve_axis(x="independent")          # no month axis under an empty last cell
    return with_names(panels, labels_of(d)).properties(
        title=title(chart_title, BREAKDOWN_NOTE))


# -- totals ----------------------------------------------------------------------------------------

TOTALS_LABELS = {"option": "Option", "kind": "Kind", "live_month": "Live from month",
                 "money_cost": "Money cost", "error_cost": "Error cost",
                 "total_cost": "Total cost", "present_value": "Present value",
                 "cost_per_1k_calls": "Per 1,000 calls", "net_value": "Net value"}


def totals_columns(r: Result) -> dict[str, list[Any]]:
    """The totals by column, one value per option (full floats; format for people): what
    :func:`totals_frame` holds, for a reader that needs no DataFrame (the app's table)."""
    t = totals(r)
    cols: dict[str, list[Any]] = {
        "option": list(r.names),
        "kind": [KIND_LABELS[r.scenario.active[n].kind] for n in r.names],
        "live_month": [int(x) for x in r.live_month[0]],
    }
    for key in ("money_cost", "error_cost", "total_cost", "present_value",
                "cost_per_1k_calls", "net_value"):
        if key in t:
            cols[key] = [float(x) for x in t[key][0]]
    return cols


def totals_frame(r: Result) -> pd.DataFrame:
    """One row per option with the horizon's totals (full floats; format for people)."""
    return pd.DataFrame(totals_columns(r))   # one frame, not a column at a time
