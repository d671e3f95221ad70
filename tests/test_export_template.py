"""Company templates for the deck (calculator.export.template): a template's size, layouts
and fonts are used and its own slides left out; the default look without one; and a file
that is no usable template is a clean error."""

from __future__ import annotations

import io
import zipfile

import pytest
from conftest import make_template, slide_titled, with_main_type
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.util import Inches

from calculator import export
from calculator.export import template as tpl


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


def test_without_a_template_the_clean_default(support_deck):
    assert (support_deck.slide_width, support_deck.slide_height) == (12_192_000, 6_858_000)
    theme = support_deck.slide_master.part.part_related_by(RT.THEME).blob
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
    macro = with_main_type(make_template(), b"ms-powerpoint.presentation.macroEnabled.main")
    with pytest.raises(tpl.TemplateError, match="macro"):
        tpl.load(macro)
    empty = io.BytesIO()
    with zipfile.ZipFile(empty, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(tpl.TemplateError, match="not a PowerPoint file"):
        tpl.load(empty.getvalue())


def test_the_default_is_16_by_9_in_the_screen_font():
    deck = tpl.load(None)
    assert (deck.width, deck.height) == (12_192_000, 6_858_000)      # 13.33 x 7.5 in
    assert deck.font == tpl.FAMILY == "Source Sans 3" and not deck.templated
    assert deck.scale() == pytest.approx(1.0)                         # sizes are set for 7.5 in
    assert deck.content_layout.name == "Title and Content"


def test_a_template_keeps_its_own_look_and_loses_its_slides():
    deck = tpl.load(make_template())
    assert deck.templated and deck.font is None                       # the theme's font
    assert len(deck.prs.slides) == 0
    assert deck.scale() == pytest.approx(5.625 / 7.5)                 # text scaled to 0.75
    assert deck.title_layout.name.startswith("Corp")
