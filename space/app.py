"""
The PAL demo Space: a Gradio chat over `pipeline("persona-support")`. Replies stream token by token; beside the chat
the demo shows the seeker persona PAL has inferred (editable: a correction is what the next reply reads), the support
strategy of the last reply with PAL's distribution over the eight strategies, and controls for the strategy, the α of
PAL's controllable generation and sampling. Once a message speaks of suicide or self-harm, the conversation is in
safety mode: every reply is a fixed safety message pointing to helplines, never a generated one, until the chat is
cleared (`--no-safety-check` turns the check off).

  python space/app.py                                  # the shipped model, models/pal-esconv
  python space/app.py --model path/to/pal              # any trained PAL folder or Hub id
  python space/app.py --tiny-random                    # a tiny random-weight model: gibberish, for smoke tests

It serves http://127.0.0.1:7860 (`--host`, `--port`). On a Hub Space, which runs `python app.py`, the `PAL_MODEL`
variable names the model and Gradio's `GRADIO_SERVER_NAME`/`GRADIO_SERVER_PORT` the address. This is a research demo,
not a therapist.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import html
import logging
import os
import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import gradio as gr
import pandas as pd
import torch
from gradio.components.chatbot import TextMessage
from transformers import Pipeline, StoppingCriteria, StoppingCriteriaList, TextIteratorStreamer, pipeline

from modeling_pal import tiny_random_pal
from modeling_pal.conversation import tidy_response
from modeling_pal.conversion.assemble import load_pal
from modeling_pal.persona_support import PersonaSupportPipeline

logger = logging.getLogger(__name__)

DEFAULT_MODEL = Path(__file__).resolve().parents[1] / "models" / "pal-esconv"
MAX_INPUT_CHARS = 1000
MAX_PERSONA_CHARS = 1000
CONCURRENCY = 1
QUEUE_SIZE = 32
# Nothing in the demo takes a file: uploads to the server's upload route are refused above this size.
MAX_FILE_SIZE = "1kb"
# Every event that generates a reply (the chat, retry, edit and the API endpoint) shares this one concurrency bound.
GENERATION_QUEUE = "pal-generation"
TEMPERATURE_RANGE = (0.05, 1.5)
TOP_P_RANGE = (0.05, 1.0)
LET_PAL_CHOOSE = "Let PAL choose"
# α presets of PAL's controllable generation (`strategy_alpha`), as dropdown (label, value) pairs.
ALPHA_CHOICES = [
    ("The model's own", "default"),
    ("released: 0.5 for every strategy", "released"),
    ("per-strategy: the released code's alternative", "per-strategy"),
    ("off: α = 0, no control", "off"),
]
SAFETY_LABEL = "Safety message"
SAFETY_NOTE = (
    "**Safety mode.** A message in this conversation speaks of suicide or self-harm, so PAL did not write a reply: the "
    "demo answered with a fixed message pointing to people who can help, and it will answer every message this way "
    "until the chat is cleared."
)
TINY_RANDOM_WARNING = (
    "TINY RANDOM-WEIGHT MODEL: no trained PAL model was loaded, so every reply is gibberish. Train one, or pass "
    "--model path/to/pal."
)
HEADER = """# PAL: persona-augmented emotional support

A demo of [PAL](https://arxiv.org/abs/2212.09235) (Cheng et al., Findings of ACL 2023): it infers the seeker's persona
from the conversation, picks one of eight support strategies and writes a reply.

> **This is a research demo, not a therapist or a crisis service.** Replies come from a model trained on role-played
> conversations and can be wrong or inappropriate. If you are in danger or thinking about suicide, call your local
> emergency number, call or text 988 in the US, call Samaritans on 116 123 in the UK and Ireland, or find a helpline
> at [findahelpline.com](https://findahelpline.com)."""


class ChatUpdate(NamedTuple):
    """What one step of a reply shows: the reply so far, then the side panel and the session (or `gr.skip()`)."""

    reply: str
    persona: Any
    strategy: Any
    scores: Any
    note: Any
    session: Any


def new_session() -> dict[str, Any]:
    """
    A session's state: the replies the demo sent (`{"text", "strategy"}`, in order; a safety message has strategy
    `None`), the persona text the demo last showed, whether the user's own persona replaces the inferred one, and the
    safety state (`None`, or a line saying which message put the conversation in safety mode).
    """
    return {"replies": [], "persona_shown": "", "persona_pinned": False, "safety": None}


def message_text(content: str | Sequence[Mapping[str, Any]]) -> str:
    """The text of a chat message's content: a string, or Gradio's list of `{"type": "text", "text"}` parts."""
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") for part in content if part.get("type", "text") == "text")


def persona_sentences(text: str) -> list[str]:
    """The persona sentences of the persona box: one per non-empty line."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def strategy_frame(scores: Mapping[str, float]) -> pd.DataFrame:
    """The bar chart's data: one row per strategy with its probability."""
    return pd.DataFrame({"strategy": list(scores), "probability": [float(p) for p in scores.values()]})


def pal_conversation(
    history: Sequence[Mapping[str, Any]], replies: Sequence[Mapping[str, str]]
) -> tuple[list[dict[str, str]], int]:
    """
    The conversation PAL reads from the chat history, and how many of `replies` it still holds (fewer after an undo or
    a retry). Supporter turns are the demo's replies, with their strategy; safety messages stay, with the message they
    answer, so a conversation in safety mode stays in it; a notice (the length limit) is left out together with the
    message it answers, and so are empty messages.
    """
    messages: list[dict[str, str]] = []
    kept = 0
    for item in history:
        text = message_text(item["content"])
        if item["role"] == "user":
            if text.strip():
                messages.append({"role": "user", "content": text})
        elif kept < len(replies) and replies[kept]["text"] == text:
            if text.strip():
                strategy = replies[kept].get("strategy")
                messages.append({"role": "assistant", "content": text, "strategy": strategy})
            kept += 1
        elif messages and messages[-1]["role"] == "user":
            messages.pop()
    return messages, kept


class TextChatbot(gr.Chatbot):
    """
    A `gr.Chatbot` that shows messages as the text they are: escaped on the way to the page, where the Chatbot would
    render HTML, and unescaped on the way back, so the chat logic reads what was typed.
    """

    is_template = True  # the page draws it with the Chatbot's own frontend

    def _postprocess_content(self, chat_message):
        message = super()._postprocess_content(chat_message)
        if isinstance(message, TextMessage):
            message.text = html.escape(message.text, quote=False)
        return message

    def _preprocess_content(self, chat_message):
        content = super()._preprocess_content(chat_message)
        if content.get("type") == "text":
            content["text"] = html.unescape(content["text"])
        return content


class StopWhenSet(StoppingCriteria):
    """Stops a `generate` call once `event` is set (the reader of its stream has gone)."""

    def __init__(self, event: threading.Event):
        self.event = event

    def __call__(self, input_ids, scores, **kwargs):
        return torch.full((input_ids.shape[0],), self.event.is_set(), dtype=torch.bool, device=input_ids.device)


class SupportChat:
    """
    The demo's chat logic, free of any UI: `respond` streams PAL's reply to a message and updates the side panel.

    Args:
        pipe: a persona-support pipeline; every call runs its safety check (unless the pipeline's is off).
        max_input_chars: longer messages are not read; the chat says so.
        max_persona_chars: a longer persona box is not read; the chat says so.

    `active` is the number of replies being generated now, `max_active` the most there have been at once.
    """

    def __init__(
        self,
        pipe: PersonaSupportPipeline,
        max_input_chars: int = MAX_INPUT_CHARS,
        max_persona_chars: int = MAX_PERSONA_CHARS,
    ):
        self.pipe = pipe
        self.max_input_chars = max_input_chars
        self.max_persona_chars = max_persona_chars
        self.strategy_names = list(pipe.model.config.strategy_names)
        # Without an extractor, PAL reads only what the persona box says.
        self.infers_persona = pipe.needs_persona and pipe.persona_extractor is not None
        self.active = 0
        self.max_active = 0
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def generating(self) -> Iterator[None]:
        """Counts one reply being generated while the block runs."""
        with self._lock:
            self.active += 1
            self.max_active = max(self.max_active, self.active)
        try:
            yield
        finally:
            with self._lock:
                self.active -= 1

    def input_notice(self, message: str, persona_text: str) -> tuple[str, str] | None:
        """`(title, text)` of the notice an input too long to read gets, or `None`."""
        if len(message) > self.max_input_chars:
            return "Message too long.", (
                f"Your message has {len(message)} characters; this demo reads at most {self.max_input_chars}. "
                "Please shorten it and send it again."
            )
        if len(persona_text) > self.max_persona_chars:
            return "Persona too long.", (
                f"The persona box has {len(persona_text)} characters; this demo reads at most "
                f"{self.max_persona_chars}. Please shorten it and send your message again."
            )
        return None

    def persona_for_turn(self, persona_text: str, session: Mapping[str, Any]) -> list[str] | None:
        """The persona the next reply reads: the box's sentences once the user has edited it, else `None` (infer)."""
        edited = persona_text.strip() != session["persona_shown"]
        if session["persona_pinned"] or edited or not self.infers_persona:
            return persona_sentences(persona_text)
        return None

    def generation_options(
        self, strategy: str, alpha: str, do_sample: bool, temperature: float, top_p: float
    ) -> dict[str, Any]:
        """The pipeline options of the controls (out-of-range values, which only the API can send, are refused)."""
        ranges = (("temperature", temperature, TEMPERATURE_RANGE), ("top_p", top_p, TOP_P_RANGE))
        for name, value, (low, high) in ranges:
            if not isinstance(value, (int, float)) or not low <= value <= high:
                raise gr.Error(f"{name} must be a number from {low} to {high}, got {value!r}.")
        options: dict[str, Any] = {"do_sample": bool(do_sample)}
        if do_sample:
            options.update(temperature=float(temperature), top_p=float(top_p))
        if strategy and strategy != LET_PAL_CHOOSE:
            options["strategy"] = strategy
        if alpha and alpha != "default":
            options["alpha"] = alpha
        return options

    def respond(
        self,
        message: str,
        history: list[dict[str, Any]],
        persona_text: str,
        strategy: str,
        alpha: str,
        do_sample: bool,
        temperature: float,
        top_p: float,
        session: dict[str, Any] | None,
    ) -> Iterator[ChatUpdate]:
        """
        Streams the reply to `message`: the text so far at each new token, then the final reply with the persona it
        read, its strategy, PAL's strategy distribution, a note (the safety message's, or empty) and the session.
        Closing the stream early (a cancelled request) stops the generation.
        """
        session = session or new_session()
        persona_text = persona_text or ""
        notice = self.input_notice(message, persona_text)
        if notice:
            title, text = notice
            yield ChatUpdate(text, gr.skip(), gr.skip(), gr.skip(), f"**{title}** {text}", session)
            return
        conversation, kept = pal_conversation(history, session["replies"])
        session = {**session, "replies": session["replies"][:kept]}
        conversation.append({"role": "user", "content": message})
        persona = self.persona_for_turn(persona_text, session)
        options = self.generation_options(strategy, alpha, do_sample, temperature, top_p)

        streamer = TextIteratorStreamer(self.pipe.tokenizer, skip_prompt=True, skip_special_tokens=True)
        stop = threading.Event()
        result: dict[str, Any] = {}

        def run() -> None:
            with self.generating():
                try:
                    result["reply"] = self.pipe(
                        conversation,
                        persona=persona,
                        streamer=streamer,
                        stopping_criteria=StoppingCriteriaList([StopWhenSet(stop)]),
                        **options,
                    )
                except Exception as error:  # shown in the UI once the stream ends
                    result["error"] = error
                    streamer.end()

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        text = ""
        try:
            for piece in streamer:
                text += piece
                if text.strip():
                    yield ChatUpdate(tidy_response(text), gr.skip(), gr.skip(), gr.skip(), gr.skip(), gr.skip())
        finally:
            stop.set()  # if the stream was closed early, the generation stops at its next token
        thread.join()
        if "error" in result:
            raise user_error(result["error"])
        reply = result["reply"]
        if reply["safety"]:
            state = self.pipe.safety_state(conversation)
            session = {
                **session,
                "replies": [*session["replies"], {"text": reply["response"], "strategy": None}],
                "safety": state.describe(),
            }
            note = f"{SAFETY_NOTE}\n\n_{state.describe()}_" if state.flagged else SAFETY_NOTE
            yield ChatUpdate(reply["response"], gr.skip(), SAFETY_LABEL, gr.skip(), note, session)
            return
        shown = reply["response"] or "…"
        persona_shown = "\n".join(reply["persona"])
        session = {
            "replies": [*session["replies"], {"text": shown, "strategy": reply["strategy"]}],
            "persona_shown": persona_shown,
            "persona_pinned": persona is not None and self.infers_persona,
            "safety": None,
        }
        scores = strategy_frame(reply["strategy_scores"])
        yield ChatUpdate(shown, persona_shown, reply["strategy"], scores, "", session)


def user_error(error: Exception) -> gr.Error:
    """What the page shows for a failed reply: the pipeline's own words for bad input, no internals otherwise."""
    if isinstance(error, ValueError):
        return gr.Error(f"PAL could not reply: {error}")
    logger.error("PAL could not reply", exc_info=error)
    return gr.Error("PAL could not reply because of an internal error; the server log has the details.")


def infer_again(session: dict[str, Any] | None, persona_text: str) -> dict[str, Any]:
    """Hands the persona back to PAL: the next reply infers it again instead of reading the box."""
    return {**(session or new_session()), "persona_shown": (persona_text or "").strip(), "persona_pinned": False}


def build_demo(
    pipe: PersonaSupportPipeline,
    max_input_chars: int = MAX_INPUT_CHARS,
    concurrency: int = CONCURRENCY,
    warning: str | None = None,
    chat: SupportChat | None = None,
) -> gr.Blocks:
    """
    The demo's Blocks over `pipe` (or over `chat`, a `SupportChat` of it), queued: at most `concurrency` replies are
    generated at once, whichever page or API call asks for them, and the others wait in line, seeing their place.
    `warning` is shown above the chat (e.g. that the model has random weights).
    """
    chat = chat or SupportChat(pipe, max_input_chars)
    max_input_chars = chat.max_input_chars
    config = pipe.model.generation_config
    if not pipe.needs_persona:
        persona_info = "This model reads no persona."
    elif chat.infers_persona:
        persona_info = "Inferred from the seeker's 3rd message on. Edit it to correct it: the next reply reads yours."
    else:
        persona_info = "No persona extractor is loaded: PAL reads the sentences you write here."
    with gr.Blocks(title="PAL emotional support (research demo)", analytics_enabled=False) as demo:
        gr.Markdown(HEADER)
        if warning:
            gr.Markdown(f"> **⚠️ {warning}**", elem_id="warning")
        with gr.Row():
            chat_column = gr.Column(scale=3)
            with gr.Column(scale=2):
                persona = gr.Textbox(
                    label="Seeker persona (one sentence per line)",
                    info=persona_info,
                    lines=3,
                    max_length=chat.max_persona_chars,
                    elem_id="persona",
                )
                infer_button = gr.Button("Let PAL infer the persona again", size="sm")
                strategy_label = gr.Label(label="Strategy of the last reply", elem_id="strategy")
                note = gr.Markdown(elem_id="note")
                scores = gr.BarPlot(
                    x="strategy",
                    y="probability",
                    label="PAL's strategy distribution",
                    y_lim=[0, 1],
                    x_label_angle=-30,
                    sort=chat.strategy_names,
                    height=280,
                    elem_id="scores",
                )
                with gr.Accordion("Controls", open=True):
                    strategy = gr.Dropdown(
                        [LET_PAL_CHOOSE, *chat.strategy_names], value=LET_PAL_CHOOSE, label="Strategy"
                    )
                    alpha = gr.Dropdown(ALPHA_CHOICES, value="default", label="α of the strategy control")
                    do_sample = gr.Checkbox(value=bool(config.do_sample), label="Sample (off: greedy)")
                    temperature = gr.Slider(
                        *TEMPERATURE_RANGE, value=config.temperature or 1.0, step=0.05, label="Temperature"
                    )
                    top_p = gr.Slider(*TOP_P_RANGE, value=config.top_p or 1.0, step=0.05, label="Top-p")
                session = gr.State(new_session())
        @functools.wraps(chat.respond)  # the API page shows `respond`'s parameters
        def respond(*inputs) -> Iterator[ChatUpdate]:
            # The chart's data goes out as the plot's JSON payload: the API endpoint sends values as they are.
            for update in chat.respond(*inputs):
                if isinstance(update.scores, pd.DataFrame):
                    update = update._replace(scores=scores.postprocess(update.scores).model_dump())
                yield update

        with chat_column:
            gr.ChatInterface(
                respond,
                # Messages are shown as the text they are, never rendered as Markdown or HTML.
                chatbot=TextChatbot(label="PAL", elem_id="chat", height=520, render_markdown=False),
                textbox=gr.Textbox(
                    placeholder=f"Tell PAL what is on your mind (up to {max_input_chars} characters)",
                    max_length=max_input_chars,
                    elem_id="message",
                    submit_btn=True,
                    stop_btn=True,
                ),
                additional_inputs=[persona, strategy, alpha, do_sample, temperature, top_p, session],
                additional_outputs=[persona, strategy_label, scores, note, session],
                show_progress="full",  # a waiting request sees its place in the queue
                fill_height=False,
                analytics_enabled=False,
            )
        infer_button.click(infer_again, [session, persona], [session])
    for block_fn in demo.fns.values():
        if getattr(block_fn.fn, "__wrapped__", None) is respond:
            block_fn.concurrency_id = GENERATION_QUEUE
    return demo.queue(default_concurrency_limit=concurrency, max_size=QUEUE_SIZE)


def load_pipeline(
    model: str | None,
    tiny_random: bool,
    persona_extractor: str | Pipeline | None = None,
    adapter: str | None = None,
    safety_check: bool | str = True,
) -> PersonaSupportPipeline:
    """
    The persona-support pipeline of a PAL folder or Hub id (or of a tiny random-weight model), with its safety check
    on (`safety_check=False` turns it off, `"rules"` runs the rule layer alone). `persona_extractor` is an extractor
    folder or pipeline (default: the one the model's config names).
    """
    pal, tokenizer = tiny_random_pal() if tiny_random else load_pal(model)
    return pipeline(
        "persona-support",
        model=pal,
        tokenizer=tokenizer,
        persona_extractor=persona_extractor,
        adapter=adapter,
        safety_check=safety_check,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="space/app.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--model",
        default=os.environ.get("PAL_MODEL"),
        help="a PAL model folder or Hub id (default: $PAL_MODEL, else the shipped models/pal-esconv)",
    )
    source.add_argument("--tiny-random", action="store_true", help="a tiny random-weight model (writes gibberish)")
    parser.add_argument("--persona-extractor", help="a persona extractor folder (default: the one the model names)")
    parser.add_argument("--adapter", help="a LoRA adapter folder (pal-train --lora) to load onto the model")
    parser.add_argument(
        "--no-safety-check",
        action="store_true",
        help="turn the safety check off (on by default: a conversation about suicide or self-harm gets the fixed "
        "crisis message for every reply until the chat is cleared)",
    )
    parser.add_argument(
        "--host",
        default=os.environ.get("GRADIO_SERVER_NAME", "127.0.0.1"),
        help="the address to serve on (default: $GRADIO_SERVER_NAME, which Spaces set, else 127.0.0.1)",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("GRADIO_SERVER_PORT", "7860")),
        help="the port to serve on (default: $GRADIO_SERVER_PORT, else 7860)",
    )
    parser.add_argument(
        "--max-input-chars", type=int, default=MAX_INPUT_CHARS, help=f"longest message read (default {MAX_INPUT_CHARS})"
    )
    parser.add_argument(
        "--concurrency", type=int, default=CONCURRENCY, help=f"replies generated at once (default {CONCURRENCY})"
    )
    args = parser.parse_args(argv)
    if not args.tiny_random and args.model is None:
        if not DEFAULT_MODEL.is_dir():
            parser.error(
                f"No model at {DEFAULT_MODEL}: pass --model path/to/pal (a trained PAL folder), or --tiny-random for a "
                "random-weight model that writes gibberish."
            )
        args.model = str(DEFAULT_MODEL)
    warning = None
    if args.tiny_random:
        warning = TINY_RANDOM_WARNING
        print(f"WARNING: {warning}", flush=True)
    pipe = load_pipeline(args.model, args.tiny_random, args.persona_extractor, args.adapter, not args.no_safety_check)
    demo = build_demo(pipe, args.max_input_chars, args.concurrency, warning)
    demo.launch(server_name=args.host, server_port=args.port, max_file_size=MAX_FILE_SIZE, footer_links=[])


if __name__ == "__main__":
    main()
