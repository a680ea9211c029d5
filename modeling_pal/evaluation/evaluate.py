"""
`pal-evaluate`: the paper's automatic evaluation of a PAL model (or a baseline) on a split of ESConv.

  pal-evaluate --model runs/pal/model --data-dir ESCONV_DIR --order-file esconv_order_and_splits.json \\
               --pesconv pesconv.jsonl --split test --output-dir runs/pal/eval
  pal-evaluate ... --strategy-alpha off          # the "PAL (alpha = 0)" row: no strategy-based control

The model is a PAL folder of either family: BlenderBot-small (`PalForConditionalGeneration`) or a chat model
(`PalLlamaForCausalLM`, e.g. `pal-export assemble` output). "off" sets every alpha to 0, the strategy choice's too.

It decodes every supporter turn that answers the seeker with PAL's inference decoding (sampling, temperature 0.5,
top-k 10, top-p 0.9, repetition penalty 1.03, seed 0) and writes `metrics.json`, `generations.jsonl` and
`metrics.md` (our row beside the paper's).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

import torch
from tqdm import tqdm
from transformers import AutoTokenizer

from logits_processors.strategy_control import PalStrategyControl
from modeling_pal.bundled import load_pal_tokenizer
from modeling_pal.chat_layout import FIRST_PERSONA_UTTERANCE, chat_views, render_prompt
from modeling_pal.cli.settings import parse_settings_command_line
from modeling_pal.conversation import SEEKER, decode_response
from modeling_pal.data.esconv import (
    FeaturizeOptions,
    PalCollator,
    attach_personas,
    example_batches,
    featurize,
    load_split,
)
from modeling_pal.evaluation import metrics
from modeling_pal.modeling_pal import PalForConditionalGeneration
from modeling_pal.modeling_pal_llama import PalLlamaForCausalLM
from modeling_pal.pal_tokens import persona_sentences, split_persona
from modeling_pal.prefix_sharing import shared_prefix_batch
from modeling_pal.strategies import strategy_by_token_id
from modeling_pal.training.train_llama import dialogue_features

# PAL paper, Table 3 (ACC, PPL, B-2, B-4, D-1, D-2, E-1, E-2, R-L, Cos-Sim); `None` where the paper gives no number.
PAPER_TABLE_3: dict[str, tuple[float | None, ...]] = {
    "Blenderbot-Joint": (27.72, 18.11, 5.57, 1.93, 3.74, 20.66, 4.23, 20.28, 16.36, 0.184),
    "Hard Prompt": (34.24, None, None, None, None, None, None, None, None, None),
    "PAL α=0": (34.25, 15.92, 9.28, 2.90, 4.72, 25.56, 5.87, 33.05, 18.27, 0.229),
    "PAL": (34.51, 15.92, 8.75, 2.66, 5.00, 30.27, 6.73, 41.82, 18.06, 0.244),
}
# The paper's rows as `pal-evaluate`'s report shows them ("?" where not available).
PAPER_ROWS: dict[str, list] = {
    f"{name} (paper)": ["?" if v is None else v for v in values] for name, values in PAPER_TABLE_3.items()
}
TABLE_COLUMNS = [
    ("ACC", "accuracy"),
    ("PPL", "ppl"),
    ("B-2", "bleu-2"),
    ("B-4", "bleu-4"),
    ("D-1", "distinct-1"),
    ("D-2", "distinct-2"),
    ("E-1", "ead-1"),
    ("E-2", "ead-2"),
    ("R-L", "rouge-l"),
    ("Cos-Sim", "cos-sim"),
]


@dataclass
class EvalSettings:
    """What `pal-evaluate` reads; a run config's `evaluate` section holds the same keys."""

    model: str = field(default="runs/pal/model", metadata={"help": "the PAL model folder"})
    output_dir: str = field(
        default="runs/pal/eval", metadata={"help": "where metrics.json, generations.jsonl, metrics.md go"}
    )
    data_dir: str | None = field(
        default=None, metadata={"help": "ESConv folder (ESConv.json or train/valid/test.jsonl)"}
    )
    order_file: str | None = field(default=None, metadata={"help": "esconv_order_and_splits.json, for PAL's split"})
    split_scheme: Literal["pal", "hf"] = "pal"
    split: Literal["train", "valid", "test"] = "test"
    pesconv: list[str] = field(default_factory=list, metadata={"help": "PESConv jsonl files with the personas"})
    strategy_alpha: str | None = field(
        default=None,
        metadata={"help": "alpha preset ('released', 'per-strategy', 'off') or 8 comma-separated floats"},
    )
    batch_size: int = 32
    seed: int = 0
    ppl_max_decoder_length: int = field(default=50, metadata={"help": "labels kept for PPL (PAL's infer: 15)"})
    max_dialogues: int | None = field(default=None, metadata={"help": "only the first N dialogues of the split"})
    problem_type: str | None = field(default=None, metadata={"help": "only the dialogues of this ESConv problem type"})
    max_new_tokens: int | None = field(default=None, metadata={"help": "override the response length limit"})
    distinct_off_by_one: bool = field(
        default=False, metadata={"help": "PAL's Distinct-n, which skips each last n-gram"}
    )
    meteor: bool = field(default=True, metadata={"help": "METEOR (it needs Java; --no-meteor skips it)"})
    name: str = field(default="ours", metadata={"help": "the row name in metrics.md"})

    def __post_init__(self):
        if isinstance(self.strategy_alpha, str) and "," in self.strategy_alpha:
            self.strategy_alpha = [float(a) for a in self.strategy_alpha.split(",")]


def variant_of(model: PalForConditionalGeneration | PalLlamaForCausalLM) -> str:
    if isinstance(model, PalLlamaForCausalLM):
        return "pal" if model.config.use_persona else "joint"
    if model.config.fuse_persona:
        return "pal"
    return "hard-prompt" if model.config.persona_in_context else "joint"


@torch.no_grad()
def perplexity(model, examples: list[dict], collator: PalCollator, batch_size: int, max_decoder_length: int) -> float:
    """Teacher-forced PPL over `[strategy] + response + eos`, each cut to `max_decoder_length + 1` labels."""
    nll, count = 0.0, 0
    for rows in tqdm(example_batches(examples, model.config, batch_size), desc="perplexity"):
        chunk = [dict(examples[i], labels=examples[i]["labels"][: max_decoder_length + 1]) for i in rows]
        batch = collator(chunk)
        labels = batch.pop("labels")
        logits = model(**batch, labels=labels).logits
        keep = labels.ne(-100)
        nll += torch.nn.functional.cross_entropy(logits[keep], labels[keep], reduction="sum").item()
        count += int(keep.sum())
    return metrics.perplexity(nll, count)


@torch.no_grad()
def generate(model, tokenizer, examples: list[dict], collator: PalCollator, settings: EvalSettings) -> list[dict]:
    """PAL's inference decoding of every example: its strategy and response."""
    torch.manual_seed(settings.seed)
    names = strategy_by_token_id(model.config.strategy_token_ids, model.config.strategy_names)
    outputs: list[dict | None] = [None] * len(examples)
    options = {} if settings.strategy_alpha is None else {"strategy_alpha": settings.strategy_alpha}
    if settings.max_new_tokens is not None:
        options["max_new_tokens"] = settings.max_new_tokens
    for rows in tqdm(example_batches(examples, model.config, settings.batch_size), desc="generating"):
        batch = collator([{k: v for k, v in examples[i].items() if k != "labels"} for i in rows])
        sequences = model.generate(**batch, **options)
        for i, row in zip(rows, sequences, strict=True):
            example = examples[i]
            outputs[i] = {
                "context": example["context"],
                "persona": example["persona"],
                "gold": example["response"],
                "gold_strategy": example["strategy"],
                "strategy": names[int(row[1])],
                "response": decode_response(tokenizer, row),
            }
    return outputs


def llama_examples(dialogues, tokenizer, config) -> list[dict]:
    """
    The evaluation examples of a PAL chat model: every supporter turn that answers the seeker, with both views of its
    prompt (`chat_layout`), the persona the turn reads (PESConv's `persona_list` entry) and the gold reply.
    """
    examples = []
    for index, dialogue in enumerate(tqdm(dialogues, desc="laying out")):
        persona_list = [split_persona(p) for p in dialogue.persona_list] if config.use_persona else None
        seekers = 0
        for i, turn in enumerate(dialogue.turns):
            if turn["role"] == SEEKER:
                seekers += 1
                continue
            if i == 0 or dialogue.turns[i - 1]["role"] != SEEKER:
                continue
            views = chat_views(dialogue.turns[:i], persona_list, config.system_prompt, config.strategy_names)
            persona = persona_list[seekers - FIRST_PERSONA_UTTERANCE] if persona_list and seekers >= 3 else []
            examples.append(
                {
                    "input_ids": render_prompt(tokenizer, views.persona_view, config.max_input_length).input_ids,
                    "plain_input_ids": render_prompt(tokenizer, views.plain_view, config.max_input_length).input_ids,
                    "context": dialogue.turns[i - 1]["content"],
                    "persona": " ".join(persona),
                    "response": turn["content"],
                    "strategy": turn["strategy"],
                    "dialogue": index,
                }
            )
    return examples


@torch.no_grad()
def llama_perplexity(model, tokenizer, dialogues, max_decoder_length: int) -> float:
    """
    Teacher-forced PPL of a PAL chat model over `[strategy] reply <|im_end|>` of every supporter turn that answers
    the seeker (each cut to `max_decoder_length + 1` tokens), one forward pass per dialogue.
    """
    nll, count = 0.0, 0
    for dialogue in tqdm(dialogues, desc="perplexity"):
        features = dialogue_features(
            dialogue, tokenizer, model.config.use_persona, model.config.system_prompt, inference=True
        )
        if features is None:
            continue
        labels = features["labels"]
        kept, run = [], 0
        for label in labels:  # keep the first max_decoder_length + 1 labels of each turn
            run = run + 1 if label != -100 else 0
            kept.append(label if run and run <= max_decoder_length + 1 else -100)
        ids = torch.tensor([features["input_ids"]], device=model.device)
        labels = torch.tensor([kept], device=model.device)
        logits = model(input_ids=ids).logits[0, :-1].float()
        targets = labels[0, 1:]
        keep = targets.ne(-100)
        nll += torch.nn.functional.cross_entropy(logits[keep], targets[keep], reduction="sum").item()
        count += int(keep.sum())
    return metrics.perplexity(nll, count)


@torch.no_grad()
def llama_generate(model, tokenizer, examples: list[dict], settings: EvalSettings) -> list[dict]:
    """
    PAL's inference decoding of every example with a PAL chat model. The turns of a dialogue are decoded together,
    whole dialogues batched up to `settings.batch_size` turns: their prompts (each a prefix of the next, the gold
    history being the context) share one pass over the dialogue (`shared_prefix_batch`), in each view.
    """
    torch.manual_seed(settings.seed)
    names = strategy_by_token_id(model.config.strategy_token_ids, model.config.strategy_names)
    options = {} if settings.strategy_alpha is None else {"strategy_alpha": settings.strategy_alpha}
    if settings.max_new_tokens is not None:
        options["max_new_tokens"] = settings.max_new_tokens
    alphas = {k: v for k, v in options.items() if k == "strategy_alpha"}
    two_view = model.config.use_persona and PalStrategyControl.from_config(model.config, **alphas).needs_plain_logits
    dialogues: dict[int, list[int]] = {}
    for i, example in enumerate(examples):
        dialogues.setdefault(example["dialogue"], []).append(i)
    batches: list[list[list[int]]] = [[]]
    for turns in dialogues.values():
        if batches[-1] and sum(map(len, batches[-1])) + len(turns) > settings.batch_size:
            batches.append([])
        batches[-1].append(turns)
    outputs: list[dict | None] = [None] * len(examples)
    pad_id = tokenizer.pad_token_id
    for batch in tqdm(batches, desc="generating", unit="batch"):
        chunk = [i for turns in batch for i in turns]
        groups, start = [], 0
        for turns in batch:
            groups.append(list(range(start, start + len(turns))))
            start += len(turns)
        prompts = [examples[i]["input_ids"] for i in chunk]
        if two_view:
            prompts += [examples[i]["plain_input_ids"] for i in chunk]
            groups += [[i + len(chunk) for i in group] for group in groups]
        ids, mask, cache = shared_prefix_batch(model, prompts, groups, pad_id)
        rows = len(chunk)
        inputs = {"input_ids": ids[:rows], "attention_mask": mask[:rows]}
        if two_view:
            inputs.update(plain_input_ids=ids[rows:], plain_attention_mask=mask[rows:])
        if cache is not None:
            inputs["cache"] = cache
        sequences = model.generate(**inputs, **options)
        for i, row in zip(chunk, sequences[:, ids.shape[1] :], strict=True):
            example = examples[i]
            outputs[i] = {
                "context": example["context"],
                "persona": example["persona"],
                "gold": example["response"],
                "gold_strategy": example["strategy"],
                "strategy": names[int(row[0])],
                "response": tokenizer.decode(row[1:], skip_special_tokens=True).strip(),
            }
    return outputs


def markdown_table(name: str, result: dict) -> str:
    """Our row beside the paper's rows (same columns)."""
    lines = ["| Model | " + " | ".join(c for c, _ in TABLE_COLUMNS) + " |", "|---" * (len(TABLE_COLUMNS) + 1) + "|"]
    for row_name, values in PAPER_ROWS.items():
        lines.append(f"| {row_name} | " + " | ".join(str(v) for v in values) + " |")
    ours = [result.get(key) for _, key in TABLE_COLUMNS]
    lines.append(
        f"| **{name}** | "
        + " | ".join("–" if v is None else f"{v:.3f}" if abs(v) < 1 else f"{v:.2f}" for v in ours)
        + " |"
    )
    return "\n".join(lines) + "\n"


def evaluate(settings: EvalSettings) -> dict:
    """Runs the evaluation, writes its files and returns the metrics."""
    output_dir = Path(settings.output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    chat_model = json.loads((Path(settings.model) / "config.json").read_text()).get("model_type") == "pal_llama"
    if chat_model:
        model = PalLlamaForCausalLM.from_pretrained(settings.model).eval()
        tokenizer = AutoTokenizer.from_pretrained(settings.model)
    else:
        model = PalForConditionalGeneration.from_pretrained(settings.model).eval()
        tokenizer = load_pal_tokenizer(settings.model)
    variant = variant_of(model)
    if settings.data_dir is None:
        raise ValueError("Give --data-dir (a folder with ESConv.json or the HF train/valid/test.jsonl).")
    if variant != "joint" and not settings.pesconv:
        raise ValueError(f"A {variant} model needs personas: give --pesconv files (PESConv jsonl).")
    dialogues = load_split(
        settings.data_dir, settings.split, settings.split_scheme, settings.order_file, settings.problem_type
    )
    if settings.max_dialogues is not None:
        dialogues = dialogues[: settings.max_dialogues]
    if settings.pesconv:
        dialogues = attach_personas(dialogues, settings.pesconv)
    if chat_model:
        examples = llama_examples(dialogues, tokenizer, model.config)
        generations = llama_generate(model, tokenizer, examples, settings)
        ppl = llama_perplexity(model, tokenizer, dialogues, settings.ppl_max_decoder_length)
    else:
        options = FeaturizeOptions(variant=variant, max_input_length=model.config.max_input_length, inference=True)
        examples = [
            e
            for d in tqdm(dialogues, desc="featurizing")
            for e in featurize(d, tokenizer, options, model.config.strategy_names)
        ]
        collator = PalCollator(tokenizer.pad_token_id)
        generations = generate(model, tokenizer, examples, collator, settings)
        ppl = perplexity(model, examples, collator, settings.batch_size, settings.ppl_max_decoder_length)
    names = list(model.config.strategy_names)
    result = {
        **metrics.strategy_metrics(
            [names.index(g["strategy"]) for g in generations],
            [names.index(g["gold_strategy"]) for g in generations],
            len(names),
        ),
        "ppl": ppl,
        **metrics.generation_metrics(
            [g["response"] for g in generations],
            [g["gold"] for g in generations],
            len(tokenizer),
            distinct_off_by_one=settings.distinct_off_by_one,
            meteor=settings.meteor,
        ),
    }
    with_persona = [g for g in generations if persona_sentences(g["persona"])]
    if with_persona:
        result["cos-sim"] = metrics.persona_response_similarity(
            [persona_sentences(g["persona"]) for g in with_persona], [g["response"] for g in with_persona]
        )
    result.update(examples=len(examples), dialogues=len(dialogues), settings=asdict(settings))
    (output_dir / "metrics.json").write_text(json.dumps(result, indent=2))
    with (output_dir / "generations.jsonl").open("w") as f:
        for g in generations:
            f.write(json.dumps(g) + "\n")
    (output_dir / "metrics.md").write_text(markdown_table(settings.name, result))
    return result


def parse_settings(argv: list[str] | None = None) -> EvalSettings:
    """Settings from command-line flags (and `--config FILE`: flags win)."""
    return parse_settings_command_line(
        EvalSettings, argv, "pal-evaluate", __doc__, section="evaluate", required=("model", "output_dir", "data_dir")
    )


def main(argv: list[str] | None = None) -> None:
    result = evaluate(parse_settings(argv))
    print(json.dumps({k: v for k, v in result.items() if k != "settings"}, indent=2))


if __name__ == "__main__":
    main()
