"""
A rule-based check for messages about suicide or self-harm, and the fixed reply that answers them.

PAL is a research model, not a crisis service: when a seeker's message speaks of suicide or self-harm, the reply
should not be a generated one but a fixed message pointing to professional help. `crisis_check(text)` returns the
rule that fired (or `None`); `safety_reply(messages)` returns that fixed reply when the last seeker message matches.

```python
from modeling_pal.safety import crisis_check, safety_reply

crisis_check("I want to end it all")  # CrisisMatch(rule='end_life', ...)
crisis_check("this job is killing me")  # None
safety_reply([{"role": "user", "content": "I feel suicidal"}])  # {"response": CRISIS_RESPONSE, "safety": True, ...}
```

The rules (`CRISIS_RULES`) are case-insensitive regular expressions with word boundaries over the message with its
apostrophes straightened and its whitespace collapsed. Each covers phrasings of one kind:

- `suicide`: "suicide", "suicidal" (not "Suicide Squad", "suicide doors", "suicide drills/runs/sprints").
- `kill_self`: "kill/killing/hang/unalive myself", "to/gonna/just off myself", "shoot myself" (not "... myself
  laughing", "shoot myself in the foot").
- `want_to_die`: "I want to / wanna / wish to / am ready to die" (not "I don't want to die", "... die of
  embarrassment/laughter/boredom"), "I wish I was dead", "better off dead".
- `not_want_to_live`: "I don't want to live / be alive / exist / wake up", "tired/sick of living", "I hope I never
  wake up", "go to sleep and never wake up" (not "live in/with/alone ...", "wake up early").
- `end_life`: "end it all", "end/take my (own) life" (not "take my life back", "my life savings"), "slit my
  wrists", "jump off a bridge/building/roof/cliff".
- `no_reason_to_live`: "no reason to live", "nothing to live for", "no point in living/going on", "not worth
  living", "I wish I'd never been born".
- `self_harm`: "self-harm", "self-injury", "hurt/harm/cut/burn/starve myself" (not "... myself shaving/cooking/
  playing/at the gym", "by accident", "cut myself off/some slack", "burn myself out").
- `overdose`: "overdose" (not on coffee, sugar and the like), "take all my / a bottle of / too many pills".
- `burden`: "(everyone would be) better off without me", "better off if I were gone / dead / not here".

Phrases that only sound alike do not fire: "this job is killing me", "I'm dying to see the movie", "my phone died",
"kill time", "the killer app", "I could kill for a pizza", "dead tired". The check favours recall: hyperbole such
as "I'll kill myself if I fail this exam" fires, and so does a message about someone else's suicide. It is a
safeguard for a research demo, not a risk assessment.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from .conversation import SEEKER, normalize_role

CRISIS_RESPONSE = (
    "It sounds like you are going through something very painful, and I'm glad you told me. I am an automated "
    "research demo, not a therapist or a crisis service, and I can't give you the help you deserve right now. "
    "Please reach out to people who can:\n"
    "- If you are in immediate danger, call your local emergency number (911 in the US, 999 or 112 in the UK, "
    "112 in the EU).\n"
    "- In the US, call or text 988 (988 Suicide & Crisis Lifeline).\n"
    "- In the UK and Ireland, call Samaritans free on 116 123.\n"
    "- Elsewhere, findahelpline.com lists free, confidential helplines in your country.\n\n"
    "If you can, tell someone you trust how you are feeling. You don't have to go through this alone."
)


class CrisisRule(NamedTuple):
    """A named rule: a case-insensitive pattern over the normalized message."""

    name: str
    pattern: re.Pattern


class CrisisMatch(NamedTuple):
    """The rule that fired, the matched text (normalized) and where it is in the normalized message."""

    rule: str
    text: str
    start: int
    end: int


def _rule(name: str, *phrases: str) -> CrisisRule:
    return CrisisRule(name, re.compile("|".join(rf"\b(?:{p})\b" for p in phrases), re.IGNORECASE))


_MYSELF = r"my\s?self"
_NOT = r"(?:don't|dont|do\s+not|never|no\s+longer)"
# "live" about where or how one lives: "I don't want to live in this city", "sick of living with roommates".
_NOT_A_PLACE = r"(?!\s+(?:in|with|at|on|near|by|next|under|there|here|alone|together|abroad|far|close|somewhere)\b)"
# "my life" in other senses: "take my life back", "took my life savings".
_NOT_LIFE_OTHER = r"(?!\s+(?:back|savings|insurance|story|in|into|to)\b)"

CRISIS_RULES: tuple[CrisisRule, ...] = (
    _rule("suicide", r"suicid(?:e|es|al|ally)(?!\s+(?:squad|doors?|drills?|runs?|sprints?)\b)"),
    _rule(
        "kill_self",
        rf"(?:kill|kills|killing|killed|hang|hanging|hanged|unalive|unaliving)\s+{_MYSELF}"
        r"(?!\s+(?:laughing|with\s+laughter)\b)",
        rf"(?:to|gonna|wanna|just|should|will|i'll)\s+off\s+{_MYSELF}",
        rf"shoot(?:ing)?\s+{_MYSELF}(?!\s+in\s+the\s+foot\b)",
    ),
    _rule(
        "want_to_die",
        r"(?<!don't\s)(?<!dont\s)(?<!not\s)(?<!never\s)"
        r"(?:want|wants|wanted|wanting|wanna|wish|wishing|ready|deserve|planning)\s+(?:to\s+)?die"
        r"(?!\s+(?:of|from)\s+(?:embarrassment|laughter|laughing|boredom|cuteness)\b)",
        r"wish\s+i\s+(?:was|were|could\s+be)\s+dead",
        r"better\s+off\s+dead",
    ),
    _rule(
        "not_want_to_live",
        rf"{_NOT}\s+want\s+to\s+(?:live{_NOT_A_PLACE}|be\s+alive|exist|wake\s+up(?!\s+(?:early|at|before)\b))",
        rf"(?:tired|sick)\s+of\s+(?:living{_NOT_A_PLACE}|being\s+alive)",
        r"(?:hope|wish)\s+i\s+(?:don't|dont|do\s+not|never|won't|wont|will\s+not)\s+wake\s+up",
        r"(?:go\s+to\s+sleep|fall\s+asleep)\s+and\s+never\s+wake\s+up",
    ),
    _rule(
        "end_life",
        r"(?:end|ends|ending|ended)\s+it\s+all",
        rf"(?:end|ending|ended|take|taking|took)\s+my\s+(?:own\s+)?life{_NOT_LIFE_OTHER}",
        r"slit(?:ting)?\s+my\s+wrists?",
        r"jump(?:ing)?\s+off\s+(?:a|the)\s+(?:bridge|building|roof|cliff)",
    ),
    _rule(
        "no_reason_to_live",
        rf"no\s+(?:reason|point)\s+(?:to|in|of)\s+(?:live{_NOT_A_PLACE}|living{_NOT_A_PLACE}|go\s+on|going\s+on|"
        r"be\s+alive|being\s+alive)",
        rf"(?:any|the)\s+point\s+(?:in|of)\s+(?:living{_NOT_A_PLACE}|going\s+on|being\s+alive)",
        r"nothing\s+(?:left\s+)?to\s+live\s+for",
        r"(?:isn't|isnt|not)\s+worth\s+living",
        r"wish\s+i(?:'d|\s+had)?\s+never\s+(?:been\s+born|existed)",
    ),
    _rule(
        "self_harm",
        r"self[\s-]?(?:harm|harming|harmed|injury|injuring|mutilation)",
        r"(?:hurt|hurts|hurting|harm|harming|harmed|cut|cuts|cutting|burn|burning|burned|burnt|starve|starving)\s+"
        rf"{_MYSELF}(?!\s+(?:shaving|cooking|playing|lifting|running|skiing|by\s+accident|accidentally|while|when|"
        r"during|at\s+(?:the\s+)?(?:gym|work)|off|out|some\s+slack|a\s+break)\b)",
    ),
    _rule(
        "overdose",
        r"overdos(?:e|es|ed|ing)(?!\s+on\s+(?:coffee|caffeine|sugar|chocolate|candy|netflix|tv|television)\b)",
        r"(?:take|taking|took|swallow|swallowing|swallowed)\s+(?:all\s+(?:of\s+)?my|a\s+(?:whole\s+)?bottle\s+of|"
        r"too\s+many|a\s+handful\s+of)\s+(?:sleeping\s+)?(?:pills|tablets|meds|medication|painkillers)",
    ),
    _rule(
        "burden",
        r"better\s+off\s+without\s+me",
        r"better\s+off\s+if\s+i\s+(?:(?:was|were)\s+(?:dead|gone)|(?:wasn't|weren't|was\s+not|were\s+not)\s+"
        r"(?:here|around|alive)|had\s+never\s+been\s+born)",
    ),
)


def normalize_message(text: str) -> str:
    """The text the rules read: curly apostrophes straightened, whitespace collapsed."""
    return " ".join(text.replace("\u2019", "'").replace("\u2018", "'").split())


def crisis_check(text: str) -> CrisisMatch | None:
    """The first rule of `CRISIS_RULES` that matches `text` (a message about suicide or self-harm), else `None`."""
    normalized = normalize_message(text)
    for rule in CRISIS_RULES:
        found = rule.pattern.search(normalized)
        if found:
            return CrisisMatch(rule.name, found.group(0), found.start(), found.end())
    return None


def safety_reply(messages: str | Sequence[Mapping[str, Any]]) -> dict[str, Any] | None:
    """
    The fixed crisis reply if the last seeker message of `messages` (a list of `{"role", "content"}` dicts, or one
    seeker message as a string) matches a crisis rule, else `None`. The reply has the keys of a generated one, with
    `"safety": True` marking it as the fixed safety message and `"rule"` naming the rule that fired.
    """
    if isinstance(messages, str):
        last = messages
    else:
        seeker = [m["content"] for i, m in enumerate(messages) if normalize_role(m.get("role"), i) == SEEKER]
        if not seeker:
            return None
        last = seeker[-1]
    match = crisis_check(last)
    if match is None:
        return None
    return {
        "response": CRISIS_RESPONSE,
        "strategy": None,
        "strategy_scores": {},
        "persona": [],
        "safety": True,
        "rule": match.rule,
    }


__all__ = [
    "CRISIS_RESPONSE",
    "CRISIS_RULES",
    "CrisisMatch",
    "CrisisRule",
    "crisis_check",
    "normalize_message",
    "safety_reply",
]
