"""Turning a conversation and a persona into PAL's model inputs, exactly as the original inputter builds them."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import torch
from transformers import BatchEncoding

from .strategies import find_strategy, strategy_token

logger = logging.getLogger(__name__)

SEEKER = "seeker"
SUPPORTER = "supporter"
ROLE_ALIASES: dict[str, str] = {
    "seeker": SEEKER,
    "user": SEEKER,
    "usr": SEEKER,
    "supporter": SUPPORTER,
    "assistant": SUPPORTER,
    "sys": SUPPORTER,
}
# PAL's turn prefixes (the seeker's is "Persona:" in the original code, kept for compatibility with its checkpoints).
SEEKER_PREFIX = "Persona:"
SUPPORTER_PREFIX = "System:"
TURN_SEPARATOR = "</s> <s>"
# The spaces a BERT-style tokenizer's decoding leaves inside contractions ("i ' m", "don ' t") and before punctuation.
CONTRACTION_SPACES = re.compile(r"(\w) ' (s|m|t|d|ll|re|ve)\b")
SPACE_BEFORE_PUNCTUATION = re.compile(r" ([.,!?])")
# Half of a UTF-16 surrogate pair on its own: not a character, and no tokenizer can encode it.
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def normalize_role(role: object, index: int) -> str:
    """`"user"`/`"seeker"` -> `"seeker"`, `"assistant"`/`"supporter"` -> `"supporter"`; anything else is an error."""
    if not isinstance(role, str) or role.lower() not in ROLE_ALIASES:
        raise ValueError(f"Message {index} has role {role!r}; use 'user'/'seeker' or 'assistant'/'supporter'.")
    return ROLE_ALIASES[role.lower()]


def validate_conversation(
    messages: Sequence[Mapping], strategy_names: Sequence[str] | None = None
) -> list[dict[str, str | None]]:
    """
    Checks a conversation (a list of `{"role", "content"}` dicts, supporter turns optionally with a `"strategy"`) and
    returns it with normalized roles. Raises a `ValueError` that says what to fix.
    """
    if isinstance(messages, (str, bytes)) or not isinstance(messages, Sequence):
        raise ValueError(f"A conversation is a list of {{'role', 'content'}} messages, got {type(messages).__name__}.")
    if len(messages) == 0:
        raise ValueError("The conversation is empty: give at least one seeker message.")
    cleaned = []
    for i, message in enumerate(messages):
        if isinstance(message, Sequence) and not isinstance(message, str) and len(message) == 2:
            raise ValueError(
                f"Message {i} is a pair {tuple(message)!r}: give each message as a dict, "
                "{'role': 'user' or 'assistant', 'content': text}."
            )
        if not isinstance(message, Mapping) or "role" not in message or "content" not in message:
            raise ValueError(f"Message {i} must be a dict with 'role' and 'content', got {message!r}.")
        role = normalize_role(message["role"], i)
        content = message["content"]
        if not isinstance(content, str):
            raise ValueError(f"Message {i} has content of type {type(content).__name__}; it must be a string.")
        if not content.strip():
            raise ValueError(f"Message {i} is empty.")
        surrogate = LONE_SURROGATE.search(content)
        if surrogate:
            raise ValueError(
                f"Message {i} holds an invalid character at position {surrogate.start()} (a lone UTF-16 surrogate, "
                f"{surrogate.group()!a}): send the text as valid Unicode."
            )
        strategy = message.get("strategy")
        if strategy is not None:
            if role != SUPPORTER:
                raise ValueError(f"Message {i} is a seeker message but carries a strategy ({strategy!r}).")
            if strategy_names is not None:
                try:
                    strategy = strategy_names[find_strategy(strategy_names, strategy)]
                except ValueError as error:
                    raise ValueError(f"Message {i}: {error}") from None
        cleaned.append({"role": role, "content": content.strip(), "strategy": strategy})
    return cleaned


def format_context(messages: Sequence[Mapping], strategy_names: Sequence[str] | None = None) -> str:
    """
    PAL's context string: seeker turns as `"Persona:" + text`, supporter turns as `"System:" + "[Strategy]" + text`
    (the strategy token only where known), then a final `"System:"` for the turn to write, joined by `"</s> <s>"`.
    """
    turns = []
    for message in validate_conversation(messages, strategy_names):
        if message["role"] == SEEKER:
            turns.append(SEEKER_PREFIX + message["content"])
        else:
            strategy = strategy_token(message["strategy"]) if message["strategy"] else ""
            turns.append(SUPPORTER_PREFIX + strategy + message["content"])
    turns.append(SUPPORTER_PREFIX)
    return TURN_SEPARATOR.join(turns)


def conversation_messages(item: str | Sequence[Mapping]) -> list[Mapping]:
    """
    One pipeline input as messages: a string is the seeker's one message; a list of messages (or the `Chat` a
    pipeline makes of one) is returned as it is.
    """
    if isinstance(item, str):
        return [{"role": SEEKER, "content": item}]
    return list(getattr(item, "messages", item))


def is_role_pair(item: Any) -> bool:
    """Whether `item` is a `(role, text)` pair, the message layout some chat libraries use instead of dicts."""
    return (
        isinstance(item, (list, tuple))
        and len(item) == 2
        and all(isinstance(x, str) for x in item)
        and item[0].lower() in ROLE_ALIASES
    )


def check_pipeline_inputs(inputs, validate: Callable[[Any], Any], name: str) -> None:
    """
    Both pipelines read inputs as `transformers` pipelines do: one conversation is a string or a list of messages, a
    list of conversations is a batch, and a Dataset or generator of them streams. A conversation given directly, or
    each of a list, is checked up front with `validate`, so that an error names the `name` (e.g. "Conversation 2")
    it is about; an empty list is an error.
    """
    if not isinstance(inputs, (str, list, tuple)):
        return  # a Dataset or generator: each conversation is checked as it streams
    if isinstance(inputs, (list, tuple)) and len(inputs) == 0:
        raise ValueError(
            "The input is empty: give a conversation (a string or a list of {'role', 'content'} messages), or a list "
            "of conversations."
        )
    if isinstance(inputs, str) or isinstance(inputs[0], Mapping) or is_role_pair(inputs[0]):
        validate(inputs)  # one conversation (a list of (role, text) pairs is one too: its error says how to fix it)
        return
    for i, item in enumerate(inputs):
        try:
            validate(item)
        except ValueError as error:
            raise ValueError(f"{name} {i}: {error}") from None


def pad_rows(rows: list[list[int]], pad_id: int, side: str = "right") -> tuple[torch.Tensor, torch.Tensor]:
    """Pads id lists on the `side` given (`"right"`, or `"left"` for decoder-only generation) to `(ids, mask)`
    tensors of shape `(len(rows), longest)`."""
    if side not in ("left", "right"):
        raise ValueError(f"side must be 'left' or 'right', got {side!r}.")
    length = max(len(r) for r in rows)
    ids = torch.full((len(rows), length), pad_id, dtype=torch.long)
    mask = torch.zeros((len(rows), length), dtype=torch.long)
    for i, row in enumerate(rows):
        span = slice(length - len(row), length) if side == "left" else slice(0, len(row))
        ids[i, span] = torch.tensor(row, dtype=torch.long)
        mask[i, span] = 1
    return ids, mask


def pal_batches(
    context_lengths: Sequence[int],
    persona_lengths: Sequence[int] | None,
    fusion_reads_padding: bool,
    batch_size: int | None = None,
) -> list[list[int]]:
    """
    The one rule for which rows share a batch (the pipeline, `pal-evaluate`, validation): rows in order, `batch_size`
    at a time (`None`: all). Where PAL's fusion attends over its padding (the original fusion,
    `config.fusion_mask_padding=False`), it pads context and persona to the longer of the two, so a batch then holds
    only rows of one padded length, and every row gets exactly what it gets alone, whatever the batch size.
    """
    size = batch_size or max(len(context_lengths), 1)
    if persona_lengths is None or not fusion_reads_padding:
        groups = [list(range(len(context_lengths)))]
    else:
        by_length: dict[int, list[int]] = {}
        for i, lengths in enumerate(zip(context_lengths, persona_lengths, strict=True)):
            by_length.setdefault(max(lengths), []).append(i)
        groups = list(by_length.values())
    return [group[start : start + size] for group in groups for start in range(0, len(group), size)]


def encode_pal_inputs(
    tokenizer,
    contexts: Sequence[str],
    personas: Sequence[str] | None,
    max_input_length: int = 512,
    truncate: bool = True,
) -> tuple[BatchEncoding, list[int]]:
    """
    Tokenizes contexts (and personas, unless the model fuses none) into a right-padded batch for
    [`PalForConditionalGeneration`]: `input_ids`, `attention_mask`, `persona_input_ids`, `persona_attention_mask`.

    Like PAL, a context longer than `max_input_length` keeps its last `max_input_length` tokens when `truncate`
    (a warning says so); with `truncate=False` it is an error. Personas are never truncated: one longer than
    `max_input_length` is an error. Returns the batch and, per row, the number of context tokens cut.
    """
    if isinstance(contexts, str):
        raise ValueError("`contexts` is a list of context strings, not one string.")
    if len(contexts) == 0:
        raise ValueError("No contexts to encode.")
    if personas is not None and len(personas) != len(contexts):
        raise ValueError(f"Mismatched batch sizes: {len(contexts)} contexts but {len(personas)} personas.")
    context_rows, cut = [], []
    for i, text in enumerate(contexts):
        ids = tokenizer.encode(text, add_special_tokens=False, verbose=False)  # its length is checked here
        if not ids:
            raise ValueError(f"Context {i} is empty.")
        excess = max(0, len(ids) - max_input_length)
        if excess and not truncate:
            raise ValueError(f"Context {i} has {len(ids)} tokens, more than max_input_length={max_input_length}.")
        context_rows.append(ids[excess:])
        cut.append(excess)
    if any(cut):
        logger.warning("Kept the last %d tokens of %d over-long context(s).", max_input_length, sum(c > 0 for c in cut))
    batch = dict(zip(("input_ids", "attention_mask"), pad_rows(context_rows, tokenizer.pad_token_id), strict=True))
    if personas is not None:
        persona_rows = []
        for i, text in enumerate(personas):
            ids = tokenizer.encode(text, add_special_tokens=False)
            if not ids:
                raise ValueError(f"Persona {i} is empty; use format_persona([]) ('<input>') when none is known.")
            if len(ids) > max_input_length:
                raise ValueError(f"Persona {i} has {len(ids)} tokens, more than max_input_length={max_input_length}.")
            persona_rows.append(ids)
        ids, mask = pad_rows(persona_rows, tokenizer.pad_token_id)
        batch.update(persona_input_ids=ids, persona_attention_mask=mask)
    return BatchEncoding(batch), cut


def hard_prompt_ids(persona_ids: Sequence[int], context_ids: Sequence[int], max_input_length: int) -> list[int]:
    """
    The input of the paper's Hard Prompt baseline: the persona's tokens, then the most recent context tokens that still
    fit in `max_input_length` (none when the persona alone fills it).
    """
    room = max_input_length - len(persona_ids)
    return [*persona_ids, *(context_ids[-room:] if room > 0 else [])]


def decode_response(tokenizer, sequence: Sequence[int] | torch.Tensor) -> str:
    """
    The response text of a generated sequence `[start, strategy, response..., eos, pad...]`: special tokens dropped,
    contractions and punctuation re-attached (`"i ' m fine , don ' t"` -> `"i'm fine, don't"`).
    """
    return tidy_response(tokenizer.decode(sequence[2:], skip_special_tokens=True))


def tidy_response(text: str) -> str:
    """Decoded text with contractions and punctuation re-attached (`"i ' m fine , don ' t"` -> `"i'm fine, don't"`)."""
    return SPACE_BEFORE_PUNCTUATION.sub(r"\1", CONTRACTION_SPACES.sub(r"\1'\2", text)).strip()


__all__ = [
    "ROLE_ALIASES",
    "check_pipeline_inputs",
    "conversation_messages",
    "decode_response",
    "tidy_response",
    "encode_pal_inputs",
    "format_context",
    "pal_batches",
    "hard_prompt_ids",
    "normalize_role",
    "validate_conversation",
]
