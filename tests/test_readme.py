"""The README's Python examples run, in order, as one script: on tiny random models standing in for its paths."""

import re
from pathlib import Path

import pytest

from modeling_pal import save_pal, tiny_random_pal
from modeling_pal.training.lora import add_pal_lora

README = Path(__file__).parents[1] / "README.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


def test_the_readme_examples_run_in_order(tokenizer, tmp_path, monkeypatch, caplog):
    model, _ = tiny_random_pal(tokenizer)
    pal = save_pal(model, tokenizer, tmp_path / "pal")
    add_pal_lora(model).save_pretrained(tmp_path / "adapter")
    placeholders = {
        '"path/to/pal"': repr(str(pal)),
        '"pal-trained"': repr(str(pal)),
        '"runs/lora/adapter"': repr(str(tmp_path / "adapter")),
    }
    script = "\n".join(python_blocks())
    for placeholder, value in placeholders.items():
        script = script.replace(placeholder, value)
    monkeypatch.chdir(tmp_path)  # what the examples save goes there
    with caplog.at_level("WARNING"):
        exec(compile(script, str(README), "exec"), {"__name__": "readme"})
    assert (tmp_path / "my-pal" / "config.json").is_file()
    noisy = [r.getMessage() for r in caplog.records if r.name.startswith("transformers")]
    assert not [m for m in noisy if "seem to have been set" in m or "may be ignored" in m or "already registered" in m]


@pytest.mark.parametrize("block", range(len(python_blocks())))
def test_every_example_is_complete_code(block):
    compile(python_blocks()[block], f"README block {block}", "exec")
