"""Strategy-based controllable generation, checked against a naive two-pass reference written here."""

import warnings

import pytest
import torch
from transformers import GenerationMixin, LogitsProcessor
from transformers.modeling_outputs import BaseModelOutput

from logits_processors import PalStrategyControl
from modeling_pal import tiny_random_pal

from conftest import randomize_fusion


class NaiveReference(LogitsProcessor):
    """Both passes from scratch: the persona-free decoder re-reads the whole prefix every step, mixing by hand."""

    def __init__(self, model, batch, expand, alpha, selection_alpha, penalty=1.0, beams=False, forced=None):
        with torch.no_grad():
            encoded = model.get_encoder()(**batch)
        self.model = model
        self.plain = encoded.context_hidden_state.repeat_interleave(expand, dim=0)
        self.mask = batch["attention_mask"].repeat_interleave(expand, dim=0)
        self.alpha, self.selection_alpha, self.penalty, self.beams = alpha, selection_alpha, penalty, beams
        self.forced = None if forced is None else [f for f in forced for _ in range(expand)]
        self.ids = model.config.strategy_token_ids
        self.banned = model.config.added_token_ids

    def __call__(self, input_ids, scores):
        with torch.no_grad():
            z_plain = self.model(
                encoder_outputs=BaseModelOutput(last_hidden_state=self.plain),
                attention_mask=self.mask,
                decoder_input_ids=input_ids,
                use_cache=False,
            ).logits[:, -1]
        out = torch.full_like(scores, -float("inf"))
        for row in range(scores.shape[0]):
            if input_ids.shape[1] == 1:
                mixed = (1 + self.selection_alpha) * scores[row] - self.selection_alpha * z_plain[row]
                choice = (
                    mixed[self.ids].argmax() if self.forced is None or self.forced[row] is None else self.forced[row]
                )
                token = self.ids[int(choice)]
                out[row, token] = mixed[token]
            else:
                a = self.alpha[self.ids.index(int(input_ids[row, 1]))]
                mixed = (1 + a) * scores[row] - a * z_plain[row]
                for token in set(input_ids[row].tolist()):  # repetition penalty after the mix, as PAL's order
                    mixed[token] = mixed[token] / self.penalty if mixed[token] > 0 else mixed[token] * self.penalty
                mixed[self.banned] = -float("inf")
                out[row] = mixed
        return out.log_softmax(-1) if self.beams else out


ALPHA = [0.5, 0.75, 0.0, 1.0, 0.75, 0.25, 0.75, 0.375]


@pytest.fixture
def model(tokenizer):
    model, _ = tiny_random_pal(tokenizer, seed=3, strategy_alpha=ALPHA, strategy_selection_alpha=0.6)
    randomize_fusion(model, seed=4)
    return model


def left_padded(batch):
    """The same rows with their context padding moved to the left."""
    ids, mask = batch["input_ids"].clone(), batch["attention_mask"].clone()
    for row in range(ids.shape[0]):
        n = int(mask[row].sum())
        ids[row] = torch.cat([ids[row, n:], ids[row, :n]])
        mask[row] = torch.cat([mask[row, n:], mask[row, :n]])
    return dict(batch, input_ids=ids, attention_mask=mask)


@pytest.mark.parametrize("padding", ["right", "left"])
def test_greedy_matches_the_naive_reference(model, batch, padding):
    batch = left_padded(batch) if padding == "left" else batch
    settings = dict(do_sample=False, max_new_tokens=8, min_length=0)
    ours = model.generate(**batch, repetition_penalty=1.3, **settings)
    naive = NaiveReference(model, batch, 1, ALPHA, 0.6, penalty=1.3)
    reference = model.generate(
        **batch,
        logits_processor=[naive],
        use_strategy_control=False,
        use_cache=False,
        repetition_penalty=1.0,
        **settings,
    )
    assert torch.equal(ours, reference)


def test_beam_search_matches_the_naive_reference(model, batch):
    settings = dict(
        do_sample=False, num_beams=3, num_return_sequences=2, max_new_tokens=8, min_length=0, repetition_penalty=1.0
    )
    ours = model.generate(**batch, **settings)
    naive = NaiveReference(model, batch, 3, ALPHA, 0.6, beams=True)
    reference = model.generate(
        **batch, logits_processor=[naive], use_strategy_control=False, use_cache=False, **settings
    )
    assert torch.equal(ours, reference)


def test_sampling_with_several_sequences_matches_the_naive_reference(model, batch):
    settings = dict(
        do_sample=True,
        top_k=0,
        top_p=1.0,
        temperature=1.0,
        num_return_sequences=3,
        max_new_tokens=8,
        min_length=0,
        repetition_penalty=1.0,
    )
    torch.manual_seed(11)
    ours = model.generate(**batch, **settings)
    naive = NaiveReference(model, batch, 3, ALPHA, 0.6)
    torch.manual_seed(11)
    reference = model.generate(**batch, logits_processor=[naive], use_strategy_control=False, **settings)
    assert torch.equal(ours, reference)


def test_forced_strategies_and_read_back(model, batch):
    control = PalStrategyControl.from_config(model.config, strategy=["Others", "Question"])
    out = model.generate(**batch, logits_processor=[control], num_beams=2, num_return_sequences=2, max_new_tokens=4)
    assert control.strategies(out) == ["Others", "Others", "Question", "Question"]
    assert control.strategy_scores.shape == (4, 8)
    torch.testing.assert_close(control.strategy_scores.sum(-1), torch.ones(4))
    # The distribution read back is the model's own, whatever was forced.
    unforced = model.generate(**batch, return_dict_in_generate=True, max_new_tokens=4, do_sample=False)
    torch.testing.assert_close(unforced.strategy_scores, model.strategy_distribution(**batch))
    chosen = unforced.strategy_scores.argmax(-1)
    assert unforced.sequences[:, 1].tolist() == [model.config.strategy_token_ids[i] for i in chosen]


def test_no_added_token_in_any_response(model, batch):
    banned = set(model.config.added_token_ids)
    for seed in range(3):
        torch.manual_seed(seed)
        out = model.generate(**batch, do_sample=True, top_k=0, top_p=1.0, temperature=2.0, max_new_tokens=12)
        assert out[:, 1].tolist()[0] in model.config.strategy_token_ids
        assert not banned & set(out[:, 2:].flatten().tolist())


def test_alpha_zero_equals_plain_generation(model, batch):
    for settings in (dict(do_sample=False), dict(do_sample=False, num_beams=3)):
        settings.update(max_length=10, min_length=0, repetition_penalty=1.2)
        ours = model.generate(**batch, strategy_alpha="off", selection_alpha=0.0, **settings)
        strategy = model.strategy_distribution(**batch, selection_alpha=0.0).argmax(-1)
        for row in range(2):
            single = {k: v[row : row + 1] for k, v in batch.items()}
            prefix = torch.tensor([[1, model.config.strategy_token_ids[int(strategy[row])]]])
            plain = model.generate(
                **single,
                decoder_input_ids=prefix,
                use_strategy_control=False,
                bad_words_ids=[[i] for i in model.config.added_token_ids],
                **settings,
            )
            assert ours[row, : plain.shape[1]].tolist() == plain[0].tolist()
            assert ours[row, plain.shape[1] :].eq(model.config.pad_token_id).all()


def test_clear_errors(model, batch):
    with pytest.raises(ValueError, match="Unknown strategy 'Advice'"):
        model.generate(**batch, strategy="Advice")
    control = PalStrategyControl.from_config(model.config)
    with pytest.raises(ValueError, match="received no persona-free logits"):
        GenerationMixin.generate(model, **batch, logits_processor=[control], max_new_tokens=2)
    with pytest.raises(ValueError, match="Strategy options were given with `use_strategy_control=False`"):
        model.generate(**batch, logits_processor=[control], use_strategy_control=False, max_new_tokens=2)
    with pytest.raises(ValueError, match="either to `generate\\(\\)` or to your PalStrategyControl"):
        model.generate(**batch, logits_processor=[control], strategy="Question")
    with pytest.raises(ValueError, match="one value per strategy"):
        model.generate(**batch, strategy_alpha=[0.1])


def test_given_decoding_settings_win_without_warnings(model, batch, caplog):
    """The model decodes with `max_new_tokens`/`min_new_tokens` and sampling: a caller's `max_length`, `min_length`
    or `do_sample=False` takes effect, with none of generate()'s clash warnings."""
    model.generation_config.update(do_sample=True, temperature=0.5, top_k=10, top_p=0.9, max_new_tokens=51)
    with caplog.at_level("WARNING"), warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always")
        by_total = model.generate(**batch, do_sample=False, max_length=6, min_length=0)
        by_new = model.generate(**batch, do_sample=False, max_new_tokens=5, min_new_tokens=0)
        plain = model.generate(**batch, do_sample=False, max_length=6, min_length=0, use_strategy_control=False)
    assert by_total.shape[1] == by_new.shape[1] == 6 and plain.shape[1] <= 6
    assert by_total.tolist() == by_new.tolist()
    assert [str(w.message) for w in warned] == []
    assert "seem to have been set" not in caplog.text and "may be ignored" not in caplog.text
