"""A hybrid's chart: its horizon total at every share of calls its primary keeps, the best
share marked (with what the share sweep holds fixed), built from a Decision."""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from ..model import Decision, money, share_caveat
from .theme import (
    HEIGHT,
    INK,
    MUTED,
    WIDTH,
    kind_colors,
    money_axis,
    point_labels,
    title,
)


def share_frame(d: Decision, name: str) -> pd.DataFrame:
    sw = d.hybrids[name]
    df = pd.DataFrame({"share": sw["shares"], "total": sw["totals"]})
    df["label"] = [money(float(x), d.scenario.currency) for x in df["total"]]
    return df


def share_chart(d: Decision, name: str) -> alt.LayerChart:
    """The hybrid's horizon total at every share of calls its primary keeps (0 to 100 %),
    the best share marked, today's share and the best single option for reference."""
    sw, cur = d.hybrids[name], d.scenario.currency
    opt: Any = d.scenario.options[name]
    df = share_frame(d, name)
    x = alt.X("share:Q", title=f"Share of calls {d.label(opt.primary)} keeps",
              axis=alt.Axis(format="%", values=[i / 10 for i in range(11)]),
              scale=alt.Scale(domain=[0, 1], nice=False))
    y_title = f"{'Present value' if d.result.discounted else 'Total cost'} over {d.horizon} months"
    line = alt.Chart(df).mark_line(color=kind_colors({name: "hybrid"})[name]).encode(
        x=x, y=alt.Y("total:Q", axis=money_axis(cur, y_title), scale=alt.Scale(zero=False)),
        tooltip=[alt.Tooltip("share:Q", title="Share", format=".0%"),
                 alt.Tooltip("label:N", title="Total")])
    marks = pd.DataFrame([
        {"share": sw["best_share"], "total": sw["best_total"],
         "text": f"best: {sw['best_share']:.0%}, {money(sw['best_total'], cur)}"}])
    layers: list[Any] = [line, alt.Chart(marks).mark_point(size=110, filled=True, color=INK)
                         .encode(x=alt.X("share:Q"), y=alt.Y("total:Q"))]
    layers += point_labels(marks.assign(label=marks["text"]), "share", "total", (0.0, 1.0),
                           below=True)              # the best share is the curve's minimum
    now = float(opt.primary_share.likely if hasattr(opt.primary_share, "likely")
                else opt.primary_share)
    layers.append(alt.Chart(pd.DataFrame({"share": [now]})).mark_rule(
        strokeDash=[4, 4], color=MUTED).encode(x=alt.X("share:Q")))
    sub = [f"{d.label(opt.primary)} keeps the share, {d.label(opt.fallback)} takes the rest "
           f"({opt.routing} routing). Dashed line: the scenario's share, {now:.0%}."]
    if sw["best_single"] is not None:
        ref = pd.DataFrame({"total": [sw["best_single_total"]],
                            "text": [f"{d.label(sw['best_single'])} alone"]})
        layers.append(alt.Chart(ref).mark_rule(strokeDash=[2, 3], color=INK).encode(
            y=alt.Y("total:Q")))
        sub.append(f"Dotted: the best single option, {d.label(sw['best_single'])} "
                   f"({money(sw['best_single_total'], cur)}).")
    if sw["best_share"] > now + 1e-9:
        sub.append(share_caveat(d, name, short=True))
    return alt.layer(*layers).properties(
        title=title(f"Which share of calls should {d.label(opt.primary)} keep?", sub),
        width=WIDTH, height=HEIGHT)
