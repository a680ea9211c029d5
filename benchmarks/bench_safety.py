"""
Latency of the crisis detector (`modeling_pal.safety.crisis_check`) per message, on the labelled set's messages,
with the MiniLM encoder already loaded; and of `assess_conversation` per conversation, growing one message at a time
as a chat calls it (its per-text cache keeps earlier messages).

  python benchmarks/bench_safety.py                  # both layers, then the rule layer alone
  python benchmarks/bench_safety.py --repeats 3      # each message measured 3 times, cache cleared in between
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import torch

from modeling_pal import safety
from modeling_pal.evaluation.safety_eval import load_set


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def measure(texts: list[str], rules_only: bool, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        safety.SEMANTIC.cache.clear()
        for text in texts:
            start = time.perf_counter()
            safety.crisis_check(text, rules_only=rules_only)
            times.append((time.perf_counter() - start) * 1000)
    return times


def measure_chats(conversations: list[list[dict]], repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        safety.SEMANTIC.cache.clear()
        for messages in conversations:
            for end in range(1, len(messages) + 1):
                if messages[end - 1]["role"] != "user":
                    continue
                start = time.perf_counter()
                safety.assess_conversation(messages[:end])
                times.append((time.perf_counter() - start) * 1000)
    return times


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", default="all", choices=("tune", "heldout", "all"), help="messages to time (all)")
    parser.add_argument("--repeats", type=int, default=1, help="passes over the messages (default 1)")
    args = parser.parse_args(argv)
    messages, conversations = load_set(args.split)
    texts = [m["text"] for m in messages]
    load = time.perf_counter()
    safety.SEMANTIC.encoder()
    load_s = time.perf_counter() - load
    safety.crisis_check("warm up")
    cores = os.cpu_count()
    busy = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"{len(texts)} messages, {len(conversations)} conversations; {cores} CPU cores, load average {busy:.1f}; "
        f"encoder threads {safety.SEMANTIC.threads}, torch threads {torch.get_num_threads()}; "
        f"MiniLM load {load_s:.1f} s"
    )
    print("| layers | median ms | p95 ms | max ms |")
    print("|---|---|---|---|")
    for name, values in (
        ("rules + semantic, per message", measure(texts, False, args.repeats)),
        ("rules only, per message", measure(texts, True, args.repeats)),
        ("assess_conversation, per chat turn", measure_chats([c["messages"] for c in conversations], args.repeats)),
    ):
        print(f"| {name} | {statistics.median(values):.1f} | {percentile(values, 0.95):.1f} | {max(values):.1f} |")


if __name__ == "__main__":
    main()
