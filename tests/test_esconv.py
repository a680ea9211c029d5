"""ESConv loading, PAL's split and featurization, against ids written out by hand on a tiny word vocabulary."""

import json

import pytest
import torch
from transformers import BertTokenizer

from modeling_pal import PAL_STRATEGIES, add_pal_tokens
from modeling_pal.data.esconv import (
    FeaturizeOptions,
    PalCollator,
    featurize,
    load_dialogues,
    load_split,
    pal_split,
    parse_dialogue,
    select_problem_type,
)

WORDS = [
    "[PAD]",
    "[UNK]",
    "[CLS]",
    "[SEP]",
    "persona",
    "system",
    ":",
    "hi",
    "i",
    "am",
    "sad",
    "why",
    "?",
    "my",
    "dog",
    "died",
    "sorry",
    ".",
    "it",
    "hurts",
    "you",
    "can",
    "walk",
    "yes",
]
# With [MASK] (24) and PAL's tokens: </s> 25, <s> 26, <persona> 27, <input> 28, [Question] 29 ... [Others] 36.
SEP, BOS, EOS = [25, 26], 2, 3

HF_DIALOGUE = {
    "situation": "my dog died",
    "dialog": [
        {"text": "Hi", "speaker": "usr"},
        {"text": "Why?", "speaker": "sys", "strategy": "Question"},
        {"text": "My dog  died.", "speaker": "usr"},
        {"text": "It hurts.", "speaker": "usr"},
        {"text": "I am sorry.", "speaker": "sys", "strategy": "Reflection of feelings"},
        {"text": "You can walk.", "speaker": "sys", "strategy": "Providing Suggestions"},
        {"text": "Yes.", "speaker": "usr"},
        {"text": "Hi.", "speaker": "sys", "strategy": "Others"},
    ],
    "persona": "<persona>i am sad.<persona>my dog died.<input>",
    "persona_list": ["<persona>i am sad.<input>", "<persona>my dog died.<input>"],
}


@pytest.fixture(scope="module")
def words(tmp_path_factory):
    path = tmp_path_factory.mktemp("vocab") / "vocab.txt"
    path.write_text("\n".join(WORDS))
    tokenizer = BertTokenizer(str(path), bos_token="[CLS]", eos_token="[SEP]")
    add_pal_tokens(tokenizer)
    assert tokenizer.convert_tokens_to_ids(["</s>", "<input>", "[Question]", "[Others]"]) == [25, 28, 29, 36]
    return tokenizer


def original_layout(record):
    """The same dialogue as the original ESConv.json writes it."""
    turns = [
        {
            "speaker": "seeker" if t["speaker"] == "usr" else "supporter",
            "content": t["text"],
            **({"annotation": {"strategy": t["strategy"]}} if "strategy" in t else {}),
        }
        for t in record["dialog"]
    ]
    return {**record, "dialog": turns}


def test_both_layouts_parse_alike(tmp_path):
    (tmp_path / "d.jsonl").write_text(json.dumps(HF_DIALOGUE) + "\n")
    (tmp_path / "ESConv.json").write_text(json.dumps([original_layout(HF_DIALOGUE)]))
    hf, original = load_dialogues(tmp_path / "d.jsonl")[0], load_dialogues(tmp_path / "ESConv.json")[0]
    assert hf.turns == original.turns
    assert hf.turns[2] == {"role": "seeker", "content": "My dog died.", "strategy": None}
    assert hf.persona_list == HF_DIALOGUE["persona_list"] and hf.meta["situation"] == "my dog died"
    with pytest.raises(ValueError, match="role 'bot'"):
        parse_dialogue({"dialog": [{"text": "hi", "speaker": "bot"}]})
    with pytest.raises(FileNotFoundError):
        load_dialogues(tmp_path / "missing.jsonl")


def test_pal_split_recipe():
    import random

    items = list(range(1300))
    split = pal_split(items)
    assert [len(split[k]) for k in ("train", "valid", "test")] == [910, 260, 130]
    shuffled = list(items)
    random.seed(13)
    random.shuffle(shuffled)
    assert split["test"] == shuffled[130:260] and split["valid"] == shuffled[:130] + shuffled[260:390]
    assert sorted(split["train"] + split["valid"] + split["test"]) == items


def test_load_split_schemes(tmp_path):
    records = [dict(HF_DIALOGUE, situation=str(i)) for i in range(20)]
    (tmp_path / "ESConv.json").write_text(json.dumps(records))
    assert [d.meta["situation"] for d in load_split(tmp_path, "test")] == [str(i) for i in pal_split(range(20))["test"]]
    with pytest.raises(ValueError, match="Unknown split 'dev'"):
        load_split(tmp_path, "dev")


def test_select_problem_type():
    dialogues = [
        parse_dialogue(dict(HF_DIALOGUE, problem_type=kind)) for kind in ("job crisis", "breakup", "Job crisis")
    ]
    assert select_problem_type(dialogues, " JOB CRISIS") == [dialogues[0], dialogues[2]]
    with pytest.raises(ValueError, match="No dialogue has problem_type 'grief'; these have: Job crisis, breakup, job"):
        select_problem_type(dialogues, "grief")


def test_featurize_matches_hand_built_ids(words):
    dialogue = parse_dialogue(HF_DIALOGUE)
    examples = featurize(dialogue, words, FeaturizeOptions(), PAL_STRATEGIES)
    assert len(examples) == 4
    first, second, third, fourth = examples
    assert first["input_ids"] == [4, 6, 7, *SEP, 5, 6]  # Persona:Hi</s> <s>System:
    assert first["persona_input_ids"] == [28]  # 1 seeker utterance so far: "<input>"
    assert first["labels"] == [29, 11, 12, EOS]  # [Question] why ? eos
    assert second["input_ids"] == [
        4,
        6,
        7,
        *SEP,
        5,
        6,
        29,
        11,
        12,
        *SEP,
        4,
        6,
        13,
        14,
        15,
        17,
        *SEP,
        4,
        6,
        18,
        19,
        17,
        *SEP,
        5,
        6,
    ]
    assert second["persona_input_ids"] == [27, 8, 9, 10, 17, 28]  # 3 seeker utterances: persona_list[0]
    assert second["labels"] == [31, 8, 9, 16, 17, EOS]
    assert third["labels"][0] == 34 and third["persona_input_ids"] == second["persona_input_ids"]
    assert third["input_ids"][-11:] == [
        5,
        6,
        31,
        8,
        9,
        16,
        17,
        *SEP,
        5,
        6,
    ]  # System:[Reflection]i am sorry.</s> <s>System:
    assert fourth["persona_input_ids"] == [27, 13, 14, 15, 17, 28]  # 4 seeker utterances: persona_list[1]
    assert fourth["labels"] == [36, 7, 17, EOS]


def test_featurize_options(words):
    dialogue = parse_dialogue(HF_DIALOGUE)
    cut = featurize(dialogue, words, FeaturizeOptions(max_input_length=5, max_decoder_input_length=2), PAL_STRATEGIES)
    assert cut[1]["input_ids"] == [17, *SEP, 5, 6] and cut[1]["labels"] == [31, 8, 9]
    inference = featurize(dialogue, words, FeaturizeOptions(inference=True), PAL_STRATEGIES)
    assert [e["strategy"] for e in inference] == ["Question", "Reflection of feelings", "Others"]
    joint = featurize(dialogue, words, FeaturizeOptions(variant="joint"), PAL_STRATEGIES)
    assert "persona_input_ids" not in joint[1] and joint[1]["input_ids"][-2:] == [5, 6]
    prompt = featurize(dialogue, words, FeaturizeOptions(variant="hard-prompt", max_input_length=9), PAL_STRATEGIES)
    assert prompt[1]["input_ids"] == [27, 8, 9, 10, 17, 28, 26, 5, 6]  # the persona, then the last 3 context ids
    quirk = featurize(dialogue, words, FeaturizeOptions(persona_from_utterances=True), PAL_STRATEGIES)
    assert quirk[1]["persona_input_ids"] == [7]  # the released code's bug: the 1st seeker utterance, "Hi"
    no_personas = parse_dialogue({"dialog": HF_DIALOGUE["dialog"]})
    with pytest.raises(ValueError, match="no `persona_list`"):
        featurize(no_personas, words, FeaturizeOptions(), PAL_STRATEGIES)


def test_collator_pads_labels_with_minus_100(words):
    examples = featurize(parse_dialogue(HF_DIALOGUE), words, FeaturizeOptions(), PAL_STRATEGIES)[:2]
    batch = PalCollator(words.pad_token_id)(examples)
    assert batch["input_ids"].shape == (2, 29) and batch["attention_mask"][0].sum() == 7
    assert batch["persona_input_ids"].shape == (2, 6)
    assert torch.equal(batch["labels"][0], torch.tensor([29, 11, 12, EOS, -100, -100]))
