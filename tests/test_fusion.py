"""The fusion, checked against the equations of the PAL paper/code computed here by hand."""

import torch
from transformers import BlenderbotSmallConfig, BlenderbotSmallForConditionalGeneration
from transformers.models.blenderbot_small.modeling_blenderbot_small import BlenderbotSmallEncoder

from conftest import randomize_fusion


def reference_fusion(context, persona, persona_norm, context_norm, w):
    """PAL's fusion from its equations (no padding masks)."""
    ctx_att = torch.softmax(persona @ context.transpose(1, 2), dim=-1) @ context
    per_att = torch.softmax(context @ persona.transpose(1, 2), dim=-1) @ persona
    ctx_att = torch.nn.functional.layer_norm(ctx_att + persona, (context.shape[-1],), *persona_norm)
    per_att = torch.nn.functional.layer_norm(context + per_att, (context.shape[-1],), *context_norm)
    w = torch.softmax(w, dim=0)
    return w[0] * context + w[1] * ctx_att + w[2] * per_att


def reference_encode(model, ids, mask):
    """The plain BlenderbotSmall encoder (transformers' own class) with the PAL model's weights."""
    return BlenderbotSmallEncoder.forward(model.model.encoder, input_ids=ids, attention_mask=mask).last_hidden_state


def padded(ids, length):
    out = torch.zeros((ids.shape[0], length), dtype=ids.dtype)
    out[:, : ids.shape[1]] = ids
    return out


def test_encoder_output_matches_the_equations(tiny, batch):
    model, _ = tiny
    randomize_fusion(model)
    length = max(batch["input_ids"].shape[1], batch["persona_input_ids"].shape[1])
    ctx_ids, per_ids = padded(batch["input_ids"], length), padded(batch["persona_input_ids"], length)
    with torch.no_grad():
        context = reference_encode(model, ctx_ids, ctx_ids.ne(0).long())
        persona = reference_encode(model, per_ids, per_ids.ne(0).long())
        fusion = model.model.encoder.fusion
        expected = reference_fusion(
            context,
            persona,
            (fusion.persona_norm.weight, fusion.persona_norm.bias),
            (fusion.context_norm.weight, fusion.context_norm.bias),
            fusion.persona_context_w,
        )
        output = model.get_encoder()(**batch)
    assert output.last_hidden_state.shape == (2, length, model.config.d_model)
    torch.testing.assert_close(output.last_hidden_state, expected, rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(output.context_hidden_state, context, rtol=1e-5, atol=1e-5)


def test_persona_longer_than_context_pads_the_context(tiny, tokenizer):
    model, _ = tiny
    randomize_fusion(model)
    ctx = torch.tensor([[5, 6, 7]])
    per = torch.tensor([[54946, 14, 195, 12, 3000, 5, 54946, 14, 49, 95, 54947]])
    with torch.no_grad():
        output = model.get_encoder()(input_ids=ctx, persona_input_ids=per)
        context = reference_encode(model, padded(ctx, 11), padded(ctx, 11).ne(0).long())
        persona = reference_encode(model, per, torch.ones_like(per))
        fusion = model.model.encoder.fusion
        expected = reference_fusion(
            context,
            persona,
            (fusion.persona_norm.weight, fusion.persona_norm.bias),
            (fusion.context_norm.weight, fusion.context_norm.bias),
            fusion.persona_context_w,
        )
    torch.testing.assert_close(output.last_hidden_state, expected, rtol=1e-5, atol=1e-5)


def test_decoder_reads_fused_states_through_the_context_mask(tiny, batch):
    """PAL's logits equal BlenderbotSmall's when BlenderbotSmall's decoder is handed the fused states."""
    model, _ = tiny
    randomize_fusion(model)
    reference = BlenderbotSmallForConditionalGeneration(BlenderbotSmallConfig(**model.config.to_diff_dict()))
    missing, unexpected = reference.load_state_dict(model.state_dict(), strict=False)
    assert not missing and all(".fusion." in k for k in unexpected)
    reference.eval()
    decoder_ids = torch.tensor([[1, 54948, 15, 20], [1, 54955, 7, 8]])
    with torch.no_grad():
        fused = model.get_encoder()(**batch).last_hidden_state
        length = fused.shape[1]
        mask = padded(batch["attention_mask"], length)
        expected = reference(encoder_outputs=(fused,), attention_mask=mask, decoder_input_ids=decoder_ids).logits
        logits = model(**batch, decoder_input_ids=decoder_ids).logits
    torch.testing.assert_close(logits, expected, rtol=1e-5, atol=1e-5)


def test_unmasked_fusion_depends_on_padding_and_masked_does_not(tokenizer, batch):
    from modeling_pal import tiny_random_pal

    for mask_padding in (False, True):
        model, _ = tiny_random_pal(tokenizer, seed=0, fusion_mask_padding=mask_padding)
        randomize_fusion(model)
        row = {
            k: v[1:2, : int(batch["attention_mask"][1].sum()) if "persona" not in k else None] for k, v in batch.items()
        }
        row["persona_input_ids"] = row["persona_input_ids"][:, : int(row["persona_attention_mask"].sum())]
        row["persona_attention_mask"] = row["persona_attention_mask"][:, : row["persona_input_ids"].shape[1]]
        with torch.no_grad():
            alone = model.strategy_distribution(**row)
            in_batch = model.strategy_distribution(**batch)[1:2]
        assert torch.allclose(alone, in_batch, atol=1e-6) is mask_padding
