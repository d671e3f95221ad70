"""The pure model: scenario types, the safe loader, the vectorised engine and its readings.

Imports numpy, pandas, pydantic, yaml and genai_prices only: never streamlit, altair or the
UI.

``__all__`` is the model's one public surface: what the other layers (``calculator.ui``,
``calculator.charts``, ``calculator.export``, the command line, the text report, the share
link, the benchmark, ``app.py`` and :mod:`calculator` itself) import from the model. They
import it from here, never from a module in here: an import-linter contract in
pyproject.toml forbids it, and tests/test_layering.py keeps that contract's list equal to
the modules in here, so a new module is covered the day it is added.

Two modules are namespaces the other layers may import whole, by choice: :mod:`.catalog`
(the bundled genai-prices data: ``catalog.lookup``, ``catalog.models_of``,
``catalog.provider``...) and :mod:`.gpus` (the dated table of serving instances:
``gpus.instance``, ``gpus.instances``). Their functions are named to be read with the
module's name (``lookup``, ``model``, ``provider``, ``instance`` alone say nothing, and both
modules have a ``lookup``); re-exporting them would mean renaming them. Everything else is
re-exported by name.

The scenario, the loader and the engine load with the package (the app's first screen needs
them). The readings made from a scenario (the Decision and its texts, the risk simulation,
the decision tools, the wording helpers) load on first use, through :func:`__getattr__`:
``import calculator.model`` costs what it did before they were re-exported here.

:func:`decision_of` is :func:`.decision.decide` (a Scenario -> its Decision). It cannot be
re-exported as ``decide``: that is the name of the decision tools' module (:mod:`.decide`),
and importing a module rebinds the package's attribute of that name. No name here is the
name of a module in here (tests/test_layering.py checks it).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .analysis import (
    Crossover,
    break_even,
    comparable,
    crossing,
    crossovers,
    expected_totals,
    report,
    totals,
)
from .comments import Comment, comments_of, sources
from .dump import dumps_scenario, to_data
from .engine import (
    COMPONENT_LABELS,
    COMPONENTS,
    PARTS,
    Result,
    evaluate,
    genai_prices,
    steady_monthly_cost,
)
from .errors import Problem, ScenarioError
from .numbers import Range, likely
from .options import KIND_MODELS, HybridOption, InHouseOption, Tier, VendorOption
from .params import DEFAULT_SEED, Params, leaves, ranged_fields
from .registry import FieldSpec, fields_of, is_name, resolve
from .scenario import MAX_OPTIONS, Quality, Scenario, Traffic
from .sweeps import paybacks, share_sweep
from .yamlio import load_scenario, loads_scenario, read_file, validate

if TYPE_CHECKING:   # loaded on first use (see _LAZY); imported here for type checkers
    from .decide import thresholds
    from .decide_compare import compare
    from .decide_map import DecisionMap, decision_map
    from .decide_rows import (
        MEASURE_TITLE,
        NO_CHANGE,
        NO_FLIP,
        THRESHOLDS_TITLE,
        VOI_INTRO,
        compare_input_rows,
        compare_title,
        compare_total_rows,
        map_caption,
        map_title,
        measure_next,
        threshold_rows,
        threshold_sentences,
        thresholds_intro,
        voi_rest,
        voi_rows,
    )
    from .decide_text import compare_table, thresholds_table, voi_basis, voi_table
    from .decide_voi import value_of_information
    from .decision import Decision, totals_by_option
    from .decision import decide as decision_of
    from .headline import share_caveat
    from .input_labels import input_label, input_unit, input_value
    from .risk import simulate_report
    from .risk_text import simulate_table
    from .texts import path_label
    from .wording import (
        KIND_LABELS,
        KIND_NAMES,
        amount,
        calls,
        capital,
        money,
        month,
        months,
        pct,
        share_of_draws,
        symbol,
        value,
    )

_LAZY: dict[str, tuple[str, str]] = {
    # name here: (module in here, its name there)
    "Decision": ("decision", "Decision"),
    "decision_of": ("decision", "decide"),
    "totals_by_option": ("decision", "totals_by_option"),
    "path_label": ("texts", "path_label"),
    "share_caveat": ("headline", "share_caveat"),
    "input_label": ("input_labels", "input_label"),
    "input_unit": ("input_labels", "input_unit"),
    "input_value": ("input_labels", "input_value"),
    "simulate_report": ("risk", "simulate_report"),
    "simulate_table": ("risk_text", "simulate_table"),
    "thresholds": ("decide", "thresholds"),
    "DecisionMap": ("decide_map", "DecisionMap"),
    "decision_map": ("decide_map", "decision_map"),
    "value_of_information": ("decide_voi", "value_of_information"),
    "compare": ("decide_compare", "compare"),
    "thresholds_table": ("decide_text", "thresholds_table"),
    "compare_table": ("decide_text", "compare_table"),
    "voi_table": ("decide_text", "voi_table"),
    "voi_basis": ("decide_text", "voi_basis"),
    # the decision tools as the app, the memo and the deck show them
    **{name: ("decide_rows", name) for name in (
        "MEASURE_TITLE", "NO_CHANGE", "NO_FLIP", "THRESHOLDS_TITLE", "VOI_INTRO",
        "compare_input_rows", "compare_title", "compare_total_rows", "map_caption",
        "map_title", "measure_next", "threshold_rows", "threshold_sentences",
        "thresholds_intro", "voi_rest", "voi_rows")},
    **{name: ("wording", name) for name in (
        "KIND_LABELS", "KIND_NAMES", "amount", "calls", "capital", "money", "month", "months",
        "pct", "share_of_draws", "symbol", "value")},
}


def __getattr__(name: str) -> Any:
    """A reading's name, its module imported on first use (PEP 562)."""
    try:
        module, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    found = getattr(importlib.import_module(f".{module}", __name__), attr)
    globals()[name] = found
    return found


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


__all__ = [
    "COMPONENTS", "COMPONENT_LABELS", "DEFAULT_SEED", "KIND_LABELS", "KIND_MODELS",
    "KIND_NAMES", "MAX_OPTIONS", "MEASURE_TITLE", "NO_CHANGE", "NO_FLIP", "PARTS",
    "THRESHOLDS_TITLE", "VOI_INTRO", "Comment", "Crossover", "Decision", "DecisionMap",
    "FieldSpec", "HybridOption", "InHouseOption", "Params", "Problem", "Quality", "Range",
    "Result", "Scenario", "ScenarioError", "Tier", "Traffic", "VendorOption", "amount",
    "break_even", "calls", "capital", "comments_of", "comparable", "compare", "compare_input_rows",
    "compare_table", "compare_title", "compare_total_rows", "crossing", "crossovers",
    "decision_map", "decision_of", "dumps_scenario", "evaluate", "expected_totals",
    "fields_of", "genai_prices", "input_label", "input_unit", "input_value", "is_name",
    "leaves", "likely", "load_scenario", "loads_scenario", "map_caption", "map_title",
    "measure_next", "money", "month", "months", "path_label", "paybacks", "pct",
    "ranged_fields", "read_file", "report", "resolve", "share_caveat", "share_of_draws",
    "share_sweep", "simulate_report", "simulate_table", "sources", "steady_monthly_cost",
    "symbol", "threshold_rows", "threshold_sentences", "thresholds", "thresholds_intro",
    "thresholds_table", "to_data", "totals", "totals_by_option", "validate", "value",
    "value_of_information", "voi_basis", "voi_rest", "voi_rows", "voi_table",
]
