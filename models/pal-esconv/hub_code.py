"""
The code files a model folder carries: the hub files its model, config and pipeline modules import, flat in one
folder. In this package the logits processor lives in `logits_processors/` and is imported by package name (and
imports `modeling_pal.strategies` the same way); in a model folder every such import is relative, as
`trust_remote_code` requires. `save_pretrained` of PAL's models writes their folders that way.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterable
from pathlib import Path

_PACKAGE_IMPORT = re.compile(r"^(\s*)from (modeling_pal|logits_processors)\.(\w+) import ", re.MULTILINE)
_RELATIVE_IMPORT = re.compile(r"^\s*from \.(\w+) import ", re.MULTILINE)


def flat_source(path: str | Path) -> str:
    """A hub file's source as a model folder carries it: its imports of the hub packages made relative."""
    return _PACKAGE_IMPORT.sub(r"\1from .\3 import ", Path(path).read_text(encoding="utf-8"))


def hub_code_files(sources: Iterable[str | Path]) -> dict[str, Path]:
    """`{file name: path}` of the `sources` and of every hub file they import, relatively or by package name."""
    found: dict[str, Path] = {}
    todo = [Path(p) for p in sources]
    while todo:
        path = todo.pop()
        if path.name in found:
            continue
        found[path.name] = path
        text = path.read_text(encoding="utf-8")
        todo += [path.parent / f"{name}.py" for name in _RELATIVE_IMPORT.findall(text)]
        todo += [
            Path(importlib.util.find_spec(f"{package}.{name}").origin)
            for _, package, name in _PACKAGE_IMPORT.findall(text)
        ]
    return found


def flat_code(sources: Iterable[str | Path]) -> dict[str, str]:
    """`{file name: flat source}` of the `sources` and of every hub file they import (what a model folder carries)."""
    return {name: flat_source(path) for name, path in hub_code_files(sources).items()}


def write_hub_code(folder: str | Path) -> list[str]:
    """Rewrites the `.py` files of `folder` flat and adds every hub file they import. Returns the file names written."""
    folder = Path(folder)
    texts = flat_code(sorted(folder.glob("*.py")))  # read all before writing any
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return sorted(texts)


class HubCodeMixin:
    """`save_pretrained` that leaves a folder `trust_remote_code` loads anywhere: its code files flat and relative."""

    def save_pretrained(self, save_directory, *args, is_main_process: bool = True, **kwargs):
        super().save_pretrained(save_directory, *args, is_main_process=is_main_process, **kwargs)
        if is_main_process:
            write_hub_code(save_directory)


__all__ = ["HubCodeMixin", "flat_code", "flat_source", "hub_code_files", "write_hub_code"]
