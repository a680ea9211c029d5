"""PAL model configuration."""

from __future__ import annotations

from huggingface_hub.dataclasses import strict
from transformers import BlenderbotSmallConfig

from .strategies import PAL_STRATEGIES, find_strategy, resolve_strategy_alpha


@strict
class PalConfig(BlenderbotSmallConfig):
    r"""
    Configuration of a [`PalForConditionalGeneration`]: every field of [`BlenderbotSmallConfig`] plus what PAL adds.
    The defaults reproduce the original PAL model: BlenderBot-small 90M (d_model 512, 8+8 layers, 16 heads) with its
    54,944-token vocabulary plus PAL's 12 added tokens.

    Args:
        strategy_names (`list[str]`, *optional*):
            The 8 support strategies, in the order that fixes their ids. Defaults to ESConv's order (`PAL_STRATEGIES`).
        strategy_token_ids (`list[int]`, *optional*):
            The token id of each strategy token (`"[Question]"`, ...), aligned with `strategy_names`. Defaults to the
            original tokenizer's ids 54948..54955.
        persona_token_id (`int`, *optional*, defaults to 54946):
            Id of `<persona>`, which starts every persona sentence.
        input_token_id (`int`, *optional*, defaults to 54947):
            Id of `<input>`, which ends a persona (and is the whole persona before the 3rd seeker utterance).
        added_token_ids (`list[int]`, *optional*):
            Ids of all tokens PAL added to the base tokenizer (`</s>`, `<s>`, `<persona>`, `<input>` and the strategy
            tokens). They are banned from the response. Defaults to the original 54944..54955.
        strategy_alpha (`list[float]` or `str`, *optional*, defaults to `"released"`):
            Per-strategy alpha of the controllable generation `(1 + a_s) * z_persona - a_s * z_plain`, aligned with
            `strategy_names`; or a preset name from `STRATEGY_ALPHA_PRESETS` (`"released"`: 0.5 for all, as in the
            released code; `"per-strategy"`: the released code's commented alternative; `"off"`: all 0).
        strategy_selection_alpha (`float`, *optional*, defaults to 0.075):
            Alpha of the same mixing when the first token (the strategy) is chosen.
        fuse_persona (`bool`, *optional*, defaults to `True`):
            Whether the encoder fuses persona and context. `False` gives the persona-free BlenderBot-Joint baseline.
        persona_in_context (`bool`, *optional*, defaults to `False`):
            The "Hard Prompt" baseline: the persona text is put before the context in `input_ids` (and not fused).
        fusion_mask_padding (`bool`, *optional*, defaults to `False`):
            Whether the fusion's two attentions ignore padded positions. The original does not mask them, so its
            outputs depend on how much padding a batch has; `True` makes a row's output independent of its batch.
        max_input_length (`int`, *optional*, defaults to 512):
            Context tokens kept (the last ones) when a context is encoded; also the longest persona accepted.
        persona_extractor (`str`, *optional*):
            The companion persona extractor that `pipeline("persona-support")` runs to infer the seeker's persona: a
            folder path relative to this model's folder (e.g. `"../persona-extractor"`), an absolute path or a hub
            id. With `None`, the pipeline needs `persona_extractor=` or the seeker's `persona=`.
        persona_extractor_kwargs (`dict`, *optional*):
            Options `pipeline("persona-support")` passes to the persona extractor (generation options such as
            `{"num_beams": 1}`, or `max_input_length`), so that personas at inference are made as the training
            personas (PESConv) were. With `None`, the extractor's own defaults.
    """

    model_type = "pal"

    vocab_size: int = 54956
    scale_embedding: bool = True
    forced_eos_token_id: int | list[int] | None = None

    strategy_names: list[str] | None = None
    strategy_token_ids: list[int] | None = None
    persona_token_id: int = 54946
    input_token_id: int = 54947
    added_token_ids: list[int] | None = None
    strategy_alpha: list[float] | str = "released"
    strategy_selection_alpha: float = 0.075
    fuse_persona: bool = True
    persona_in_context: bool = False
    fusion_mask_padding: bool = False
    max_input_length: int = 512
    persona_extractor: str | None = None
    persona_extractor_kwargs: dict | None = None

    def __post_init__(self, **kwargs):
        if self.strategy_names is None:
            self.strategy_names = list(PAL_STRATEGIES)
        self.strategy_names = list(self.strategy_names)
        if self.strategy_token_ids is None:
            self.strategy_token_ids = list(range(54948, 54948 + len(self.strategy_names)))
        if self.added_token_ids is None:
            self.added_token_ids = list(range(54944, 54956))
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
        ids = [*self.strategy_token_ids, self.persona_token_id, self.input_token_id, *self.added_token_ids]
        out_of_vocab = sorted({i for i in ids if not 0 <= i < self.vocab_size})
        if out_of_vocab:
            raise ValueError(f"PAL token ids {out_of_vocab} are outside the vocabulary (size {self.vocab_size})")
        if self.persona_in_context and self.fuse_persona:
            raise ValueError("persona_in_context (the hard-prompt baseline) needs fuse_persona=False")
        if not set(self.strategy_token_ids) <= set(self.added_token_ids):
            raise ValueError("every strategy token id must also be listed in added_token_ids")

    @property
    def num_strategies(self) -> int:
        return len(self.strategy_names)

    @property
    def fusion_reads_padding(self) -> bool:
        """Whether a row's output depends on its padding (PAL's fusion attends over it): see `pal_batches`."""
        return self.fuse_persona and not self.fusion_mask_padding

    def strategy_index(self, name: str) -> int:
        """Index of a strategy given by name (`"Question"` or `"[Question]"`), with a clear error if unknown."""
        return find_strategy(self.strategy_names, name)


PalConfig.register_for_auto_class()

__all__ = ["PalConfig"]
