"""Plain-text renderings of the report: a terminal table and Markdown (no streamlit).

Text from the scenario reaches a terminal here, so every value goes through
:func:`printable`: a control character (an escape sequence that would retitle or recolour
the terminal, a newline that would fake a line of output) or an invisible formatting
character (a right-to-left override) is shown as its escape instead.

>>> print(printable("a\\x1b]0;pwned\\x07b"), printable("ok\\nerror: fake"))
a\\x1b]0;pwned\\x07b ok\\nerror: fake
>>> print(printable("in_house · Été ☃"), printable("evil\\u202e"))
in_house · Été ☃ evil\\u202e
"""

from __future__ import annotations

import unicodedata
from typing import Any

from .model import KIND_LABELS, Decision, Scenario, money
from .model import decision_of as decide
from .model import report as json_report


def _rows(d: Decision, data: dict[str, Any]) -> list[list[str]]:
    cur = data["currency"]
    rows = []
    for name, o in data["options"].items():
        per_1k = o["cost_per_1k_calls"]
        row = [d.label(name), KIND_LABELS[o["kind"]], str(o["live_month"]),
               money(o["money_cost"], cur), money(o["error_cost"], cur),
               money(o["total_cost"], cur), money(o["present_value"], cur),
               money(per_1k, cur) if per_1k is not None else "n/a"]
        if "net_value" in o:
            row.append(money(o["net_value"], cur))
        rows.append(row)
    return rows


def _headers(data: dict[str, Any]) -> list[str]:
    h = ["option", "kind", "live month", "money cost", "error cost", "total cost",
         "present value", "per 1,000 calls"]
    if any("net_value" in o for o in data["options"].values()):
        h.append("net value")
    return h


def _answer(d: Decision) -> list[str]:
    """What the app's headline area says, in the same words."""
    t = d.texts
    return [t.headline, t.sure, f"Recommendation: {t.action}",
            *([t.caution] if t.caution else []), *t.details,
            "Key numbers: " + "; ".join(f"{n.label}: {n.value}" for n in t.numbers) + "."]


def _sentences(d: Decision) -> list[str]:
    t = d.texts
    return [*t.figures, *(f"Warning: {w}" for w in d.warnings),
            *(f"Revisit: {x}" for x in t.revisit), *(f"Risk: {x}" for x in t.risks)]


# Joiners stay: they shape Arabic, Indic and emoji text and move nothing.
_KEEP = {"\u200c", "\u200d"}
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(ch: str) -> str:
    if ch in _SHORT:
        return _SHORT[ch]
    code = ord(ch)
    return (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000
            else f"\\U{code:08x}")


def printable(text: object) -> str:
    """``text`` safe for a terminal on one line: control characters (C0, DEL, C1 - newline
    and tab included), invisible formatting characters (bidirectional overrides, zero-width
    spaces, BOM), line and paragraph separators and lone surrogates shown as escapes."""
    text = str(text)
    if text.isprintable():                 # the usual case: nothing to look at
        return text
    return "".join(_escape(ch) if ch not in _KEEP and unicodedata.category(ch) in
                   ("Cc", "Cf", "Zl", "Zp", "Cs") else ch for ch in text)


def printable_lines(text: str) -> str:
    """Several lines of output made safe line by line: the newlines between them stay."""
    return "\n".join(printable(line) for line in text.split("\n"))


def table(s: Scenario, d: Decision | None = None) -> str:
    d = d or decide(s)
    data = json_report(s)
    rows = [[printable(c) for c in r] for r in [_headers(data)] + _rows(d, data)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [printable(f"{s.name} - {s.horizon_months} months, {s.currency}"
                       + (f", prices as of {s.prices_as_of}" if s.prices_as_of else "")), "",
             *map(printable, _answer(d)), ""]
    for k, r in enumerate(rows):
        lines.append("  ".join(c.ljust(w) if i < 2 else c.rjust(w)
                               for i, (c, w) in enumerate(zip(r, widths, strict=True))))
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines += ["", *map(printable, _sentences(d))]
    return "\n".join(lines) + "\n"


def markdown(s: Scenario, d: Decision | None = None) -> str:
    d = d or decide(s)
    data = json_report(s)

    def esc(text: str) -> str:             # shown escaped, then inert in Markdown
        return md_escape(printable(text))

    answer = _answer(d)
    lines = [f"# {esc(s.name)}", "", f"**{esc(answer[0])}**", ""]
    lines += [esc(x) for x in answer[1:]]
    heads = _headers(data)
    lines += ["", "| " + " | ".join(map(esc, heads)) + " |", "|" + "---|" * len(heads)]
    lines += ["| " + " | ".join(esc(c) for c in r) + " |" for r in _rows(d, data)]
    lines += [""] + [f"- {esc(x)}" for x in _sentences(d)]
    return "\n".join(lines) + "\n"


def md_escape(text: str) -> str:
    """User text inert in Markdown/HTML: no tags, links or table breaks."""
    out = str(text).replace("\\", "\\\\")
    for ch in "`*_[]<>|#!":
        out = out.replace(ch, "\\" + ch)
    return out.replace("\n", " ")
