import pytest

from modeling_pal import save_extractor
from modeling_pal.cli.chat import main
from modeling_pal.training.extractor import build_extractor

MESSAGES = ["I lost my job.", "I feel stuck.", "My wife is a nurse."]


def scripted(*messages: str) -> list[str]:
    return [argument for message in messages for argument in ("--message", message)]


def test_scripted_chat_on_the_tiny_model(capsys):
    main(["--tiny-random", *scripted(*MESSAGES[:2]), "--strategy", "Question"])
    out = capsys.readouterr().out
    assert "TINY RANDOM-WEIGHT" in out and "No persona extractor" in out
    assert out.count("pal [Question]:") == 2


def test_chat_infers_the_persona_with_an_extractor(capsys, tmp_path):
    model, tokenizer = build_extractor(tiny_random=True, seed=0)
    model.generation_config.update(num_beams=2, max_new_tokens=9)
    save_extractor(model, tokenizer, tmp_path / "extractor")
    main(["--tiny-random", "--persona-extractor", str(tmp_path / "extractor"), *scripted(*MESSAGES)])
    out = capsys.readouterr().out
    assert "No persona extractor" not in out and out.count("pal [") == 3
    # The persona line comes once the seeker has spoken three times, before the third reply.
    assert out.index("(persona: ") > out.index(f"you: {MESSAGES[2]}")


def test_independent_messages_each_open_a_conversation(capsys, tmp_path):
    model, tokenizer = build_extractor(tiny_random=True, seed=0)
    model.generation_config.update(num_beams=2, max_new_tokens=9)
    save_extractor(model, tokenizer, tmp_path / "extractor")
    extractor = ["--persona-extractor", str(tmp_path / "extractor")]
    main(["--tiny-random", *extractor, "--independent", *scripted(*MESSAGES)])
    out = capsys.readouterr().out
    # Each conversation holds one seeker message, so no persona is ever inferred.
    assert out.count("pal [") == 3 and "(persona: " not in out
    with pytest.raises(SystemExit):
        main(["--tiny-random", "--independent"])
    assert "--independent needs scripted --message turns" in capsys.readouterr().err


def test_chat_with_a_given_persona(capsys):
    main(["--tiny-random", "--persona", "i am a nurse.", *scripted(MESSAGES[0])])
    out = capsys.readouterr().out
    assert "(persona: i am a nurse.)" in out and "No persona extractor" not in out


def test_chat_errors_and_help(capsys):
    with pytest.raises(ValueError, match="Unknown strategy 'Advice'"):
        main(["--tiny-random", "--message", "hi", "--strategy", "Advice"])
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0 and "pal-chat" in capsys.readouterr().out


def test_chat_stays_in_safety_mode_until_reset(capsys):
    main(["--tiny-random", *scripted("I want to kill myself tonight.", "ok", "/reset", "I lost my job.")])
    out = capsys.readouterr().out
    assert out.count("pal [Safety message]:") == 2 and out.count("SAFETY MODE") == 2
    assert "988" in out and "I'm still here" in out  # the full message, then the shorter follow-up
    after_reset = out[out.index("(conversation reset)") :]
    assert "Safety message" not in after_reset and "pal [" in after_reset


def test_safety_check_can_be_turned_off(capsys):
    main(["--tiny-random", "--no-safety-check", *scripted("I want to kill myself tonight.")])
    out = capsys.readouterr().out
    assert "SAFETY CHECK OFF" in out and "Safety message" not in out
    main(["--tiny-random", "--safety-rules-only", *scripted("I want to kill myself tonight.")])
    assert "pal [Safety message]:" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["--help"])
    help_text = capsys.readouterr().out
    assert "--no-safety-check" in help_text and "--safety-rules-only" in help_text


def test_sessions_sample_their_own_replies_unless_seeded(capsys):
    def first_reply(*seed: str) -> str:
        main(["--tiny-random", *seed, *scripted(MESSAGES[0])])
        return [line for line in capsys.readouterr().out.splitlines() if line.startswith("pal [")][0]

    assert first_reply("--seed", "3") == first_reply("--seed", "3")
    assert len({first_reply() for _ in range(3)}) > 1
