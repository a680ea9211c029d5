"""What the package ships besides code: PAL's tokenizer, and tiny random-weight models for tests and smoke runs."""

from __future__ import annotations

from pathlib import Path

import torch
from transformers import AutoTokenizer

from .configuration_pal import PalConfig
from .export import pal_generation_config
from .modeling_pal import PalForConditionalGeneration
from .pal_tokens import PAL_ADDED_TOKENS, add_pal_tokens, pal_token_ids

BUNDLED_TOKENIZER_DIR = Path(__file__).parent / "tokenizer"
# The tiny random-weight encoder-decoder shape used for tests and smoke runs (PAL and the persona extractor).
TINY_ARCHITECTURE = dict(
    d_model=32,
    encoder_layers=2,
    decoder_layers=2,
    encoder_attention_heads=2,
    decoder_attention_heads=2,
    encoder_ffn_dim=64,
    decoder_ffn_dim=64,
    max_position_embeddings=512,
)


def load_pal_tokenizer(path: str | Path | None = None):
    """
    Loads a tokenizer and makes sure it carries PAL's 12 added tokens (adding those it lacks, in PAL's order).
    Without `path`: the bundled BlenderBot-small tokenizer, whose PAL token ids match the original checkpoints.
    """
    path = BUNDLED_TOKENIZER_DIR if path is None else Path(path)
    if not path.is_dir():
        raise FileNotFoundError(f"No tokenizer folder at {path}.")
    tokenizer = AutoTokenizer.from_pretrained(str(path))
    add_pal_tokens(tokenizer)
    return tokenizer


def tiny_pal_config(tokenizer, **overrides) -> PalConfig:
    """A 2+2-layer, 32-wide PAL config over `tokenizer`: random weights only, for tests and smoke runs."""
    fields = dict(
        **TINY_ARCHITECTURE,
        **pal_token_ids(tokenizer),
    )
    fields.update(overrides)
    return PalConfig(**fields)


def tiny_random_pal(tokenizer=None, seed: int = 0, **overrides) -> tuple[PalForConditionalGeneration, object]:
    """A tiny PAL model with random weights (it writes gibberish) and its tokenizer (the bundled one by default)."""
    tokenizer = load_pal_tokenizer() if tokenizer is None else tokenizer
    torch.manual_seed(seed)
    model = PalForConditionalGeneration(tiny_pal_config(tokenizer, **overrides)).eval()
    model.generation_config = pal_generation_config(model.config)
    return model, tokenizer


__all__ = ["BUNDLED_TOKENIZER_DIR", "PAL_ADDED_TOKENS", "load_pal_tokenizer", "tiny_pal_config", "tiny_random_pal"]
