"""
PAL's strategy-based controllable generation as a `transformers` logits processor (`strategy_control.py`, copied
into every exported PAL model folder beside the modeling file).
"""

# The processor reads its strategies from `modeling_pal.strategies`, and `modeling_pal` imports the processor:
# initialising `modeling_pal` first lets either package be imported first.
import modeling_pal  # noqa: F401, I001
from modeling_pal.strategies import STRATEGY_ALPHA_PRESETS, find_strategy, resolve_strategy_alpha

from .strategy_control import PalStrategyControl, mix_logits, setup_strategy_control

__all__ = [
    "STRATEGY_ALPHA_PRESETS",
    "PalStrategyControl",
    "find_strategy",
    "mix_logits",
    "resolve_strategy_alpha",
    "setup_strategy_control",
]
