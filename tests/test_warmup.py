import json

import pytest
import torch
from transformers import BlenderbotSmallConfig, BlenderbotSmallForConditionalGeneration

from modeling_pal import load_pal_tokenizer
from modeling_pal.bundled import TINY_ARCHITECTURE
from modeling_pal.conversation import format_context
from modeling_pal.training.train import TrainSettings, train
from modeling_pal.training.warmup import main, read_corpus, warmup_examples

DAILYDIALOG = (
    "Say , Jim , any plans ? __eou__ Not really . __eou__ Let us go out . __eou__\nHi . __eou__ Hello . __eou__\n"
)
ED_CSV = (
    "Dialog_ID,Type,Actor,Text,Label\n"
    "hit:1_conv:2,situation,none,My car broke down,sad\n"
    'hit:1_conv:2,utterance,speaker,"My car broke down, again.",sad\n'
    "hit:1_conv:2,utterance,listener,Oh no. Are you ok?,questioning\n"
    "hit:3_conv:4,utterance,speaker,I passed my exam!,proud\n"
    "hit:3_conv:4,utterance,listener,Congratulations!,encouraging\n"
)


def test_corpus_readers(tmp_path):
    (tmp_path / "dialogues_train.txt").write_text(DAILYDIALOG)
    (tmp_path / "ed").mkdir()
    (tmp_path / "ed" / "sad.csv").write_text(ED_CSV)
    assert read_corpus(tmp_path / "dialogues_train.txt") == [
        ["Say , Jim , any plans ?", "Not really .", "Let us go out ."],
        ["Hi .", "Hello ."],
    ]
    assert read_corpus(tmp_path / "ed") == [
        ["My car broke down, again.", "Oh no. Are you ok?"],
        ["I passed my exam!", "Congratulations!"],
    ]
    (tmp_path / "notes.txt").write_text("no dialogue here")
    with pytest.raises(ValueError, match="neither a DailyDialog"):
        read_corpus(tmp_path / "notes.txt")
    with pytest.raises(FileNotFoundError, match="No corpus file"):
        read_corpus(tmp_path / "missing.csv")
    (tmp_path / "bad.csv").write_text("a,b\n1,2\n")
    with pytest.raises(ValueError, match="not an EmpatheticDialogues CSV"):
        read_corpus(tmp_path / "bad.csv")


def test_examples_put_the_writer_in_the_supporter_role():
    tokenizer = load_pal_tokenizer()
    examples = warmup_examples([["a b", "c d", "e f"]], tokenizer)
    assert len(examples) == 2
    context = format_context([{"role": "supporter", "content": "a b"}, {"role": "seeker", "content": "c d"}])
    assert examples[1]["input_ids"] == tokenizer.encode(context, add_special_tokens=False)
    assert examples[1]["labels"] == [*tokenizer.encode("e f", add_special_tokens=False), tokenizer.eos_token_id]
    sample = warmup_examples([["a b", "c d", "e f"], ["g", "h"]], tokenizer, max_examples=2)
    assert len(sample) == 2 and all(
        example in examples + warmup_examples([["g", "h"]], tokenizer) for example in sample
    )


def test_warmup_writes_a_checkpoint_that_pal_train_starts_from(tmp_path, data_dir):
    torch.manual_seed(0)
    config = BlenderbotSmallConfig(vocab_size=54944, **TINY_ARCHITECTURE)  # without PAL's tokens
    BlenderbotSmallForConditionalGeneration(config).save_pretrained(tmp_path / "init")
    load_pal_tokenizer().save_pretrained(tmp_path / "init")
    (tmp_path / "dialogues_train.txt").write_text(DAILYDIALOG)
    main(
        ["--init", str(tmp_path / "init"), "--output-dir", str(tmp_path / "warm"), "--max-steps", "2"]
        + ["--batch-size", "2", "--corpus", str(tmp_path / "dialogues_train.txt")]
        + ["--esconv", str(data_dir), "--split-scheme", "hf", "--max-examples", "6"]
    )
    log = [json.loads(line) for line in (tmp_path / "warm" / "log.jsonl").read_text().splitlines()]
    assert log[-1]["step"] == 2 and "train_loss" in log[-1]
    warm = BlenderbotSmallForConditionalGeneration.from_pretrained(tmp_path / "warm" / "model")
    assert warm.config.vocab_size == len(load_pal_tokenizer())
    start = BlenderbotSmallForConditionalGeneration.from_pretrained(tmp_path / "init")
    assert not torch.equal(warm.model.encoder.layers[0].fc1.weight, start.model.encoder.layers[0].fc1.weight)
    settings = TrainSettings(
        data_dir=str(data_dir),
        split_scheme="hf",
        variant="joint",
        init=str(tmp_path / "warm" / "model"),
        max_steps=1,
        batch_size=2,
        output_dir=str(tmp_path / "joint"),
    )
    assert (train(settings) / "model.safetensors").is_file()
    with pytest.raises(ValueError, match="No dialogue text"):
        main(["--init", str(tmp_path / "init"), "--output-dir", str(tmp_path / "none")])
