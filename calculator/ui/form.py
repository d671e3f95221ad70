"""Drawing one field: the widget its spec calls for, keyed by its scenario path, with the
model's bounds and the problems of that path next to it.

Everything a widget needs comes from the field registry: label, help, unit (which decides
the widget and its number format), bounds (the widget's min and max ARE the model's) and
step. A number that may be a range gets a small "±" popover beside it that turns it into
low / likely / high without taking a row of its own.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from typing import Any

import streamlit as st

from ..model.errors import Problem
from ..model.registry import FieldSpec
from ..model.wording import symbol
from . import state as S

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

_UNIT_SUFFIX = {"share": "0-1", "rate": "a year, 0-1", "change": "a year", "growth": "a month",
                "fte": "FTE", "fte_months": "person-months", "hours": "h"}


def label(spec: FieldSpec, currency: str) -> str:
    """The label with its unit: money in the scenario's currency."""
    text = spec.label
    if spec.unit == "money":
        text += f" ({symbol(currency) or currency})"
    elif spec.unit in _UNIT_SUFFIX and _UNIT_SUFFIX[spec.unit] not in text:
        text += f" ({_UNIT_SUFFIX[spec.unit]})"
    return text


def number_format(spec: FieldSpec, value: Any = None) -> str:
    if spec.integer:
        return "%d"
    if spec.unit in ("calls", "tokens", "labels", "units", "count"):
        return "%.0f"
    if spec.unit in ("share", "rate", "change", "growth"):
        return "%.3f" if (spec.step or 0.01) < 0.01 else "%.2f"
    if spec.unit == "money":
        small = isinstance(value, int | float) and 0 < abs(value) < 0.01
        return "%.6f" if small else "%.4f" if (spec.step or 1) < 0.01 else "%.2f"
    return "%.2f"


def _num_kwargs(spec: FieldSpec, value: Any) -> dict[str, Any]:
    b = spec.bounds
    assert b is not None
    if spec.integer:
        return {"min_value": int(b.low), "max_value": int(b.high), "step": int(spec.step or 1)}
    step = float(spec.step) if spec.step else (log_step(value) if spec.unit == "calls"
                                               else None)
    return {"min_value": float(b.low), "max_value": float(b.high), "step": step,
            "format": number_format(spec, value)}


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
    """The widget for ``spec`` keyed by ``path``; a "±" popover for a number that may be a
    range; the path's problems under it."""
    ss = st.session_state
    common: dict[str, Any] = {"key": path, "help": help or spec.help, "disabled": disabled}
    text = label(spec, cur)
    ranged = bool(ss.get(f"range:{path}"))
    if spec.bounds is not None:
        if spec.ranged and not disabled:
            left, right = st.columns([6, 1], vertical_alignment="bottom", gap="small")
            with left:
                _number(spec, path, text, common, ranged, placeholder)
            with right:
                _range_popover(spec, path, cur)
        else:
            _number(spec, path, text, common, ranged, placeholder)
        if ranged:
            low, high = ss.get(f"{path}.low"), ss.get(f"{path}.high")
            fmt = number_format(spec, ss.get(path))
            dist = ss.get(f"{path}.distribution", "triangular")
            if isinstance(low, int | float) and isinstance(high, int | float):
                st.caption(f"Range {fmt % low} to {fmt % high}, {dist}; the box is the likely "
                           "value.")
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


def _number(spec: FieldSpec, path: str, text: str, common: dict[str, Any], ranged: bool,
            placeholder: str | None) -> None:
    value = st.session_state.get(path)
    if spec.unit == "share" and not spec.optional and not ranged and value is not None:
        b = spec.bounds
        assert b is not None
        st.slider(text, min_value=float(b.low), max_value=float(b.high),
                  step=float(spec.step or 0.01), format=number_format(spec), **common)
        return
    if placeholder is None:
        placeholder = "empty" if spec.optional else "type a number"
    label_text = f"{text} (likely)" if ranged else text
    st.number_input(label_text, placeholder=placeholder, **_num_kwargs(spec, value), **common)


def _range_popover(spec: FieldSpec, path: str, cur: str) -> None:
    ss = st.session_state
    ranged = bool(ss.get(f"range:{path}"))
    pop = st.popover("±", key=f"pop:{path}", on_change="rerun", width="stretch",
                     type="primary" if ranged else "secondary",
                     help="Unsure? Give a low and a high value: the plain report uses the "
                     "box's (likely) value, the risk view samples between low and high.")
    if not pop.open:     # drawn only when opened: a closed popover costs the server nothing
        return
    with pop:
        if not ranged:
            st.markdown(f"**{md(spec.label)}** is one number now.")
            st.button("Make it a range", key=f"range-on:{path}", on_click=S.make_range,
                      args=(ss, path), icon=":material/add:",
                      disabled=ss.get(path) is None)
            return
        kw = _num_kwargs(spec, ss.get(path))
        c1, c2 = st.columns(2)
        c1.number_input("Low", key=f"{path}.low", **kw)
        c2.number_input("High", key=f"{path}.high", **kw)
        st.selectbox("Distribution", ("triangular", "uniform", "pert"),
                     key=f"{path}.distribution", help="How the risk view samples between "
                     "low and high: triangular (peaks at likely), uniform (every value as "
                     "likely) or PERT (a smooth peak at likely, thinner tails).")
        st.button("Use one number", key=f"range-off:{path}", on_click=S.drop_range,
                  args=(ss, path), icon=":material/remove:")


def _month_input(text: str, path: str, common: dict[str, Any]) -> None:
    """A calendar month typed as YYYY-MM (a date in the state, first of the month)."""
    ss = st.session_state
    box = f"text:{path}"
    value = ss.get(path)
    if box not in ss:
        ss[box] = (f"{value.year:04d}-{value.month:02d}"
                   if isinstance(value, _dt.date) else (value or ""))

    def parse() -> None:
        raw = (ss.get(box) or "").strip()
        ss[path] = raw or None     # the model checks the form and says what is wrong

    st.text_input(text, key=box, placeholder="YYYY-MM, e.g. 2027-01", on_change=parse,
                  help=common["help"], disabled=common["disabled"], max_chars=7)


def pairs(items: list[tuple[FieldSpec, str]], cur: str, problems: Problems,
          disabled: bool = False) -> None:
    """Fields two to a row."""
    for k in range(0, len(items), 2):
        row = items[k:k + 2]
        if len(row) == 1:
            field(*row[0], cur, problems, disabled=disabled)
            continue
        for col, (spec, path) in zip(st.columns(2, vertical_alignment="top"), row, strict=True):
            with col:
                field(spec, path, cur, problems, disabled=disabled)
