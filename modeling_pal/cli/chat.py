"""
`pal-chat`: talk to a PAL model in the terminal. Each reply shows the support strategy PAL chose.

  pal-chat --model models/pal-esconv                   # a trained model folder
  pal-chat --tiny-random                               # a tiny random-weight model: gibberish, for smoke tests
  pal-chat --tiny-random --message "I lost my job."    # one scripted turn per --message, no prompt
  pal-chat --model DIR --independent --message "..." --message "..."   # each message opens its own conversation

From the seeker's 3rd message on, PAL reads their persona, inferred by the persona extractor that the model's config
names (`persona_extractor`) or `--persona-extractor`; `--persona` gives it instead.

Safety check (on by default): once a seeker message of the conversation speaks of suicide or self-harm, the
conversation is in safety mode until /reset: every reply is the fixed crisis message pointing to helplines (a
shorter follow-up after the first), and the chat says so. `--safety-rules-only` runs the rule layer alone (without
the MiniLM semantic layer); `--no-safety-check` turns the check off.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable

import torch
from transformers import pipeline

from modeling_pal.bundled import tiny_random_pal
from modeling_pal.conversion.assemble import load_pal
from modeling_pal.persona_support import PersonaSupportPipeline

SAFETY_LABEL = "Safety message"


def chat(
    support: PersonaSupportPipeline, turns: Iterable[str], interactive: bool, independent: bool = False, **options
) -> None:
    """
    Runs the conversation loop over `turns` (lines typed by the user, or scripted messages); with `independent`, each
    turn opens a new conversation.
    """
    messages: list[dict] = []
    persona: list[str] = []
    for text in turns:
        text = text.strip()
        if text in ("/quit", "/exit"):
            break
        if text == "/reset" or independent:
            messages, persona = [], []
        if text == "/reset":
            print("(conversation reset)")
            continue
        if not text:
            continue
        if not interactive:
            print(f"you: {text}")
        messages.append({"role": "user", "content": text})
        reply = support(messages, **options)
        if reply["safety"]:
            print(f"({support.safety_state(messages).describe()})")
        # A safety reply stays in the history: the conversation stays in safety mode until /reset.
        messages.append({"role": "assistant", "content": reply["response"], "strategy": reply["strategy"]})
        if reply["persona"] != persona and not reply["safety"]:
            persona = reply["persona"]
            print(f"(persona: {' | '.join(persona) or 'none inferred'})")
        label = SAFETY_LABEL if reply["safety"] else reply["strategy"]
        print(f"pal [{label}]: {reply['response']}", flush=True)


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
    source.add_argument(
        "--model", help="a PAL model folder (hub-ready), or a shipped PAL adapter folder (assembled once)"
    )
    source.add_argument("--tiny-random", action="store_true", help="a tiny random-weight model (writes gibberish)")
    parser.add_argument("--persona", action="append", default=[], help="a persona sentence of the seeker (repeatable)")
    parser.add_argument(
        "--persona-extractor", help="a persona extractor folder (default: the one the model's config names)"
    )
    parser.add_argument("--strategy", help="force this strategy for every reply, e.g. 'Question'")
    parser.add_argument("--message", action="append", help="a scripted seeker message (repeatable); no prompt")
    parser.add_argument("--independent", action="store_true", help="each --message opens a new conversation")
    parser.add_argument(
        "--seed", type=int, help="random seed of the sampling, for a reproducible session (default: a fresh one)"
    )
    safety = parser.add_mutually_exclusive_group()
    safety.add_argument(
        "--no-safety-check",
        action="store_true",
        help="turn the safety check off (on by default: a conversation about suicide or self-harm gets the fixed "
        "crisis message for every reply until /reset)",
    )
    safety.add_argument(
        "--safety-rules-only",
        action="store_true",
        help="run the safety check's rule layer alone, without the MiniLM semantic layer (less recall)",
    )
    args = parser.parse_args(argv)
    if args.independent and args.message is None:
        parser.error("--independent needs scripted --message turns")

    if args.tiny_random:
        model, tokenizer = tiny_random_pal()
        print("Loaded a TINY RANDOM-WEIGHT PAL model: its replies are gibberish (smoke test only).")
    else:
        model, tokenizer = load_pal(args.model)
    # An unknown --strategy or a malformed --persona fails here, not after the first message.
    support = pipeline(
        "persona-support",
        model=model,
        tokenizer=tokenizer,
        persona_extractor=args.persona_extractor,
        persona=args.persona or None,
        strategy=args.strategy,
        safety_check=False if args.no_safety_check else "rules" if args.safety_rules_only else True,
    )
    options = {}
    if support.needs_persona and not args.persona and support.persona_extractor is None:
        print("No persona extractor: PAL reads no persona (give --persona or --persona-extractor).")
        options["persona"] = []
    if args.seed is not None:
        torch.manual_seed(args.seed)
    else:
        torch.seed()  # every session samples its own replies
    interactive = args.message is None
    if interactive:
        print("Type a message; /reset starts over, /quit (or Ctrl-D) ends.", file=sys.stderr)
    if not support.safety_check:
        print("SAFETY CHECK OFF (--no-safety-check): messages about suicide or self-harm get generated replies.")
    chat(support, prompt_lines() if interactive else args.message, interactive, args.independent, **options)


if __name__ == "__main__":
    main()
