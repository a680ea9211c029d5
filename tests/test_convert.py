import json

import pytest
import torch
from transformers import AutoModelForSeq2SeqLM, BlenderbotSmallConfig, BlenderbotSmallForConditionalGeneration

from modeling_pal import load_pal_tokenizer
from modeling_pal.bundled import TINY_ARCHITECTURE
from modeling_pal.conversion.convert import convert_original_checkpoint, main

from test_fusion import reference_fusion

TINY = dict(TINY_ARCHITECTURE, scale_embedding=True)


def original_checkpoint(tmp_path, vocab_size=54956):
    """A state dict laid out like the original PAL `Model(BaseModel, BlenderbotSmallForConditionalGeneration)`."""
    torch.manual_seed(0)
    base = BlenderbotSmallForConditionalGeneration(BlenderbotSmallConfig(vocab_size=vocab_size, **TINY))
    state = dict(base.state_dict())
    state["final_logits_bias"] = torch.randn(1, vocab_size)
    state.update(
        {
            "persona_norm.weight": torch.randn(32),
            "persona_norm.bias": torch.randn(32),
            "context_norm.weight": torch.randn(32),
            "context_norm.bias": torch.randn(32),
            "persona_context_w": torch.tensor([0.2, 0.5, -0.1]),
            "strategy_alpha": torch.tensor([0.0, 0.75, 0.0, 0.0, 0.75, 0.75, 0.75, 0.375]),
        }
    )
    torch.save(state, tmp_path / "epoch-4.bin")
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "blenderbot-small", **TINY}))
    return base, state


def test_original_checkpoint_converts_and_computes_the_same(tmp_path):
    base, state = original_checkpoint(tmp_path)
    out = tmp_path / "converted"
    main(
        [
            "original",
            str(tmp_path / "epoch-4.bin"),
            "--base-config",
            str(tmp_path / "config.json"),
            "--output",
            str(out),
        ]
    )
    model = AutoModelForSeq2SeqLM.from_pretrained(out, trust_remote_code=True).eval()
    assert model.config.strategy_alpha == [0.0, 0.75, 0.0, 0.0, 0.75, 0.75, 0.75, 0.375]
    ctx = torch.tensor([[5, 6, 7, 8, 9, 10]])
    per = torch.tensor([[54946, 14, 195, 54947]])
    base.eval()
    with torch.no_grad():
        fused = model.get_encoder()(input_ids=ctx, persona_input_ids=per).last_hidden_state
        context = base.model.encoder(input_ids=ctx).last_hidden_state
        per_padded = torch.cat([per, torch.zeros((1, 2), dtype=torch.long)], dim=1)
        persona = base.model.encoder(input_ids=per_padded, attention_mask=per_padded.ne(0).long()).last_hidden_state
        expected = reference_fusion(
            context,
            persona,
            (state["persona_norm.weight"], state["persona_norm.bias"]),
            (state["context_norm.weight"], state["context_norm.bias"]),
            state["persona_context_w"],
        )
        torch.testing.assert_close(fused, expected, rtol=1e-5, atol=1e-5)
        decoder_ids = torch.tensor([[1, 54948, 20]])
        logits = model(input_ids=ctx, persona_input_ids=per, decoder_input_ids=decoder_ids).logits
        reference = base(encoder_outputs=(expected,), decoder_input_ids=decoder_ids).logits + state["final_logits_bias"]
    torch.testing.assert_close(logits, reference, rtol=1e-5, atol=1e-5)


def test_unexpected_and_missing_keys_are_listed(tmp_path):
    _, state = original_checkpoint(tmp_path)
    del state["context_norm.bias"]
    state["extra.weight"] = torch.zeros(2)
    torch.save(state, tmp_path / "bad.bin")
    with pytest.raises(ValueError, match=r"missing keys: \['model.encoder.fusion.context_norm.bias'\]") as error:
        convert_original_checkpoint(tmp_path / "bad.bin", base_config=tmp_path / "config.json")
    assert "unexpected keys: ['extra.weight']" in str(error.value)
    with pytest.raises(FileNotFoundError, match="No checkpoint file"):
        convert_original_checkpoint(tmp_path / "nope.bin")


def test_wrong_vocabulary_size_is_reported(tmp_path):
    original_checkpoint(tmp_path, vocab_size=54944)
    with pytest.raises(
        ValueError, match="shape mismatches: .*model.shared.weight: file \\(54944, 32\\), model \\(54956, 32\\)"
    ):
        convert_original_checkpoint(tmp_path / "epoch-4.bin", base_config=tmp_path / "config.json")


def test_fresh_pal_from_a_blenderbot_small_folder(tmp_path):
    torch.manual_seed(0)
    base = BlenderbotSmallForConditionalGeneration(BlenderbotSmallConfig(vocab_size=54944, **TINY)).eval()
    base.save_pretrained(tmp_path / "bbs")
    load_pal_tokenizer().save_pretrained(tmp_path / "bbs")
    main(["blenderbot-small", str(tmp_path / "bbs"), "--output", str(tmp_path / "pal")])
    model = AutoModelForSeq2SeqLM.from_pretrained(tmp_path / "pal", trust_remote_code=True).eval()
    assert model.config.vocab_size == 54956 and model.config.d_model == 32
    assert torch.equal(model.model.shared.weight[:54944], base.model.shared.weight)
    assert torch.equal(model.model.encoder.layers[1].fc2.weight, base.model.encoder.layers[1].fc2.weight)
    assert torch.equal(
        model.model.decoder.layers[0].encoder_attn.q_proj.weight,
        base.model.decoder.layers[0].encoder_attn.q_proj.weight,
    )
    torch.testing.assert_close(model.model.encoder.fusion.persona_context_w.detach(), torch.full((3,), 1 / 3))
    with pytest.raises(FileNotFoundError, match="No BlenderbotSmall checkpoint"):
        main(["blenderbot-small", str(tmp_path / "missing"), "--output", str(tmp_path / "x")])
