import pytest

from modeling_pal.safety import CRISIS_RESPONSE, CRISIS_RULES, crisis_check, safety_reply

# Messages about suicide or self-harm, with the rule expected to fire.
POSITIVES = [
    ("I want to die", "want_to_die"),
    ("i just wanna die", "want_to_die"),
    ("Honestly I wish I was dead", "want_to_die"),
    ("My family would be better off dead than stuck with me. I'd be better off dead.", "want_to_die"),
    ("I've been thinking about killing myself", "kill_self"),
    ("Sometimes I think I should just kill myself", "kill_self"),
    ("I'm thinking about how to kill my self", "kill_self"),
    ("I want to end it all", "end_life"),
    ("I'm thinking of ending my life", "end_life"),
    ("I'm going to take my own life", "end_life"),
    ("I keep thinking about jumping off a bridge", "end_life"),
    ("There's no reason to live anymore", "no_reason_to_live"),
    ("I have nothing to live for", "no_reason_to_live"),
    ("Life isn't worth living", "no_reason_to_live"),
    ("I can\u2019t see any point in living", "no_reason_to_live"),
    ("I wish I'd never been born", "no_reason_to_live"),
    ("I want to hurt myself", "self_harm"),
    ("I've been cutting myself again", "self_harm"),
    ("I keep having thoughts of self-harm", "self_harm"),
    ("I've been harming myself for months", "self_harm"),
    ("I'm going to take all my pills tonight", "overdose"),
    ("I thought about an overdose", "overdose"),
    ("I OVERDOSED last year and I'm scared I'll do it again", "overdose"),
    ("Everyone would be better off without me", "burden"),
    ("My kids would be better off if I were gone", "burden"),
    ("I feel suicidal", "suicide"),
    ("I've had suicidal thoughts for weeks", "suicide"),
    ("I want to commit suicide", "suicide"),
    ("I don't want to live anymore", "not_want_to_live"),
    ("I do not want to be alive", "not_want_to_live"),
    ("I'm so tired of living", "not_want_to_live"),
    ("I just want to go to sleep and never wake up", "not_want_to_live"),
]

# Messages that only sound alike.
NEGATIVES = [
    "This job is killing me",
    "I'm dying to see the movie",
    "My phone died in the middle of the call",
    "I play games to kill time",
    "Email was the killer app of the internet",
    "I could kill for a pizza right now",
    "I'm dead tired after the night shift",
    "I nearly killed myself laughing at that show",
    "I keep shooting myself in the foot at interviews",
    "I want to die of embarrassment, I called my teacher mom",
    "I don't want to die, I'm scared of this surgery",
    "I don't want to live in this city anymore",
    "I'm sick of living with roommates",
    "I don't want to wake up early tomorrow",
    "I cut myself shaving this morning",
    "I hurt myself playing football yesterday",
    "I need to cut myself some slack",
    "I've been burning myself out at work",
    "I want to take my life back after the divorce",
    "She took my life savings",
    "Suicide Squad was a fun movie",
    "I'm better off without him",
    "There's no point in arguing with my boss",
    "I want to end it with my boyfriend",
    "I took my medication this morning as usual",
    "I overdosed on coffee before the exam",
    "My plants keep dying",
    "That deadline is killing my sleep",
    "I'm dying of boredom at this desk",
    "I want to live a quieter life",
    "I'm dead serious about changing careers",
]


def test_rule_names_are_unique():
    names = [rule.name for rule in CRISIS_RULES]
    assert len(names) == len(set(names))
    assert {rule for _, rule in POSITIVES} == set(names)


@pytest.mark.parametrize("text, rule", POSITIVES)
def test_positive_messages_fire_their_rule(text, rule):
    match = crisis_check(text)
    assert match is not None and match.rule == rule, (text, match)
    assert match.text.lower() in " ".join(text.replace("\u2019", "'").split()).lower()


@pytest.mark.parametrize("text", NEGATIVES)
def test_tricky_negatives_do_not_fire(text):
    assert crisis_check(text) is None


def test_lists_are_large_enough():
    assert len(POSITIVES) >= 25 and len(NEGATIVES) >= 25


def test_case_and_whitespace():
    assert crisis_check("I   WANT\nto   DIE").rule == "want_to_die"
    assert crisis_check("killingmyself") is None  # word boundaries


def test_safety_reply_reads_the_last_seeker_message():
    messages = [
        {"role": "user", "content": "I want to die"},
        {"role": "assistant", "content": "I'm here with you. What happened?"},
        {"role": "user", "content": "Actually it's fine, I got the job."},
    ]
    assert safety_reply(messages) is None
    messages.append({"role": "assistant", "content": "That is great news."})
    assert safety_reply(messages) is None  # the last seeker message decides, not the last message
    reply = safety_reply([*messages, {"role": "seeker", "content": "But everyone would be better off without me."}])
    assert reply == {
        "response": CRISIS_RESPONSE,
        "strategy": None,
        "strategy_scores": {},
        "persona": [],
        "safety": True,
        "rule": "burden",
    }
    assert safety_reply("I feel suicidal")["rule"] == "suicide"
    assert safety_reply([{"role": "assistant", "content": "How can I help?"}]) is None
    with pytest.raises(ValueError, match="role"):
        safety_reply([{"role": "robot", "content": "I want to die"}])


def test_crisis_response_points_to_help():
    for needle in ("988", "Samaritans", "116 123", "findahelpline.com", "emergency", "not a therapist"):
        assert needle in CRISIS_RESPONSE
