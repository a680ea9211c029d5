"""The demo Space's chat logic on tiny random models, its Blocks, its command line and its Hub files."""

import importlib.util
import re
import sys
from pathlib import Path

import pytest

gr = pytest.importorskip("gradio", reason="the Space needs gradio: pip install -c constraints.txt -e '.[space]'")

from modeling_pal.extractor_cli import build_extractor  # noqa: E402
from modeling_pal.persona_extraction import PersonaExtractionPipeline  # noqa: E402
from modeling_pal.safety import CRISIS_FOLLOW_UP, CRISIS_RESPONSE  # noqa: E402

ROOT = Path(__file__).parents[1]
SKIP = gr.skip()
GREEDY = ("Let PAL choose", "default", False, 0.5, 0.9)  # strategy, alpha, do_sample, temperature, top_p
SEEKER = ["I lost my job last week.", "My wife is a nurse.", "We have two kids and a dog.", "I am scared."]


def load_space_module(name: str):
    spec = importlib.util.spec_from_file_location(f"space_{name}", ROOT / "space" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


app = load_space_module("app")
readme = load_space_module("readme")


@pytest.fixture(scope="module")
def pipe():
    return app.load_pipeline(None, tiny_random=True)


@pytest.fixture
def chat(pipe):
    return app.SupportChat(pipe, max_input_chars=200)


@pytest.fixture(scope="module")
def chat_with_extractor():
    model, tokenizer = build_extractor(tiny_random=True, seed=0)
    model.generation_config.update(num_beams=2, max_new_tokens=9)
    extractor = PersonaExtractionPipeline(model=model.eval(), tokenizer=tokenizer, device="cpu")
    support = app.load_pipeline(None, tiny_random=True, persona_extractor=extractor)
    return app.SupportChat(support)


def send(chat, message, history, session, persona_text="", options=GREEDY):
    """One turn as the ChatInterface runs it: every update, and the history and session that follow."""
    updates = list(chat.respond(message, history, persona_text, *options, session))
    final = updates[-1]
    history = [*history, {"role": "user", "content": message}, {"role": "assistant", "content": final.reply}]
    return updates, history, final.session


def test_respond_streams_the_reply(chat, pipe):
    updates, history, session = send(chat, "I lost my job.", [], app.new_session())
    *streamed, final = updates
    assert len(streamed) >= 2 and all(u.reply and u[1:] == (SKIP,) * 5 for u in streamed)
    expected = pipe("I lost my job.", persona=[], do_sample=False)
    assert final.reply == expected["response"] and final.strategy == expected["strategy"]
    assert final.persona == "" and final.note == ""
    assert session["replies"] == [{"text": final.reply, "strategy": final.strategy}]
    # The next turn reads the first reply as a supporter turn with its strategy.
    conversation, kept = app.pal_conversation(history, session["replies"])
    assert kept == 1 and conversation[1] == {"role": "assistant", "content": final.reply, "strategy": final.strategy}


def test_bar_chart_has_the_eight_strategies(chat, pipe):
    *_, final = chat.respond("I feel stuck.", [], "", *GREEDY, app.new_session())
    frame = final.scores
    assert list(frame.columns) == ["strategy", "probability"]
    assert list(frame.strategy) == pipe.model.config.strategy_names and len(frame) == 8
    assert frame.probability.sum() == pytest.approx(1, abs=1e-4) and (frame.probability >= 0).all()
    assert final.strategy == frame.strategy[frame.probability.idxmax()]


def test_strategy_override_is_honoured(chat):
    for strategy in ("Information", "Self-disclosure"):
        *_, final = chat.respond("I lost my job.", [], "", strategy, "off", True, 0.7, 0.9, app.new_session())
        assert final.strategy == strategy and final.session["replies"][0]["strategy"] == strategy
    assert chat.generation_options("Question", "per-strategy", True, 0.7, 0.8) == {
        "do_sample": True,
        "temperature": 0.7,
        "top_p": 0.8,
        "strategy": "Question",
        "alpha": "per-strategy",
    }
    assert chat.generation_options(app.LET_PAL_CHOOSE, "default", False, 0.7, 0.8) == {"do_sample": False}


def test_typed_persona_is_read_without_an_extractor(chat):
    assert not chat.infers_persona
    *_, final = chat.respond("I lost my job.", [], "I am a nurse.\n\n I have two kids. ", *GREEDY, app.new_session())
    assert final.persona == "I am a nurse.\nI have two kids."


def test_persona_edit_is_honoured(chat_with_extractor):
    chat, session, history = chat_with_extractor, app.new_session(), []
    for message in SEEKER[:3]:
        _, history, session = send(chat, message, history, session, session["persona_shown"])
    inferred = session["persona_shown"]
    assert session["persona_pinned"] is False
    assert inferred.splitlines() == chat.pipe.infer_personas([[{"role": "user", "content": s} for s in SEEKER[:3]]])[0]

    edited = "i am a teacher.\ni have a dog."
    updates, history, session = send(chat, SEEKER[3], history, session, edited)
    assert updates[-1].persona == edited and session["persona_pinned"] is True
    # The correction stays in force while the box keeps it, until PAL is asked to infer again.
    updates, history, session = send(chat, "Thanks.", history, session, edited)
    assert updates[-1].persona == edited
    session = app.infer_again(session, edited)
    updates, history, session = send(chat, "Bye.", history, session, edited)
    assert updates[-1].persona != edited and session["persona_pinned"] is False


def test_long_messages_get_a_visible_notice(chat):
    session = {**app.new_session(), "replies": [{"text": "Hello.", "strategy": "Question"}]}
    updates = list(chat.respond("x" * 201, [], "kept", *GREEDY, session))
    assert len(updates) == 1
    (notice,) = updates
    assert "201 characters" in notice.reply and "at most 200" in notice.reply
    assert notice.note.startswith("**Message too long.**") and notice.session == session
    assert (notice.persona, notice.strategy, notice.scores) == (SKIP, SKIP, SKIP)


def test_crisis_message_puts_the_conversation_in_safety_mode(chat):
    _, history, session = send(chat, "I lost my job.", [], app.new_session())
    updates, history, session = send(chat, "I just want to die.", history, session)
    final = updates[-1]
    assert final.reply == CRISIS_RESPONSE and final.strategy == app.SAFETY_LABEL == "Safety message"
    assert final.note.startswith(app.SAFETY_NOTE) and "Safety mode" in final.note and "SAFETY MODE" in final.note
    assert (final.persona, final.scores) == (SKIP, SKIP)
    assert session["replies"][-1] == {"text": CRISIS_RESPONSE, "strategy": None} and session["safety"]
    # The flagged exchange stays in the context: every later reply is the safety follow-up, however harmless.
    conversation, kept = app.pal_conversation([*history, {"role": "user", "content": "Ok."}], session["replies"])
    assert kept == 2 and [m["content"] for m in conversation][2:] == ["I just want to die.", CRISIS_RESPONSE, "Ok."]
    updates, history, session = send(chat, "Ok.", history, session)
    assert updates[-1].reply == CRISIS_FOLLOW_UP and updates[-1].strategy == app.SAFETY_LABEL
    # A new chat starts afresh.
    updates, _, session = send(chat, "Ok.", [], app.new_session())
    assert updates[-1].strategy != app.SAFETY_LABEL and session["safety"] is None


def test_safety_check_can_be_turned_off(pipe):
    unchecked = app.SupportChat(app.load_pipeline(None, tiny_random=True, safety_check=False))
    updates, _, session = send(unchecked, "I just want to die.", [], app.new_session())
    assert updates[-1].strategy != app.SAFETY_LABEL and updates[-1].reply != CRISIS_RESPONSE


def test_conversation_from_gradio_history():
    replies = [{"text": "How are you?", "strategy": "Question"}, {"text": "I see.", "strategy": "Others"}]
    history = [
        {"role": "user", "content": [{"type": "text", "text": "Hi."}]},
        {"role": "assistant", "content": [{"type": "text", "text": "How are you?"}]},
        {"role": "user", "content": "x" * 50},
        {"role": "assistant", "content": "Your message has 50 characters; ..."},
        {"role": "user", "content": "Sad."},
    ]
    conversation, kept = app.pal_conversation(history, replies)
    assert kept == 1  # the second reply was undone
    assert conversation == [
        {"role": "user", "content": "Hi."},
        {"role": "assistant", "content": "How are you?", "strategy": "Question"},
        {"role": "user", "content": "Sad."},
    ]


def test_build_demo(pipe):
    demo = app.build_demo(pipe, max_input_chars=300, concurrency=2, warning=app.TINY_RANDOM_WARNING)
    assert isinstance(demo, gr.Blocks)
    assert demo._queue.default_concurrency_limit == 2 and demo._queue.max_size == app.QUEUE_SIZE
    components = demo.get_config_file()["components"]
    elem_ids = {c["props"].get("elem_id") for c in components}
    assert {"chat", "message", "persona", "strategy", "scores", "note", "warning"} <= elem_ids
    text = " ".join(str(value) for c in components for value in c["props"].values())
    assert "research demo, not a therapist" in text and "TINY RANDOM-WEIGHT" in text and "up to 300 characters" in text


def test_command_line(capsys, monkeypatch, tmp_path):
    with pytest.raises(SystemExit) as exit_info:
        app.main(["--help"])
    out = capsys.readouterr().out
    flags = ("--tiny-random", "--max-input-chars", "--port", "--no-safety-check")
    assert exit_info.value.code == 0 and all(flag in out for flag in flags)
    monkeypatch.delenv("PAL_MODEL", raising=False)
    monkeypatch.setattr(app, "DEFAULT_MODEL", tmp_path / "pal-esconv")
    with pytest.raises(SystemExit) as exit_info:
        app.main([])
    assert exit_info.value.code == 2 and re.search(r"pass --model .* or --tiny-random", capsys.readouterr().err)


def test_space_readme_is_the_generated_card():
    assert (ROOT / "space" / "README.md").read_text(encoding="utf-8") == readme.space_readme()


def test_space_requirements_are_pinned_to_the_tested_versions():
    lines = [line for line in (ROOT / "space" / "requirements.txt").read_text().splitlines() if line[:1] not in "#-"]
    pins = dict(line.split("==") for line in lines)
    assert all(pins.values()) and pins["torch"].endswith("+cpu")
    constraints = dict(line.split("==") for line in (ROOT / "constraints.txt").read_text().splitlines() if "==" in line)
    for name, version in pins.items():
        assert constraints[name] == version.removesuffix("+cpu"), name
    assert constraints["gradio"] == readme.space_card(["m"]).data.sdk_version
