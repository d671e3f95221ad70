"""Drawing one field: the widget keyed by its scenario path, and its problems next to it."""

from __future__ import annotations

import math
import re
from typing import Any

import streamlit as st

from ..model.story import calls
from . import state as S
from .fields import Field

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=])")


def md(text: Any) -> str:
    """Text shown literally in markdown (labels, headings, the headline): no links, no
    emphasis, no LaTeX from ``$``, no ``:color[...]`` directives, no HTML."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


class Problems:
    """Validation problems by field path, each shown once, next to its widget."""

    def __init__(self, problems: list[str]):
        self.all = list(problems)
        self._left = list(problems)

    @staticmethod
    def path_of(problem: str) -> str:
        head = problem.split(": ", 1)[0]
        return head if " " not in head else ""

    def show(self, path: str, exact: bool = False) -> None:
        hits = [p for p in self._left
                if (self.path_of(p) == path
                    or (not exact and self.path_of(p).startswith(path + ".")))]
        for p in hits:
            self._left.remove(p)
            st.error(md(p), icon=":material/error:")


def label(f: Field, cur: str) -> str:
    """The label with its currency. Labels are our own text plus names the loader has
    checked ([a-z0-9_-]); only the currency is free text, so only it is escaped."""
    return f.label.replace("{cur}", md(cur))


def field(f: Field, path: str, cur: str, problems: Problems, disabled: bool = False,
          **extra: Any) -> None:
    """The widget for ``f`` keyed by ``path`` (three inputs when it holds a range)."""
    ss = st.session_state
    if f"{path}.likely" in ss:
        _range(f, path, cur, disabled)
    else:
        _widget(f, path, cur, disabled, **extra)
        if S.can_range(path, f.widget) and ss.get(path) is not None:
            st.button("Make it a range (low / likely / high)", key=f"range:{path}",
                      type="tertiary", icon=":material/add:", on_click=S.make_range,
                      args=(ss, path), disabled=disabled,
                      help="Unsure of this number? Give a low, likely and high value: the "
                      "plain report keeps using the likely one, the Risk & timing tab "
                      "samples between low and high.")
    problems.show(path)


def pairs(items: list[tuple[Field, str]], cur: str, problems: Problems,
          disabled: bool = False) -> None:
    """Fields two to a row; a range (three inputs of its own) takes a full row."""
    ss = st.session_state
    i = 0
    while i < len(items):
        pair = items[i:i + 2]
        if len(pair) == 2 and not any(f"{path}.likely" in ss for _, path in pair):
            cols = st.columns(2, vertical_alignment="bottom")
            for col, (f, path) in zip(cols, pair, strict=True):
                with col:
                    field(f, path, cur, problems, disabled=disabled)
            i += 2
        else:
            field(*pair[0], cur, problems, disabled=disabled)
            i += 1


def _number_kwargs(f: Field) -> dict[str, Any]:
    if f.widget == "int":
        return {"min_value": int(f.min) if f.min is not None else None,
                "max_value": int(f.max) if f.max is not None else None,
                "step": int(f.step or 1)}
    return {"min_value": f.min, "max_value": f.max, "step": f.step, "format": f.fmt}


def _widget(f: Field, path: str, cur: str, disabled: bool, **extra: Any) -> None:
    common = {"key": path, "help": f.help, "disabled": disabled, "persist_state": "page"}
    text = label(f, cur)
    if f.widget in ("number", "int"):
        placeholder = extra.pop("placeholder", "empty" if f.optional else None)
        st.number_input(text, placeholder=placeholder, **_number_kwargs(f), **common, **extra)
    elif f.widget == "share":
        st.slider(text, min_value=float(f.min or 0.0), max_value=float(f.max or 1.0),
                  step=f.step, format=f.fmt, **common)
    elif f.widget == "select":
        options = list(extra.pop("options", f.options))
        current = st.session_state.get(path)
        if current not in options:
            options.append(current)
        st.selectbox(text, options, format_func=extra.pop("format_func", str), **common)
    elif f.widget == "text":
        st.text_input(text, max_chars=120, **common)
    elif f.widget == "textarea":
        st.text_area(text, max_chars=4000, height=90, **common)
    elif f.widget == "date":
        st.date_input(text, format="YYYY-MM-DD", **common)
    elif f.widget == "toggle":
        st.toggle(text, **common)
    elif f.widget == "calls":
        calls_control(f, path, common)
    else:  # pragma: no cover - a typo in fields.py
        raise ValueError(f"unknown widget {f.widget}")


def _range(f: Field, path: str, cur: str, disabled: bool) -> None:
    ss = st.session_state
    dist = ss.get(f"{path}.distribution", "triangular")
    st.markdown(f":small[{label(f, cur)}]", help=f"{f.help} This field is a range "
                f"({dist}): the plain report uses the likely value, the risk view samples "
                "between low and high.")
    cols = st.columns(3)
    kw = _number_kwargs(f)
    for col, part in zip(cols, ("low", "likely", "high"), strict=True):
        col.number_input(f"{part}", key=f"{path}.{part}", disabled=disabled,
                         persist_state="page", **kw)
    ss.setdefault(f"{path}.distribution", "triangular")
    st.selectbox("Distribution", ("triangular", "uniform", "pert"), key=f"{path}.distribution",
                 disabled=disabled, persist_state="page",
                 help="How the risk view samples between low and high: triangular (peaks "
                 "at likely), uniform (every value as likely) or PERT (a smooth peak at "
                 "likely, thinner tails).")
    st.button("Use one number (the likely value)", key=f"drop:{path}", type="tertiary",
              icon=":material/remove:",
              on_click=S.drop_range, args=(ss, path), disabled=disabled)


# -- calls per month: one number input whose step follows the figure's size ------------------

def log_step(value: float | None) -> float:
    """The +/- step for a traffic figure: a tenth of its order of magnitude, so a click
    moves 1-10 % whatever the size (400,000 -> 10,000; 2,000,000 -> 100,000).

    >>> log_step(400_000), log_step(2_000_000), log_step(7)
    (10000.0, 100000.0, 1.0)
    """
    if not value or value < 10:
        return 1.0
    return float(10 ** (math.floor(math.log10(value)) - 1))


def calls_control(f: Field, path: str, common: dict[str, Any]) -> None:
    """Calls per month: ONE widget holding the value. (A slider mirrored by an exact-figure
    box lost typed figures: the other widget's stale value, sent with the next input before
    the page caught up, overwrote them. Log-friendliness comes from the step instead.)"""
    value = st.session_state.get(path)
    step = log_step(value)
    st.number_input(f.label, min_value=f.min, max_value=f.max, step=step, format="%.0f",
                    **common)
    if value:
        st.caption(f"{calls(value)} calls a month; − / + move by {step:,.0f}. Type any "
                   "figure.")
