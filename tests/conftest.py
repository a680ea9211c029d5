import json
import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
# Tiny models gain nothing from more threads; one each keeps the tests and their subprocesses from oversubscribing.
os.environ.setdefault("OMP_NUM_THREADS", "1")

import pytest  # noqa: E402
import torch  # noqa: E402

from modeling_pal import encode_pal_inputs, format_context, format_persona, load_pal_tokenizer, tiny_random_pal  # noqa: E402

from test_esconv import HF_DIALOGUE  # noqa: E402

CONVERSATIONS = [
    [
        {"role": "user", "content": "I lost my job today and I do not know how to tell my family."},
        {"role": "assistant", "content": "That sounds really hard.", "strategy": "Reflection of feelings"},
        {"role": "user", "content": "They depend on me."},
    ],
    [{"role": "seeker", "content": "Hi."}],
]
PERSONAS = [["i am a nurse.", "i have two kids."], []]


@pytest.fixture(scope="session", autouse=True)
def one_thread():
    """Tiny models run fastest on one thread, and do not stall when other processes share the cores."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="session")
def tokenizer():
    return load_pal_tokenizer()


@pytest.fixture
def tiny(tokenizer):
    """A tiny random PAL model and the bundled tokenizer."""
    model, _ = tiny_random_pal(tokenizer, seed=0)
    return model, tokenizer


@pytest.fixture
def batch(tokenizer):
    """Two encoded rows of different context and persona lengths."""
    contexts = [format_context(c) for c in CONVERSATIONS]
    personas = [format_persona(p) for p in PERSONAS]
    encoded, _ = encode_pal_inputs(tokenizer, contexts, personas)
    return encoded


def enliven(model, seed: int = 0, scale: float = 0.3):
    """Redraws every weight matrix at a larger scale: a tiny random model then writes varied tokens, not one token."""
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            if p.dim() > 1:
                p.copy_(torch.randn(p.shape, generator=generator) * scale)
    return model


def randomize_fusion(model, seed: int = 1) -> None:
    """Gives the fusion non-trivial parameters (the initial LayerNorms are identity-like, the weights uniform)."""
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.model.encoder.fusion.parameters():
            p.copy_(torch.randn(p.shape, generator=generator))


@pytest.fixture
def data_dir(tmp_path):
    """HF-layout ESConv files of 3 dialogues each, and the same dialogues as PESConv."""
    folder = tmp_path / "esconv"
    folder.mkdir()
    for split in ("train", "valid", "test"):
        rows = [dict(HF_DIALOGUE, situation=f"{split} {i}") for i in range(3)]
        rows = [dict(r, dialog=[dict(t, text=f"{t['text']} {r['situation']}") for t in r["dialog"]]) for r in rows]
        (folder / f"{split}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    return folder
