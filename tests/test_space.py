"""The demo Space's chat logic on tiny random models, its Blocks, its command line and its Hub files."""

import copy
import importlib.util
import re
import socket
import sys
import time
from pathlib import Path

import pytest

gr = pytest.importorskip("gradio", reason="the Space needs gradio: pip install -c constraints.txt -e '.[space]'")

from modeling_pal import PAL_STRATEGIES  # noqa: E402
from modeling_pal.persona_extraction import PersonaExtractionPipeline  # noqa: E402
from modeling_pal.safety import CRISIS_FOLLOW_UP, CRISIS_RESPONSE  # noqa: E402
from modeling_pal.training.extractor import build_extractor  # noqa: E402

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


def test_long_inputs_get_a_visible_notice(chat):
    session = {**app.new_session(), "replies": [{"text": "Hello.", "strategy": "Question"}]}
    updates = list(chat.respond("x" * 201, [], "kept", *GREEDY, session))
    assert len(updates) == 1
    (notice,) = updates
    assert "201 characters" in notice.reply and "at most 200" in notice.reply
    assert notice.note.startswith("**Message too long.**") and notice.session == session
    assert (notice.persona, notice.strategy, notice.scores) == (SKIP, SKIP, SKIP)
    (notice,) = chat.respond("Hi.", [], "i am a nurse.\n" * 100, *GREEDY, session)
    assert notice.note.startswith("**Persona too long.**") and "1400 characters" in notice.reply


def test_bad_input_and_failures_are_clear_errors(chat):
    with pytest.raises(gr.Error, match="temperature must be a number from 0.05 to 1.5, got 9"):
        list(chat.respond("Hi.", [], "", "Let PAL choose", "default", True, 9, 0.9, app.new_session()))
    with pytest.raises(gr.Error, match="PAL could not reply: Message 0 holds an invalid character"):
        list(chat.respond("Hi \ud800.", [], "", *GREEDY, app.new_session()))
    internal = app.user_error(RuntimeError("CUDA out of memory at 0x7f"))
    assert "internal error" in internal.message and "0x7f" not in internal.message


class Recorder:
    """A pipeline that keeps what each call returned."""

    def __init__(self, pipe):
        self.pipe, self.replies = pipe, []

    def __getattr__(self, name):
        return getattr(self.pipe, name)

    def __call__(self, *args, **kwargs):
        self.replies.append(self.pipe(*args, **kwargs))
        return self.replies[-1]


def test_a_closed_stream_stops_generating(pipe):
    chat = app.SupportChat(Recorder(pipe))
    saved = copy.deepcopy(pipe.model.generation_config)
    pipe.model.generation_config.update(max_new_tokens=300, min_new_tokens=300)
    try:
        stream = chat.respond("I lost my job.", [], "", *GREEDY, app.new_session())
        next(stream)
        stream.close()  # what Gradio does with a cancelled request
        deadline = time.monotonic() + 60
        while chat.active and time.monotonic() < deadline:
            time.sleep(0.05)
        assert chat.active == 0 and chat.max_active == 1
        (reply,) = chat.pipe.replies
        assert len(pipe.tokenizer.tokenize(reply["response"])) < 50  # stopped long before its 300 tokens
    finally:
        pipe.model.generation_config = saved


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


@pytest.fixture(scope="module")
def served():
    """The demo on a tiny random model with slow (150-token) replies, served on loopback: (url, its SupportChat)."""
    support = app.load_pipeline(None, tiny_random=True)
    support.model.generation_config.update(max_new_tokens=150, min_new_tokens=150)
    chat = app.SupportChat(support)
    demo = app.build_demo(support, chat=chat)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, max_file_size=app.MAX_FILE_SIZE)
    yield f"http://127.0.0.1:{port}/", chat
    demo.close()


def test_api_endpoint_replies(served):
    from gradio_client import Client

    url, _ = served
    client = Client(url, verbose=False)
    parameters = client.view_api(print_info=False, return_format="dict")["named_endpoints"]["/respond"]["parameters"]
    assert [p["parameter_name"] for p in parameters][:2] == ["message", "persona_text"]
    reply, persona, strategy, scores, note = client.predict("I lost my job.", "", *GREEDY, api_name="/respond")
    assert reply and strategy in PAL_STRATEGIES and note == ""
    assert scores["columns"] == ["strategy", "probability"]
    assert [row[0] for row in scores["data"]] == list(PAL_STRATEGIES)


def test_one_reply_generated_at_a_time_and_the_queue_is_shown(served):
    from gradio_client import Client

    url, chat = served
    client = Client(url, verbose=False)
    jobs = [client.submit(f"Message {i}.", "", *GREEDY, api_name="/respond") for i in range(4)]
    ranks = set()
    while not all(job.done() for job in jobs):
        ranks |= {job.status().rank for job in jobs if job.status().code.name == "IN_QUEUE"}
        time.sleep(0.02)
    assert all(job.result()[0] for job in jobs) and chat.max_active == 1
    assert ranks & {1, 2}  # waiting requests learn their place in the queue
    # Every event that generates (chat, retry, edit, API) is in the one concurrency group.
    demo_fns = [fn for fn in app.build_demo(chat.pipe).fns.values() if fn.concurrency_id == app.GENERATION_QUEUE]
    assert len(demo_fns) >= 2 and {fn.name for fn in demo_fns} >= {"respond", "_submit_fn"}


def test_uploads_are_capped(served):
    import httpx

    url, _ = served
    response = httpx.post(f"{url}gradio_api/upload", files={"files": ("big.txt", b"x" * 100_000)})
    assert response.status_code == 413 and "maximum allowed size" in response.text


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


def test_chat_messages_are_text_not_html():
    bot = app.TextChatbot()
    typed = "I lost my <b>job</b> &amp; more"
    shown = bot.postprocess([{"role": "user", "content": typed}])
    assert shown.root[0].content[0].text == "I lost my &lt;b&gt;job&lt;/b&gt; &amp;amp; more"
    assert bot.get_block_name() == "chatbot"
    assert bot.preprocess(shown)[0]["content"][0]["text"] == typed
