"""Build-vs-buy cost calculator for machine-learning features.

The public surface: load a scenario, run the engine, read the results. It is the model's
(:mod:`calculator.model`): the same names, loaded when the model loads them (the readings
of a scenario on first use).

>>> import calculator
>>> sorted(calculator.__all__)[:3]
['COMPONENTS', 'COMPONENT_LABELS', 'Comment']
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import model as _model

if TYPE_CHECKING:
    from .model import *  # noqa: F403 - the model's __all__ is the package's surface

__all__ = list(_model.__all__)
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    """The model's names (a star import here would load every reading at once)."""
    if name in _model.__all__:
        found = getattr(_model, name)
        globals()[name] = found
        return found
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
