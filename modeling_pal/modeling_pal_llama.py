"""
PAL on a decoder-only Llama-style chat model (SmolLM2-135M-Instruct by default).

What is PAL here: the supporter turn opens with its strategy token (the strategy is the reply's first token), the
inferred seeker persona (PAL's per-turn `persona_list`, from the 3rd seeker utterance) is part of the input, and
PAL's strategy-based controllable generation contrasts the persona-aware logits with persona-free ones,
`(1 + a) z_persona - a z_plain`, with [`PalStrategyControl`]. What differs from the paper: there is no encoder, so the
persona is read as messages in the prompt (the paper's Hard Prompt; see `chat_layout`) instead of through the
two-way attention fusion, and the persona-free view is the same prompt without those messages.
"""

from __future__ import annotations

import torch
from torch import nn
from transformers import LlamaForCausalLM, LogitsProcessorList
from transformers.generation import GenerationConfig
from transformers.modeling_outputs import CausalLMOutputWithPast
from transformers.processing_utils import Unpack
from transformers.utils import TransformersKwargs

from logits_processors.strategy_control import (
    PalStrategyControl,
    TwoViewGenerationMixin,
    persona_half,
    plain_generate_kwargs,
    setup_strategy_control,
)

from .configuration_pal_llama import PalLlamaConfig
from .hub_code import HubCodeMixin


def token_loss(logits: torch.Tensor, targets: torch.Tensor, weights: torch.Tensor | None = None) -> torch.Tensor:
    """Mean token cross-entropy over the targets that are not -100; with `weights`, `Σ w·CE / Σ w`."""
    logits = logits.reshape(-1, logits.shape[-1]).float()
    targets = targets.reshape(-1).to(logits.device)
    losses = nn.functional.cross_entropy(logits, targets, ignore_index=-100, reduction="none")
    learned = (targets != -100).float()
    weights = learned if weights is None else weights.reshape(-1).to(losses) * learned
    return (losses * weights).sum() / weights.sum().clamp(min=1e-8)


def left_pad_to(ids: torch.Tensor, mask: torch.Tensor, length: int, pad_id: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Left-pads `(rows, n)` ids and mask to `(rows, length)`."""
    extra = length - ids.shape[1]
    if extra <= 0:
        return ids, mask
    return (
        torch.cat([ids.new_full((ids.shape[0], extra), pad_id), ids], dim=1),
        torch.cat([mask.new_zeros((mask.shape[0], extra)), mask], dim=1),
    )


def positions_from_mask(mask: torch.Tensor, length: int) -> torch.Tensor:
    """Position ids of the last `length` columns of a left-padded `(rows, total)` attention mask."""
    positions = (mask.long().cumsum(-1) - 1).clamp(min=0)
    return positions[:, -length:]


class PalLlamaForCausalLM(HubCodeMixin, TwoViewGenerationMixin, LlamaForCausalLM):
    r"""
    PAL on a Llama-style causal LM. Training: the causal-LM loss on the supporter turns of a dialogue laid out by
    `chat_layout.chat_views` (`labels` -100 elsewhere), optionally weighted per token (`label_weights`).
    Generation: `generate(input_ids=persona_view, plain_input_ids=plain_view, ...)` decodes `[strategy] reply
    <|im_end|>` with PAL's two-stage control, both views in one batched pass with one cache.
    """

    config_class = PalLlamaConfig
    config: PalLlamaConfig

    def forward(
        self,
        input_ids: torch.LongTensor | None = None,
        attention_mask: torch.Tensor | None = None,
        position_ids: torch.LongTensor | None = None,
        cache=None,
        inputs_embeds: torch.Tensor | None = None,
        labels: torch.LongTensor | None = None,
        use_cache: bool | None = None,
        logits_to_keep: int | torch.Tensor = 0,
        label_weights: torch.Tensor | None = None,
        plain_input_ids: torch.LongTensor | None = None,
        plain_attention_mask: torch.Tensor | None = None,
        strategy_control: PalStrategyControl | None = None,
        **kwargs: Unpack[TransformersKwargs],
    ) -> CausalLMOutputWithPast:
        r"""
        label_weights (`torch.Tensor` of shape `(batch_size, length)`, *optional*):
            Per-token weights of the loss (`Σ w·CE / Σ w` over the labelled tokens), e.g. to weight strategy tokens.
        plain_input_ids, plain_attention_mask (`(batch_size, length)`, *optional*):
            Set by `generate()`: the persona-free view's prompt, left-padded to the length of `input_ids`.
        strategy_control ([`PalStrategyControl`], *optional*):
            Set by `generate()`: the forward then also runs the persona-free view in the same batched pass and
            hands its logits of the last position to the processor.
        """
        if strategy_control is not None and strategy_control.two_view:
            if labels is not None:
                raise ValueError("`strategy_control` is for decoding; train without it.")
            flags = {k: v for k, v in kwargs.items() if k in ("output_attentions", "output_hidden_states")}
            return self._two_view_forward(
                input_ids,
                attention_mask,
                cache,
                plain_input_ids,
                plain_attention_mask,
                strategy_control,
                use_cache,
                logits_to_keep,
                **flags,
            )
        outputs = super().forward(
            input_ids=input_ids,
            attention_mask=attention_mask,
            position_ids=position_ids,
            cache=cache,
            inputs_embeds=inputs_embeds,
            use_cache=use_cache,
            logits_to_keep=logits_to_keep,
            **kwargs,
        )
        if labels is not None:
            weights = None if label_weights is None else label_weights[:, 1:]
            outputs.loss = token_loss(outputs.logits[:, :-1], labels[:, 1:], weights)
        return outputs

    def _two_view_forward(
        self,
        input_ids: torch.LongTensor,
        attention_mask: torch.Tensor,
        cache,
        plain_input_ids: torch.LongTensor,
        plain_attention_mask: torch.Tensor,
        strategy_control: PalStrategyControl,
        use_cache: bool | None,
        logits_to_keep: int,
        **flags,
    ) -> CausalLMOutputWithPast:
        rows, prompt_length = plain_input_ids.shape
        if attention_mask is None:  # a mask of all ones (generate() always gives one)
            past = 0 if cache is None else int(cache.get_seq_length())
            attention_mask = input_ids.new_ones((rows, past + input_ids.shape[1]))
        past = attention_mask.shape[1] - input_ids.shape[1]  # columns the cache holds (the mask covers them all)
        if plain_attention_mask is None:
            plain_attention_mask = plain_input_ids.new_ones((rows, prompt_length))
        # `input_ids` holds columns [past, past + new) of the persona view: what of the prompt the cache does not
        # hold yet, then decoded tokens (one per step; a draft's several under assisted decoding), the same in both
        # views. The persona-free view's columns are its own prompt's, then those tokens.
        decoded = input_ids[:, max(prompt_length - past, 0) :]
        ids = torch.cat([input_ids, torch.cat([plain_input_ids[:, past:], decoded], dim=1)])  # (2 rows, new)
        plain_mask = torch.cat([plain_attention_mask, attention_mask[:, prompt_length:]], dim=1)
        mask = torch.cat([attention_mask, plain_mask])  # (2 rows, past + new)
        outputs = self.model(
            input_ids=ids,
            attention_mask=mask,
            position_ids=positions_from_mask(mask, ids.shape[1]),
            cache=cache,
            use_cache=use_cache,
            **flags,
        )
        keep = logits_to_keep or ids.shape[1]  # generate() keeps 1; assisted decoding's verification several
        logits = self.lm_head(outputs.last_hidden_state[:, -keep:])  # (2 rows, keep, vocab)
        persona_logits, plain_logits = logits.split(rows)
        strategy_control.receive_plain_logits(plain_logits, past + ids.shape[1])

        return CausalLMOutputWithPast(
            logits=persona_logits,
            cache=outputs.cache,
            hidden_states=persona_half(outputs.hidden_states, rows),
            attentions=persona_half(outputs.attentions, rows),
        )

    def generate(
        self,
        inputs: torch.LongTensor | None = None,
        generation_config: GenerationConfig | None = None,
        logits_processor: LogitsProcessorList | list | None = None,
        *,
        plain_input_ids: torch.LongTensor | None = None,
        plain_attention_mask: torch.Tensor | None = None,
        strategy: str | list[str | None] | None = None,
        strategy_alpha: str | list[float] | None = None,
        selection_alpha: float | None = None,
        sample_strategy: bool = False,
        use_strategy_control: bool = True,
        processor_order: str = "original",
        **kwargs,
    ):
        r"""
        Generation with PAL's strategy-based control ([`PalStrategyControl`]) on by default: the first token is a
        strategy, chosen from `(1 + a_sel) z_persona - a_sel z_plain`, and each later token is drawn from
        `(1 + a_s) z_persona - a_s z_plain`, the strategy tokens banned. Both views run in one batched pass with one
        cache, correct for greedy, sampling, beam search, several returned sequences and padded batches.

        Args:
            inputs / input_ids (`(batch, length)`): the persona-aware prompts, left-padded, ending with the
                assistant's generation prompt (`tokenizer.apply_chat_template(..., add_generation_prompt=True)`).
            plain_input_ids, plain_attention_mask: the persona-free prompts, left-padded. Required when the alphas
                contrast anything and the model reads a persona (`config.use_persona`).
            strategy, strategy_alpha, selection_alpha, sample_strategy, processor_order: as in
                [`PalForConditionalGeneration.generate`].
            use_strategy_control (`bool`): `False` gives plain `transformers` generation from `input_ids`.

        With `return_dict_in_generate=True` the output also carries `strategy_scores`, `(rows, num_strategies)`.
        Returned sequences hold the prompt (as given) followed by `[strategy] reply ...`.
        """
        options = dict(strategy=strategy, strategy_alpha=strategy_alpha, selection_alpha=selection_alpha)
        if not use_strategy_control:
            prompt = kwargs.get("input_ids", inputs)
            kwargs = plain_generate_kwargs(
                generation_config or self.generation_config,
                logits_processor,
                kwargs,
                0 if prompt is None else prompt.shape[-1],
                {**options, "plain_input_ids": plain_input_ids},
            )
            return super().generate(inputs, generation_config, logits_processor, **kwargs)
        input_ids = kwargs.pop("input_ids", inputs)
        if input_ids is None:
            raise ValueError("Give `input_ids` (the persona-aware prompts) to generate from.")
        attention_mask = kwargs.pop("attention_mask", None)
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        two_view = self.config.use_persona
        control, processors, generation_config, model_kwargs = setup_strategy_control(
            self.config,
            generation_config or self.generation_config,
            logits_processor,
            kwargs,
            two_view=two_view,
            prefix_length=input_ids.shape[1],  # the prompt as given; set again once both views are padded
            sample_strategy=sample_strategy,
            processor_order=processor_order,
            **options,
        )
        if control.two_view:
            if plain_input_ids is None:
                raise ValueError("Give `plain_input_ids` (the persona-free prompts) to contrast the persona with.")
            if plain_input_ids.shape[0] != input_ids.shape[0]:
                raise ValueError(
                    f"{input_ids.shape[0]} persona-aware prompts but {plain_input_ids.shape[0]} persona-free ones."
                )
            if plain_attention_mask is None:
                plain_attention_mask = torch.ones_like(plain_input_ids)
            pad_id = self.config.pad_token_id if self.config.pad_token_id is not None else 0
            length = max(input_ids.shape[1], plain_input_ids.shape[1])
            input_ids, attention_mask = left_pad_to(input_ids, attention_mask, length, pad_id)
            plain_input_ids, plain_attention_mask = left_pad_to(plain_input_ids, plain_attention_mask, length, pad_id)
            model_kwargs.update(plain_input_ids=plain_input_ids, plain_attention_mask=plain_attention_mask)
        control.prefix_length = input_ids.shape[1]
        output = super().generate(
            input_ids,
            generation_config=generation_config,
            logits_processor=processors,
            attention_mask=attention_mask,
            strategy_control=control,
            **model_kwargs,
        )
        if generation_config.return_dict_in_generate:
            output["strategy_scores"] = control.strategy_scores
        return output


PalLlamaForCausalLM.register_for_auto_class("AutoModelForCausalLM")

__all__ = ["PalLlamaForCausalLM", "token_loss"]
