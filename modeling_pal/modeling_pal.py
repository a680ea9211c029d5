"""PAL: persona-augmented BlenderBot-small for emotional support conversation (Cheng et al., Findings of ACL 2023).

One shared encoder reads the dialogue context and the seeker's persona; a two-way attention fuses them; the decoder
cross-attends the fused states and writes `[strategy] response </s>`.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn
from transformers import GenerationConfig, LogitsProcessorList
from transformers import initialization as init
from transformers.generation import GenerationMixin
from transformers.modeling_outputs import BaseModelOutput, Seq2SeqLMOutput, Seq2SeqModelOutput
from transformers.models.blenderbot_small.modeling_blenderbot_small import (
    BlenderbotSmallDecoder,
    BlenderbotSmallEncoder,
    BlenderbotSmallForConditionalGeneration,
    BlenderbotSmallModel,
    BlenderbotSmallPreTrainedModel,
    shift_tokens_right,
)
from transformers.processing_utils import Unpack
from transformers.utils import TransformersKwargs, can_return_tuple
from transformers.utils.deprecation import deprecate_kwarg

from logits_processors.strategy_control import (
    PalStrategyControl,
    TwoViewGenerationMixin,
    mix_logits,
    persona_half,
    plain_generate_kwargs,
    setup_strategy_control,
)

from .configuration_pal import PalConfig
from .hub_code import HubCodeMixin

# Up to this many rows, `lm_logits` uses the layout CPU BLAS runs fastest for a decoding step.
DECODING_ROWS = 64
# What of the decoder's keyword arguments the encoder also reads.
ENCODER_KWARGS = ("output_attentions", "output_hidden_states")


@dataclass
class PalEncoderOutput(BaseModelOutput):
    r"""
    Output of [`PalEncoder`].

    Args:
        last_hidden_state (`torch.FloatTensor` of shape `(batch_size, length, d_model)`):
            The persona-fused states `H` the decoder cross-attends (the plain context states when no persona is fused).
            `length = max(context length, persona length)`: both are padded to it before encoding, as in PAL.
        context_hidden_state (`torch.FloatTensor` of shape `(batch_size, length, d_model)`):
            The plain encoder states of the context alone: the persona-free path of controllable generation.
    """

    context_hidden_state: torch.FloatTensor | None = None


def pad_to_length(tensor: torch.Tensor, length: int, value: int) -> torch.Tensor:
    """Right-pads a `(batch, n)` tensor with `value` to `(batch, length)`."""
    missing = length - tensor.shape[1]
    return tensor if missing <= 0 else nn.functional.pad(tensor, (0, missing), value=value)


class PalPersonaFusion(nn.Module):
    """
    PAL's two-way attention between context states `C` and persona states `P` (both `(batch, length, d_model)`):

        ctx_att = persona_norm(softmax(P C^T) C + P)
        per_att = context_norm(C + softmax(C P^T) P)
        H = w_0 C + w_1 ctx_att + w_2 per_att,   w = softmax(persona_context_w)

    The original attends over padded positions too; `mask_padding=True` excludes them.
    """

    def __init__(self, config: PalConfig):
        super().__init__()
        self.persona_norm = nn.LayerNorm(config.d_model)
        self.context_norm = nn.LayerNorm(config.d_model)
        self.persona_context_w = nn.Parameter(torch.full((3,), 1.0 / 3.0))
        self.mask_padding = config.fusion_mask_padding

    def forward(
        self,
        context: torch.Tensor,
        persona: torch.Tensor,
        context_mask: torch.Tensor | None = None,
        persona_mask: torch.Tensor | None = None,
    ) -> torch.Tensor:
        scores = torch.bmm(persona, context.transpose(1, 2))  # (batch, persona position, context position)
        persona_to_context = scores
        context_to_persona = scores.transpose(1, 2)  # (batch, context position, persona position)
        if self.mask_padding:
            lowest = torch.finfo(scores.dtype).min
            persona_to_context = persona_to_context.masked_fill(~context_mask.bool()[:, None, :], lowest)
            context_to_persona = context_to_persona.masked_fill(~persona_mask.bool()[:, None, :], lowest)
        context_attended = torch.bmm(persona_to_context.softmax(dim=-1), context)  # (batch, length, d_model)
        persona_attended = torch.bmm(context_to_persona.softmax(dim=-1), persona)  # (batch, length, d_model)
        context_attended = self.persona_norm(context_attended + persona)
        persona_attended = self.context_norm(context + persona_attended)
        weights = self.persona_context_w.softmax(dim=-1)
        return weights[0] * context + weights[1] * context_attended + weights[2] * persona_attended


class PalEncoder(BlenderbotSmallEncoder):
    """
    The BlenderBot-small encoder, run once on the context and once on the persona (one batched call), followed by
    [`PalPersonaFusion`]. Because it accepts `persona_input_ids`, `generate()` passes a persona straight to it.
    """

    def __init__(self, config: PalConfig):
        super().__init__(config)
        self.fusion = PalPersonaFusion(config) if config.fuse_persona else None
        self.post_init()

    @can_return_tuple
    def forward(
        self,
        input_ids: torch.LongTensor | None = None,
        attention_mask: torch.Tensor | None = None,
        persona_input_ids: torch.LongTensor | None = None,
        persona_attention_mask: torch.Tensor | None = None,
        inputs_embeds: torch.Tensor | None = None,
        **kwargs: Unpack[TransformersKwargs],
    ) -> PalEncoderOutput:
        r"""
        persona_input_ids (`torch.LongTensor` of shape `(batch_size, persona_length)`):
            The persona, e.g. `"<persona>i am a nurse.<persona>i have two kids.<input>"`, or `"<input>"` alone while
            none is known. Required when `config.fuse_persona`; refused otherwise.
        persona_attention_mask (`torch.Tensor` of shape `(batch_size, persona_length)`, *optional*):
            Defaults to `persona_input_ids != pad_token_id`.
        """
        if inputs_embeds is not None:
            raise ValueError("PAL encodes token ids (it pads context and persona to one length): pass `input_ids`.")
        if input_ids is None:
            raise ValueError("PAL needs `input_ids` (the dialogue context).")
        pad_id = self.config.pad_token_id
        attention_mask = input_ids.ne(pad_id).long() if attention_mask is None else attention_mask
        self._check_ids("context", input_ids, attention_mask)
        if self.fusion is None:
            if persona_input_ids is not None:
                raise ValueError("This model does not fuse a persona (`config.fuse_persona=False`); drop the persona.")
            outputs = super().forward(input_ids=input_ids, attention_mask=attention_mask, **kwargs)
            return PalEncoderOutput(
                last_hidden_state=outputs.last_hidden_state,
                context_hidden_state=outputs.last_hidden_state,
                hidden_states=outputs.hidden_states,
                attentions=outputs.attentions,
            )
        if persona_input_ids is None:
            raise ValueError(
                "PAL needs `persona_input_ids`. While no persona is known, PAL uses the persona text '<input>' "
                "(see `format_persona([])`)."
            )
        if persona_input_ids.shape[0] != input_ids.shape[0]:
            raise ValueError(
                f"Mismatched batch sizes: {input_ids.shape[0]} contexts but {persona_input_ids.shape[0]} personas."
            )
        if persona_attention_mask is None:
            persona_attention_mask = persona_input_ids.ne(pad_id).long()
        self._check_ids("persona", persona_input_ids, persona_attention_mask)

        # PAL pads context and persona to one length before encoding them: the fusion pairs positions one to one.
        batch_size = input_ids.shape[0]
        length = max(input_ids.shape[1], persona_input_ids.shape[1])
        ids = torch.cat([pad_to_length(input_ids, length, pad_id), pad_to_length(persona_input_ids, length, pad_id)])
        mask = torch.cat([pad_to_length(attention_mask, length, 0), pad_to_length(persona_attention_mask, length, 0)])
        if kwargs.get("output_hidden_states") or kwargs.get("output_attentions"):
            # The context's own pass, so that the states it returns are the ones the fusion reads (on the graph).
            outputs = super().forward(input_ids=ids[:batch_size], attention_mask=mask[:batch_size], **kwargs)
            context = outputs.last_hidden_state
            persona = super().forward(input_ids=ids[batch_size:], attention_mask=mask[batch_size:]).last_hidden_state
        else:  # one batched pass over context and persona
            outputs = super().forward(input_ids=ids, attention_mask=mask, **kwargs)
            context, persona = outputs.last_hidden_state.split(batch_size)  # each (batch, length, d_model)
        fused = self.fusion(context, persona, mask[:batch_size], mask[batch_size:])
        return PalEncoderOutput(
            last_hidden_state=fused,
            context_hidden_state=context,
            hidden_states=outputs.hidden_states,
            attentions=outputs.attentions,
        )

    def _check_ids(self, name: str, ids: torch.Tensor, mask: torch.Tensor) -> None:
        if ids.dim() != 2:
            raise ValueError(f"{name} ids must have shape (batch_size, length), got {tuple(ids.shape)}.")
        if mask.shape != ids.shape:
            raise ValueError(f"{name} attention mask has shape {tuple(mask.shape)}, its ids {tuple(ids.shape)}.")
        limit = self.config.max_position_embeddings
        if ids.shape[1] > limit:
            raise ValueError(
                f"The {name} has {ids.shape[1]} tokens; this model reads at most {limit}. Encode inputs with "
                "`encode_pal_inputs(..., truncate=True)`, which keeps the last tokens of the context as PAL does."
            )
        empty = (mask.sum(dim=1) == 0).nonzero().flatten().tolist()
        if empty:
            raise ValueError(f"The {name} of batch row(s) {empty} is empty.")


class PalModel(BlenderbotSmallModel):
    """BlenderBot-small encoder-decoder whose encoder is a [`PalEncoder`]."""

    def __init__(self, config: PalConfig):
        BlenderbotSmallPreTrainedModel.__init__(self, config)
        self.shared = nn.Embedding(config.vocab_size, config.d_model, config.pad_token_id)
        self.encoder = PalEncoder(config)
        self.decoder = BlenderbotSmallDecoder(config)
        self.post_init()

    @deprecate_kwarg("past_key_values", "5.40.0", new_name="cache")
    @can_return_tuple
    def forward(
        self,
        input_ids: torch.LongTensor | None = None,
        attention_mask: torch.Tensor | None = None,
        persona_input_ids: torch.LongTensor | None = None,
        persona_attention_mask: torch.Tensor | None = None,
        decoder_input_ids: torch.LongTensor | None = None,
        decoder_attention_mask: torch.Tensor | None = None,
        encoder_outputs: PalEncoderOutput | tuple | None = None,
        cache=None,
        inputs_embeds: torch.Tensor | None = None,
        decoder_inputs_embeds: torch.Tensor | None = None,
        use_cache: bool | None = None,
        **kwargs: Unpack[TransformersKwargs],
    ) -> Seq2SeqModelOutput:
        if encoder_outputs is None:
            encoder_outputs = self.encoder(
                input_ids=input_ids,
                attention_mask=attention_mask,
                persona_input_ids=persona_input_ids,
                persona_attention_mask=persona_attention_mask,
                inputs_embeds=inputs_embeds,
                **{k: v for k, v in kwargs.items() if k in ENCODER_KWARGS},
            )
            if attention_mask is None:
                attention_mask = input_ids.ne(self.config.pad_token_id).long()
        elif not isinstance(encoder_outputs, BaseModelOutput):
            encoder_outputs = PalEncoderOutput(last_hidden_state=encoder_outputs[0])
        encoder_states = encoder_outputs.last_hidden_state
        if attention_mask is not None:  # the decoder reads the fused states through the (padded) context mask
            attention_mask = pad_to_length(attention_mask, encoder_states.shape[1], 0)

        decoder_outputs = self.decoder(
            input_ids=decoder_input_ids,
            attention_mask=decoder_attention_mask,
            encoder_hidden_states=encoder_states,
            encoder_attention_mask=attention_mask,
            cache=cache,
            inputs_embeds=decoder_inputs_embeds,
            use_cache=use_cache,
            **kwargs,
        )
        return Seq2SeqModelOutput(
            last_hidden_state=decoder_outputs.last_hidden_state,
            cache=decoder_outputs.cache,
            decoder_hidden_states=decoder_outputs.hidden_states,
            decoder_attentions=decoder_outputs.attentions,
            cross_attentions=decoder_outputs.cross_attentions,
            encoder_last_hidden_state=encoder_states,
            encoder_hidden_states=encoder_outputs.hidden_states,
            encoder_attentions=encoder_outputs.attentions,
        )


class PalForConditionalGeneration(
    HubCodeMixin, TwoViewGenerationMixin, BlenderbotSmallForConditionalGeneration, GenerationMixin
):
    r"""
    PAL with its language-model head. `facebook/blenderbot_small-90M` weights and the original PAL checkpoints map onto
    it (see `modeling_pal.conversion.convert`). Training target: `labels = [strategy] + response + [eos]` (padding as
    -100).

    Example:

    ```python
    >>> from modeling_pal import PalForConditionalGeneration, encode_pal_inputs, format_context, format_persona
    >>> batch, _ = encode_pal_inputs(tokenizer, [format_context(messages)], [format_persona(["i am a nurse."])])
    >>> model.strategy_distribution(**batch)  # (1, 8) probabilities over config.strategy_names
    >>> model.generate(**batch)  # [bos, strategy, response..., eos]
    ```
    """

    config_class = PalConfig
    config: PalConfig

    def __init__(self, config: PalConfig):
        BlenderbotSmallPreTrainedModel.__init__(self, config)
        self.model = PalModel(config)
        self.final_logits_bias = nn.Buffer(torch.zeros((1, config.vocab_size)))
        self.lm_head = nn.Linear(config.d_model, config.vocab_size, bias=False)
        self.post_init()

    def _init_weights(self, module: nn.Module) -> None:
        super()._init_weights(module)
        if isinstance(module, PalPersonaFusion):
            init.constant_(module.persona_context_w, 1.0 / 3.0)

    @deprecate_kwarg("past_key_values", "5.40.0", new_name="cache")
    @can_return_tuple
    def forward(
        self,
        input_ids: torch.LongTensor | None = None,
        attention_mask: torch.Tensor | None = None,
        persona_input_ids: torch.LongTensor | None = None,
        persona_attention_mask: torch.Tensor | None = None,
        decoder_input_ids: torch.LongTensor | None = None,
        decoder_attention_mask: torch.Tensor | None = None,
        encoder_outputs: PalEncoderOutput | tuple | None = None,
        cache=None,
        inputs_embeds: torch.Tensor | None = None,
        decoder_inputs_embeds: torch.Tensor | None = None,
        labels: torch.LongTensor | None = None,
        use_cache: bool | None = None,
        strategy_control: PalStrategyControl | None = None,
        **kwargs: Unpack[TransformersKwargs],
    ) -> Seq2SeqLMOutput:
        r"""
        persona_input_ids (`torch.LongTensor` of shape `(batch_size, persona_length)`):
            The persona text's ids (see [`PalEncoder.forward`]).
        persona_attention_mask (`torch.Tensor` of shape `(batch_size, persona_length)`, *optional*):
            Mask of `persona_input_ids`.
        labels (`torch.LongTensor` of shape `(batch_size, target_length)`, *optional*):
            `[strategy] + response + [eos]`, -100 where ignored. The loss is the mean token cross-entropy.
        strategy_control ([`PalStrategyControl`], *optional*):
            Set by `generate()`: the decoder then also reads the plain context states, in the same batched pass
            (its cache holds both halves), and hands those persona-free logits of the last position to the processor.
        """
        if strategy_control is not None and strategy_control.two_view:
            if labels is not None:
                raise ValueError("`strategy_control` is for decoding; train without it.")
            if getattr(encoder_outputs, "context_hidden_state", None) is None:
                raise ValueError("`strategy_control` needs `encoder_outputs` from the PAL encoder.")
            rows = encoder_outputs.last_hidden_state.shape[0]
            end = (0 if cache is None else int(cache.get_seq_length())) + decoder_input_ids.shape[1]
            outputs = self(
                attention_mask=None if attention_mask is None else attention_mask.repeat(2, 1),
                decoder_input_ids=decoder_input_ids.repeat(2, 1),
                decoder_attention_mask=None if decoder_attention_mask is None else decoder_attention_mask.repeat(2, 1),
                encoder_outputs=PalEncoderOutput(
                    last_hidden_state=torch.cat(
                        [encoder_outputs.last_hidden_state, encoder_outputs.context_hidden_state]
                    )
                ),
                cache=cache,
                use_cache=use_cache,
                **kwargs,
            )
            logits, plain_logits = outputs.logits.split(rows)  # persona-aware and persona-free halves
            strategy_control.receive_plain_logits(plain_logits, end)

            return Seq2SeqLMOutput(
                logits=logits,
                cache=outputs.cache,
                decoder_hidden_states=persona_half(outputs.decoder_hidden_states, rows),
                decoder_attentions=persona_half(outputs.decoder_attentions, rows),
                cross_attentions=persona_half(outputs.cross_attentions, rows),
                encoder_last_hidden_state=encoder_outputs[0],
                encoder_hidden_states=encoder_outputs.hidden_states,
                encoder_attentions=encoder_outputs.attentions,
            )
        if labels is not None:
            use_cache = False
            if decoder_input_ids is None and decoder_inputs_embeds is None:
                decoder_input_ids = shift_tokens_right(
                    labels, self.config.pad_token_id, self.config.decoder_start_token_id
                )
        outputs = self.model(
            input_ids,
            attention_mask=attention_mask,
            persona_input_ids=persona_input_ids,
            persona_attention_mask=persona_attention_mask,
            decoder_input_ids=decoder_input_ids,
            decoder_attention_mask=decoder_attention_mask,
            encoder_outputs=encoder_outputs,
            cache=cache,
            inputs_embeds=inputs_embeds,
            decoder_inputs_embeds=decoder_inputs_embeds,
            use_cache=use_cache,
            **kwargs,
        )
        logits = self.lm_logits(outputs.last_hidden_state)
        loss = None
        if labels is not None:
            loss = nn.functional.cross_entropy(
                logits.view(-1, logits.shape[-1]), labels.to(logits.device).view(-1), ignore_index=-100
            )
        return Seq2SeqLMOutput(
            loss=loss,
            logits=logits,
            cache=outputs.cache,
            decoder_hidden_states=outputs.decoder_hidden_states,
            decoder_attentions=outputs.decoder_attentions,
            cross_attentions=outputs.cross_attentions,
            encoder_last_hidden_state=outputs.encoder_last_hidden_state,
            encoder_hidden_states=outputs.encoder_hidden_states,
            encoder_attentions=outputs.encoder_attentions,
        )

    def lm_logits(self, hidden_states: torch.Tensor) -> torch.Tensor:
        """
        `lm_head(hidden_states) + final_logits_bias`. For the few rows of a decoding step (up to `DECODING_ROWS`;
        batch 1 with strategy control has 2) it is computed as `W @ hᵀ`, the same product, which CPU BLAS runs several
        times faster there; for more rows (training) as `h @ Wᵀ`, whose contiguous result is faster to read.
        """
        rows = hidden_states.reshape(-1, hidden_states.shape[-1])  # (batch * length, d_model)
        if rows.shape[0] <= DECODING_ROWS:
            logits = torch.matmul(self.lm_head.weight, rows.T).T  # (rows, vocab_size), not contiguous
        else:  # training and teacher forcing: contiguous logits, which log_softmax reads faster
            logits = nn.functional.linear(rows, self.lm_head.weight)
        logits = logits.reshape(*hidden_states.shape[:-1], -1)
        return logits + self.final_logits_bias.to(hidden_states.device)

    @staticmethod
    def plain_encoder_outputs(encoder_outputs: PalEncoderOutput) -> BaseModelOutput:
        """The persona-free path: the context's own encoder states, in place of the fused ones."""
        return BaseModelOutput(last_hidden_state=encoder_outputs.context_hidden_state)

    @torch.no_grad()
    def strategy_distribution(
        self,
        input_ids: torch.LongTensor,
        attention_mask: torch.Tensor | None = None,
        persona_input_ids: torch.LongTensor | None = None,
        persona_attention_mask: torch.Tensor | None = None,
        selection_alpha: float | None = None,
        **unused,
    ) -> torch.Tensor:
        """
        Probabilities of the `config.num_strategies` strategies as the first decoded token, shape
        `(batch_size, num_strategies)`, ordered as `config.strategy_names`. As in PAL, the logits are mixed as
        `(1 + a) z_persona - a z_plain` with `a = selection_alpha` (default `config.strategy_selection_alpha`), then
        restricted to the strategy tokens. Extra keys of an encoded batch are ignored.
        """
        if attention_mask is None:
            attention_mask = input_ids.ne(self.config.pad_token_id).long()
        encoder_outputs = self.get_encoder()(
            input_ids=input_ids,
            attention_mask=attention_mask,
            persona_input_ids=persona_input_ids,
            persona_attention_mask=persona_attention_mask,
        )
        start = torch.full(
            (input_ids.shape[0], 1), self.config.decoder_start_token_id, dtype=torch.long, device=input_ids.device
        )
        strategy_ids = torch.tensor(self.config.strategy_token_ids, device=input_ids.device)
        logits = self(encoder_outputs=encoder_outputs, attention_mask=attention_mask, decoder_input_ids=start).logits
        logits = logits[:, -1, strategy_ids]
        if self.config.fuse_persona:
            alpha = self.config.strategy_selection_alpha if selection_alpha is None else selection_alpha
            plain = self(
                encoder_outputs=self.plain_encoder_outputs(encoder_outputs),
                attention_mask=attention_mask,
                decoder_input_ids=start,
            ).logits[:, -1, strategy_ids]
            logits = mix_logits(logits, plain, alpha)
        return logits.float().softmax(dim=-1)

    def generate(
        self,
        inputs: torch.LongTensor | None = None,
        generation_config: GenerationConfig | None = None,
        logits_processor: LogitsProcessorList | list | None = None,
        *,
        strategy: str | list[str | None] | None = None,
        strategy_alpha: str | list[float] | None = None,
        selection_alpha: float | None = None,
        sample_strategy: bool = False,
        use_strategy_control: bool = True,
        processor_order: str = "original",
        **kwargs,
    ):
        r"""
        `transformers` generation with PAL's strategy-based control ([`PalStrategyControl`]) on by default: the
        first token is a strategy, chosen from `(1 + a_sel) z_persona - a_sel z_plain`, and each later token is
        drawn from `(1 + a_s) z_persona - a_s z_plain`, with PAL's added tokens banned. Persona-aware and
        persona-free logits come from one batched decoder pass with one cache, correct for greedy, sampling, beam
        search and several returned sequences.

        Args:
            strategy (`str` or list, *optional*): force a strategy (by name) for every row, or one per row (`None`
                entries let PAL choose).
            strategy_alpha (`str` or 8 floats, *optional*): the per-strategy alphas (a preset name or values);
                default `config.strategy_alpha`.
            selection_alpha (`float`, *optional*): alpha of the strategy choice; default
                `config.strategy_selection_alpha`.
            sample_strategy (`bool`): when sampling, sample the strategy too (PAL takes its argmax).
            use_strategy_control (`bool`): `False` gives plain `transformers` generation from the persona model.
            processor_order (`"original"` or `"transformers"`): `"original"` (default) mixes the logits before the
                repetition penalty, as PAL did; `"transformers"` leaves the penalty where `generate()` puts it,
                before every user processor.
            kwargs: `input_ids`/`inputs`, `attention_mask`, `persona_input_ids`, `persona_attention_mask` and any
                generation setting.

        A [`PalStrategyControl`] passed in `logits_processor` is used instead of building one (read its
        `strategy_scores` and `strategies(sequences)` afterwards); with `return_dict_in_generate=True` the output
        also carries `strategy_scores`, shape `(rows, num_strategies)`.
        """
        options = dict(strategy=strategy, strategy_alpha=strategy_alpha, selection_alpha=selection_alpha)
        if not use_strategy_control:
            start = kwargs.get("decoder_input_ids")
            kwargs = plain_generate_kwargs(
                generation_config or self.generation_config,
                logits_processor,
                kwargs,
                1 if start is None else start.shape[-1],  # the decoder start token, or the decoder prompt given
                options,
            )
            return super().generate(inputs, generation_config, logits_processor, **kwargs)
        control, processors, generation_config, model_kwargs = setup_strategy_control(
            self.config,
            generation_config or self.generation_config,
            logits_processor,
            kwargs,
            two_view=self.config.fuse_persona,  # the persona-free baseline has no second view to contrast
            prefix_length=1,  # the decoder start token
            sample_strategy=sample_strategy,
            processor_order=processor_order,
            **options,
        )
        input_ids = model_kwargs.pop("input_ids", inputs)
        if model_kwargs.get("encoder_outputs") is None:
            if input_ids is None:
                raise ValueError("Give `input_ids` (the encoded context) to generate from.")
            if model_kwargs.get("attention_mask") is None:
                model_kwargs["attention_mask"] = input_ids.ne(self.config.pad_token_id).long()
            model_kwargs["encoder_outputs"] = self.get_encoder()(
                input_ids=input_ids,
                attention_mask=model_kwargs["attention_mask"],
                persona_input_ids=model_kwargs.pop("persona_input_ids", None),
                persona_attention_mask=model_kwargs.pop("persona_attention_mask", None),
                output_attentions=bool(generation_config.output_attentions),
                output_hidden_states=bool(generation_config.output_hidden_states),
            )
        output = super().generate(
            input_ids,  # the encoder's input, read by the encoder penalties and an assistant model, not encoded again
            generation_config=generation_config,
            logits_processor=processors,
            strategy_control=control,
            **model_kwargs,
        )
        if generation_config.return_dict_in_generate:
            output["strategy_scores"] = control.strategy_scores
        return output


PalForConditionalGeneration.register_for_auto_class("AutoModelForSeq2SeqLM")

__all__ = [
    "PalEncoder",
    "PalEncoderOutput",
    "PalForConditionalGeneration",
    "PalModel",
    "PalPersonaFusion",
]
