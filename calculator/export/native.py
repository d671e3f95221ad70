"""The deck's charts as PowerPoint chart objects (python-pptx), with their data inside.

A PM can restyle them, or open "Edit data" and read the numbers: each series holds the
Decision's own arrays (cumulative cost, the saving curve and its P10-P90 band, the monthly
components) or the risk report's (chance of being cheaper, the spread, the tornado).
Options keep their screen colours (:func:`calculator.charts.kind_colors`). A chart has no
title of its own (the slide's title says what it is); its value axis is written in the
deck's currency (``"$"#,##0,"k"``-style custom formats, or the currency code in the axis
title when it has no symbol here).

Every builder takes a slide and the box to fill (left, top, width, height in EMU) and
returns the chart. ``font`` is the family to set on the chart's text, or None to keep the
template's theme fonts.
"""

from __future__ import annotations

import math
from typing import Any

from lxml import etree
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_MARKER_STYLE,
    XL_TICK_LABEL_POSITION,
)
from pptx.enum.dml import MSO_LINE
from pptx.oxml.ns import qn
from pptx.util import Pt

from ..charts import kind_colors
from ..charts.risk import LOW_HIGH_COLORS, tornado_frame
from ..charts.theme import COMPONENT_COLORS, MUTED, month_ticks
from ..model import (
    COMPONENT_LABELS,
    COMPONENTS,
    Decision,
    input_label,
    input_value,
    money,
    path_label,
    symbol,
)

Box = tuple[int, int, int, int]
INK = "222222"


def _rgb(hex_color: str) -> RGBColor:
    return RGBColor.from_string(hex_color.lstrip("#").upper())


def _tint(hex_color: str, share: float) -> str:
    """``hex_color`` mixed with white (share 0: as is, 1: white): a lighter line."""
    c = hex_color.lstrip("#")
    rgb = [int(c[k:k + 2], 16) for k in (0, 2, 4)]
    return "".join(f"{round(v + (255 - v) * share):02X}" for v in rgb)


def money_format(currency: str, peak: float, signed: bool = True) -> str:
    """A custom number format for a money axis reaching ``peak``: "$1.2M", "$350k", "$900".
    An axis that never goes below zero (``signed`` False) says each label in its own unit
    ("$800k", "$1.2M"), through the format's two conditions.

    >>> money_format("USD", 2.5e6), money_format("EUR", 80_000), money_format("CHF", 500)
    ('"$"#,##0.0,,"M"', '"€"#,##0,"k"', '#,##0')
    >>> money_format("USD", 2.5e6, signed=False)
    '[>=1000000]"$"#,##0.0,,"M";[>=1000]"$"#,##0,"k";"$"#,##0'
    """
    sym = symbol(currency)
    pre = f'"{sym}"' if sym else ""
    if not signed and peak >= 1e4:
        return f'[>=1000000]{pre}#,##0.0,,"M";[>=1000]{pre}#,##0,"k";{pre}#,##0'
    if peak >= 1e6:
        return pre + '#,##0.0,,"M"'
    if peak >= 1e4:
        return pre + '#,##0,"k"'
    return pre + ("#,##0" if peak >= 10 else "#,##0.00")


def cell_format(currency: str) -> str:
    """The format of money in the chart's data: whole units with separators."""
    sym = symbol(currency)
    return (f'"{sym}"' if sym else "") + "#,##0"


def _money_title(text: str, currency: str) -> str:
    return text if symbol(currency) else f"{text} ({currency})"


def _months(d: Decision) -> list[int]:
    return [int(m) for m in d.result.months]


def _add(slide: Any, kind: Any, box: Box, data: CategoryChartData, font: str | None,
         legend: bool = True) -> Any:
    chart = slide.shapes.add_chart(kind, *box, data).chart
    chart.has_title = False
    chart.font.size = Pt(12)
    if font:
        chart.font.name = font
    chart.has_legend = legend
    if legend:
        chart.legend.position = XL_LEGEND_POSITION.TOP
        chart.legend.include_in_layout = False
    return chart


def _line(series: Any, color: str, width: float, dash: bool = False) -> None:
    series.smooth = False
    series.marker.style = XL_MARKER_STYLE.NONE
    fmt = series.format.line
    fmt.color.rgb = _rgb(color)
    fmt.width = Pt(width)
    if dash:
        fmt.dash_style = MSO_LINE.DASH


def _value_axis(chart: Any, title: str, number_format: str, lo: float | None = None,
                hi: float | None = None) -> None:
    axis = chart.value_axis
    axis.has_major_gridlines = True
    axis.major_gridlines.format.line.color.rgb = _rgb("E4E4E4")
    axis.tick_labels.number_format = number_format
    axis.tick_labels.number_format_is_linked = False
    axis.has_title = True
    axis.axis_title.text_frame.text = title
    axis.format.line.fill.background()
    if lo is not None:
        axis.minimum_scale = lo
    if hi is not None:
        axis.maximum_scale = hi


def _month_axis(chart: Any, h: int, title: str = "Month") -> None:
    """Months along the bottom (under negative values too), every few labelled."""
    axis = chart.category_axis
    axis.has_title = True
    axis.axis_title.text_frame.text = title
    axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    axis.format.line.color.rgb = _rgb(MUTED)
    ticks = month_ticks(h)
    step = ticks[2] - ticks[1] if len(ticks) > 2 else 1
    if step > 1:
        ax = axis._element
        before = ax.find(qn("c:noMultiLvlLbl"))
        for tag in ("c:tickLblSkip", "c:tickMarkSkip"):
            el = etree.SubElement(ax, qn(tag))
            el.set("val", str(step))
            if before is not None:
                before.addprevious(el)


def _nice(x: float) -> float:
    """A round number at or above ``x`` (1, 2, 2.5, 5 x a power of ten)."""
    if x <= 0:
        return 0.0
    e = 10 ** math.floor(math.log10(x))
    return next(m * e for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if m * e >= x)


def _label_point(series: Any, k: int, text: str) -> None:
    label = series.points[k].data_label
    label.has_text_frame = True
    label.text_frame.text = text
    label.position = XL_LABEL_POSITION.ABOVE


def _colors(d: Decision) -> dict[str, str]:
    return kind_colors({n: o.kind for n, o in d.scenario.options.items()})


# -- the plain report's charts --------------------------------------------------------------

def cumulative(slide: Any, box: Box, d: Decision, font: str | None = None) -> Any:
    """Cumulative total cost by month, one line per option; the decision pair strong, the
    others lighter, the axis fitted to the pair (as on screen)."""
    r, cur = d.result, d.scenario.currency
    cum = r.cumulative()[0]
    focus = [d.build, d.buy] if d.build and d.buy else d.ranking[:2]
    data = CategoryChartData(number_format=cell_format(cur))
    data.categories = _months(d)
    for i, name in enumerate(r.names):
        data.add_series(d.label(name), [float(x) for x in cum[i]])
    chart = _add(slide, XL_CHART_TYPE.LINE, box, data, font)
    colors = _colors(d)
    for series, name in zip(chart.plots[0].series, r.names, strict=True):
        strong = name in focus
        _line(series, colors[name] if strong else _tint(colors[name], 0.55), 3 if strong else 1.5)
    top = _nice(max(float(cum[r.names.index(n)].max()) for n in focus) * 1.08)
    bottom = min(0.0, min(float(cum[r.names.index(n)].min()) for n in focus))
    basis = "present value" if r.discounted else "total cost"
    _value_axis(chart, _money_title(f"Cumulative {basis}", cur),
                money_format(cur, top, signed=bottom < 0), bottom, top or None)
    _month_axis(chart, d.horizon)
    if d.build and d.buy and d.payoff_month and d.payoff_month > 1:
        series = chart.plots[0].series[r.names.index(d.build)]
        _label_point(series, d.payoff_month - 1, f"pays off: month {d.payoff_month}")
    return chart


def saving(slide: Any, box: Box, d: Decision, font: str | None = None) -> Any:
    """The J-curve: what building saves against the best option to buy, by month (with the
    P10 and P90 of the draws when inputs are uncertain). None without a pair."""
    if not (d.build and d.buy):
        return None
    cur = d.scenario.currency
    data = CategoryChartData(number_format=cell_format(cur))
    data.categories = _months(d)
    data.add_series(f"Saving: {path_label(d, d.build)} vs {d.label(d.buy)}", d.saving_curve)
    band = d.odds is not None and bool(d.odds.band_p10)
    if band:
        assert d.odds is not None
        data.add_series("P10 of the draws", d.odds.band_p10)
        data.add_series("P90 of the draws", d.odds.band_p90)
    chart = _add(slide, XL_CHART_TYPE.LINE, box, data, font)
    series = list(chart.plots[0].series)
    _line(series[0], INK, 3)
    for extra in series[1:]:
        _line(extra, "999999", 1.25, dash=True)
    values = [*d.saving_curve, *(d.odds.band_p10 + d.odds.band_p90 if band and d.odds else [])]
    peak = max(abs(v) for v in values) if values else 1.0
    basis = "present value" if d.result.discounted else "total cost"
    _value_axis(chart, _money_title(f"Cumulative saving ({basis})", cur),
                money_format(cur, peak))
    _month_axis(chart, d.horizon)
    if d.payoff_month:
        _label_point(series[0], d.payoff_month - 1, f"pays off: month {d.payoff_month}")
    return chart


def components_of(d: Decision) -> list[str]:
    """The cost components that are not 0 for every option, in the model's order."""
    comps = d.result.components or {}
    return [c for c in COMPONENTS if c in comps and bool(abs(comps[c][0]).sum() > 0)]


def legend_row(slide: Any, box: Box, items: list[tuple[str, str]], size: float,
               font: str | None = None) -> None:
    """One legend for several charts: a coloured square and a label per item, in a row."""
    left, top, width, height = box
    step = width // max(1, len(items))
    square = min(height, Pt(size)) * 2 // 3
    for k, (label, color) in enumerate(items):
        x = left + k * step
        mark = slide.shapes.add_shape(1, x, top + (height - square) // 2, square, square)
        mark.fill.solid()
        mark.fill.fore_color.rgb = _rgb(color)
        mark.line.fill.background()
        text = slide.shapes.add_textbox(x + square + square // 2, top, step - 2 * square,
                                        height).text_frame
        text.word_wrap = True
        text.margin_top = text.margin_bottom = 0
        run = text.paragraphs[0].add_run()
        run.text = label
        run.font.size = Pt(size)
        if font:
            run.font.name = font


def breakdown(slide: Any, box: Box, d: Decision, font: str | None = None) -> list[Any]:
    """Monthly cost by component, one stacked-column chart per option in rows of up to
    three under one legend, on one shared cost axis."""
    r, cur = d.result, d.scenario.currency
    assert r.components is not None
    present = components_of(d)
    left, top, width, height = box
    row = int(height * 0.07)
    legend_row(slide, (left, top, width, row),
               [(COMPONENT_LABELS.get(c, c), COMPONENT_COLORS.get(c, MUTED)) for c in present],
               11, font)
    n = len(r.names)
    cols = min(n, 3)
    rows = math.ceil(n / cols)
    w, h = width // cols, (height - row) // rows
    peak = float(r.total[0].max()) * 1.05 or 1.0
    top_value = _nice(peak)
    out = []
    for i, name in enumerate(r.names):
        data = CategoryChartData(number_format=cell_format(cur))
        data.categories = _months(d)
        for c in present:
            data.add_series(COMPONENT_LABELS.get(c, c), [float(x) for x in r.components[c][0, i]])
        panel = (left + (i % cols) * w, top + row + (i // cols) * h, w, h)
        chart = _add(slide, XL_CHART_TYPE.COLUMN_STACKED, panel, data, font, legend=False)
        chart.plots[0].gap_width = 30
        chart.plots[0].overlap = 100
        for series, c in zip(chart.plots[0].series, present, strict=True):
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = _rgb(COMPONENT_COLORS.get(c, MUTED))
        chart.has_title = True
        chart.chart_title.text_frame.text = d.label(name)
        chart.chart_title.text_frame.paragraphs[0].runs[0].font.size = Pt(14)
        _value_axis(chart, _money_title("Monthly cost", cur),
                    money_format(cur, top_value, signed=False), 0, top_value)
        _month_axis(chart, d.horizon)
        out.append(chart)
    return out


# -- the risk view's charts -----------------------------------------------------------------

def chance_cheaper(slide: Any, box: Box, d: Decision, rep: dict[str, Any], a: str, b: str,
                   font: str | None = None) -> Any:
    """By month, the share of draws in which each of the pair is the cheaper so far."""
    pair = next(p for p in rep["pairs"] if {p["a"], p["b"]} == {a, b})
    data = CategoryChartData(number_format="0%")
    data.categories = rep["months"]
    colors = _colors(d)
    names = [pair["a"], pair["b"]]
    data.add_series(f"{d.label(pair['a'])} cheaper", pair["p_a_cheaper"])
    data.add_series(f"{d.label(pair['b'])} cheaper", pair["p_b_cheaper"])
    chart = _add(slide, XL_CHART_TYPE.LINE, box, data, font)
    for series, name in zip(chart.plots[0].series, names, strict=True):
        _line(series, colors[name], 2.5)
    _value_axis(chart, f"Share of {rep['draws']:,} draws", "0%", 0.0, 1.0)
    chart.value_axis.major_unit = 0.25
    _month_axis(chart, rep["horizon_months"])
    return chart


def spread(slide: Any, box: Box, d: Decision, rep: dict[str, Any],
           font: str | None = None) -> Any:
    """Cumulative cost by month: each option's median, and its P10 and P90 dashed."""
    cur = rep["currency"]
    data = CategoryChartData(number_format=cell_format(cur))
    data.categories = rep["months"]
    colors = _colors(d)
    order = []
    for name, f in rep["fan"].items():
        for q, words in (("p50", "median"), ("p10", "P10"), ("p90", "P90")):
            data.add_series(f"{d.label(name)} {words}", f[q])
            order.append((name, q))
    chart = _add(slide, XL_CHART_TYPE.LINE, box, data, font)
    for series, (name, q) in zip(chart.plots[0].series, order, strict=True):
        if q == "p50":
            _line(series, colors[name], 2.5)
        else:
            _line(series, _tint(colors[name], 0.35), 1.25, dash=True)
    peak = max(max(f["p90"]) for f in rep["fan"].values())
    basis = "present value" if rep["basis"] == "present_value" else "total cost"
    _value_axis(chart, _money_title(f"Cumulative {basis}", cur),
                money_format(cur, peak, signed=False), 0)
    _month_axis(chart, rep["horizon_months"])
    return chart


def has_tornado(rep: dict[str, Any], a: str, b: str) -> bool:
    """Whether some ranged input moves the gap between the pair."""
    return not tornado_frame(rep, a, b, "gap").empty


def tornado(slide: Any, box: Box, d: Decision, rep: dict[str, Any], a: str, b: str,
            font: str | None = None) -> Any:
    """How far each ranged input moves the gap between the pair (a minus b), from its low
    to its high, the others at their likely values: bars from the base, largest on top."""
    df = tornado_frame(rep, a, b, "gap")
    if df.empty:
        return None
    s, cur = d.scenario, rep["currency"]
    base = float(df["base"].iloc[0])
    rows = df.sort_values("rank", ascending=False)   # PowerPoint draws the first at the bottom
    inputs = list(dict.fromkeys(rows["path"]))
    data = CategoryChartData(number_format=cell_format(cur))
    ends = {(r.path, r.end): r.input for r in df.itertuples()}
    data.categories = [f"{input_label(s, p)} ({input_value(s, p, ends[p, 'at its low'])} to "
                       f"{input_value(s, p, ends[p, 'at its high'])})" for p in inputs]
    for end in LOW_HIGH_COLORS:
        part = rows[rows["end"] == end].set_index("path")
        data.add_series(f"Input {end}", [float(part.loc[p, "result"]) - base for p in inputs])
    chart = _add(slide, XL_CHART_TYPE.BAR_CLUSTERED, box, data, font)
    chart.plots[0].overlap = 100
    chart.plots[0].gap_width = 40
    for series, color in zip(chart.plots[0].series, LOW_HIGH_COLORS.values(), strict=True):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = _rgb(color)
        series.invert_if_negative = False
    peak = float((rows["result"] - base).abs().max()) or 1.0
    _value_axis(chart, _money_title(f"Change in {d.label(a)} minus {d.label(b)}, from "
                                    f"{money(base, cur)} on likely values", cur),
                money_format(cur, peak))
    axis = chart.category_axis
    axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    axis.format.line.color.rgb = _rgb(INK)
    return chart
