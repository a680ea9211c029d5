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
  pal-extractor build-pesconv --model models/persona-extractor-smollm2 --bf16 --batch-size 1 --personas-only \
      --data-dir ESCONV_DIR --order-file esconv_order_and_splits.json --split test --output pesconv/test.jsonl

Data are given as FORMAT:PATH, with FORMAT one of: `pal-csv` (PAL's extractor CSV), `convai2` (ParlAI PersonaChat or
ConvAI2 text), `spc` (Synthetic-Persona-Chat CSV), `pal-personas` (PESConv JSON lines carrying PAL's personas: one
example per `persona_list` entry; every `--pal-heldout-every`-th dialogue is kept out of training for `evaluate`).
"""

from __future__ import annotations

import argparse

from modeling_pal.data.personachat import data_spec
from modeling_pal.data.pesconv import build_pesconv
from modeling_pal.evaluation.extractor import evaluate
from modeling_pal.training.extractor import PAL_TRAINING, train


def _add_inference_arguments(
    parser: argparse.ArgumentParser, model_required: bool = True, several_groundings: bool = False
) -> None:
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
    parser.add_argument(
        "--min-grounding",
        type=_share,
        nargs="+" if several_groundings else None,
        help="keep only persona sentences at least this share of whose content words the seeker said (0 to 1; "
        "default: the extractor's own setting, else 0)"
        + ("; several values score the same predictions at each" if several_groundings else ""),
    )
    parser.add_argument(
        "--bf16",
        action="store_true",
        help="run the extractor in bfloat16 (on a 2-core AVX-512 BF16 CPU about 2x faster than float32)",
    )


def _share(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a share between 0 and 1, got {text}")
    return value


def _shard(text: str) -> tuple[int, int]:
    index, slash, count = text.partition("/")
    if not slash or not index.isdigit() or not count.isdigit() or not int(index) < int(count):
        raise argparse.ArgumentTypeError(f"expected I/N with 0 <= I < N, got {text}")
    return int(index), int(count)


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
    train_parser.add_argument(
        "--min-target-grounding",
        type=_share,
        default=0.0,
        help="train only on persona sentences at least this share of whose content words the speaker said (0 to 1; "
        "default 0: all); examples left with none are dropped",
    )
    train_parser.add_argument("--bf16", action="store_true", help="bf16 mixed precision (decoder-only: always on)")
    train_parser.add_argument(
        "--lora", help="decoder-only models: LoRA settings, e.g. r=16,alpha=32,dropout=0.05 (default r=8,alpha=16)"
    )
    train_parser.add_argument("--seed", type=int, default=42)

    eval_parser = commands.add_parser("evaluate", help="score an extractor against gold personas and PAL's extractor")
    _add_inference_arguments(eval_parser, model_required=False, several_groundings=True)
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
    source = build_parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--input", help="ESConv JSON lines (HF layout) or the original ESConv.json")
    source.add_argument(
        "--data-dir", help="an ESConv folder (ESConv.json, or the HF train/valid/test.jsonl): read one --split of it"
    )
    build_parser.add_argument("--split", choices=("train", "valid", "test"), default="train", help="(default train)")
    build_parser.add_argument(
        "--split-scheme", choices=("pal", "hf"), default="pal", help="PAL's split (default) or the HF files' own"
    )
    build_parser.add_argument("--order-file", help="esconv_order_and_splits.json (PAL's split of the HF files)")
    build_parser.add_argument("--limit", type=_positive, help="only the first N dialogues")
    build_parser.add_argument(
        "--shard",
        type=_shard,
        help="I/N: only dialogues I, I+N, I+2N, ... (0 <= I < N), so that N processes share the work; their outputs "
        "together hold every dialogue",
    )
    build_parser.add_argument("--output", required=True, help="PESConv JSON lines; an existing one is resumed")
    build_parser.add_argument(
        "--personas-only",
        action="store_true",
        help="write only each dialogue's SHA-1 and persona fields (no ESConv text), for --pesconv of pal-train",
    )

    args = parser.parse_args(argv)
    {"train": train, "evaluate": evaluate, "build-pesconv": build_pesconv}[args.command](args)


if __name__ == "__main__":
    main()
