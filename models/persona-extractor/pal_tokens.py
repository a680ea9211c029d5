"""PAL's 12 added tokens: adding them to any tokenizer, and reading their ids back for a `PalConfig`."""

from __future__ import annotations

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


__all__ = ["INPUT_TOKEN", "PAL_ADDED_TOKENS", "PERSONA_TOKEN", "add_pal_tokens", "pal_token_ids"]
