"""The decision memo: what to do, the figures behind it, when to revisit, what would have to
be true, where building wins, what to measure next, the comparison with an earlier scenario
(when one is given), the assumptions with their sources and dates, and the risks; as
Markdown and as a standalone HTML page.

The memo says what ``d.texts`` says and what the decision tools' rows and sentences say
(:mod:`calculator.model.decide_rows`, from the export's one :class:`.tools.Tools`); it
computes nothing. It shows the charts: the
Markdown links the image files export writes beside it, the HTML page holds them as
inline SVG, rebuilt from an allow-list by :mod:`.svgsafe` (drawing only: no script,
style, link or event handler can come through).

The memo is built once as a list of blocks (heading, paragraph, list, table, figure) of
plain text and rendered twice. Every piece of text is escaped for its format, ours and the
user's alike, so a scenario name like ``<img src=x onerror=alert(1)>`` or
``[click](http://x)`` is shown, never run or linked: Markdown gets backslash escapes
(CommonMark renders ``\\<`` as ``<``) plus escapes that keep GitHub from auto-linking
URLs and e-mail addresses; HTML gets entity escapes, no scripts and a Content Security
Policy that allows nothing but its own inline style.

>>> print(md_text("<b>x</b> [y](http://z) a@b.c"))
\\<b\\>x\\</b\\> \\[y\\](http\\://z) a\\@b.c
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from ..model import (
    MEASURE_TITLE,
    NO_CHANGE,
    NO_FLIP,
    THRESHOLDS_TITLE,
    VOI_INTRO,
    Decision,
    compare_input_rows,
    compare_title,
    compare_total_rows,
    map_caption,
    map_title,
    measure_next,
    threshold_rows,
    threshold_sentences,
    thresholds_intro,
    voi_basis,
    voi_rest,
    voi_rows,
)
from ..textreport import md_escape
from .deck import totals_rows
from .sources import Assumption
from .tools import Tools


@dataclass
class Block:
    kind: str                                   # h1 h2 p strong caution ul table figure
    text: str = ""
    items: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    image: str = ""                             # figure: the image's file name (Markdown)
    svg: str = ""                               # figure: the chart, already made safe


@dataclass(frozen=True)
class Figure:
    title: str      # what the chart shows (its alt text and caption)
    image: str      # the file name export writes it under ("" : none written)
    svg: str = ""   # the chart as SVG made safe by svgsafe.clean ("" : none)
    name: str = ""  # the chart's name ("decision-map" goes in its own section)


MAP = "decision-map"


_AUTOLINK = re.compile(r"(?i):(?=//)|(?<=mailto):|(?<=xmpp):|(?<=www)\.|@")


def md_text(text: str) -> str:
    """Any text inert in Markdown: no HTML, links, images, emphasis or table breaks, and
    nothing GitHub would auto-link (``http://``, ``www.``, e-mail addresses)."""
    out = _AUTOLINK.sub(lambda m: "\\" + m.group(0), md_escape(text))
    return out.replace("\r", " ")


def _table(rows: list[dict[str, str]]) -> Block:
    return Block("table", headers=list(rows[0]), rows=[list(r.values()) for r in rows])


def tool_blocks(d: Decision, tl: Tools, figures: list[Figure]) -> list[Block]:
    """What would have to be true, where building wins, what to measure next and the
    comparison: the rows and sentences of :mod:`calculator.model.decide_rows`."""
    s = d.scenario
    th = tl.thresholds
    out = [Block("h2", THRESHOLDS_TITLE), Block("p", thresholds_intro(s, th))]
    table = threshold_rows(s, th)
    if table:
        out += [Block("ul", items=threshold_sentences(th)), _table(table)]
    else:
        out.append(Block("p", NO_FLIP))
    if tl.map is not None:
        out += [Block("h2", map_title(tl.map)), Block("p", map_caption(tl.map))]
        out += [Block("figure", f.title, image=f.image, svg=f.svg) for f in figures
                if f.name == MAP and (f.image or f.svg)]
    if tl.voi is not None:
        v = tl.voi
        out += [Block("h2", MEASURE_TITLE), Block("strong", measure_next(s, v)),
                Block("p", v["text"]),
                Block("p", f"{VOI_INTRO} {voi_basis(v)}")]
        table = voi_rows(s, v)
        rest = voi_rest(v)
        out += ([_table(table)] if table else []) + ([Block("p", rest)] if rest else [])
    if tl.compare is not None and tl.before is not None:
        c, a = tl.compare, tl.before
        out += [Block("h2", compare_title(a)), Block("strong", c["text"])]
        changed = compare_input_rows(a, s, c)
        out += [_table(changed)] if changed else [Block("p", NO_CHANGE)]
        out.append(_table(compare_total_rows(a, s, c)))
    return out


def blocks(d: Decision, rows: list[Assumption], figures: list[Figure],
           tools: Tools | None = None) -> list[Block]:
    """The memo: what ``d.texts`` says, the totals, the decision tools (``tools``), the
    charts, the assumptions."""
    s, cur, t = d.scenario, d.scenario.currency, d.texts
    when = s.prices_as_of.isoformat() if s.prices_as_of else "not stated"
    out = [Block("h1", f"Decision memo: {s.name}"),
           Block("p", f"Prepared {d.today.isoformat()} · prices as of {when} · "
                      f"{s.horizon_months}-month horizon · {cur}")]
    if s.description:
        out.append(Block("p", f"What is being decided: {s.description}"))
    out += [Block("h2", f"Recommendation: {t.verdict}"), Block("strong", t.action)]
    out += [Block("caution", t.caution)] if t.caution else []
    out += [Block("p", t.headline), Block("p", t.sure)]
    out += [Block("p", x) for x in t.details]
    out.append(Block("ul", items=[f"{n.label}: {n.value}. {n.help}" for n in t.numbers]))
    out += [Block("h2", "When to revisit"), Block("ul", items=t.revisit)]
    headers, table = totals_rows(d)
    out += [Block("h2", "Key figures"), Block("table", headers=headers, rows=table),
            Block("p", f"{t.totals_title}."), Block("ul", items=t.figures)]
    out += tool_blocks(d, tools, figures) if tools is not None else []
    shown = [f for f in figures if (f.image or f.svg) and f.name != MAP]
    if shown:
        out.append(Block("h2", "Charts"))
        out += [Block("figure", f.title, image=f.image, svg=f.svg) for f in shown]
    out += [Block("h2", "Assumptions"),
            Block("p", "Likely values where a range is given. Sources are the scenario "
                       "file's comments; dates are as written there."),
            Block("table", headers=["Area", "Assumption", "Value", "Source and date"],
                  rows=[[a.area, a.item, a.value, a.source or "not stated"] for a in rows])]
    out += [Block("h2", "Risks"), Block("ul", items=t.risks or ["None identified."])]
    out.append(Block("p", "Figures from the build-vs-buy calculator's cost model "
                          f"(scenario: {s.name}). Money cost is what is paid; total cost adds "
                          "the cost of errors."))
    return out


def markdown(bs: list[Block]) -> str:
    lines: list[str] = []
    for b in bs:
        if b.kind == "h1":
            lines += [f"# {md_text(b.text)}", ""]
        elif b.kind == "h2":
            lines += [f"## {md_text(b.text)}", ""]
        elif b.kind == "strong":
            lines += [f"**{md_text(b.text)}**", ""]
        elif b.kind == "p":
            lines += [md_text(b.text), ""]
        elif b.kind == "caution":
            lines += [f"> {md_text(b.text)}", ""]
        elif b.kind == "ul":
            lines += [f"- {md_text(x)}" for x in b.items] + [""]
        elif b.kind == "figure" and b.image:
            # the file name is a slug (letters, digits, - and _): nothing to escape
            lines += [f"![{md_text(b.text)}]({b.image})", ""]
        elif b.kind == "table":
            lines.append("| " + " | ".join(md_text(h) for h in b.headers) + " |")
            lines.append("|" + "---|" * len(b.headers))
            lines += ["| " + " | ".join(md_text(c) for c in row) + " |" for row in b.rows]
            lines.append("")
    return "\n".join(lines)


_CSS = """body{font-family:"Source Sans Pro",Helvetica,Arial,sans-serif;max-width:60rem;
margin:2rem auto;padding:0 1rem;color:#222;line-height:1.45}
h1{font-size:1.7rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%;font-size:.92rem}
th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}.strong{font-weight:600;font-size:1.1rem}
.caution{color:#A04600;font-weight:600;border-left:4px solid #D55E00;padding-left:.6rem}
figure{margin:1.5rem 0}figure svg{width:100%;height:auto;display:block}
figcaption{color:#666;font-size:.9rem}"""


def to_html(bs: list[Block]) -> str:
    esc = html.escape
    title = next((b.text for b in bs if b.kind == "h1"), "Decision memo")
    body: list[str] = []
    for b in bs:
        if b.kind in ("h1", "h2"):
            body.append(f"<{b.kind}>{esc(b.text)}</{b.kind}>")
        elif b.kind in ("p", "strong", "caution"):
            body.append(f'<p class="{b.kind}">{esc(b.text)}</p>')
        elif b.kind == "ul":
            body.append("<ul>" + "".join(f"<li>{esc(x)}</li>" for x in b.items) + "</ul>")
        elif b.kind == "figure" and b.svg:
            # b.svg was rebuilt from an allow-list by svgsafe.clean: drawing only
            body.append(f"<figure>{b.svg}<figcaption>{esc(b.text)}</figcaption></figure>")
        elif b.kind == "table":
            head = "".join(f"<th>{esc(h)}</th>" for h in b.headers)
            rows = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>"
                           for row in b.rows)
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
    csp = "default-src 'none'; style-src 'unsafe-inline'"
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{esc(title)}</title><style>{_CSS}</style></head>\n<body>\n"
            + "\n".join(body) + "\n</body></html>\n")
