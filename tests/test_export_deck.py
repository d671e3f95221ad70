"""The deck: PowerPoint charts holding the Decision's numbers, a company template's layouts
and size, slide text in reading order, pictures on request, and clean template errors."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import numpy as np
import pytest
from conftest import ROOT
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.util import Inches

from calculator import export
from calculator.charts import kind_colors
from calculator.export import template as tpl
from calculator.model import COMPONENT_LABELS, load_scenario
from calculator.model.decision import decide

TODAY = dt.date(2026, 11, 28)
SUPPORT = ROOT / "scenarios" / "support-ticket-routing.yaml"


@pytest.fixture(scope="module")
def support():
    d = decide(load_scenario(SUPPORT), today=TODAY)
    return d, export.report(d)


@pytest.fixture(scope="module")
def deck(support):
    d, rep = support
    return Presentation(io.BytesIO(export.pptx_bytes(d, None, rep)))


def slide_titled(prs, title: str):
    return next(s for s in prs.slides if s.shapes.title.text_frame.text == title)


def charts_on(slide) -> list:
    return [sh.chart for sh in slide.shapes if sh.has_chart]


def test_cumulative_chart_holds_the_decisions_cumulative_costs(deck, support):
    d, _ = support
    (chart,) = charts_on(slide_titled(deck, "Cumulative total cost"))
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


def test_saving_chart_is_the_j_curve_with_its_band(deck, support):
    d, _ = support
    (chart,) = charts_on(slide_titled(deck, f"What building saves against {d.label(d.buy)}"))
    saving, p10, p90 = chart.plots[0].series
    assert np.allclose(saving.values, d.saving_curve, rtol=1e-12)
    assert np.allclose(p10.values, d.odds.band_p10) and np.allclose(p90.values, d.odds.band_p90)


def test_breakdown_charts_hold_each_options_components(deck, support):
    d, _ = support
    found = charts_on(slide_titled(deck, "Monthly cost by component"))
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


def test_risk_charts_hold_the_one_risk_report(deck, support):
    d, rep = support
    (chance,) = charts_on(slide_titled(deck, "Chance of being the cheaper one, by month"))
    pair = next(p for p in rep["pairs"] if {p["a"], p["b"]} == {d.build, d.buy})
    a, b = chance.plots[0].series
    assert np.allclose(a.values, pair["p_a_cheaper"]) and np.allclose(b.values, pair["p_b_cheaper"])
    (spread,) = charts_on(slide_titled(deck, "Cumulative cost under uncertainty"))
    values = {s.name: s.values for s in spread.plots[0].series}
    for name, fan in rep["fan"].items():
        assert np.allclose(values[f"{d.label(name)} median"], fan["p50"])
        assert np.allclose(values[f"{d.label(name)} P90"], fan["p90"])
    (tornado,) = charts_on(slide_titled(deck, "What moves the gap most"))
    assert tornado.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    labels = list(tornado.plots[0].categories)
    assert f"{d.label('in_house')} accuracy (90 % to 95 %)" in labels   # each input, low to high
    low, high = tornado.plots[0].series
    swings = [abs(h - lo) for lo, h in zip(low.values, high.values, strict=True)]
    assert swings == sorted(swings)                # the biggest drawn last, on top


def test_slide_text_comes_in_reading_order(deck, support):
    d, _ = support
    t = d.texts
    for slide in deck.slides:
        first = next(iter(slide.shapes))
        assert first.is_placeholder and first == slide.shapes.title, first.name
    rec = slide_titled(deck, f"Recommendation: {t.verdict}")
    text = "\n".join(sh.text_frame.text for sh in rec.shapes if sh.has_text_frame)
    at = 0
    for x in [t.verdict, t.action, t.headline, t.sure, *(n.value for n in t.numbers)]:
        at = text.index(x, at) + len(x)            # each after the one before
    assert text.endswith(export.images.footnote(d.scenario))      # the footer comes last


def test_pictures_instead_of_charts_on_request(support):
    d, rep = support
    prs = Presentation(io.BytesIO(export.pptx_bytes(d, None, rep, pictures=True)))
    pictures = [sh for s in prs.slides for sh in s.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
    # the six charts and the decision map (always a picture)
    assert len(pictures) == 7 and not [sh for s in prs.slides for sh in s.shapes if sh.has_chart]
    for p in pictures:
        assert p.width * 9 == pytest.approx(p.height * 16, rel=1e-3)


# -- templates --------------------------------------------------------------------------------

def make_template(potx: bool = False) -> bytes:
    """A company template: 10 x 5.625 in, renamed layouts, Georgia as its theme font and a
    slide of its own that the deck must leave out."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(10), Inches(5.625)
    master = prs.slide_master
    for holder in [master, *master.slide_layouts]:       # its layouts drawn for its size
        for shape in holder.shapes:
            for off in shape._element.iter("{*}off"):
                off.set("y", str(int(int(off.get("y")) * 0.75)))
            for ext in shape._element.iter("{*}ext"):
                if ext.get("cy") is not None:
                    ext.set("cy", str(int(int(ext.get("cy")) * 0.75)))
    for layout in prs.slide_layouts:
        layout._element.cSld.set("name", "Corp " + str(len(layout.name)))
    theme = prs.slide_master.part.part_related_by(RT.THEME)
    theme._blob = theme.blob.replace(b'typeface="Calibri"', b'typeface="Georgia"')
    old = prs.slides.add_slide(prs.slide_layouts[1])
    old.shapes.title.text = "OLD TEMPLATE SLIDE"
    out = io.BytesIO()
    prs.save(out)
    data = out.getvalue()
    if potx:
        src = zipfile.ZipFile(io.BytesIO(data))
        new = io.BytesIO()
        with zipfile.ZipFile(new, "w") as z:
            for info in src.infolist():
                body = src.read(info)
                if info.filename == "[Content_Types].xml":
                    body = body.replace(b"presentationml.presentation.main",
                                        b"presentationml.template.main")
                z.writestr(info, body)
        data = new.getvalue()
    return data


@pytest.mark.parametrize("potx", [False, True], ids=["pptx", "potx"])
def test_a_template_gives_its_size_layouts_and_fonts(support, potx):
    d, rep = support
    prs = Presentation(io.BytesIO(export.pptx_bytes(d, None, rep, make_template(potx))))
    assert (prs.slide_width, prs.slide_height) == (Inches(10), Inches(5.625))
    names = {layout.name for layout in prs.slide_layouts}
    assert all(s.slide_layout.name in names and s.slide_layout.name.startswith("Corp")
               for s in prs.slides)
    assert prs.slides[0].slide_layout == prs.slide_layouts[0]          # the title slide
    assert prs.slides[0].shapes.title.text_frame.text == d.scenario.name
    text = [sh.text_frame.text for s in prs.slides for sh in s.shapes if sh.has_text_frame]
    assert not any("OLD TEMPLATE SLIDE" in x for x in text)
    theme = prs.slide_master.part.part_related_by(RT.THEME).blob
    assert b'typeface="Georgia"' in theme
    runs = [r for s in prs.slides for sh in s.shapes if sh.has_text_frame
            for p in sh.text_frame.paragraphs for r in p.runs]
    assert runs and all(r.font.name is None for r in runs)            # the template's font
    # charts fill the template's content area (its title-and-content body)
    body = next(p for p in prs.slide_layouts[1].placeholders if p.placeholder_format.idx == 1)
    frame = next(sh for sh in slide_titled(prs, "Cumulative total cost").shapes if sh.has_chart)
    assert (frame.left, frame.top, frame.width) == (body.left, body.top, body.width)


def test_without_a_template_the_clean_default(deck):
    assert (deck.slide_width, deck.slide_height) == (12_192_000, 6_858_000)
    theme = deck.slide_master.part.part_related_by(RT.THEME).blob
    assert b'typeface="Source Sans 3"' in theme


@pytest.mark.parametrize("data, words", [
    (b"not a deck", "not a PowerPoint file"),
    (b"PK\x03\x04" + b"x" * 100, "not a PowerPoint file"),
    (b"x" * (tpl.MAX_BYTES + 1), "at most 20 MB"),
])
def test_a_template_that_is_not_a_deck_is_a_clean_error(data, words):
    with pytest.raises(tpl.TemplateError, match=words):
        tpl.load(data)


def test_a_macro_enabled_or_empty_zip_template_is_refused():
    data = make_template()
    src = zipfile.ZipFile(io.BytesIO(data))
    new = io.BytesIO()
    with zipfile.ZipFile(new, "w") as z:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "[Content_Types].xml":
                body = body.replace(b"presentationml.presentation.main",
                                    b"ms-powerpoint.presentation.macroEnabled.main")
            z.writestr(info, body)
    with pytest.raises(tpl.TemplateError, match="macro"):
        tpl.load(new.getvalue())
    empty = io.BytesIO()
    with zipfile.ZipFile(empty, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(tpl.TemplateError, match="not a PowerPoint file"):
        tpl.load(empty.getvalue())


def test_the_figures_slides_hold_the_decision_pair_and_point_to_the_memo():
    # five options: ten pairs, three figures each in the memo; a slide keeps the pair's
    d = decide(load_scenario(ROOT / "scenarios" / "support-ticket-hybrid.yaml"), today=TODAY)
    t = d.texts
    prs = Presentation(io.BytesIO(export.pptx_bytes(d)))
    shown = [p.text for s in prs.slides if s.shapes.title.text_frame.text.startswith(
        "The figures behind it") for sh in s.shapes if sh.has_text_frame and sh != s.shapes.title
        for p in sh.text_frame.paragraphs if p.text]
    build, buy = d.label(d.build), d.label(d.buy)
    assert t.key_figures and all(build in x or "Expected total" in x for x in t.key_figures)
    assert all(x in shown for x in t.key_figures)
    others = [x for x in t.figures if x not in t.key_figures]
    assert others and not any(x in shown for x in others)
    assert f"{len(others)} more figures for the other pairs of options: in the decision memo." \
        in shown
    assert buy in t.key_figures[0]
