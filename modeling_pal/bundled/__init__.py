"""
What the package ships besides code: PAL's tokenizer, and tiny random-weight models (both families) and a tiny chat
tokenizer for tests and smoke runs.
"""

from __future__ import annotations

from pathlib import Path

import torch
from transformers import AutoTokenizer

from modeling_pal.configuration_pal import PalConfig
from modeling_pal.export.folders import pal_generation_config
from modeling_pal.modeling_pal import PalForConditionalGeneration
from modeling_pal.pal_tokens import PAL_ADDED_TOKENS, add_pal_tokens, pal_token_ids
from modeling_pal.strategies import PAL_STRATEGIES, strategy_token

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


# A ChatML template like SmolLM2's (which adds its own system prompt when a chat has none).
CHATML_TEMPLATE = (
    "{% for message in messages %}"
    "{% if loop.first and messages[0]['role'] != 'system' %}"
    "{{ '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n' }}{% endif %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)
CHAT_SPECIAL_TOKENS = ("<|endoftext|>", "<|im_start|>", "<|im_end|>")
# The text the tiny chat tokenizer learns its merges from.
TINY_CHAT_CORPUS = (
    "I lost my job and I do not know how to tell my family. That sounds really hard. How are you feeling?",
    "My wife is a nurse. We have two kids. I feel lonely and worthless. Have you talked to someone about it?",
    "You are a caring supporter in an emotional support conversation. What the seeker has told about themselves:",
    "Read what a person said in a conversation and list the facts they told about themselves and their life.",
)
# The tiny random chat model's shape (Llama-style: grouped-query attention, SwiGLU, RMSNorm, tied embeddings).
TINY_LLAMA_ARCHITECTURE = dict(
    hidden_size=32,
    intermediate_size=64,
    num_hidden_layers=2,
    num_attention_heads=4,
    num_key_value_heads=2,
    max_position_embeddings=2048,
    tie_word_embeddings=True,
)


def tiny_chat_tokenizer(with_strategy_tokens: bool = True):
    """
    A byte-level BPE tokenizer of a few hundred tokens with ChatML special tokens and chat template, built in memory
    (deterministically) from `TINY_CHAT_CORPUS`; with PAL's strategy tokens added by default. For tests and smoke runs
    of the chat-model family, which need no base weights.
    """
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    backend = Tokenizer(models.BPE())
    backend.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    backend.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=400, special_tokens=list(CHAT_SPECIAL_TOKENS), initial_alphabet=pre_tokenizers.ByteLevel.alphabet()
    )
    backend.train_from_iterator(TINY_CHAT_CORPUS, trainer=trainer)
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=backend, bos_token="<|im_start|>", eos_token="<|im_end|>", pad_token="<|im_end|>"
    )
    tokenizer.chat_template = CHATML_TEMPLATE
    if with_strategy_tokens:
        tokenizer.add_tokens([strategy_token(name) for name in PAL_STRATEGIES], special_tokens=True)
    return tokenizer


def tiny_random_pal_llama(use_persona: bool = True, seed: int = 0, **overrides):
    """A tiny `PalLlamaForCausalLM` with random weights (it writes gibberish) and the tiny chat tokenizer."""
    from modeling_pal.configuration_pal_llama import PalLlamaConfig
    from modeling_pal.export.folders import PAL_CHAT_DECODING
    from modeling_pal.modeling_pal_llama import PalLlamaForCausalLM

    tokenizer = tiny_chat_tokenizer()
    config = PalLlamaConfig(
        **{**TINY_LLAMA_ARCHITECTURE, **overrides},
        vocab_size=len(tokenizer),
        strategy_token_ids=tokenizer.convert_tokens_to_ids([strategy_token(n) for n in PAL_STRATEGIES]),
        use_persona=use_persona,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    torch.manual_seed(seed)
    model = PalLlamaForCausalLM(config).eval()
    model.generation_config.update(**PAL_CHAT_DECODING)
    return model, tokenizer


__all__ = [
    "BUNDLED_TOKENIZER_DIR",
    "PAL_ADDED_TOKENS",
    "load_pal_tokenizer",
    "tiny_chat_tokenizer",
    "tiny_pal_config",
    "tiny_random_pal",
    "tiny_random_pal_llama",
]
