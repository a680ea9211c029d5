"""The hub-ready folders shipped in `models/` carry the package's current code: re-export them after a code change."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from modeling_pal.export.publish import expected_code

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted(p for p in (ROOT / "models").glob("*") if (p / "config.json").is_file())


@pytest.mark.skipif(not SHIPPED, reason="no model folder is shipped in models/")
@pytest.mark.parametrize("folder", SHIPPED, ids=[p.name for p in SHIPPED])
def test_shipped_code_files_equal_the_package_source(folder):
    code_files = sorted(folder.glob("*.py"))
    assert code_files, f"{folder} carries no code files"
    expected = expected_code(folder)
    stale = [p.name for p in code_files if p.read_text() != expected.get(p.name)]
    assert not stale, f"{folder.name}: {stale} differ from the package source; re-export the folder (see README)"


@pytest.mark.skipif(not SHIPPED, reason="no model folder is shipped in models/")
@pytest.mark.parametrize("folder", SHIPPED, ids=[p.name for p in SHIPPED])
def test_shipped_weights_fit_the_size_limit(folder):
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    assert size <= 60 * 1024 * 1024, f"{folder.name} is {size / 2**20:.1f} MiB"


PAL_FOLDER = ROOT / "models" / "pal-esconv"
FRESH_PROCESS_CHAT = """
import json, sys
from transformers import pipeline

pipe = pipeline("persona-support", model=sys.argv[1], trust_remote_code=True)
conversation = [
    {"role": "user", "content": "I lost my job last month."},
    {"role": "assistant", "content": "I am sorry to hear that. How are you coping?"},
    {"role": "user", "content": "Not well. I am a nurse and I have two kids."},
    {"role": "assistant", "content": "That must be a lot to carry."},
    {"role": "user", "content": "I worry about paying the rent."},
]
reply = pipe(conversation, do_sample=False, max_new_tokens=30)
print(json.dumps({**reply, "extractor": pipe.persona_extractor.model.name_or_path}))
"""


@pytest.mark.skipif(not PAL_FOLDER.is_dir(), reason="models/pal-esconv is not shipped")
def test_shipped_pal_model_chats_with_its_extractor_in_a_fresh_process():
    """The pipeline finds the shipped extractor from the model's config alone (no package import, no argument)."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": ""}
    result = subprocess.run(
        [sys.executable, "-c", FRESH_PROCESS_CHAT, str(PAL_FOLDER)],
        capture_output=True,
        text=True,
        env=env,
        cwd=PAL_FOLDER.parent,
        check=True,
    )
    reply = json.loads(result.stdout.strip().splitlines()[-1])
    assert Path(reply["extractor"]).resolve() == ROOT / "models" / "persona-extractor"
    assert reply["persona"] and all(isinstance(s, str) and s for s in reply["persona"])
    assert reply["strategy"] in reply["strategy_scores"] and len(reply["strategy_scores"]) == 8
    assert abs(sum(reply["strategy_scores"].values()) - 1) < 1e-4
    assert len(reply["response"].split()) >= 3


ADAPTER_FOLDER = ROOT / "models" / "pal-esconv-lora-job-crisis"


@pytest.mark.skipif(not ADAPTER_FOLDER.is_dir(), reason="the example adapter is not shipped")
def test_shipped_adapter_is_small_and_changes_the_shipped_model():
    from transformers import pipeline

    import modeling_pal  # noqa: F401  (registers the pipeline in-process)

    size = sum(p.stat().st_size for p in ADAPTER_FOLDER.iterdir())
    assert size < 5 * 1024 * 1024
    conversation = [{"role": "user", "content": "I was laid off and my manager did not even say why."}]
    base = pipeline("persona-support", model=str(PAL_FOLDER), trust_remote_code=True)
    adapted = pipeline("persona-support", model=str(PAL_FOLDER), trust_remote_code=True, adapter=str(ADAPTER_FOLDER))
    before, after = base(conversation, do_sample=False), adapted(conversation, do_sample=False)
    assert before["strategy_scores"] != after["strategy_scores"]
    assert after["strategy"] in after["strategy_scores"] and after["response"]
