"""
Applying a persona extractor to dialogues: ESConv -> PESConv (`pal-extractor build-pesconv`: each dialogue gains
`persona` and the per-turn `persona_list`, or with `--personas-only` only those fields, keyed by
`dialogue_key`, which `attach_personas` applies to ESConv files), resumable.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

import torch
from tqdm.auto import tqdm

from modeling_pal.data.esconv import (
    DIALOGUE_KEY_FIELD,
    Dialogue,
    dialogue_key,
    parse_dialogue,
    persona_row,
    read_records,
    split_records,
)
from modeling_pal.pal_tokens import pesconv_persona
from modeling_pal.persona_extraction import PersonaExtractionPipeline, seeker_utterances
from modeling_pal.persona_support import load_persona_extractor
from modeling_pal.training.causal_lm import (
    load_extractor_adapter,
)


def load_pipeline(folder: str, device: str | None = None, bf16: bool = False) -> PersonaExtractionPipeline:
    """
    The persona-extraction pipeline (this package's code, no remote code) of a trained extractor folder, or of an
    adapter folder (`pal-extractor train --model smollm2`) over its base; `bf16` casts the model to bfloat16.
    """
    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    if (Path(folder) / "adapter_config.json").is_file():
        model, tokenizer = load_extractor_adapter(folder)
        pipe = PersonaExtractionPipeline(model=model, tokenizer=tokenizer, device=device)
    else:
        pipe = load_persona_extractor(folder, device)
    if bf16:
        pipe.model.to(torch.bfloat16)
    return pipe


def pipeline_options(args: argparse.Namespace) -> dict:
    """The extraction settings given on the command line (unset ones keep the pipeline's and model's defaults)."""
    options = {
        "num_beams": args.num_beams,
        "max_length": args.max_length,
        "max_input_length": args.max_input_length,
        "post_filter": False if args.no_post_filter else None,
        "min_grounding": args.min_grounding,
    }
    return {k: v for k, v in options.items() if v is not None}


def extract(
    pipe: PersonaExtractionPipeline, dialogues: Sequence, batch_size: int, desc: str, **options
) -> list[list[str]]:
    """Runs the pipeline over dialogues (each one's seeker utterances), `batch_size` at a time, with a progress bar."""
    streamed = pipe((list(d) for d in dialogues), batch_size=batch_size, **options)
    return list(tqdm(streamed, total=len(dialogues), desc=desc, unit="dialogue"))


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
            if done >= len(dialogues) or not _same_dialogue(row, dialogues[done], done):
                raise ValueError(
                    f"{output} does not continue this input: its row {done} is another dialogue. "
                    "Remove it or choose another --output."
                )
            done += 1
            kept_bytes += len(line)
    with open(output, "r+b") as f:
        f.truncate(kept_bytes)
    return done


def _same_dialogue(row: dict, record: dict, index: int) -> bool:
    """Whether an output row (whole or persona-only) is the input dialogue `record`."""
    if DIALOGUE_KEY_FIELD in row:
        return row[DIALOGUE_KEY_FIELD] == dialogue_key(parse_dialogue(record, index).turns)
    return row.get("dialog") == record.get("dialog")


def build_pesconv(args: argparse.Namespace) -> None:
    if args.input:
        dialogues = read_records(args.input)
    else:
        dialogues = split_records(args.data_dir, args.split, args.split_scheme, args.order_file)
    dialogues = dialogues[: args.limit]
    if args.shard:
        index, count = args.shard
        dialogues = dialogues[index::count]
    source = args.input or f"{args.data_dir} ({args.split_scheme} {args.split} split)"
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    done = written_dialogues(output, dialogues)
    if done:
        print(f"{output}: {done} of {len(dialogues)} dialogues already written, resuming.")
    pipe = load_pipeline(args.model, args.device, args.bf16)
    options = pipeline_options(args)
    with (
        open(output, "a", encoding="utf-8") as f,
        tqdm(total=len(dialogues), initial=done, desc="PESConv", unit="dialogue") as bar,
    ):
        for start in range(done, len(dialogues), args.batch_size):
            chunk = dialogues[start : start + args.batch_size]
            parsed, utterances = [], []
            for i, dialogue in enumerate(chunk, start):
                try:
                    parsed.append(parse_dialogue(dialogue, i))
                    utterances.append(seeker_utterances(parsed[-1].seeker_utterances))
                except ValueError as error:
                    raise ValueError(f"{source}, dialogue {i}: {error}") from None
            persona_lists = pipe(utterances, incremental=True, batch_size=len(chunk), **options)
            short = [i for i, persona_list in enumerate(persona_lists) if not persona_list]
            whole = pipe([utterances[i] for i in short], batch_size=len(chunk), **options) if short else []
            personas = [persona_list[-1] if persona_list else None for persona_list in persona_lists]
            for i, sentences in zip(short, whole, strict=True):
                personas[i] = pesconv_persona(sentences)
            for dialogue, record, persona, persona_list in zip(chunk, parsed, personas, persona_lists, strict=True):
                if args.personas_only:
                    row = persona_row(Dialogue(record.turns, persona, persona_list))
                else:
                    row = {**dialogue, "persona": persona, "persona_list": persona_list}
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
            f.flush()
            bar.update(len(chunk))
    print(f"Wrote {len(dialogues)} PESConv dialogues to {output}.")
