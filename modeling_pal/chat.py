"""
`pal-chat`: talk to a PAL model in the terminal. Each reply shows the support strategy PAL chose.

  pal-chat --model models/pal-esconv                   # a trained model folder
  pal-chat --tiny-random                               # a tiny random-weight model: gibberish, for smoke tests
  pal-chat --tiny-random --message "I lost my job."    # one scripted turn per --message, no prompt
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable

import torch
from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

from .bundled import tiny_random_pal
from .conversation import encode_pal_inputs, format_context, format_persona
from .modeling_pal import PalForConditionalGeneration
from .strategy_control import PalStrategyControl


def respond(
    model: PalForConditionalGeneration,
    tokenizer,
    messages: list[dict],
    persona: list[str] | None = None,
    strategy: str | None = None,
    **generate_kwargs,
) -> dict:
    """
    One supporter reply to `messages` with PAL's strategy-based control: PAL picks the strategy (or uses
    `strategy`), then writes the response. Returns `response`, `strategy` and `strategy_scores`.
    """
    config = model.config
    context = format_context(messages, config.strategy_names)
    personas = [format_persona(persona or [])] if config.fuse_persona else None
    batch, _ = encode_pal_inputs(tokenizer, [context], personas, config.max_input_length)
    control = PalStrategyControl.from_config(config, strategy=strategy)
    output = model.generate(**batch, logits_processor=[control], **generate_kwargs)
    return {
        "response": tokenizer.decode(output[0, 2:], skip_special_tokens=True).strip(),
        "strategy": control.strategies(output)[0],
        "strategy_scores": dict(zip(config.strategy_names, control.strategy_scores[0].tolist(), strict=True)),
    }


def chat(model, tokenizer, turns: Iterable[str], persona: list[str], strategy: str | None, interactive: bool) -> None:
    """Runs the conversation loop over `turns` (lines typed by the user, or scripted messages)."""
    messages: list[dict] = []
    for text in turns:
        text = text.strip()
        if text in ("/quit", "/exit"):
            break
        if text == "/reset":
            messages = []
            print("(conversation reset)")
            continue
        if not text:
            continue
        if not interactive:
            print(f"you: {text}")
        messages.append({"role": "user", "content": text})
        reply = respond(model, tokenizer, messages, persona, strategy)
        messages.append({"role": "assistant", "content": reply["response"], "strategy": reply["strategy"]})
        print(f"pal [{reply['strategy']}]: {reply['response']}", flush=True)


def prompt_lines() -> Iterable[str]:
    while True:
        try:
            yield input("you: ")
        except EOFError:
            return


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="pal-chat", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--model", help="a PAL model folder (hub-ready, loaded with trust_remote_code)")
    source.add_argument("--tiny-random", action="store_true", help="a tiny random-weight model (writes gibberish)")
    parser.add_argument("--persona", action="append", default=[], help="a persona sentence of the seeker (repeatable)")
    parser.add_argument("--strategy", help="force this strategy for every reply, e.g. 'Question'")
    parser.add_argument("--message", action="append", help="a scripted seeker message (repeatable); no prompt")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the sampling (default 0)")
    args = parser.parse_args(argv)

    if args.tiny_random:
        model, tokenizer = tiny_random_pal(seed=args.seed)
        print("Loaded a TINY RANDOM-WEIGHT PAL model: its replies are gibberish (smoke test only).")
    else:
        model = AutoModelForSeq2SeqLM.from_pretrained(args.model, trust_remote_code=True).eval()
        tokenizer = AutoTokenizer.from_pretrained(args.model, trust_remote_code=True)
    if args.strategy is not None:
        model.config.strategy_index(args.strategy)  # fail now on an unknown name, not after the first message
    torch.manual_seed(args.seed)
    interactive = args.message is None
    if interactive:
        print("Type a message; /reset starts over, /quit (or Ctrl-D) ends.", file=sys.stderr)
    chat(model, tokenizer, prompt_lines() if interactive else args.message, args.persona, args.strategy, interactive)


if __name__ == "__main__":
    main()
