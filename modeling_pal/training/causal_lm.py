"""
Training decoder-only models (SmolLM2 and other chat LMs) on conversations with `peft` LoRA and `transformers`'
`Trainer`: chat-template encoding with a loss on the assistant turns only, the LoRA setup (new token rows trainable
too), bf16 autocast on CPU, checkpoints every `save_steps` and resuming from the last one.

Both the persona extractor (`pal-extractor train --model smollm2`) and PAL on SmolLM2 (`pal-train --variant
causal-pal`) train through `train_adapter`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path

import torch
from peft import LoraConfig, PeftModel, TaskType, get_peft_model
from transformers import (
    AutoModelForCausalLM,
    AutoTokenizer,
    Trainer,
    TrainerCallback,
    TrainingArguments,
)

from modeling_pal.conversion.smollm2 import BASE_MODEL_ID, default_base_dir, ensure_base
from modeling_pal.modeling_pal_llama import token_loss
from modeling_pal.persona_extraction import CAUSAL_EXTRACTOR_DECODING

logger = logging.getLogger(__name__)

# Every linear layer of a Llama-style block.
LLAMA_LORA_TARGETS: tuple[str, ...] = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")
BASE_ALIASES = ("smollm2",)


def resolve_base(name_or_path: str | Path) -> Path:
    """`"smollm2"` -> the cached SmolLM2 base folder (built on first use); anything else is a model folder."""
    if str(name_or_path) in BASE_ALIASES:
        return ensure_base()
    folder = Path(name_or_path)
    if not (folder / "config.json").is_file():
        raise FileNotFoundError(f"{folder}: no config.json there; give a causal LM folder or 'smollm2'.")
    return folder


def save_adapter(peft_model: PeftModel, folder: str | Path) -> Path:
    """
    Saves a LoRA adapter; one trained on the cached SmolLM2 base names it by its Hub id (`BASE_MODEL_ID`) rather than
    this machine's cache path, so the folder means the same anywhere.
    """
    folder = Path(folder)
    # The new token rows are saved as peft's trainable tokens; the embedding matrix itself is the base's.
    peft_model.save_pretrained(folder, save_embedding_layers=False)
    config_file = folder / "adapter_config.json"
    config = json.loads(config_file.read_text())
    base = config.get("base_model_name_or_path")
    if base and Path(base).resolve() == default_base_dir().resolve():
        config["base_model_name_or_path"] = BASE_MODEL_ID
        config_file.write_text(json.dumps(config, indent=2) + "\n")
    return folder


def adapter_base(adapter_dir: str | Path) -> str | Path:
    """
    The base model of a saved adapter: `"smollm2"` (the offline SmolLM2 base) when it names SmolLM2, else the folder
    it names. Raises a `FileNotFoundError` when that folder is not here.
    """
    base = json.loads((Path(adapter_dir) / "adapter_config.json").read_text()).get("base_model_name_or_path")
    if not base or base == BASE_MODEL_ID:
        return "smollm2"
    if not (Path(base) / "config.json").is_file():
        raise FileNotFoundError(f"The adapter in {adapter_dir} was trained on {base}, which is not here.")
    return Path(base)


# The settings a decoder-only extractor adapter was trained with, saved beside it.
ADAPTER_SETTINGS = "pal_extractor.json"


def save_causal_extractor(model, tokenizer, output: Path, max_input_length: int) -> Path:
    """Writes the LoRA adapter, its tokenizer and its source length (`pal_extractor.json`) to `output`."""
    save_adapter(model, output)
    tokenizer.save_pretrained(output)
    (output / ADAPTER_SETTINGS).write_text(json.dumps({"extractor_max_input_length": max_input_length}) + "\n")
    return output


def load_extractor_adapter(folder: str | Path):
    """
    A decoder-only extractor from its adapter folder (`pal-extractor train --model smollm2`): the base with the LoRA
    merged in, its tokenizer, and its settings (`pal_extractor.json`: the trained source length
    `extractor_max_input_length`, and optionally `extractor_min_grounding`) in its config.
    """
    folder = Path(folder)
    model, _ = load_base(adapter_base(folder))
    model = PeftModel.from_pretrained(model, folder).merge_and_unload()
    settings = folder / ADAPTER_SETTINGS
    if settings.is_file():
        for key, value in json.loads(settings.read_text()).items():
            setattr(model.config, key, value)
    model.generation_config.update(**CAUSAL_EXTRACTOR_DECODING)
    return model.eval(), AutoTokenizer.from_pretrained(folder)


def is_causal_lm_folder(name_or_path: str | Path) -> bool:
    """Whether a model folder (or `"smollm2"`) holds a decoder-only model."""
    if str(name_or_path) in BASE_ALIASES:
        return True
    config_file = Path(name_or_path) / "config.json"
    if not config_file.is_file():
        return False
    return not json.loads(config_file.read_text()).get("is_encoder_decoder", False)


def encode_chat(
    tokenizer,
    messages: Sequence[Mapping[str, str]],
    loss_roles: Sequence[str] = ("assistant",),
    learn: Sequence[int] | None = None,
) -> dict[str, list[int]]:
    """
    Tokenizes a conversation in the tokenizer's chat template, message by message, so that the ids equal those of
    the whole rendered conversation and each turn's span is known. `labels` are -100 except on the turns learned (the
    messages at the indices `learn`, else those whose role is in `loss_roles`): their text and the end-of-turn token
    (the template's header and the line break after the end-of-turn token are not learned).
    """
    learned = set(learn) if learn is not None else {i for i, m in enumerate(messages) if m["role"] in loss_roles}
    input_ids: list[int] = []
    labels: list[int] = []
    rendered = ""
    eos = tokenizer.eos_token_id
    for i in range(len(messages)):
        with_header = tokenizer.apply_chat_template(messages[: i + 1], tokenize=False)
        piece = with_header[len(rendered) :]
        if not with_header.startswith(rendered):
            raise ValueError("The chat template does not render conversations prefix by prefix.")
        rendered = with_header
        header = ""
        if i in learned:
            prompt = tokenizer.apply_chat_template(messages[:i], tokenize=False, add_generation_prompt=True)
            header = prompt[len(with_header) - len(piece) :] if i else prompt
            if not piece.startswith(header):
                raise ValueError("The chat template's generation prompt does not start the assistant turn.")
        header_ids = tokenizer(header, add_special_tokens=False).input_ids if header else []
        body_ids = tokenizer(piece[len(header) :], add_special_tokens=False).input_ids
        input_ids += header_ids + body_ids
        if i in learned:
            end = body_ids.index(eos) + 1 if eos in body_ids else len(body_ids)
            labels += [-100] * len(header_ids) + body_ids[:end] + [-100] * (len(body_ids) - end)
        else:
            labels += [-100] * (len(header_ids) + len(body_ids))
    return {"input_ids": input_ids, "attention_mask": [1] * len(input_ids), "labels": labels}


def load_base(base: str | Path, new_tokens: Sequence[str] = (), dtype: torch.dtype = torch.float32):
    """A causal LM and its tokenizer, with `new_tokens` added as special tokens (embeddings resized if needed)."""
    folder = resolve_base(base)
    tokenizer = AutoTokenizer.from_pretrained(folder)
    missing = [t for t in new_tokens if t not in tokenizer.get_vocab()]
    if missing:
        tokenizer.add_tokens(missing, special_tokens=True)
    model = AutoModelForCausalLM.from_pretrained(folder, dtype=dtype)
    if len(tokenizer) > model.get_input_embeddings().num_embeddings:
        model.resize_token_embeddings(len(tokenizer), mean_resizing=True)
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    return model, tokenizer


def lora_config(
    r: int = 16, alpha: float = 32.0, dropout: float = 0.05, trainable_token_ids: Sequence[int] = ()
) -> LoraConfig:
    """LoRA on every linear layer of a Llama block; `trainable_token_ids` rows of the (tied) embedding train too."""
    return LoraConfig(
        task_type=TaskType.CAUSAL_LM,
        r=r,
        lora_alpha=alpha,
        lora_dropout=dropout,
        target_modules=list(LLAMA_LORA_TARGETS),
        trainable_token_indices=list(trainable_token_ids) or None,
    )


def add_lora(model, r: int = 16, alpha: float = 32.0, dropout: float = 0.05, trainable_token_ids=()) -> PeftModel:
    return get_peft_model(model, lora_config(r, alpha, dropout, trainable_token_ids))


class ChatCollator:
    """Right-pads chat features into a batch: `input_ids` with the pad id, `attention_mask` and `label_weights` with 0,
    `labels` with -100."""

    PADDING = {"attention_mask": 0, "labels": -100, "label_weights": 0.0}

    def __init__(self, pad_token_id: int):
        self.padding = {"input_ids": pad_token_id, **self.PADDING}

    def __call__(self, features: Sequence[Mapping[str, list]]) -> dict[str, torch.Tensor]:
        length = max(len(f["input_ids"]) for f in features)
        batch = {}
        for key in features[0]:
            value = self.padding[key]
            rows = [list(f[key]) + [value] * (length - len(f[key])) for f in features]
            batch[key] = torch.tensor(rows, dtype=torch.float32 if key == "label_weights" else torch.long)
        return batch


class LabelledTokensTrainer(Trainer):
    """
    `Trainer` whose training loss runs the LM head only where a label is learned (a chat's learned turns), not over
    every position: the same loss as the model's (`Σ w·CE / Σ w` with `label_weights`), at a fraction of the head's
    cost over a long chat. Evaluation runs the model's own forward and loss.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.model_accepts_loss_kwargs = False  # a mean per micro-batch, averaged over accumulation like any loss

    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        if not model.training or return_outputs:
            return super().compute_loss(model, inputs, return_outputs, num_items_in_batch)
        inputs = dict(inputs)
        labels = inputs.pop("labels")
        weights = inputs.pop("label_weights", None)
        causal_lm = model.get_base_model() if isinstance(model, PeftModel) else model
        hidden = causal_lm.model(**inputs, use_cache=False).last_hidden_state  # (batch, length, hidden)
        targets = labels[:, 1:]  # position t predicts token t + 1
        learned = targets != -100
        logits = causal_lm.lm_head(hidden[:, :-1][learned])  # (learned tokens, vocab)
        return token_loss(logits, targets[learned], None if weights is None else weights[:, 1:][learned])


class JsonLogCallback(TrainerCallback):
    """Appends every log record (loss, learning rate, eval loss, ...) to a JSON-lines file."""

    def __init__(self, path: Path):
        self.path = path

    def on_log(self, args, state, control, logs=None, **kwargs):
        if logs and state.is_world_process_zero:
            with self.path.open("a") as f:
                f.write(json.dumps({"step": state.global_step, "epoch": state.epoch, **logs}) + "\n")


def train_adapter(
    model: PeftModel,
    tokenizer,
    train_features: Sequence[dict],
    eval_features: Sequence[dict] | None,
    output_dir: str | Path,
    *,
    learning_rate: float = 2e-4,
    batch_size: int = 8,
    gradient_accumulation_steps: int = 1,
    epochs: float = 1.0,
    max_steps: int = -1,
    warmup_steps: int = 20,
    eval_steps: int = 200,
    save_steps: int = 100,
    logging_steps: int = 10,
    seed: int = 0,
    bf16: bool = True,
    resume: bool = False,
    trainer_class: type[Trainer] = LabelledTokensTrainer,
    **trainer_kwargs,
) -> Trainer:
    """
    Trains `model` (a `PeftModel`) with `LabelledTokensTrainer`: AdamW with linear decay, length-grouped batches,
    bf16 autocast (on CPU too), a checkpoint every `save_steps` in `output_dir` (the last two kept), and
    `resume=True` continuing from the newest one. Logs go to `output_dir/log.jsonl`.
    """
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    has_eval = bool(eval_features)
    args = TrainingArguments(
        output_dir=str(output_dir),
        learning_rate=learning_rate,
        per_device_train_batch_size=batch_size,
        per_device_eval_batch_size=batch_size,
        gradient_accumulation_steps=gradient_accumulation_steps,
        num_train_epochs=epochs,
        max_steps=max_steps,
        warmup_steps=warmup_steps,
        lr_scheduler_type="linear",
        weight_decay=0.0,
        max_grad_norm=1.0,
        eval_strategy="steps" if has_eval else "no",
        eval_steps=eval_steps if has_eval else None,
        save_strategy="steps",
        save_steps=save_steps,
        save_total_limit=2,
        logging_steps=logging_steps,
        train_sampling_strategy="group_by_length",
        bf16=bf16,
        use_cpu=not torch.cuda.is_available(),  # bf16 autocast on the CPU as well
        seed=seed,
        report_to="none",
        remove_unused_columns=False,
        dataloader_num_workers=0,
    )
    trainer = trainer_class(
        model=model,
        args=args,
        data_collator=ChatCollator(tokenizer.pad_token_id),
        train_dataset=list(train_features),
        eval_dataset=list(eval_features) if has_eval else None,
        callbacks=[JsonLogCallback(output_dir / "log.jsonl")],
        **trainer_kwargs,
    )
    has_checkpoint = any(output_dir.glob("checkpoint-*"))
    if resume and not has_checkpoint:
        logger.warning("No checkpoint in %s: training from the start.", output_dir)
    trainer.train(resume_from_checkpoint=True if resume and has_checkpoint else None)
    return trainer


__all__ = [
    "LLAMA_LORA_TARGETS",
    "ChatCollator",
    "JsonLogCallback",
    "LabelledTokensTrainer",
    "ADAPTER_SETTINGS",
    "adapter_base",
    "add_lora",
    "encode_chat",
    "is_causal_lm_folder",
    "load_base",
    "load_extractor_adapter",
    "lora_config",
    "resolve_base",
    "save_adapter",
    "save_causal_extractor",
    "train_adapter",
]
