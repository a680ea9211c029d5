import csv
import json
import logging

import pytest

from modeling_pal.data.personachat import (
    PersonaExample,
    load_examples,
    pal_persona_examples,
    read_convai2,
    read_pal_extractor_csv,
    read_pal_personas,
    read_synthetic_persona_chat,
    split_heldout,
)

PAL_CSV = (
    ",context,persona\n"
    '0,"i am good , i have two jobs . <sep> i read a lot . </s>",i read twenty books a year. <persona> i am a stunt'
    " double. </s>\n"
    "1,hello what are doing today ? <sep> i just watched a horror movie </s>,horror movies are my favorites. </s>\n"
)
SELF_ORIGINAL = (
    "1 your persona: i read twenty books a year.\n"
    "2 your persona: i'm a stunt double as my second job.\n"
    "3 hello what are doing today ?\ti am good , i just got off work .\n"
    "4 i just got done watching a horror movie\ti rather read .\n"
    "1 your persona: i have two dogs.\n"
    "2 hi !\ti'm doing great .\n"
)
BOTH_ORIGINAL = (
    "1 your persona: i have two dogs.\n"
    "2 partner's persona: i love horror movies.\n"
    "3 partner's persona: i am a dad.\n"
    "4 __SILENCE__\thi there .\n"
    "5 hello what are you doing ?\ti walk my dogs .\t\tcandidate one|candidate two\n"
)


def pal_dialogue(seeker_turns: list[str], persona_list: list[str], original_layout: bool = False) -> dict:
    dialog = []
    for text in seeker_turns:
        if original_layout:
            dialog += [{"speaker": "seeker", "content": f"  {text} "}, {"speaker": "supporter", "content": "I see."}]
        else:
            dialog += [{"speaker": "usr", "text": text}, {"speaker": "sys", "text": "I see.", "strategy": "Others"}]
    persona = persona_list[-1] if persona_list else "<persona><input>"
    return {"situation": "s", "dialog": dialog, "persona": persona, "persona_list": persona_list}


def test_pal_extractor_csv(tmp_path):
    path = tmp_path / "valid.csv"
    path.write_text(PAL_CSV)
    assert read_pal_extractor_csv(path) == [
        PersonaExample(
            ("i am good , i have two jobs .", "i read a lot ."), ("i read twenty books a year.", "i am a stunt double.")
        ),
        PersonaExample(
            ("hello what are doing today ?", "i just watched a horror movie"), ("horror movies are my favorites.",)
        ),
    ]
    path.write_text("a,b\n1,2\n")
    with pytest.raises(ValueError, match="lacks the column"):
        read_pal_extractor_csv(path)


def test_load_examples_can_keep_only_grounded_targets(tmp_path):
    path = tmp_path / "valid.csv"
    path.write_text(PAL_CSV)
    # "i read twenty books a year." shares only "read" (1 of 4 content words) with what was said; "i am a stunt
    # double." and "horror movies are my favorites." (2 of 3: horror, movie) are kept or dropped by the threshold.
    assert load_examples([("pal-csv", path)], heldout_every=5, min_grounding=0.5) == [
        PersonaExample(
            ("hello what are doing today ?", "i just watched a horror movie"), ("horror movies are my favorites.",)
        )
    ]
    assert len(load_examples([("pal-csv", path)], heldout_every=5, min_grounding=0.25)[0].persona) == 1
    assert load_examples([("pal-csv", path)], heldout_every=5) == read_pal_extractor_csv(path)


def test_convai2_self_original(tmp_path):
    path = tmp_path / "valid_self_original_no_cands.txt"
    path.write_text(SELF_ORIGINAL)
    assert read_convai2(path) == [
        PersonaExample(
            ("i am good , i just got off work .", "i rather read ."),
            ("i read twenty books a year.", "i'm a stunt double as my second job."),
        ),
        PersonaExample(("i'm doing great .",), ("i have two dogs.",)),
    ]


def test_convai2_both_speakers_with_candidates(tmp_path):
    path = tmp_path / "valid_both_original.txt"
    path.write_text(BOTH_ORIGINAL)
    self_example, partner_example = read_convai2(path)
    assert self_example == PersonaExample(("hi there .", "i walk my dogs ."), ("i have two dogs.",))
    assert partner_example == PersonaExample(("hello what are you doing ?",), ("i love horror movies.", "i am a dad."))
    path.write_text("your persona: no number\n")
    with pytest.raises(ValueError, match="turn number"):
        read_convai2(path)


def test_synthetic_persona_chat(tmp_path):
    path = tmp_path / "spc.csv"
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["user 1 personas", "user 2 personas", "Best Generated Conversation"])
        conversation = "* * *\n*User 1:* Hi!\n\nUser 2: Hello!\nUser 1: I bake.\nIt is fun.\n\nUser 2: Cool."
        writer.writerow(["I love to bake cookies.\nI have a dog.", "I am a boy.", conversation])
    assert read_synthetic_persona_chat(path) == [
        PersonaExample(("Hi!", "I bake. It is fun."), ("I love to bake cookies.", "I have a dog.")),
        PersonaExample(("Hello!", "Cool."), ("I am a boy.",)),
    ]


def test_pal_personas(tmp_path, caplog):
    path = tmp_path / "pal_valid.jsonl"
    rows = [
        pal_dialogue(
            ["Hi", "Hello", "I lost my job.", "I am sad."], ["<persona> i lost my job. <input>", "<persona><input>"]
        ),
        pal_dialogue(["a b", "c d", "e f"], ["<persona>i am e.<input>"], original_layout=True),
        pal_dialogue(["x", "y", "z"], ["<persona> wrong. <input>", "<persona> rows. <input>"]),  # misaligned
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    with caplog.at_level(logging.WARNING):
        dialogues = read_pal_personas(path)
    assert "Skipped 1 dialogue" in caplog.text
    assert [d.seeker_utterances for d in dialogues] == [
        ("Hi", "Hello", "I lost my job.", "I am sad."),
        ("a b", "c d", "e f"),
    ]
    assert dialogues[0].persona_list == (("i lost my job.",), ())
    assert dialogues[1].persona == ("i am e.",)
    # One example per persona_list entry: the seeker utterances up to that turn (the 3rd, the 4th, ...).
    assert pal_persona_examples(dialogues) == [
        PersonaExample(("Hi", "Hello", "I lost my job."), ("i lost my job.",)),
        PersonaExample(("Hi", "Hello", "I lost my job.", "I am sad."), ()),
        PersonaExample(("a b", "c d", "e f"), ("i am e.",)),
    ]
    train, heldout = split_heldout(dialogues, every=2)
    assert train == dialogues[1:] and heldout == dialogues[:1]
    with pytest.raises(ValueError, match="nothing to train"):
        split_heldout(dialogues, every=1)


def test_esconv_without_personas_is_refused(tmp_path):
    path = tmp_path / "esconv.jsonl"
    path.write_text(json.dumps({"dialog": [{"speaker": "usr", "text": "Hi"}]}) + "\n")
    with pytest.raises(ValueError, match="not PESConv"):
        read_pal_personas(path)
