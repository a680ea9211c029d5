"""
LoRA adapters for PAL with `peft`.

Besides low-rank updates of every attention projection (encoder self-attention, decoder self- and cross-attention),
a PAL adapter trains and saves what PAL adds to BlenderBot-small: the persona fusion (its two LayerNorms and the
mixing weights `persona_context_w`) as a full copy, and the embedding rows of the strategy tokens only (peft's
trainable tokens, tied to the LM head), not the whole embedding matrix.

  pal-train ... --init PAL_DIR --lora r=8,alpha=16,dropout=0.05      # writes OUTPUT_DIR/adapter
  pal-lora merge --model PAL_DIR --adapter OUTPUT_DIR/adapter --output pal-merged
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from peft import LoraConfig, PeftModel, TaskType, get_peft_model

from modeling_pal.bundled import load_pal_tokenizer
from modeling_pal.configuration_pal import PalConfig
from modeling_pal.export.folders import save_pal
from modeling_pal.modeling_pal import PalForConditionalGeneration
from modeling_pal.persona_support import load_adapter

# The attention projections of BlenderBot-small's encoder and decoder layers (self- and cross-attention).
LORA_TARGET_MODULES: tuple[str, ...] = ("q_proj", "k_proj", "v_proj", "out_proj")
# What `--lora` sets, with the values used when a key is left out.
LORA_DEFAULTS: dict[str, float] = {"r": 8, "alpha": 16.0, "dropout": 0.05}
_LORA_RULES = {
    "r": ("a positive integer", lambda value: value >= 1),
    "alpha": ("a positive number", lambda value: 0 < value < math.inf),
    "dropout": ("in [0, 1)", lambda value: 0 <= value < 1),
}


def parse_lora_spec(spec: str) -> dict[str, float]:
    """
    Reads a `--lora` spec such as `"r=8,alpha=16,dropout=0.05"` into `{"r": 8, "alpha": 16.0, "dropout": 0.05}`.
    Keys left out keep `LORA_DEFAULTS` (an empty spec gives the defaults). Raises a `ValueError` on an unknown or
    repeated key, or a value that is not a positive integer `r`, a positive `alpha` or a `dropout` in [0, 1).
    """
    values = dict(LORA_DEFAULTS)
    seen = set()
    for item in filter(None, (part.strip() for part in spec.split(","))):
        key, sep, raw = (s.strip() for s in item.partition("="))
        if not sep or not raw:
            raise ValueError(f"LoRA setting {item!r} is not key=value (e.g. 'r=8,alpha=16,dropout=0.05').")
        if key not in LORA_DEFAULTS:
            raise ValueError(f"Unknown LoRA setting {key!r} in {spec!r}; use {', '.join(LORA_DEFAULTS)}.")
        if key in seen:
            raise ValueError(f"LoRA setting {key!r} is given twice in {spec!r}.")
        seen.add(key)
        try:
            value = int(raw) if key == "r" else float(raw)
        except ValueError:
            value = math.nan  # fails every rule
        rule, holds = _LORA_RULES[key]
        if not holds(value):
            raise ValueError(f"LoRA {key} must be {rule}, got {raw!r}.")
        values[key] = value
    return values


def pal_lora_config(config: PalConfig, r: int = 8, alpha: float = 16.0, dropout: float = 0.05) -> LoraConfig:
    """
    The `LoraConfig` of a PAL adapter: LoRA on `LORA_TARGET_MODULES`, the fusion in `modules_to_save` (when the
    model fuses a persona) and the rows of `config.strategy_token_ids` as trainable tokens.
    """
    return LoraConfig(
        task_type=TaskType.SEQ_2_SEQ_LM,
        r=r,
        lora_alpha=alpha,
        lora_dropout=dropout,
        target_modules=list(LORA_TARGET_MODULES),
        modules_to_save=["fusion"] if config.fuse_persona else None,
        trainable_token_indices=list(config.strategy_token_ids),
    )


def add_pal_lora(model: PalForConditionalGeneration, spec: str = "") -> PeftModel:
    """Wraps `model` with a fresh PAL adapter described by a `--lora` spec (see [`parse_lora_spec`])."""
    return get_peft_model(model, pal_lora_config(model.config, **parse_lora_spec(spec)))


def load_pal_adapter(
    model: PalForConditionalGeneration, adapter_dir: str | Path, is_trainable: bool = False
) -> PeftModel:
    """
    Loads a saved PAL adapter onto `model` (the PAL model it was trained from). The result runs like the model
    itself (`forward`, `generate`, `strategy_distribution`); `merge_and_unload()` gives back a plain PAL model.
    """
    return load_adapter(model, adapter_dir, is_trainable)


def merge_pal_adapter(model_dir: str | Path, adapter_dir: str | Path, output_dir: str | Path) -> Path:
    """Merges the adapter into the PAL model of `model_dir` and writes a hub-ready folder (with its tokenizer)."""
    model = PalForConditionalGeneration.from_pretrained(model_dir)
    tokenizer = load_pal_tokenizer(model_dir)
    merged = load_pal_adapter(model, adapter_dir).merge_and_unload()
    return save_pal(merged, tokenizer, output_dir, merged.generation_config)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="pal-lora", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    merge = commands.add_parser(
        "merge", help="merge an adapter into its PAL model", description="Merge an adapter into its PAL model."
    )
    merge.add_argument("--model", required=True, help="the PAL folder the adapter was trained from")
    merge.add_argument("--adapter", required=True, help="the adapter folder (adapter_config.json, weights)")
    merge.add_argument("--output", required=True, help="the hub-ready folder to write")
    args = parser.parse_args(argv)
    print(f"Wrote {merge_pal_adapter(args.model, args.adapter, args.output)}")


__all__ = [
    "LORA_DEFAULTS",
    "LORA_TARGET_MODULES",
    "add_pal_lora",
    "load_pal_adapter",
    "merge_pal_adapter",
    "pal_lora_config",
    "parse_lora_spec",
]


if __name__ == "__main__":
    main()
