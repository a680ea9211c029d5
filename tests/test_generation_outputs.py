"""Both PAL models return what `transformers` models return: attentions and hidden states under strategy control,
the `past_key_values` alias, encoder outputs that take gradients, any `cache_implementation`, assisted decoding, the
encoder penalties."""

import pytest
import torch

from modeling_pal.bundled import tiny_random_pal, tiny_random_pal_llama

from conftest import enliven

OUTPUTS = dict(return_dict_in_generate=True, output_attentions=True, output_hidden_states=True)


def test_seq2seq_generate_returns_attentions_and_hidden_states_under_strategy_control(tiny, batch):
    model, _ = tiny
    model.set_attn_implementation("eager")  # attention weights are only returned by eager attention
    out = model.generate(**batch, do_sample=False, max_new_tokens=3, min_length=0, **OUTPUTS)
    for key in ("encoder_attentions", "encoder_hidden_states", "decoder_attentions", "cross_attentions"):
        assert out[key] is not None, key
    rows = batch["input_ids"].shape[0]
    assert out["encoder_attentions"][0].shape[0] == rows
    assert out["decoder_attentions"][0][0].shape[0] == rows
    assert out["strategy_scores"].shape == (rows, model.config.num_strategies)


def test_seq2seq_forward_takes_the_past_key_values_alias(tiny, batch):
    model, tokenizer = tiny
    start = torch.full((batch["input_ids"].shape[0], 1), model.config.decoder_start_token_id)
    first = model(**batch, decoder_input_ids=start, use_cache=True)
    step = torch.full_like(start, model.config.strategy_token_ids[0])
    with_cache = model(**batch, decoder_input_ids=step, cache=first.cache).logits
    first = model(**batch, decoder_input_ids=start, use_cache=True)
    with_alias = model(**batch, decoder_input_ids=step, past_key_values=first.cache).logits
    torch.testing.assert_close(with_alias, with_cache)


def test_seq2seq_encoder_outputs_take_gradients(tiny, batch):
    model, _ = tiny
    model.set_attn_implementation("eager")
    model.train()
    encoded = model.get_encoder()(**batch, output_hidden_states=True, output_attentions=True)
    for state in (encoded.hidden_states[-1], encoded.attentions[0]):
        state.retain_grad()
    start = torch.full((batch["input_ids"].shape[0], 1), model.config.decoder_start_token_id)
    logits = model(encoder_outputs=encoded, attention_mask=batch["attention_mask"], decoder_input_ids=start).logits
    logits.sum().backward()
    assert encoded.hidden_states[-1].grad is not None
    assert encoded.attentions[0].grad is not None


def test_chat_model_generate_returns_attentions_and_hidden_states_under_strategy_control():
    model, tokenizer = tiny_random_pal_llama()
    model.set_attn_implementation("eager")
    ids = torch.tensor([[5, 6, 7, 8, 9]])
    plain = torch.tensor([[5, 6, 9]])
    out = model.generate(input_ids=ids, plain_input_ids=plain, do_sample=False, max_new_tokens=3, **OUTPUTS)
    assert out["attentions"] is not None and out["hidden_states"] is not None
    assert out["attentions"][0][0].shape[0] == 1


DECODINGS = [dict(do_sample=False), dict(do_sample=False, num_beams=3, num_return_sequences=2)]


@pytest.mark.parametrize("options", DECODINGS)
def test_seq2seq_two_view_decoding_takes_a_static_cache(tiny, batch, options):
    model, _ = tiny
    settings = dict(max_new_tokens=6, min_new_tokens=6, **options)
    dynamic = model.generate(**batch, **settings)
    assert torch.equal(model.generate(**batch, cache_implementation="static", **settings), dynamic)


@pytest.mark.parametrize("options", DECODINGS)
def test_chat_model_two_view_decoding_takes_a_static_cache(options):
    model, _ = tiny_random_pal_llama(seed=0)
    ids = torch.tensor([[5, 6, 7, 8, 9], [0, 0, 5, 6, 7]])
    plain = torch.tensor([[5, 6, 9], [0, 5, 6]])
    inputs = dict(
        input_ids=ids, attention_mask=ids.ne(0).long(), plain_input_ids=plain, plain_attention_mask=plain.ne(0).long()
    )
    settings = dict(max_new_tokens=6, min_new_tokens=6, **options)
    dynamic = model.generate(**inputs, **settings)
    assert torch.equal(model.generate(**inputs, cache_implementation="static", **settings), dynamic)


def test_chat_model_assisted_decoding_equals_greedy_decoding():
    model = enliven(tiny_random_pal_llama(seed=0)[0])
    draft = enliven(tiny_random_pal_llama(seed=0, use_persona=False)[0], seed=1)
    inputs = dict(input_ids=torch.tensor([[5, 6, 7, 8, 9, 10, 11]]), plain_input_ids=torch.tensor([[5, 6, 11]]))
    settings = dict(do_sample=False, max_new_tokens=12, min_new_tokens=12)
    greedy = model.generate(**inputs, **settings)
    # The draft proposes other tokens (so the verification pass scores several positions at once) and the contrast
    # changes the reply: assisted decoding must still give exactly the greedy two-view reply.
    assert not torch.equal(draft.generate(input_ids=inputs["input_ids"], **settings), greedy)
    assert not torch.equal(model.generate(**inputs, strategy_alpha="off", **settings), greedy)
    assert torch.equal(model.generate(**inputs, assistant_model=draft, **settings), greedy)


def test_seq2seq_assisted_decoding_equals_greedy_decoding(tokenizer, batch):
    model = enliven(tiny_random_pal(tokenizer, seed=0)[0], scale=1.0)
    draft = enliven(tiny_random_pal(tokenizer, seed=0, fuse_persona=False)[0], seed=1, scale=1.0)
    one = {k: v[:1] for k, v in batch.items()}
    settings = dict(do_sample=False, max_new_tokens=10, min_new_tokens=10)
    greedy = model.generate(**one, **settings)
    assert not torch.equal(model.generate(**one, strategy_alpha="off", **settings), greedy)
    assert torch.equal(model.generate(**one, assistant_model=draft, **settings), greedy)


def test_seq2seq_encoder_penalties_read_the_context(tokenizer, batch):
    model = enliven(tiny_random_pal(tokenizer, seed=0)[0], scale=1.0)
    settings = dict(do_sample=False, max_new_tokens=2, min_new_tokens=2, return_dict_in_generate=True)
    plain = model.generate(**batch, output_scores=True, **settings).scores[1]  # the first response token
    penalized = model.generate(**batch, output_scores=True, encoder_repetition_penalty=2.0, **settings).scores[1]
    for row in range(batch["input_ids"].shape[0]):
        context = torch.zeros(plain.shape[1], dtype=torch.bool)
        context[batch["input_ids"][row]] = True
        finite = plain[row].isfinite()
        assert not torch.equal(penalized[row][context & finite], plain[row][context & finite])
        torch.testing.assert_close(penalized[row][~context], plain[row][~context])


def test_forwards_declare_transformers_kwargs():
    import inspect

    from modeling_pal.modeling_pal import PalEncoder, PalForConditionalGeneration, PalModel
    from modeling_pal.modeling_pal_llama import PalLlamaForCausalLM

    for cls in (PalEncoder, PalModel, PalForConditionalGeneration, PalLlamaForCausalLM):
        annotation = inspect.signature(cls.forward).parameters["kwargs"].annotation
        assert "Unpack[TransformersKwargs]" in str(annotation), cls
