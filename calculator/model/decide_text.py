"""The decision tools in words: every sentence and terminal table of the thresholds
(:mod:`.decide`), the decision map (:mod:`.decide_map`), the value of information
(:mod:`.decide_voi`) and the comparison (:mod:`.decide_compare`). Inputs are named and their
values formatted through the field registry and the option labels
(:func:`input_labels.input_label`, ``input_value``).
"""

from __future__ import annotations

import math
from typing import Any

from .input_labels import input_label, input_unit, input_value
from .scenario import Scenario
from .wording import calls, money


def show(s: Scenario, path: str, x: float) -> str:
    return input_value(s, path, x)


def label(s: Scenario, path: str) -> str:
    return input_label(s, path)


def _sig(x: float, digits: int) -> str:
    """x to ``digits`` significant digits, never in exponent notation: 42.3, 0.35, 250."""
    if x == 0 or not math.isfinite(x):
        return "0" if x == 0 else str(x)
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(x))))
    text = f"{x:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def threshold_sentence(s: Scenario, row: dict[str, Any], cheapest: str) -> str:
    """One threshold for people: 'In-house model stops being the cheapest if calls per
    month in month 1 falls 30 % to 1.4M calls a month; LLM is the cheapest then.'"""
    path, v, x = row["field"], row["value"], row["flips_at"]
    name = label(s, path)
    if x is None:
        return (f"No value of the {name} within a factor of 1,000 of today's "
                f"{show(s, path, v)} (and within its bounds) changes the answer: "
                f"{s.label(cheapest)} stays the cheapest.")
    verb = "rises" if x > v else "falls"
    whole = isinstance(v, int)
    shares = input_unit(s, path) in ("share", "rate", "change", "growth")
    if v <= 0 or whole or shares or path.endswith("growth_calls_per_month"):
        move = f"{verb} from {show(s, path, v)} to {show(s, path, x)}"
    elif x / v >= 2:
        move = f"rises {_sig(x / v, 2)}-fold to {show(s, path, x)}"
    else:
        move = f"{verb} {_sig(abs(x / v - 1) * 100, 3)} % to {show(s, path, x)}"
    return (f"{s.label(cheapest)} stops being the cheapest if the {name} {move}; "
            f"{s.label(row['cheapest_after'])} is the cheapest then.")


def thresholds_table(out: dict[str, Any]) -> str:  # the paths stay: they are what to edit
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


def voi_sentence(s: Scenario, path: str, value: float, noise: float) -> str:
    """'Knowing the In-house model accuracy before deciding is worth about $40k.'"""
    what, cur = label(s, path), s.currency
    if not what.startswith("whether"):
        what = f"the {what}"
    if value <= 0:
        return f"Knowing {what} before deciding would not change the choice."
    out = f"Knowing {what} before deciding is worth about {money(value, cur)}"
    if value <= noise:
        return out + f", within the estimate's noise ({money(noise, cur)})."
    return out + "."


def measure_sentence(s: Scenario, top: dict[str, Any] | None, noise: float) -> str:
    """What to measure first: the input most worth knowing (``top``: the first row of
    :func:`calculator.model.decide.value_of_information`), when knowing it is worth more
    than the estimate's noise. 'Measure the In-house model accuracy before committing:
    knowing it is worth about $40k.'"""
    cur = s.currency
    if top is None or top["value"] <= max(noise, 0.0):
        tail = f" ({money(noise, cur)})" if noise > 0 else ""
        return ("No single uncertain input is worth measuring before deciding: knowing any "
                f"one of them changes the expected cost by no more than the estimate's "
                f"noise{tail}.")
    what, worth = label(s, top["input"]), money(top["value"], cur)
    if what.startswith("whether"):
        return f"Find out {what} before committing: knowing that is worth about {worth}."
    return f"Measure the {what} before committing: knowing it is worth about {worth}."


def evpi_sentence(s: Scenario, best: str, evpi: float, uncertain: bool = True) -> str:
    currency, best = s.currency, s.label(best)
    if not uncertain:
        return (f"Nothing in this scenario is uncertain (no ranges, no build that may fail): "
                f"there is nothing to measure; {best} is cheapest.")
    if evpi <= 0:
        return (f"{best} is cheapest in every draw: no measurement can change the decision.")
    return (f"Knowing every uncertain input before deciding would be worth about "
            f"{money(evpi, currency)} (the expected value of perfect information: the most "
            f"any measurement can save); deciding now, {best} has the lowest expected cost.")


def voi_basis(out: dict[str, Any]) -> str:
    """How sure the value-of-information estimates are."""
    cur = out["currency"]
    noise = (f"; estimates up to {money(out['noise_floor'], cur)} are within its noise"
             if out["noise_floor"] > 0 else "")
    return (f"Estimated from {out['draws']:,} simulated draws, {out['bins']} bins "
            f"an input{noise}.")


def voi_table(out: dict[str, Any]) -> str:
    cur = out["currency"]
    lines = [out["text"], voi_basis(out), ""]
    lines += [f"{money(r['value'], cur):>10}  {r['label']}" for r in out["inputs"]]
    return "\n".join(lines) + "\n"


def _option(a: Scenario, b: Scenario, name: str) -> str:
    """An option of a comparison for people: its label in the later scenario (``b``), else
    in the earlier one (``a``), else its key."""
    return b.label(name) if name in b.options else a.label(name) if name in a.options else name


def compare_sentence(out: dict[str, Any], a: Scenario, b: Scenario) -> str:
    """'The answer changed: In-house model was cheapest ($1.2M over 36 months), now LLM is
    ($980k over 36 months).' or 'The answer holds: ...'. Options by their labels: the
    earlier scenario's (``a``) for what was cheapest, the later one's (``b``) for now."""
    before, after = out["cheapest"]["before"], out["cheapest"]["after"]
    h = out["horizon_months"]
    pv = {k: " present value" if v == "present_value" else "" for k, v in out["basis"].items()}
    was = out["options"][before]["before"]
    now = out["options"][after]["after"]
    then = (f"{money(was, a.currency)}{pv['before']} over {h['before']} months")
    if out["answer_changed"]:
        return (f"The answer changed: {a.label(before)} was cheapest ({then}), now "
                f"{b.label(after)} is ({money(now, b.currency)}{pv['after']} over "
                f"{h['after']} months).")
    if h["before"] == h["after"] and pv["before"] == pv["after"] and a.currency == b.currency:
        return (f"The answer holds: {b.label(after)} is cheapest, at {money(now, b.currency)} "
                f"now and {money(was, a.currency)} before ({pv['after'].strip() or 'total'} "
                f"over {h['after']} months).")
    return (f"The answer holds: {b.label(after)} is cheapest ({then} before, "
            f"{money(now, b.currency)}{pv['after']} over {h['after']} months now).")


def compare_table(out: dict[str, Any], a: Scenario, b: Scenario) -> str:
    """The comparison for a terminal (rounded for people; the JSON keeps full floats and
    keys). Inputs by path (what to edit), options by label (see :func:`_option`)."""
    name = {k: _option(a, b, k) for k in out["options"]}
    lines = [out["text"], "", "Inputs that changed:"]
    lines += [f"  {r['path']}: {_plain(r['before'])} -> {_plain(r['after'])}"
              for r in out["inputs"]] or ["  none"]
    lines += [f"  option added: {name[k]}" for k in out["options_added"]]
    lines += [f"  option removed: {name[k]}" for k in out["options_removed"]]
    lines += ["", "Totals:"]
    for k, t in out["options"].items():
        lines.append(f"  {name[k]:<24} {money(t['before'], a.currency):>10} -> "
                     f"{money(t['after'], b.currency):>10}")
    lines += ["", "Crossovers (month):"]
    for c in out["crossovers"]:
        pair = " / ".join(name[k] for k in c["options"])
        lines.append(f"  {pair:<36} {_month(c['before'], name):>8} -> "
                     f"{_month(c['after'], name)}")
    lines += ["", "Break-even volume (calls a month):"]
    for e in out.get("break_even", []):
        pair = " / ".join(name[k] for k in e["options"])
        lines.append(f"  {pair:<36} {calls(e['before']):>8} -> {calls(e['after'])}")
    return "\n".join(lines) + "\n"


def _plain(v: Any) -> str:
    return "(none)" if v is None else str(v)


def _month(c: dict[str, Any] | None, name: dict[str, str]) -> str:
    return "never" if c is None else f"{c['month']} ({name.get(c['cheaper'], c['cheaper'])})"
