import pytest
import torch
from transformers import BertConfig, BertModel, BertTokenizer, BlenderbotSmallForConditionalGeneration

from modeling_pal import load_pal_tokenizer
from modeling_pal.conversion.convert import main as convert_main
from modeling_pal.conversion.minilm import blenderbot_small_from_minilm
from modeling_pal.training.train import TrainSettings, build_model

WORDS = "i feel so lonely since moved to a new city my job is hard and sleep badly".split()


@pytest.fixture
def bert_folder(tmp_path):
    """A tiny random BERT saved like sentence-transformers' all-MiniLM-L6-v2 (safetensors + WordPiece vocab)."""
    folder = tmp_path / "bert"
    folder.mkdir()
    (folder / "vocab.txt").write_text("\n".join(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", ".", *WORDS]))
    BertTokenizer(str(folder / "vocab.txt")).save_pretrained(folder)
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=len(WORDS) + 6,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=4,
        intermediate_size=64,
        max_position_embeddings=64,
        layer_norm_eps=1e-5,
    )
    bert = BertModel(config, add_pooling_layer=False)
    for parameter in bert.parameters():  # LayerNorms away from their (1, 0) start, so the mapping is really tested
        parameter.data.normal_(0, 0.2)
    bert.save_pretrained(folder)
    return folder


def test_encoder_reproduces_the_bert(bert_folder):
    model, tokenizer = blenderbot_small_from_minilm(bert_folder)
    bert = BertModel.from_pretrained(bert_folder, add_pooling_layer=False).eval()
    ids = tokenizer(["i feel so lonely since i moved.", "my job is hard"], return_tensors="pt", padding=True)
    with torch.no_grad():
        expected = bert(**ids).last_hidden_state
        got = model.model.encoder(input_ids=ids.input_ids, attention_mask=ids.attention_mask).last_hidden_state
    mask = ids.attention_mask.bool()
    torch.testing.assert_close(got[mask], expected[mask], atol=1e-5, rtol=1e-4)


def test_decoder_takes_the_bert_layers_and_cross_attention_stays_fresh(bert_folder):
    model, tokenizer = blenderbot_small_from_minilm(bert_folder)
    bert = BertModel.from_pretrained(bert_folder, add_pooling_layer=False)
    layer = model.model.decoder.layers[1]
    torch.testing.assert_close(layer.fc1.weight, bert.encoder.layer[1].intermediate.dense.weight)
    torch.testing.assert_close(layer.self_attn.q_proj.weight, bert.encoder.layer[1].attention.self.query.weight)
    assert torch.equal(layer.encoder_attn_layer_norm.weight, torch.ones(32))
    assert model.lm_head.weight.data_ptr() == model.model.shared.weight.data_ptr()
    assert (tokenizer.bos_token, tokenizer.eos_token) == ("[CLS]", "[SEP]")
    assert model.config.decoder_start_token_id == tokenizer.cls_token_id


def test_cross_attention_can_start_from_the_self_attention(bert_folder, tmp_path):
    convert_main(
        ["minilm", "--bert", str(bert_folder), "--cross-attention-from-self-attention", "--output", str(tmp_path / "x")]
    )
    model = BlenderbotSmallForConditionalGeneration.from_pretrained(tmp_path / "x")
    bert = BertModel.from_pretrained(bert_folder, add_pooling_layer=False)
    for i, layer in enumerate(model.model.decoder.layers):
        torch.testing.assert_close(layer.encoder_attn.k_proj.weight, bert.encoder.layer[i].attention.self.key.weight)
        torch.testing.assert_close(layer.encoder_attn.out_proj.bias, layer.self_attn.out_proj.bias)
        torch.testing.assert_close(layer.encoder_attn_layer_norm.weight, layer.self_attn_layer_norm.weight)
        assert layer.encoder_attn.q_proj.weight.data_ptr() != layer.self_attn.q_proj.weight.data_ptr()


def test_converted_folder_starts_pal_training(bert_folder, tmp_path):
    convert_main(["minilm", "--bert", str(bert_folder), "--output", str(tmp_path / "warm")])
    settings = TrainSettings(init=str(tmp_path / "warm"), variant="pal")
    model = build_model(settings, load_pal_tokenizer(settings.tokenizer))
    assert settings.tokenizer == str(tmp_path / "warm")  # the folder's own tokenizer by default
    assert model.config.d_model == 32 and model.config.fuse_persona
    assert model.config.vocab_size == len(WORDS) + 6 + 12  # the BERT vocab and PAL's 12 tokens


def test_not_a_bert_folder(tmp_path):
    with pytest.raises(FileNotFoundError, match="not a BERT folder"):
        blenderbot_small_from_minilm(tmp_path)


def test_shallower_decoder_takes_the_first_layers(bert_folder):
    model, _ = blenderbot_small_from_minilm(bert_folder, decoder_layers=1)
    bert = BertModel.from_pretrained(bert_folder, add_pooling_layer=False)
    assert len(model.model.decoder.layers) == 1 and len(model.model.encoder.layers) == 2
    torch.testing.assert_close(model.model.decoder.layers[0].fc2.weight, bert.encoder.layer[0].output.dense.weight)
    with pytest.raises(ValueError, match="decoder_layers must be between 1"):
        blenderbot_small_from_minilm(bert_folder, decoder_layers=3)
