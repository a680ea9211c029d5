import pytest
import torch
from transformers import AutoModelForSeq2SeqLM

from modeling_pal import PalForConditionalGeneration, tiny_random_pal

from conftest import randomize_fusion


def test_loss_is_mean_token_cross_entropy(tiny, batch):
    model, _ = tiny
    labels = torch.tensor([[54948, 15, 20, 2], [54955, 7, 2, -100]])
    output = model(**batch, labels=labels)
    decoder_ids = torch.tensor([[1, 54948, 15, 20], [1, 54955, 7, 2]])
    logits = model(**batch, decoder_input_ids=decoder_ids).logits
    log_probs = logits.log_softmax(-1)
    keep = labels.ne(-100)
    expected = -log_probs[keep].gather(-1, labels[keep][:, None]).mean()
    torch.testing.assert_close(output.loss, expected)
    output.loss.backward()
    assert model.model.encoder.fusion.persona_context_w.grad is not None


def manual_greedy(model, batch, steps):
    """Greedy decoding without generate() and without a cache: the whole prefix is re-run each step."""
    ids = torch.ones((batch["input_ids"].shape[0], 1), dtype=torch.long)
    for _ in range(steps):
        logits = model(**batch, decoder_input_ids=ids, use_cache=False).logits[:, -1]
        ids = torch.cat([ids, logits.argmax(-1, keepdim=True)], dim=1)
    return ids


def test_generate_with_cache_matches_manual_greedy(tiny, batch):
    model, _ = tiny
    randomize_fusion(model)
    generated = model.generate(
        **batch, do_sample=False, max_new_tokens=6, min_length=0, use_cache=True, use_strategy_control=False
    )
    assert torch.equal(generated, manual_greedy(model, batch, 6))


def test_persona_passed_to_generate_reaches_the_fusion(tiny, batch):
    model, _ = tiny
    randomize_fusion(model)
    other = dict(batch, persona_input_ids=batch["persona_input_ids"].flip(1))
    other["persona_attention_mask"] = other["persona_input_ids"].ne(0).long()
    kwargs = dict(
        do_sample=False, max_new_tokens=3, output_logits=True, return_dict_in_generate=True, use_strategy_control=False
    )
    first = model.generate(**batch, **kwargs).logits[0]
    second = model.generate(**other, **kwargs).logits[0]
    assert not torch.allclose(first, second)
    with torch.no_grad():
        expected = model(**batch, decoder_input_ids=torch.ones((2, 1), dtype=torch.long)).logits[:, -1]
    torch.testing.assert_close(first, expected, rtol=1e-5, atol=1e-5)


def test_beam_search_and_several_sequences(tiny, batch):
    model, _ = tiny
    randomize_fusion(model)
    plain = dict(do_sample=False, num_beams=3, max_new_tokens=5, use_strategy_control=False)
    out = model.generate(**batch, num_return_sequences=2, **plain)
    assert out.shape[0] == 4
    # The best beam of a row equals the best beam when the row is decoded alone with the same padding.
    single = {k: v[:1] for k, v in batch.items()}
    alone = model.generate(**single, **plain)
    assert torch.equal(out[0, : alone.shape[1]], alone[0])


def test_strategy_distribution(tiny, batch):
    model, _ = tiny
    randomize_fusion(model)
    probs = model.strategy_distribution(**batch)
    assert probs.shape == (2, 8)
    torch.testing.assert_close(probs.sum(-1), torch.ones(2))
    start = torch.ones((2, 1), dtype=torch.long)
    with torch.no_grad():
        encoded = model.get_encoder()(**batch)
        z_persona = model(encoder_outputs=encoded, attention_mask=batch["attention_mask"], decoder_input_ids=start)
        z_plain = model(
            encoder_outputs=model.plain_encoder_outputs(encoded),
            attention_mask=batch["attention_mask"],
            decoder_input_ids=start,
        )
    ids = model.config.strategy_token_ids
    mixed = 1.075 * z_persona.logits[:, -1, ids] - 0.075 * z_plain.logits[:, -1, ids]
    torch.testing.assert_close(probs, mixed.softmax(-1))
    unmixed = model.strategy_distribution(**batch, selection_alpha=0.0)
    torch.testing.assert_close(unmixed, z_persona.logits[:, -1, ids].softmax(-1))


def test_joint_variant_has_no_fusion(tokenizer, batch):
    model, _ = tiny_random_pal(tokenizer, fuse_persona=False)
    assert not any(".fusion." in k for k in model.state_dict())
    plain = {k: v for k, v in batch.items() if not k.startswith("persona")}
    assert model.strategy_distribution(**plain).shape == (2, 8)
    with pytest.raises(ValueError, match="does not fuse a persona"):
        model(**batch, decoder_input_ids=torch.ones((2, 1), dtype=torch.long))


def test_bad_inputs_get_clear_errors(tiny, batch):
    model, _ = tiny
    start = torch.ones((2, 1), dtype=torch.long)
    no_persona = {k: v for k, v in batch.items() if not k.startswith("persona")}
    with pytest.raises(ValueError, match="needs `persona_input_ids`"):
        model(**no_persona, decoder_input_ids=start)
    with pytest.raises(ValueError, match="Mismatched batch sizes: 2 contexts but 1 personas"):
        model(
            **dict(
                batch,
                persona_input_ids=batch["persona_input_ids"][:1],
                persona_attention_mask=batch["persona_attention_mask"][:1],
            ),
            decoder_input_ids=start,
        )
    empty = dict(batch, persona_attention_mask=torch.zeros_like(batch["persona_attention_mask"]))
    with pytest.raises(ValueError, match=r"persona of batch row\(s\) \[0, 1\] is empty"):
        model(**empty, decoder_input_ids=start)
    long_ids = torch.full((1, 600), 5)
    with pytest.raises(ValueError, match="600 tokens; this model reads at most 512"):
        model(input_ids=long_ids, persona_input_ids=torch.tensor([[54947]]), decoder_input_ids=start[:1])


def test_auto_class_in_process(tiny, tmp_path):
    model, tokenizer = tiny
    model.save_pretrained(tmp_path)
    loaded = AutoModelForSeq2SeqLM.from_pretrained(tmp_path)
    assert type(loaded) is PalForConditionalGeneration
