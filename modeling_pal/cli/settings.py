"""Command-line settings of `pal-train` and `pal-evaluate`: a settings dataclass, from flags and a JSON file."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

from transformers import HfArgumentParser

Settings = TypeVar("Settings")


class _HelpFormatter(argparse.RawDescriptionHelpFormatter, argparse.ArgumentDefaultsHelpFormatter):
    """The description as written, and every option's default."""


def parse_settings_command_line(
    settings_class: type[Settings],
    argv: Sequence[str] | None,
    prog: str,
    description: str,
    section: str,
    required: Sequence[str] = (),
) -> Settings:
    """
    `settings_class` from `--config FILE` (a JSON object of settings, or a `pal-run` config, whose `section` is read)
    and the command-line flags, one per field (`--batch-size 8`; booleans take `--flag`, `--flag false`, and
    `--no-flag` for those on by default). Flags win over the file; unknown keys in the file are an error, and so is a
    `required` setting given neither way.
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = HfArgumentParser(settings_class, prog=prog, description=description, formatter_class=_HelpFormatter)
    parser.add_argument(
        "--config",
        help=f"a JSON file of settings (the keys are the options, with underscores), or a `pal-run` config, whose "
        f"`{section}` section is read",
    )
    config_parser = argparse.ArgumentParser(add_help=False)
    config_parser.add_argument("--config")
    config_file = config_parser.parse_known_args(argv)[0].config
    values = {}
    if config_file:
        values = json.loads(Path(config_file).read_text())
        if isinstance(values.get(section), dict) or {"train", "evaluate"} & set(values):  # a `pal-run` config
            values = values.get(section) or {}
        unknown = set(values) - {f.name for f in dataclasses.fields(settings_class)}
        if unknown:
            raise ValueError(f"Unknown settings in the config file: {sorted(unknown)}")
        parser.set_defaults(**values)
    settings, _ = parser.parse_args_into_dataclasses(argv, look_for_args_file=False)
    given = {arg.split("=")[0].lstrip("-").replace("-", "_") for arg in argv if arg.startswith("--")}
    missing = [name for name in required if name not in given and name not in values]
    if missing:
        parser.error("the following arguments are required: " + ", ".join("--" + n.replace("_", "-") for n in missing))
    return settings
