"""
`pal-run`: one variant end to end (train, then evaluate) from one JSON config file:

  {"train": {...pal-train settings...}, "evaluate": {...pal-evaluate settings...}}

`evaluate.model` defaults to the trained model (`train.output_dir/model`). A config without `train` only evaluates
(e.g. the "PAL alpha = 0" row: the PAL model decoded with `"strategy_alpha": "off"`). See `configs/` for the
paper's variants: Joint, Hard Prompt, PAL alpha = 0 and PAL.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from modeling_pal.evaluation.evaluate import EvalSettings, evaluate
from modeling_pal.training.train import TrainSettings, train


def run(config: dict) -> dict:
    """Trains (if the config has a `train` section) and evaluates; returns the metrics."""
    unknown = set(config) - {"train", "evaluate"}
    if unknown or "evaluate" not in config:
        raise ValueError(f"A run config has an 'evaluate' section and optionally 'train'; got {sorted(config)}.")
    evaluation = dict(config["evaluate"])
    if config.get("train") is not None:
        evaluation.setdefault("model", str(train(TrainSettings(**config["train"]))))
    return evaluate(EvalSettings(**evaluation))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="pal-run", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("config", help="the run's JSON config file")
    args = parser.parse_args(argv)
    result = run(json.loads(Path(args.config).read_text()))
    print(json.dumps({k: v for k, v in result.items() if k != "settings"}, indent=2))


if __name__ == "__main__":
    main()
