"""
`pal-export`: a trained PAL model or persona extractor -> a folder that `huggingface_hub.upload_folder` pushes as is.

  pal-export --model runs/pal/model --metrics runs/pal/eval/metrics.json --output hub/pal-blenderbot-small \\
             --repo-id me/pal-blenderbot-small
  pal-export --model models/persona-extractor --metrics runs/extractor-eval/metrics.json \\
             --output hub/pal-persona-extractor --base-model facebook/bart-large-cnn \\
             --command "pal-extractor evaluate --model models/persona-extractor --gold pal-csv:test.csv ..."

The folder holds the weights (safetensors), the code files, the tokenizer, the generation config, the custom
pipeline registration and a README.md card with the evaluation results, each with the command that produced it.
Whether the model is PAL or an extractor is read from its `config.json`. Push the folder with
`huggingface_hub.upload_folder(repo_id=..., folder_path=OUTPUT)`. After a code change, `pal-export --refresh-code
models/pal-esconv` rewrites a shipped folder's code files only.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
from collections.abc import Mapping, Sequence
from functools import partial
from pathlib import Path

from transformers import AutoModelForSeq2SeqLM, AutoTokenizer, GenerationConfig

from hub_cards import ESCONV_LICENSE, MetricsSource, extractor_card, pal_model_card
from modeling_pal.bundled import load_pal_tokenizer
from modeling_pal.configuration_pal import PalConfig
from modeling_pal.export.folders import save_pal, store_weights_in_float16
from modeling_pal.hub_code import flat_code
from modeling_pal.modeling_pal import PalForConditionalGeneration
from modeling_pal.persona_extraction import PersonaExtractionPipeline, save_extractor

PAL = "pal"
EXTRACTOR = "persona-extractor"


def model_kind(folder: str | Path) -> str:
    """`"pal"` or `"persona-extractor"`, from the folder's `config.json`."""
    path = Path(folder) / "config.json"
    if not path.is_file():
        raise FileNotFoundError(f"No config.json in {folder}: give a saved model folder.")
    config = json.loads(path.read_text())
    if config.get("model_type") == PalConfig.model_type:
        return PAL
    if "persona-extraction" in config.get("custom_pipelines", {}):
        return EXTRACTOR
    raise ValueError(
        f"{folder} holds neither a PAL model (model_type {PalConfig.model_type!r}) nor a persona extractor "
        "(a 'persona-extraction' custom pipeline)."
    )


def export_for_hub(
    model_dir: str | Path,
    metrics: MetricsSource | Sequence[MetricsSource],
    output_dir: str | Path,
    *,
    model_name: str | None = None,
    repo_id: str | None = None,
    commands: Sequence[str | None] | None = None,
    base_model: str | None = None,
    datasets: Sequence[str] | None = None,
    license: str = ESCONV_LICENSE,
    float16: bool = False,
    training: str | None = None,
    persona_extractor: str | None = None,
    persona_extractor_kwargs: Mapping | None = None,
) -> Path:
    """
    Writes the hub-ready folder of the PAL model or persona extractor in `model_dir`, with its README.md card built
    from `metrics` (`pal-evaluate` metrics for PAL, one `pal-extractor evaluate` metrics file for an extractor).
    `datasets` and `license` apply to an extractor; a PAL model is CC BY-NC 4.0 and trained on ESConv. `float16`
    stores the weights in float16 (they still load as float32). For a PAL model, `training` is the Markdown of its
    card's "Training" section, `persona_extractor` sets `config.persona_extractor` (the companion extractor's
    folder, relative to this one, or a Hub id) and `persona_extractor_kwargs` the options the pipeline runs it with
    (those PESConv was built with, e.g. `{"num_beams": 1}`).
    """
    model_dir, output_dir = Path(model_dir), Path(output_dir)
    metrics = [metrics] if isinstance(metrics, (str, Path, Mapping)) else list(metrics)
    kind = model_kind(model_dir)
    if output_dir.exists() and any(output_dir.iterdir()):
        raise ValueError(f"{output_dir} is not empty: give a new folder.")
    model_name = model_name or output_dir.name
    if kind != PAL and (training or persona_extractor or persona_extractor_kwargs):
        raise ValueError(
            "`training` and `persona_extractor(_kwargs)` apply to a PAL model, not to a persona extractor."
        )
    if kind == PAL:
        make_card = partial(
            pal_model_card,
            metrics,
            model_name,
            repo_id=repo_id,
            commands=commands,
            base_model=base_model,
            training=training,
        )
        card = make_card()  # checks the metrics and commands before anything is written
        model = PalForConditionalGeneration.from_pretrained(model_dir).eval()
        if persona_extractor:
            model.config.persona_extractor = persona_extractor
        if persona_extractor_kwargs:
            model.config.persona_extractor_kwargs = dict(persona_extractor_kwargs)
        generation_config = None
        if (model_dir / "generation_config.json").is_file():
            generation_config = GenerationConfig.from_pretrained(model_dir)
        save_pal(model, load_pal_tokenizer(model_dir), output_dir, generation_config)
        tasks = list(json.loads((output_dir / "config.json").read_text()).get("custom_pipelines", {}))
        if tasks:
            card = make_card(pipeline_task=tasks[0])
    else:
        if len(metrics) != 1 or (commands is not None and len(commands) > 1):
            raise ValueError("A persona extractor's card reads one metrics.json (and at most one command).")
        model = AutoModelForSeq2SeqLM.from_pretrained(model_dir).eval()
        tokenizer = AutoTokenizer.from_pretrained(model_dir)
        card = extractor_card(
            metrics[0],
            model_name,
            repo_id=repo_id,
            command=commands[0] if commands else None,
            base_model=base_model,
            datasets=datasets,
            license=license,
            max_input_length=PersonaExtractionPipeline(model=model, tokenizer=tokenizer).default_max_input_length(),
        )
        save_extractor(model, tokenizer, output_dir)
    if float16:
        store_weights_in_float16(output_dir)
    card.save(output_dir / "README.md")
    return output_dir


def expected_code(folder: str | Path) -> dict[str, str]:
    """
    `{file name: source}` of the code a saved model folder should carry from this package: the modules its `auto_map`
    and `custom_pipelines` name and every hub file they import, flat (`modeling_pal.hub_code`).
    """
    folder = Path(folder)
    config = json.loads((folder / "config.json").read_text())
    modules = {ref.split(".")[0] for ref in config.get("auto_map", {}).values()}
    modules |= {task["impl"].split(".")[0] for task in config.get("custom_pipelines", {}).values()}
    return flat_code(Path(importlib.util.find_spec(f"modeling_pal.{name}").origin) for name in sorted(modules))


def refresh_code(folder: str | Path) -> list[str]:
    """
    Rewrites the code files of a saved model folder from this package's source (`expected_code`), leaving weights
    and tokenizer untouched; code files no longer imported are removed. Returns the file names written.
    """
    folder = Path(folder)
    code = expected_code(folder)
    for stale in folder.glob("*.py"):
        if stale.name not in code:
            stale.unlink()
    for name, text in code.items():
        (folder / name).write_text(text, encoding="utf-8")
    return sorted(code)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="pal-export", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", help="a saved PAL model or persona extractor folder")
    parser.add_argument("--metrics", nargs="+", help="metrics.json of pal-evaluate (one or more) or pal-extractor")
    parser.add_argument("--output", help="the new hub-ready folder")
    parser.add_argument(
        "--refresh-code",
        metavar="FOLDER",
        help="only rewrite FOLDER's code files from this package's source (weights and tokenizer untouched)",
    )
    parser.add_argument(
        "--command",
        action="append",
        help="the command that produced a metrics file, one per file in order, where the file does not record it "
        "(pal-evaluate's settings rebuild theirs)",
    )
    parser.add_argument("--model-name", help="the card's title and model-index name (default: the output's name)")
    parser.add_argument("--repo-id", help="the Hub id the card's usage snippets load (default: the model name)")
    parser.add_argument("--base-model", help="the Hub id of the checkpoint the model was fine-tuned from, if any")
    parser.add_argument("--dataset", action="append", help="extractor: Hub id of its training data, repeatable")
    parser.add_argument("--license", default=ESCONV_LICENSE, help="extractor: its license (default cc-by-nc-4.0)")
    parser.add_argument("--float16", action="store_true", help="store the weights in float16 (loaded as float32)")
    parser.add_argument("--training", help="PAL: a Markdown file for the card's Training section (recipe, data)")
    parser.add_argument(
        "--persona-extractor",
        help="PAL: the companion extractor, a folder relative to the output (e.g. ../persona-extractor) or a Hub id",
    )
    parser.add_argument(
        "--persona-extractor-kwargs",
        type=json.loads,
        help="PAL: JSON options the pipeline runs the extractor with, as PESConv was built, e.g. '{\"num_beams\": 1}'",
    )
    args = parser.parse_args(argv)
    if args.refresh_code:
        print(f"Wrote {', '.join(refresh_code(args.refresh_code))} in {args.refresh_code}")
        return
    if not (args.model and args.metrics and args.output):
        parser.error("give --model, --metrics and --output (or --refresh-code FOLDER)")
    output = export_for_hub(
        args.model,
        args.metrics,
        args.output,
        model_name=args.model_name,
        repo_id=args.repo_id,
        commands=args.command,
        base_model=args.base_model,
        datasets=args.dataset,
        license=args.license,
        float16=args.float16,
        training=Path(args.training).read_text(encoding="utf-8") if args.training else None,
        persona_extractor=args.persona_extractor,
        persona_extractor_kwargs=args.persona_extractor_kwargs,
    )
    print(f"Wrote {output}: {', '.join(sorted(p.name for p in output.iterdir()))}")
    print(f"Push it with huggingface_hub.upload_folder(repo_id=..., folder_path={str(output)!r}).")


if __name__ == "__main__":
    main()
