"""The deck's starting point: the company template when one is given, else a clean default.

A template (.pptx, or a .potx PowerPoint template) keeps its slide size, masters, layouts,
theme fonts and colours; its own slides are removed. The layouts the deck needs are found
by their placeholders, whatever they are called: a title slide (a centred title, or a
title and a subtitle), a title-and-content slide (a title and one body), a title-only
slide; the body placeholder of title-and-content marks the content area that charts and
tables fill. Without a template, python-pptx's default made 16:9 with the screen's font
(Source Sans 3) as the theme font.

A file that is not a presentation, a macro-enabled one, or one over ``MAX_BYTES`` (or
that would unpack to more than ``MAX_UNPACKED``) is refused with :class:`TemplateError`,
whose message a person can act on.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.util import Emu, Inches

MAX_BYTES = 20 * 1024 * 1024
MAX_UNPACKED = 200 * 1024 * 1024
FAMILY = "Source Sans 3"
_TEMPLATE_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"
_PRESENTATION_MAIN = "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
_MACRO = "macroEnabled"
_SECTIONS = "{521415D9-36F7-43E2-AB2F-B90AF26B5E84}"
BODIES = (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
TITLES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
CORNER = (PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER)


class TemplateError(ValueError):
    """The template cannot be used; the message says why and what to do."""


@dataclass
class Deck:
    prs: Any
    title_layout: Any
    content_layout: Any | None      # title and one body
    title_only: Any                 # a title and no body (else content, body removed)
    area: tuple[int, int, int, int]   # the content area: left, top, width, height (EMU)
    font: str | None                # the family set on charts, None: the theme's
    templated: bool                 # True: keep the template's colours and fonts
    footnote: str = ""              # price date and scenario, at the foot of every slide
    title_pt: float = 44.0          # the masters' title size (to shrink a long title)

    @property
    def width(self) -> int:
        return int(self.prs.slide_width)

    @property
    def height(self) -> int:
        return int(self.prs.slide_height)

    def scale(self) -> float:
        """Text sizes are set for a 7.5 in tall slide; other heights scale them."""
        return self.height / Inches(7.5)


def load(data: bytes | None) -> Deck:
    """A :class:`Deck` on the template ``data`` (bytes of a .pptx or .potx), or on the
    default when None."""
    if data is None:
        return _find(_default(), templated=False)
    prs = _open(data)
    for sld in list(prs.slides._sldIdLst):          # the template's own slides go
        prs.slides._sldIdLst.remove(sld)
        prs.part.drop_rel(sld.rId)
    ext = prs.part._element.find(".//{*}extLst")
    if ext is not None:                             # sections would name removed slides
        for e in list(ext):
            if e.get("uri") == _SECTIONS:
                ext.remove(e)
    return _find(prs, templated=True)


def _open(data: bytes) -> Any:
    if len(data) > MAX_BYTES:
        raise TemplateError(f"the template is {len(data) / 2**20:.1f} MB; a template may be "
                            f"at most {MAX_BYTES // 2**20} MB (remove large pictures or media)")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
        if sum(i.file_size for i in infos) > MAX_UNPACKED or len(infos) > 10_000:
            raise TemplateError("the template unpacks to too much data to be a slide template")
        types = zf.read("[Content_Types].xml").decode("utf-8")
    except (zipfile.BadZipFile, KeyError, UnicodeDecodeError, OSError):
        raise TemplateError("the template is not a PowerPoint file: save it from PowerPoint "
                            "as .pptx (or .potx) and try again") from None
    if _MACRO in types:
        raise TemplateError("the template is a macro-enabled presentation (.pptm/.potm): "
                            "save it as .pptx without macros and try again")
    if _TEMPLATE_MAIN in types:                     # .potx: the same parts as a .pptx
        data = _retype(zf, types.replace(_TEMPLATE_MAIN, _PRESENTATION_MAIN))
    try:
        prs = Presentation(io.BytesIO(data))
        prs.slide_masters[0].slide_layouts[0]       # noqa: B018 - it must have one
    except TemplateError:
        raise
    except Exception:                               # python-pptx raises many kinds
        raise TemplateError("the template could not be read as a PowerPoint presentation "
                            "(.pptx) with at least one slide layout") from None
    return prs


def _retype(zf: zipfile.ZipFile, types: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for info in zf.infolist():
            body = types.encode("utf-8") if info.filename == "[Content_Types].xml" \
                else zf.read(info)
            new.writestr(info, body)
    return out.getvalue()


def _default() -> Any:
    """python-pptx's default template at 16:9 (PowerPoint's 13.33 x 7.5 in), placeholders
    widened with it, the theme's fonts set to the screen's family."""
    prs = Presentation()
    k = 12_192_000 / int(prs.slide_width)
    prs.slide_width, prs.slide_height = Emu(12_192_000), Emu(6_858_000)
    master = prs.slide_masters[0]
    for holder in [master, *master.slide_layouts]:
        for shape in holder.shapes:
            xfrm = shape._element.find(".//{*}xfrm")
            if xfrm is None:
                continue
            off, ext = xfrm.find("{*}off"), xfrm.find("{*}ext")
            if off is not None and ext is not None:
                off.set("x", str(round(int(off.get("x")) * k)))
                ext.set("cx", str(round(int(ext.get("cx")) * k)))
    theme = master.part.part_related_by(RT.THEME)
    xml = theme.blob.decode("utf-8")
    xml = re.sub(r'(<a:(?:major|minor)Font><a:latin typeface=")[^"]*"', rf'\g<1>{FAMILY}"', xml)
    theme._blob = xml.encode("utf-8")               # a plain part: its bytes are its content
    return prs


def _kinds(layout: Any) -> list[Any]:
    return [p.placeholder_format.type for p in layout.placeholders
            if p.placeholder_format.type not in CORNER]


def _all_layouts(prs: Any) -> list[Any]:
    return [layout for master in prs.slide_masters for layout in master.slide_layouts]


def _pick(layouts: list[Any], test: Any, names: tuple[str, ...]) -> Any | None:
    found = [x for x in layouts if test(_kinds(x))]
    named = [x for x in found if x.name.strip().lower() in names]
    return (named or found or [None])[0]


def _find(prs: Any, templated: bool) -> Deck:
    layouts = _all_layouts(prs)
    title = _pick(layouts, lambda k: PP_PLACEHOLDER.CENTER_TITLE in k
                  or (PP_PLACEHOLDER.TITLE in k and PP_PLACEHOLDER.SUBTITLE in k),
                  ("title slide", "title"))
    content = _pick(layouts, lambda k: any(t in k for t in TITLES)
                    and sum(t in BODIES for t in k) == 1 and len(k) == 2,
                    ("title and content", "title, content"))
    only = _pick(layouts, lambda k: any(t in k for t in TITLES) and len(k) == 1,
                 ("title only",))
    fallback = content or only or layouts[0]
    title = title or fallback
    only = only or fallback
    w, h = int(prs.slide_width), int(prs.slide_height)
    body = next((p for p in content.placeholders if p.placeholder_format.type in BODIES),
                None) if content is not None else None
    if body is not None and body.width and body.height:
        area = (int(body.left), int(body.top), int(body.width), int(body.height))
    else:                                           # under the title, within margins
        head = next((p for p in only.placeholders if p.placeholder_format.type in TITLES),
                    None)
        top = int(head.top + head.height) if head is not None else int(h * 0.18)
        area = (int(w * 0.05), top + int(h * 0.02), int(w * 0.9), int(h * 0.92) - top)
    size = prs.slide_masters[0]._element.find(".//{*}titleStyle/{*}lvl1pPr/{*}defRPr")
    title_pt = int(size.get("sz", 4400)) / 100 if size is not None else 44.0
    return Deck(prs, title, content, only, area, None if templated else FAMILY, templated,
                title_pt=title_pt)
