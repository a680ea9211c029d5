"""
`pal-extractor evaluate`: a persona extractor (or the copy-the-utterances baseline) scored against gold personas
and against PAL's own extractor on held-out PESConv dialogues.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

from modeling_pal.data.personachat import (
    PAL_PERSONAS,
    READERS,
    PersonaExample,
    pal_persona_examples,
    read_pal_personas,
    split_heldout,
)
from modeling_pal.data.pesconv import extract, load_pipeline, pipeline_options
from modeling_pal.evaluation.metrics import persona_metrics
from modeling_pal.pal_tokens import split_persona
from modeling_pal.persona_extraction import PAL_FIRST_PERSONA_UTTERANCE, ground_persona, grounding


def metrics_markdown(results: dict[str, dict], settings: dict) -> str:
    """A markdown report: one row per evaluated set."""
    columns = ["examples", "bleu-1", "bleu-2", "rouge-l", "unigram-f1", "sentence-f1", "soft-sentence-f1"]
    columns += ["grounding", "gold-grounding", "predicted_sentences_per_example", "gold_sentences_per_example"]
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


def mean_grounding(personas: Sequence[Sequence[str]], examples: Sequence[PersonaExample]) -> float:
    """The mean `grounding` (x100) of every sentence of `personas` in its example's utterances."""
    scores = [grounding(s, e.utterances) for p, e in zip(personas, examples, strict=True) for s in p]
    return 100 * sum(scores) / len(scores) if scores else 100.0


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
        pipe = load_pipeline(args.model, args.device, args.bf16)
        options = pipeline_options(args)
        if args.min_grounding:  # the filter is applied below, at each value, to the same predictions
            options["min_grounding"] = 0.0

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

    results = {}
    for name, (examples, predicted) in sets.items():
        gold = [e.persona for e in examples]
        for threshold in args.min_grounding or [None]:
            kept = predicted
            if threshold is not None:
                kept = [ground_persona(p, e.utterances, threshold) for p, e in zip(predicted, examples, strict=True)]
            row = name if threshold is None else f"{name} (min_grounding={threshold:g})"
            results[row] = {
                **persona_metrics(kept, gold),
                "grounding": mean_grounding(kept, examples),
                "gold-grounding": mean_grounding(gold, examples),
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
                    "grounding": [round(grounding(s, example.utterances), 3) for s in sentences],
                }
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(metrics_markdown(results, settings))
