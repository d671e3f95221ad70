"""Closed option panels park their values: one key in the session state instead of forty.

Streamlit 1.67 builds the whole session state, reading every key, for each number box,
select box and text box it draws (``SessionState.filtered_state``), so every key costs
something on every such widget of every rerun. With the routing scenario's three options
that was 164 keys and 12 boxes: 8 ms of a 120 ms input change, growing as options x boxes.
An option whose panel is closed draws nothing. At the start of each run (:func:`settle`)
its values move into one dictionary under ``_parked`` (a box per option) and back when its
panel opens; a panel a problem opens brings its values back before it draws them
(:func:`unpark`).

:data:`ui_state` is ``st.session_state`` with the parked values in their places: the rest of
the UI reads and writes it as it would the session state and never needs to know what is
parked. An option's keys are the ones :func:`owner` names it for (``options.<name>.…``,
``has:``, ``range:``, ``mode:`` and ``ranges:`` of them); everything else is never parked.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, MutableMapping
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

PARKED = "_parked"
"""The session-state key of the boxes: option name -> {key: value}."""
_OWNED = ("options.", "has:options.", "range:options.", "mode:options.", "ranges:options.")
_MISSING = object()
_run = threading.local()


def owner(key: str) -> str | None:
    """The option ``key`` belongs to (``options.llm.accuracy`` -> ``llm``), else None."""
    for prefix in _OWNED:
        if key.startswith(prefix):
            return key[len(prefix):].split(".", 1)[0]
    return None


def _boxes() -> dict[str, dict[str, Any]]:
    """This session's boxes. Looked up once a run: Streamlit runs each script run in a
    thread of its own, with its own context (a session-state read costs about 10 µs, and a
    run reads a few hundred option keys)."""
    ctx = get_script_run_ctx()
    if ctx is not None and getattr(_run, "ctx", None) is ctx:
        return _run.boxes
    ss = st.session_state
    boxes = ss.get(PARKED)
    if boxes is None:
        boxes = {}
        ss[PARKED] = boxes
    if ctx is not None:
        _run.ctx, _run.boxes = ctx, boxes
    return boxes


def _box(key: str) -> dict[str, Any] | None:
    name = owner(key)
    return None if name is None else _boxes().get(name)


class Inputs(MutableMapping[str, Any]):
    """``st.session_state`` with the values of parked options in their places."""

    def __getitem__(self, key: str) -> Any:
        box = _box(key)
        return box[key] if box is not None else st.session_state[key]

    def get(self, key: str, default: Any = None) -> Any:
        box = _box(key)
        if box is not None:
            return box.get(key, default)
        return st.session_state.get(key, default)

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        box = _box(key)
        return key in box if box is not None else key in st.session_state

    def __setitem__(self, key: str, value: Any) -> None:
        box = _box(key)
        if box is not None:
            box[key] = value
        else:
            st.session_state[key] = value

    def __delitem__(self, key: str) -> None:
        name = owner(key)
        boxes = _boxes() if name is not None else {}
        box = boxes.get(name) if name is not None else None
        if box is None:
            del st.session_state[key]
            return
        del box[key]
        if not box:                  # an option removed while parked: nothing left of it
            del boxes[name]

    def __iter__(self) -> Iterator[str]:
        yield from [k for k in st.session_state if k != PARKED]
        for box in list(_boxes().values()):
            yield from list(box)

    def __len__(self) -> int:
        return sum(1 for _ in self)


ui_state = Inputs()


def snapshot() -> dict[str, Any]:
    """Every input's value in one plain dict: the session state, read once, with the parked
    values in their places (what :data:`ui_state` answers, key by key). For a reader of
    many values at once: collecting the scenario reads about a hundred, each a session-state
    read of about 10 µs through ``ui_state``, a dict lookup here."""
    out = st.session_state.to_dict()
    out.pop(PARKED, None)
    for box in _boxes().values():
        out.update(box)
    return out


def park(name: str, keys: Iterable[str] | None = None) -> None:
    """Move option ``name``'s values (its ``keys`` in the session state, by default all of
    them) into its box."""
    ss = st.session_state
    if keys is None:
        keys = [k for k in ss if owner(k) == name]
    box = _boxes().setdefault(name, {})
    for k in list(keys):
        box[k] = ss[k]
        del ss[k]


def unpark(name: str) -> None:
    """Bring option ``name``'s values back into the session state (before its widgets are
    drawn: a value set before its widget takes the widget's place)."""
    box = _boxes().pop(name, None)
    if box:
        ss = st.session_state
        for k, v in box.items():
            ss[k] = v


def settle(options: Iterable[str]) -> None:
    """At the start of a run, before anything reads or draws the inputs: park every option
    whose panel is closed, bring back every open one, forget the boxes of options that are
    gone. Values written straight into the session state for a parked option (a widget's
    own state, a test) join its box."""
    ss = st.session_state
    boxes = _boxes()
    names = list(options)
    for gone in [n for n in boxes if n not in names]:
        del boxes[gone]
    live: dict[str, list[str]] | None = None
    for name in names:
        if ss.get(f"panel:{name}", False):
            unpark(name)
            continue
        if live is None:            # one pass over the session state's keys
            live = {}
            for k in ss:
                n = owner(k)
                if n is not None:
                    live.setdefault(n, []).append(k)
        if live.get(name) or name not in boxes:
            park(name, live.get(name, []))
