"""Altair charts and the one shared theme (no streamlit here): the plain report's charts
(:mod:`.screen`), the risk view's (:mod:`.risk`) and the decision tools' (:mod:`.decide`)."""

from .screen import (
    TOTALS_LABELS,
    breakdown_chart,
    cost_per_1k_chart,
    cumulative_chart,
    saving_chart,
    totals_frame,
    volume_chart,
)
from .theme import KIND_COLORS, kind_colors, register_theme

__all__ = ["KIND_COLORS", "TOTALS_LABELS", "breakdown_chart", "cost_per_1k_chart",
           "cumulative_chart", "kind_colors", "register_theme", "saving_chart",
           "totals_frame", "volume_chart"]
