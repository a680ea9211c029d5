"""
Hub cards: the README.md of a PAL model, of a persona extractor and of the demo Space, from the templates in
`hub_cards/` and the metrics the evaluation commands wrote.

```python
from hub_cards import extractor_card, pal_model_card, space_card

card = pal_model_card("runs/pal/eval/metrics.json", "pal-blenderbot-small", repo_id="me/pal-blenderbot-small")
card.save("runs/pal/model/README.md")
```

A PAL card's `model-index` holds the measured results of each `pal-evaluate` `metrics.json` given; its body shows
them beside the paper's Table 3, which is labelled as the paper's and not put in `model-index`. Each measured row
names the command that produced it: the one given, else the `command` the metrics carry, else (for `pal-evaluate`)
the command rebuilt from the settings they record.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Mapping, Sequence
from pathlib import Path
from string import Template
from typing import Any, NamedTuple

from huggingface_hub import CardData, EvalResult, ModelCard, ModelCardData, RepoCard, SpaceCard, SpaceCardData

from modeling_pal.evaluation.evaluate import PAPER_TABLE_3  # in `PAL_COLUMNS` order
from modeling_pal.safety import CRISIS_RESPONSE

TEMPLATES_DIR = Path(__file__).parent
ESCONV_DATASET = "thu-coai/esconv"
ESCONV_LICENSE = "cc-by-nc-4.0"
PAPER_SOURCE = "PAL (Cheng et al., 2023), Table 3"
PAPER_URL = "https://aclanthology.org/2023.findings-acl.34"
# Both models map text to text; the Hub has no task for the custom `persona-support` / `persona-extraction` pipelines.
PIPELINE_TAG = "text2text-generation"
GRADIO_SDK_VERSION = "6.31.0"
PAL_TAGS = ["emotional-support", "esconv", "persona", "pal", "blenderbot-small", "custom_code"]
EXTRACTOR_TAGS = ["persona", "persona-extraction", "emotional-support", "pal", "custom_code"]
SPACE_TAGS = ["emotional-support", "esconv", "persona", "pal", "research-demo"]
# Metrics of the cards' tables that the Hub knows (https://hf.co/metrics), listed in the `metrics` field.
HUB_METRICS = {"accuracy", "bleu", "f1", "perplexity", "rouge"}

MetricsSource = str | Path | Mapping[str, Any]


class MetricColumn(NamedTuple):
    """A metric of a card's table: its key in `metrics.json`, table header, model-index type and name."""

    key: str
    header: str
    metric_type: str
    metric_name: str


# The paper's Table 3 columns, in its order.
PAL_COLUMNS: tuple[MetricColumn, ...] = (
    MetricColumn("accuracy", "ACC", "accuracy", "Strategy accuracy"),
    MetricColumn("ppl", "PPL", "perplexity", "Perplexity"),
    MetricColumn("bleu-2", "B-2", "bleu", "BLEU-2"),
    MetricColumn("bleu-4", "B-4", "bleu", "BLEU-4"),
    MetricColumn("distinct-1", "D-1", "distinct-1", "Distinct-1"),
    MetricColumn("distinct-2", "D-2", "distinct-2", "Distinct-2"),
    MetricColumn("ead-1", "E-1", "ead-1", "EAD-1"),
    MetricColumn("ead-2", "E-2", "ead-2", "EAD-2"),
    MetricColumn("rouge-l", "R-L", "rouge", "ROUGE-L"),
    MetricColumn("cos-sim", "Cos-Sim", "cosine-similarity", "Persona-response cosine similarity"),
)
EXTRACTOR_COLUMNS: tuple[MetricColumn, ...] = (
    MetricColumn("bleu-1", "BLEU-1", "bleu", "BLEU-1"),
    MetricColumn("bleu-2", "BLEU-2", "bleu", "BLEU-2"),
    MetricColumn("rouge-l", "ROUGE-L", "rouge", "ROUGE-L"),
    MetricColumn("sentence-f1", "Sentence F1", "f1", "Sentence F1 (exact)"),
    MetricColumn("soft-sentence-f1", "Soft sentence F1", "f1", "Sentence F1 (ROUGE-L >= 0.5)"),
)
# `pal-extractor evaluate` set name prefix -> (dataset name, model-index dataset type).
EXTRACTOR_SETS: dict[str, tuple[str, str]] = {
    "pal-csv": ("PersonaChat (PAL's extractor CSV)", "personachat"),
    "convai2": ("ConvAI2 / PersonaChat", "conv_ai_2"),
    "spc": ("Synthetic-Persona-Chat", "google/Synthetic-Persona-Chat"),
    "pal-agreement": ("PESConv personas of PAL's extractor (held-out dialogues)", "pesconv"),
}


def load_metrics(source: MetricsSource) -> dict[str, Any]:
    """A `metrics.json` (path) or its content (mapping), as a dict."""
    return dict(source) if isinstance(source, Mapping) else json.loads(Path(source).read_text())


def evaluate_command(settings: Mapping[str, Any]) -> str:
    """The `pal-evaluate` command line that reproduces a run, from the `settings` its `metrics.json` records."""
    words = ["pal-evaluate"]
    for key, value in settings.items():
        flag = "--" + key.replace("_", "-")
        if key == "meteor":
            words += [] if value else ["--no-meteor"]
        elif isinstance(value, bool):
            words += [flag] if value else []
        elif key == "strategy_alpha" and isinstance(value, list):
            words += [flag, ",".join(str(a) for a in value)]
        elif isinstance(value, list):
            words += [flag, *map(str, value)] if value else []
        elif value is not None:
            words += [flag, str(value)]
    return shlex.join(words)


def format_value(value: float | None) -> str:
    """A table cell as `pal-evaluate`'s `metrics.md` writes it: 3 decimals below 1, else 2; `–` when missing."""
    if value is None:
        return "–"
    return f"{value:.3f}" if abs(value) < 1 else f"{value:.2f}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|---" * len(header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _render(template: str, card_class: type[RepoCard], data: CardData, **fields: str) -> RepoCard:
    text = Template((TEMPLATES_DIR / template).read_text(encoding="utf-8"))
    return card_class(text.substitute(card_data=data.to_yaml(), **fields))


def _base_model_line(base_model: str | None) -> str:
    if base_model is None:
        return ""
    return f"\n- **Base model.** Fine-tuned from [{base_model}](https://huggingface.co/{base_model})."


def _commands(count: int, commands: str | Sequence[str | None] | None) -> list[str | None]:
    if commands is None:
        return [None] * count
    commands = [commands] if isinstance(commands, str) else list(commands)
    if len(commands) != count:
        raise ValueError(f"Got {len(commands)} commands for {count} metrics files: give one per file.")
    return commands


def _pal_row_command(metrics: Mapping[str, Any], command: str | None) -> str:
    command = command or metrics.get("command")
    if command is None and "settings" in metrics:
        command = evaluate_command(metrics["settings"])
    if command is None:
        raise ValueError("The metrics record neither the command nor the settings that produced them: give it.")
    return command


def pal_model_card(
    metrics: MetricsSource | Sequence[MetricsSource],
    model_name: str,
    *,
    repo_id: str | None = None,
    commands: str | Sequence[str | None] | None = None,
    base_model: str | None = None,
    pipeline_task: str | None = None,
    training: str | None = None,
) -> ModelCard:
    """
    The card of a PAL model from one or more `pal-evaluate` `metrics.json` (paths or dicts), one table row each.

    Args:
        model_name: the card's title and `model-index` name.
        repo_id: the Hub id the usage snippets load (default: `model_name`).
        commands: the command that produced each metrics file, where the file does not record it.
        base_model: the Hub id of the checkpoint the model was fine-tuned from, if any.
        pipeline_task: the custom pipeline task the model's folder registers, shown in the usage section.
        training: Markdown for a "Training" section (backbone, data, recipe), if any.
    """
    sources = [metrics] if isinstance(metrics, (str, Path, Mapping)) else list(metrics)
    if not sources:
        raise ValueError("Give at least one metrics.json.")
    rows = [load_metrics(source) for source in sources]
    commands = [_pal_row_command(row, c) for row, c in zip(rows, _commands(len(rows), commands), strict=True)]

    eval_results, table, provenance = [], [], []
    for row, command in zip(rows, commands, strict=True):
        settings = row.get("settings", {})
        name = settings.get("name", "ours")
        split, scheme = settings.get("split", "test"), settings.get("split_scheme", "pal")
        table.append([f"**{name}**", *(format_value(row.get(c.key)) for c in PAL_COLUMNS)])
        size = f"{row['examples']} responses, {row['dialogues']} dialogues, " if "examples" in row else ""
        scheme_name = "PAL's" if scheme == "pal" else "the HF dataset's"
        provenance.append(f"- **{name}** ({size}{split} set of {scheme_name} split): `{command}`")
        for column in PAL_COLUMNS:
            if row.get(column.key) is None:
                continue
            eval_results.append(
                EvalResult(
                    task_type=PIPELINE_TAG,
                    task_name="Emotional support response generation",
                    dataset_type=ESCONV_DATASET,
                    dataset_name="ESConv (PAL's split)" if scheme == "pal" else "ESConv (HF split)",
                    dataset_split=split,
                    metric_type=column.metric_type,
                    metric_name=column.metric_name,
                    metric_value=round(float(row[column.key]), 4),
                    metric_config=name if len(rows) > 1 else None,
                )
            )
    header = ["Model", *(c.header for c in PAL_COLUMNS)]
    paper = [[name, *map(format_value, values)] for name, values in PAPER_TABLE_3.items()]
    results = "\n\n".join(
        [
            "Measured on ESConv with `pal-evaluate` (PAL's decoding; text metrics on lower-cased NLTK word tokens):",
            _table(header, table),
            "Each row comes from this command:\n\n" + "\n".join(provenance),
            "ACC, B-n, D-n, E-n and R-L are percentages. Cos-Sim here embeds persona and response with "
            "all-MiniLM-L6-v2 (the paper used SimCSE), so it compares only between rows of this table.",
            f"For reference, the numbers **reported in the paper** ([{PAPER_SOURCE}]({PAPER_URL})) for the "
            "authors' own models; they were not measured on this checkpoint:",
            _table(header, paper),
        ]
    )
    repo_id = repo_id or model_name
    pipeline_usage = ""
    if pipeline_task:
        pipeline_usage = (
            f"\nThe folder also registers the `{pipeline_task}` pipeline (its code ships with the model; "
            "`help(pipe)` describes its inputs and options):\n\n```python\nfrom transformers import pipeline\n\n"
            f'pipe = pipeline("{pipeline_task}", model="{repo_id}", trust_remote_code=True)\n```\n'
        )
    data = ModelCardData(
        language="en",
        license=ESCONV_LICENSE,
        library_name="transformers",
        pipeline_tag=PIPELINE_TAG,
        tags=PAL_TAGS,
        datasets=[ESCONV_DATASET],
        base_model=base_model,
        metrics=sorted({c.metric_type for c in PAL_COLUMNS} & HUB_METRICS),
        model_name=model_name,
        eval_results=eval_results,
    )
    return _render(
        "pal_model_card.md",
        ModelCard,
        data,
        model_name=model_name,
        repo_id=repo_id,
        base_model_line=_base_model_line(base_model),
        pipeline_usage=pipeline_usage,
        training_section=f"## Training\n\n{training.strip()}\n\n" if training else "",
        results=results,
    )


def extractor_card(
    metrics: MetricsSource,
    model_name: str,
    *,
    repo_id: str | None = None,
    command: str | None = None,
    base_model: str | None = None,
    datasets: Sequence[str] | None = None,
    license: str = ESCONV_LICENSE,
    max_input_length: int = 512,
) -> ModelCard:
    """
    The card of a persona extractor from its `pal-extractor evaluate` `metrics.json` (path or dict).

    Args:
        model_name: the card's title and `model-index` name.
        repo_id: the Hub id the usage snippet loads (default: `model_name`).
        command: the `pal-extractor evaluate` command line, if the metrics do not record it.
        base_model: the Hub id of the checkpoint the extractor was fine-tuned from (PAL: facebook/bart-large-cnn).
        datasets: Hub ids of the training data.
        license: the model's license; CC BY-NC 4.0 by default, as personas for ESConv are derived from it.
        max_input_length: the source tokens the extractor's pipeline reads by default (PAL: 512).
    """
    evaluation = load_metrics(metrics)
    command = command or evaluation.get("command")
    if command is None:
        raise ValueError("The metrics do not record the `pal-extractor evaluate` command that produced them: give it.")
    eval_results, table = [], []
    for set_name, scores in evaluation["results"].items():
        kind, _, file_name = set_name.partition(":")
        dataset_name, dataset_type = EXTRACTOR_SETS.get(kind, (kind, kind))
        table.append(
            [
                set_name,
                str(scores["examples"]),
                *(format_value(scores.get(c.key)) for c in EXTRACTOR_COLUMNS),
                f"{scores['predicted_sentences_per_example']:.2f} / {scores['gold_sentences_per_example']:.2f}",
            ]
        )
        for column in EXTRACTOR_COLUMNS:
            if scores.get(column.key) is None:
                continue
            eval_results.append(
                EvalResult(
                    task_type=PIPELINE_TAG,
                    task_name="Persona extraction",
                    dataset_type=dataset_type,
                    dataset_name=dataset_name,
                    dataset_config=file_name or None,
                    metric_type=column.metric_type,
                    metric_name=column.metric_name,
                    metric_value=round(float(scores[column.key]), 4),
                )
            )
    header = ["Set", "Examples", *(c.header for c in EXTRACTOR_COLUMNS), "Sentences (predicted / gold)"]
    settings = ", ".join(f"{k}={v}" for k, v in evaluation.get("settings", {}).items())
    results = "\n\n".join(
        [
            "Measured with `pal-extractor evaluate`: persona sentences against gold ones, ×100 (BLEU on lower-cased "
            "NLTK word tokens; sentence F1 over one-to-one matches, exact or with ROUGE-L F >= 0.5). A "
            "`pal-agreement` set scores agreement with the personas PAL's own extractor wrote for ESConv (PESConv), "
            "not with gold personas.",
            _table(header, table),
            f"Command: `{command}`" + (f"\n\nSettings: {settings}." if settings else ""),
        ]
    )
    license_text = (
        f"This model is released under `{license}`. Personas it writes for ESConv dialogues derive from ESConv, "
        "licensed CC BY-NC 4.0: they may be used for non-commercial purposes only, with attribution."
    )
    data = ModelCardData(
        language="en",
        license=license,
        library_name="transformers",
        pipeline_tag=PIPELINE_TAG,
        tags=EXTRACTOR_TAGS,
        datasets=list(datasets) if datasets else None,
        base_model=base_model,
        metrics=sorted({c.metric_type for c in EXTRACTOR_COLUMNS} & HUB_METRICS),
        model_name=model_name,
        eval_results=eval_results,
    )
    return _render(
        "extractor_card.md",
        ModelCard,
        data,
        model_name=model_name,
        repo_id=repo_id or model_name,
        base_model_line=_base_model_line(base_model),
        results=results,
        license_text=license_text,
        max_input_length=max_input_length,
    )


def space_card(
    models: Sequence[str],
    *,
    title: str = "PAL emotional support (research demo)",
    license: str = ESCONV_LICENSE,
    sdk_version: str = GRADIO_SDK_VERSION,
    app_file: str = "app.py",
) -> SpaceCard:
    """The card of the Gradio demo Space that runs the given Hub models (a PAL model, optionally an extractor)."""
    data = SpaceCardData(
        title=title,
        emoji="🤝",
        colorFrom="indigo",
        colorTo="pink",
        sdk="gradio",
        sdk_version=sdk_version,
        app_file=app_file,
        pinned=False,
        license=license,
        models=list(models),
        datasets=[ESCONV_DATASET],
        tags=SPACE_TAGS,
        short_description="Research demo of PAL emotional support replies",
        suggested_hardware="cpu-basic",
    )
    return _render(
        "space_card.md",
        SpaceCard,
        data,
        title=title,
        models="\n".join(f"- [{m}](https://huggingface.co/{m})" for m in models),
        crisis_response="\n".join(f"> {line}" if line else ">" for line in CRISIS_RESPONSE.splitlines()),
    )


__all__ = [
    "EXTRACTOR_COLUMNS",
    "PAL_COLUMNS",
    "PAPER_TABLE_3",
    "MetricColumn",
    "evaluate_command",
    "extractor_card",
    "format_value",
    "load_metrics",
    "pal_model_card",
    "space_card",
]
