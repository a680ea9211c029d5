"""
`pal-warmup`: a language-model warm-up of a BlenderbotSmall checkpoint (e.g. the MiniLM warm start written by
`pal-convert minilm`) on dialogue text, before PAL/Joint fine-tuning on ESConv (`pal-train --init OUTPUT_DIR/model`).

Every utterance after a dialogue's first is one example: the turns before it as a PAL context (speakers alternating
backwards from the one who writes it, who takes the supporter's place; no strategy tokens) -> the utterance. No
strategy is learnt here. Corpora read:

- ESConv, the train split only (`--esconv DIR`, PAL's split by default: `--order-file F`), so the valid and test
  dialogues stay unseen;
- DailyDialog text files (`dialogues_*.txt`, utterances separated by `__eou__`);
- EmpatheticDialogues CSV files with `Dialog_ID,Type,Actor,Text` columns (`utterance` rows), or a folder of them.

  pal-warmup --init runs/minilm-d2 --esconv ESCONV_DIR --order-file esconv_order_and_splits.json \\
             --corpus dailydialog/train/dialogues_train.txt empathetic_dialogues/annotated \\
             --max-steps 1000 --output-dir runs/warmup
"""

from __future__ import annotations

import argparse
import csv
import logging
import random
from collections import defaultdict
from pathlib import Path

from tqdm import tqdm
from transformers import BlenderbotSmallForConditionalGeneration, Seq2SeqTrainer

from modeling_pal.bundled import load_pal_tokenizer
from modeling_pal.conversation import SEEKER, SUPPORTER, format_context
from modeling_pal.data.esconv import PalCollator, load_split
from modeling_pal.training.causal_lm import JsonLogCallback
from modeling_pal.training.train import pal_training_arguments

logger = logging.getLogger(__name__)

ED_COLUMNS = ("Dialog_ID", "Type", "Actor", "Text")


def read_dailydialog(path: Path) -> list[list[str]]:
    """DailyDialog's `dialogues_*.txt`: one dialogue per line, utterances ending with `__eou__`."""
    dialogues = []
    for line in path.read_text(encoding="utf-8").splitlines():
        utterances = [u.strip() for u in line.split("__eou__") if u.strip()]
        if utterances:
            dialogues.append(utterances)
    return dialogues


def read_empathetic_dialogues(path: Path) -> list[list[str]]:
    """An EmpatheticDialogues CSV (`Dialog_ID,Type,Actor,Text`): the `utterance` rows of each dialogue, in order."""
    by_dialogue: dict[str, list[str]] = defaultdict(list)
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if not set(ED_COLUMNS) <= set(reader.fieldnames or ()):
            raise ValueError(f"{path}: not an EmpatheticDialogues CSV (needs the columns {', '.join(ED_COLUMNS)}).")
        for row in reader:
            if row["Type"] == "utterance" and row["Text"].strip():
                by_dialogue[row["Dialog_ID"]].append(row["Text"].strip())
    return list(by_dialogue.values())


def read_corpus(path: str | Path) -> list[list[str]]:
    """The dialogues (lists of utterances) of a DailyDialog text file, an EmpatheticDialogues CSV or a folder of
    either."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix in (".csv", ".txt"))
        if not files:
            raise FileNotFoundError(f"{path} holds no .csv or .txt corpus file.")
        return [dialogue for file in files for dialogue in read_corpus(file)]
    if not path.is_file():
        raise FileNotFoundError(f"No corpus file at {path}.")
    if path.suffix == ".csv":
        return read_empathetic_dialogues(path)
    if path.suffix == ".txt":
        with path.open(encoding="utf-8") as f:
            is_dailydialog = "__eou__" in f.read(10_000)
        if is_dailydialog:
            return read_dailydialog(path)
    raise ValueError(f"{path}: neither a DailyDialog dialogues_*.txt file nor an EmpatheticDialogues CSV.")


def warmup_examples(
    dialogues: list[list[str]],
    tokenizer,
    max_input_length: int = 128,
    max_decoder_input_length: int = 50,
    max_examples: int | None = None,
    seed: int = 13,
) -> list[dict]:
    """
    One example per utterance after the first: PAL context of the turns before it -> the utterance + eos. With
    `max_examples`, a random sample of that many (drawn with `seed`).
    """
    pairs = []
    for utterances in dialogues:
        for i in range(1, len(utterances)):
            history = utterances[max(0, i - 8) : i]  # 8 turns fill more than 128 tokens
            roles = [SEEKER if (i - j) % 2 else SUPPORTER for j in range(i - len(history), i)]
            messages = [{"role": r, "content": t} for r, t in zip(roles, history, strict=True)]
            pairs.append((format_context(messages), utterances[i]))
    if max_examples is not None and max_examples < len(pairs):
        pairs = random.Random(seed).sample(pairs, max_examples)
    examples = []
    for start in tqdm(range(0, len(pairs), 4096), desc="tokenizing"):
        chunk = pairs[start : start + 4096]
        contexts = tokenizer([c for c, _ in chunk], add_special_tokens=False)["input_ids"]
        responses = tokenizer([r for _, r in chunk], add_special_tokens=False)["input_ids"]
        for context_ids, response_ids in zip(contexts, responses, strict=True):
            examples.append(
                {
                    "input_ids": context_ids[-max_input_length:],
                    "labels": [*response_ids, tokenizer.eos_token_id][:max_decoder_input_length],
                }
            )
    return examples


def warmup(
    init: str,
    output_dir: str,
    corpora: list[str],
    esconv: str | None = None,
    order_file: str | None = None,
    split_scheme: str = "pal",
    learning_rate: float = 2e-4,
    warmup_steps: int = 100,
    batch_size: int = 16,
    max_steps: int = 1000,
    max_input_length: int = 128,
    max_examples: int | None = None,
    seed: int = 13,
    save_steps: int = 250,
    resume: bool = False,
) -> Path:
    """Trains the warm-up and returns the BlenderbotSmall folder it writes (`OUTPUT_DIR/model`)."""
    tokenizer = load_pal_tokenizer(init)
    dialogues = [dialogue for corpus in corpora for dialogue in read_corpus(corpus)]
    if esconv is not None:
        dialogues += [[t["content"] for t in d.turns] for d in load_split(esconv, "train", split_scheme, order_file)]
    if not dialogues:
        raise ValueError("No dialogue text: give --corpus files and/or --esconv.")
    examples = warmup_examples(dialogues, tokenizer, max_input_length, max_examples=max_examples, seed=seed)
    logger.info("%d dialogues, %d examples", len(dialogues), len(examples))
    model = BlenderbotSmallForConditionalGeneration.from_pretrained(init)
    model.resize_token_embeddings(len(tokenizer), mean_resizing=False)  # PAL's added tokens, as `pal-train` does
    output = Path(output_dir)
    args = pal_training_arguments(
        output,
        learning_rate=learning_rate,
        per_device_train_batch_size=batch_size,
        max_steps=max_steps,
        warmup_steps=warmup_steps,
        weight_decay=0.01,
        seed=seed,
        save_strategy="steps",
        save_steps=save_steps,
        save_total_limit=1,
        logging_steps=50,
    )
    output.mkdir(parents=True, exist_ok=True)
    trainer = Seq2SeqTrainer(
        model=model,
        args=args,
        data_collator=PalCollator(tokenizer.pad_token_id),
        train_dataset=examples,
        callbacks=[JsonLogCallback(output / "log.jsonl")],
    )
    trainer.train(resume_from_checkpoint=True if resume and any(output.glob("checkpoint-*")) else None)
    folder = output / "model"
    trainer.model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="pal-warmup", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--init", required=True, help="a BlenderbotSmall folder (e.g. from `pal-convert minilm`)")
    parser.add_argument("--output-dir", required=True, help="checkpoints, log.jsonl and the final `model` folder")
    parser.add_argument("--corpus", nargs="*", default=[], help="DailyDialog .txt / EmpatheticDialogues .csv files")
    parser.add_argument("--esconv", help="an ESConv folder whose train split is added")
    parser.add_argument("--order-file", help="esconv_order_and_splits.json (PAL's split of the HF files)")
    parser.add_argument("--split-scheme", default="pal", choices=("pal", "hf"), help="the ESConv split (default: pal)")
    parser.add_argument("--learning-rate", type=float, default=2e-4)
    parser.add_argument("--warmup-steps", type=int, default=100)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--max-steps", type=int, default=1000)
    parser.add_argument("--max-input-length", type=int, default=128, help="context tokens kept (the last ones)")
    parser.add_argument("--max-examples", type=int, help="train on a random sample of this many examples")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--save-steps", type=int, default=250)
    parser.add_argument("--resume", action="store_true", help="continue from the last checkpoint in --output-dir")
    args = vars(parser.parse_args(argv))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    corpora = args.pop("corpus")
    print(f"Wrote {warmup(corpora=corpora, **args)}")


if __name__ == "__main__":
    main()
