import logging
import re

import pytest
from transformers import AutoTokenizer, pipeline

from modeling_pal.bundled import BUNDLED_TOKENIZER_DIR
from modeling_pal.pal_tokens import pesconv_persona, split_persona
from modeling_pal.persona_extraction import (
    PersonaExtractionPipeline,
    content_stems,
    encode_source,
    filter_persona,
    ground_persona,
    grounding,
    seeker_utterances,
)
from modeling_pal.training.extractor import build_extractor

# PESConv's persona strings: "<persona> s1 <persona> s2 <input>", or "<persona><input>" when nothing survived.
PESCONV_PERSONA = re.compile(r"<persona><input>|(<persona> [^<]+ )+<input>")
FAST = {"num_beams": 2, "max_length": 10}
MESSAGES = [
    {"role": "user", "content": "I lost my job last week."},
    {"role": "user", "content": "It was  sudden."},
    {"role": "assistant", "content": "That sounds hard."},
    {"role": "user", "content": "My wife is a nurse."},
    {"role": "assistant", "content": "How is she taking it?"},
    {"role": "user", "content": "We have two kids."},
    {"role": "user", "content": "I am scared."},
]


@pytest.fixture(scope="module")
def extractor():
    model, tokenizer = build_extractor(tiny_random=True, seed=0)
    return pipeline("persona-extraction", model=model.eval(), tokenizer=tokenizer, device="cpu")


def test_post_filter():
    sentences = [
        "i like cats.",
        "my favorite color is blue.",
        "My Favorite Band is the beatles.",
        "hi",
        "word " * 26,
        "i  like cats.",
        "I LIKE CATS.",
        "i have two kids.",
    ]
    assert filter_persona(sentences) == ["i like cats.", "i have two kids."]
    assert filter_persona(sentences, banned_phrases=(), min_words=1, max_words=None) == [
        "i like cats.",
        "my favorite color is blue.",
        "My Favorite Band is the beatles.",
        "hi",
        " ".join(["word"] * 26),
        "i have two kids.",
    ]


def test_pesconv_persona_strings():
    # Spacing as in PAL's PESConv files.
    persona = pesconv_persona(["my friends were trying to let me down.", "they all started targeting me."])
    assert (
        persona == "<persona> my friends were trying to let me down. <persona> they all started targeting me. <input>"
    )
    assert pesconv_persona([]) == "<persona><input>"
    assert split_persona(persona) == ["my friends were trying to let me down.", "they all started targeting me."]
    assert split_persona("<persona><input>") == [] and split_persona("<persona>a b.<input>") == ["a b."]
    with pytest.raises(ValueError, match="not one string"):
        pesconv_persona("i am a nurse.")


def test_seeker_utterances_from_both_input_kinds():
    assert seeker_utterances(MESSAGES) == [
        "I lost my job last week.",
        "It was sudden.",
        "My wife is a nurse.",
        "We have two kids.",
        "I am scared.",
    ]
    assert seeker_utterances(["a  b ", "c"]) == ["a b", "c"]


@pytest.mark.parametrize(
    "bad, message",
    [
        ([], "empty"),
        (["fine", 3], "Dialogue 1: A dialogue is a string, a list of .* got int"),
        ([["fine", "  "]], "Dialogue 0: Utterance 1 is empty"),
        ([["fine", 3]], "Utterance 1 is of type int"),
        ([{"role": "assistant", "content": "Hi."}], "no seeker"),
        ([{"role": "user", "content": "Hi."}, "hello"], "not both"),
        ([{"role": "robot", "content": "Hi."}], "role 'robot'"),
        ([["fine"], []], "Dialogue 1: The dialogue is empty"),
    ],
)
def test_bad_inputs_are_clear_errors(extractor, bad, message):
    with pytest.raises(ValueError, match=message):
        extractor(bad)


def test_output_is_a_list_of_clean_sentences(extractor):
    persona = extractor(MESSAGES, **FAST)
    assert isinstance(persona, list) and all(isinstance(s, str) and s == s.strip() for s in persona)
    # A batch: conversations, strings (one seeker utterance each) or lists of seeker utterances, batched or not.
    batch = [MESSAGES, "Hi there, I am new here.", seeker_utterances(MESSAGES)]
    outputs = extractor(batch, batch_size=2, **FAST)
    assert outputs[0] == outputs[2] == persona and outputs[1] == extractor("Hi there, I am new here.", **FAST)
    assert extractor(batch, batch_size=1, **FAST) == outputs
    streamed = extractor((m for m in [MESSAGES, MESSAGES[:3]]), batch_size=2, **FAST)  # a generator streams
    assert list(streamed) == [persona, extractor(MESSAGES[:3], **FAST)]


def test_incremental_mode_follows_the_seeker_turns(extractor):
    tokenizer = extractor.tokenizer
    utterances = seeker_utterances(MESSAGES)  # 5 seeker utterances, two pairs of them consecutive
    prompts = extractor.preprocess(MESSAGES, incremental=True)["dialogue"]["prompts"]
    assert len(prompts) == 3  # one persona after the 3rd, 4th and 5th seeker utterance
    for prompt, end in zip(prompts, (3, 4, 5), strict=True):
        assert prompt == encode_source(tokenizer, utterances[:end], 512).input_ids

    persona_list = extractor(MESSAGES, incremental=True, **FAST)
    assert len(persona_list) == 3 and all(PESCONV_PERSONA.fullmatch(p) for p in persona_list)
    # Each entry is what the whole-dialogue mode infers from the utterances so far (same batch, same numbers).
    prefixes = [utterances[:3], utterances[:4], utterances]
    assert [split_persona(p) for p in persona_list] == extractor(prefixes, batch_size=3, **FAST)
    # Before the 3rd seeker utterance, PAL uses no persona.
    assert extractor(MESSAGES[:3], incremental=True, **FAST) == []
    assert extractor([MESSAGES, ["a b", "c d"]], incremental=True, batch_size=2, **FAST)[1] == []


def test_postprocess_applies_the_configurable_filter(extractor):
    tokenizer = extractor.tokenizer
    text = "i like cats . <persona> my favorite color is blue . <persona> i like cats . <persona> hi"
    ids = [tokenizer.eos_token_id, *tokenizer(text).input_ids, tokenizer.eos_token_id]
    item = {"sequences": [ids], "dropped": [0], "sources": [["hi", "I like cats."]], "incremental": False}
    outputs = {"dialogue": item}
    assert extractor.postprocess(outputs) == ["i like cats."]
    assert extractor.postprocess(outputs, post_filter=False, min_grounding=1.0) == ["i like cats.", "hi"]
    everything = ["i like cats.", "my favorite color is blue.", "hi"]  # repeats are always removed
    assert extractor.postprocess(outputs, post_filter=False) == everything
    assert extractor.postprocess(outputs, banned_phrases=(), min_words=1) == everything
    incremental = {"dialogue": {**item, "incremental": True}}
    assert extractor.postprocess(incremental, return_dropped=True) == {
        "persona_list": ["<persona> i like cats. <input>"],
        "dropped_utterances": [0],
    }


def test_long_inputs_keep_the_most_recent_utterances(extractor, caplog):
    utterances = seeker_utterances(MESSAGES)
    with caplog.at_level(logging.WARNING):
        result = extractor(MESSAGES, max_input_length=12, return_dropped=True, **FAST)
    assert result["dropped_utterances"] == 3 and "kept its 2 most recent utterances" in caplog.text
    encoded = encode_source(extractor.tokenizer, utterances, 12)
    assert (
        encoded.dropped_utterances == 3
        and encoded.input_ids == encode_source(extractor.tokenizer, utterances[3:], 12).input_ids
    )
    # A single utterance longer than the limit keeps its last tokens, and still ends with eos.
    single = encode_source(extractor.tokenizer, ["one two three four five six seven eight nine ten"], 5)
    assert (
        len(single.input_ids) == 5
        and single.cut_tokens > 0
        and single.input_ids[-1] == extractor.tokenizer.eos_token_id
    )
    assert extractor(MESSAGES, return_dropped=True, **FAST)["dropped_utterances"] == 0


def test_tokenizer_without_extractor_tokens_is_refused(extractor):
    tokenizer = AutoTokenizer.from_pretrained(str(BUNDLED_TOKENIZER_DIR))  # has <persona>, lacks <sep>
    with pytest.raises(ValueError, match=r"lacks the extractor tokens \['<sep>'\]"):
        PersonaExtractionPipeline(model=extractor.model, tokenizer=tokenizer, device="cpu")


def test_grounding_measures_what_the_seeker_said():
    said = ["I've been so worried about my jobs.", "My dad has dementia and I take care of him."]
    assert grounding("I am worried about my job.", said) == 1.0  # "worried"/"job" match "worried"/"jobs"
    assert grounding("I am a professional cage fighter.", said) == 0.0
    assert grounding("My dad is my best friend.", said) == pytest.approx(1 / 3)  # dad, but not best or friend
    assert grounding("I am.", said) == 1.0  # no content word: nothing invented
    assert content_stems("My kids' worries") == content_stems("kid worry") == {"kid", "worri"}
    kept = ground_persona(["i take care of my dad.", "i am a dog walker.", "i have a best friend."], said, 0.5)
    assert kept == ["i take care of my dad."]
    with pytest.raises(ValueError, match="between 0 and 1"):
        ground_persona(["x"], said, 1.5)
