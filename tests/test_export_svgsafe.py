"""SVG made safe to inline (calculator.export.svgsafe): only drawing survives, ids get a
prefix, and anything that is not SVG gives nothing."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from calculator.export.svgsafe import clean

NS = 'xmlns="http://www.w3.org/2000/svg"'


def test_svg_cleaning_refuses_anything_script_like():
    dirty = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
             ' viewBox="0 0 10 10" onload="alert(1)"><script>alert(2)</script>'
             '<style>@import url(http://x)</style><foreignObject><p>x</p></foreignObject>'
             '<image href="http://x/a.png"/><use xlink:href="#a"/><animate attributeName="href"/>'
             '<rect id="a" fill="url(http://x#y)" clip-path="url(#c)" style="x"/>'
             '<path d="M0 0" stroke="javascript:alert(3)"/><text>&lt;b&gt;</text></svg>')
    out = clean(dirty, "k").replace('xmlns="http://www.w3.org/2000/svg"', "")
    for bad in ("onload", "script", "style", "foreignObject", "image", "use", "animate",
                "http", "javascript"):
        assert bad not in out, bad
    assert 'clip-path="url(#k-c)"' in out and 'id="k-a"' in out
    assert "<text>&lt;b&gt;</text>" in out
    assert clean("<html/>", "k") == "" and clean("not xml <", "k") == ""


def test_two_charts_on_one_page_keep_their_own_clip_paths():
    svg = (f'<svg {NS} width="960" height="540" viewBox="0 0 960 540"><defs>'
           '<clipPath id="clip1"><rect width="5" height="5"/></clipPath></defs>'
           '<g clip-path="url(#clip1)"><path d="M0 0L5 5" fill="url(#grad)"/></g></svg>')
    one, two = ET.fromstring(clean(svg, "c0")), ET.fromstring(clean(svg, "c1"))
    ids = [el.get("id") for root in (one, two) for el in root.iter() if el.get("id")]
    assert ids == ["c0-clip1", "c1-clip1"]
    refs = [el.get("clip-path") for el in two.iter() if el.get("clip-path")]
    assert refs == ["url(#c1-clip1)"]
    assert [el.get("fill") for el in two.iter() if el.get("fill")] == ["url(#c1-grad)"]


def test_the_size_goes_and_the_view_box_stays_so_it_takes_its_containers_width():
    root = ET.fromstring(clean(f'<svg {NS} width="960" height="540" viewBox="0 0 960 540"/>',
                               "c"))
    assert root.get("width") is None and root.get("height") is None
    assert (root.get("viewBox"), root.get("role")) == ("0 0 960 540", "img")


def test_a_prefix_is_reduced_to_letters_digits_and_dashes():
    out = clean(f'<svg {NS}><rect id="r"/></svg>', 'Chart "1"<x>')
    assert 'id="chart1x-r"' in out
    assert 'id="c-r"' in clean(f'<svg {NS}><rect id="r"/></svg>', "!!")


def test_values_that_reach_outside_are_dropped_and_plain_ones_kept():
    out = clean(f'<svg {NS}><rect fill="DATA:image/png;base64,x" stroke="#123456" '
                'transform="translate(1,2)" width="expression(alert(1))" height="3"/></svg>',
                "c")
    rect = next(el for el in ET.fromstring(out) if el.tag.endswith("rect"))
    assert rect.attrib == {"stroke": "#123456", "transform": "translate(1,2)", "height": "3"}
