import pytest

from modeling_pal import PAL_STRATEGIES, STRATEGY_ALPHA_PRESETS, PalConfig


def test_defaults_follow_the_original():
    config = PalConfig()
    assert config.model_type == "pal"
    assert config.strategy_names == [
        "Question",
        "Restatement or Paraphrasing",
        "Reflection of feelings",
        "Self-disclosure",
        "Affirmation and Reassurance",
        "Providing Suggestions",
        "Information",
        "Others",
    ]
    assert config.strategy_token_ids == list(range(54948, 54956))
    assert (config.persona_token_id, config.input_token_id) == (54946, 54947)
    assert config.added_token_ids == list(range(54944, 54956))
    assert config.strategy_alpha == [0.5] * 8
    assert config.strategy_selection_alpha == 0.075
    assert config.fuse_persona is True
    assert (config.d_model, config.encoder_layers, config.vocab_size) == (512, 8, 54956)


def test_alpha_presets():
    assert PalConfig(strategy_alpha="per-strategy").strategy_alpha == [0, 0.75, 0, 0, 0.75, 0.75, 0.75, 0.375]
    assert PalConfig(strategy_alpha="off").strategy_alpha == [0.0] * 8
    assert set(STRATEGY_ALPHA_PRESETS) == {"released", "per-strategy", "off"}
    with pytest.raises(ValueError, match="Unknown strategy_alpha preset"):
        PalConfig(strategy_alpha="strong")
    with pytest.raises(ValueError, match="one value per strategy"):
        PalConfig(strategy_alpha=[0.1, 0.2])


def test_round_trip(tmp_path):
    config = PalConfig(strategy_alpha="per-strategy", fuse_persona=False, d_model=64)
    config.save_pretrained(tmp_path)
    loaded = PalConfig.from_pretrained(tmp_path)
    assert loaded.strategy_alpha == config.strategy_alpha
    assert loaded.fuse_persona is False and loaded.d_model == 64


def test_strategy_lookup():
    config = PalConfig()
    assert config.strategy_index("Question") == 0
    assert config.strategy_index("[Others]") == len(PAL_STRATEGIES) - 1
    assert config.strategy_index(" providing SUGGESTIONS") == config.strategy_index("[providing suggestions]") == 5
    with pytest.raises(ValueError, match="Unknown strategy 'Advice'"):
        config.strategy_index("Advice")


def test_inconsistent_token_ids_are_refused():
    with pytest.raises(Exception, match="outside the vocabulary"):
        PalConfig(vocab_size=54944)
    with pytest.raises(Exception, match="strategy_token_ids has 2 ids"):
        PalConfig(strategy_token_ids=[1, 2])
