"""
Speed of PAL's strategy-based controllable generation on a decoder-only chat model, side by side in one run:

  (a) plain   generation from the persona-aware prompt alone, no control (`use_strategy_control=False`)
  (b) naive   the two-pass reference: the persona-free prompt and everything decoded are re-read at every step
  (c) ours    `PalLlamaForCausalLM.generate()`: both views in one batched pass with one cache

Each setting decodes exactly `--new-tokens` tokens (end-of-turn is held back), so all three do the same work.
`--model smollm2` (default) times the offline SmolLM2-135M-Instruct base made into a PAL chat model (its strategy
rows untrained: speed only), `--model tiny` a tiny random model, any other value an assembled PAL chat folder.
Prints the median latency and tokens/s of each, and the ratios c/a and b/c.
"""

from __future__ import annotations

import argparse
import statistics
import time
from functools import partial

import torch
from tqdm import tqdm
from transformers import LogitsProcessor

from logits_processors.strategy_control import PalStrategyControl
from modeling_pal.bundled import tiny_random_pal_llama
from modeling_pal.chat_layout import chat_views, render_prompt
from modeling_pal.conversation import pad_rows
from modeling_pal.modeling_pal_llama import PalLlamaForCausalLM

CONVERSATION = [
    {"role": "user", "content": "Hi, I have been feeling really down lately."},
    {"role": "assistant", "content": "I'm sorry to hear that. What has been going on?", "strategy": "Question"},
    {"role": "user", "content": "I lost my job two weeks ago and I don't know how to tell my family."},
    {"role": "user", "content": "My wife works as a nurse and we have two kids, so money will be tight."},
]
PERSONA_LIST = [["i lost my job two weeks ago.", "my wife is a nurse.", "i have two kids."]] * 2


class NaiveTwoPass(LogitsProcessor):
    """The reference: recomputes the persona-free logits over the whole prompt and decoded tokens at every step."""

    def __init__(self, model, plain_ids, plain_mask, prompt_length: int, expand: int, num_beams: int):
        self.model = model
        self.plain_ids = plain_ids.repeat_interleave(expand, dim=0)
        self.plain_mask = plain_mask.repeat_interleave(expand, dim=0)
        self.prompt_length = prompt_length
        self.control = PalStrategyControl.from_config(model.config)
        self.control.begin(two_view=True, prefix_length=prompt_length, log_prob_scores=num_beams > 1)

    def __call__(self, input_ids, scores):
        decoded = input_ids[:, self.prompt_length :]
        ids = torch.cat([self.plain_ids, decoded], dim=1)
        mask = torch.cat([self.plain_mask, torch.ones_like(decoded)], dim=1)
        positions = (mask.cumsum(-1) - 1).clamp(min=0)
        with torch.no_grad():
            plain = self.model(
                input_ids=ids, attention_mask=mask, position_ids=positions, use_cache=False
            ).logits[:, -1:]
        self.control.receive_plain_logits(plain, input_ids.shape[1])
        return self.control(input_ids, scores)


def load(model: str):
    if model == "tiny":
        return tiny_random_pal_llama()
    if model == "smollm2":
        from modeling_pal.training.train_llama import build_pal_llama

        return build_pal_llama("smollm2")
    from transformers import AutoTokenizer

    return PalLlamaForCausalLM.from_pretrained(model).eval(), AutoTokenizer.from_pretrained(model)


def make_batch(tokenizer, batch_size: int):
    """Both views of `CONVERSATION`, `batch_size` times, left-padded to one length."""
    views = chat_views(CONVERSATION, PERSONA_LIST)
    persona = render_prompt(tokenizer, views.persona_view, 4096).input_ids
    plain = render_prompt(tokenizer, views.plain_view, 4096).input_ids
    ids, mask = pad_rows([persona] * batch_size + [plain] * batch_size, tokenizer.pad_token_id, side="left")
    return ids[:batch_size], mask[:batch_size], ids[batch_size:], mask[batch_size:]


def timed(fn, repeats: int) -> float:
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="smollm2", help="smollm2 (default), tiny, or a PAL chat model folder")
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--beams", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--new-tokens", type=int, default=30)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, help="torch threads (default: torch's)")
    args = parser.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    model, tokenizer = load(args.model)
    model.eval()
    n = args.new_tokens
    settings = dict(do_sample=False, max_new_tokens=n, min_new_tokens=n)
    params = sum(p.numel() for p in model.parameters())
    print(f"model: {args.model} ({params / 1e6:.1f}M parameters), threads: {torch.get_num_threads()}, new tokens: {n}")
    rows = []
    runs = [(b, k) for b in args.batch_sizes for k in args.beams]
    for batch_size, beams in tqdm(runs, desc="benchmark", unit="setting"):
        ids, mask, plain_ids, plain_mask = make_batch(tokenizer, batch_size)
        options = dict(settings, num_beams=beams)
        naive = NaiveTwoPass(model, plain_ids, plain_mask, ids.shape[1], beams, beams)
        common = dict(input_ids=ids, attention_mask=mask, **options)
        with torch.no_grad():
            plain = timed(partial(model.generate, use_strategy_control=False, **common), args.repeats)
            two_pass = timed(
                partial(model.generate, use_strategy_control=False, logits_processor=[naive], **common), args.repeats
            )
            ours = timed(
                partial(model.generate, plain_input_ids=plain_ids, plain_attention_mask=plain_mask, **common),
                args.repeats,
            )
        rows.append((batch_size, beams, plain, two_pass, ours))
    print(
        "| batch | beams | (a) plain s | (b) naive s | (c) ours s | (c) tokens/s | c/a | b/c |\n"
        "|---|---|---|---|---|---|---|---|"
    )
    for batch_size, beams, plain, two_pass, ours in rows:
        print(
            f"| {batch_size} | {beams} | {plain:.3f} | {two_pass:.3f} | {ours:.3f} | {batch_size * n / ours:.1f} | "
            f"{ours / plain:.2f} | {two_pass / ours:.2f} |"
        )


if __name__ == "__main__":
    main()
