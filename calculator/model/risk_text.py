"""The risk report for a terminal (rounded for people; the JSON keeps full floats)."""

from __future__ import annotations

from typing import Any

from .risk import QUANTILES
from .wording import money


def simulate_table(rep: dict[str, Any]) -> str:
    """The risk report for a terminal (rounded for people; the JSON keeps full floats)."""
    cur, h = rep["currency"], rep["horizon_months"]
    word = "present value" if rep["basis"] == "present_value" else "total cost"
    lines = [f"{rep['name']} - Monte Carlo, {rep['draws']:,} draws (seed {rep['seed']}), "
             f"{h} month{'s' if h != 1 else ''}, {word} in {cur}", ""]
    if rep.get("draws_reduced_from"):
        lines[-1:] = [f"Fewer draws than the {rep['draws_reduced_from']:,} asked for: this "
                      "scenario's options and months would need too much memory.", ""]
    if not rep["ranged_fields"]:
        lines[-1:] = ["No input is a range: every draw is the plain report (builds may still "
                      "fail).", ""]
    head = ["option", "plain", "P10", "P50", "P90", "cheapest", "expected"]
    rows = [head]
    for name, o in rep["options"].items():
        q = o[rep["basis"]]
        exp = o.get("expected", {}).get(rep["basis"])
        rows.append([name, money(o["plain"][rep["basis"]], cur), money(q["p10"], cur),
                     money(q["p50"], cur), money(q["p90"], cur), f"{o['p_cheapest']:.0%}",
                     money(exp, cur) if exp is not None else "-"])
    widths = [max(len(r[k]) for r in rows) for k in range(len(head))]
    for n, r in enumerate(rows):
        lines.append("  ".join(c.ljust(w) if k == 0 else c.rjust(w)
                               for k, (c, w) in enumerate(zip(r, widths, strict=True))))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines.append("")
    for pr in rep["pairs"]:
        a, b, c = pr["a"], pr["b"], pr["crossover"]
        lines.append(f"{a} vs {b}: {a} cheaper by month {h} in {pr['p_a_cheaper'][-1]:.0%} "
                     f"of draws, {b} in {pr['p_b_cheaper'][-1]:.0%}. " + _cross_words(c, h))
        bars = pr["tornado"]["gap"]["bars"][:3]
        if bars:
            lines.append("  moves the gap most: " + "; ".join(
                f"{x['path']} ({money(x['swing'], cur)})" for x in bars))
    for tm in rep["timing"].values():
        lines.append(f"Timing: start building {tm['option']} in month {tm['best_start_month']} "
                     f"({money(tm['best_total'], cur)}; month {tm['current_start_month']} as "
                     f"planned: {money(tm['current_total'], cur)}; {tm['interim']} alone: "
                     f"{money(tm['interim_only_total'], cur)})."
                     + (f" Building does not beat {tm['interim']} alone at any start month."
                        if tm["best_total"] >= tm["interim_only_total"] else ""))
    lines += [f"Data: {d['text']}" for d in rep["data_readiness"]]
    if rep["value"] is not None:
        lines.append(f"Value: {rep['value']['statement']}")
    return "\n".join(lines) + "\n"


def _cross_words(c: dict[str, Any], h: int) -> str:
    if c["share_no_crossover"] >= 1.0:
        return f"They never cross within {h} months."
    pcts = ", ".join(f"P{k} " + (f"month {c[f'month_p{k}']}" if c[f"month_p{k}"] is not None
                                 else f"after month {h}") for k in QUANTILES)
    return f"Crossover {pcts}; no crossover in {c['share_no_crossover']:.0%} of draws."
