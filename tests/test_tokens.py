import pytest
import torch
from transformers import BertTokenizer

from modeling_pal import (
    PAL_ADDED_TOKENS,
    PalConfig,
    PalForConditionalGeneration,
    add_pal_tokens,
    encode_pal_inputs,
    format_context,
    format_persona,
    pal_token_ids,
)


def test_bundled_tokenizer_has_the_original_ids(tokenizer):
    assert len(tokenizer) == 54956
    assert tokenizer.convert_tokens_to_ids(list(PAL_ADDED_TOKENS)) == list(range(54944, 54956))
    assert add_pal_tokens(tokenizer) == 0
    fields = pal_token_ids(tokenizer)
    defaults = PalConfig()
    for key in ("strategy_token_ids", "persona_token_id", "input_token_id", "added_token_ids", "vocab_size"):
        assert fields[key] == getattr(defaults, key)


def test_added_tokens_are_never_split(tokenizer):
    ids = tokenizer.encode("Persona:hi</s> <s>System:[Question]why?<persona>i run.<input>", add_special_tokens=False)
    for token in ("</s>", "<s>", "[Question]", "<persona>", "<input>"):
        assert tokenizer.convert_tokens_to_ids(token) in ids


def test_any_tokenizer_with_the_pal_tokens_works(tmp_path):
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "i", "feel", "sad", "am", "a", "nurse", ".", "persona", "system", ":"]
    (tmp_path / "vocab.txt").write_text("\n".join(vocab))
    tokenizer = BertTokenizer(str(tmp_path / "vocab.txt"), bos_token="[CLS]", eos_token="[SEP]")
    with pytest.raises(ValueError, match="lacks PAL's tokens"):
        pal_token_ids(tokenizer)
    assert add_pal_tokens(tokenizer) == 12
    fields = pal_token_ids(tokenizer)
    assert fields["strategy_token_ids"] == list(range(len(tokenizer) - 8, len(tokenizer)))
    torch.manual_seed(0)
    config = PalConfig(
        d_model=16,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=32,
        decoder_ffn_dim=32,
        **fields,
    )
    model = PalForConditionalGeneration(config).eval()
    messages = [{"role": "user", "content": "I feel sad"}]
    batch, _ = encode_pal_inputs(tokenizer, [format_context(messages)], [format_persona(["i am a nurse."])])
    assert model.strategy_distribution(**batch).shape == (1, 8)
    output = model.generate(**batch, max_new_tokens=3, do_sample=False)
    assert output[0, 0].item() == tokenizer.cls_token_id
