"""PAL's strategy-based controllable generation as `transformers` logits processors.

The source, `strategy_control.py`, also travels inside every exported PAL model folder; the names here are the very
objects the installed `modeling_pal` package uses.
"""

from modeling_pal.strategy_control import (
    STRATEGY_ALPHA_PRESETS,
    PalStrategyControl,
    find_strategy,
    mix_logits,
    resolve_strategy_alpha,
)

__all__ = ["STRATEGY_ALPHA_PRESETS", "PalStrategyControl", "find_strategy", "mix_logits", "resolve_strategy_alpha"]
