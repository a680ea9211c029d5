"""
`pal-extractor`: train, evaluate and apply PAL's persona extractor.

  # fine-tune a downloaded seq2seq checkpoint (PAL used facebook/bart-large-cnn) on PersonaChat pairs
  pal-extractor train --model bart-large-cnn/ --data pal-csv:personachat/valid.csv \\
      --eval-data pal-csv:personachat/test.csv --output models/persona-extractor
  # a tiny random-weight extractor, for smoke runs
  pal-extractor train --tiny-random --data pal-csv:personachat/valid.csv --max-steps 50 --output runs/tiny-extractor
  # BLEU, ROUGE-L and persona-sentence F1 against gold personas, and agreement with PAL's own extractor
  pal-extractor evaluate --model models/persona-extractor --gold pal-csv:personachat/test.csv \\
      --pal-personas pesconv/pal_valid.jsonl --output-dir runs/extractor-eval
  # ESConv -> PESConv (adds `persona` and `persona_list`); resumes where an earlier run stopped
  pal-extractor build-pesconv --model models/persona-extractor --input esconv/train.jsonl --output pesconv/train.jsonl

Data are given as FORMAT:PATH, with FORMAT one of: `pal-csv` (PAL's extractor CSV), `convai2` (ParlAI PersonaChat or
ConvAI2 text), `spc` (Synthetic-Persona-Chat CSV), `pal-personas` (PESConv JSON lines carrying PAL's personas: one
example per `persona_list` entry; every `--pal-heldout-every`-th dialogue is kept out of training for `evaluate`).
"""

from __future__ import annotations

import argparse
import json
import math
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from statistics import mean

import torch
from nltk.tokenize import NLTKWordTokenizer
from nltk.translate.bleu_score import SmoothingFunction, corpus_bleu
from rouge_score.rouge_scorer import RougeScorer
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

from .bundled import BUNDLED_TOKENIZER_DIR, TINY_ARCHITECTURE
from .causal_lm import (
    add_lora,
    encode_chat,
    is_causal_lm_folder,
    load_base,
    load_extractor_adapter,
    save_causal_extractor,
    train_adapter,
)
from .esconv import parse_dialogue, read_records
from .lora import parse_lora_spec
from .persona_extraction import (
    PAL_EXTRACTOR_DECODING,
    PAL_FIRST_PERSONA_UTTERANCE,
    PersonaExtractionPipeline,
    add_extractor_tokens,
    check_extractor_tokenizer,
    encode_source,
    extractor_messages,
    fit_utterances,
    format_persona_lines,
    format_target,
    pesconv_persona,
    save_extractor,
    seeker_utterances,
    split_persona,
)
from .personachat import (
    PersonaExample,
    normalize_persona_sentence,
    pal_persona_examples,
    read_convai2,
    read_pal_extractor_csv,
    read_pal_personas,
    read_synthetic_persona_chat,
    split_heldout,
)

READERS: dict[str, Callable[[Path], list[PersonaExample]]] = {
    "pal-csv": read_pal_extractor_csv,
    "convai2": read_convai2,
    "spc": read_synthetic_persona_chat,
}
PAL_PERSONAS = "pal-personas"
# PAL's extractor training (`persona_extractor/train_bart.py`).
PAL_TRAINING = {"learning_rate": 1e-5, "warmup_steps": 100, "batch_size": 16, "epochs": 10, "max_length": 128}


# ----------------------------------------------------------------------------------------------------------- data


def data_spec(text: str) -> tuple[str, Path]:
    """Parses a `FORMAT:PATH` argument."""
    data_format, colon, path = text.partition(":")
    if not colon or data_format not in (*READERS, PAL_PERSONAS):
        raise argparse.ArgumentTypeError(f"{text!r}: use FORMAT:PATH with FORMAT in {[*READERS, PAL_PERSONAS]}.")
    if not Path(path).is_file():
        raise argparse.ArgumentTypeError(f"{text!r}: no file at {path}.")
    return data_format, Path(path)


def load_examples(
    specs: Sequence[tuple[str, Path]], heldout_every: int, limit: int | None = None
) -> list[PersonaExample]:
    """
    Reads every `FORMAT:PATH` source (its first `limit` examples if given); from PESConv files, only the dialogues not
    held out for evaluation.
    """
    examples = []
    for data_format, path in specs:
        if data_format == PAL_PERSONAS:
            part = pal_persona_examples(split_heldout(read_pal_personas(path), heldout_every)[0])
        else:
            part = READERS[data_format](path)
        examples.extend(part[:limit])
        print(f"{data_format}:{path}: {len(part[:limit])} of {len(part)} examples")
    return examples


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


# ------------------------------------------------------------------------------------------------------- training


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
    train_examples = load_examples(args.data, args.pal_heldout_every, args.limit)
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
    train_examples = load_examples(args.data, args.pal_heldout_every, args.limit)
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


# ----------------------------------------------------------------------------------------------------- inference


def load_pipeline(folder: str, device: str | None = None) -> PersonaExtractionPipeline:
    """The persona-extraction pipeline of a trained extractor folder or adapter (this package's code, no remote
    code)."""
    if (Path(folder) / "adapter_config.json").is_file():
        model, tokenizer = load_extractor_adapter(folder)
    else:
        model = AutoModelForSeq2SeqLM.from_pretrained(folder).eval()
        tokenizer = AutoTokenizer.from_pretrained(folder)
    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    return PersonaExtractionPipeline(model=model, tokenizer=tokenizer, device=device)


def pipeline_options(args: argparse.Namespace) -> dict:
    """The extraction settings given on the command line (unset ones keep the pipeline's and model's defaults)."""
    options = {
        "num_beams": args.num_beams,
        "max_length": args.max_length,
        "max_input_length": args.max_input_length,
        "post_filter": False if args.no_post_filter else None,
    }
    return {k: v for k, v in options.items() if v is not None}


def extract(
    pipe: PersonaExtractionPipeline, dialogues: Sequence, batch_size: int, desc: str, **options
) -> list[list[str]]:
    """Runs the pipeline over dialogues, `batch_size` at a time, with a progress bar."""
    outputs = []
    with tqdm(total=len(dialogues), desc=desc, unit="dialogue") as bar:
        for start in range(0, len(dialogues), batch_size):
            chunk = list(dialogues[start : start + batch_size])
            outputs.extend(pipe(chunk, batch_size=batch_size, **options))
            bar.update(len(chunk))
    return outputs


# ---------------------------------------------------------------------------------------------------- evaluation

_WORDS = NLTKWordTokenizer()


def _words(text: str) -> list[str]:
    return _WORDS.tokenize(text.lower())


def _sentence_key(sentence: str) -> str:
    return " ".join(w for w in _words(sentence) if any(c.isalnum() for c in w))


def _match_count(predicted: Sequence[str], gold: Sequence[str], scorer: RougeScorer, threshold: float | None) -> int:
    """One-to-one matches: equal sentences (`threshold=None`), else greedy pairs with ROUGE-L F >= `threshold`."""
    if threshold is None:
        remaining = [_sentence_key(g) for g in gold]
        matches = 0
        for key in (_sentence_key(p) for p in predicted):
            if key in remaining:
                remaining.remove(key)
                matches += 1
        return matches
    pairs = sorted(
        ((scorer.score(g, p)["rougeL"].fmeasure, i, j) for i, p in enumerate(predicted) for j, g in enumerate(gold)),
        reverse=True,
    )
    used_p, used_g = set(), set()
    for score, i, j in pairs:
        if score >= threshold and i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
    return len(used_p)


def _content_words(sentence: str) -> list[str]:
    return [w for w in _words(sentence) if any(c.isalnum() for c in w)]


def _bag_f1(predicted: list[str], gold: list[str]) -> float:
    """Bag-of-words F1 of two word lists (two empty lists agree)."""
    if not predicted and not gold:
        return 1.0
    overlap = sum((Counter(predicted) & Counter(gold)).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / len(predicted), overlap / len(gold)
    return 2 * precision * recall / (precision + recall)


def _f1(matches: int, predicted: int, gold: int) -> dict[str, float]:
    precision = matches / predicted if predicted else 0.0
    recall = matches / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": 100 * precision, "recall": 100 * recall, "f1": 100 * f1}


def persona_metrics(
    predictions: Sequence[Sequence[str]], references: Sequence[Sequence[str]], soft_threshold: float = 0.5
) -> dict[str, float]:
    """
    Scores predicted persona sentences against reference ones, ×100. Per example, over all its sentences: corpus
    BLEU-1/2 (nltk, smoothing method 3, lower-cased nltk word tokens of each sentence, as PAL's metrics), mean
    ROUGE-L F (rouge-score) and mean unigram F1 (bag of lower-cased words, punctuation left out). Per sentence:
    micro precision/recall/F1 of one-to-one matches, exact (same words, case
    and punctuation aside) and soft (greedy pairs with ROUGE-L F >= `soft_threshold`).
    """
    if len(predictions) != len(references) or not predictions:
        raise ValueError(f"Need as many predictions as references, got {len(predictions)} and {len(references)}.")
    hypotheses = [[w for sentence in p for w in _words(sentence)] for p in predictions]
    gold_words = [[[w for sentence in r for w in _words(sentence)]] for r in references]
    smoothing = SmoothingFunction().method3
    scorer = RougeScorer(["rougeL"])
    n_predicted = sum(len(p) for p in predictions)
    n_gold = sum(len(r) for r in references)
    exact = sum(_match_count(p, r, scorer, None) for p, r in zip(predictions, references, strict=True))
    soft = sum(_match_count(p, r, scorer, soft_threshold) for p, r in zip(predictions, references, strict=True))
    # Two empty personas agree (PAL's extractor sometimes keeps no sentence).
    rouge_l = [
        scorer.score(" ".join(r), " ".join(p))["rougeL"].fmeasure if p or r else 1.0
        for p, r in zip(predictions, references, strict=True)
    ]
    unigram_f1 = [
        _bag_f1([w for s in p for w in _content_words(s)], [w for s in r for w in _content_words(s)])
        for p, r in zip(predictions, references, strict=True)
    ]
    metrics = {
        "examples": len(predictions),
        "unigram-f1": 100 * mean(unigram_f1),
        "bleu-1": 100 * corpus_bleu(gold_words, hypotheses, weights=(1.0,), smoothing_function=smoothing),
        "bleu-2": 100 * corpus_bleu(gold_words, hypotheses, weights=(0.5, 0.5), smoothing_function=smoothing),
        "rouge-l": 100 * mean(rouge_l),
        "predicted_sentences_per_example": n_predicted / len(predictions),
        "gold_sentences_per_example": n_gold / len(references),
    }
    metrics.update({f"sentence-{k}": v for k, v in _f1(exact, n_predicted, n_gold).items()})
    metrics.update({f"soft-sentence-{k}": v for k, v in _f1(soft, n_predicted, n_gold).items()})
    return metrics


def metrics_markdown(results: dict[str, dict], settings: dict) -> str:
    """A markdown report: one row per evaluated set."""
    columns = ["examples", "bleu-1", "bleu-2", "rouge-l", "unigram-f1", "sentence-f1", "soft-sentence-f1"]
    columns += ["predicted_sentences_per_example", "gold_sentences_per_example"]
    lines = [
        "# Persona extractor evaluation",
        "",
        "| set | " + " | ".join(columns) + " |",
        "|---" * (len(columns) + 1) + "|",
    ]
    for name, metrics in results.items():
        cells = [str(metrics[c]) if c == "examples" else f"{metrics[c]:.2f}" for c in columns]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", "Settings: " + ", ".join(f"{k}={v}" for k, v in settings.items()), ""]
    return "\n".join(lines)


def evaluate(args: argparse.Namespace) -> None:
    if not args.gold and not args.pal_personas:
        raise ValueError("Nothing to evaluate: give --gold FORMAT:PATH and/or --pal-personas PATH.")
    if args.copy_baseline:
        if args.model:
            raise ValueError("--copy-baseline scores no model: leave out --model.")
        options = {}

        def run(dialogues, name, incremental=False):  # the seeker's utterances, as they are, as the persona
            if incremental:
                return [[list(d[:end]) for end in range(PAL_FIRST_PERSONA_UTTERANCE, len(d) + 1)] for d in dialogues]
            return [list(d) for d in dialogues]

    else:
        if not args.model:
            raise ValueError("Give --model (an extractor folder or adapter), or --copy-baseline.")
        pipe = load_pipeline(args.model, args.device)
        options = pipeline_options(args)

        def run(dialogues, name, incremental=False):
            return extract(pipe, dialogues, args.batch_size, name, incremental=incremental, **options)

    sets: dict[str, tuple[list[PersonaExample], list[list[str]]]] = {}
    for data_format, path in args.gold:
        if data_format == PAL_PERSONAS:
            raise ValueError("Give PESConv files with --pal-personas, which scores agreement on held-out dialogues.")
        examples = [e for e in READERS[data_format](path) if e.utterances and e.persona][: args.limit]
        name = f"{data_format}:{path.name}"
        sets[name] = examples, run([e.utterances for e in examples], name)
    if args.pal_personas:
        dialogues = split_heldout(read_pal_personas(args.pal_personas), args.pal_heldout_every)[1][: args.limit]
        name = f"pal-agreement:{Path(args.pal_personas).name}"
        utterances = [d.seeker_utterances for d in dialogues]
        persona_lists = run(utterances, name, incremental=True)
        predicted = [
            persona if args.copy_baseline else split_persona(persona)
            for persona_list in persona_lists
            for persona in persona_list
        ]
        sets[name] = pal_persona_examples(dialogues), predicted

    results = {
        name: persona_metrics(predicted, [e.persona for e in examples]) for name, (examples, predicted) in sets.items()
    }
    settings = {
        "model": "copy the seeker's utterances" if args.copy_baseline else args.model,
        **options,
        "pal_heldout_every": args.pal_heldout_every,
        "limit": args.limit,
    }
    output_dir = Path(args.output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    (output_dir / "metrics.json").write_text(json.dumps({"settings": settings, "results": results}, indent=2) + "\n")
    (output_dir / "metrics.md").write_text(metrics_markdown(results, settings))
    with open(output_dir / "predictions.jsonl", "w", encoding="utf-8") as f:
        for name, (examples, predicted) in sets.items():
            for example, sentences in zip(examples, predicted, strict=True):
                record = {
                    "set": name,
                    "utterances": example.utterances,
                    "gold": example.persona,
                    "predicted": sentences,
                }
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(metrics_markdown(results, settings))


# -------------------------------------------------------------------------------------------------------- PESConv


def written_dialogues(output: Path, dialogues: Sequence[dict]) -> int:
    """
    How many dialogues an earlier run already wrote to `output` (a cut-off last line is removed). Raises a
    `ValueError` if the file holds other dialogues than the input's first ones.
    """
    if not output.exists():
        return 0
    done, kept_bytes = 0, 0
    with open(output, "rb") as f:
        for line in f:
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                break
            if not line.endswith(b"\n"):
                break
            if done >= len(dialogues) or row.get("dialog") != dialogues[done].get("dialog"):
                raise ValueError(
                    f"{output} does not continue this input: its row {done} is another dialogue. "
                    "Remove it or choose another --output."
                )
            done += 1
            kept_bytes += len(line)
    with open(output, "r+b") as f:
        f.truncate(kept_bytes)
    return done


def build_pesconv(args: argparse.Namespace) -> None:
    dialogues = read_records(args.input)
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    done = written_dialogues(output, dialogues)
    if done:
        print(f"{output}: {done} of {len(dialogues)} dialogues already written, resuming.")
    pipe = load_pipeline(args.model, args.device)
    options = pipeline_options(args)
    with (
        open(output, "a", encoding="utf-8") as f,
        tqdm(total=len(dialogues), initial=done, desc="PESConv", unit="dialogue") as bar,
    ):
        for start in range(done, len(dialogues), args.batch_size):
            chunk = dialogues[start : start + args.batch_size]
            utterances = []
            for i, dialogue in enumerate(chunk, start):
                try:
                    utterances.append(seeker_utterances(parse_dialogue(dialogue, i).seeker_utterances))
                except ValueError as error:
                    raise ValueError(f"{args.input}, dialogue {i}: {error}") from None
            persona_lists = pipe(utterances, incremental=True, batch_size=len(chunk), **options)
            short = [i for i, persona_list in enumerate(persona_lists) if not persona_list]
            whole = pipe([utterances[i] for i in short], batch_size=len(chunk), **options) if short else []
            personas = [persona_list[-1] if persona_list else None for persona_list in persona_lists]
            for i, sentences in zip(short, whole, strict=True):
                personas[i] = pesconv_persona(sentences)
            for dialogue, persona, persona_list in zip(chunk, personas, persona_lists, strict=True):
                row = {**dialogue, "persona": persona, "persona_list": persona_list}
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
            f.flush()
            bar.update(len(chunk))
    print(f"Wrote {len(dialogues)} PESConv dialogues to {output}.")


# ---------------------------------------------------------------------------------------------------------- main


def _add_inference_arguments(parser: argparse.ArgumentParser, model_required: bool = True) -> None:
    parser.add_argument("--model", required=model_required, help="a trained extractor folder or adapter folder")
    parser.add_argument("--batch-size", type=_positive, default=8, help="dialogues per generate call (default 8)")
    parser.add_argument("--device", help="e.g. cpu, cuda, cuda:1 (default: cuda if available)")
    parser.add_argument("--num-beams", type=int, help="beams (default: the model's generation config, PAL: 10)")
    parser.add_argument("--max-length", type=int, help="longest persona in tokens (default: the model's, PAL: 128)")
    parser.add_argument(
        "--max-input-length",
        type=int,
        help="source tokens read, the latest kept (default: the length the extractor was trained on, else 512)",
    )
    parser.add_argument("--no-post-filter", action="store_true", help="keep sentences PAL's post-filter drops")


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text}")
    return value


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="pal-extractor", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    heldout = dict(type=int, default=5, help="hold out PESConv dialogues 0, N, 2N, ... for evaluate (default 5)")

    train_parser = commands.add_parser("train", help="fine-tune a seq2seq model into a persona extractor")
    source = train_parser.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--model",
        help="a pretrained BART/BlenderbotSmall-style seq2seq folder to fine-tune, or a decoder-only chat LM folder "
        "(`smollm2`: the offline SmolLM2-135M-Instruct base) to train a LoRA adapter on",
    )
    source.add_argument("--init-config", help="random weights from this config.json (or a folder with one)")
    source.add_argument("--tiny-random", action="store_true", help="a tiny random BART (smoke runs)")
    train_parser.add_argument("--tokenizer", help="tokenizer folder (default: the model's or the config's folder)")
    train_parser.add_argument("--data", type=data_spec, action="append", required=True, help="FORMAT:PATH, repeatable")
    train_parser.add_argument(
        "--eval-data", type=data_spec, action="append", default=[], help="FORMAT:PATH for eval loss"
    )
    train_parser.add_argument("--output", required=True, help="the hub-ready extractor folder to write")
    train_parser.add_argument("--checkpoint-dir", help="where checkpoints go (default: OUTPUT-checkpoints)")
    train_parser.add_argument("--resume", action="store_true", help="continue from the last checkpoint")
    train_parser.add_argument("--pal-heldout-every", **heldout)
    train_parser.add_argument("--epochs", type=float, default=PAL_TRAINING["epochs"], help="(default 10)")
    train_parser.add_argument("--max-steps", type=int, default=-1, help="stop after this many steps (overrides epochs)")
    train_parser.add_argument("--batch-size", type=_positive, default=PAL_TRAINING["batch_size"], help="(default 16)")
    train_parser.add_argument("--gradient-accumulation-steps", type=_positive, default=1)
    train_parser.add_argument("--learning-rate", type=float, default=PAL_TRAINING["learning_rate"], help="(1e-5)")
    train_parser.add_argument("--warmup-steps", type=int, default=PAL_TRAINING["warmup_steps"], help="(default 100)")
    train_parser.add_argument("--max-source-length", type=_positive, default=PAL_TRAINING["max_length"], help="(128)")
    train_parser.add_argument("--max-target-length", type=_positive, default=PAL_TRAINING["max_length"], help="(128)")
    train_parser.add_argument("--eval-every", type=float, default=0.25, help="evaluate every this many epochs (0.25)")
    train_parser.add_argument("--patience", type=int, default=5, help="early stopping patience, in evaluations (5)")
    train_parser.add_argument("--save-steps", type=_positive, default=500, help="checkpoint interval without eval data")
    train_parser.add_argument("--logging-steps", type=_positive, default=50)
    train_parser.add_argument("--limit", type=_positive, help="use only the first N examples of each source")
    train_parser.add_argument("--bf16", action="store_true", help="bf16 mixed precision (decoder-only: always on)")
    train_parser.add_argument(
        "--lora", help="decoder-only models: LoRA settings, e.g. r=16,alpha=32,dropout=0.05 (default r=8,alpha=16)"
    )
    train_parser.add_argument("--seed", type=int, default=42)

    eval_parser = commands.add_parser("evaluate", help="score an extractor against gold personas and PAL's extractor")
    _add_inference_arguments(eval_parser, model_required=False)
    eval_parser.add_argument(
        "--copy-baseline", action="store_true", help="score the seeker's utterances themselves as the persona"
    )
    eval_parser.add_argument("--gold", type=data_spec, action="append", default=[], help="FORMAT:PATH, repeatable")
    eval_parser.add_argument("--pal-personas", help="PESConv JSON lines with PAL's personas (agreement)")
    eval_parser.add_argument("--pal-heldout-every", **heldout)
    eval_parser.add_argument("--output-dir", required=True, help="where metrics.json/.md and predictions.jsonl go")
    eval_parser.add_argument("--limit", type=_positive, help="only the first N examples (dialogues) of each set")

    build_parser = commands.add_parser("build-pesconv", help="ESConv -> PESConv with persona and persona_list")
    _add_inference_arguments(build_parser)
    build_parser.add_argument(
        "--input", required=True, help="ESConv JSON lines (HF layout) or the original ESConv.json"
    )
    build_parser.add_argument("--output", required=True, help="PESConv JSON lines; an existing one is resumed")

    args = parser.parse_args(argv)
    {"train": train, "evaluate": evaluate, "build-pesconv": build_pesconv}[args.command](args)


if __name__ == "__main__":
    main()
