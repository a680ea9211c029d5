"""
ESConv's eight support strategies as PAL uses them: their names and order, the added token of each, lookups between
names, tokens and ids, and the per-strategy alphas of strategy-based controllable generation (`strategy_alpha`).

The configurations (`PalConfig`, `PalLlamaConfig`) and the logits processor (`logits_processors.strategy_control`)
read them from here; this module imports nothing of PAL's.
"""

from __future__ import annotations

from collections.abc import Sequence

# In the order of ESConv's `strategy.json`. The order fixes the strategy ids (and, with PAL's tokenizer, the token ids
# `[Question]` .. `[Others]`), so it must never change.
PAL_STRATEGIES: tuple[str, ...] = (
    "Question",
    "Restatement or Paraphrasing",
    "Reflection of feelings",
    "Self-disclosure",
    "Affirmation and Reassurance",
    "Providing Suggestions",
    "Information",
    "Others",
)

# Per-strategy alpha of the strategy-based controllable generation, in `PAL_STRATEGIES` order.
STRATEGY_ALPHA_PRESETS: dict[str, tuple[float, ...]] = {
    # `strategy_alpha = nn.Parameter([0.5] * 8)` with `train_alpha=False`: what every released checkpoint holds.
    "released": (0.5,) * 8,
    # The alternative left commented out in the released code.
    "per-strategy": (0.0, 0.75, 0.0, 0.0, 0.75, 0.75, 0.75, 0.375),
    # No controllable generation: the paper's "PAL (alpha = 0)" ablation. "off" also sets the selection alpha to 0
    # (unless one is given explicitly): the strategy and every token come from the persona-aware view alone.
    "off": (0.0,) * 8,
}
OFF = "off"


def strategy_token(name: str) -> str:
    """The added token that stands for a strategy, e.g. `"Question"` -> `"[Question]"`."""
    return f"[{name}]"


def strategy_by_token_id(strategy_token_ids: Sequence[int], strategy_names: Sequence[str]) -> dict[int, str]:
    """`{token id: strategy name}` of a model's strategies (its config's `strategy_token_ids`, `strategy_names`)."""
    return dict(zip((int(t) for t in strategy_token_ids), strategy_names, strict=True))


def find_strategy(strategy_names: Sequence[str], name: str) -> int:
    """
    Index of a strategy given by name (`"Question"`, `"[Question]"`, `"question"`: case and surrounding spaces do not
    matter), with a clear error if unknown.
    """
    if not isinstance(name, str):
        raise ValueError(f"A strategy is given by name (a string), got {type(name).__name__}: {name!r}.")
    bare = name.strip()
    bare = bare[1:-1].strip() if bare.startswith("[") and bare.endswith("]") else bare
    folded = [known.casefold() for known in strategy_names]
    if bare.casefold() not in folded:
        raise ValueError(f"Unknown strategy {name!r}; the model knows: {list(strategy_names)}")
    return folded.index(bare.casefold())


def resolve_strategy_alpha(alpha: str | list[float] | tuple[float, ...], num_strategies: int = 8) -> list[float]:
    """Turns a preset name or a list of floats into a list of `num_strategies` floats, with a clear error."""
    if isinstance(alpha, str):
        if alpha not in STRATEGY_ALPHA_PRESETS:
            raise ValueError(
                f"Unknown strategy_alpha preset {alpha!r}; known presets: {sorted(STRATEGY_ALPHA_PRESETS)}"
            )
        alpha = STRATEGY_ALPHA_PRESETS[alpha]
    values = [float(a) for a in alpha]
    if len(values) != num_strategies:
        raise ValueError(f"strategy_alpha needs one value per strategy ({num_strategies}), got {len(values)}: {values}")
    return values


__all__ = [
    "OFF",
    "PAL_STRATEGIES",
    "STRATEGY_ALPHA_PRESETS",
    "find_strategy",
    "resolve_strategy_alpha",
    "strategy_by_token_id",
    "strategy_token",
]
