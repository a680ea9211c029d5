"""
Batched generation from prompts that share prefixes, each shared prefix computed once: the growing prefixes of one
dialogue (PESConv's `persona_list`, one prompt per seeker utterance) then cost about one pass over the dialogue
instead of one pass per prompt.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from transformers import DynamicCache


def common_prefix_length(a: Sequence[int], b: Sequence[int]) -> int:
    """How many leading tokens `a` and `b` share."""
    length = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        length += 1
    return length


@torch.no_grad()
def shared_prefix_batch(
    model,
    prompts: Sequence[Sequence[int]],
    groups: Sequence[Sequence[int]],
    pad_id: int,
) -> tuple[torch.LongTensor, torch.LongTensor, DynamicCache | None]:
    """
    `prompts` (token id lists) of a decoder-only `model` as one batch to `generate` from, with the prompts of each
    group (indices into `prompts`) read once: the group's longest prompt runs through the model a single time, and
    every prompt of the group starts from its longest common prefix with that one, so only its own tail is left to
    compute. Rows are laid out as `[pad…][shared prefix][pad…][tail]`: the attention mask hides the pads and the
    positions count only real tokens, so each row reads exactly its prompt. Returns `(input_ids, attention_mask,
    cache)`; the cache (`None` if nothing is shared) holds the prefix columns.
    """
    if sorted(i for group in groups for i in group) != list(range(len(prompts))):
        raise ValueError("`groups` must cover every prompt exactly once.")
    if any(len(p) == 0 for p in prompts):
        raise ValueError("Every prompt needs at least one token.")
    device = model.device
    bases = [max(group, key=lambda i: len(prompts[i])) for group in groups]
    base_of = {i: g for g, group in enumerate(groups) for i in group}
    # Each prompt keeps at least its last token as tail: `generate` needs one uncached input token per row.
    shared = [
        min(common_prefix_length(prompts[i], prompts[bases[base_of[i]]]), len(prompts[i]) - 1)
        for i in range(len(prompts))
    ]
    width = max(shared)
    tail_width = max(len(p) - s for p, s in zip(prompts, shared, strict=True))
    rows = len(prompts)
    input_ids = torch.full((rows, width + tail_width), pad_id, dtype=torch.long, device=device)
    attention_mask = torch.zeros_like(input_ids)
    for i, prompt in enumerate(prompts):
        s, tail = shared[i], prompt[shared[i] :]
        input_ids[i, width - s : width] = torch.tensor(prompt[:s], dtype=torch.long, device=device)
        attention_mask[i, width - s : width] = 1
        input_ids[i, input_ids.shape[1] - len(tail) :] = torch.tensor(tail, dtype=torch.long, device=device)
        attention_mask[i, input_ids.shape[1] - len(tail) :] = 1
    if not width:
        return input_ids, attention_mask, None

    # The shared prefixes: every group's longest prompt once (as far as it is shared), right-padded into one batch.
    prefix_length = [max(shared[i] for i in group) for group in groups]
    base_ids = torch.full((len(groups), width), pad_id, dtype=torch.long, device=device)
    base_mask = torch.zeros_like(base_ids)
    for g, length in enumerate(prefix_length):
        base_ids[g, :length] = torch.tensor(prompts[bases[g]][:length], dtype=torch.long, device=device)
        base_mask[g, :length] = 1
    layers = model(input_ids=base_ids, attention_mask=base_mask, use_cache=True).cache.layers
    cache_data = []
    for layer in layers:  # keys and values: (groups, kv_heads, width, head_dim) -> each row's, right-aligned
        keys, values = (
            layer.keys.new_zeros(rows, *layer.keys.shape[1:]),
            layer.values.new_zeros(rows, *layer.values.shape[1:]),
        )
        for i, s in enumerate(shared):
            if s:
                keys[i, :, width - s :] = layer.keys[base_of[i], :, :s]
                values[i, :, width - s :] = layer.values[base_of[i], :, :s]
        cache_data.append((keys, values))
    return input_ids, attention_mask, DynamicCache(cache_data, config=model.config)


def generate_with_shared_prefixes(
    model, prompts: Sequence[Sequence[int]], groups: Sequence[Sequence[int]], pad_id: int, **generate_kwargs
) -> torch.LongTensor:
    """
    What `model.generate` (a decoder-only model, one sequence per prompt) writes after each of `prompts`, each group's
    shared prefix read once (`shared_prefix_batch`). Returns the new tokens, `(len(prompts), new_tokens)`, rows that
    ended early padded as `generate` pads them.
    """
    if generate_kwargs.get("num_beams", 1) != 1 or generate_kwargs.get("num_return_sequences", 1) != 1:
        raise ValueError("Generation from shared prefixes writes one sequence per prompt, without beams.")
    input_ids, attention_mask, cache = shared_prefix_batch(model, prompts, groups, pad_id)
    if cache is not None:
        generate_kwargs["cache"] = cache
    sequences = model.generate(input_ids=input_ids, attention_mask=attention_mask, **generate_kwargs)
    return sequences[:, input_ids.shape[1] :]


__all__ = ["common_prefix_length", "generate_with_shared_prefixes", "shared_prefix_batch"]
