import logging

import pytest

from modeling_pal import encode_pal_inputs, format_context, format_persona, validate_conversation
from modeling_pal.conversation import pal_batches


def test_context_string_follows_the_original_inputter():
    messages = [
        {"role": "user", "content": " I feel alone. "},
        {"role": "assistant", "content": "Why is that?", "strategy": "Question"},
        {"role": "seeker", "content": "My friends moved away."},
        {"role": "seeker", "content": "All of them."},
    ]
    assert format_context(messages) == (
        "Persona:I feel alone.</s> <s>System:[Question]Why is that?</s> <s>Persona:My friends moved away."
        "</s> <s>Persona:All of them.</s> <s>System:"
    )
    assert format_context([{"role": "supporter", "content": "Hello."}]) == "System:Hello.</s> <s>System:"


def test_persona_string():
    assert format_persona(["i am a nurse.", " i have kids. "]) == "<persona>i am a nurse.<persona>i have kids.<input>"
    assert format_persona([]) == "<input>"
    with pytest.raises(ValueError, match="not one string"):
        format_persona("i am a nurse.")
    with pytest.raises(ValueError, match="sentence 1 must be a non-empty string"):
        format_persona(["ok", "  "])


@pytest.mark.parametrize(
    ("messages", "error"),
    [
        ([], "conversation is empty"),
        ("hello", "list of"),
        ([{"role": "bot", "content": "hi"}], "role 'bot'"),
        ([{"role": "user", "content": 3}], "content of type int"),
        ([{"role": "user", "content": "  "}], "Message 0 is empty"),
        ([{"role": "user"}], "must be a dict with 'role' and 'content'"),
        ([{"role": "assistant", "content": "hi", "strategy": "Advice"}], "Message 0: Unknown strategy 'Advice'"),
        ([("user", "hi")], r"Message 0 is a pair \('user', 'hi'\): give each message as a dict"),
        ([{"role": "user", "content": "I lost \ud800 my job"}], "Message 0 holds an invalid character at position 7"),
        ([{"role": "user", "content": "hi", "strategy": "Question"}], "seeker message but carries a strategy"),
    ],
)
def test_bad_conversations(messages, error):
    with pytest.raises(ValueError, match=error):
        validate_conversation(messages, ["Question"])


def test_strategy_names_match_whatever_their_case():
    messages = [{"role": "assistant", "content": "Hi.", "strategy": " question "}, {"role": "user", "content": "Hi."}]
    assert validate_conversation(messages, ["Question"])[0]["strategy"] == "Question"
    assert validate_conversation(tuple(messages), ["Question"])[1]["role"] == "seeker"


def test_over_long_context_keeps_its_last_tokens(tokenizer, caplog):
    context = " ".join(f"word{i}" for i in range(400))
    full = tokenizer.encode(context, add_special_tokens=False)
    with caplog.at_level(logging.WARNING):
        batch, cut = encode_pal_inputs(tokenizer, [context, "hi"], ["<input>", "<input>"], max_input_length=64)
    assert cut == [len(full) - 64, 0]
    assert batch["input_ids"][0].tolist() == full[-64:]
    assert "over-long" in caplog.text
    with pytest.raises(ValueError, match="more than max_input_length=64"):
        encode_pal_inputs(tokenizer, [context], ["<input>"], max_input_length=64, truncate=False)
    with pytest.raises(ValueError, match="Persona 0 has"):
        encode_pal_inputs(tokenizer, ["hi"], [format_persona(["a b c d"] * 30)], max_input_length=64)


def test_batch_is_right_padded(tokenizer):
    batch, _ = encode_pal_inputs(tokenizer, ["hello there friend", "hi"], ["<input>", "<persona>i run.<input>"])
    assert batch["attention_mask"].tolist()[1][-1] == 0 and batch["input_ids"][1, -1] == tokenizer.pad_token_id
    assert batch["persona_attention_mask"].sum(1).tolist() == [1, 5]
    with pytest.raises(ValueError, match="2 contexts but 1 personas"):
        encode_pal_inputs(tokenizer, ["a", "b"], ["<input>"])


def test_pal_batches_keep_rows_of_one_padded_length_together_where_the_fusion_reads_padding():
    contexts, personas = [5, 9, 3, 9, 4], [7, 2, 7, 1, 2]  # padded lengths 7, 9, 7, 9, 4
    assert pal_batches(contexts, personas, fusion_reads_padding=True) == [[0, 2], [1, 3], [4]]
    assert pal_batches(contexts, personas, fusion_reads_padding=True, batch_size=1) == [[0], [2], [1], [3], [4]]
    assert pal_batches(contexts, personas, fusion_reads_padding=False, batch_size=2) == [[0, 1], [2, 3], [4]]
    assert pal_batches(contexts, None, fusion_reads_padding=True) == [[0, 1, 2, 3, 4]]
