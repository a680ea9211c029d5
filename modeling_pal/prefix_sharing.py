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
def generate_with_shared_prefixes(
    model, prompts: Sequence[Sequence[int]], groups: Sequence[Sequence[int]], pad_id: int, **generate_kwargs
) -> torch.LongTensor:
    """
    What `model.generate` (a decoder-only model) writes after each of `prompts` (token id lists), with the prompts of
    each group (indices into `prompts`) read once: the group's longest prompt runs through the model a single time,
    and every prompt of the group starts from its longest common prefix with that one, so only its own tail is
    computed. Rows are laid out as `[pad…][shared prefix][pad…][tail]`: the attention mask hides the pads and the
    positions count only real tokens, so each row reads exactly its prompt. Returns the new tokens,
    `(len(prompts), new_tokens)` (rows that ended early padded as `generate` pads them); `pad_id` fills the
    layout's gaps.
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

    # 1. The shared prefixes: every group's longest prompt once, right-padded into one batch.
    prefix_length = [max((shared[i] for i in group), default=0) for group in groups]
    base_ids = torch.full((len(groups), max(max(prefix_length), 1)), pad_id, dtype=torch.long, device=device)
    base_mask = torch.zeros_like(base_ids)
    for g, length in enumerate(prefix_length):
        base_ids[g, :length] = torch.tensor(prompts[bases[g]][:length], device=device)
        base_mask[g, :length] = 1
    layers = None
    if width:
        output = model(input_ids=base_ids, attention_mask=base_mask, use_cache=True)
        cache = output.cache
        layers = [(layer.keys, layer.values) for layer in cache.layers]  # each (groups, kv_heads, length, head_dim)

    # 2. Each row: its prefix's cached keys and values, right-aligned in `width`, then its tail, right-aligned.
    rows = len(prompts)
    input_ids = torch.full((rows, width + tail_width), pad_id, dtype=torch.long, device=device)
    attention_mask = torch.zeros_like(input_ids)
    cache_data = []
    if layers is not None:
        cache_data = [
            (
                keys.new_zeros(rows, keys.shape[1], width, keys.shape[3]),
                values.new_zeros(rows, values.shape[1], width, values.shape[3]),
            )
            for keys, values in layers
        ]
    for i, prompt in enumerate(prompts):
        s, tail = shared[i], prompt[shared[i] :]
        if s:
            input_ids[i, width - s : width] = torch.tensor(prompt[:s], device=device)
            attention_mask[i, width - s : width] = 1
            for (keys, values), (row_keys, row_values) in zip(layers, cache_data, strict=True):
                row_keys[i, :, width - s :] = keys[base_of[i], :, :s]
                row_values[i, :, width - s :] = values[base_of[i], :, :s]
        input_ids[i, input_ids.shape[1] - len(tail) :] = torch.tensor(tail, device=device)
        attention_mask[i, input_ids.shape[1] - len(tail) :] = 1
    if cache_data:
        generate_kwargs["cache"] = DynamicCache(cache_data, config=model.config)
    sequences = model.generate(input_ids=input_ids, attention_mask=attention_mask, **generate_kwargs)
    return sequences[:, input_ids.shape[1] :]


__all__ = ["common_prefix_length", "generate_with_shared_prefixes"]
