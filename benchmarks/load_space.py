"""
The demo under load, on loopback only: the Space (`space/app.py`) is served on 127.0.0.1 in this process, and
`--users` simulated users, each a `gradio_client` on its own thread, send `--messages` messages one after the other
through its API (`/respond`). Prints the latency per reply (p50/p95, from submitting to the reply), the errors, the
most replies generated at once (the demo's bound: `--concurrency`), the farthest place in the queue a waiting request
was told, and the generation time alone, for comparison.

  python benchmarks/load_space.py --tiny-random                       # the tiny random model: the queue itself
  python benchmarks/load_space.py --model models/pal-smollm2 --users 12 --messages 1
"""

from __future__ import annotations

import argparse
import importlib.util
import socket
import statistics
import sys
import threading
import time
from pathlib import Path

from tqdm import tqdm

ROOT = Path(__file__).resolve().parents[1]
MAX_USERS = 64
MAX_MESSAGES = 20
MESSAGES = [
    "I lost my job last week and I don't know what to do.",
    "My wife and I argue all the time since then.",
    "I feel like I let my kids down.",
    "I haven't told my parents yet.",
]
GREEDY = ("Let PAL choose", "default", False, 0.5, 0.9)  # strategy, alpha, do_sample, temperature, top_p


def load_app():
    spec = importlib.util.spec_from_file_location("space_app", ROOT / "space" / "app.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


class TimedPipeline:
    """A pipeline that records how long each call (one generated reply) takes."""

    def __init__(self, pipe):
        self.pipe, self.seconds = pipe, []

    def __getattr__(self, name):
        return getattr(self.pipe, name)

    def __call__(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return self.pipe(*args, **kwargs)
        finally:
            self.seconds.append(time.perf_counter() - start)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--model", help="a PAL model folder or shipped adapter folder")
    source.add_argument("--tiny-random", action="store_true", help="a tiny random-weight model")
    parser.add_argument(
        "--users", type=int, default=12, help=f"simulated users at once (default 12, at most {MAX_USERS})"
    )
    parser.add_argument(
        "--messages", type=int, default=2, help=f"messages per user (default 2, at most {MAX_MESSAGES})"
    )
    parser.add_argument("--concurrency", type=int, default=1, help="the demo's bound on replies generated at once")
    args = parser.parse_args(argv)
    if not 1 <= args.users <= MAX_USERS or not 1 <= args.messages <= MAX_MESSAGES:
        parser.error(f"--users must be 1..{MAX_USERS} and --messages 1..{MAX_MESSAGES}")

    from gradio_client import Client

    app = load_app()
    pipe = app.load_pipeline(args.model, args.tiny_random)
    timed = TimedPipeline(pipe)
    chat = app.SupportChat(timed)
    demo = app.build_demo(pipe, concurrency=args.concurrency, chat=chat)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    url = f"http://127.0.0.1:{port}/"

    latencies: list[float] = []
    errors: list[str] = []
    places: list[int] = []
    lock = threading.Lock()
    bar = tqdm(total=args.users * args.messages, desc="replies", unit="reply")

    def user(index: int) -> None:
        client = Client(url, verbose=False)
        for turn in range(args.messages):
            message = MESSAGES[(index + turn) % len(MESSAGES)]
            start = time.perf_counter()
            job = client.submit(message, "", *GREEDY, api_name="/respond")
            seen = []
            while not job.done():
                status = job.status()
                if status.code.name == "IN_QUEUE" and status.rank is not None:
                    seen.append(status.rank)
                time.sleep(0.05)
            try:
                job.result()
                outcome = None
            except Exception as error:  # counted and shown, the run goes on
                outcome = f"{type(error).__name__}: {error}"
            with lock:
                latencies.append(time.perf_counter() - start)
                places.extend(seen)
                if outcome:
                    errors.append(outcome)
                bar.update()

    threads = [threading.Thread(target=user, args=(i,)) for i in range(args.users)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    bar.close()
    demo.close()

    print(f"model: {'tiny random' if args.tiny_random else args.model}; {args.users} users x {args.messages} messages")
    print(f"replies: {len(latencies)} in {wall:.1f} s; errors: {len(errors)}")
    for error in sorted(set(errors))[:5]:
        print(f"  {errors.count(error)} x {error}")
    print(f"latency per reply: p50 {percentile(latencies, 0.5):.2f} s, p95 {percentile(latencies, 0.95):.2f} s")
    if timed.seconds:
        print(f"generation alone: median {statistics.median(timed.seconds):.2f} s per reply")
    print(f"replies generated at once: at most {chat.max_active} (bound {args.concurrency})")
    print(f"farthest queue place shown to a waiting request: {max(places) + 1 if places else 'none (never queued)'}")


if __name__ == "__main__":
    main()
