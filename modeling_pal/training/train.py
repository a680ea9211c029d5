"""
`pal-train`: train PAL or one of its baselines on ESConv/PESConv with `transformers`' `Seq2SeqTrainer`
(so `accelerate launch` / `torchrun` give multi-GPU training without code changes).

  pal-train --config runs/pal.json                       # settings from a JSON file (keys = the options below)
  pal-train --data-dir ESCONV_DIR --order-file esconv_order_and_splits.json --pesconv pesconv.jsonl \\
            --variant pal --init blenderbot_small-90M/ --preset released --output-dir runs/pal
  pal-train ... --resume                                 # continue from the last checkpoint in --output-dir
  pal-train ... --init PAL_DIR --lora r=8,alpha=16,dropout=0.05   # train a LoRA adapter of a PAL model
  pal-train ... --init smollm2 --variant pal --pesconv ...       # PAL on SmolLM2-135M-Instruct (LoRA adapter)

Variants: `pal` (persona fused), `joint` (BlenderBot-Joint, no persona), `hard-prompt` (persona text before the
context); PAL with alpha = 0 is the `pal` model decoded with `--strategy-alpha off` by `pal-evaluate`. With a
decoder-only `--init` (`smollm2`, or a Llama-style chat model folder), `pal` and `joint` train a LoRA adapter of
`PalLlamaForCausalLM` (see `modeling_pal.training.train_llama`), written to `OUTPUT_DIR/adapter`.
The final model is written as a hub-ready folder to `OUTPUT_DIR/model`; with `--lora`, the adapter alone is
written to `OUTPUT_DIR/adapter` (see `modeling_pal.training.lora`; keys left out of the spec keep r=8, alpha=16,
dropout=0.05).
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal, get_args

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader
from tqdm import tqdm
from transformers import EvalPrediction, Seq2SeqTrainer, Seq2SeqTrainingArguments

from modeling_pal.bundled import load_pal_tokenizer, tiny_pal_config
from modeling_pal.cli.settings import parse_settings_command_line
from modeling_pal.configuration_pal import PalConfig
from modeling_pal.conversion.convert import pal_from_blenderbot_small
from modeling_pal.data.esconv import (
    Dialogue,
    FeaturizeOptions,
    PalCollator,
    attach_personas,
    example_batches,
    featurize,
    load_split,
)
from modeling_pal.export.folders import pal_generation_config, save_pal
from modeling_pal.modeling_pal import PalForConditionalGeneration
from modeling_pal.pal_tokens import pal_token_ids
from modeling_pal.training.causal_lm import JsonLogCallback, is_causal_lm_folder
from modeling_pal.training.lora import add_pal_lora, parse_lora_spec
from modeling_pal.training.train_llama import train_llama

logger = logging.getLogger(__name__)

# `codes/RUN/train_strat.sh` of the released code, and the paper's values (lr 2.5e-5, warmup 100).
PRESETS: dict[str, dict] = {
    "released": dict(learning_rate=1.5e-5, batch_size=4, epochs=10, warmup_steps=0, seed=13),
    "paper": dict(learning_rate=2.5e-5, batch_size=4, epochs=10, warmup_steps=100, seed=13),
}
# Architectures a model can start from at random.
RANDOM_SIZES: dict[str, dict] = {
    "tiny": {},
    "small": dict(
        d_model=256,
        encoder_layers=4,
        decoder_layers=4,
        encoder_attention_heads=4,
        decoder_attention_heads=4,
        encoder_ffn_dim=1024,
        decoder_ffn_dim=1024,
    ),
    "90m": dict(
        d_model=512,
        encoder_layers=8,
        decoder_layers=8,
        encoder_attention_heads=16,
        decoder_attention_heads=16,
        encoder_ffn_dim=2048,
        decoder_ffn_dim=2048,
    ),
}
Variant = Literal["pal", "joint", "hard-prompt"]
VARIANTS = get_args(Variant)


@dataclass
class TrainSettings:
    """Everything a training run reads; a `--config` JSON file holds the same keys."""

    output_dir: str = field(default="runs/pal", metadata={"help": "checkpoints, then OUTPUT_DIR/model (or /adapter)"})
    data_dir: str | None = field(
        default=None, metadata={"help": "ESConv folder (ESConv.json or train/valid/test.jsonl)"}
    )
    order_file: str | None = field(default=None, metadata={"help": "esconv_order_and_splits.json, for PAL's split"})
    split_scheme: Literal["pal", "hf"] = "pal"
    pesconv: list[str] = field(default_factory=list, metadata={"help": "PESConv jsonl files whose personas are used"})
    variant: Variant = "pal"
    init: str = field(
        default="random:tiny",
        metadata={"help": "random:<size>, a PAL or BlenderbotSmall folder, or a chat model (`smollm2`)"},
    )
    tokenizer: str | None = field(default=None, metadata={"help": "tokenizer folder (default: PAL's or the init's)"})
    preset: str = field(default="released", metadata={"help": f"training hyperparameters: one of {sorted(PRESETS)}"})
    learning_rate: float | None = field(default=None, metadata={"help": "default: the preset's"})
    batch_size: int | None = field(default=None, metadata={"help": "default: the preset's"})
    epochs: float | None = field(default=None, metadata={"help": "default: the preset's"})
    warmup_steps: int | None = field(default=None, metadata={"help": "default: the preset's"})
    seed: int | None = field(default=None, metadata={"help": "default: the preset's"})
    max_steps: int = field(default=-1, metadata={"help": "stop after this many steps (overrides epochs)"})
    max_dialogues: int | None = field(default=None, metadata={"help": "train on the first N dialogues only"})
    max_valid_dialogues: int | None = field(default=None, metadata={"help": "validate on the first N dialogues only"})
    problem_type: str | None = field(default=None, metadata={"help": "only the dialogues of this ESConv problem type"})
    eval_steps: int | None = field(default=None, metadata={"help": "validate every N steps (default: every epoch)"})
    save_steps: int | None = field(
        default=None, metadata={"help": "checkpoint every N steps, for --resume (default: when validating)"}
    )
    weight_decay: float = 0.01
    max_input_length: int = field(default=512, metadata={"help": "context tokens read (the latest kept)"})
    max_decoder_input_length: int = field(default=50, metadata={"help": "response tokens learned"})
    persona_from_utterances: bool = field(default=False, metadata={"help": "the seeker's utterances as persona"})
    fusion_mask_padding: bool = field(default=False, metadata={"help": "mask persona padding in the fusion"})
    resume: bool = field(default=False, metadata={"help": "continue from the last checkpoint in OUTPUT_DIR"})
    lora: str | None = field(default=None, metadata={"help": "train a LoRA adapter, e.g. r=8,alpha=16,dropout=0.05"})
    strategy_loss_weight: float = field(default=1.0, metadata={"help": "weight of the strategy token's loss"})

    def __post_init__(self):
        if self.strategy_loss_weight <= 0:
            raise ValueError(f"strategy_loss_weight must be positive (got {self.strategy_loss_weight}).")
        if self.variant not in VARIANTS:
            raise ValueError(f"Unknown variant {self.variant!r}; use one of {VARIANTS}.")
        if self.preset not in PRESETS:
            raise ValueError(f"Unknown preset {self.preset!r}; use one of {sorted(PRESETS)}.")
        if self.tokenizer is None and (Path(self.init) / "tokenizer_config.json").is_file():
            self.tokenizer = self.init  # a checkpoint folder's own tokenizer
        for key, value in PRESETS[self.preset].items():
            if getattr(self, key) is None:
                setattr(self, key, value)
        if self.lora is not None and not is_causal_lm_folder(self.init):
            parse_lora_spec(self.lora)
            config_file = Path(self.init) / "config.json"
            model_type = json.loads(config_file.read_text()).get("model_type") if config_file.is_file() else None
            if model_type != PalConfig.model_type:
                raise ValueError(f"--lora adapts a PAL model: give its folder as --init (got {self.init!r}).")


def build_model(settings: TrainSettings, tokenizer) -> PalForConditionalGeneration:
    """The starting model: `random:<size>`, a PAL folder, or a BlenderbotSmall checkpoint folder."""
    pal_fields = dict(
        fuse_persona=settings.variant == "pal",
        persona_in_context=settings.variant == "hard-prompt",
        fusion_mask_padding=settings.fusion_mask_padding,
        max_input_length=settings.max_input_length,
    )
    if settings.init.startswith("random:"):
        size = settings.init.split(":", 1)[1]
        if size not in RANDOM_SIZES:
            raise ValueError(f"Unknown random size {size!r}; use one of {sorted(RANDOM_SIZES)}.")
        return PalForConditionalGeneration(tiny_pal_config(tokenizer, **RANDOM_SIZES[size], **pal_fields))
    folder = Path(settings.init)
    config_file = folder / "config.json"
    if not config_file.is_file():
        raise FileNotFoundError(f"--init {folder}: no config.json there (or use random:<size>).")
    if json.loads(config_file.read_text()).get("model_type") == PalConfig.model_type:
        model = PalForConditionalGeneration.from_pretrained(folder)
        for key, value in pal_fields.items():
            if key != "max_input_length" and getattr(model.config, key) != value:
                raise ValueError(
                    f"{folder} has {key}={getattr(model.config, key)}, the {settings.variant} variant needs {value}."
                )
        return model
    model, _ = pal_from_blenderbot_small(folder, settings.tokenizer, **pal_fields)
    return model


def load_examples(settings: TrainSettings, split: str, tokenizer, strategy_names) -> list[dict]:
    """The featurized supporter turns of one split (with PESConv personas attached unless joint)."""
    if settings.data_dir is None:
        raise ValueError("Give --data-dir (a folder with ESConv.json or the HF train/valid/test.jsonl).")
    needs_personas = settings.variant != "joint" and not settings.persona_from_utterances
    if needs_personas and not settings.pesconv:
        raise ValueError(f"The {settings.variant} variant needs personas: give --pesconv files (PESConv jsonl).")
    dialogues: list[Dialogue] = load_split(
        settings.data_dir, split, settings.split_scheme, settings.order_file, settings.problem_type
    )
    limit = settings.max_dialogues if split == "train" else settings.max_valid_dialogues
    if limit is not None:
        dialogues = dialogues[:limit]
    if needs_personas:
        dialogues = attach_personas(dialogues, settings.pesconv)
    options = FeaturizeOptions(
        variant=settings.variant,
        max_input_length=settings.max_input_length,
        max_decoder_input_length=settings.max_decoder_input_length,
        persona_from_utterances=settings.persona_from_utterances,
    )
    examples = []
    for dialogue in tqdm(dialogues, desc=f"featurizing {split}"):
        examples.extend(featurize(dialogue, tokenizer, options, strategy_names))
    return examples


def pal_training_arguments(output_dir: str | Path, **options) -> Seq2SeqTrainingArguments:
    """The `Seq2SeqTrainingArguments` of `pal-train` and `pal-warmup`: a run's `options` over the choices they share
    (gradient clipping at 1.0, linear decay, length-grouped batches, every input column kept, no reporting)."""
    shared = dict(
        max_grad_norm=1.0,
        lr_scheduler_type="linear",
        train_sampling_strategy="group_by_length",
        remove_unused_columns=False,
        report_to="none",
    )
    return Seq2SeqTrainingArguments(output_dir=str(output_dir), **{**shared, **options})


class PalTrainer(Seq2SeqTrainer):
    """`Seq2SeqTrainer` whose training loss can weight the strategy token (the first label) `strategy_loss_weight`
    times a response token: `Σ w·CE / Σ w` per micro-batch. With 1.0 it is the mean token cross-entropy of the paper;
    evaluation losses always are."""

    def __init__(self, *args, strategy_loss_weight: float = 1.0, **kwargs):
        super().__init__(*args, **kwargs)
        self.strategy_loss_weight = strategy_loss_weight
        # Both loss paths are means over one micro-batch, which Trainer then averages over gradient accumulation
        # (and processes) alike; PAL's forward takes no token count to normalise by.
        self.model_accepts_loss_kwargs = False

    def get_eval_dataloader(self, eval_dataset=None) -> DataLoader:
        """Validation batches by PAL's one rule (`example_batches`), as `pal-evaluate` and the pipeline batch."""
        dataset = self.eval_dataset if eval_dataset is None else eval_dataset
        batches = example_batches(dataset, self.model.config, self.args.eval_batch_size)
        return self.accelerator.prepare(DataLoader(dataset, batch_sampler=batches, collate_fn=self.data_collator))

    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        if self.strategy_loss_weight == 1.0 or not model.training:
            return super().compute_loss(model, inputs, return_outputs, num_items_in_batch)
        outputs = model(**inputs)
        labels = inputs["labels"].to(outputs.logits.device)  # (batch, target_length)
        token_loss = nn.functional.cross_entropy(
            outputs.logits.transpose(1, 2).float(), labels, ignore_index=-100, reduction="none"
        )  # (batch, target_length)
        weights = (labels != -100).float()
        weights[:, 0] *= self.strategy_loss_weight
        loss = (token_loss * weights).sum() / weights.sum()
        return (loss, outputs) if return_outputs else loss


def strategy_metrics(strategy_token_ids: list[int]):
    """`preprocess_logits_for_metrics` and `compute_metrics` that report the validation strategy accuracy
    (argmax over the strategy tokens at the first decoding step, teacher-forced)."""
    token_ids = torch.tensor(strategy_token_ids)
    index = {token_id: i for i, token_id in enumerate(strategy_token_ids)}

    def first_step_strategy(logits, labels: torch.Tensor) -> torch.Tensor:
        logits = logits[0] if isinstance(logits, tuple) else logits  # (batch, target_length, vocab)
        return logits[:, 0, token_ids.to(logits.device)].argmax(-1)  # (batch,)

    def compute_metrics(prediction: EvalPrediction) -> dict[str, float]:
        gold = np.array([index.get(int(token_id), -1) for token_id in prediction.label_ids[:, 0]])
        return {"strategy_acc": float(np.mean(gold == prediction.predictions))}

    return first_step_strategy, compute_metrics


def train(settings: TrainSettings) -> Path:
    """Runs the training and returns the folder of the hub-ready final model (of the adapter with `lora`)."""
    if is_causal_lm_folder(settings.init):
        return train_llama(settings)
    output_dir = Path(settings.output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    (output_dir / "settings.json").write_text(json.dumps(asdict(settings), indent=2))
    tokenizer = load_pal_tokenizer(settings.tokenizer)
    model = build_model(settings, tokenizer)
    ids = pal_token_ids(tokenizer, model.config.strategy_names)
    if model.config.strategy_token_ids != ids["strategy_token_ids"]:
        raise ValueError("The tokenizer's strategy token ids differ from the model's.")
    if settings.lora is not None:
        model = add_pal_lora(model, settings.lora)
    train_examples = load_examples(settings, "train", tokenizer, model.config.strategy_names)
    valid_examples = load_examples(settings, "valid", tokenizer, model.config.strategy_names)
    evaluation = "steps" if settings.eval_steps else "epoch"
    save_steps = settings.save_steps or settings.eval_steps
    args = pal_training_arguments(
        output_dir,
        learning_rate=settings.learning_rate,
        per_device_train_batch_size=settings.batch_size,
        per_device_eval_batch_size=max(settings.batch_size, 16),
        num_train_epochs=settings.epochs,
        max_steps=settings.max_steps,
        warmup_steps=settings.warmup_steps,
        weight_decay=settings.weight_decay,
        seed=settings.seed,
        eval_strategy=evaluation,
        save_strategy="steps" if save_steps else "epoch",
        eval_steps=settings.eval_steps,
        save_steps=save_steps,
        save_total_limit=2,
        logging_steps=max(1, min(50, settings.eval_steps or 50)),
    )
    first_step_strategy, compute_metrics = strategy_metrics(model.config.strategy_token_ids)
    trainer = PalTrainer(
        model=model,
        args=args,
        data_collator=PalCollator(tokenizer.pad_token_id),
        train_dataset=train_examples,
        eval_dataset=valid_examples,
        callbacks=[JsonLogCallback(output_dir / "log.jsonl")],
        compute_metrics=compute_metrics,
        preprocess_logits_for_metrics=first_step_strategy,
        strategy_loss_weight=settings.strategy_loss_weight,
    )
    has_checkpoint = any(output_dir.glob("checkpoint-*"))
    trainer.train(resume_from_checkpoint=True if settings.resume and has_checkpoint else None)
    folder = output_dir / ("model" if settings.lora is None else "adapter")
    if trainer.is_world_process_zero():
        if settings.lora is None:
            save_pal(trainer.model, tokenizer, folder, pal_generation_config(trainer.model.config))
        else:
            trainer.model.save_pretrained(folder)
    return folder


def parse_settings(argv: list[str] | None = None) -> TrainSettings:
    """Settings from `--config FILE` and command-line flags (flags win)."""
    return parse_settings_command_line(TrainSettings, argv, "pal-train", __doc__, section="train")


def main(argv: list[str] | None = None) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    print(f"Wrote {train(parse_settings(argv))}")


if __name__ == "__main__":
    main()
