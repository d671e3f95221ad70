"""Build-vs-buy cost calculator for machine-learning features.

The public surface: load a scenario, run the engine, read the results.

>>> import calculator
>>> sorted(calculator.__all__)[:3]
['COMPONENTS', 'COMPONENT_LABELS', 'Comment']
"""

from .model import *  # noqa: F403 - the model's __all__ is the package's surface
from .model import __all__ as _model_all

__all__ = list(_model_all)
__version__ = "0.1.0"
