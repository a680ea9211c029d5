import json
import os
import subprocess
import sys
import textwrap

import pytest
import torch

from modeling_pal import save_pal, tiny_random_pal
from modeling_pal.export.folders import PAL_DECODING

from conftest import randomize_fusion


def test_export_folder_is_hub_ready(tiny, batch, tmp_path):
    model, tokenizer = tiny
    randomize_fusion(model)
    folder = save_pal(model, tokenizer, tmp_path / "pal")
    files = {p.name for p in folder.iterdir()}
    assert {
        "config.json",
        "model.safetensors",
        "configuration_pal.py",
        "modeling_pal.py",
        "strategy_control.py",
    } <= files
    assert not (folder / "strategy_control.py").is_symlink()
    assert "generation_config.json" in files and "tokenizer_config.json" in files
    assert not any(name.endswith((".bin", ".pt", ".pth")) for name in files)
    config = json.loads((folder / "config.json").read_text())
    assert config["auto_map"] == {
        "AutoConfig": "configuration_pal.PalConfig",
        "AutoModelForSeq2SeqLM": "modeling_pal.PalForConditionalGeneration",
    }
    generation = json.loads((folder / "generation_config.json").read_text())
    assert {k: generation[k] for k in PAL_DECODING} == PAL_DECODING
    # Code files only import installed packages or files of the same folder.
    for code in folder.glob("*.py"):
        for line in code.read_text().splitlines():
            if line.startswith("from .") or line.startswith("import ."):
                assert (folder / (line.split()[1][1:] + ".py")).is_file(), line

    # A fresh interpreter that never imports this package loads it offline and computes the same logits.
    decoder_ids = torch.tensor([[1, 54948, 15], [1, 54955, 7]])
    torch.save(dict(batch), tmp_path / "inputs.pt")
    with torch.no_grad():
        logits = model(**batch, decoder_input_ids=decoder_ids).logits
    generated = model.generate(**batch, do_sample=False, num_beams=2, max_new_tokens=5)
    torch.save({"decoder_input_ids": decoder_ids, "logits": logits, "generated": generated}, tmp_path / "expected.pt")
    script = textwrap.dedent(
        f"""
        import sys, torch
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer
        model = AutoModelForSeq2SeqLM.from_pretrained({str(folder)!r}, trust_remote_code=True).eval()
        tokenizer = AutoTokenizer.from_pretrained({str(folder)!r}, trust_remote_code=True)
        assert "modeling_pal" not in sys.modules, "the package was imported"
        assert type(model).__module__.startswith("transformers_modules."), type(model).__module__
        assert len(tokenizer) == 54956
        inputs = torch.load({str(tmp_path / "inputs.pt")!r}, weights_only=True)
        expected = torch.load({str(tmp_path / "expected.pt")!r}, weights_only=True)
        with torch.no_grad():
            logits = model(**inputs, decoder_input_ids=expected["decoder_input_ids"]).logits
        # Equal up to float rounding: BLAS summation order follows the weights' memory alignment.
        torch.testing.assert_close(logits, expected["logits"], rtol=0, atol=1e-6)
        generated = model.generate(**inputs, do_sample=False, num_beams=2, max_new_tokens=5)
        assert torch.equal(generated, expected["generated"]), (generated, expected["generated"])
        from transformers import pipeline
        pipeline("persona-support", model={str(folder)!r}, trust_remote_code=True)
        import modeling_pal  # registers the package's own pipelines beside the folder's, silently
        print("OK")
        """
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_MODULES_CACHE": str(tmp_path / "modules")}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0 and result.stdout.strip().endswith("OK"), result.stderr[-3000:]
    assert "already registered" not in result.stderr


def test_export_refuses_a_mismatched_tokenizer(tokenizer, tmp_path):
    model, _ = tiny_random_pal(tokenizer, strategy_token_ids=list(range(54947, 54955)))
    with pytest.raises(ValueError, match="strategy_token_ids"):
        save_pal(model, tokenizer, tmp_path)
