import json

import pytest

from modeling_pal import save_pal, tiny_random_pal
from modeling_pal.cli.run_variant import run
from modeling_pal.evaluation.evaluate import main, parse_settings
from modeling_pal.pal_tokens import persona_sentences

from conftest import randomize_fusion


@pytest.fixture
def model_dir(tokenizer, tmp_path):
    model, _ = tiny_random_pal(tokenizer)
    return save_pal(model, tokenizer, tmp_path / "model")


def test_evaluate_end_to_end(model_dir, data_dir, tmp_path, capsys):  # noqa: F811
    out = tmp_path / "eval"
    main(
        [
            "--model",
            str(model_dir),
            "--data-dir",
            str(data_dir),
            "--split-scheme",
            "hf",
            "--split",
            "test",
            "--pesconv",
            str(data_dir / "test.jsonl"),
            "--output-dir",
            str(out),
            "--max-new-tokens",
            "6",
        ]
    )
    result = json.loads((out / "metrics.json").read_text())
    assert result["examples"] == 9 and result["dialogues"] == 3  # 3 inference turns per fixture dialogue
    for key in (
        "accuracy",
        "macro-f1",
        "ppl",
        "bleu-2",
        "bleu-4",
        "coco-bleu-4",
        "distinct-1",
        "ead-2",
        "rouge-l",
        "meteor",
        "cider",
        "cos-sim",
    ):
        assert key in result, key
    assert result["ppl"] > 1000  # a random model over a 54,956-token vocabulary
    generations = [json.loads(line) for line in (out / "generations.jsonl").read_text().splitlines()]
    assert len(generations) == 9
    assert set(generations[0]) == {"context", "persona", "gold", "gold_strategy", "strategy", "response"}
    table = (out / "metrics.md").read_text()
    assert "| PAL (paper) | 34.51 | 15.92 |" in table and "| **ours** |" in table
    assert '"accuracy"' in capsys.readouterr().out
    # A problem-type slice the data does not hold is named in the error.
    with pytest.raises(ValueError, match="No dialogue has problem_type 'grief'"):
        main(
            ["--model", str(model_dir), "--data-dir", str(data_dir), "--split-scheme", "hf"]
            + ["--pesconv", str(data_dir / "test.jsonl"), "--output-dir", str(out), "--problem-type", "grief"]
        )


def test_generations_do_not_depend_on_the_batch_size(tokenizer, data_dir, tmp_path):  # noqa: F811
    model, _ = tiny_random_pal(tokenizer)
    randomize_fusion(model)  # the original fusion attends over its padding: batch-mates could change a row
    folder = save_pal(model, tokenizer, tmp_path / "model")
    args = ["--model", str(folder), "--data-dir", str(data_dir), "--split-scheme", "hf", "--split", "test"]
    args += ["--pesconv", str(data_dir / "test.jsonl"), "--max-new-tokens", "4", "--no-meteor"]
    for batch_size in (1, 32):
        main([*args, "--batch-size", str(batch_size), "--output-dir", str(tmp_path / str(batch_size))])
    # The strategy is PAL's argmax (the responses are sampled, so they follow the random draws of their batch).
    one, many = ([json.loads(r)["strategy"] for r in (tmp_path / b / "generations.jsonl").open()] for b in ("1", "32"))
    assert one == many
    results = [json.loads((tmp_path / b / "metrics.json").read_text()) for b in ("1", "32")]
    assert results[0]["accuracy"] == results[1]["accuracy"] and results[0]["ppl"] == pytest.approx(results[1]["ppl"])


def test_run_config_evaluates_a_variant(model_dir, data_dir, tmp_path):  # noqa: F811
    config = {
        "evaluate": {
            "model": str(model_dir),
            "data_dir": str(data_dir),
            "split_scheme": "hf",
            "split": "valid",
            "pesconv": [str(data_dir / "valid.jsonl")],
            "output_dir": str(tmp_path / "alpha0"),
            "strategy_alpha": "off",
            "max_new_tokens": 4,
            "meteor": False,
            "name": "PAL α=0",
        }
    }
    result = run(config)
    assert "meteor" not in result and result["settings"]["strategy_alpha"] == "off"
    assert "| **PAL α=0** |" in (tmp_path / "alpha0" / "metrics.md").read_text()
    with pytest.raises(ValueError, match="an 'evaluate' section"):
        run({"train": {}})


def test_settings_and_personas():
    settings = parse_settings(
        ["--model", "m", "--output-dir", "o", "--data-dir", "d", "--strategy-alpha", "0,1,0,0,0,0,0,0"]
    )
    assert settings.strategy_alpha == [0.0, 1.0, 0, 0, 0, 0, 0, 0]
    assert persona_sentences("<persona>i am sad.<persona>my dog died.<input>") == "i am sad. my dog died."
    assert persona_sentences("<input>") == ""


def test_shipped_run_configs_are_valid():
    from pathlib import Path

    from modeling_pal.evaluation.evaluate import EvalSettings
    from modeling_pal.training.train import TrainSettings

    configs = sorted((Path(__file__).parents[1] / "configs").glob("*.json"))
    assert {c.stem for c in configs} >= {"joint", "hard-prompt", "pal", "pal-alpha0"}
    for path in configs:
        config = json.loads(path.read_text())
        assert config.keys() & {"train", "evaluate"}, path.name
        if "train" in config:
            TrainSettings(**config["train"])
        if "evaluate" in config:
            EvalSettings(**config["evaluate"])


@pytest.mark.parametrize("alpha", [None, "off"])
def test_evaluate_a_chat_model(data_dir, tmp_path, alpha):  # noqa: F811
    from modeling_pal.bundled import tiny_random_pal_llama
    from modeling_pal.export.folders import save_pal_chat

    model, tokenizer = tiny_random_pal_llama(seed=0)
    folder = save_pal_chat(model, tokenizer, tmp_path / "chat")
    out = tmp_path / "eval"
    arguments = ["--model", str(folder), "--data-dir", str(data_dir), "--split-scheme", "hf", "--split", "test"]
    arguments += ["--pesconv", str(data_dir / "test.jsonl"), "--output-dir", str(out), "--max-new-tokens", "4"]
    arguments += ["--batch-size", "4"] + (["--strategy-alpha", alpha] if alpha else [])
    main(arguments)
    result = json.loads((out / "metrics.json").read_text())
    assert result["examples"] == 9 and result["dialogues"] == 3
    generations = [json.loads(line) for line in (out / "generations.jsonl").read_text().splitlines()]
    assert len(generations) == 9 and all(g["strategy"] in model.config.strategy_names for g in generations)
