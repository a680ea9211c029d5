"""
PAL's inputs for a decoder-only chat model: the dialogue in the backbone's chat template, with the seeker persona as
messages inside it.

Persona-aware view (the paper's "Hard Prompt" made incremental):

    system     the supporter's instruction (`config.system_prompt`)
    user       seeker utterance 1
    assistant  "[Question] How are you feeling?"         <- every supporter turn opens with its strategy token
    user       seeker utterance 2
    user       seeker utterance 3
    system     "What the seeker has told about themselves:\n- i lost my job.\n- ..."   <- persona update
    assistant  "[Reflection of feelings] ..."
    ...

PAL's persona rules: a persona is read from the seeker's 3rd utterance on (before, nothing is added: PAL's
`"<input>"`); before each supporter turn that answers the seeker, the persona inferred from all seeker utterances so far
(PESConv's `persona_list[user_number - 3]`) is added as a system message holding the sentences not already stated. So
every supporter turn sees exactly the context and persona it sees at inference, and one forward pass over a whole
dialogue carries the loss of all its supporter turns. The persona-free view is the same dialogue without the persona
messages.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from .conversation import SEEKER, SUPPORTER, validate_conversation
from .strategies import strategy_token

# The instruction every PAL chat model reads first.
PAL_SYSTEM_PROMPT = (
    "You are a caring supporter in an emotional support conversation. Listen, understand the seeker's situation and "
    "feelings, and help them. Open each reply with its support strategy, then answer in a few warm, specific "
    "sentences."
)
PERSONA_HEADER = "What the seeker has told about themselves:"
# PAL infers a persona once the seeker has said this many utterances.
FIRST_PERSONA_UTTERANCE = 3
CHAT_ROLES = {SEEKER: "user", SUPPORTER: "assistant"}


class ChatViews(NamedTuple):
    """Both views of one dialogue as chat messages, and where each supporter turn sits in them."""

    persona_view: list[dict[str, str]]
    plain_view: list[dict[str, str]]
    persona_turns: list[int]  # index in `persona_view` of each supporter message
    plain_turns: list[int]  # index in `plain_view` of each supporter message
    persona: list[str]  # every persona sentence stated, in order


def persona_message(sentences: Sequence[str]) -> dict[str, str]:
    """The system message that tells the model new persona sentences."""
    return {"role": "system", "content": "\n".join([PERSONA_HEADER, *(f"- {s}" for s in sentences)])}


def supporter_text(content: str, strategy: str | None) -> str:
    """A supporter turn as the model writes it: its strategy token, then the reply."""
    return content if strategy is None else f"{strategy_token(strategy)} {content}"


def _key(sentence: str) -> str:
    return " ".join(sentence.lower().split())


def chat_views(
    messages: Sequence[Mapping],
    persona_list: Sequence[Sequence[str]] | None,
    system_prompt: str = PAL_SYSTEM_PROMPT,
    strategy_names: Sequence[str] | None = None,
    reply: bool = True,
) -> ChatViews:
    """
    Lays a conversation out in both views.

    Args:
        messages: `{"role", "content"}` messages (supporter turns optionally with their `"strategy"`).
        persona_list: the persona after each seeker utterance from the 3rd on (`persona_list[k]`: the sentences
            inferred from the first `k + 3` seeker utterances), or `None` for a model without persona (Joint).
            A shorter list gives no persona to the later turns.
        reply: whether a supporter reply to the last message follows (then its persona update is added at the end).
    """
    conversation = validate_conversation(messages, strategy_names)
    persona_view = [{"role": "system", "content": system_prompt}]
    plain_view = [{"role": "system", "content": system_prompt}]
    persona_turns, plain_turns, stated = [], [], []
    seen: set[str] = set()
    seekers = 0

    def add_persona() -> None:
        if persona_list is None or seekers < FIRST_PERSONA_UTTERANCE or seekers - FIRST_PERSONA_UTTERANCE >= len(
            persona_list
        ):
            return
        new = [s for s in persona_list[seekers - FIRST_PERSONA_UTTERANCE] if _key(s) not in seen and s.strip()]
        new = list(dict.fromkeys(new))
        if new:
            seen.update(_key(s) for s in new)
            stated.extend(new)
            persona_view.append(persona_message(new))

    previous = None
    for message in conversation:
        if message["role"] == SEEKER:
            seekers += 1
            content = message["content"]
        else:
            if previous == SEEKER:
                add_persona()
            content = supporter_text(message["content"], message["strategy"])
            persona_turns.append(len(persona_view))
            plain_turns.append(len(plain_view))
        chat = {"role": CHAT_ROLES[message["role"]], "content": content}
        persona_view.append(chat)
        plain_view.append(dict(chat))
        previous = message["role"]
    if reply and previous == SEEKER:
        add_persona()
    return ChatViews(persona_view, plain_view, persona_turns, plain_turns, stated)


class Prompt(NamedTuple):
    """A rendered prompt's token ids, and how many of its oldest messages were left out to fit."""

    input_ids: list[int]
    dropped_messages: int


def render_prompt(tokenizer, messages: Sequence[Mapping[str, str]], max_length: int) -> Prompt:
    """
    The chat ending with the assistant's generation prompt, as token ids. A chat longer than `max_length` tokens
    keeps its first message (the instruction) and its most recent messages that fit, and says how many it dropped;
    if even the instruction and the last message do not fit, it is an error.
    """
    messages = list(messages)
    dropped = 0
    while True:
        ids = tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=True, return_dict=False)
        ids = list(ids)
        if len(ids) <= max_length:
            return Prompt(ids, dropped)
        if len(messages) <= 2:
            raise ValueError(
                f"The last message alone takes {len(ids)} prompt tokens, more than the model reads "
                f"(max_input_length={max_length}); shorten it."
            )
        del messages[1]
        dropped += 1


__all__ = [
    "FIRST_PERSONA_UTTERANCE",
    "PAL_SYSTEM_PROMPT",
    "PERSONA_HEADER",
    "ChatViews",
    "Prompt",
    "render_prompt",
    "chat_views",
    "persona_message",
    "supporter_text",
]
