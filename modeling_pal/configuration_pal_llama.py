"""Configuration of PAL on a decoder-only Llama-style backbone (SmolLM2-135M-Instruct by default)."""

from __future__ import annotations

from huggingface_hub.dataclasses import strict
from transformers import LlamaConfig

from .chat_layout import PAL_SYSTEM_PROMPT
from .strategies import PAL_STRATEGIES, find_strategy, resolve_strategy_alpha


@strict
class PalLlamaConfig(LlamaConfig):
    r"""
    Configuration of a [`PalLlamaForCausalLM`]: every field of [`LlamaConfig`] plus what PAL adds. The dialogue is
    read in the backbone's chat template (see `chat_layout`), each supporter turn opening with its strategy token.

    Args:
        strategy_names (`list[str]`, *optional*):
            The 8 support strategies, in the order that fixes their ids. Defaults to ESConv's order (`PAL_STRATEGIES`).
        strategy_token_ids (`list[int]`, *optional*):
            The token id of each strategy token (`"[Question]"`, ...), aligned with `strategy_names`: PAL's tokens
            added to the backbone's tokenizer (by default the 8 ids after the backbone's vocabulary).
        added_token_ids (`list[int]`, *optional*):
            Tokens banned from the response (the strategy tokens by default).
        strategy_alpha (`list[float]` or `str`, *optional*, defaults to `"released"`):
            Per-strategy alpha of the controllable generation `(1 + a_s) * z_persona - a_s * z_plain`, aligned with
            `strategy_names`, or a preset name (`"released"`, `"per-strategy"`, `"off"`).
        strategy_selection_alpha (`float`, *optional*, defaults to 0.075):
            Alpha of the same mixing when the first token (the strategy) is chosen.
        use_persona (`bool`, *optional*, defaults to `True`):
            Whether the model reads the seeker persona. `False` gives the persona-free Joint baseline.
        system_prompt (`str`, *optional*):
            The instruction the dialogue starts with (`chat_layout.PAL_SYSTEM_PROMPT`).
        max_input_length (`int`, *optional*, defaults to 2048):
            Prompt tokens the model reads; a longer conversation keeps its most recent messages (a warning says so).
        persona_extractor (`str`, *optional*):
            The persona extractor `pipeline("persona-support")` runs: a folder relative to this model's folder, an
            absolute path or a hub id.
        persona_extractor_kwargs (`dict`, *optional*):
            Options the pipeline passes to the persona extractor, so that personas at inference are made as the
            training personas were.
        base_model_description (`str`, *optional*):
            What the backbone weights are (e.g. a dequantised copy of SmolLM2-135M-Instruct).
    """

    model_type = "pal_llama"

    strategy_names: list[str] | None = None
    strategy_token_ids: list[int] | None = None
    added_token_ids: list[int] | None = None
    strategy_alpha: list[float] | str = "released"
    strategy_selection_alpha: float = 0.075
    use_persona: bool = True
    system_prompt: str = PAL_SYSTEM_PROMPT
    max_input_length: int = 2048
    persona_extractor: str | None = None
    persona_extractor_kwargs: dict | None = None
    base_model_description: str | None = None

    def __post_init__(self, **kwargs):
        if self.strategy_names is None:
            self.strategy_names = list(PAL_STRATEGIES)
        self.strategy_names = list(self.strategy_names)
        if self.strategy_token_ids is None:
            self.strategy_token_ids = list(range(self.vocab_size - len(self.strategy_names), self.vocab_size))
        if self.added_token_ids is None:
            self.added_token_ids = list(self.strategy_token_ids)
        self.strategy_alpha = resolve_strategy_alpha(self.strategy_alpha, len(self.strategy_names))
        super().__post_init__(**kwargs)

    def validate_pal(self):
        """Part of the `@strict` validation: the strategy table and PAL's token ids are consistent."""
        if len(self.strategy_names) != len(set(self.strategy_names)):
            raise ValueError(f"strategy_names has duplicates: {self.strategy_names}")
        if len(self.strategy_token_ids) != len(self.strategy_names):
            raise ValueError(
                f"strategy_token_ids has {len(self.strategy_token_ids)} ids for {len(self.strategy_names)} strategies"
            )
        ids = [*self.strategy_token_ids, *self.added_token_ids]
        out_of_vocab = sorted({i for i in ids if not 0 <= i < self.vocab_size})
        if out_of_vocab:
            raise ValueError(f"PAL token ids {out_of_vocab} are outside the vocabulary (size {self.vocab_size})")
        if not set(self.strategy_token_ids) <= set(self.added_token_ids):
            raise ValueError("every strategy token id must also be listed in added_token_ids")

    @property
    def num_strategies(self) -> int:
        return len(self.strategy_names)

    def strategy_index(self, name: str) -> int:
        """Index of a strategy given by name (`"Question"` or `"[Question]"`), with a clear error if unknown."""
        return find_strategy(self.strategy_names, name)


PalLlamaConfig.register_for_auto_class()

__all__ = ["PalLlamaConfig"]
