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

from .model import Scenario, evaluate
from .model.analysis import report as json_report
from .model.params import success_of
from .model.story import KIND_LABELS, calls, money, tell


def _rows(data: dict[str, Any]) -> list[list[str]]:
    cur = data["currency"]
    rows = []
    for name, o in data["options"].items():
        per_1k = o["cost_per_1k_calls"]
        row = [name, KIND_LABELS[o["kind"]], str(o["live_month"]), money(o["money_cost"], cur),
               money(o["error_cost"], cur), money(o["total_cost"], cur),
               money(o["present_value"], cur),
               f"{per_1k:,.4f}" if per_1k is not None else "n/a"]
        if "net_value" in o:
            row.append(money(o["net_value"], cur))
        rows.append(row)
    return rows


def _headers(data: dict[str, Any]) -> list[str]:
    h = ["option", "kind", "live month", "money cost", "error cost", "total cost",
         "present value", f"per 1k calls ({data['currency']})"]
    if any("net_value" in o for o in data["options"].values()):
        h.append("net value")
    return h


def _sentences(s: Scenario, data: dict[str, Any]) -> list[str]:
    h = data["horizon_months"]
    out = []
    for c in data["crossovers"]:
        out.append(f"{c['cheaper']} becomes cheaper than {c['than']} in month {c['month']} "
                   f"(month {c['fractional_month']:.1f}).")
    crossing = {frozenset((c["cheaper"], c["than"])) for c in data["crossovers"]}
    for b in data["break_even"]:
        a, z = b["options"]
        if frozenset((a, z)) not in crossing:
            out.append(f"{a} and {z} never cross within {h} months.")
        v = b["calls_per_month"]
        out.append(f"Break-even {a} vs {z}: "
                   + (f"{calls(v)} calls a month." if v is not None
                      else "none up to 10^12 calls a month."))
    for b in data.get("payback", []):
        a, z = b["options"]
        v = b["calls_per_month"]
        out.append(f"Payback traffic {a} vs {z} over {h} months (setup, build and retraining "
                   "counted): " + (f"{calls(v)} calls a month" if v is not None
                                   else "none up to 10^12 calls a month")
                   + ("" if b["single_threshold"] else
                      " (the lowest of several: the cheaper one changes more than once)") + ".")
    for name, e in data.get("expected", {}).items():
        if success_of(s, name)[1] != 1.0:
            out.append(f"Expected total of {name} with its success probability: "
                       f"{money(e['total_cost'], data['currency'])}.")
    for name, hy in data.get("hybrids", {}).items():
        line = (f"{name}: the best primary share is {hy['best_share']:.0%} "
                f"({money(hy['best_total'], data['currency'])})")
        if hy["best_single"] is not None:
            gap, single = money(abs(hy["saving"]), data["currency"]), hy["best_single"]
            line += (f", {gap} less than {single} alone" if hy["saving"] > 0
                     else f"; {single} alone is cheaper by {gap}")
        out.append(line + ".")
    out += [f"Warning: {w}" for w in data.get("warnings", [])]
    return out


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


def table(s: Scenario) -> str:
    data = json_report(s)
    story = tell(evaluate(s))
    rows = [[printable(c) for c in r] for r in [_headers(data)] + _rows(data)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [printable(f"{s.name} - {s.horizon_months} months, {s.currency}"
                       + (f", prices as of {s.prices_as_of}" if s.prices_as_of else "")), "",
             printable(story.headline), *map(printable, story.details), ""]
    for k, r in enumerate(rows):
        lines.append("  ".join(c.ljust(w) if i < 2 else c.rjust(w)
                               for i, (c, w) in enumerate(zip(r, widths, strict=True))))
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines += ["", *map(printable, _sentences(s, data))]
    return "\n".join(lines) + "\n"


def markdown(s: Scenario) -> str:
    data = json_report(s)
    story = tell(evaluate(s))

    def esc(text: str) -> str:             # shown escaped, then inert in Markdown
        return md_escape(printable(text))

    lines = [f"# {esc(s.name)}", "", f"**{esc(story.headline)}**", ""]
    lines += [esc(d) for d in story.details]
    heads = _headers(data)
    lines += ["", "| " + " | ".join(map(esc, heads)) + " |", "|" + "---|" * len(heads)]
    lines += ["| " + " | ".join(esc(c) for c in r) + " |" for r in _rows(data)]
    lines += [""] + [f"- {esc(x)}" for x in _sentences(s, data)]
    return "\n".join(lines) + "\n"


def md_escape(text: str) -> str:
    """User text inert in Markdown/HTML: no tags, links or table breaks."""
    out = str(text).replace("\\", "\\\\")
    for ch in "`*_[]<>|#!":
        out = out.replace(ch, "\\" + ch)
    return out.replace("\n", " ")
