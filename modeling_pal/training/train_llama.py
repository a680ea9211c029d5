"""
Training PAL (and its Joint baseline) on a decoder-only chat model with a `peft` LoRA adapter: `pal-train --init
smollm2 --variant pal|joint ...` runs here.

Each ESConv dialogue is one training sequence: `chat_layout.chat_views` lays it out (persona messages before the
supporter turns that answer the seeker, for `pal`), and one forward pass carries the loss of every supporter turn
(after the first message, as PAL trains), the strategy token of each turn weighted `strategy_loss_weight` times.
The adapter (LoRA on every linear layer, plus the rows of PAL's strategy tokens in the tied embedding) is written to
`OUTPUT_DIR/adapter` and assembled into a runnable model folder, `OUTPUT_DIR/model` (`pal-assemble`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

import torch
from tqdm import tqdm
from transformers import AutoTokenizer, LlamaForCausalLM

from modeling_pal.chat_layout import chat_views
from modeling_pal.configuration_pal_llama import PalLlamaConfig
from modeling_pal.conversion.smollm2 import BASE_DESCRIPTION, default_base_dir
from modeling_pal.data.esconv import Dialogue, attach_personas, load_split
from modeling_pal.modeling_pal_llama import PalLlamaForCausalLM
from modeling_pal.pal_tokens import split_persona
from modeling_pal.strategies import PAL_STRATEGIES, strategy_token
from modeling_pal.training.causal_lm import add_lora, encode_chat, resolve_base, save_adapter, train_adapter
from modeling_pal.training.lora import parse_lora_spec

# LoRA settings of a PAL chat model when `--lora` leaves them out.
LLAMA_LORA_DEFAULTS = "r=16,alpha=32,dropout=0.05"
ADAPTER_DIR = "adapter"
PAL_FIELDS_FILE = "pal_config.json"


def add_strategy_tokens(tokenizer, strategy_names: Sequence[str] = PAL_STRATEGIES) -> list[int]:
    """Adds PAL's strategy tokens to a chat tokenizer (special tokens) and returns their ids."""
    tokens = [strategy_token(name) for name in strategy_names]
    missing = [t for t in tokens if t not in tokenizer.get_vocab()]
    if missing:
        tokenizer.add_tokens(missing, special_tokens=True)
    return tokenizer.convert_tokens_to_ids(tokens)


def build_pal_llama(
    base: str | Path, use_persona: bool = True, **pal_fields
) -> tuple[PalLlamaForCausalLM, object]:
    """
    A `PalLlamaForCausalLM` with the weights of a Llama-style chat model folder (`"smollm2"`: the offline base) and
    its tokenizer with PAL's strategy tokens added (their embedding rows start at the mean of the others).
    """
    folder = resolve_base(base)
    tokenizer = AutoTokenizer.from_pretrained(folder)
    backbone = LlamaForCausalLM.from_pretrained(folder, dtype=torch.float32)
    strategy_ids = add_strategy_tokens(tokenizer)
    backbone.resize_token_embeddings(len(tokenizer), mean_resizing=True)
    fields = backbone.config.to_dict()
    for key in ("model_type", "architectures", "transformers_version", "_name_or_path", "dtype"):
        fields.pop(key, None)
    if folder == default_base_dir():
        pal_fields.setdefault("base_model_description", BASE_DESCRIPTION)
    given = pal_fields.pop("strategy_token_ids", strategy_ids)
    if list(given) != list(strategy_ids):
        raise ValueError(f"The strategy token ids {given} differ from the tokenizer's {strategy_ids}.")
    fields["pad_token_id"] = tokenizer.pad_token_id
    config = PalLlamaConfig(**fields, strategy_token_ids=strategy_ids, use_persona=use_persona, **pal_fields)
    config._name_or_path = str(folder)  # the base an adapter of this model records
    model = PalLlamaForCausalLM(config)
    model.load_state_dict(backbone.state_dict(), strict=True)
    return model.eval(), tokenizer


def dialogue_features(
    dialogue: Dialogue,
    tokenizer,
    use_persona: bool,
    system_prompt: str,
    strategy_loss_weight: float = 1.0,
    max_length: int | None = None,
    inference: bool = False,
) -> dict[str, list] | None:
    """
    One dialogue as one training sequence: `input_ids`, `labels` (every supporter turn after the first message; with
    `inference`, only those that answer the seeker, PAL's evaluation rule), `label_weights` (the strategy tokens
    `strategy_loss_weight`, other learned tokens 1). A sequence longer than `max_length` keeps its first `max_length`
    tokens (learned turns cut there are dropped from the loss).
    """
    persona_list = None
    if use_persona:
        if dialogue.persona_list is None:
            raise ValueError("The dialogue has no `persona_list`: build PESConv first, or train the joint variant.")
        persona_list = [split_persona(p) for p in dialogue.persona_list]
    views = chat_views(dialogue.turns, persona_list, system_prompt, reply=False)
    if use_persona:
        messages, turns = views.persona_view, views.persona_turns
    else:
        messages, turns = views.plain_view, views.plain_turns
    learn = [i for i in turns if i > 1]  # not a supporter turn that opens the dialogue (index 1 after the system)
    if inference:
        # answers the seeker: right after a seeker message, or after the persona update that follows one
        learn = [i for i in learn if messages[i - 1]["role"] in ("user", "system")]
    features = encode_chat(tokenizer, messages, learn=learn)
    if max_length is not None and len(features["input_ids"]) > max_length:
        features = {key: values[:max_length] for key, values in features.items()}
    strategy_ids = set(tokenizer.convert_tokens_to_ids([strategy_token(s) for s in PAL_STRATEGIES]))
    labels = features["labels"]
    features["label_weights"] = [
        0.0 if label == -100 else (strategy_loss_weight if label in strategy_ids else 1.0) for label in labels
    ]
    return features if any(label != -100 for label in labels) else None


def load_features(settings, split: str, tokenizer, use_persona: bool, system_prompt: str) -> list[dict]:
    """The training sequences of one ESConv split (PESConv personas attached for `pal`)."""
    dialogues = load_split(settings.data_dir, split, settings.split_scheme, settings.order_file, settings.problem_type)
    limit = settings.max_dialogues if split == "train" else settings.max_valid_dialogues
    dialogues = dialogues[:limit] if limit is not None else dialogues
    if use_persona:
        if not settings.pesconv:
            raise ValueError("The pal variant needs personas: give --pesconv files (PESConv jsonl).")
        dialogues = attach_personas(dialogues, settings.pesconv)
    features = []
    for dialogue in tqdm(dialogues, desc=f"encoding {split}", unit="dialogue"):
        row = dialogue_features(
            dialogue, tokenizer, use_persona, system_prompt, settings.strategy_loss_weight, settings.max_input_length
        )
        if row is not None:
            features.append(row)
    return features


def train_llama(settings) -> Path:
    """
    Trains the adapter of a PAL chat model (`settings`: a `train.TrainSettings`) and returns the assembled model
    folder (`OUTPUT_DIR/model`; the adapter is in `OUTPUT_DIR/adapter`).
    """
    if settings.variant not in ("pal", "joint"):
        raise ValueError(f"On a decoder-only model the variants are 'pal' and 'joint', got {settings.variant!r}.")
    output_dir = Path(settings.output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    (output_dir / "settings.json").write_text(json.dumps(asdict(settings), indent=2))
    use_persona = settings.variant == "pal"
    torch.manual_seed(settings.seed)
    model, tokenizer = build_pal_llama(settings.init, use_persona, max_input_length=settings.max_input_length)
    lora = parse_lora_spec(settings.lora or LLAMA_LORA_DEFAULTS)
    peft_model = add_lora(model, trainable_token_ids=model.config.strategy_token_ids, **lora)
    train_set = load_features(settings, "train", tokenizer, use_persona, model.config.system_prompt)
    valid_set = load_features(settings, "valid", tokenizer, use_persona, model.config.system_prompt)
    tokens = sum(len(f["input_ids"]) for f in train_set)
    learned = sum(sum(label != -100 for label in f["labels"]) for f in train_set)
    print(f"{len(train_set)} training dialogues, {tokens} tokens, {learned} learned ({learned / tokens:.0%})")
    trainer = train_adapter(
        peft_model,
        tokenizer,
        train_set,
        valid_set,
        output_dir,
        learning_rate=settings.learning_rate,
        batch_size=settings.batch_size,
        epochs=settings.epochs,
        max_steps=settings.max_steps,
        warmup_steps=settings.warmup_steps,
        eval_steps=settings.eval_steps or 100,
        save_steps=settings.save_steps or settings.eval_steps or 100,
        seed=settings.seed,
        resume=settings.resume,
    )
    folder = output_dir / ADAPTER_DIR
    if not trainer.is_world_process_zero():
        return folder
    save_pal_llama_adapter(trainer.model, tokenizer, folder)
    from modeling_pal.conversion.assemble import (
        assemble,  # assembling imports the training code: imported here, not at the top
    )

    return assemble(folder, output_dir / "model")


def save_pal_llama_adapter(peft_model, tokenizer, folder: Path) -> Path:
    """The adapter, the tokenizer with PAL's tokens, and the PAL fields of the config (`pal_config.json`)."""
    save_adapter(peft_model, folder)
    tokenizer.save_pretrained(folder)
    config = peft_model.get_base_model().config
    keys = [
        "strategy_names",
        "strategy_token_ids",
        "added_token_ids",
        "strategy_alpha",
        "strategy_selection_alpha",
        "use_persona",
        "system_prompt",
        "max_input_length",
        "persona_extractor",
        "persona_extractor_kwargs",
        "base_model_description",
    ]
    fields = {key: getattr(config, key) for key in keys}
    (folder / PAL_FIELDS_FILE).write_text(json.dumps(fields, indent=2) + "\n")
    return folder


__all__ = [
    "add_strategy_tokens",
    "build_pal_llama",
    "dialogue_features",
    "save_pal_llama_adapter",
    "train_llama",
]
