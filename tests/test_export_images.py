"""Deck images (calculator.export.images): 16:9 SVG and PNG of the app's charts with their
title, assumptions and footnote, exactly sized, naming themselves, and text the renderer
could not draw shown escaped."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import altair as alt
import pytest
from conftest import HOSTILE

from calculator import charts, export
from calculator.export import images


@pytest.fixture(scope="module")
def hostile_svg(hostile36):
    return export.chart_svg(charts.cumulative_chart(hostile36), hostile36).decode("utf-8")


def _texts(svg: str) -> list[str]:
    """Every line of text drawn: a <text>'s own text and each of its <tspan> lines."""
    root = ET.fromstring(svg)
    return [el.text for el in root.iter()
            if el.tag.endswith(("}text", "}tspan")) and el.text]


def test_svg_is_16_by_9_and_carries_title_subtitle_and_footnote(hostile_svg):
    root = ET.fromstring(hostile_svg)
    assert (root.get("width"), root.get("height")) == ("960", "540")
    texts = _texts(hostile_svg)
    assert "Cumulative total cost" in texts
    assert ("Traffic 1M calls a month in month 1, flat · 36-month horizon · no discounting"
            in texts)
    assert f"Prices as of 2026-11-01 · Scenario: {HOSTILE}" in texts


def test_hostile_name_is_only_text_in_the_svg(hostile_svg):
    root = ET.fromstring(hostile_svg)
    for el in root.iter():
        tag = el.tag.rsplit("}", 1)[-1].lower()
        assert tag not in ("img", "image", "script", "foreignobject", "a"), tag
        assert not any(name.lower().startswith("on") for name in el.attrib), el.attrib
    assert "&lt;img src=x onerror=alert(1)&gt;" in hostile_svg


def test_png_is_valid_1920_by_1080_and_names_itself(worked36):
    from PIL import Image

    png = export.chart_png(charts.breakdown_chart(worked36), worked36)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert images.png_size(png) == (1920, 1080)
    Image.open(io.BytesIO(png)).verify()          # every chunk's CRC, ours included
    meta = images.png_text(png)
    assert meta["Title"] == "Monthly cost by component"
    assert meta["Comment"] == "Prices as of 2026-11-01 · Scenario: Worked example"
    assert "36-month horizon" in meta["Description"]


def test_deck_text_the_renderer_cannot_draw_is_shown_escaped(support):
    d, _ = support
    chart = (alt.Chart(alt.Data(values=[{"x": 1, "label": "row\x00one"}]))
             .mark_text().encode(x="x:Q", text="label:N")
             .properties(title="Costs \x1b[31mred\x1b[0m \ufffe"))
    svg = images.chart_svg(chart, d).decode("utf-8")
    texts = [el.text for el in ET.fromstring(svg).iter() if el.text]
    assert "Costs \\x1b[31mred\\x1b[0m \\ufffe" in texts
    assert "row\\x00one" in texts


# -- exact size and PNG text chunks, without the renderer ------------------------------------

SMALL = '<svg xmlns="http://www.w3.org/2000/svg" width="480" height="270" viewBox="0 0 480 270">'


def test_a_smaller_drawing_is_centred_on_white_at_the_exact_size():
    out = images.exact(SMALL + "<g/></svg>", 960, 540)
    root = ET.fromstring(out)
    # k = max(480 / 960, 270 / 540, 1) = 1: the view box is the image, shifted by half the
    # room left: x = -(960 - 480) / 2 = -240, y = -(540 - 270) / 2 = -135
    assert (root.get("width"), root.get("height")) == ("960", "540")
    assert root.get("viewBox") == "-240 -135 960 540"
    rect = next(el for el in root if el.tag.endswith("rect"))
    assert (rect.get("x"), rect.get("y"), rect.get("fill")) == ("-240", "-135", "white")


def test_a_larger_drawing_is_scaled_down_and_one_of_the_size_is_left_alone():
    big = SMALL.replace('"480"', '"1920"').replace('"270"', '"1080"') + "</svg>"
    root = ET.fromstring(images.exact(big, 960, 540))
    # k = max(1920 / 960, 1080 / 540, 1) = 2: a view box of 1920 x 1080 from 0, 0
    assert [float(v) for v in root.get("viewBox").split()] == [0, 0, 1920, 1080]
    assert (root.get("width"), root.get("height")) == ("960", "540")
    same = SMALL + "</svg>"
    assert images.exact(same, 480, 270) == same


def _tiny_png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (3, 2), "white").save(out, format="PNG")
    return out.getvalue()


def test_png_text_chunks_read_back_and_keep_the_image_valid():
    from PIL import Image

    png = images.png_with_text(_tiny_png(), {"Title": "Coût · 1M", "Comment": "",
                                             "Software": "x"})
    assert images.png_text(png) == {"Title": "Coût · 1M", "Software": "x"}   # "" left out
    assert images.png_size(png) == (3, 2)
    Image.open(io.BytesIO(png)).verify()
    with pytest.raises(ValueError, match="not a PNG"):
        images.png_with_text(b"GIF89a", {"Title": "x"})


def test_deck_legends_wrap_and_the_breakdown_legend_is_one_column(support):
    """Five option names in one legend row ran off a 960 px image; the breakdown's
    five-column legend on the right squeezed its panels to 89 px."""
    from calculator.export import gallery

    d, _ = support
    fitted = images.deck_spec(gallery.chart_by_name(d, "cumulative"), d)
    assert fitted["config"]["legend"]["columns"] == 3
    wrapped = images.deck_spec(gallery.chart_by_name(d, "breakdown"), d)
    legend = wrapped["vconcat"][0]["spec"]["encoding"]["color"]["legend"]
    assert legend["columns"] == 1
    svg = images.spec_svg(wrapped).decode("utf-8")
    # the panels keep a readable width: every panel's background is at least 150 px wide
    widths = [float(w) for w in re.findall(r'class="background"[^>]*d="M0,0h([\d.]+)v', svg)]
    panels = sorted(widths, reverse=True)[:len(d.result.names)]   # axes' groups are 0 wide
    assert len(panels) == len(d.result.names) and min(panels) >= 150, widths
