"""
Speed of PAL's strategy-based controllable generation, side by side in one run on one model:

  (a) plain   persona-model generation, no control (`use_strategy_control=False`)
  (b) naive   the two-pass reference: the persona-free decoder re-reads the whole prefix at every step (no cache)
  (c) ours    `PalForConditionalGeneration.generate()`: both passes in one batched decoder call with one cache

Each setting decodes exactly `--new-tokens` tokens (end-of-sequence is held back), so all three do the same work.
Prints the median latency and tokens/s of each, and the ratios c/a and b/c.
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch
from tqdm import tqdm
from transformers import LogitsProcessor
from transformers.modeling_outputs import BaseModelOutput

from logits_processors.strategy_control import PalStrategyControl
from modeling_pal import PalForConditionalGeneration, encode_pal_inputs, format_persona, load_pal_tokenizer
from modeling_pal.bundled import tiny_pal_config
from modeling_pal.training.train import RANDOM_SIZES


class NaiveTwoPass(LogitsProcessor):
    """The reference: recomputes the persona-free logits over the full prefix each step and mixes them in."""

    def __init__(self, model: PalForConditionalGeneration, batch, expand: int, num_beams: int):
        with torch.no_grad():
            states = model.get_encoder()(**batch).context_hidden_state
        self.model = model
        self.plain = BaseModelOutput(last_hidden_state=states.repeat_interleave(expand, dim=0))
        self.mask = batch["attention_mask"].repeat_interleave(expand, dim=0)
        self.control = PalStrategyControl.from_config(model.config)
        self.control.log_prob_scores = num_beams > 1

    def __call__(self, input_ids, scores):
        with torch.no_grad():
            plain = self.model(
                encoder_outputs=self.plain, attention_mask=self.mask, decoder_input_ids=input_ids, use_cache=False
            ).logits[:, -1:]
        self.control.receive_plain_logits(plain, input_ids.shape[1])
        return self.control(input_ids, scores)


def make_batch(tokenizer, batch_size: int, context_tokens: int):
    words = "i have been feeling really down since i lost my job and i do not know how to tell my family".split()
    text = " ".join(words[i % len(words)] for i in range(context_tokens))
    contexts = [f"Persona:{text}</s> <s>System:"] * batch_size
    personas = [format_persona(["i am a nurse.", "i have two kids.", "i live alone."])] * batch_size
    batch, _ = encode_pal_inputs(tokenizer, contexts, personas)
    return batch


def timed(fn, repeats: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


@torch.no_grad()
def measure(model: PalForConditionalGeneration, batch, kwargs: dict, repeats: int) -> tuple[float, float, float]:
    """Median seconds of (a) plain, (b) naive and (c) our generation on one batch."""
    beams = kwargs["num_beams"]
    plain = timed(lambda: model.generate(**batch, use_strategy_control=False, **kwargs), repeats)
    naive = timed(
        lambda: model.generate(
            **batch, logits_processor=[NaiveTwoPass(model, batch, beams, beams)], use_strategy_control=False, **kwargs
        ),
        repeats,
    )
    ours = timed(lambda: model.generate(**batch, **kwargs), repeats)
    return plain, naive, ours


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--size", choices=["90m", "tiny"], default="90m", help="model size (default: BlenderBot-small 90M)"
    )
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[1, 32])
    parser.add_argument("--beams", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--new-tokens", type=int, default=32)
    parser.add_argument("--context-tokens", type=int, default=128)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)

    tokenizer = load_pal_tokenizer()
    torch.manual_seed(0)
    config = tiny_pal_config(tokenizer, **RANDOM_SIZES[args.size])
    model = PalForConditionalGeneration(config).eval()
    print(
        f"model: {sum(p.numel() for p in model.parameters()) / 1e6:.1f}M parameters, torch threads: "
        f"{torch.get_num_threads()}, {args.new_tokens} new tokens, context {args.context_tokens} tokens"
    )
    settings = dict(
        max_new_tokens=args.new_tokens, min_new_tokens=args.new_tokens, do_sample=False, repetition_penalty=1.0
    )
    rows = []
    cases = [(b, k) for b in args.batch_sizes for k in args.beams]
    for batch_size, beams in tqdm(cases, desc="settings"):
        batch = make_batch(tokenizer, batch_size, args.context_tokens)
        rows.append((batch_size, beams, *measure(model, batch, dict(settings, num_beams=beams), args.repeats)))

    tokens = args.new_tokens
    print(
        "\n| batch | beams | (a) plain s | (b) naive s | (c) ours s | (a) tok/s | (b) tok/s | (c) tok/s | c/a | b/c |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for batch_size, beams, plain, naive, ours in rows:
        rate = [batch_size * tokens / t for t in (plain, naive, ours)]
        print(
            f"| {batch_size} | {beams} | {plain:.3f} | {naive:.3f} | {ours:.3f} | {rate[0]:.0f} | {rate[1]:.0f} | "
            f"{rate[2]:.0f} | {ours / plain:.2f} | {naive / ours:.2f} |"
        )


if __name__ == "__main__":
    main()
