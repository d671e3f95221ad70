"""The deck's PowerPoint charts (calculator.export.native): each holds the Decision's own
numbers (and the one risk report's), in the screen's colours, on money axes that read as
money."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import slide_titled
from pptx.enum.chart import XL_CHART_TYPE

from calculator.charts import kind_colors
from calculator.export import native
from calculator.model import COMPONENT_LABELS


def charts_on(slide) -> list:
    return [sh.chart for sh in slide.shapes if sh.has_chart]


def test_cumulative_chart_holds_the_decisions_cumulative_costs(support_deck, support):
    d, _ = support
    (chart,) = charts_on(slide_titled(support_deck, "Cumulative total cost"))
    assert chart.chart_type == XL_CHART_TYPE.LINE
    assert list(chart.plots[0].categories) == [str(m) for m in d.result.months] or \
        list(chart.plots[0].categories) == list(d.result.months)
    cum = d.result.cumulative()[0]
    series = list(chart.plots[0].series)
    assert [s.name for s in series] == [d.label(n) for n in d.result.names]
    colors = kind_colors({n: o.kind for n, o in d.scenario.options.items()})
    for i, (s, name) in enumerate(zip(series, d.result.names, strict=True)):
        assert np.allclose(s.values, cum[i], rtol=1e-12)
        if name in (d.build, d.buy):                # the pair in its screen colour
            assert str(s.format.line.color.rgb) == colors[name].lstrip("#")
    assert not chart.has_title                      # the slide's title says what it is
    assert chart.value_axis.tick_labels.number_format.count('"$"') >= 1


def test_saving_chart_is_the_j_curve_with_its_band(support_deck, support):
    d, _ = support
    (chart,) = charts_on(slide_titled(support_deck,
                                      f"What building saves against {d.label(d.buy)}"))
    saving, p10, p90 = chart.plots[0].series
    assert np.allclose(saving.values, d.saving_curve, rtol=1e-12)
    assert np.allclose(p10.values, d.odds.band_p10) and np.allclose(p90.values, d.odds.band_p90)


def test_breakdown_charts_hold_each_options_components(support_deck, support):
    d, _ = support
    found = charts_on(slide_titled(support_deck, "Monthly cost by component"))
    assert len(found) == len(d.result.names)
    comps = d.result.components
    for i, chart in enumerate(found):
        assert chart.chart_type == XL_CHART_TYPE.COLUMN_STACKED
        assert chart.chart_title.text_frame.text == d.label(d.result.names[i])
        by_name = {s.name: s.values for s in chart.plots[0].series}
        for comp, arr in comps.items():
            label = COMPONENT_LABELS.get(comp, comp)
            if label in by_name:
                assert np.allclose(by_name[label], arr[0, i]), (i, comp)
        total = np.sum([v for v in by_name.values()], axis=0)
        assert np.allclose(total, d.result.total[0, i])
    assert len({c.value_axis.maximum_scale for c in found}) == 1     # one shared axis


def test_risk_charts_hold_the_one_risk_report(support_deck, support):
    d, rep = support
    (chance,) = charts_on(slide_titled(support_deck, "Chance of being the cheaper one, by month"))
    pair = next(p for p in rep["pairs"] if {p["a"], p["b"]} == {d.build, d.buy})
    a, b = chance.plots[0].series
    assert np.allclose(a.values, pair["p_a_cheaper"]) and np.allclose(b.values, pair["p_b_cheaper"])
    (spread,) = charts_on(slide_titled(support_deck, "Cumulative cost under uncertainty"))
    values = {s.name: s.values for s in spread.plots[0].series}
    for name, fan in rep["fan"].items():
        assert np.allclose(values[f"{d.label(name)} median"], fan["p50"])
        assert np.allclose(values[f"{d.label(name)} P90"], fan["p90"])
    (tornado,) = charts_on(slide_titled(support_deck, "What moves the gap most"))
    assert tornado.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    labels = list(tornado.plots[0].categories)
    assert f"{d.label('in_house')} accuracy (90 % to 95 %)" in labels   # each input, low to high
    low, high = tornado.plots[0].series
    swings = [abs(h - lo) for lo, h in zip(low.values, high.values, strict=True)]
    assert swings == sorted(swings)                # the biggest drawn last, on top


# -- number formats and axis bounds, without a deck ----------------------------------------

@pytest.mark.parametrize("currency, peak, fmt", [
    ("USD", 1e6, '"$"#,##0.0,,"M"'),               # a million and up: in millions
    ("USD", 999_999, '"$"#,##0,"k"'),
    ("GBP", 1e4, '"£"#,##0,"k"'),                  # ten thousand and up: in thousands
    ("USD", 9_999, '"$"#,##0'),
    ("USD", 10, '"$"#,##0'),
    ("USD", 9.99, '"$"#,##0.00'),                  # under ten: cents
    ("CHF", 2e6, '#,##0.0,,"M"'),                  # no symbol of its own: none
])
def test_money_axis_formats_by_peak(currency, peak, fmt):
    assert native.money_format(currency, peak) == fmt


def test_an_axis_that_never_goes_below_zero_says_each_label_in_its_unit():
    assert native.money_format("EUR", 1e4, signed=False) == (
        '[>=1000000]"€"#,##0.0,,"M";[>=1000]"€"#,##0,"k";"€"#,##0')
    # below ten thousand every label is in plain units anyway
    assert native.money_format("EUR", 9_999, signed=False) == '"€"#,##0'


def test_cells_hold_whole_units_with_the_currency_symbol():
    assert native.cell_format("GBP") == '"£"#,##0'
    assert native.cell_format("CHF") == "#,##0"


@pytest.mark.parametrize("x, nice", [(0.0, 0.0), (-5, 0.0), (7, 8), (100, 100), (101, 120),
                                     (1_234, 1_500), (0.37, 0.4), (9_100, 10_000)])
def test_a_shared_axis_ends_at_a_round_number_at_or_above_the_peak(x, nice):
    assert native._nice(x) == pytest.approx(nice)


def test_a_tint_mixes_the_colour_with_white():
    # 0x00 + 255 / 2 = 127.5 -> 128 = 0x80; 0x72 = 114 + 141 / 2 = 184.5 -> 184 = 0xB8;
    # 0xB2 = 178 + 77 / 2 = 216.5 -> 216 = 0xD8 (Python rounds halves to even)
    assert native._tint("#0072B2", 0.5) == "80B8D8"
    assert native._tint("0072B2", 0) == "0072B2" and native._tint("#0072B2", 1) == "FFFFFF"
