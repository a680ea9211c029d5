"""Hub-ready folders: weights (safetensors), code files, tokenizer and PAL's decoding settings, in one call."""

from __future__ import annotations

from pathlib import Path

import torch
from safetensors import safe_open
from safetensors.torch import load_file, save_file
from transformers import GenerationConfig

from modeling_pal.configuration_pal import PalConfig
from modeling_pal.modeling_pal import PalForConditionalGeneration
from modeling_pal.pal_tokens import pal_token_ids
from modeling_pal.persona_support import PersonaSupportPipeline

# PAL's inference decoding (`codes/RUN/infer_strat.sh`): the response may take 50 tokens after `[bos, strategy]`
# (its `max_length=52`, `min_length=10` count the decoder start token).
PAL_DECODING = dict(
    do_sample=True,
    temperature=0.5,
    top_k=10,
    top_p=0.9,
    num_beams=1,
    repetition_penalty=1.03,
    no_repeat_ngram_size=0,
    max_new_tokens=51,
    min_new_tokens=9,
)


# The same decoding for a PAL chat model: the reply (strategy token included) takes at most 51 new tokens.
PAL_CHAT_DECODING = dict(
    do_sample=True,
    temperature=0.5,
    top_k=10,
    top_p=0.9,
    num_beams=1,
    repetition_penalty=1.03,
    max_new_tokens=51,
    min_new_tokens=10,
)


def save_pal_chat(model, tokenizer, output_dir: str | Path) -> Path:
    """
    Writes a hub-ready folder of a `PalLlamaForCausalLM`: `config.json` with its `auto_map` and `custom_pipelines`,
    `model.safetensors`, the code files, the tokenizer and `generation_config.json` (PAL's decoding). It loads with
    `AutoModelForCausalLM.from_pretrained(folder, trust_remote_code=True)` or `pipeline("persona-support",
    model=folder, trust_remote_code=True)`.
    """
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    config = model.config
    model.generation_config = GenerationConfig(
        **PAL_CHAT_DECODING,
        bos_token_id=config.bos_token_id,
        eos_token_id=config.eos_token_id,
        pad_token_id=config.pad_token_id,
    )
    PersonaSupportPipeline(model=model, tokenizer=tokenizer, device=model.device).save_pretrained(output_dir)
    return output_dir


def pal_generation_config(config: PalConfig, **overrides) -> GenerationConfig:
    """PAL's decoding settings (the original inference script's), with `overrides` on top."""
    return GenerationConfig(
        **{**PAL_DECODING, **overrides},
        bos_token_id=config.bos_token_id,
        eos_token_id=config.eos_token_id,
        pad_token_id=config.pad_token_id,
        decoder_start_token_id=config.decoder_start_token_id,
    )


def check_tokenizer_matches(config: PalConfig, tokenizer) -> None:
    """Raises a `ValueError` if the tokenizer's PAL token ids or size disagree with the model's config."""
    ids = pal_token_ids(tokenizer, config.strategy_names)
    wrong = {k: (v, getattr(config, k)) for k, v in ids.items() if k != "vocab_size" and getattr(config, k) != v}
    if ids["vocab_size"] > config.vocab_size:
        wrong["vocab_size"] = (ids["vocab_size"], config.vocab_size)
    if wrong:
        details = "; ".join(f"{k}: tokenizer {t}, model {m}" for k, (t, m) in wrong.items())
        raise ValueError(f"The tokenizer does not match the model: {details}.")


def save_pal(
    model: PalForConditionalGeneration,
    tokenizer,
    output_dir: str | Path,
    generation_config: GenerationConfig | None = None,
) -> Path:
    """
    Writes a hub-ready folder: `config.json` with its `auto_map` and `custom_pipelines`, `model.safetensors`, the
    code files, the tokenizer and `generation_config.json` (PAL's decoding unless `generation_config` is given). It
    loads anywhere with `AutoModelForSeq2SeqLM.from_pretrained(folder, trust_remote_code=True)`, or as
    `pipeline("persona-support", model=folder, trust_remote_code=True)`, which runs the persona extractor that
    `model.config.persona_extractor` names (e.g. `"../persona-extractor"`, relative to the folder).
    """
    check_tokenizer_matches(model.config, tokenizer)
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    model.generation_config = generation_config or pal_generation_config(model.config)
    PersonaSupportPipeline(model=model, tokenizer=tokenizer, device=model.device).save_pretrained(output_dir)
    return output_dir


def store_weights_in_float16(folder: str | Path) -> int:
    """
    Rewrites a saved folder's `model.safetensors` with its float32 tensors in float16, halving it on disk. The
    folder's `config.json` keeps `dtype: float32`, so `from_pretrained` loads the weights back as float32 (the
    float16 values, exactly). Returns the new file size in bytes.
    """
    path = Path(folder) / "model.safetensors"
    if not path.is_file():
        raise FileNotFoundError(f"No model.safetensors in {folder}.")
    with safe_open(str(path), "pt") as file:
        metadata = file.metadata()
    tensors = {k: v.half() if v.dtype == torch.float32 else v for k, v in load_file(str(path)).items()}
    save_file(tensors, str(path), metadata=metadata)
    return path.stat().st_size


__all__ = [
    "PAL_CHAT_DECODING",
    "PAL_DECODING",
    "check_tokenizer_matches",
    "pal_generation_config",
    "save_pal",
    "save_pal_chat",
    "store_weights_in_float16",
]
