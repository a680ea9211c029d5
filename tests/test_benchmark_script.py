"""The benchmark script runs end to end (on the tiny model, so it stays fast); its figures are not checked here."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))

import bench_strategy_control as benchmark  # noqa: E402


def test_benchmark_prints_the_comparison_table(capsys):
    benchmark.main(["--size", "tiny", "--batch-sizes", "2", "--beams", "1", "2", "--new-tokens", "3", "--repeats", "1"])
    out = capsys.readouterr().out
    assert "| batch | beams | (a) plain s" in out
    assert out.count("\n| 2 | ") == 2


def test_chat_model_benchmark_prints_the_comparison_table(capsys):
    import bench_pal_llama

    bench_pal_llama.main(
        ["--model", "tiny", "--batch-sizes", "2", "--beams", "1", "2", "--new-tokens", "3", "--repeats", "1"]
    )
    out = capsys.readouterr().out
    assert "| batch | beams | (a) plain s" in out
    assert out.count("\n| 2 | ") == 2


def test_space_load_script_reports_latency_errors_and_concurrency():
    import os
    import subprocess

    import pytest

    pytest.importorskip("gradio_client")
    script = Path(__file__).parents[1] / "benchmarks" / "load_space.py"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False"}
    result = subprocess.run(
        [sys.executable, str(script), "--tiny-random", "--users", "2", "--messages", "1"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert "replies: 2 in" in out and "errors: 0" in out and "p95" in out
    assert "replies generated at once: at most 1 (bound 1)" in out
