"""Drawing one field: the widget its spec calls for, keyed by its scenario path, with the
model's bounds and the problems of that path next to it.

Everything a widget needs comes from the field registry: label, help, unit (which decides
the widget and its number format), bounds (the widget's min and max ARE the model's) and
step. Which numbers of a section are ranges is picked with one control per section
(:func:`range_picker`); a range is drawn as one row of low / likely / high.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from typing import Any

import streamlit as st

from ..model import FieldSpec, Problem, symbol
from . import state as S
from .parking import ui_state

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=])")


def md(text: Any) -> str:
    """Text shown literally in markdown (labels, headings, the headline): no links, no
    emphasis, no LaTeX from ``$``, no ``:color[...]`` directives, no HTML."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def anchor(path: str) -> str:
    """The HTML id a field's problems link to from the main area."""
    return "field-" + re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")


class Problems:
    """Validation problems by field path, each shown once, next to its widget."""

    def __init__(self, problems: list[Problem] | list[str]):
        self.all = [p if isinstance(p, Problem) else Problem("", str(p)) for p in problems]
        self._left = list(self.all)

    def under(self, path: str) -> bool:
        return any(p.path == path or p.path.startswith(path + ".") for p in self.all)

    def show(self, path: str, exact: bool = False) -> None:
        hits = [p for p in self._left
                if p.path == path or (not exact and p.path.startswith(path + "."))]
        for p in hits:
            self._left.remove(p)
            st.error(md(p.message if p.path == path else p), icon=":material/error:")

    def rest(self) -> None:
        """Problems no widget showed (a whole-file problem, say)."""
        for p in list(self._left):
            self._left.remove(p)
            st.error(md(p), icon=":material/error:")


# -- labels and formats ---------------------------------------------------------------------------

_UNIT_SUFFIX = {"share": "0-1", "rate": "0-1", "change": "a year", "growth": "a month",
                "fte": "FTE", "fte_months": "person-months", "hours": "h", "months": "months"}


def label(spec: FieldSpec, currency: str) -> str:
    """The label with its unit: money in the scenario's currency."""
    text = spec.label
    if spec.unit == "money":
        text += f" ({symbol(currency) or currency})"
    elif spec.unit in _UNIT_SUFFIX and _UNIT_SUFFIX[spec.unit] not in text:
        text += f" ({_UNIT_SUFFIX[spec.unit]})"
    return text


def number_format(spec: FieldSpec, value: Any = None) -> str:
    """The box's printf format: the unit's usual decimals, more when the value has them, so
    a box never shows a rounded number (0.035 is "0.035", not "0.04").

    >>> from calculator.model.registry import resolve
    >>> share = resolve("discount_rate_annual", {})
    >>> number_format(share, 0.1), number_format(share, 0.035), number_format(share, 1/3)
    ('%.2f', '%.3f', '%.8f')
    """
    if spec.integer:
        return "%d"
    if spec.unit in ("calls", "tokens", "labels", "units", "count"):
        base = 0
    elif spec.unit in ("share", "rate", "change", "growth"):
        base = 3 if (spec.step or 0.01) < 0.01 else 2
    elif spec.unit == "money":
        base = 4 if (spec.step or 1) < 0.01 else 2
    else:
        base = 2
    return f"%.{max(base, decimals(value))}f"


def decimals(value: Any, most: int = 8) -> int:
    """How many decimals show ``value`` exactly (at most ``most``)."""
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        return 0
    for d in range(most + 1):
        if abs(round(value, d) - value) <= 1e-12 * max(1.0, abs(value)):
            return d
    return most


def _num_kwargs(spec: FieldSpec, value: Any) -> dict[str, Any]:
    b = spec.bounds
    assert b is not None
    # value=None makes the box clearable: an emptied box sends None, which the model names
    # as a problem next to it, instead of quietly becoming the minimum (the state holds
    # the value, so None here sets nothing)
    if spec.integer:
        return {"min_value": int(b.low), "max_value": int(b.high), "step": int(spec.step or 1),
                "value": None}
    step = float(spec.step) if spec.step else (log_step(value) if spec.unit == "calls"
                                               else None)
    return {"min_value": float(b.low), "max_value": float(b.high), "step": step,
            "format": number_format(spec, value), "value": None}


def log_step(value: float | None) -> float:
    """The +/- step for a traffic figure: a tenth of its order of magnitude, so a click
    moves 1-10 % whatever the size (400,000 -> 10,000; 2,000,000 -> 100,000).

    >>> log_step(400_000), log_step(2_000_000), log_step(7)
    (10000.0, 100000.0, 1.0)
    """
    if not isinstance(value, int | float) or value < 10:
        return 1.0
    return float(10 ** (math.floor(math.log10(value)) - 1))


# -- one field --------------------------------------------------------------------------------------

def field(spec: FieldSpec, path: str, cur: str, problems: Problems, *, disabled: bool = False,
          options: list[str] | None = None, format_func: Any = None,
          placeholder: str | None = None, help: str | None = None) -> None:
    """The widget for ``spec`` keyed by ``path`` (low / likely / high when it is a range);
    the path's problems under it."""
    ss = ui_state
    # persist_state: a value outlives its widget while a panel or tab is closed
    common: dict[str, Any] = {"key": path, "help": help or spec.help, "disabled": disabled,
                              "persist_state": "page"}
    text = label(spec, cur)
    if spec.bounds is not None:
        if ss.get(f"range:{path}"):
            _range_row(spec, path, text, common)
        else:
            if placeholder is None:
                placeholder = "empty" if spec.optional else "type a number"
            st.number_input(text, placeholder=placeholder,
                            **_num_kwargs(spec, ss.get(path)), **common)
    elif spec.choices:
        current = ss.get(path)
        choices = list(spec.choices) + ([current] if current not in spec.choices else [])
        st.selectbox(text, choices, **common)
    elif spec.unit == "flag":
        st.toggle(text, **common)
    elif spec.unit == "name":
        choices = list(options or [])
        if ss.get(path) not in choices:
            choices.append(ss.get(path))
        st.selectbox(text, choices, format_func=format_func or str, **common)
    elif spec.unit == "date":
        st.date_input(text, format="YYYY-MM-DD", **common)
    elif spec.unit == "month_date":
        _month_input(text, path, common)
    elif spec.text_rule is not None and spec.text_rule.multiline:
        st.text_area(text, max_chars=spec.text_rule.max_length, height=90, **common)
    else:
        rule = spec.text_rule
        st.text_input(text, max_chars=rule.max_length if rule else None,
                      placeholder=placeholder, **common)
    problems.show(path, exact=True)


def _range_row(spec: FieldSpec, path: str, text: str, common: dict[str, Any]) -> None:
    """A range in one row: low, likely (the plain report's value), high."""
    ss = ui_state
    kw = _num_kwargs(spec, ss.get(path))
    if "format" in kw:       # every box of the row shows its own value unrounded
        kw["format"] = max((number_format(spec, ss.get(k)) for k in
                            (f"{path}.low", path, f"{path}.high")),
                           key=lambda f: int(f[2:-1]))
    dist = ss.setdefault(f"{path}.distribution", "triangular")
    st.markdown(f":small[**{md(text)}**: low, likely, high ({dist})]", help=common["help"])
    # one row of three boxes, not three columns (three messages fewer a change); the
    # "range-row" key gives them equal widths (views.CSS)
    row = st.container(horizontal=True, gap="small", key=f"range-row-{path}")
    for key, name in zip((f"{path}.low", path, f"{path}.high"), ("Low", "Likely", "High"),
                         strict=True):
        row.number_input(f"{name}: {text}", key=key, label_visibility="collapsed",
                         placeholder=name.lower(), disabled=common["disabled"],
                         help=f"{name} value of the range", persist_state="page",
                         width="stretch", **kw)


DISTRIBUTIONS = ("triangular", "uniform", "pert")


def range_picker(items: list[tuple[FieldSpec, str]], key: str, cur: str) -> None:
    """One control for a section: which of its numbers are ranges (low / likely / high)
    instead of one number, and how they are sampled. Compact: no button under every
    field."""
    ss = ui_state
    paths = {path: spec for spec, path in items if spec.ranged}
    if not paths:
        return
    ss[key] = [p for p in paths if ss.get(f"range:{p}")]

    def apply() -> None:
        chosen = set(ss.get(key) or [])
        for p in paths:
            if p in chosen and not ss.get(f"range:{p}"):
                S.make_range(ss, p)
            elif p not in chosen and ss.get(f"range:{p}"):
                S.drop_range(ss, p)

    st.multiselect("Unsure? Give these as ranges", list(paths), key=key, on_change=apply,
                   format_func=lambda p: label(paths[p], cur),
                   placeholder="none: one number each", help="Each input picked here takes "
                   "a low, a likely and a high value: the plain report uses the likely one, "
                   "the Risk & timing tab samples between low and high.")
    ranged = [p for p in paths if ss.get(f"range:{p}")]
    if ranged:
        kinds = {ss.get(f"{p}.distribution", "triangular") for p in ranged}
        ss[f"{key}.dist"] = kinds.pop() if len(kinds) == 1 else "mixed"

        def set_dist() -> None:
            chosen = ss.get(f"{key}.dist")
            if chosen in DISTRIBUTIONS:
                for p in ranged:
                    ss[f"{p}.distribution"] = chosen

        st.segmented_control("Sampled as", [*DISTRIBUTIONS, "mixed"][: 3 if ss[f"{key}.dist"]
                                                                    != "mixed" else 4],
                             key=f"{key}.dist", on_change=set_dist, required=True,
                             help="How the risk view samples between low and high: "
                             "triangular (peaks at likely), uniform (every value as likely) "
                             "or PERT (a smooth peak at likely, thinner tails).")


def _month_input(text: str, path: str, common: dict[str, Any]) -> None:
    """A calendar month typed as YYYY-MM (a date in the state, first of the month)."""
    ss = ui_state
    box = f"text:{path}"
    value = ss.get(path)
    if box not in ss:
        ss[box] = (f"{value.year:04d}-{value.month:02d}"
                   if isinstance(value, _dt.date) else (value or ""))

    def parse() -> None:
        raw = (ss.get(box) or "").strip()
        ss[path] = raw or None     # the model checks the form and says what is wrong

    st.text_input(text, key=box, placeholder="YYYY-MM", on_change=parse,
                  help=common["help"], disabled=common["disabled"], max_chars=7,
                  persist_state="page")


def pairs(items: list[tuple[FieldSpec, str]], cur: str, problems: Problems,
          disabled: bool = False) -> None:
    """Fields two to a row; a range (a row of three boxes) takes a row of its own."""
    ss = ui_state
    k = 0
    while k < len(items):
        row = items[k:k + 2]
        if len(row) == 2 and not any(ss.get(f"range:{path}") for _, path in row):
            for col, (spec, path) in zip(st.columns(2, vertical_alignment="top"), row,
                                         strict=True):
                with col:
                    field(spec, path, cur, problems, disabled=disabled)
            k += 2
        else:
            field(*row[0], cur, problems, disabled=disabled)
            k += 1
