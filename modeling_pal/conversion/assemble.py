"""
`pal-assemble`: a shipped adapter folder (LoRA + PAL's token rows over the offline SmolLM2 base) -> a complete,
runnable model folder (weights, code, tokenizer, generation config, pipeline registration), built once and cached.

  pal-assemble models/pal-smollm2                  # -> ~/.cache/pal-hub/pal-smollm2 (and its persona extractor)
  pal-assemble models/persona-extractor-smollm2 --output hub/persona-extractor-smollm2

A PAL adapter (`pal_config.json` beside it) becomes a `PalLlamaForCausalLM` folder; its `persona_extractor`, a
sibling adapter folder, is assembled next to it and referenced relatively. An extractor adapter (`pal_extractor.json`)
becomes a `LlamaForCausalLM` folder serving `pipeline("persona-extraction")`. A folder already assembled from the same
adapter files is reused.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
from pathlib import Path

from peft import PeftModel
from transformers import AutoConfig, AutoModelForCausalLM, AutoModelForSeq2SeqLM, AutoTokenizer

from modeling_pal.configuration_pal_llama import PalLlamaConfig
from modeling_pal.conversion.smollm2 import pal_home
from modeling_pal.export.folders import save_pal_chat
from modeling_pal.modeling_pal import PalForConditionalGeneration
from modeling_pal.modeling_pal_llama import PalLlamaForCausalLM
from modeling_pal.persona_extraction import save_extractor
from modeling_pal.training.causal_lm import ADAPTER_SETTINGS, adapter_base, load_extractor_adapter
from modeling_pal.training.train_llama import PAL_FIELDS_FILE, build_pal_llama

STAMP = "assembled_from.json"


def adapter_fingerprint(adapter_dir: Path) -> str:
    """A hash of the adapter folder's files: an assembled folder is rebuilt when they change."""
    digest = hashlib.sha256()
    for path in sorted(p for p in adapter_dir.iterdir() if p.is_file() and p.name != "README.md"):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def is_assembled(output: Path, fingerprint: str) -> bool:
    stamp = output / STAMP
    return stamp.is_file() and json.loads(stamp.read_text()).get("fingerprint") == fingerprint


def assemble(adapter_dir: str | Path, output: str | Path | None = None, force: bool = False) -> Path:
    """Builds (or reuses) the runnable folder of a PAL or persona-extractor adapter and returns its path."""
    adapter_dir = Path(adapter_dir).resolve()
    if not (adapter_dir / "adapter_config.json").is_file():
        raise FileNotFoundError(f"No adapter_config.json in {adapter_dir}: not a shipped adapter folder.")
    output = Path(output) if output else pal_home() / adapter_dir.name
    fingerprint = adapter_fingerprint(adapter_dir)
    if (adapter_dir / PAL_FIELDS_FILE).is_file():
        fields = json.loads((adapter_dir / PAL_FIELDS_FILE).read_text())
        extractor = fields.get("persona_extractor")
        if extractor and (adapter_dir / extractor).is_dir():  # a sibling adapter: assemble it beside this model
            extractor_output = assemble(adapter_dir / extractor, output.parent / Path(extractor).name, force)
            fields["persona_extractor"] = os.path.relpath(extractor_output, output)
        if not force and is_assembled(output, fingerprint):
            return output
        print(f"Assembling {adapter_dir.name} into {output} (once)...")
        use_persona = fields.pop("use_persona")
        model, _ = build_pal_llama(adapter_base(adapter_dir), use_persona, **fields)
        model = PeftModel.from_pretrained(model, adapter_dir).merge_and_unload().eval()
        save_pal_chat(model, AutoTokenizer.from_pretrained(adapter_dir), output)
    elif (adapter_dir / ADAPTER_SETTINGS).is_file():
        if not force and is_assembled(output, fingerprint):
            return output
        print(f"Assembling {adapter_dir.name} into {output} (once)...")
        model, tokenizer = load_extractor_adapter(adapter_dir)
        save_extractor(model, tokenizer, output)
    else:
        raise ValueError(f"{adapter_dir} is neither a PAL adapter ({PAL_FIELDS_FILE}) nor an extractor adapter.")
    readme = adapter_dir / "README.md"
    if readme.is_file():
        (output / "README.md").write_text(readme.read_text())
    (output / STAMP).write_text(json.dumps({"adapter": str(adapter_dir), "fingerprint": fingerprint}) + "\n")
    return output


def load_pal(location: str | Path):
    """
    A PAL model and its tokenizer from a model folder of either family, a shipped PAL adapter folder (assembled
    first, once), or a Hub id. A local folder loads with this package's classes, so no remote code runs; a Hub id
    loads with the code its folder carries (`trust_remote_code`).
    """
    folder = Path(location)
    if not folder.is_dir():
        if folder.is_absolute() or str(location).startswith((".", "~")) or str(location).count("/") != 1:
            raise FileNotFoundError(f"No PAL model at {location}: give a model folder, an adapter folder or a Hub id.")
        try:
            config = AutoConfig.from_pretrained(str(location), trust_remote_code=True)
        except OSError as error:
            raise FileNotFoundError(
                f"No PAL model at {location}: there is no such folder, and as a Hub id it could not be loaded "
                f"({error})."
            ) from None
        auto = AutoModelForCausalLM if config.model_type == PalLlamaConfig.model_type else AutoModelForSeq2SeqLM
        model = auto.from_pretrained(str(location), trust_remote_code=True)
        return model.eval(), AutoTokenizer.from_pretrained(str(location))
    if (folder / PAL_FIELDS_FILE).is_file() and (folder / "adapter_config.json").is_file():
        folder = assemble(folder)
    config_file = folder / "config.json"
    if not config_file.is_file():
        raise FileNotFoundError(f"No PAL model at {location}: give a model folder or a shipped adapter folder.")
    if json.loads(config_file.read_text()).get("model_type") == PalLlamaConfig.model_type:
        model = PalLlamaForCausalLM.from_pretrained(folder)
    else:
        model = PalForConditionalGeneration.from_pretrained(folder)
    return model.eval(), AutoTokenizer.from_pretrained(folder)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="pal-assemble", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("adapter", help="a shipped adapter folder (e.g. models/pal-smollm2)")
    parser.add_argument("--output", help="where to write the model (default: ~/.cache/pal-hub/<adapter name>)")
    parser.add_argument("--force", action="store_true", help="rebuild even if an assembled folder is up to date")
    args = parser.parse_args(argv)
    print(assemble(args.adapter, args.output, args.force))


if __name__ == "__main__":
    main()
