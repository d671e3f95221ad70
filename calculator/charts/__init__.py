"""Altair charts and the one shared theme (no streamlit here): the plain report's charts over
the months (:mod:`.screen`), against traffic (:mod:`.traffic`) and of a hybrid's share
(:mod:`.share`), the risk view's (:mod:`.risk`) and the decision tools' (:mod:`.decide`)."""

from .screen import (
    TOTALS_LABELS,
    breakdown_chart,
    cumulative_chart,
    saving_chart,
    totals_columns,
    totals_frame,
)
from .share import share_chart
from .theme import KIND_COLORS, kind_colors, register_theme, to_spec
from .traffic import cost_per_1k_chart, volume_chart

__all__ = ["KIND_COLORS", "TOTALS_LABELS", "breakdown_chart", "cost_per_1k_chart",
           "cumulative_chart", "kind_colors", "register_theme", "saving_chart", "share_chart",
           "to_spec", "totals_columns", "totals_frame", "volume_chart"]
