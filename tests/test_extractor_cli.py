import json
import os
import re
import subprocess
import sys
import textwrap

import pytest
from transformers import BlenderbotSmallConfig

from modeling_pal.bundled import BUNDLED_TOKENIZER_DIR
from modeling_pal.cli.extractor import main
from modeling_pal.data.esconv import attach_personas, load_dialogues
from modeling_pal.data.pesconv import load_pipeline
from modeling_pal.evaluation.metrics import persona_metrics
from modeling_pal.pal_tokens import split_persona

PESCONV_PERSONA = re.compile(r"<persona><input>|(<persona> [^<]+ )+<input>")
FAST = ["--num-beams", "2", "--max-length", "10"]
PERSONACHAT_CSV = ",context,persona\n" + "".join(
    f'{i},"i am {name} . <sep> i have a dog . <sep> i like to run . </s>",i am {name}. <persona> i have a dog. </s>\n'
    for i, name in enumerate(["tom", "ann", "joe", "sue", "max", "eva"])
)


def esconv_dialogue(turns: list[tuple[str, str]], situation: str) -> dict:
    dialog = [
        {"text": text, "speaker": speaker, **({"strategy": "Question"} if speaker == "sys" else {})}
        for speaker, text in turns
    ]
    return {"emotion_type": "anxiety", "situation": situation, "dialog": dialog}


ESCONV = [
    # 4 seeker utterances (two pairs consecutive): persona_list has 2 entries, after the 3rd and the 4th.
    esconv_dialogue(
        [
            ("usr", "Hi"),
            ("usr", "I lost my job."),
            ("sys", "Oh no, what happened?"),
            ("usr", "They closed the shop."),
            ("usr", "I have two kids."),
            ("sys", "That must be hard."),
        ],
        "job loss",
    ),
    # 2 seeker utterances: no persona_list entry, the whole-dialogue persona only.
    esconv_dialogue([("usr", "Hello"), ("sys", "Hi, how are you?"), ("usr", "Not great.")], "sad"),
    esconv_dialogue([("usr", "a b"), ("usr", "c d"), ("usr", "e f"), ("sys", "g h")], "third"),
]


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    folder = tmp_path_factory.mktemp("data")
    (folder / "personachat.csv").write_text(PERSONACHAT_CSV)
    (folder / "esconv.jsonl").write_text("".join(json.dumps(d) + "\n" for d in ESCONV))
    pal = [
        {**ESCONV[0], "persona": "<persona> i lost my job. <input>", "persona_list": ["<persona><input>"] * 2},
        {**ESCONV[2], "persona": "<persona> i am e. <input>", "persona_list": ["<persona> i am e. <input>"]},
    ]
    pal[0]["persona_list"][-1] = pal[0]["persona"]
    (folder / "pal_valid.jsonl").write_text("".join(json.dumps(d) + "\n" for d in pal))
    return folder


@pytest.fixture(scope="module")
def trained(tmp_path_factory, data):
    """A tiny random extractor after 2 training steps on the fixtures (the same folder serves the other tests)."""
    output = tmp_path_factory.mktemp("runs") / "extractor"
    main(
        [
            "train",
            "--tiny-random",
            "--data",
            f"pal-csv:{data / 'personachat.csv'}",
            "--data",
            f"pal-personas:{data / 'pal_valid.jsonl'}",
            "--pal-heldout-every",
            "2",
            "--eval-data",
            f"pal-csv:{data / 'personachat.csv'}",
            "--limit",
            "4",
            "--batch-size",
            "2",
            "--max-steps",
            "2",
            "--eval-every",
            "0.5",
            "--output",
            str(output),
        ]
    )
    return output


def test_every_command_has_help(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert all(command in out for command in ("train", "evaluate", "build-pesconv", "FORMAT:PATH"))
    for command, option in (("train", "--tiny-random"), ("evaluate", "--pal-personas"), ("build-pesconv", "--input")):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        assert option in capsys.readouterr().out


def test_training_writes_a_hub_ready_folder(trained):
    files = {p.name for p in trained.iterdir()}
    assert {"config.json", "model.safetensors", "generation_config.json", "persona_extraction.py"} <= files
    assert {"conversation.py", "pal_tokens.py", "tokenizer_config.json", "training_summary.json"} <= files
    config = json.loads((trained / "config.json").read_text())
    assert config["custom_pipelines"]["persona-extraction"] == {
        "impl": "persona_extraction.PersonaExtractionPipeline",
        "pt": ["AutoModelForSeq2SeqLM", "AutoModelForCausalLM"],
        "type": "text",
    }
    # The pipeline reads as many source tokens as the extractor was trained on (--max-source-length, 128).
    assert config["extractor_max_input_length"] == 128
    assert load_pipeline(str(trained)).default_max_input_length() == 128
    generation = json.loads((trained / "generation_config.json").read_text())
    assert (generation["num_beams"], generation["max_length"], generation["early_stopping"]) == (10, 128, True)
    summary = json.loads((trained / "training_summary.json").read_text())
    # 4 PersonaChat pairs + PAL's persona after the 3rd utterance of the one training dialogue.
    assert summary["train_examples"] == 5 and summary["global_step"] == 2 and summary["best_eval_loss"] > 0
    vocab = json.loads((trained / "added_tokens.json").read_text())
    assert {"<persona>", "<sep>"} <= vocab.keys()


def test_training_resumes_from_its_checkpoints(data, tmp_path):
    output = tmp_path / "extractor"
    args = ["train", "--tiny-random", "--data", f"pal-csv:{data / 'personachat.csv'}", "--batch-size", "2"]
    args += ["--save-steps", "1", "--output", str(output)]
    main([*args, "--max-steps", "1"])
    with pytest.raises(ValueError, match="pass --resume"):
        main([*args, "--max-steps", "2"])
    main([*args, "--max-steps", "2", "--resume"])
    assert json.loads((output / "training_summary.json").read_text())["global_step"] == 2
    with pytest.raises(ValueError, match="no checkpoint"):
        main([*args, "--resume", "--checkpoint-dir", str(tmp_path / "empty")])


def test_training_from_a_model_folder_or_a_config(trained, data, tmp_path):
    # A BlenderbotSmall-style config, random weights, any tokenizer folder (here the bundled one, which lacks <sep>).
    config = BlenderbotSmallConfig(
        vocab_size=100,
        d_model=16,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=16,
        decoder_ffn_dim=16,
    )
    config.save_pretrained(tmp_path / "config")
    common = ["--data", f"pal-csv:{data / 'personachat.csv'}", "--batch-size", "2", "--max-steps", "1", "--limit", "2"]
    config_file, tokenizer = str(tmp_path / "config" / "config.json"), str(BUNDLED_TOKENIZER_DIR)
    main(
        ["train", "--init-config", config_file, "--tokenizer", tokenizer, *common, "--output", str(tmp_path / "small")]
    )
    # A pretrained folder (as a downloaded facebook/bart-large-cnn would be), fine-tuned further.
    main(["train", "--model", str(trained), *common, "--output", str(tmp_path / "bart")])
    architectures = {"small": "BlenderbotSmallForConditionalGeneration", "bart": "BartForConditionalGeneration"}
    for name, architecture in architectures.items():
        assert json.loads((tmp_path / name / "config.json").read_text())["architectures"] == [architecture]
        persona = load_pipeline(str(tmp_path / name), "cpu")(
            ["i am tom .", "i have a dog ."], num_beams=2, max_length=6
        )
        assert isinstance(persona, list)


def test_pipeline_loads_from_the_folder_in_a_fresh_process(trained, tmp_path):
    utterances = ["I lost my job last week.", "My wife is a nurse.", "We have two kids.", "I am scared."]
    expected = load_pipeline(str(trained), "cpu")(utterances, incremental=True, num_beams=2, max_length=10)
    script = textwrap.dedent(
        f"""
        import json, sys
        from transformers import pipeline
        extractor = pipeline("persona-extraction", model={str(trained)!r}, trust_remote_code=True, device="cpu")
        assert "modeling_pal" not in sys.modules, "the package was imported"
        assert type(extractor).__module__.startswith("transformers_modules."), type(extractor).__module__
        print(json.dumps(extractor({utterances!r}, incremental=True, num_beams=2, max_length=10)))
        """
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_MODULES_CACHE": str(tmp_path / "modules"), "OMP_NUM_THREADS": "1"}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert json.loads(result.stdout.strip().splitlines()[-1]) == expected


def test_build_pesconv_format_and_resume(trained, data, tmp_path):
    output = tmp_path / "pesconv.jsonl"
    args = ["build-pesconv", "--model", str(trained), "--input", str(data / "esconv.jsonl"), "--output", str(output)]
    main([*args, "--batch-size", "1", *FAST])
    rows = [json.loads(line) for line in output.read_text().splitlines()]
    assert [r["dialog"] for r in rows] == [d["dialog"] for d in ESCONV]
    assert all(r["situation"] == d["situation"] for r, d in zip(rows, ESCONV, strict=True))
    assert [len(r["persona_list"]) for r in rows] == [2, 0, 1]
    for row in rows:
        assert all(PESCONV_PERSONA.fullmatch(p) for p in [row["persona"], *row["persona_list"]]), row
        if row["persona_list"]:
            assert row["persona"] == row["persona_list"][-1]

    # A run cut off mid-way resumes after the last complete dialogue and ends with the same file.
    complete = output.read_text()
    output.write_text(complete.splitlines(keepends=True)[0] + '{"dialog": [{"te')
    main([*args, "--batch-size", "1", *FAST])
    assert output.read_text() == complete

    output.write_text(json.dumps({"dialog": []}) + "\n")
    with pytest.raises(ValueError, match="does not continue this input"):
        main([*args, *FAST])


def test_build_pesconv_personas_only_rows_apply_to_esconv(trained, data, tmp_path):
    whole, personas = tmp_path / "whole.jsonl", tmp_path / "personas.jsonl"
    args = ["build-pesconv", "--model", str(trained), "--input", str(data / "esconv.jsonl"), *FAST]
    main([*args, "--output", str(whole)])
    main([*args, "--output", str(personas), "--personas-only"])
    rows = [json.loads(line) for line in personas.read_text().splitlines()]
    assert all(set(row) == {"dialogue_sha1", "persona", "persona_list"} for row in rows)  # no ESConv text
    dialogues = load_dialogues(data / "esconv.jsonl")
    assert attach_personas(dialogues, [personas]) == attach_personas(dialogues, [whole])
    assert [d.persona_list for d in attach_personas(dialogues, [personas])] == [
        json.loads(line)["persona_list"] for line in whole.read_text().splitlines()
    ]
    main([*args, "--output", str(personas), "--personas-only"])  # complete: resumes with nothing left to do
    assert len(personas.read_text().splitlines()) == len(rows)
    (tmp_path / "empty.jsonl").write_text("")
    with pytest.raises(ValueError, match="No persona in .*empty.jsonl for the dialogue starting"):
        attach_personas(dialogues, [tmp_path / "empty.jsonl"])


def test_build_pesconv_reads_the_original_esconv_layout(trained, tmp_path):
    original = [
        {
            "situation": "job loss",
            "dialog": [
                {"speaker": "seeker", "content": " Hi  there ", "annotation": {}},
                {"speaker": "supporter", "content": "Hello!", "annotation": {"strategy": "Question"}},
                {"speaker": "seeker", "content": "I lost my job."},
                {"speaker": "seeker", "content": "I have two kids."},
            ],
        }
    ]
    (tmp_path / "ESConv.json").write_text(json.dumps(original, indent=2))
    output = tmp_path / "PESConv.jsonl"
    main(
        [
            "build-pesconv",
            "--model",
            str(trained),
            "--input",
            str(tmp_path / "ESConv.json"),
            "--output",
            str(output),
            *FAST,
        ]
    )
    (row,) = [json.loads(line) for line in output.read_text().splitlines()]
    assert row["dialog"] == original[0]["dialog"] and len(row["persona_list"]) == 1


def test_build_pesconv_reads_one_split_of_an_esconv_folder(trained, data, tmp_path):
    folder = tmp_path / "esconv"
    folder.mkdir()
    (folder / "test.jsonl").write_text((data / "esconv.jsonl").read_text())
    output = tmp_path / "pesconv.jsonl"
    args = ["build-pesconv", "--model", str(trained), "--data-dir", str(folder), "--split", "test", *FAST]
    main([*args, "--split-scheme", "hf", "--limit", "2", "--output", str(output)])
    rows = [json.loads(line) for line in output.read_text().splitlines()]
    assert [r["dialog"] for r in rows] == [d["dialog"] for d in ESCONV[:2]]
    with pytest.raises(ValueError, match="needs `order_file`"):
        main([*args, "--output", str(tmp_path / "pal.jsonl")])
    # Two shards hold the dialogues between them.
    shards = [tmp_path / f"shard{i}.jsonl" for i in range(2)]
    for i, shard in enumerate(shards):
        main([*args, "--split-scheme", "hf", "--shard", f"{i}/2", "--output", str(shard)])
    dialogs = [[json.loads(line)["dialog"] for line in shard.read_text().splitlines()] for shard in shards]
    assert dialogs == [[ESCONV[0]["dialog"], ESCONV[2]["dialog"]], [ESCONV[1]["dialog"]]]
    with pytest.raises(SystemExit):
        main([*args, "--shard", "2/2", "--output", str(output)])


def test_evaluate_writes_json_and_markdown(trained, data, tmp_path):
    main(
        [
            "evaluate",
            "--model",
            str(trained),
            "--gold",
            f"pal-csv:{data / 'personachat.csv'}",
            "--pal-personas",
            str(data / "pal_valid.jsonl"),
            "--pal-heldout-every",
            "2",
            "--limit",
            "3",
            "--output-dir",
            str(tmp_path),
            *FAST,
        ]
    )
    results = json.loads((tmp_path / "metrics.json").read_text())["results"]
    assert set(results) == {"pal-csv:personachat.csv", "pal-agreement:pal_valid.jsonl"}
    assert results["pal-csv:personachat.csv"]["examples"] == 3
    assert results["pal-agreement:pal_valid.jsonl"]["examples"] == 2  # held-out dialogue 0: 2 persona_list entries
    assert {"bleu-1", "bleu-2", "rouge-l", "sentence-f1", "soft-sentence-f1"} <= results[
        "pal-csv:personachat.csv"
    ].keys()
    assert "| pal-csv:personachat.csv | 3 |" in (tmp_path / "metrics.md").read_text()
    assert len((tmp_path / "predictions.jsonl").read_text().splitlines()) == 5


def test_evaluate_scores_the_same_predictions_at_each_grounding(data, tmp_path):
    gold = ["--gold", f"pal-csv:{data / 'personachat.csv'}", "--limit", "3", "--output-dir", str(tmp_path)]
    main(["evaluate", "--copy-baseline", *gold, "--min-grounding", "0", "1"])
    results = json.loads((tmp_path / "metrics.json").read_text())["results"]
    names = ["pal-csv:personachat.csv (min_grounding=0)", "pal-csv:personachat.csv (min_grounding=1)"]
    assert list(results) == names
    # The seeker's own utterances are wholly grounded: the filter keeps them all.
    assert results[names[0]] == results[names[1]] and results[names[0]]["grounding"] == 100.0
    assert 0 < results[names[0]]["gold-grounding"] <= 100
    record = json.loads((tmp_path / "predictions.jsonl").read_text().splitlines()[0])
    assert record["grounding"] == [1.0] * len(record["predicted"])
    with pytest.raises(SystemExit):
        main(["evaluate", "--copy-baseline", *gold, "--min-grounding", "2"])


def test_persona_metrics():
    gold = [["i have a dog.", "i like to run."], ["i am a nurse."]]
    perfect = persona_metrics(gold, gold)
    assert perfect["bleu-1"] == pytest.approx(100) and perfect["rouge-l"] == pytest.approx(100)
    assert perfect["sentence-f1"] == pytest.approx(100) and perfect["soft-sentence-f1"] == pytest.approx(100)
    close = persona_metrics([["I have a dog"], ["i am a nurse .", "i am a nurse."]], gold)
    assert close["sentence-precision"] == pytest.approx(200 / 3) and close["sentence-recall"] == pytest.approx(200 / 3)
    assert persona_metrics([[], []], gold)["sentence-f1"] == 0
    assert persona_metrics([[]], [[]])["rouge-l"] == 100
    assert split_persona("<persona> i have a dog. <input>") == gold[0][:1]
    with pytest.raises(ValueError, match="as many predictions"):
        persona_metrics(gold[:1], gold)
