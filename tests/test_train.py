import json

import pytest
import torch
from transformers import AutoModelForSeq2SeqLM

from modeling_pal.training.train import TrainSettings, parse_settings, train


def test_two_training_steps_save_a_model_that_reloads(data_dir, tmp_path):
    pesconv = [str(data_dir / f"{s}.jsonl") for s in ("train", "valid")]
    config = tmp_path / "run.json"
    config.write_text(
        json.dumps(
            {
                "data_dir": str(data_dir),
                "split_scheme": "hf",
                "pesconv": pesconv,
                "init": "random:tiny",
                "max_steps": 2,
                "batch_size": 2,
                "strategy_loss_weight": 5.0,
            }
        )
    )
    settings = parse_settings(["--config", str(config), "--output-dir", str(tmp_path / "run")])
    assert (settings.learning_rate, settings.seed, settings.variant) == (1.5e-5, 13, "pal")
    folder = train(settings)
    log = [json.loads(line) for line in (tmp_path / "run" / "log.jsonl").read_text().splitlines()]
    assert any("eval_loss" in record for record in log) and any("train_loss" in record for record in log)
    assert all(0 <= record["eval_strategy_acc"] <= 1 for record in log if "eval_loss" in record)
    model = AutoModelForSeq2SeqLM.from_pretrained(folder, trust_remote_code=True)
    assert model.config.fuse_persona and model.generation_config.temperature == 0.5
    ids = torch.tensor([[5, 6, 7]])
    out = model.generate(input_ids=ids, persona_input_ids=torch.tensor([[54947]]), max_new_tokens=3)
    assert out[0, 1].item() in model.config.strategy_token_ids


def test_joint_variant_trains_without_personas(data_dir, tmp_path):
    settings = TrainSettings(
        data_dir=str(data_dir),
        split_scheme="hf",
        variant="joint",
        max_steps=1,
        batch_size=2,
        output_dir=str(tmp_path / "joint"),
    )
    model = AutoModelForSeq2SeqLM.from_pretrained(train(settings), trust_remote_code=True)
    assert not model.config.fuse_persona
    with pytest.raises(ValueError, match="No dialogue has problem_type 'grief'"):
        train(TrainSettings(**{**vars(settings), "problem_type": "grief", "output_dir": str(tmp_path / "grief")}))


def test_bad_settings(tmp_path):
    with pytest.raises(ValueError, match="Unknown variant 'misc'"):
        TrainSettings(variant="misc")
    with pytest.raises(ValueError, match="Unknown preset"):
        TrainSettings(preset="fast")
    with pytest.raises(ValueError, match="strategy_loss_weight must be positive"):
        TrainSettings(strategy_loss_weight=0)
    (tmp_path / "bad.json").write_text(json.dumps({"learnin_rate": 1}))
    with pytest.raises(ValueError, match="Unknown settings in the config file: \\['learnin_rate'\\]"):
        parse_settings(["--config", str(tmp_path / "bad.json")])
    with pytest.raises(ValueError, match="needs personas"):
        train(TrainSettings(data_dir=str(tmp_path), split_scheme="hf", output_dir=str(tmp_path / "o")))


def test_settings_from_a_run_config(tmp_path):
    """A `pal-run` config gives its `train` section, with or without an `evaluate` section."""
    for config in ({"train": {"learning_rate": 3e-4}}, {"train": {"learning_rate": 3e-4}, "evaluate": {}}):
        (tmp_path / "run.json").write_text(json.dumps(config))
        settings = parse_settings(["--config", str(tmp_path / "run.json"), "--batch-size", "8"])
        assert (settings.learning_rate, settings.batch_size) == (3e-4, 8)


def test_strategy_loss_weight_weights_the_first_label():
    """The weighted training loss is Σ w·CE / Σ w, w = the weight on the strategy token and 1 on the others."""
    from modeling_pal.bundled import load_pal_tokenizer, tiny_pal_config
    from modeling_pal.modeling_pal import PalForConditionalGeneration
    from modeling_pal.training.train import PalTrainer

    torch.manual_seed(0)
    config = tiny_pal_config(
        load_pal_tokenizer(), fuse_persona=False, dropout=0.0, attention_dropout=0.0, activation_dropout=0.0
    )
    model = PalForConditionalGeneration(config).train()
    strategy = model.config.strategy_token_ids[2]
    inputs = {"input_ids": torch.tensor([[5, 6, 7, 8]]), "labels": torch.tensor([[strategy, 20, 21, -100]])}
    outputs = model(**inputs)
    token_loss = torch.nn.functional.cross_entropy(outputs.logits[0, :3], inputs["labels"][0, :3], reduction="none")
    torch.testing.assert_close(outputs.loss, token_loss.mean())
    trainer = PalTrainer.__new__(PalTrainer)  # compute_loss reads only the weight
    trainer.strategy_loss_weight = 4.0
    torch.testing.assert_close(trainer.compute_loss(model, inputs), (4 * token_loss[0] + token_loss[1:].sum()) / 6)


def test_validation_batches_follow_the_one_batching_rule(tokenizer, tmp_path):
    from modeling_pal import tiny_random_pal
    from modeling_pal.data.esconv import PalCollator
    from modeling_pal.training.train import PalTrainer, pal_training_arguments

    model, _ = tiny_random_pal(tokenizer)
    sizes = [(3, 5), (6, 2), (5, 1), (2, 6)]  # padded lengths 5, 6, 5, 6
    examples = [{"input_ids": [5] * n, "persona_input_ids": [6] * m, "labels": [7, 8]} for n, m in sizes]
    args = pal_training_arguments(tmp_path, per_device_eval_batch_size=4)
    trainer = PalTrainer(model=model, args=args, data_collator=PalCollator(0), eval_dataset=examples)
    batches = list(trainer.get_eval_dataloader())
    shapes = [(tuple(b["input_ids"].shape), tuple(b["persona_input_ids"].shape)) for b in batches]
    assert shapes == [((2, 5), (2, 5)), ((2, 6), (2, 6))]
