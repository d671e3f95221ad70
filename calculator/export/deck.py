"""The slide deck (python-pptx): what ``d.texts`` says, the charts as PowerPoint charts, the
totals and the assumptions with their sources.

Slides: title; recommendation (verdict, action, caution, headline and how sure, key
numbers); the J-curve of the saving, the cumulative cost and the monthly breakdown; with
uncertain inputs the chance of being cheaper, the spread and the tornado; the figures
behind the answer; the totals; when to revisit; what could make it wrong; with the
decision tools (:class:`.tools.Tools`) what would have to be true, where building wins
and, with uncertain inputs, what to measure next; the assumptions. Charts are native chart
objects (:mod:`.native`), or pictures when ``pictures`` holds the rendered PNGs; the
decision map is always a picture (PowerPoint has no chart of coloured cells).

Slides are made on the template's layouts (:mod:`.template`): every slide has a real
title placeholder, first in its reading order. All text goes in as plain runs:
python-pptx escapes it as XML text, and nothing becomes a hyperlink or a field, whatever
the scenario's name holds. With a template, text keeps the template's fonts and colours.
"""

from __future__ import annotations

import io
import math
from typing import Any

from pptx.dml.color import RGBColor
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Emu, Pt

from ..charts.theme import BREAKDOWN_NOTE
from ..model import (
    KIND_LABELS,
    MEASURE_TITLE,
    NO_FLIP,
    THRESHOLDS_TITLE,
    VOI_INTRO,
    Decision,
    map_caption,
    map_title,
    measure_next,
    money,
    months,
    threshold_rows,
    threshold_sentences,
    thresholds_intro,
    totals_by_option,
    voi_basis,
    voi_rest,
    voi_rows,
)
from . import native
from .sources import Assumption, footnote
from .template import BODIES, Deck, load
from .tools import Tools

INK, GREY, ACCENT = RGBColor(0x22, 0x22, 0x22), RGBColor(0x66, 0x66, 0x66), RGBColor(0, 0x72, 0xB2)
WARN = RGBColor(0xD5, 0x5E, 0x00)                      # Okabe-Ito vermillion
MAX_SOURCE = 140
Line = tuple[str, float, bool, RGBColor | None]         # text, points, bold, colour


def _fill(frame: Any, lines: list[Line], deck: Deck) -> None:
    """One paragraph per line; sizes scale with the slide; colours only without a
    template (a template's text keeps its theme's colours)."""
    frame.word_wrap = True
    frame.clear()
    for k, (text, size, bold, color) in enumerate(lines):
        para = frame.paragraphs[0] if k == 0 else frame.add_paragraph()
        run = para.add_run()
        run.text = text
        run.font.size = Pt(round(size * deck.scale(), 1))
        run.font.bold = bold
        if color is not None and (not deck.templated or color in (WARN,)):
            run.font.color.rgb = color
        if k:
            para.space_before = Pt(round(size * 0.45 * deck.scale(), 1))


def _box(slide: Any, deck: Deck, box: tuple[int, int, int, int], lines: list[Line]) -> Any:
    shape = slide.shapes.add_textbox(*(Emu(v) for v in box))
    _fill(shape.text_frame, lines, deck)
    return shape


def fit(texts: list[str], box: tuple[int, int, int, int], biggest: float, smallest: float,
        deck: Deck) -> float:
    """The largest size (points, before the slide's scale) from ``biggest`` down to
    ``smallest`` at which ``texts`` (one paragraph each) are estimated to fit ``box``:
    half an em a character on average, 1.2 lines a line plus paragraph spacing."""
    width_pt, height_pt = box[2] / 12_700, box[3] / 12_700
    size = biggest
    while size > smallest:
        pt = size * deck.scale()
        per_line = max(1.0, width_pt / (pt * 0.5))
        lines = sum(max(1, math.ceil(len(t) / per_line)) for t in texts)
        if lines * pt * 1.2 + len(texts) * pt * 0.45 <= height_pt * 0.95:
            return size
        size -= 1
    return smallest


def _slide(deck: Deck, title: str, layout: Any = None) -> Any:
    slide = deck.prs.slides.add_slide(layout or deck.title_only)
    head = slide.shapes.title
    for ph in list(slide.placeholders):          # bodies we do not fill would say "Click..."
        if ph.placeholder_format.type in BODIES and layout is None:
            ph._element.getparent().remove(ph._element)
    if head is None:
        head = _box(slide, deck, (deck.area[0], int(deck.height * 0.04), deck.area[2],
                                  int(deck.height * 0.12)), [(title, 28, True, INK)])
    else:
        head.text_frame.text = title
        _fit_title(head, deck)
        if not deck.templated:                   # the clean default: left, bold, dark
            para = head.text_frame.paragraphs[0]
            para.alignment = PP_ALIGN.LEFT
            para.runs[0].font.size = Pt(round(30 * deck.scale()))
            para.runs[0].font.bold = True
            para.runs[0].font.color.rgb = INK
    tree = head._element.getparent()             # the title is read first
    tree.remove(head._element)
    tree.insert(2, head._element)
    return slide


def _fits_pt(texts: list[str], box: tuple[int, int, int, int], pt: float,
             em: float = 0.58) -> bool:
    """Whether ``texts`` at ``pt`` points are estimated to fit ``box`` (see :func:`fit`);
    ``em``: the average width of a character (wide: a template's font is unknown)."""
    per_line = max(1.0, box[2] / 12_700 / (pt * em))
    lines = sum(max(1, math.ceil(len(x) / per_line)) for x in texts)
    return lines * pt * 1.2 + len(texts) * pt * 0.45 <= box[3] / 12_700 * 0.95


def _fit_title(head: Any, deck: Deck, size: float | None = None, smallest: float = 18) -> None:
    """Text too long for its placeholder at the template's size (``size``: the title's,
    by default) gets a smaller size; the template's size stays when it fits."""
    if not deck.templated or not head.width or not head.height:
        return
    start = size = size or deck.title_pt
    box = (0, 0, int(head.width) - 182_880, int(head.height))      # less the insets
    texts = [p.text for p in head.text_frame.paragraphs]
    while size > smallest and not _fits_pt(texts, box, size):
        size -= 2
    if size < start:
        for para in head.text_frame.paragraphs:
            for run in para.runs:
                run.font.size = Pt(size)


def _footer(slide: Any, deck: Deck) -> None:
    """Price date and scenario: in the layout's footer with a template, else at the bottom."""
    text = deck.footnote
    layout = slide.slide_layout
    holder = next((p for p in layout.placeholders
                   if p.placeholder_format.type == PP_PLACEHOLDER.FOOTER), None)
    if deck.templated and holder is not None:
        slide.shapes.clone_placeholder(holder)
        shape = slide.placeholders[holder.placeholder_format.idx]
        shape.text_frame.text = text
        _fit_title(shape, deck, 12, 7)
    elif not deck.templated:
        _box(slide, deck, (deck.area[0], deck.height - int(deck.height * 0.065), deck.area[2],
                           int(deck.height * 0.045)), [(text, 10, False, GREY)])


def _table(slide: Any, deck: Deck, top: int, headers: list[str], rows: list[list[str]],
           widths: list[float], size: float = 12, row_height: float = 0.4) -> Any:
    left, _, width, _ = deck.area
    height = int(Emu(914_400 * row_height * deck.scale()) * (len(rows) + 1))
    shape = slide.shapes.add_table(len(rows) + 1, len(headers), Emu(left), Emu(top),
                                   Emu(width), Emu(height))
    table = shape.table
    for j, w in enumerate(widths):
        table.columns[j].width = Emu(int(width * w))
    for i, row in enumerate([headers, *rows]):
        for j, value in enumerate(row):
            cell = table.cell(i, j)
            _fill(cell.text_frame, [(value or "–", size, i == 0,
                                     None if i == 0 else INK)], deck)
    return shape


# -- the slides -------------------------------------------------------------------------------

def _title_slide(deck: Deck, d: Decision) -> None:
    s = d.scenario
    slide = deck.prs.slides.add_slide(deck.title_layout)
    when = s.prices_as_of.isoformat() if s.prices_as_of else "not stated"
    sub = (f"Build or buy: {s.horizon_months}-month cost comparison\n"
           f"Prices as of {when} · prepared {d.today.isoformat()}")
    if slide.shapes.title is not None:
        slide.shapes.title.text_frame.text = s.name
    else:
        _box(slide, deck, deck.area, [(s.name, 36, True, INK)])
    holder = next((p for p in slide.placeholders if p.placeholder_format.type
                   in (PP_PLACEHOLDER.SUBTITLE, *BODIES)), None)
    if holder is not None:
        holder.text_frame.text = sub
        _fit_title(holder, deck, 28, 12)
    else:
        left, top, width, height = deck.area
        _box(slide, deck, (left, top + height // 2, width, height // 3),
             [(line, 18, False, GREY) for line in sub.split("\n")])


def _decision_slide(deck: Deck, d: Decision) -> None:
    t = d.texts
    slide = _slide(deck, f"Recommendation: {t.verdict}")
    left, top, width, height = deck.area
    text_box = (left, top, width, int(height * 0.52))
    body = [t.action, *([t.caution] if t.caution else []), t.headline, t.sure]
    size = fit(body, text_box, 20, 11, deck)
    lines: list[Line] = [(t.action, size, True, INK)]
    lines += [(t.caution, size - 2, True, WARN)] if t.caution else []
    lines += [(t.headline, size - 2, False, INK), (t.sure, size - 2, False, GREY)]
    _box(slide, deck, text_box, lines)
    n = max(1, len(t.numbers))
    gap = int(width * 0.02)
    w = (width - gap * (n - 1)) // n
    cards = (top + int(height * 0.56), int(height * 0.44))
    longest = max((x.help for x in t.numbers), key=len, default="")
    # the value and the label take about 3.2 lines of the help's size at 13 pt
    small = fit(["x" * 10, "x" * 10, "x" * 10, longest], (0, 0, w, cards[1]), 13, 8, deck)
    big = small * 30 / 13
    for k, num in enumerate(t.numbers):
        _box(slide, deck, (left + k * (w + gap), cards[0], w, cards[1]),
             [(num.value, big, True, ACCENT), (num.label, small + 1, True, INK),
              (num.help, small, False, GREY)])


def _chart_slide(deck: Deck, d: Decision, title: str, caption: str, draw: Any,
                 picture: bytes | None) -> None:
    slide = _slide(deck, title)
    left, top, width, height = deck.area
    room = int(height * 0.09) if caption else 0
    box = (left, top, width, height - room)
    if picture is not None:                      # 16:9, centred in the box
        w = min(box[2], int(box[3] * 16 / 9))
        h = int(w * 9 / 16)
        slide.shapes.add_picture(io.BytesIO(picture), Emu(left + (box[2] - w) // 2),
                                 Emu(top + (box[3] - h) // 2), Emu(w), Emu(h))
    else:
        draw(slide, box)
    if caption:
        _box(slide, deck, (left, top + height - room, width, room),
             [(caption, fit([caption], (0, 0, width, room), 14, 10, deck), False, INK)])


def _list_slides(deck: Deck, title: str, items: list[str]) -> None:
    """Bullets on the content layout (the template's own bullets), over as many slides as
    they need at 14 pt or more."""
    pages: list[list[str]] = [[]]
    for item in items:
        if pages[-1] and not _fits([*pages[-1], item], deck):
            pages.append([])
        pages[-1].append(item)
    for k, page in enumerate(pages):
        name = title + (" (continued)" if k else "")
        layout = deck.content_layout
        slide = _slide(deck, name, layout)
        holder = next((p for p in slide.placeholders
                       if p.placeholder_format.type in BODIES), None) if layout else None
        size = fit(page, deck.area, 20, 12, deck)
        lines = [(x, size, False, INK) for x in page]
        if holder is not None:
            _fill(holder.text_frame, lines, deck)
            holder.text_frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
        else:
            _box(slide, deck, deck.area, [(f"• {x}", s, b, c) for x, s, b, c in lines])


def _fits(texts: list[str], deck: Deck) -> bool:
    width_pt, height_pt = deck.area[2] / 12_700, deck.area[3] / 12_700
    pt = 14 * deck.scale()
    per_line = max(1.0, width_pt / (pt * 0.5))
    lines = sum(max(1, math.ceil(len(t) / per_line)) for t in texts)
    return lines * pt * 1.2 + len(texts) * pt * 0.45 <= height_pt * 0.95


def totals_rows(d: Decision) -> tuple[list[str], list[list[str]]]:
    """The totals for people: one row per option (money, error and total cost, present
    value when discounting, per 1,000 calls, net value when a right prediction has one)."""
    t, cur = totals_by_option(d), d.scenario.currency
    first = next(iter(t.values()))
    keys = ["money_cost", "error_cost", "total_cost"]
    keys += (["present_value"] if d.result.discounted else []) + ["cost_per_1k_calls"]
    keys += ["net_value"] if "net_value" in first else []
    labels = {"money_cost": "Money cost", "error_cost": "Error cost", "total_cost": "Total cost",
              "present_value": "Present value", "cost_per_1k_calls": "Per 1,000 calls",
              "net_value": "Net value"}
    rows = [[d.label(n), KIND_LABELS[d.scenario.active[n].kind], str(d.live_month(n))]
            + [money(t[n][k], cur) for k in keys] for n in d.result.names]
    return ["Option", "Kind", "Live from month"] + [labels[k] for k in keys], rows


def _totals_slide(deck: Deck, d: Decision) -> None:
    slide = _slide(deck, d.texts.totals_title)
    headers, rows = totals_rows(d)
    widths = [0.22, 0.13, 0.11] + [0.54 / (len(headers) - 3)] * (len(headers) - 3)
    _table(slide, deck, deck.area[1], headers, rows, widths, size=13, row_height=0.5)


def _pages(body: list[list[str]], widths: list[float], deck: Deck) -> list[list[list[str]]]:
    """Rows split into slides by an estimate of their wrapped height at 10 pt (about 15
    characters an inch, 0.19 in a line plus 0.1 in of cell padding: a template's font may
    be wider than ours)."""
    inches = [deck.area[2] / 914_400 * w / deck.scale() for w in widths]
    room = deck.area[3] / 914_400 / deck.scale() - 0.5
    pages: list[list[list[str]]] = [[]]
    used = 0.0
    for row in body:
        lines = max(math.ceil(len(text) / max(1.0, 15 * w - 2)) or 1
                    for text, w in zip(row, inches, strict=True))
        height = 0.1 + 0.19 * lines
        if pages[-1] and used + height > room:
            pages.append([])
            used = 0.0
        pages[-1].append(row)
        used += height
    return pages


def _assumption_slides(deck: Deck, rows: list[Assumption]) -> None:
    widths = [0.14, 0.28, 0.24, 0.34]
    body = [[a.area, a.item, a.value, a.source if len(a.source) <= MAX_SOURCE
             else a.source[:MAX_SOURCE - 1] + "…"] for a in rows]
    for k, page in enumerate(_pages(body, widths, deck)):
        slide = _slide(deck, "Assumptions" + (" (continued)" if k else ""))
        _table(slide, deck, deck.area[1], ["Area", "Assumption", "Value (likely)", "Source"],
               page, widths, size=10, row_height=0.3)


def _em(deck: Deck) -> float:
    """The average width of a character in ems: ours (Source Sans 3) is narrow; a
    template's font is unknown, so a wide one (Georgia's) is assumed."""
    return 0.62 if deck.templated else 0.5


def _row_inches(row: list[str], widths: list[float], deck: Deck, pt: float) -> float:
    """A table row's estimated height in inches at ``pt`` points on the slide: its longest
    cell's wrapped lines, 1.2 lines a line, plus 0.1 in of cell margins (0.1 in each side
    narrows every column)."""
    per_inch = 72 / (pt * _em(deck))
    lines = max(math.ceil(len(text) / max(1.0, (deck.area[2] / 914_400 * w - 0.2)
                                          * per_inch)) or 1
                for text, w in zip(row, widths, strict=True))
    return lines * pt * 1.2 / 72 + 0.1


def _fitting(header: list[str], body: list[list[str]], widths: list[float], deck: Deck,
             room: int, size: float) -> int:
    """How many rows of ``body`` fit under ``header`` in ``room`` EMU at ``size`` points
    (before the slide's scale)."""
    pt = size * deck.scale()
    left = room / 914_400 * 0.95 - _row_inches(header, widths, deck, pt)
    for k, row in enumerate(body):
        left -= _row_inches(row, widths, deck, pt)
        if left < 0:
            return k
    return len(body)


def _height(lines: list[tuple[str, float]], width: int, deck: Deck) -> int:
    """The estimated height (EMU) of paragraphs at their sizes (before the slide's scale):
    wrapped lines at 1.2 lines a line plus the paragraph spacing of :func:`_fill`, and the
    text box's insets."""
    pt = 0.0
    for text, size in lines:
        s = size * deck.scale()
        per_line = max(1.0, (width / 12_700 - 14.4) / (s * _em(deck)))
        pt += max(1, math.ceil(len(text) / per_line)) * s * 1.2 + s * 0.45
    return int((pt + 7.2) * 12_700)


def _lead_and_table(deck: Deck, slide: Any, lead: list[Line], rows: list[dict[str, str]],
                    widths: list[float], most: float = 0.4) -> None:
    """Sentences at the top (each line's size is an offset from the largest size, 20 down
    to 12 points, at which they take at most ``most`` of the content area) and under them
    a table of as many of ``rows`` as fit the rest, first rows first."""
    left, top, width, height = deck.area
    size, used = 20, 0
    while True:
        lines = [(text, size + extra, bold, color) for text, extra, bold, color in lead]
        used = _height([(x[0], x[1]) for x in lines], width, deck)
        if used <= height * most or size <= 12:
            break
        size -= 1
    _box(slide, deck, (left, top, width, used), lines)
    if not rows:
        return
    at = top + used + int(height * 0.03)
    header, body = list(rows[0]), [list(r.values()) for r in rows]
    n = max(1, _fitting(header, body, widths, deck, top + height - at, 12))
    _table(slide, deck, at, header, body[:n], widths, size=12, row_height=0.32)


def _thresholds_slide(deck: Deck, d: Decision, tl: Tools) -> None:
    s, th = d.scenario, tl.thresholds
    slide = _slide(deck, THRESHOLDS_TITLE)
    rows = threshold_rows(s, th)
    lead: list[Line] = [(thresholds_intro(s, th), 0, False, GREY)]
    lead += ([(x, 0, True, INK) for x in threshold_sentences(th, 1)] if rows
             else [(NO_FLIP, 0, True, INK)])
    _lead_and_table(deck, slide, lead, rows, [0.35, 0.15, 0.16, 0.09, 0.25])


def _measure_slide(deck: Deck, d: Decision, voi: dict[str, Any]) -> None:
    s = d.scenario
    slide = _slide(deck, MEASURE_TITLE)
    rest = voi_rest(voi)
    lead: list[Line] = [(measure_next(s, voi), 0, True, INK),
                        (voi["text"], -2, False, INK)]
    lead += [(rest, -2, False, INK)] if rest else []
    lead += [(f"{VOI_INTRO} {voi_basis(voi)}", -3, False, GREY)]
    _lead_and_table(deck, slide, lead, voi_rows(s, voi), [0.75, 0.25], most=0.5)


def _tool_slides(deck: Deck, d: Decision, tl: Tools, map_png: bytes | None) -> None:
    _thresholds_slide(deck, d, tl)
    if tl.map is not None and map_png is not None:
        _chart_slide(deck, d, map_title(tl.map), map_caption(tl.map), None,
                     map_png)
    if tl.voi is not None:
        _measure_slide(deck, d, tl.voi)


def build_deck(d: Decision, rep: dict[str, Any] | None, rows: list[Assumption],
               template: bytes | None = None, pictures: dict[str, bytes] | None = None,
               tools: Tools | None = None, map_png: bytes | None = None) -> bytes:
    """The deck as .pptx bytes. ``rep``: the risk report (None without uncertain inputs);
    ``rows``: :func:`.sources.assumptions`; ``template``: a .pptx to build on;
    ``pictures``: chart name -> PNG, to place pictures instead of PowerPoint charts;
    ``tools``: the decision tools, for their slides; ``map_png``: the decision map's
    picture."""
    from .gallery import risk_pair

    deck = load(template)
    deck.footnote = footnote(d.scenario)
    prs = deck.prs
    prs.core_properties.title = d.scenario.name
    prs.core_properties.subject = "Build-vs-buy cost comparison"
    prs.core_properties.author = "build-vs-buy calculator"
    t, f = d.texts, deck.font
    _title_slide(deck, d)
    _decision_slide(deck, d)
    pics = pictures or {}
    use = pictures is not None
    if d.build and d.buy:
        _chart_slide(deck, d, f"What building saves against {d.label(d.buy)}", t.headline,
                     lambda sl, b: native.saving(sl, b, d, f), pics.get("saving") if use else None)
    cross = next((x for x in t.figures if " becomes cheaper than " in x),
                 f"No option overtakes another within {months(d.horizon)}.")
    _chart_slide(deck, d, "Cumulative total cost", cross,
                 lambda sl, b: native.cumulative(sl, b, d, f),
                 pics.get("cumulative") if use else None)
    _chart_slide(deck, d, "Monthly cost by component",
                 BREAKDOWN_NOTE,
                 lambda sl, b: native.breakdown(sl, b, d, f),
                 pics.get("breakdown") if use else None)
    pair = risk_pair(d)
    if d.uncertain and rep is not None:
        if pair is not None:
            _chart_slide(deck, d, "Chance of being the cheaper one, by month", t.sure,
                         lambda sl, b: native.chance_cheaper(sl, b, d, rep, *pair, f),
                         pics.get("risk-chance-cheaper") if use else None)
        _chart_slide(deck, d, "Cumulative cost under uncertainty",
                     f"Lines: median; dashed: P10 and P90 of {rep['draws']:,} draws.",
                     lambda sl, b: native.spread(sl, b, d, rep, f),
                     pics.get("risk-spread") if use else None)
        if pair is not None and native.has_tornado(rep, *pair):
            _chart_slide(deck, d, "What moves the gap most",
                         "Each input from its low to its high, the others at their likely "
                         "values.", lambda sl, b: native.tornado(sl, b, d, rep, *pair, f),
                         pics.get("risk-tornado") if use else None)
    rest = len(t.figures) - len(t.key_figures)
    more = ([f"{rest} more figure{'s' if rest != 1 else ''} for the other pairs of options: "
             "in the decision memo."] if rest > 0 else [])
    _list_slides(deck, "The figures behind it", [*t.details, *t.key_figures, *more])
    _totals_slide(deck, d)
    _list_slides(deck, "When to revisit", t.revisit)
    _list_slides(deck, "What could make it wrong", t.risks)
    if tools is not None:
        _tool_slides(deck, d, tools, map_png)
    _assumption_slides(deck, rows)
    for slide in list(prs.slides)[1:]:           # last in each slide's reading order
        _footer(slide, deck)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
