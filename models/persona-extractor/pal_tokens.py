"""
PAL's 12 added tokens: adding them to any tokenizer, reading their ids back for a `PalConfig`, and the persona strings
made of them (`"<persona>s1<persona>s2<input>"` as the model reads it, `"<persona> s1 <persona> s2 <input>"` as PESConv
stores it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .strategies import PAL_STRATEGIES, strategy_token

# In the original order (`codes/CONFIG/strat.json`): with the BlenderBot-small tokenizer they get ids 54944..54955.
PAL_ADDED_TOKENS: tuple[str, ...] = (
    "</s>",
    "<s>",
    "<persona>",
    "<input>",
    *(strategy_token(s) for s in PAL_STRATEGIES),
)
PERSONA_TOKEN = "<persona>"
INPUT_TOKEN = "<input>"


def add_pal_tokens(tokenizer) -> int:
    """Adds the PAL tokens a tokenizer lacks, in PAL's order, as special tokens. Returns how many were added."""
    missing = [t for t in PAL_ADDED_TOKENS if t not in tokenizer.get_vocab()]
    return tokenizer.add_tokens(missing, special_tokens=True) if missing else 0


def pal_token_ids(tokenizer, strategy_names: list[str] | tuple[str, ...] = PAL_STRATEGIES) -> dict[str, Any]:
    """
    The `PalConfig` fields that depend on the tokenizer (`vocab_size`, `strategy_token_ids`, `persona_token_id`,
    `input_token_id`, `added_token_ids`, `pad/bos/eos/decoder_start_token_id`), read from `tokenizer`.
    Raises a `ValueError` naming the tokens the tokenizer lacks.
    """
    vocab = tokenizer.get_vocab()
    needed = ["</s>", "<s>", PERSONA_TOKEN, INPUT_TOKEN, *(strategy_token(s) for s in strategy_names)]
    missing = [t for t in needed if t not in vocab]
    if missing:
        raise ValueError(f"The tokenizer lacks PAL's tokens {missing}; call `add_pal_tokens(tokenizer)` first.")
    for name in ("pad_token_id", "eos_token_id"):
        if getattr(tokenizer, name) is None:
            raise ValueError(f"The tokenizer has no {name[:-3]}; PAL needs one.")
    bos = tokenizer.bos_token_id if tokenizer.bos_token_id is not None else tokenizer.cls_token_id
    if bos is None:
        raise ValueError("The tokenizer has neither a bos nor a cls token to start the decoder with.")
    return {
        "vocab_size": len(tokenizer),
        "strategy_names": list(strategy_names),
        "strategy_token_ids": [vocab[strategy_token(s)] for s in strategy_names],
        "persona_token_id": vocab[PERSONA_TOKEN],
        "input_token_id": vocab[INPUT_TOKEN],
        "added_token_ids": [vocab[t] for t in needed],
        "pad_token_id": tokenizer.pad_token_id,
        "bos_token_id": bos,
        "eos_token_id": tokenizer.eos_token_id,
        "decoder_start_token_id": bos,
    }



def format_persona(sentences: Sequence[str]) -> str:
    """PAL's persona string `"<persona>s1<persona>s2<input>"`; `"<input>"` alone when no sentence is known."""
    if isinstance(sentences, str):
        raise ValueError("A persona is a list of sentences, not one string.")
    cleaned = []
    for i, sentence in enumerate(sentences):
        if not isinstance(sentence, str) or not sentence.strip():
            raise ValueError(f"Persona sentence {i} must be a non-empty string, got {sentence!r}.")
        cleaned.append(sentence.strip())
    return "".join(PERSONA_TOKEN + s for s in cleaned) + INPUT_TOKEN


def pesconv_persona(sentences: Sequence[str]) -> str:
    """
    A persona as PESConv stores it: `"<persona> s1 <persona> s2 <input>"`, or `"<persona><input>"` when the
    post-filter left no sentence (what PAL's extractor then gave).
    """
    if isinstance(sentences, str):
        raise ValueError("A persona is a list of sentences, not one string.")
    if not sentences:
        return PERSONA_TOKEN + INPUT_TOKEN
    return "".join(f"{PERSONA_TOKEN} {s} " for s in sentences) + INPUT_TOKEN


def split_persona(text: str) -> list[str]:
    """The sentences of a persona string (`"<persona> s1 <persona> s2 <input>"`, or a `" <persona> "`-joined target)."""
    text = text.replace(INPUT_TOKEN, " ")
    return [" ".join(s.split()) for s in text.split(PERSONA_TOKEN) if s.strip()]


def persona_sentences(persona: str | None) -> str:
    """The persona's sentences as plain text (PAL's `<persona>`/`<input>` markers removed)."""
    return " ".join(split_persona(persona or ""))

__all__ = [
    "INPUT_TOKEN",
    "PAL_ADDED_TOKENS",
    "PERSONA_TOKEN",
    "add_pal_tokens",
    "format_persona",
    "pal_token_ids",
    "persona_sentences",
    "pesconv_persona",
    "split_persona",
]
