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
