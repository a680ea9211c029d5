import configparser
import json
import shlex
from dataclasses import asdict
from fnmatch import fnmatch
from pathlib import Path

import pytest
import torch
from huggingface_hub import ModelCard, SpaceCard
from transformers import AutoModelForSeq2SeqLM

from hub_cards import (
    PAL_COLUMNS,
    PAPER_TABLE_3,
    TEMPLATES_DIR,
    evaluate_command,
    extractor_card,
    pal_model_card,
    space_card,
)
from modeling_pal import PalForConditionalGeneration, save_pal, tiny_random_pal
from modeling_pal.evaluation.evaluate import PAPER_ROWS, TABLE_COLUMNS, parse_settings
from modeling_pal.export.publish import main, model_kind
from modeling_pal.persona_extraction import save_extractor
from modeling_pal.safety import CRISIS_RESPONSE
from modeling_pal.training.extractor import build_extractor

SETTINGS = {
    "model": "runs/pal/model",
    "output_dir": "runs/pal/eval",
    "data_dir": "esconv",
    "order_file": "esconv/esconv_order_and_splits.json",
    "split_scheme": "pal",
    "split": "test",
    "pesconv": ["pesconv/a.jsonl", "pesconv/b.jsonl"],
    "strategy_alpha": None,
    "batch_size": 32,
    "seed": 0,
    "ppl_max_decoder_length": 50,
    "max_dialogues": None,
    "problem_type": None,
    "max_new_tokens": None,
    "distinct_off_by_one": False,
    "meteor": True,
    "name": "PAL (ours)",
}
PAL_METRICS = {
    "accuracy": 31.2345678,
    "macro-f1": 20.5,
    "ppl": 16.1,
    "bleu-1": 20.0,
    "bleu-2": 8.1234,
    "bleu-4": 2.5,
    "distinct-1": 4.2,
    "distinct-2": 24.0,
    "ead-1": 5.0,
    "ead-2": 30.0,
    "rouge-l": 17.9,
    "cos-sim": 0.31,
    "examples": 2400,
    "dialogues": 130,
    "settings": SETTINGS,
}
ALPHA0_COMMAND = "pal-evaluate --model runs/pal/model --strategy-alpha off --name 'PAL alpha=0 (ours)'"
# A recorded command wins over the one the settings rebuild.
ALPHA0_METRICS = {
    "accuracy": 30.0,
    "ppl": 16.1,
    "bleu-2": 9.0,
    "rouge-l": 18.0,
    "command": ALPHA0_COMMAND,
    "settings": {**SETTINGS, "strategy_alpha": "off", "name": "PAL alpha=0 (ours)"},
}
EXTRACTOR_SCORES = {
    "examples": 16,
    "bleu-1": 41.5,
    "bleu-2": 30.25,
    "rouge-l": 38.0,
    "predicted_sentences_per_example": 3.5,
    "gold_sentences_per_example": 4.75,
    "sentence-f1": 12.5,
    "soft-sentence-f1": 45.0,
}
EXTRACTOR_METRICS = {
    "settings": {"model": "models/persona-extractor", "num_beams": 4, "pal_heldout_every": 5, "limit": 16},
    "results": {
        "pal-csv:test.csv": EXTRACTOR_SCORES,
        "pal-agreement:pal_valid.jsonl": {**EXTRACTOR_SCORES, "sentence-f1": 8.0},
    },
}
BART = "facebook/bart-large-cnn"
EXTRACTOR_COMMAND = "pal-extractor evaluate --model models/persona-extractor --gold pal-csv:test.csv --output-dir e"


def metric_values(card: ModelCard) -> dict[tuple[str, str | None], float]:
    return {(r.metric_name, r.metric_config): r.metric_value for r in card.data.eval_results}


def test_pal_card_metadata_and_model_index():
    card = ModelCard(str(pal_model_card([PAL_METRICS, ALPHA0_METRICS], "pal-small", repo_id="me/pal-small")))
    data = card.data
    assert data.license == "cc-by-nc-4.0" and data.language == "en" and data.library_name == "transformers"
    assert data.pipeline_tag == "text2text-generation" and data.datasets == ["thu-coai/esconv"]
    assert {"custom_code", "emotional-support", "persona"} <= set(data.tags)
    assert data.base_model is None and "base_model" not in data.to_dict()
    assert data.model_name == "pal-small"
    values = metric_values(card)
    assert values[("Strategy accuracy", "PAL (ours)")] == 31.2346
    assert values[("BLEU-2", "PAL (ours)")] == 8.1234
    assert values[("Persona-response cosine similarity", "PAL (ours)")] == 0.31
    assert values[("Strategy accuracy", "PAL alpha=0 (ours)")] == 30.0
    assert ("Distinct-1", "PAL alpha=0 (ours)") not in values  # not measured, not reported
    assert len(values) == len(PAL_COLUMNS) + 4
    for result in data.eval_results:
        assert result.dataset_type == "thu-coai/esconv" and result.dataset_split == "test"
        assert result.task_type == "text2text-generation" and result.source_name is None
    # The paper's numbers are in the body, labelled as the paper's, not in the model-index.
    assert 34.51 not in values.values()
    assert "reported in the paper" in card.text and "| PAL | 34.51 | 15.92 |" in card.text
    # Each measured row names its command: recorded, or rebuilt from the settings.
    assert f"`{ALPHA0_COMMAND}`" in card.text
    assert f"`{evaluate_command(SETTINGS)}`" in card.text
    assert "| **PAL (ours)** | 31.23 | 16.10 | 8.12 |" in card.text
    for needle in ("CC BY-NC 4.0", "not a therapist", 'from_pretrained("me/pal-small", trust_remote_code=True)'):
        assert needle in card.text


def test_pal_card_options_and_errors():
    card = pal_model_card(
        {"accuracy": 30.0}, "pal", commands="pal-evaluate --model m", base_model="facebook/blenderbot_small-90M"
    )
    assert ModelCard(str(card)).data.base_model == "facebook/blenderbot_small-90M"
    assert "`pal-evaluate --model m`" in card.text
    card = pal_model_card(PAL_METRICS, "pal", pipeline_task="persona-support")
    assert 'pipeline("persona-support", model="pal", trust_remote_code=True)' in card.text
    assert metric_values(ModelCard(str(card)))[("Strategy accuracy", None)] == 31.2346  # one row: no config
    with pytest.raises(ValueError, match="command"):
        pal_model_card({"accuracy": 30.0}, "pal")
    with pytest.raises(ValueError, match="one per file"):
        pal_model_card([PAL_METRICS, ALPHA0_METRICS], "pal", commands="pal-evaluate")


def test_evaluate_command_reproduces_the_settings():
    for settings in (
        SETTINGS,
        {**SETTINGS, "strategy_alpha": [0.5, 0.0, 0.25, 0, 0, 0, 0, 1], "meteor": False, "distinct_off_by_one": True},
        {**SETTINGS, "strategy_alpha": "off", "pesconv": [], "max_dialogues": 20, "name": "it's ours"},
        {**SETTINGS, "problem_type": "job crisis"},
    ):
        words = shlex.split(evaluate_command(settings))
        assert words[0] == "pal-evaluate"
        assert asdict(parse_settings(words[1:])) == settings


def test_paper_table_matches_the_evaluator():
    assert [c.key for c in PAL_COLUMNS] == [key for _, key in TABLE_COLUMNS]
    assert [c.header for c in PAL_COLUMNS] == [header for header, _ in TABLE_COLUMNS]
    paper = {f"{name} (paper)": [("?" if v is None else v) for v in values] for name, values in PAPER_TABLE_3.items()}
    assert paper == PAPER_ROWS


def test_extractor_card():
    card = extractor_card(
        EXTRACTOR_METRICS,
        "pal-persona-extractor",
        command=EXTRACTOR_COMMAND,
        base_model="facebook/bart-large-cnn",
        datasets=["google/Synthetic-Persona-Chat"],
    )
    parsed = ModelCard(str(card))
    data = parsed.data
    assert data.license == "cc-by-nc-4.0" and data.pipeline_tag == "text2text-generation"
    assert data.base_model == "facebook/bart-large-cnn" and data.datasets == ["google/Synthetic-Persona-Chat"]
    assert "custom_code" in data.tags and data.library_name == "transformers"
    results = {(r.dataset_config, r.metric_name): r for r in data.eval_results}
    assert results[("test.csv", "BLEU-2")].metric_value == 30.25
    assert results[("test.csv", "BLEU-2")].dataset_type == "personachat"
    assert results[("pal_valid.jsonl", "Sentence F1 (exact)")].metric_value == 8.0
    assert results[("pal_valid.jsonl", "Sentence F1 (exact)")].dataset_type == "pesconv"
    assert len(data.to_dict()["model-index"][0]["results"]) == 2
    assert f"`{EXTRACTOR_COMMAND}`" in card.text and "num_beams=4" in card.text
    assert 'pipeline("persona-extraction", model="pal-persona-extractor", trust_remote_code=True)' in card.text
    assert "CC BY-NC 4.0" in card.text and "not a therapist" in card.text
    assert "at most 512 tokens" in card.text
    short = extractor_card(EXTRACTOR_METRICS, "x", command=EXTRACTOR_COMMAND, max_input_length=128)
    assert "at most 128 tokens" in short.text
    with pytest.raises(ValueError, match="command"):
        extractor_card(EXTRACTOR_METRICS, "x")
    assert ModelCard(str(extractor_card({**EXTRACTOR_METRICS, "command": "c"}, "x", license="mit"))).data.license == (
        "mit"
    )


def test_space_card():
    card = space_card(["me/pal-small", "me/pal-persona-extractor"])
    data = SpaceCard(str(card)).data
    assert data.sdk == "gradio" and data.app_file == "app.py" and data.license == "cc-by-nc-4.0"
    assert data.title and data.models == ["me/pal-small", "me/pal-persona-extractor"]
    assert data.datasets == ["thu-coai/esconv"] and len(data.short_description) <= 60
    assert "research demo, not a therapist" in card.text
    assert all(line in card.text for line in CRISIS_RESPONSE.splitlines())


def test_templates_ship_with_the_package():
    config = configparser.ConfigParser()
    config.read(Path(__file__).parents[1] / "setup.cfg")
    patterns = config["options.package_data"]["hub_cards"].split(",")
    templates = sorted(TEMPLATES_DIR.glob("*.md"))
    assert [t.name for t in templates] == ["extractor_card.md", "pal_model_card.md", "space_card.md"]
    package = TEMPLATES_DIR
    for template in templates:
        assert any(fnmatch(str(template.relative_to(package)), p.strip()) for p in patterns), template
    entry_points = config["options.entry_points"]["console_scripts"]
    assert "pal-export = modeling_pal.export.publish:main" in entry_points


def test_pal_export_command(tmp_path, capsys):
    model, tokenizer = tiny_random_pal()
    save_pal(model, tokenizer, tmp_path / "trained")
    (tmp_path / "metrics.json").write_text(json.dumps(PAL_METRICS))
    output = tmp_path / "hub" / "pal-tiny"
    arguments = ["--model", str(tmp_path / "trained"), "--metrics", str(tmp_path / "metrics.json")]
    main([*arguments, "--output", str(output)])
    assert "upload_folder" in capsys.readouterr().out
    files = {p.name for p in output.iterdir()}
    assert {"README.md", "config.json", "model.safetensors", "generation_config.json", "tokenizer_config.json"} <= files
    assert {"configuration_pal.py", "modeling_pal.py", "strategy_control.py"} <= files
    card = ModelCard.load(output / "README.md")
    assert card.data.model_name == "pal-tiny" and card.data.license == "cc-by-nc-4.0"
    assert metric_values(card)[("Strategy accuracy", None)] == 31.2346
    # A pipeline the folder registers is shown in the card's usage section.
    for task in list(json.loads((output / "config.json").read_text()).get("custom_pipelines", {}))[:1]:
        assert f'pipeline("{task}", model="pal-tiny", trust_remote_code=True)' in card.text
    reloaded = PalForConditionalGeneration.from_pretrained(output)
    for name, tensor in model.state_dict().items():
        assert torch.equal(tensor, reloaded.state_dict()[name]), name
    assert reloaded.generation_config.temperature == model.generation_config.temperature

    with pytest.raises(ValueError, match="not empty"):
        main([*arguments, "--output", str(output)])
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0 and "upload_folder" in capsys.readouterr().out


def test_pal_export_with_training_notes_and_companion_extractor(tmp_path):
    model, tokenizer = tiny_random_pal()
    save_pal(model, tokenizer, tmp_path / "trained")
    (tmp_path / "metrics.json").write_text(json.dumps(PAL_METRICS))
    (tmp_path / "training.md").write_text("Warm-started from MiniLM; 1,000 steps of batch 16.\n")
    output = tmp_path / "hub" / "pal"
    arguments = ["--model", str(tmp_path / "trained"), "--metrics", str(tmp_path / "metrics.json")]
    main(
        [*arguments, "--output", str(output), "--training", str(tmp_path / "training.md")]
        + ["--persona-extractor", "../persona-extractor", "--persona-extractor-kwargs", '{"num_beams": 1}']
    )
    text = (output / "README.md").read_text()
    assert "## Training\n\nWarm-started from MiniLM; 1,000 steps of batch 16.\n\n## Evaluation" in text
    config = PalForConditionalGeneration.from_pretrained(output).config
    assert (config.persona_extractor, config.persona_extractor_kwargs) == ("../persona-extractor", {"num_beams": 1})
    # Without notes, the card has no Training section.
    main([*arguments, "--output", str(tmp_path / "plain")])
    assert "## Training\n" not in (tmp_path / "plain" / "README.md").read_text()


def test_extractor_export_command(tmp_path):
    model, tokenizer = build_extractor(tiny_random=True)
    save_extractor(model, tokenizer, tmp_path / "extractor")
    (tmp_path / "metrics.json").write_text(json.dumps(EXTRACTOR_METRICS))
    output = tmp_path / "hub"
    arguments = ["--model", str(tmp_path / "extractor"), "--metrics", str(tmp_path / "metrics.json")]
    with pytest.raises(ValueError, match="command"):
        main([*arguments, "--output", str(output)])
    with pytest.raises(ValueError, match="apply to a PAL model"):
        main([*arguments, "--output", str(output), "--command", EXTRACTOR_COMMAND, "--persona-extractor", "x"])
    assert not output.exists()  # nothing written before the card is known to build
    main([*arguments, "--output", str(output), "--command", EXTRACTOR_COMMAND, "--base-model", BART])
    config = json.loads((output / "config.json").read_text())
    assert "persona-extraction" in config["custom_pipelines"] and (output / "persona_extraction.py").is_file()
    card = ModelCard.load(output / "README.md")
    assert card.data.base_model == BART and f"`{EXTRACTOR_COMMAND}`" in card.text
    assert model_kind(output) == "persona-extractor"
    reloaded = AutoModelForSeq2SeqLM.from_pretrained(output)
    assert torch.equal(reloaded.get_input_embeddings().weight, model.get_input_embeddings().weight)


def test_model_kind_refuses_other_folders(tmp_path):
    with pytest.raises(FileNotFoundError):
        model_kind(tmp_path)
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "bart"}))
    with pytest.raises(ValueError, match="neither"):
        model_kind(tmp_path)


def test_float16_export_halves_the_weights_and_loads_as_float32(tmp_path):
    model, tokenizer = tiny_random_pal()
    save_pal(model, tokenizer, tmp_path / "trained")
    (tmp_path / "metrics.json").write_text(json.dumps(PAL_METRICS))
    full, half = tmp_path / "full", tmp_path / "half"
    arguments = ["--model", str(tmp_path / "trained"), "--metrics", str(tmp_path / "metrics.json")]
    main([*arguments, "--output", str(full)])
    main([*arguments, "--output", str(half), "--float16"])
    size = (half / "model.safetensors").stat().st_size
    assert size < 0.55 * (full / "model.safetensors").stat().st_size
    reloaded = PalForConditionalGeneration.from_pretrained(half)
    assert reloaded.dtype == torch.float32
    for name, tensor in model.state_dict().items():
        assert torch.equal(tensor.half().float(), reloaded.state_dict()[name]), name
