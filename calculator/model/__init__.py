"""The pure model: scenario types, the safe loader, the vectorised engine and its readings.

Imports numpy, pandas, pydantic and yaml only: never streamlit, altair or the UI.
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
from .engine import COMPONENT_LABELS, COMPONENTS, Result, evaluate, steady_monthly_cost
from .errors import ScenarioError
from .numbers import Range, likely
from .params import Params, ranged_fields
from .scenario import Scenario
from .yamlio import dumps_scenario, load_scenario, loads_scenario, to_data, validate

__all__ = [
    "COMPONENTS", "COMPONENT_LABELS", "Crossover", "Params", "Range", "Result", "Scenario",
    "ScenarioError", "break_even", "comparable", "crossing", "crossovers", "dumps_scenario",
    "evaluate", "expected_totals", "likely", "load_scenario", "loads_scenario",
    "ranged_fields", "report", "steady_monthly_cost", "to_data", "totals", "validate",
]
