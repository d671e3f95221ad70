"""Plain-text renderings of the report: a terminal table and Markdown (no streamlit)."""

from __future__ import annotations

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


def table(s: Scenario) -> str:
    data = json_report(s)
    story = tell(evaluate(s))
    rows = [_headers(data)] + _rows(data)
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [f"{s.name} - {s.horizon_months} months, {s.currency}"
             + (f", prices as of {s.prices_as_of}" if s.prices_as_of else ""), "",
             story.headline, *story.details, ""]
    for k, r in enumerate(rows):
        lines.append("  ".join(c.ljust(w) if i < 2 else c.rjust(w)
                               for i, (c, w) in enumerate(zip(r, widths, strict=True))))
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines += ["", *_sentences(s, data)]
    return "\n".join(lines) + "\n"


def markdown(s: Scenario) -> str:
    data = json_report(s)
    story = tell(evaluate(s))
    esc = md_escape
    lines = [f"# {esc(s.name)}", "", f"**{esc(story.headline)}**", ""]
    lines += [esc(d) for d in story.details]
    heads = _headers(data)
    lines += ["", "| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
    lines += ["| " + " | ".join(esc(c) for c in r) + " |" for r in _rows(data)]
    lines += [""] + [f"- {esc(x)}" for x in _sentences(s, data)]
    return "\n".join(lines) + "\n"


def md_escape(text: str) -> str:
    """User text inert in Markdown/HTML: no tags, links or table breaks."""
    out = str(text).replace("\\", "\\\\")
    for ch in "`*_[]<>|#!":
        out = out.replace(ch, "\\" + ch)
    return out.replace("\n", " ")
