"""
PAL's strategy-based controllable generation as a `transformers` `LogitsProcessor`.

Stage 1, the first decoded token: the strategy. Logits are mixed as `(1 + a_sel) z_persona - a_sel z_plain`
(`a_sel` = `strategy_selection_alpha`, 0.075 in PAL), restricted to the strategy tokens, and the strategy is their
argmax (PAL), sampled (`sample_strategy=True`), or forced per row.
Stage 2, every later token: `(1 + a_s) z_persona - a_s z_plain` with `a_s` the alpha of the row's strategy; PAL's
added tokens are banned.

`z_persona` are the scores `generate()` hands the processor; `z_plain` are the logits of the same model reading the
persona-free view: the plain encoder states (`PalForConditionalGeneration`) or the prompt without its persona messages
(`PalLlamaForCausalLM`). Both models compute the two views in one batched pass (their cache holds both halves and
follows beam reordering) and hand `z_plain` to the processor of the current `generate` call. `setup_strategy_control`
is the one place that prepares a generation under strategy control, for both models; it starts every call afresh
(`PalStrategyControl.begin`), so a processor carries nothing from one `generate` call into the next.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from typing import Any

import torch
from transformers import (
    GenerationConfig,
    LogitsProcessor,
    LogitsProcessorList,
    PreTrainedConfig,
    RepetitionPenaltyLogitsProcessor,
)
from transformers.cache_utils import Cache, EncoderDecoderCache

from .strategies import OFF, find_strategy, resolve_strategy_alpha, strategy_by_token_id


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
        selection_alpha (`float`): alpha of the strategy choice (with `strategy_alpha="off"` and `None`: 0).
        strategy (`str`, `None` or a list of them, one per input row): strategies to force; `None` lets PAL choose.
        sample_strategy (`bool`): sample the strategy from its distribution (when sampling) instead of its argmax.
    """

    is_pal_strategy_control = True  # recognised by `setup_strategy_control`, also across code copies

    def __init__(
        self,
        strategy_token_ids: Sequence[int],
        strategy_names: Sequence[str],
        banned_token_ids: Sequence[int],
        strategy_alpha: str | Sequence[float] = "released",
        selection_alpha: float | None = 0.075,
        strategy: str | None | Sequence[str | None] = None,
        sample_strategy: bool = False,
    ):
        self.strategy_token_ids = list(strategy_token_ids)
        self.strategy_names = list(strategy_names)
        self.banned_token_ids = list(banned_token_ids)
        self.strategy_alpha = resolve_strategy_alpha(strategy_alpha, len(self.strategy_names))
        off = isinstance(strategy_alpha, str) and strategy_alpha == OFF
        self.selection_alpha = 0.0 if off and selection_alpha is None else float(selection_alpha)
        self.sample_strategy = sample_strategy
        self.forced = self._resolve_forced(strategy)
        self._tensors: dict[str, torch.Tensor] = {}
        self.begin(two_view=self.needs_plain_logits, prefix_length=1)

    @property
    def needs_plain_logits(self) -> bool:
        """Whether these alphas contrast anything (all of them 0: the persona-aware logits are used as they are)."""
        return any(a != 0 for a in self.strategy_alpha) or self.selection_alpha != 0

    def begin(self, two_view: bool, prefix_length: int, log_prob_scores: bool = False) -> None:
        """
        Starts a generation (called by `setup_strategy_control`): everything of an earlier call is forgotten.

        Args:
            two_view: whether the model hands persona-free logits before each step (a model without a persona
                has no second view; alphas then have nothing to contrast).
            prefix_length: length of the prefix the strategy follows (1: an encoder-decoder's start token; the
                prompt length for a decoder-only model), i.e. the column of the strategy token.
            log_prob_scores: beam search hands processors log-probabilities: renormalize after mixing.
        """
        self.two_view = two_view and self.needs_plain_logits
        self.prefix_length = prefix_length
        self.log_prob_scores = log_prob_scores
        self.plain_logits: torch.Tensor | None = None  # (rows, positions, vocab): see `receive_plain_logits`
        self.plain_end = 0
        self.strategy_scores: torch.Tensor | None = None  # (rows, num_strategies), filled at the strategy step;
        # a prefix that already holds the strategies (given by the caller) leaves it None

    @classmethod
    def from_config(cls, config: PreTrainedConfig, **kwargs) -> PalStrategyControl:
        """A processor with the model's strategies, banned tokens and alphas; `kwargs` override the alphas etc."""
        kwargs.setdefault("strategy_alpha", config.strategy_alpha)
        off = isinstance(kwargs["strategy_alpha"], str) and kwargs["strategy_alpha"] == OFF
        kwargs.setdefault("selection_alpha", None if off else config.strategy_selection_alpha)
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

    def receive_plain_logits(self, logits: torch.Tensor, end: int) -> None:
        """
        Called by the model's two-view forward: the persona-free logits `(rows, positions, vocab)` of its last
        positions, the last one being that of column `end - 1` (it scores the token of column `end`). One step reads
        one position; assisted decoding's verification pass reads several.
        """
        self.plain_logits, self.plain_end = logits, end

    def _plain_logits_for(self, input_ids: torch.LongTensor) -> torch.Tensor | None:
        """The persona-free logits that score the token after `input_ids` (rows, vocab)."""
        if not self.two_view:
            return None
        plain = self.plain_logits
        index = None if plain is None else input_ids.shape[1] - self.plain_end + plain.shape[1] - 1
        if plain is None or plain.shape[0] != input_ids.shape[0] or not 0 <= index < plain.shape[1]:
            raise ValueError(
                "PalStrategyControl received no persona-free logits for this step: use it through a PAL model's "
                "`generate`, which computes them."
            )
        return plain[:, index]

    def _forced_per_row(self, rows: int) -> list[int | None]:
        if self.forced is None:
            return [None] * rows
        if len(self.forced) == 1:
            return self.forced * rows
        if rows % len(self.forced):
            raise ValueError(f"{len(self.forced)} forced strategies given for a batch that decodes {rows} rows.")
        return [f for f in self.forced for _ in range(rows // len(self.forced))]

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        # input_ids: (rows, cur_len) the prefix (start token or prompt), then what is decoded; scores: (rows, vocab)
        rows = input_ids.shape[0]
        plain = self._plain_logits_for(input_ids)
        strategy_ids = self._tensor("strategy_ids", self.strategy_token_ids, scores.device, torch.long)
        if input_ids.shape[1] == self.prefix_length:  # stage 1: choose the strategy
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
            column = self.prefix_length
            matches = input_ids[:, column : column + 1] == strategy_ids  # (rows, num_strategies)
            if self.strategy_scores is None and not bool(matches.any(dim=1).all()):
                raise ValueError("Under strategy control, the token after the prefix must be a strategy token.")
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
        """The strategy name of each generated sequence of the last call (its token after the prefix)."""
        lookup = strategy_by_token_id(self.strategy_token_ids, self.strategy_names)
        return [lookup[int(token)] for token in sequences[:, self.prefix_length]]


def persona_half(states: tuple[torch.Tensor, ...] | None, rows: int) -> tuple[torch.Tensor, ...] | None:
    """The persona-aware rows `[0, rows)` of each tensor a two-view pass returns (attentions, hidden states)."""
    return None if states is None else tuple(state[:rows] for state in states)


class TwoViewGenerationMixin:
    """
    What `generate()` needs to know of a model that runs both views in one batched pass (rows `[0, n)` persona-aware,
    `[n, 2n)` persona-free, in one cache of any `cache_implementation`: dynamic, static, offloaded, ...).
    """

    @staticmethod
    def _reorder_cache(cache: Cache, beam_idx: torch.LongTensor) -> Cache:
        """Beam search's cache reordering; a two-view cache holds twice the beams' rows, both halves reordered alike."""
        self_attention = cache.self_attention_cache if isinstance(cache, EncoderDecoderCache) else cache
        rows = beam_idx.shape[0]
        if self_attention.layers[0].keys.shape[0] == 2 * rows:
            beam_idx = torch.cat([beam_idx, beam_idx + rows])
        cache.reorder_cache(beam_idx)
        return cache

    def prepare_inputs_for_generation(self, *args, strategy_control: PalStrategyControl | None = None, **kwargs):
        inputs = super().prepare_inputs_for_generation(*args, strategy_control=strategy_control, **kwargs)
        if strategy_control is not None and strategy_control.two_view:
            # A compileable (static) cache gets a 4D mask built for n rows; the two-view pass builds its own masks,
            # for 2n rows, from the 2D one.
            key = "decoder_attention_mask" if self.config.is_encoder_decoder else "attention_mask"
            inputs[key] = kwargs.get(key)
        return inputs


# Settings of sampling that greedy decoding and beam search do not read, with the values that switch them off.
NEUTRAL_SAMPLING = {"temperature": 1.0, "top_p": 1.0, "top_k": 50}


def settle_decoding_options(
    generate_kwargs: Mapping[str, Any], generation_config: GenerationConfig, prompt_length: int
) -> dict[str, Any]:
    """
    `generate()`'s kwargs with the settings a caller gives winning over the model's defaults they contradict (which
    `generate()` would otherwise warn about and, for lengths, ignore): a `max_length` (`min_length`) against a default
    `max_new_tokens` (`min_new_tokens`) becomes the same number of new tokens after the `prompt_length` tokens
    decoding starts from, and `do_sample=False` switches the default sampling settings off.
    """
    kwargs = dict(generate_kwargs)
    for total, new, least in (("max_length", "max_new_tokens", 1), ("min_length", "min_new_tokens", 0)):
        if kwargs.get(total) is not None and new not in kwargs and getattr(generation_config, new) is not None:
            kwargs[new] = max(least, kwargs.pop(total) - prompt_length)
    if kwargs.get("do_sample") is False:
        for name, value in NEUTRAL_SAMPLING.items():
            kwargs.setdefault(name, value)
    return kwargs


def plain_generate_kwargs(
    generation_config: GenerationConfig,
    logits_processor: LogitsProcessorList | list | None,
    generate_kwargs: Mapping[str, Any],
    prompt_length: int,
    strategy_options: Mapping[str, Any],
) -> dict[str, Any]:
    """
    The kwargs of a `generate(..., use_strategy_control=False)` call (plain `transformers` generation), settled as
    `settle_decoding_options` does. Strategy options (`strategy_options` not `None`, a `PalStrategyControl` among the
    processors) are refused: nothing would apply them.
    """
    given = [p for p in logits_processor or [] if getattr(p, "is_pal_strategy_control", False)]
    if given or any(v is not None for v in strategy_options.values()):
        raise ValueError("Strategy options were given with `use_strategy_control=False`.")
    return settle_decoding_options(generate_kwargs, generation_config, prompt_length)


def setup_strategy_control(
    config: PreTrainedConfig,
    generation_config: GenerationConfig | None,
    logits_processor: LogitsProcessorList | list | None,
    generate_kwargs: dict[str, Any],
    *,
    two_view: bool,
    prefix_length: int,
    strategy: str | list[str | None] | None = None,
    strategy_alpha: str | list[float] | None = None,
    selection_alpha: float | None = None,
    sample_strategy: bool = False,
    processor_order: str = "original",
) -> tuple[PalStrategyControl, LogitsProcessorList, GenerationConfig, dict[str, Any]]:
    """
    Prepares one `generate` call of a PAL model under strategy control: the processor (the caller's
    `PalStrategyControl` from `logits_processor`, or one built from the config and the options), started afresh for
    this call; the processors list with it first; a copy of the generation config with `generate_kwargs` applied
    (settled by `settle_decoding_options`);
    and the remaining model kwargs. With `processor_order="original"`, a repetition penalty is moved after the mix,
    as PAL applied it. Returns `(control, processors, generation_config, model_kwargs)`.
    """
    if processor_order not in ("original", "transformers"):
        raise ValueError(f"processor_order must be 'original' or 'transformers', got {processor_order!r}.")
    if generation_config is not None and getattr(generation_config, "is_assistant", False):
        # Drafting for a main model (`generate(assistant_model=...)`), a PAL model is handed the main model's control
        # (and a copy of it among the model kwargs): it drafts under a control of its own.
        generate_kwargs.pop("strategy_control", None)
        logits_processor = [p for p in logits_processor or [] if not getattr(p, "is_pal_strategy_control", False)]
    processors = LogitsProcessorList(logits_processor or [])
    given = [p for p in processors if getattr(p, "is_pal_strategy_control", False)]
    options = dict(strategy=strategy, strategy_alpha=strategy_alpha, selection_alpha=selection_alpha)
    if given and (any(v is not None for v in options.values()) or sample_strategy):
        raise ValueError("Pass strategy options either to `generate()` or to your PalStrategyControl, not both.")
    if len(given) > 1:
        raise ValueError("Give at most one PalStrategyControl.")
    if given:
        control = given[0]
    else:
        options = {k: v for k, v in options.items() if v is not None}
        control = PalStrategyControl.from_config(config, sample_strategy=sample_strategy, **options)
        processors.insert(0, control)
    settled = settle_decoding_options(generate_kwargs, generation_config, prefix_length)
    generation_config = copy.deepcopy(generation_config)
    model_kwargs = generation_config.update(**settled)
    control.begin(two_view, prefix_length, log_prob_scores=(generation_config.num_beams or 1) > 1)
    penalty = generation_config.repetition_penalty
    if processor_order == "original" and penalty not in (None, 1.0):
        generation_config.repetition_penalty = 1.0
        processors.insert(processors.index(control) + 1, RepetitionPenaltyLogitsProcessor(penalty))
    return control, processors, generation_config, model_kwargs


__all__ = [
    "PalStrategyControl",
    "TwoViewGenerationMixin",
    "mix_logits",
    "persona_half",
    "plain_generate_kwargs",
    "settle_decoding_options",
    "setup_strategy_control",
]
