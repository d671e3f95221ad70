"""A one-click 16:9 deck (python-pptx): title, recommendation with key numbers, the
cumulative-cost chart, the monthly breakdown and the assumptions.

Slides use the default template's "Title Slide" and "Title Only" layouts, so every slide
has a real title placeholder (it shows in the outline and takes the destination deck's
style when pasted). All text goes in as plain runs: python-pptx escapes it as XML text, and
nothing becomes a hyperlink or a field, whatever the scenario's name holds.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from typing import Any

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from ..model import Result
from .facts import Facts, totals_rows
from .sources import Assumption, footnote, months

SLIDE_W, SLIDE_H = Emu(12_192_000), Emu(6_858_000)      # PowerPoint's 16:9, 13.33 x 7.5 in
MARGIN = Inches(0.5)
INK, GREY, ACCENT = RGBColor(0x22, 0x22, 0x22), RGBColor(0x66, 0x66, 0x66), RGBColor(0, 0x72, 0xB2)
WARN = RGBColor(0xD5, 0x5E, 0x00)                      # Okabe-Ito vermillion
MAX_SOURCE = 140


def _text(frame: Any, lines: list[tuple[str, int, bool, RGBColor]]) -> None:
    """Fill a text frame with one paragraph per (text, size, bold, colour)."""
    frame.word_wrap = True
    for k, (text, size, bold, color) in enumerate(lines):
        para = frame.paragraphs[0] if k == 0 else frame.add_paragraph()
        run = para.add_run()
        run.text = text
        run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, color


def _box(slide: Any, left: int, top: int, width: int, height: int,
         lines: list[tuple[str, int, bool, RGBColor]]) -> Any:
    shape = slide.shapes.add_textbox(Emu(left), Emu(top), Emu(width), Emu(height))
    _text(shape.text_frame, lines)
    return shape


def _slide(prs: Any, title: str, r: Result) -> Any:
    slide = prs.slides.add_slide(prs.slide_layouts[5])          # Title Only
    t = slide.shapes.title
    t.left, t.top, t.width, t.height = MARGIN, Inches(0.3), SLIDE_W - 2 * MARGIN, Inches(0.9)
    t.text_frame.text = title
    para = t.text_frame.paragraphs[0]
    para.alignment = 1                                          # left
    para.runs[0].font.size, para.runs[0].font.bold = Pt(30), True
    para.runs[0].font.color.rgb = INK
    _box(slide, MARGIN, SLIDE_H - Inches(0.45), SLIDE_W - 2 * MARGIN, Inches(0.3),
         [(footnote(r.scenario), 10, False, GREY)])
    return slide


def _table(slide: Any, top: int, headers: list[str], rows: list[list[str]],
           widths: list[float], size: int = 12, row_height: int = Inches(0.4)) -> Any:
    height = row_height * (len(rows) + 1)
    shape = slide.shapes.add_table(len(rows) + 1, len(headers), MARGIN, Emu(top),
                                   SLIDE_W - 2 * MARGIN, Emu(height))
    table = shape.table
    for j, w in enumerate(widths):
        table.columns[j].width = Emu(int((SLIDE_W - 2 * MARGIN) * w))
    for i, row in enumerate([headers, *rows]):
        for j, value in enumerate(row):
            cell = table.cell(i, j)
            cell.text = ""
            _text(cell.text_frame, [(value, size, i == 0, INK if i else RGBColor(255, 255, 255))])
    return shape


def _title_slide(prs: Any, r: Result, today: dt.date) -> None:
    s = r.scenario
    slide = prs.slides.add_slide(prs.slide_layouts[0])
    title, sub = slide.shapes.title, slide.placeholders[1]
    title.left, title.top, title.width, title.height = (MARGIN, Inches(2.2),
                                                        SLIDE_W - 2 * MARGIN, Inches(1.5))
    sub.left, sub.top, sub.width, sub.height = (MARGIN, Inches(3.9),
                                                SLIDE_W - 2 * MARGIN, Inches(1.4))
    title.text_frame.text = s.name
    when = s.prices_as_of.isoformat() if s.prices_as_of else "not stated"
    sub.text_frame.text = (f"Build or buy: {s.horizon_months}-month cost comparison\n"
                           f"Prices as of {when} · prepared {today.isoformat()}")


def _decision_slide(prs: Any, r: Result, f: Facts) -> None:
    slide = _slide(prs, f"Recommendation: {f.verdict}", r)
    _box(slide, MARGIN, Inches(1.25), SLIDE_W - 2 * MARGIN, Inches(1.2),
         [(f.action, 18, False, INK), *([(f.caution, 14, True, WARN)] if f.caution else []),
          *((d, 14, False, GREY) for d in f.story.details)])
    n = max(1, len(f.numbers))
    gap = Inches(0.2)
    w = (SLIDE_W - 2 * MARGIN - gap * (n - 1)) // n
    for k, num in enumerate(f.numbers):
        _box(slide, MARGIN + k * (w + gap), Inches(3.0), w, Inches(1.3),
             [(num.value, 30, True, ACCENT), (num.caption, 13, False, GREY)])
    headers, rows = totals_rows(r)
    widths = [0.22, 0.18, 0.14] + [0.46 / (len(headers) - 3)] * (len(headers) - 3)
    _table(slide, Inches(4.45), headers, rows, widths)


def _chart_slide(prs: Any, r: Result, title: str, png: bytes, caption: str) -> None:
    slide = _slide(prs, title, r)
    top, bottom = Inches(1.2), SLIDE_H - Inches(0.9 if caption else 0.55)
    height = bottom - top
    width = int(height * 16 / 9)
    left = (SLIDE_W - width) // 2
    slide.shapes.add_picture(io.BytesIO(png), Emu(left), Emu(top), Emu(width), Emu(height))
    if caption:
        _box(slide, left, bottom + Inches(0.02), width, Inches(0.35),
             [(caption, 12, False, INK)])


def _caption(r: Result, f: Facts) -> str:
    """The crossover the recommendation rests on, else the first one, else none."""
    cross = [x for x in f.figures if " becomes cheaper than " in x]
    own = [x for x in cross if f.story.build and f.story.buy
           and x.startswith(f"{f.story.build} becomes cheaper than {f.story.buy} ")]
    if own or cross:
        return (own or cross)[0]
    return f"No option overtakes another within {months(r.scenario.horizon_months)}."


def _pages(body: list[list[str]], widths: list[float], room: float) -> list[list[list[str]]]:
    """Rows split into slides by an estimate of their wrapped height at 10 pt (about 13
    characters an inch, 0.17 in a line plus 0.12 in of cell padding)."""
    inches = [(SLIDE_W - 2 * MARGIN) / 914_400 * w for w in widths]
    pages: list[list[list[str]]] = [[]]
    used = 0.0
    for row in body:
        lines = max(math.ceil(len(text) / max(1.0, 13 * w - 2)) or 1
                    for text, w in zip(row, inches, strict=True))
        height = 0.12 + 0.17 * lines
        if pages[-1] and used + height > room:
            pages.append([])
            used = 0.0
        pages[-1].append(row)
        used += height
    return pages


def _assumption_slides(prs: Any, r: Result, rows: list[Assumption]) -> None:
    widths = [0.16, 0.42, 0.42]
    body = [[a.item, a.value, a.source if len(a.source) <= MAX_SOURCE
             else a.source[:MAX_SOURCE - 1] + "…"] for a in rows]
    body = [[cell or "–" for cell in row] for row in body]    # an empty cell sets 18 pt
    for k, page in enumerate(_pages(body, widths, room=5.2)):
        slide = _slide(prs, "Assumptions" + (" (continued)" if k else ""), r)
        _table(slide, Inches(1.2), ["Assumption", "Value (likely)", "Source"], page, widths,
               size=10, row_height=Inches(0.3))


def build_deck(r: Result, f: Facts, rows: list[Assumption], cumulative_png: bytes,
              breakdown_png: bytes, today: dt.date | None = None) -> bytes:
    """The deck as .pptx bytes. ``f`` and ``rows`` come from :func:`facts.facts` and
    :func:`sources.key_assumptions`; the PNGs from :mod:`images`."""
    today = today or dt.date.today()
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    prs.core_properties.title = r.scenario.name
    prs.core_properties.subject = "Build-vs-buy cost comparison"
    prs.core_properties.author = "build-vs-buy calculator"
    _title_slide(prs, r, today)
    _decision_slide(prs, r, f)
    _chart_slide(prs, r, "Cumulative total cost", cumulative_png, _caption(r, f))
    _chart_slide(prs, r, "Monthly cost by component", breakdown_png, "")
    _assumption_slides(prs, r, rows)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
