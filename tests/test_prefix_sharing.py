"""Generation from shared prefixes equals plain left-padded generation."""

import torch
from transformers import LlamaConfig, LlamaForCausalLM

from modeling_pal.conversation import pad_rows
from modeling_pal.prefix_sharing import common_prefix_length, generate_with_shared_prefixes

PAD = 0


def tiny_llama() -> LlamaForCausalLM:
    torch.manual_seed(0)
    config = LlamaConfig(
        vocab_size=64,
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        pad_token_id=PAD,
        eos_token_id=1,
    )
    return LlamaForCausalLM(config).eval()


def growing_prompts(start: list[int], utterances: list[list[int]], tail: list[int]) -> list[list[int]]:
    """One prompt per prefix of the utterances, each closed by the same tail (as the extractor's chat is)."""
    prompts, body = [], list(start)
    for utterance in utterances:
        body += utterance
        prompts.append(body + tail)
    return prompts


def test_common_prefix_length():
    assert common_prefix_length([1, 2, 3], [1, 2, 4, 5]) == 2 and common_prefix_length([], [1]) == 0


def test_shared_prefixes_generate_what_plain_generation_does():
    model = tiny_llama()
    first = growing_prompts([5, 6, 7], [[8, 9], [10], [11, 12, 13]], tail=[2, 3])
    second = growing_prompts([5, 6], [[20, 21, 22], [23]], tail=[2, 3])
    prompts = [*first, *second, [30, 31, 32]]
    groups = [[0, 1, 2], [3, 4], [5]]
    settings = dict(max_new_tokens=6, min_new_tokens=6, do_sample=False, pad_token_id=PAD)
    ours = generate_with_shared_prefixes(model, prompts, groups, PAD, **settings)
    ids, mask = pad_rows(prompts, PAD, side="left")
    plain = model.generate(input_ids=ids, attention_mask=mask, **settings)[:, ids.shape[1] :]
    assert ours.tolist() == plain.tolist()
    # Each prompt alone, unpadded, too.
    for i, prompt in enumerate(prompts):
        alone = model.generate(input_ids=torch.tensor([prompt]), **settings)[0, len(prompt) :]
        assert ours[i].tolist() == alone.tolist()


def test_two_view_decoding_from_shared_prefixes_equals_plain_two_view_decoding():
    from modeling_pal.bundled import tiny_random_pal_llama
    from modeling_pal.chat_layout import chat_views, render_prompt
    from modeling_pal.prefix_sharing import shared_prefix_batch

    model, tokenizer = tiny_random_pal_llama(seed=0)
    dialogue = [
        {"role": "user", "content": "I lost my job."},
        {"role": "assistant", "content": "I am sorry.", "strategy": "Reflection of feelings"},
        {"role": "user", "content": "My wife is a nurse."},
        {"role": "user", "content": "We have two kids."},
        {"role": "assistant", "content": "How are they?", "strategy": "Question"},
        {"role": "user", "content": "They are fine."},
    ]
    persona_list = [["my wife is a nurse."], ["i have two kids."], ["my kids are fine."]]
    views = [chat_views(dialogue[:end], persona_list, reply=True) for end in (1, 4, 6)]
    persona = [render_prompt(tokenizer, v.persona_view, 2048).input_ids for v in views]
    plain = [render_prompt(tokenizer, v.plain_view, 2048).input_ids for v in views]
    settings = dict(do_sample=False, max_new_tokens=5, min_new_tokens=5)
    pad = tokenizer.pad_token_id
    ids, mask, cache = shared_prefix_batch(model, persona + plain, [[0, 1, 2], [3, 4, 5]], pad)
    assert cache.get_seq_length() > 0
    ours = model.generate(
        input_ids=ids[:3],
        attention_mask=mask[:3],
        plain_input_ids=ids[3:],
        plain_attention_mask=mask[3:],
        cache=cache,
        **settings,
    )[:, ids.shape[1] :]
    persona_ids, persona_mask = pad_rows(persona, pad, side="left")
    plain_ids, plain_mask = pad_rows(plain, pad, side="left")
    reference = model.generate(
        input_ids=persona_ids,
        attention_mask=persona_mask,
        plain_input_ids=plain_ids,
        plain_attention_mask=plain_mask,
        **settings,
    )
    assert ours.tolist() == reference[:, -5:].tolist()
