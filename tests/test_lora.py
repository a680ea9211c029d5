"""LoRA adapters for PAL: what trains, what is saved, reloading, merging, and `pal-train --lora`."""

import json

import pytest
import torch
from safetensors import safe_open
from transformers import AutoModelForSeq2SeqLM

from modeling_pal import PalForConditionalGeneration, save_pal, tiny_random_pal
from modeling_pal.training.lora import (
    LORA_DEFAULTS,
    add_pal_lora,
    load_pal_adapter,
    main,
    pal_lora_config,
    parse_lora_spec,
)
from modeling_pal.training.train import TrainSettings, parse_settings, train

from conftest import randomize_fusion

DECODER_INPUT_IDS = torch.tensor([[1, 54950, 5, 6]] * 2)


@pytest.fixture
def pal_dir(tiny, tmp_path):
    """A saved tiny PAL model with a non-trivial fusion."""
    model, tokenizer = tiny
    randomize_fusion(model)
    return save_pal(model, tokenizer, tmp_path / "pal")


def perturb(peft_model, seed: int = 0) -> None:
    """Moves every trainable parameter (LoRA matrices, fusion copy, strategy rows) away from its initial value."""
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in peft_model.parameters():
            if p.requires_grad:
                p.add_(0.1 * torch.randn(p.shape, generator=generator))


def logits(model, batch) -> torch.Tensor:
    with torch.no_grad():
        return model(**batch, decoder_input_ids=DECODER_INPUT_IDS).logits


def test_parse_lora_spec():
    assert parse_lora_spec("") == LORA_DEFAULTS == {"r": 8, "alpha": 16.0, "dropout": 0.05}
    assert parse_lora_spec("r=4, dropout=0") == {"r": 4, "alpha": 16.0, "dropout": 0.0}
    assert parse_lora_spec("r=16,alpha=32,dropout=0.1") == {"r": 16, "alpha": 32.0, "dropout": 0.1}


@pytest.mark.parametrize(
    "spec, message",
    [
        ("rank=8", "Unknown LoRA setting 'rank'"),
        ("r8", "'r8' is not key=value"),
        ("r=", "'r=' is not key=value"),
        ("r=4,r=8", "'r' is given twice"),
        ("r=0", "r must be a positive integer, got '0'"),
        ("r=2.5", "r must be a positive integer"),
        ("alpha=-1", "alpha must be a positive number"),
        ("alpha=inf", "alpha must be a positive number"),
        ("dropout=1", "dropout must be in \\[0, 1\\)"),
        ("dropout=high", "dropout must be in"),
    ],
)
def test_bad_lora_specs(spec, message):
    with pytest.raises(ValueError, match=message):
        parse_lora_spec(spec)


def test_adapter_trains_attention_fusion_and_strategy_rows(tiny, tokenizer):
    model, _ = tiny
    config = pal_lora_config(model.config, r=4)
    assert set(config.target_modules) == {"q_proj", "k_proj", "v_proj", "out_proj"}
    assert config.modules_to_save == ["fusion"] and config.trainable_token_indices == model.config.strategy_token_ids
    joint, _ = tiny_random_pal(tokenizer, fuse_persona=False)
    assert pal_lora_config(joint.config).modules_to_save is None

    trainable = {n for n, p in add_pal_lora(model, "r=4").named_parameters() if p.requires_grad}
    lora_layers = {n.split(".lora_")[0] for n in trainable if ".lora_" in n}
    assert len(lora_layers) == 4 * (2 + 2 * 2)  # 2 encoder layers (self), 2 decoder layers (self + cross)
    fusion = "base_model.model.model.encoder.fusion.modules_to_save.default."
    assert {n for n in trainable if ".lora_" not in n} == {
        "base_model.model.model.shared.token_adapter.trainable_tokens_delta.default",
        fusion + "persona_context_w",
        fusion + "persona_norm.weight",
        fusion + "persona_norm.bias",
        fusion + "context_norm.weight",
        fusion + "context_norm.bias",
    }


def test_training_changes_only_the_adapter(tiny, batch):
    model, _ = tiny
    randomize_fusion(model)
    base_params = {name: (p, p.detach().clone()) for name, p in model.named_parameters()}
    embeddings = model.model.shared.weight.detach().clone()
    peft_model = add_pal_lora(model, "r=4,dropout=0").train()
    optimizer = torch.optim.AdamW([p for p in peft_model.parameters() if p.requires_grad], lr=1e-2)
    labels = torch.tensor([[model.config.strategy_token_ids[2], 5, 6, 2]] * 2)
    for _ in range(3):
        peft_model(**batch, labels=labels).loss.backward()
        optimizer.step()
        optimizer.zero_grad()

    assert all(torch.equal(p, before) for p, before in base_params.values())
    changed_rows = (model.model.shared.weight != embeddings).any(dim=1).nonzero().flatten().tolist()
    assert changed_rows == model.config.strategy_token_ids  # the merged view: base rows plus trainable tokens
    trained_fusion = model.model.encoder.fusion.modules_to_save["default"]
    assert not torch.equal(trained_fusion.persona_context_w, base_params["model.encoder.fusion.persona_context_w"][1])
    assert all(p.abs().sum() > 0 for n, p in peft_model.named_parameters() if "lora_B" in n)


def test_adapter_saves_only_its_weights_and_reloads_exactly(tiny, tokenizer, batch, tmp_path):
    model, _ = tiny
    peft_model = add_pal_lora(model, "r=4").eval()
    perturb(peft_model)
    expected = logits(peft_model, batch)
    peft_model.save_pretrained(tmp_path / "adapter")
    with safe_open(tmp_path / "adapter" / "adapter_model.safetensors", "pt") as f:
        shapes = {key: f.get_slice(key).get_shape() for key in f.keys()}
    assert shapes["base_model.model.model.shared.token_adapter.trainable_tokens_delta"] == [8, model.config.d_model]
    assert not any(model.config.vocab_size in shape for shape in shapes.values())  # no whole embedding matrix
    assert any(".fusion.persona_context_w" in key for key in shapes)

    fresh, _ = tiny_random_pal(tokenizer, seed=0)
    reloaded = load_pal_adapter(fresh, tmp_path / "adapter")
    assert torch.equal(logits(reloaded, batch), expected)
    assert torch.equal(reloaded.strategy_distribution(**batch), peft_model.strategy_distribution(**batch))
    with pytest.raises(FileNotFoundError, match="not a saved adapter"):
        load_pal_adapter(fresh, tmp_path)


def test_merged_folder_equals_the_adapter(pal_dir, batch, tmp_path, capsys):
    peft_model = add_pal_lora(PalForConditionalGeneration.from_pretrained(pal_dir), "r=4").eval()
    perturb(peft_model)
    peft_model.save_pretrained(tmp_path / "adapter")
    expected = logits(peft_model, batch)
    expected_ids = peft_model.generate(**batch, do_sample=False, max_new_tokens=6)

    main(["merge", "--model", str(pal_dir), "--adapter", str(tmp_path / "adapter"), "--output", str(tmp_path / "out")])
    assert "Wrote" in capsys.readouterr().out
    assert (tmp_path / "out" / "modeling_pal.py").is_file() and (tmp_path / "out" / "tokenizer_config.json").is_file()
    merged = AutoModelForSeq2SeqLM.from_pretrained(tmp_path / "out", trust_remote_code=True)
    assert not any("lora" in key or "base_layer" in key for key in merged.state_dict())
    torch.testing.assert_close(logits(merged, batch), expected, atol=1e-5, rtol=0)
    assert torch.equal(merged.generate(**batch, do_sample=False, max_new_tokens=6), expected_ids)

    with pytest.raises(SystemExit) as exit_info:
        main(["merge", "--help"])
    assert exit_info.value.code == 0 and "--adapter" in capsys.readouterr().out


def test_lora_settings_are_checked(pal_dir):
    assert parse_settings(["--init", str(pal_dir), "--lora", "r=4"]).lora == "r=4"
    with pytest.raises(ValueError, match="Unknown LoRA setting 'rank'"):
        TrainSettings(init=str(pal_dir), lora="rank=4")
    with pytest.raises(ValueError, match="--lora adapts a PAL model: give its folder as --init"):
        TrainSettings(lora="r=4")  # random:tiny


def test_pal_train_with_lora_writes_an_adapter_and_resumes(data_dir, pal_dir, batch, tmp_path):
    run = tmp_path / "run"
    settings = dict(
        data_dir=str(data_dir),
        split_scheme="hf",
        pesconv=[str(data_dir / "train.jsonl"), str(data_dir / "valid.jsonl")],
        init=str(pal_dir),
        lora="r=4,alpha=8",
        learning_rate=1e-3,
        batch_size=2,
        eval_steps=2,
        save_steps=1,
        output_dir=str(run),
    )
    folder = train(TrainSettings(**settings, max_steps=2))
    assert sorted(p.name for p in run.glob("checkpoint-*")) == ["checkpoint-1", "checkpoint-2"]  # --save-steps
    assert folder == run / "adapter" and not (run / "model").exists()
    assert {"adapter_config.json", "adapter_model.safetensors"} <= {p.name for p in folder.iterdir()}
    adapter_config = json.loads((folder / "adapter_config.json").read_text())
    assert (adapter_config["r"], adapter_config["lora_alpha"]) == (4, 8.0)
    log = [json.loads(line) for line in (run / "log.jsonl").read_text().splitlines()]
    assert any("eval_loss" in record for record in log) and any("train_loss" in record for record in log)
    base = PalForConditionalGeneration.from_pretrained(pal_dir)
    plain = logits(base, batch)
    assert not torch.allclose(logits(load_pal_adapter(base, folder), batch), plain)

    train(TrainSettings(**settings, max_steps=3, resume=True))
    resumed = [json.loads(line) for line in (run / "log.jsonl").read_text().splitlines()][len(log) :]
    assert resumed and all(record["step"] == 3 for record in resumed)  # continued from checkpoint-2
