"""
PAL's strategy-based controllable generation as a `transformers` `LogitsProcessor`.

Stage 1, the first decoded token: the strategy. Logits are mixed as `(1 + a_sel) z_persona - a_sel z_plain`
(`a_sel` = `strategy_selection_alpha`, 0.075 in PAL), restricted to the strategy tokens, and the strategy is their
argmax (PAL), sampled (`sample_strategy=True`), or forced per row.
Stage 2, every later token: `(1 + a_s) z_persona - a_s z_plain` with `a_s` the alpha of the row's strategy; PAL's
added tokens are banned.

`z_persona` are the scores `generate()` hands the processor; `z_plain` are the logits of the same decoder reading the
plain, persona-free encoder states. `PalForConditionalGeneration` computes both in one batched decoder pass (its
cache holds both halves and follows beam reordering) and hands `z_plain` to the processor it is given.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from transformers import LogitsProcessor, PreTrainedConfig

# Per-strategy alpha of the strategy-based controllable generation, in `PAL_STRATEGIES` order.
STRATEGY_ALPHA_PRESETS: dict[str, tuple[float, ...]] = {
    # `strategy_alpha = nn.Parameter([0.5] * 8)` with `train_alpha=False`: what every released checkpoint holds.
    "released": (0.5,) * 8,
    # The alternative left commented out in the released code.
    "per-strategy": (0.0, 0.75, 0.0, 0.0, 0.75, 0.75, 0.75, 0.375),
    # No controllable generation: the paper's "PAL (alpha = 0)" ablation.
    "off": (0.0,) * 8,
}


def strategy_token(name: str) -> str:
    """The added token that stands for a strategy, e.g. `"Question"` -> `"[Question]"`."""
    return f"[{name}]"


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


def find_strategy(strategy_names: Sequence[str], name: str) -> int:
    """Index of a strategy given by name (`"Question"` or `"[Question]"`), with a clear error if unknown."""
    bare = name[1:-1] if isinstance(name, str) and name.startswith("[") and name.endswith("]") else name
    if bare not in strategy_names:
        raise ValueError(f"Unknown strategy {name!r}; the model knows: {list(strategy_names)}")
    return list(strategy_names).index(bare)


def mix_logits(z_persona: torch.Tensor, z_plain: torch.Tensor, alpha: float | torch.Tensor) -> torch.Tensor:
    """PAL's contrast `(1 + alpha) z_persona - alpha z_plain` (`alpha` a float or a `(rows, 1)` tensor)."""
    return (1 + alpha) * z_persona - alpha * z_plain


class PalStrategyControl(LogitsProcessor):
    r"""
    PAL's two-stage decoding. Pass it to `PalForConditionalGeneration.generate(logits_processor=[...])`, or let
    `generate()` build one from its `strategy=`, `strategy_alpha=`, `selection_alpha=` and `sample_strategy=`
    arguments. After generation, `strategy_scores` holds each row's strategy distribution and
    `strategies(sequences)` names each output row's strategy.

    Args:
        strategy_token_ids (`Sequence[int]`): token ids of the strategies, in `strategy_names` order.
        strategy_names (`Sequence[str]`): the strategy names.
        banned_token_ids (`Sequence[int]`): tokens banned from the response (PAL's added tokens).
        strategy_alpha (`str` or `Sequence[float]`): per-strategy alpha, or a preset name (`"released"`, ...).
        selection_alpha (`float`): alpha of the strategy choice.
        strategy (`str`, `None` or a list of them, one per input row): strategies to force; `None` lets PAL choose.
        sample_strategy (`bool`): sample the strategy from its distribution (when sampling) instead of its argmax.
    """

    is_pal_strategy_control = True  # recognised by `PalForConditionalGeneration.generate`, also across code copies

    def __init__(
        self,
        strategy_token_ids: Sequence[int],
        strategy_names: Sequence[str],
        banned_token_ids: Sequence[int],
        strategy_alpha: str | Sequence[float] = "released",
        selection_alpha: float = 0.075,
        strategy: str | None | Sequence[str | None] = None,
        sample_strategy: bool = False,
    ):
        self.strategy_token_ids = list(strategy_token_ids)
        self.strategy_names = list(strategy_names)
        self.banned_token_ids = list(banned_token_ids)
        self.strategy_alpha = resolve_strategy_alpha(strategy_alpha, len(self.strategy_names))
        self.selection_alpha = float(selection_alpha)
        self.sample_strategy = sample_strategy
        self.forced = self._resolve_forced(strategy)
        self.needs_plain_logits = any(a != 0 for a in self.strategy_alpha) or self.selection_alpha != 0
        # Set by `PalForConditionalGeneration.generate` before decoding starts:
        self.log_prob_scores = False  # beam search hands processors log-probabilities: renormalize after mixing
        self.plain_logits: torch.Tensor | None = None  # (rows, vocab), delivered by the model before each call
        self._tensors: dict[str, torch.Tensor] = {}
        self.strategy_scores: torch.Tensor | None = None  # (rows, num_strategies), filled at the strategy step;
        # a prefix that already holds the strategies (given by the caller) leaves it None

    @classmethod
    def from_config(cls, config: PreTrainedConfig, **kwargs) -> PalStrategyControl:
        """A processor with the model's strategies, banned tokens and alphas; `kwargs` override the alphas etc."""
        kwargs.setdefault("strategy_alpha", config.strategy_alpha)
        kwargs.setdefault("selection_alpha", config.strategy_selection_alpha)
        return cls(config.strategy_token_ids, config.strategy_names, config.added_token_ids, **kwargs)

    def _resolve_forced(self, strategy) -> list[int | None] | None:
        if strategy is None:
            return None
        names = [strategy] if isinstance(strategy, str) else list(strategy)
        forced = [None if name is None else find_strategy(self.strategy_names, name) for name in names]
        return forced

    def _tensor(self, name: str, values: list, device: torch.device, dtype: torch.dtype) -> torch.Tensor:
        """`values` as a tensor on `device`, made once per generation rather than at every step."""
        cached = self._tensors.get(name)
        if cached is None or cached.device != device or cached.dtype != dtype:
            cached = self._tensors[name] = torch.tensor(values, device=device, dtype=dtype)
        return cached

    def reset(self) -> None:
        """Forgets the previous generation (called by `generate()` before it decodes)."""
        self.plain_logits = None
        self.strategy_scores = None

    def _take_plain_logits(self, rows: int) -> torch.Tensor | None:
        if not self.needs_plain_logits:
            return None
        plain, self.plain_logits = self.plain_logits, None
        if plain is None or plain.shape[0] != rows:
            raise ValueError(
                "PalStrategyControl received no persona-free logits for this step: use it through "
                "`PalForConditionalGeneration.generate`, which computes them."
            )
        return plain

    def _forced_per_row(self, rows: int) -> list[int | None]:
        if self.forced is None:
            return [None] * rows
        if len(self.forced) == 1:
            return self.forced * rows
        if rows % len(self.forced):
            raise ValueError(f"{len(self.forced)} forced strategies given for a batch that decodes {rows} rows.")
        return [f for f in self.forced for _ in range(rows // len(self.forced))]

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        # input_ids: (rows, cur_len) decoder ids starting with the start token; scores: (rows, vocab)
        rows = input_ids.shape[0]
        plain = self._take_plain_logits(rows)
        strategy_ids = self._tensor("strategy_ids", self.strategy_token_ids, scores.device, torch.long)
        if input_ids.shape[1] == 1:  # stage 1: choose the strategy
            mixed = scores if plain is None else mix_logits(scores, plain.to(scores.dtype), self.selection_alpha)
            strategy_logits = mixed[:, strategy_ids]  # (rows, num_strategies)
            self.strategy_scores = strategy_logits.float().softmax(dim=-1)
            allowed = torch.zeros_like(strategy_logits, dtype=torch.bool)
            if not self.sample_strategy:
                allowed.scatter_(1, strategy_logits.argmax(dim=-1, keepdim=True), True)
            else:
                allowed[:] = True
            for row, index in enumerate(self._forced_per_row(rows)):
                if index is not None:
                    allowed[row] = False
                    allowed[row, index] = True
            processed = torch.full_like(scores, -float("inf"))
            processed[:, strategy_ids] = strategy_logits.masked_fill(~allowed, -float("inf"))
        else:  # stage 2: the response, contrasted with the strategy's alpha
            matches = input_ids[:, 1:2] == strategy_ids  # (rows, num_strategies)
            if self.strategy_scores is None and not bool(matches.any(dim=1).all()):
                raise ValueError("Every decoder prefix must be `[start, strategy token, ...]` under strategy control.")
            if plain is None:
                processed = scores.clone()
            else:
                # Rows without a strategy are beams beam search has already dropped (score -inf): alpha 0.
                table = self._tensor("alpha_table", [*self.strategy_alpha, 0.0], scores.device, scores.dtype)
                index = torch.where(matches.any(dim=1), matches.float().argmax(dim=1), len(self.strategy_alpha))
                processed = mix_logits(scores, plain.to(scores.dtype), table[index][:, None])
            processed[:, self.banned_token_ids] = -float("inf")
        return processed.log_softmax(dim=-1) if self.log_prob_scores else processed

    def strategies(self, sequences: torch.LongTensor) -> list[str]:
        """The strategy name of each generated sequence (its token after the start token)."""
        lookup = {token: name for token, name in zip(self.strategy_token_ids, self.strategy_names, strict=True)}
        return [lookup[int(token)] for token in sequences[:, 1]]


__all__ = [
    "STRATEGY_ALPHA_PRESETS",
    "PalStrategyControl",
    "find_strategy",
    "mix_logits",
    "resolve_strategy_alpha",
    "strategy_token",
]
