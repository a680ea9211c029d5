import pytest

from modeling_pal.chat import main, respond


def test_scripted_chat_on_the_tiny_model(capsys):
    main(["--tiny-random", "--message", "I lost my job.", "--message", "I feel stuck.", "--strategy", "Question"])
    out = capsys.readouterr().out
    assert "TINY RANDOM-WEIGHT" in out
    assert out.count("pal [Question]:") == 2


def test_respond_reports_strategy_and_scores(tiny):
    model, tokenizer = tiny
    reply = respond(model, tokenizer, [{"role": "user", "content": "hi"}], persona=["i am a nurse."], max_new_tokens=4)
    assert reply["strategy"] in model.config.strategy_names
    assert set(reply["strategy_scores"]) == set(model.config.strategy_names)
    assert reply["strategy_scores"][reply["strategy"]] == max(reply["strategy_scores"].values())
    forced = respond(model, tokenizer, [{"role": "user", "content": "hi"}], strategy="Information", max_new_tokens=4)
    assert forced["strategy"] == "Information"


def test_chat_errors_and_help(capsys):
    with pytest.raises(ValueError, match="Unknown strategy 'Advice'"):
        main(["--tiny-random", "--message", "hi", "--strategy", "Advice"])
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0 and "pal-chat" in capsys.readouterr().out
