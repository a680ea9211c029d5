"""
Training PAL's persona extractor (`pal-extractor train`): a seq2seq model (BART, BlenderbotSmall, ...) fine-tuned
with `Seq2SeqTrainer`, or a LoRA adapter on a decoder-only chat model (SmolLM2), on (utterances, persona) pairs.
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Sequence
from pathlib import Path

import torch
from tqdm.auto import tqdm
from transformers import (
    AutoConfig,
    AutoModelForSeq2SeqLM,
    AutoTokenizer,
    BartConfig,
    DataCollatorForSeq2Seq,
    EarlyStoppingCallback,
    Seq2SeqTrainer,
    Seq2SeqTrainingArguments,
)
from transformers.trainer_utils import get_last_checkpoint

from modeling_pal.bundled import BUNDLED_TOKENIZER_DIR, TINY_ARCHITECTURE
from modeling_pal.data.personachat import (
    PersonaExample,
    load_examples,
    normalize_persona_sentence,
)
from modeling_pal.persona_extraction import (
    PAL_EXTRACTOR_DECODING,
    add_extractor_tokens,
    check_extractor_tokenizer,
    encode_source,
    extractor_messages,
    fit_utterances,
    format_persona_lines,
    format_target,
    save_extractor,
)
from modeling_pal.training.causal_lm import (
    add_lora,
    encode_chat,
    is_causal_lm_folder,
    load_base,
    save_causal_extractor,
    train_adapter,
)
from modeling_pal.training.lora import parse_lora_spec

# PAL's extractor training (`persona_extractor/train_bart.py`).
PAL_TRAINING = {"learning_rate": 1e-5, "warmup_steps": 100, "batch_size": 16, "epochs": 10, "max_length": 128}


def encode_target(tokenizer, sentences: Sequence[str], max_length: int) -> list[int]:
    """Tokenizes a target persona (always ending in eos), keeping its first `max_length` tokens."""
    ids = tokenizer(format_target(sentences)).input_ids
    if not ids or ids[-1] != tokenizer.eos_token_id:
        ids = [*ids, tokenizer.eos_token_id]
    return ids if len(ids) <= max_length else [*ids[: max_length - 1], tokenizer.eos_token_id]


def encode_examples(
    tokenizer, examples: Sequence[PersonaExample], max_source_length: int, max_target_length: int, desc: str
) -> list[dict[str, list[int]]]:
    """Training features; examples without utterances or persona sentences are left out, shortened sources counted."""
    features, shortened = [], 0
    for example in tqdm(examples, desc=f"Tokenizing {desc}", unit="example"):
        if not example.utterances or not example.persona:
            continue
        source = encode_source(tokenizer, example.utterances, max_source_length)
        shortened += bool(source.dropped_utterances or source.cut_tokens)
        features.append(
            {
                "input_ids": source.input_ids,
                "attention_mask": [1] * len(source.input_ids),
                "labels": encode_target(tokenizer, example.persona, max_target_length),
            }
        )
    print(
        f"{desc}: {len(features)} examples ({len(examples) - len(features)} without utterances or persona left out, "
        f"{shortened} sources cut to their most recent {max_source_length} tokens)"
    )
    return features


class FeatureDataset(torch.utils.data.Dataset):
    def __init__(self, features: list[dict[str, list[int]]]):
        self.features = features

    def __len__(self) -> int:
        return len(self.features)

    def __getitem__(self, index: int) -> dict[str, list[int]]:
        return self.features[index]


def tiny_extractor_config(tokenizer) -> BartConfig:
    """A 2+2-layer, 32-wide BART config over `tokenizer`: random weights only, for tests and smoke runs."""
    return BartConfig(
        vocab_size=len(tokenizer),
        **TINY_ARCHITECTURE,
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        decoder_start_token_id=tokenizer.eos_token_id,
        forced_eos_token_id=tokenizer.eos_token_id,
    )


def build_extractor(
    model: str | None = None,
    tokenizer: str | None = None,
    init_config: str | None = None,
    tiny_random: bool = False,
    seed: int = 0,
):
    """
    The model to train and its tokenizer, with `<persona>`/`<sep>` added and PAL's decoding in its generation config:
    a pretrained seq2seq folder (`model`), or random weights from `init_config` or a tiny config (`tiny_random`).
    The tokenizer comes from `tokenizer`, else the model or config folder, else (tiny) the bundled BlenderBot-small one.
    """
    if sum(map(bool, (model, init_config, tiny_random))) != 1:
        raise ValueError("Give exactly one of a model folder, an init config or tiny_random.")
    tokenizer_source = tokenizer or model or (init_config if init_config and Path(init_config).is_dir() else None)
    if tokenizer_source is None and not tiny_random:
        raise ValueError("A model initialised from a config file needs a tokenizer folder (--tokenizer).")
    tokenizer = AutoTokenizer.from_pretrained(str(tokenizer_source or BUNDLED_TOKENIZER_DIR))
    add_extractor_tokens(tokenizer)
    check_extractor_tokenizer(tokenizer)
    torch.manual_seed(seed)
    if model:
        extractor = AutoModelForSeq2SeqLM.from_pretrained(model)
    else:
        config = tiny_extractor_config(tokenizer) if tiny_random else AutoConfig.from_pretrained(init_config)
        extractor = AutoModelForSeq2SeqLM.from_config(config)
    if len(tokenizer) > extractor.get_input_embeddings().num_embeddings:
        extractor.resize_token_embeddings(len(tokenizer))
    extractor.generation_config.update(**PAL_EXTRACTOR_DECODING)
    return extractor, tokenizer


def encode_chat_examples(
    tokenizer, examples: Sequence[PersonaExample], max_source_length: int, max_target_length: int, desc: str
) -> list[dict[str, list[int]]]:
    """
    Training features of a decoder-only extractor: the extractor chat (most recent utterances within
    `max_source_length` tokens) and the normalised persona sentences as the reply, as many sentences as fit
    `max_target_length` tokens. Examples without utterances or persona sentences are left out.
    """
    features, shortened = [], 0
    for example in tqdm(examples, desc=f"Tokenizing {desc}", unit="example"):
        sentences = [normalize_persona_sentence(s) for s in example.persona]
        sentences = [s for s in sentences if s]
        if not example.utterances or not sentences:
            continue
        fitted = fit_utterances(tokenizer, example.utterances, max_source_length)
        shortened += bool(fitted.dropped_utterances or fitted.cut_tokens)
        while len(sentences) > 1 and len(tokenizer(format_persona_lines(sentences)).input_ids) > max_target_length:
            sentences.pop()
        messages = extractor_messages(fitted.utterances)
        messages.append({"role": "assistant", "content": format_persona_lines(sentences)})
        features.append(encode_chat(tokenizer, messages))
    print(
        f"{desc}: {len(features)} examples ({len(examples) - len(features)} without utterances or persona left out, "
        f"{shortened} sources cut to their most recent {max_source_length} tokens)"
    )
    return features


def train_causal(args: argparse.Namespace) -> None:
    """Trains a LoRA adapter that turns a decoder-only chat LM (`--model smollm2`) into a persona extractor."""
    output = Path(args.output)
    checkpoint_dir = Path(args.checkpoint_dir or f"{output}-checkpoints")
    if get_last_checkpoint(str(checkpoint_dir)) if checkpoint_dir.is_dir() else None:
        if not args.resume:
            raise ValueError(f"{checkpoint_dir} holds checkpoints: pass --resume to continue, or another folder.")
    torch.manual_seed(args.seed)
    model, tokenizer = load_base(args.model)
    model = add_lora(model, **{k: v for k, v in parse_lora_spec(args.lora or "").items()})
    train_examples = load_examples(args.data, args.pal_heldout_every, args.limit, args.min_target_grounding)
    eval_examples = load_examples(args.eval_data, args.pal_heldout_every, args.limit)
    lengths = (args.max_source_length, args.max_target_length)
    train_set = encode_chat_examples(tokenizer, train_examples, *lengths, "train")
    eval_set = encode_chat_examples(tokenizer, eval_examples, *lengths, "eval") if eval_examples else None
    if not train_set:
        raise ValueError("No training example has both utterances and persona sentences.")
    trainer = train_adapter(
        model,
        tokenizer,
        train_set,
        eval_set,
        checkpoint_dir,
        learning_rate=args.learning_rate,
        batch_size=args.batch_size,
        gradient_accumulation_steps=args.gradient_accumulation_steps,
        epochs=args.epochs,
        max_steps=args.max_steps,
        warmup_steps=args.warmup_steps,
        eval_steps=args.save_steps,
        save_steps=args.save_steps,
        logging_steps=args.logging_steps,
        seed=args.seed,
        bf16=True,
        resume=args.resume,
    )
    if trainer.is_world_process_zero():
        save_causal_extractor(trainer.model, tokenizer, output, max_input_length=args.max_source_length)
        print(f"Saved the extractor adapter to {output}: {trainer.state.global_step} steps")


def train(args: argparse.Namespace) -> None:
    output = Path(args.output)
    checkpoint_dir = Path(args.checkpoint_dir or f"{output}-checkpoints")
    resume = None
    if checkpoint_dir.is_dir() and get_last_checkpoint(str(checkpoint_dir)):
        if not args.resume:
            raise ValueError(f"{checkpoint_dir} holds checkpoints: pass --resume to continue, or another folder.")
        resume = get_last_checkpoint(str(checkpoint_dir))
    elif args.resume:
        raise ValueError(f"--resume: no checkpoint in {checkpoint_dir}.")

    if args.model and is_causal_lm_folder(args.model):
        return train_causal(args)
    model, tokenizer = build_extractor(args.model, args.tokenizer, args.init_config, args.tiny_random, args.seed)
    train_examples = load_examples(args.data, args.pal_heldout_every, args.limit, args.min_target_grounding)
    eval_examples = load_examples(args.eval_data, args.pal_heldout_every, args.limit)
    lengths = (args.max_source_length, args.max_target_length)
    train_set = FeatureDataset(encode_examples(tokenizer, train_examples, *lengths, "train"))
    eval_set = FeatureDataset(encode_examples(tokenizer, eval_examples, *lengths, "eval")) if eval_examples else None
    if not len(train_set):
        raise ValueError("No training example has both utterances and persona sentences.")

    steps_per_epoch = math.ceil(len(train_set) / (args.batch_size * args.gradient_accumulation_steps))
    eval_steps = max(1, round(steps_per_epoch * args.eval_every))
    training_args = Seq2SeqTrainingArguments(
        output_dir=str(checkpoint_dir),
        per_device_train_batch_size=args.batch_size,
        per_device_eval_batch_size=args.batch_size,
        gradient_accumulation_steps=args.gradient_accumulation_steps,
        learning_rate=args.learning_rate,
        lr_scheduler_type="linear",
        warmup_steps=args.warmup_steps,
        num_train_epochs=args.epochs,
        max_steps=args.max_steps,
        eval_strategy="steps" if eval_set else "no",
        eval_steps=eval_steps,
        save_strategy="steps",
        save_steps=eval_steps if eval_set else args.save_steps,
        save_total_limit=2,
        load_best_model_at_end=eval_set is not None,
        metric_for_best_model="eval_loss",
        greater_is_better=False,
        logging_steps=args.logging_steps,
        report_to="none",
        seed=args.seed,
        bf16=args.bf16,
    )
    trainer = Seq2SeqTrainer(
        model=model,
        args=training_args,
        data_collator=DataCollatorForSeq2Seq(tokenizer, model=model),
        train_dataset=train_set,
        eval_dataset=eval_set,
        processing_class=tokenizer,
        callbacks=[EarlyStoppingCallback(args.patience)] if eval_set else None,
    )
    result = trainer.train(resume_from_checkpoint=resume)
    if not trainer.is_world_process_zero():
        return
    save_extractor(trainer.model, tokenizer, output, max_input_length=args.max_source_length)
    evals = [entry["eval_loss"] for entry in trainer.state.log_history if "eval_loss" in entry]
    summary = {
        "train_examples": len(train_set),
        "eval_examples": len(eval_set) if eval_set else 0,
        "global_step": trainer.state.global_step,
        "epochs": trainer.state.epoch,
        "train_loss": result.training_loss,
        "best_eval_loss": min(evals) if evals else None,
        "train_runtime_s": result.metrics.get("train_runtime"),
        "log_history": trainer.state.log_history,
    }
    (output / "training_summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(
        f"Saved the extractor to {output}: {summary['global_step']} steps, train loss {result.training_loss:.4f}"
        + (f", best eval loss {summary['best_eval_loss']:.4f}" if evals else "")
    )
