import json
import os
import subprocess
import sys
import textwrap

import pytest
import torch
from transformers import TextIteratorStreamer, pipeline

from modeling_pal import (
    PersonaSupportPipeline,
    decode_response,
    format_persona,
    pesconv_persona,
    save_extractor,
    save_pal,
    tiny_random_pal,
)
from modeling_pal.persona_extraction import PersonaExtractionPipeline
from modeling_pal.persona_support import REPLY_KEYS, resolve_extractor
from modeling_pal.safety import CRISIS_FOLLOW_UP, CRISIS_RESPONSE, INTERNATIONAL_NOTE
from modeling_pal.training.extractor import build_extractor
from modeling_pal.training.lora import add_pal_lora

from conftest import randomize_fusion

GREEDY = {"do_sample": False, "max_new_tokens": 6, "min_length": 0}
SEEKER = ["I lost my job last week.", "My wife is a nurse.", "We have two kids and a dog.", "I am scared."]
CHAT = [
    {"role": "user", "content": SEEKER[0]},
    {"role": "assistant", "content": "That sounds hard.", "strategy": "Reflection of feelings"},
    {"role": "user", "content": SEEKER[1]},
    {"role": "user", "content": SEEKER[2]},
]
LONGER_CHAT = [*CHAT, {"role": "assistant", "content": "I see."}, {"role": "user", "content": SEEKER[3]}]


class CountingExtractor(PersonaExtractionPipeline):
    """A persona extractor that records the dialogues it is asked about and the options it is called with."""

    def __call__(self, inputs, **kwargs):
        self.calls.append(inputs)
        self.options.append(kwargs)
        return super().__call__(inputs, **kwargs)


@pytest.fixture(scope="module")
def extractor_parts():
    model, tokenizer = build_extractor(tiny_random=True, seed=0)
    model.generation_config.update(num_beams=2, max_new_tokens=9)
    return model.eval(), tokenizer


@pytest.fixture
def extractor(extractor_parts):
    model, tokenizer = extractor_parts
    counting = CountingExtractor(model=model, tokenizer=tokenizer, device="cpu")
    counting.calls, counting.options = [], []
    return counting


def tiny_pal(tokenizer, **overrides):
    """A tiny random PAL model whose replies and strategies vary with the conversation (larger random weights)."""
    model, _ = tiny_random_pal(tokenizer, seed=0, **overrides)
    if model.config.fuse_persona:
        randomize_fusion(model)
    generator = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.add_(0.3 * torch.randn(parameter.shape, generator=generator))
    return model


@pytest.fixture
def support(tokenizer, extractor):
    return pipeline(
        "persona-support", model=tiny_pal(tokenizer), tokenizer=tokenizer, device="cpu", persona_extractor=extractor
    )


def test_reply_reports_response_strategy_scores_and_persona(support):
    reply = support("I lost my job.", **GREEDY)
    assert isinstance(support, PersonaSupportPipeline)
    assert tuple(reply) == REPLY_KEYS == ("response", "strategy", "strategy_scores", "persona", "safety")
    assert isinstance(reply["response"], str) and reply["persona"] == [] and reply["safety"] is False
    scores = reply["strategy_scores"]
    assert list(scores) == support.model.config.strategy_names and sum(scores.values()) == pytest.approx(1)
    assert reply["strategy"] == max(scores, key=scores.get)
    assert support([{"role": "seeker", "content": "I lost my job."}], **GREEDY) == reply


def test_decode_response_gives_clean_text(tokenizer):
    ids = tokenizer.encode("I'm fine, don't worry. It's 'ok' !", add_special_tokens=False)
    start, strategy = tokenizer.bos_token_id, tokenizer.convert_tokens_to_ids("[Question]")
    sequence = torch.tensor([start, strategy, *ids, tokenizer.eos_token_id, tokenizer.pad_token_id])
    assert decode_response(tokenizer, sequence) == "i'm fine, don't worry. it's ' ok '!"


@pytest.mark.parametrize("fusion_mask_padding", [False, True])
def test_batch_equals_one_by_one(tokenizer, extractor, fusion_mask_padding):
    model = tiny_pal(tokenizer, fusion_mask_padding=fusion_mask_padding)
    support = PersonaSupportPipeline(model=model, tokenizer=tokenizer, device="cpu", persona_extractor=extractor)
    conversations = [CHAT, "Hi.", CHAT[:3], LONGER_CHAT]
    for options in (GREEDY, {**GREEDY, "num_beams": 2}):
        batched = support(conversations, batch_size=len(conversations), **options)
        alone = [support(conversation, **options) for conversation in conversations]
        for b, a in zip(batched, alone, strict=True):
            assert (b["response"], b["strategy"], b["persona"]) == (a["response"], a["strategy"], a["persona"])
            assert b["strategy_scores"] == pytest.approx(a["strategy_scores"], abs=1e-6)


def test_forced_strategy_and_alpha(support):
    for name in ("Information", "[Question]"):
        replies = support([CHAT, "Hi."], batch_size=2, strategy=name, **GREEDY)
        assert all(reply["strategy"] == name.strip("[]") for reply in replies)
    assert support("Hi.", alpha="off", **GREEDY) == support("Hi.", alpha=[0.0] * 8, **GREEDY)
    with pytest.raises(ValueError, match="one value per strategy"):
        support("Hi.", alpha=[0.5] * 7)
    with pytest.raises(ValueError, match="Unknown strategy_alpha preset"):
        support("Hi.", alpha="strong")


def test_persona_override_is_used_and_reported(support, extractor):
    persona = ["i am a nurse.", "i have two kids."]
    reply = support(CHAT, persona=persona, **GREEDY)
    assert reply["persona"] == persona and extractor.calls == []
    inputs = support.encode_conversations([CHAT], persona=persona)
    assert inputs["persona_input_ids"] == [support.tokenizer.encode(format_persona(persona), add_special_tokens=False)]
    assert support(CHAT, persona=[], **GREEDY)["persona"] == [] and extractor.calls == []


def test_extractor_runs_with_the_options_of_the_model_config(tokenizer, extractor):
    """`config.persona_extractor_kwargs` (how the training personas were made) reach every extractor call."""
    model = tiny_pal(tokenizer)
    model.config.persona_extractor_kwargs = {"num_beams": 1, "max_input_length": 64}
    support = PersonaSupportPipeline(model=model, tokenizer=tokenizer, device="cpu", persona_extractor=extractor)
    reply = support(CHAT, **GREEDY)
    assert extractor.options == [{"batch_size": 1, "num_beams": 1, "max_input_length": 64}]
    assert reply["persona"] == extractor([SEEKER[:3]], num_beams=1, max_input_length=64)[0]


def test_safety_check_is_on_by_default_and_answers_the_whole_conversation(support):
    crisis = [*CHAT, {"role": "user", "content": "Honestly I want to die."}]
    replies = support([crisis, CHAT[:1], "I feel suicidal."], batch_size=3, **GREEDY)
    assert [reply["safety"] for reply in replies] == [True, False, True]
    for reply in (replies[0], replies[2]):
        assert reply == {
            "response": CRISIS_RESPONSE,
            "strategy": None,
            "strategy_scores": {},
            "persona": [],
            "safety": True,
        }
    assert replies[1] == support(CHAT[:1], **GREEDY) and tuple(replies[1]) == REPLY_KEYS
    # The conversation stays in safety mode: every later reply is the (shorter) follow-up, still naming the helplines.
    moved_on = [*crisis, {"role": "assistant", "content": CRISIS_RESPONSE}, {"role": "user", "content": "ok"}]
    follow_up = support(moved_on, **GREEDY)
    assert follow_up["safety"] is True and follow_up["response"] == CRISIS_FOLLOW_UP
    assert support.safety_state(moved_on).index == len(CHAT)
    # safety_check=False turns it off, per call or at creation; "rules" runs the rule layer alone.
    assert support(crisis, safety_check=False, **GREEDY)["safety"] is False
    unchecked = pipeline("persona-support", model=support.model, tokenizer=support.tokenizer, safety_check=False)
    assert unchecked(crisis, persona=[], **GREEDY)["safety"] is False and not unchecked.safety_state(crisis).flagged
    assert support(crisis, safety_check="rules")["safety"] is True
    with pytest.raises(ValueError, match="safety_check"):
        support(crisis, safety_check="maybe")


def test_non_english_risk_gets_the_international_helpline(support):
    reply = support("quiero morirme, ya no puedo más")
    assert reply["safety"] is True and reply["response"] == f"{CRISIS_RESPONSE}\n\n{INTERNATIONAL_NOTE}"
    assert "https://findahelpline.com" in reply["response"]


def test_streamer_sees_only_the_response(support):
    streamer = TextIteratorStreamer(support.tokenizer, skip_prompt=True, skip_special_tokens=True)
    reply = support("I lost my job.", streamer=streamer, **GREEDY)
    streamed = "".join(streamer)
    assert "[" not in streamed and "__start__" not in streamed and streamed.split() == reply["response"].split()
    # Nothing is generated for a safety reply: the streamer ends without text, so its reader does not wait forever.
    streamer = TextIteratorStreamer(support.tokenizer, skip_prompt=True, skip_special_tokens=True)
    assert support("I want to kill myself.", streamer=streamer)["safety"] is True
    assert "".join(streamer) == ""
    with pytest.raises(ValueError, match="one conversation at a time"):
        support([CHAT, "Hi."], streamer=streamer)


def test_adapter_is_loaded_onto_the_model(tokenizer, tmp_path):
    adapted = add_pal_lora(tiny_pal(tokenizer), "r=2")
    generator = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for parameter in adapted.parameters():
            if parameter.requires_grad:
                parameter.add_(torch.randn(parameter.shape, generator=generator))
    adapted.eval().save_pretrained(tmp_path / "adapter")
    expected = PersonaSupportPipeline(model=adapted, tokenizer=tokenizer, device="cpu")("Hi.", persona=[], **GREEDY)
    support = pipeline(
        "persona-support", model=tiny_pal(tokenizer), tokenizer=tokenizer, device="cpu", adapter=tmp_path / "adapter"
    )
    reply = support("Hi.", persona=[], **GREEDY)
    assert reply["strategy_scores"] == pytest.approx(expected["strategy_scores"], abs=1e-6)
    assert reply["response"] == expected["response"]
    plain = pipeline("persona-support", model=tiny_pal(tokenizer), tokenizer=tokenizer, device="cpu")
    assert plain("Hi.", persona=[], **GREEDY)["strategy_scores"] != pytest.approx(reply["strategy_scores"], abs=1e-4)
    with pytest.raises(FileNotFoundError, match="not a saved adapter"):
        PersonaSupportPipeline(model=tiny_pal(tokenizer), tokenizer=tokenizer, adapter=tmp_path)


def test_third_seeker_utterance_rule(support, extractor):
    tokenizer = support.tokenizer
    # Two seeker utterances: no persona ("<input>"), and the extractor is not asked.
    inputs = support.encode_conversations([CHAT[:3]])
    assert inputs["persona"] == [[]] and extractor.calls == []
    assert inputs["persona_input_ids"] == [tokenizer.encode("<input>", add_special_tokens=False)]
    # From the third on: the persona inferred from all seeker utterances, in PESConv's form.
    inputs = support.encode_conversations([CHAT])
    assert extractor.calls == [[SEEKER[:3]]]
    sentences = extractor([SEEKER[:3]])[0]
    assert inputs["persona"] == [sentences]
    assert inputs["persona_input_ids"] == [tokenizer.encode(pesconv_persona(sentences), add_special_tokens=False)]


def test_personas_are_cached_per_seeker_prefix(support, extractor):
    first = support(CHAT, **GREEDY)
    assert extractor.calls == [[SEEKER[:3]]]
    assert support(CHAT, **GREEDY) == first and len(extractor.calls) == 1
    support(LONGER_CHAT, **GREEDY)  # one more seeker turn: only the new prefix is inferred
    assert extractor.calls[1:] == [[SEEKER]]
    support([CHAT, LONGER_CHAT, [*CHAT, {"role": "user", "content": "Help."}]], batch_size=3, **GREEDY)
    assert extractor.calls[2:] == [[[*SEEKER[:3], "Help."]]]
    assert list(support.persona_cache) == [tuple(SEEKER[:3]), tuple(SEEKER), (*SEEKER[:3], "Help.")]
    support.persona_cache_size = 1
    support(CHAT, **GREEDY)
    assert list(support.persona_cache) == [tuple(SEEKER[:3])]


@pytest.mark.parametrize(
    "bad, options, message",
    [
        ([], {}, "The input is empty"),
        ([{"role": "robot", "content": "Hi."}], {}, "role 'robot'"),
        (CHAT[:2], {}, "ends with a supporter"),
        ([{"role": "user", "content": 3}], {}, "content of type int"),
        ([{"role": "user", "content": "Hi."}], {"strategy": "Advice"}, "Unknown strategy 'Advice'"),
        ([{"role": "user", "content": "Hi."}], {"persona": "i am a nurse."}, "not one string"),
        ([CHAT, [{"role": "user", "content": "  "}]], {}, "Conversation 1: Message 0 is empty"),
        ([CHAT, CHAT[:2]], {}, "Conversation 1: The conversation ends with a supporter"),
        ("word " * 20000, {}, r"The last message alone takes 20000 tokens, more than the model reads"),
        ((("user", "Hi."),), {}, r"Message 0 is a pair \('user', 'Hi.'\)"),
        ("I lost \ud800 my job.", {}, "invalid character at position 7"),
    ],
)
def test_bad_inputs_are_clear_errors(support, bad, options, message):
    with pytest.raises(ValueError, match=message):
        support(bad, **options)


def test_strategy_names_in_any_case(support):
    chat = [*CHAT[:1], {**CHAT[1], "strategy": "question"}, *CHAT[2:3]]
    assert support(chat, strategy="providing suggestions", **GREEDY)["strategy"] == "Providing Suggestions"


def test_extractor_requirements(tokenizer):
    joint = tiny_pal(tokenizer, fuse_persona=False)
    support = PersonaSupportPipeline(model=joint, tokenizer=tokenizer, device="cpu")
    assert support.persona_extractor is None and support(CHAT, **GREEDY)["persona"] == []

    support = PersonaSupportPipeline(model=tiny_pal(tokenizer), tokenizer=tokenizer, device="cpu")
    assert support(CHAT[:3], **GREEDY)["persona"] == []  # no persona needed before the 3rd seeker utterance
    with pytest.raises(ValueError, match="pass `persona_extractor=`.*or the seeker's `persona=`"):
        support(CHAT, **GREEDY)
    support = PersonaSupportPipeline(
        model=tiny_pal(tokenizer), tokenizer=tokenizer, device="cpu", persona_extractor="/no/such/extractor"
    )
    with pytest.raises(ValueError, match="No persona extractor could be loaded from '/no/such/extractor'"):
        support(CHAT, **GREEDY)


def test_hard_prompt_model_reads_the_persona_before_the_context(tokenizer):
    model = tiny_pal(tokenizer, fuse_persona=False, persona_in_context=True)
    support = PersonaSupportPipeline(model=model, tokenizer=tokenizer, device="cpu")
    persona = ["i am a nurse."]
    inputs = support.encode_conversations([CHAT], persona=persona)
    persona_ids = tokenizer.encode(format_persona(persona), add_special_tokens=False)
    assert inputs["input_ids"][0][: len(persona_ids)] == persona_ids and inputs["persona_input_ids"] == [None]
    assert support(CHAT, persona=persona, **GREEDY)["persona"] == persona


def test_extractor_paths_are_read_against_the_model_folder(tmp_path):
    (tmp_path / "persona-extractor").mkdir()
    (tmp_path / "pal").mkdir()
    expected = str(tmp_path / "persona-extractor")
    assert resolve_extractor("../persona-extractor", str(tmp_path / "pal")) == expected
    assert resolve_extractor(expected, str(tmp_path / "pal")) == expected
    assert resolve_extractor("user/persona-extractor", str(tmp_path / "pal")) == "user/persona-extractor"
    # a model from the Hub finds its extractor in the sibling repository, as `models/` lays them out
    assert resolve_extractor("../persona-extractor", "user/pal") == "user/persona-extractor"


def test_exported_folder_runs_the_pipeline_in_a_fresh_process(tokenizer, extractor_parts, tmp_path):
    model = tiny_pal(tokenizer)
    model.config.persona_extractor = "../persona-extractor"
    folder = save_pal(model, tokenizer, tmp_path / "pal")
    save_extractor(*extractor_parts, tmp_path / "persona-extractor")
    config = json.loads((folder / "config.json").read_text())
    assert config["persona_extractor"] == "../persona-extractor"
    assert config["custom_pipelines"]["persona-support"]["impl"] == "persona_support.PersonaSupportPipeline"
    assert (folder / "persona_support.py").is_file() and (folder / "persona_extraction.py").is_file()

    conversations = [CHAT, "Hi."]
    expected = pipeline("persona-support", model=str(folder), pipeline_class=PersonaSupportPipeline, device="cpu")(
        conversations, batch_size=2, **GREEDY
    )
    extractor = PersonaExtractionPipeline(model=extractor_parts[0], tokenizer=extractor_parts[1], device="cpu")
    assert expected[0]["persona"] == extractor([SEEKER[:3]])[0]
    script = textwrap.dedent(
        f"""
        import json, sys, torch
        from transformers import pipeline
        torch.set_num_threads(1)
        support = pipeline("persona-support", model={str(folder)!r}, trust_remote_code=True, device="cpu")
        replies = support({conversations!r}, batch_size=2, **{GREEDY!r})
        assert "modeling_pal" not in sys.modules, "the package was imported"
        assert type(support).__module__.startswith("transformers_modules."), type(support).__module__
        print(json.dumps(replies))
        """
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_MODULES_CACHE": str(tmp_path / "modules")}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    replies = json.loads(result.stdout.strip().splitlines()[-1])
    for got, want in zip(replies, expected, strict=True):
        assert got["strategy_scores"] == pytest.approx(want["strategy_scores"], abs=1e-6)
        assert {**got, "strategy_scores": None} == {**want, "strategy_scores": None}
