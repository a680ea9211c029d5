"""
ESConv and PESConv: loading every public layout, PAL's split, and PAL's featurization (`codes/inputters/strat.py`).

Layouts read:
- the HF `thu-coai/esconv` JSON lines (`dialog` turns `{"text", "speaker": "usr"|"sys", "strategy"}`);
- the original `ESConv.json` (a JSON list; turns `{"content", "speaker": "seeker"|"supporter",
  "annotation": {"strategy"}}`);
- PESConv, either of the above with PAL's `persona` and `persona_list` fields.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import torch

from modeling_pal.conversation import (
    SEEKER,
    SUPPORTER,
    format_context,
    hard_prompt_ids,
    normalize_role,
    pad_rows,
    pal_batches,
)
from modeling_pal.pal_tokens import INPUT_TOKEN
from modeling_pal.strategies import strategy_token


@dataclass
class Dialogue:
    """One ESConv dialogue: turns as `{"role", "content", "strategy"}` plus PAL's persona fields when present."""

    turns: list[dict]
    persona: str | None = None
    persona_list: list[str] | None = None
    meta: dict = field(default_factory=dict)

    @property
    def seeker_utterances(self) -> list[str]:
        return [t["content"] for t in self.turns if t["role"] == SEEKER]


def parse_dialogue(record: dict, index: int = 0) -> Dialogue:
    """A dialogue from any supported layout, with a `ValueError` naming what is wrong."""
    if not isinstance(record, dict) or not isinstance(record.get("dialog"), list):
        raise ValueError(f"Dialogue {index} has no 'dialog' list.")
    turns = []
    for j, turn in enumerate(record["dialog"]):
        text = turn.get("text", turn.get("content"))
        if not isinstance(text, str):
            raise ValueError(f"Dialogue {index}, turn {j} has no text.")
        role = normalize_role(turn.get("speaker"), j)
        strategy = turn.get("strategy") or (turn.get("annotation") or {}).get("strategy")
        turns.append(
            {"role": role, "content": " ".join(text.split()), "strategy": strategy if role == SUPPORTER else None}
        )
    meta = {k: v for k, v in record.items() if k not in ("dialog", "persona", "persona_list")}
    return Dialogue(turns, record.get("persona"), record.get("persona_list"), meta)


def read_records(path: str | Path) -> list[dict]:
    """The dialogues of a `.json` list or a JSON-lines file."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"No dialogue file at {path}.")
    text = path.read_text(encoding="utf-8")
    if text.lstrip().startswith("["):
        return json.loads(text)
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def load_dialogues(path: str | Path) -> list[Dialogue]:
    """Every dialogue of an ESConv/PESConv file (any layout above)."""
    return [parse_dialogue(record, i) for i, record in enumerate(read_records(path))]


def pal_split(dialogues: Sequence, seed: int = 13) -> dict[str, list]:
    """
    PAL's split of ESConv in original file order (`codes/_reformat/process.py`): `random.seed(13)`, shuffle, then
    valid = [0, 10%) + [20%, 30%), test = [10%, 20%), train = the rest (910/260/130 of 1,300).
    """
    shuffled = list(dialogues)
    random.seed(seed)
    random.shuffle(shuffled)
    tenth = int(len(shuffled) * 0.1)
    return {
        "train": shuffled[3 * tenth :],
        "valid": shuffled[:tenth] + shuffled[2 * tenth : 3 * tenth],
        "test": shuffled[tenth : 2 * tenth],
    }


def load_split(
    data_dir: str | Path,
    split: str,
    scheme: str = "pal",
    order_file: str | Path | None = None,
    problem_type: str | None = None,
) -> list[Dialogue]:
    """
    One split of ESConv from a folder holding either the original `ESConv.json` or the HF `train/valid/test.jsonl`.
    `scheme="pal"` gives PAL's split; with the HF files it needs `order_file`, the table mapping each original
    index to its HF file and row (`esconv_order_and_splits.json`). `scheme="hf"` gives the HF files' own split.
    `problem_type` keeps only the dialogues of that ESConv problem type (`select_problem_type`).
    """
    dialogues = [parse_dialogue(r, i) for i, r in enumerate(split_records(data_dir, split, scheme, order_file))]
    return dialogues if problem_type is None else select_problem_type(dialogues, problem_type)


def split_records(
    data_dir: str | Path, split: str, scheme: str = "pal", order_file: str | Path | None = None
) -> list[dict]:
    """The raw dialogue records of one split, as `load_split` reads them (same arguments)."""
    data_dir = Path(data_dir)
    if split not in ("train", "valid", "test"):
        raise ValueError(f"Unknown split {split!r}: use train, valid or test.")
    original = data_dir / "ESConv.json"
    if scheme == "hf":
        return read_records(data_dir / f"{split}.jsonl")
    if scheme != "pal":
        raise ValueError(f"Unknown split scheme {scheme!r}: use 'pal' or 'hf'.")
    if original.is_file():
        return pal_split(read_records(original))[split]
    if order_file is None:
        raise ValueError(f"{data_dir} has no ESConv.json: PAL's split of the HF files needs `order_file`.")
    files = {name: read_records(data_dir / f"{name}.jsonl") for name in ("train", "valid", "test")}
    rows = json.loads(Path(order_file).read_text())["rows"]
    in_order = [files[r["hf_split"]][r["hf_row"]] for r in sorted(rows, key=lambda r: r["esconv_index"])]
    return pal_split(in_order)[split]


def select_problem_type(dialogues: Sequence[Dialogue], problem_type: str) -> list[Dialogue]:
    """The dialogues whose ESConv `problem_type` is `problem_type` (case-insensitive), e.g. "job crisis"."""
    wanted = problem_type.strip().lower()
    selected = [d for d in dialogues if str(d.meta.get("problem_type", "")).strip().lower() == wanted]
    if not selected:
        known = sorted({str(d.meta["problem_type"]) for d in dialogues if d.meta.get("problem_type")})
        raise ValueError(f"No dialogue has problem_type {problem_type!r}; these have: {', '.join(known) or 'none'}.")
    return selected


# The field of a persona-only PESConv row that names its dialogue (`dialogue_key`).
DIALOGUE_KEY_FIELD = "dialogue_sha1"


def dialogue_key(turns: Sequence[dict]) -> str:
    """A dialogue's identity across layouts: the SHA-1 of its (whitespace-normalised) turn texts."""
    return hashlib.sha1("\n".join(t["content"] for t in turns).encode("utf-8")).hexdigest()


def persona_row(dialogue: Dialogue) -> dict:
    """A persona-only PESConv row: the persona fields of one dialogue under its `dialogue_key`, without its text."""
    return {
        DIALOGUE_KEY_FIELD: dialogue_key(dialogue.turns),
        "persona": dialogue.persona,
        "persona_list": dialogue.persona_list,
    }


def read_personas(paths: Sequence[str | Path]) -> dict[str, tuple[str | None, list[str] | None]]:
    """
    `dialogue_key -> (persona, persona_list)` from PESConv files: whole dialogues (any layout above) or persona-only
    rows (`persona_row`, e.g. `hub_datasets/pesconv-smollm2`, which apply to ESConv files downloaded elsewhere).
    """
    personas = {}
    for path in paths:
        for i, record in enumerate(read_records(path)):
            if DIALOGUE_KEY_FIELD in record:
                personas[record[DIALOGUE_KEY_FIELD]] = (record.get("persona"), record.get("persona_list"))
            else:
                dialogue = parse_dialogue(record, i)
                personas[dialogue_key(dialogue.turns)] = (dialogue.persona, dialogue.persona_list)
    return personas


def attach_personas(dialogues: Sequence[Dialogue], pesconv: Sequence[str | Path]) -> list[Dialogue]:
    """Copies `persona`/`persona_list` from the PESConv files `pesconv` (`read_personas`) onto the same dialogues."""
    personas = read_personas(pesconv)
    out = []
    for d in dialogues:
        match = personas.get(dialogue_key(d.turns))
        if match is None:
            files = ", ".join(map(str, pesconv))
            raise ValueError(f"No persona in {files} for the dialogue starting {d.turns[0]['content']!r}.")
        out.append(Dialogue(d.turns, *match, d.meta))
    return out


@dataclass
class FeaturizeOptions:
    """
    How dialogues become examples (PAL's defaults).

    Args:
        variant: `"pal"` (persona fused), `"joint"` (no persona), `"hard-prompt"` (persona text before the context).
        max_input_length: context tokens kept (the last ones).
        max_decoder_input_length: response tokens kept; labels are `[strategy] + response + [eos]`, cut to this + 1.
        persona_from_utterances: reproduce the released code's bug that put the raw seeker utterances in
            `persona_list` (off: PESConv's inferred personas are used).
        inference: only supporter turns that answer a seeker turn (PAL's inference rule) instead of all.
    """

    variant: str = "pal"
    max_input_length: int = 512
    max_decoder_input_length: int = 50
    persona_from_utterances: bool = False
    inference: bool = False

    def __post_init__(self):
        if self.variant not in ("pal", "joint", "hard-prompt"):
            raise ValueError(f"Unknown variant {self.variant!r}: use 'pal', 'joint' or 'hard-prompt'.")


def persona_at(dialogue: Dialogue, seeker_count: int, options: FeaturizeOptions) -> str:
    """PAL's persona rule: `persona_list[seeker_count - 3]` once the seeker has spoken 3 times, else `"<input>"`."""
    if seeker_count <= 2:
        return INPUT_TOKEN
    personas = dialogue.seeker_utterances if options.persona_from_utterances else dialogue.persona_list
    if personas is None:
        raise ValueError("The dialogue has no `persona_list`: build PESConv first, or use the 'joint' variant.")
    if seeker_count - 3 >= len(personas):
        raise ValueError(f"`persona_list` has {len(personas)} entries; seeker utterance {seeker_count} needs more.")
    return personas[seeker_count - 3]


def featurize(dialogue: Dialogue, tokenizer, options: FeaturizeOptions, strategy_names: Sequence[str]) -> list[dict]:
    """
    PAL's training/evaluation examples of one dialogue: one per supporter turn after the first turn, each with
    `input_ids` (last `max_input_length` context tokens), `persona_input_ids` (unless joint), `labels`
    (`[strategy] + response + [eos]`, cut to `max_decoder_input_length + 1`) and the texts behind them.
    """
    examples, seeker_count = [], 0
    for i, turn in enumerate(dialogue.turns):
        if turn["role"] == SEEKER:
            seeker_count += 1
            continue
        if i == 0 or (options.inference and dialogue.turns[i - 1]["role"] != SEEKER):
            continue
        if turn["strategy"] not in strategy_names:
            raise ValueError(
                f"Supporter turn {i} has strategy {turn['strategy']!r}, not one of {list(strategy_names)}."
            )
        context = format_context(dialogue.turns[:i], strategy_names)
        context_ids = tokenizer.encode(context, add_special_tokens=False)[-options.max_input_length :]
        persona = None if options.variant == "joint" else persona_at(dialogue, seeker_count, options)
        example = {"context": context, "persona": persona, "response": turn["content"], "strategy": turn["strategy"]}
        if options.variant == "hard-prompt":
            persona_ids = tokenizer.encode(persona, add_special_tokens=False)
            context_ids = hard_prompt_ids(persona_ids, context_ids, options.max_input_length)
        elif options.variant == "pal":
            example["persona_input_ids"] = tokenizer.encode(persona, add_special_tokens=False)
        response_ids = tokenizer.encode(turn["content"], add_special_tokens=False)
        strategy_id = tokenizer.convert_tokens_to_ids(strategy_token(turn["strategy"]))
        labels = ([strategy_id, *response_ids, tokenizer.eos_token_id])[: options.max_decoder_input_length + 1]
        example.update(input_ids=context_ids, labels=labels)
        examples.append(example)
    return examples




def example_batches(examples: Sequence[dict], config, batch_size: int) -> list[list[int]]:
    """Featurized examples batched by PAL's one rule (`pal_batches`): indices into `examples`."""
    fused = bool(examples) and "persona_input_ids" in examples[0]
    personas = [len(e["persona_input_ids"]) for e in examples] if fused else None
    return pal_batches([len(e["input_ids"]) for e in examples], personas, config.fusion_reads_padding, batch_size)


class PalCollator:
    """Right-pads a list of featurized examples into a batch (`labels` padded with -100)."""

    def __init__(self, pad_token_id: int):
        self.pad_token_id = pad_token_id

    def __call__(self, examples: list[dict]) -> dict[str, torch.Tensor]:
        batch = dict(
            zip(
                ("input_ids", "attention_mask"),
                pad_rows([e["input_ids"] for e in examples], self.pad_token_id),
                strict=True,
            )
        )
        if "persona_input_ids" in examples[0]:
            ids, mask = pad_rows([e["persona_input_ids"] for e in examples], self.pad_token_id)
            batch.update(persona_input_ids=ids, persona_attention_mask=mask)
        if "labels" in examples[0]:
            batch["labels"] = pad_rows([e["labels"] for e in examples], -100)[0]
        return batch


__all__ = [
    "Dialogue",
    "FeaturizeOptions",
    "PalCollator",
    "DIALOGUE_KEY_FIELD",
    "attach_personas",
    "example_batches",
    "dialogue_key",
    "persona_row",
    "read_personas",
    "featurize",
    "load_dialogues",
    "load_split",
    "pal_split",
    "parse_dialogue",
    "persona_at",
    "select_problem_type",
    "split_records",
]
