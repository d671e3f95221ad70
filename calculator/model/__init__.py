"""The pure model: scenario types, the safe loader, the vectorised engine and its readings.

Imports numpy, pandas, pydantic, yaml and genai_prices only: never streamlit, altair or the
UI. ``__all__`` is what the other layers import; an import-linter contract keeps them from
reaching into the modules.
"""

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
from .comments import Comment, comments_of
from .dump import dumps_scenario, to_data
from .engine import COMPONENT_LABELS, COMPONENTS, PARTS, Result, evaluate, steady_monthly_cost
from .errors import Problem, ScenarioError
from .numbers import Range, likely
from .params import Params, leaves, ranged_fields
from .registry import FieldSpec, fields_of, resolve
from .scenario import Scenario
from .sweeps import paybacks, share_sweep
from .yamlio import load_scenario, loads_scenario, read_file, validate

__all__ = [
    "COMPONENTS", "COMPONENT_LABELS", "PARTS", "Comment", "Crossover", "FieldSpec", "Params",
    "Problem", "Range", "Result", "Scenario", "ScenarioError", "break_even", "comments_of",
    "comparable", "crossing", "crossovers", "dumps_scenario", "evaluate", "expected_totals",
    "fields_of", "leaves", "likely", "load_scenario", "loads_scenario", "paybacks",
    "ranged_fields", "read_file", "report", "resolve", "share_sweep", "steady_monthly_cost",
    "to_data", "totals", "validate",
]
