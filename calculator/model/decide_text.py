"""The decision tools in words: one place for every sentence and terminal table of
:mod:`calculator.model.decide` (names and units will later come from the shared wording
module).

>>> show("traffic.calls_per_month", 1_400_000), show("options.llm.accuracy", 0.925)
('1.4M', '92.5 %')
>>> show("options.llm.price_change_per_year", -0.2), show("team.mle", 18_000)
('-20 % a year', '$18k')
"""

from __future__ import annotations

import math
from typing import Any

from .story import calls, money


def unit(path: str) -> str:
    """What a field holds, from its name: money, calls, share, rate_month, rate_year, months,
    month, nodes or number."""
    leaf = path.rsplit(".", 1)[-1]
    if path.startswith("team.") or leaf == "monthly_minimum" or (
            ("price" in leaf or "cost" in leaf) and "change" not in leaf):
        return "money"
    if leaf in ("calls_per_month", "growth_calls_per_month"):
        return "calls"
    if leaf in ("growth_rate_monthly", "price_change_per_year"):
        return "rate_month" if leaf.endswith("monthly") else "rate_year"
    if leaf in ("accuracy", "target_utilization", "batch_discount") or leaf.endswith("_share"):
        return "share"
    return {"build_months": "months", "every_months": "months", "start_month": "month",
            "min_nodes": "nodes"}.get(leaf, "number")


def show(path: str, x: float, currency: str = "USD") -> str:
    """A field's value for people, by what the field holds: $1.2k, 1.4M, 92 %, 6 months."""
    kind = unit(path)
    if kind == "money":
        return money(x, currency)
    if kind == "calls":
        return calls(x)
    if kind in ("rate_month", "rate_year"):
        sign = "+" if x > 0 else ""
        return f"{sign}{_sig(x * 100, 3)} % a {'month' if kind == 'rate_month' else 'year'}"
    if kind == "share":
        return f"{_sig(x * 100, 3)} %"
    if kind == "months":
        return f"{x:.0f} month{'s' if x != 1 else ''}"
    if kind == "month":
        return f"month {x:.0f}"
    if kind == "nodes":
        return f"{x:.0f} node{'s' if x != 1 else ''}"
    return calls(x) if abs(x) >= 1000 else _sig(x, 3)


def _sig(x: float, digits: int) -> str:
    """x to ``digits`` significant digits, never in exponent notation: 42.3, 0.35, 250."""
    if x == 0 or not math.isfinite(x):
        return "0" if x == 0 else str(x)
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(x))))
    text = f"{x:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def threshold_sentence(row: dict[str, Any], cheapest: str, currency: str = "USD") -> str:
    """One threshold for people: 'in_house stops being cheapest if traffic.calls_per_month
    falls 30 % to 1.4M; llm is cheapest then.'"""
    path, v, x = row["field"], row["value"], row["flips_at"]
    if x is None:
        return (f"No value of {path} within a factor of 1,000 of today's {show(path, v, currency)}"
                f" (and within its bounds) changes the answer: {cheapest} stays cheapest.")
    verb = "rises" if x > v else "falls"
    whole = isinstance(v, int)
    if v <= 0 or whole or path.endswith(("growth_rate_monthly", "price_change_per_year",
                                        "growth_calls_per_month")):
        move = f"{verb} from {show(path, v, currency)} to {show(path, x, currency)}"
    elif x / v >= 2:
        move = f"rises {_sig(x / v, 2)}-fold to {show(path, x, currency)}"
    else:
        move = f"{verb} {_sig(abs(x / v - 1) * 100, 3)} % to {show(path, x, currency)}"
    return (f"{cheapest} stops being cheapest if {path} {move}; "
            f"{row['cheapest_after']} is cheapest then.")


def thresholds_table(out: dict[str, Any]) -> str:
    """The thresholds for a terminal (rounded for people; the JSON keeps full floats)."""
    lines = [f"Cheapest today: {out['cheapest']}", "",
             f"{'field':<48} {'today':>12} {'flips at':>12}  cheapest then"]
    for r in out["thresholds"]:
        flips = "-" if r["flips_at"] is None else f"{r['flips_at']:.6g}"
        lines.append(f"{r['field']:<48} {r['value']:>12.6g} {flips:>12}  "
                     f"{r['cheapest_after'] or '-'}")
    lines.append("")
    lines += [r["text"] for r in out["thresholds"] if r["flips_at"] is not None]
    return "\n".join(lines) + "\n"


def label(path: str) -> str:
    """An input for people: 'in_house: accuracy', 'traffic: calls per month', 'whether the
    in_house build succeeds'."""
    parts = path.split(".")
    if parts[0] == "options" and len(parts) > 2:
        if parts[2:] == ["build_succeeds"]:
            return f"whether the {parts[1]} build succeeds"
        return f"{parts[1]}: " + " ".join(p.replace("_", " ") for p in parts[2:])
    return f"{parts[0]}: " + " ".join(p.replace("_", " ") for p in parts[1:])


def voi_sentence(path: str, value: float, noise: float, currency: str = "USD") -> str:
    """'Knowing in_house: accuracy before deciding is worth about $40k.'"""
    if value <= 0:
        return f"Knowing {label(path)} before deciding would not change the choice."
    out = f"Knowing {label(path)} before deciding is worth about {money(value, currency)}"
    if value <= noise:
        return out + f", within the estimate's noise ({money(noise, currency)})."
    return out + "."


def evpi_sentence(best: str, evpi: float, currency: str = "USD", uncertain: bool = True) -> str:
    if not uncertain:
        return (f"Nothing in this scenario is uncertain (no ranges, no build that may fail): "
                f"there is nothing to measure; {best} is cheapest.")
    if evpi <= 0:
        return (f"{best} is cheapest in every draw: no measurement can change the decision.")
    return (f"Knowing every uncertain input before deciding would be worth about "
            f"{money(evpi, currency)} (the expected value of perfect information: the most "
            f"any measurement can save); deciding now, {best} has the lowest expected cost.")


def voi_table(out: dict[str, Any]) -> str:
    cur = out["currency"]
    noise = (f"; estimates up to {money(out['noise_floor'], cur)} are noise"
             if out["noise_floor"] > 0 else "")
    lines = [out["text"], f"({out['draws']:,} draws, {out['bins']} bins{noise})", ""]
    lines += [f"{money(r['value'], cur):>10}  {label(r['input'])}" for r in out["inputs"]]
    return "\n".join(lines) + "\n"


def compare_sentence(out: dict[str, Any], currency: str = "USD") -> str:
    """'The answer changed: in_house was cheapest ($1.2M over 36 months), now llm is
    ($980k over 36 months).' or 'The answer holds: ...'."""
    before, after = out["cheapest"]["before"], out["cheapest"]["after"]
    h = out["horizon_months"]
    pv = {k: " present value" if v == "present_value" else "" for k, v in out["basis"].items()}
    was = out["options"][before]["before"]
    now = out["options"][after]["after"]
    then = (f"{money(was, currency)}{pv['before']} over {h['before']} months")
    if out["answer_changed"]:
        return (f"The answer changed: {before} was cheapest ({then}), now {after} is "
                f"({money(now, currency)}{pv['after']} over {h['after']} months).")
    return (f"The answer holds: {after} is cheapest ({then} before, "
            f"{money(now, currency)}{pv['after']} over {h['after']} months now).")


def compare_table(out: dict[str, Any], currency: str = "USD") -> str:
    """The comparison for a terminal (rounded for people; the JSON keeps full floats)."""
    lines = [out["text"], "", "Inputs that changed:"]
    lines += [f"  {r['path']}: {_plain(r['before'])} -> {_plain(r['after'])}"
              for r in out["inputs"]] or ["  none"]
    lines += [f"  option added: {k}" for k in out["options_added"]]
    lines += [f"  option removed: {k}" for k in out["options_removed"]]
    lines += ["", "Totals:"]
    for k, t in out["options"].items():
        lines.append(f"  {k:<24} {money(t['before'], currency):>10} -> "
                     f"{money(t['after'], currency):>10}")
    lines += ["", "Crossovers (month):"]
    for c in out["crossovers"]:
        lines.append(f"  {' / '.join(c['options']):<36} {_month(c['before']):>8} -> "
                     f"{_month(c['after'])}")
    lines += ["", "Break-even volume (calls a month):"]
    for e in out.get("break_even", []):
        lines.append(f"  {' / '.join(e['options']):<36} {calls(e['before']):>8} -> "
                     f"{calls(e['after'])}")
    return "\n".join(lines) + "\n"


def _plain(v: Any) -> str:
    return "(none)" if v is None else str(v)


def _month(c: dict[str, Any] | None) -> str:
    return "never" if c is None else f"{c['month']} ({c['cheaper']})"
