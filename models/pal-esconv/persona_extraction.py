"""
PAL's persona extractor: a seq2seq model (BART, BlenderbotSmall, ...) that reads what the seeker has said and writes
the seeker's persona sentences, and `pipeline("persona-extraction")` around it.

As in PAL (`persona_extractor/train_bart.py`, `codes/inputters/strat_interact.py`): the source is the seeker's
utterances joined by `" <sep> "`, the target their persona sentences joined by `" <persona> "`, decoding is beam
search (10 beams, up to 128 tokens, early stopping), and the output goes through PAL's post-filter. PAL uses a persona
from the seeker's 3rd utterance on; its PESConv data stores it as `"<persona> s1 <persona> s2 <input>"`.

```python
from transformers import pipeline

extractor = pipeline("persona-extraction", model="path/to/extractor", trust_remote_code=True)
messages = [{"role": "user", "content": "I lost my job last week."}, {"role": "user", "content": "We have two kids."}]
extractor(messages)  # -> ["i lost my job.", "i have two kids."]
extractor([messages, other_messages], batch_size=2)  # a batch: one persona per dialogue
extractor(messages, incremental=True)  # -> PESConv `persona_list`: one persona string per seeker turn from the 3rd
```
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from transformers import AddedToken, AutoModelForCausalLM, AutoModelForSeq2SeqLM, GenerationConfig, Pipeline
from transformers.pipelines import PIPELINE_REGISTRY

from .conversation import SEEKER, check_pipeline_inputs, conversation_messages, pad_rows, validate_conversation
from .pal_tokens import PERSONA_TOKEN, pesconv_persona
from .prefix_sharing import generate_with_shared_prefixes

logger = logging.getLogger(__name__)

SEPARATOR_TOKEN = "<sep>"
EXTRACTOR_TOKENS: tuple[str, ...] = (PERSONA_TOKEN, SEPARATOR_TOKEN)
# PAL's post-filter (`filter_persona` in `codes/inputters/strat_interact.py`).
PAL_BANNED_PHRASES: tuple[str, ...] = ("my favorite color is", "my favorite band")
PAL_MIN_WORDS = 2
PAL_MAX_WORDS = 25
# PAL infers a persona once the seeker has said this many utterances; before, the persona is `"<input>"`.
PAL_FIRST_PERSONA_UTTERANCE = 3
# PAL's extractor read at most 512 source tokens.
PAL_MAX_INPUT_LENGTH = 512
# PAL's extractor decoding (`generate_text` in `persona_extractor/train_bart.py`).
PAL_EXTRACTOR_DECODING: dict[str, Any] = {"num_beams": 10, "max_length": 128, "early_stopping": True}
# A decoder-only extractor's decoding: greedy, up to 64 new tokens (its reply is a few short lines).
CAUSAL_EXTRACTOR_DECODING: dict[str, Any] = {"num_beams": 1, "do_sample": False, "max_new_tokens": 64}
# The source length a decoder-only extractor reads by default (what the shipped one was trained on).
CAUSAL_MAX_INPUT_LENGTH = 256


# The decoder-only extractor (a chat LM such as SmolLM2 with a LoRA adapter) reads this instruction as its system
# turn, the seeker's utterances one per line as the user turn, and writes the persona sentences one per line.
EXTRACTOR_INSTRUCTION = (
    "Read what a person said in a conversation and list the facts they told about themselves and their life, one "
    "short sentence per line, in the first person. Write only what they said; never add anything they did not say."
)


def extractor_messages(utterances: Sequence[str]) -> list[dict[str, str]]:
    """The chat a decoder-only extractor reads: the instruction, then the utterances, one per line."""
    return [
        {"role": "system", "content": EXTRACTOR_INSTRUCTION},
        {"role": "user", "content": "\n".join(" ".join(u.split()) for u in utterances)},
    ]


def format_persona_lines(sentences: Sequence[str]) -> str:
    """A decoder-only extractor's reply: one persona sentence per line."""
    return "\n".join(sentences)


def fit_utterances(tokenizer, utterances: Sequence[str], max_tokens: int) -> EncodedUtterances:
    """
    The most recent utterances whose text fits `max_tokens` tokens (one line each); if the most recent alone is
    longer, its last `max_tokens` tokens. The result says how many utterances and tokens were left out.
    """
    if not utterances:
        raise ValueError("No utterances to encode.")
    kept: list[str] = []
    total = 0
    for utterance in reversed(utterances):
        length = len(tokenizer("\n" + utterance, add_special_tokens=False).input_ids)
        if kept and total + length > max_tokens:
            break
        kept.insert(0, utterance)
        total += length
    cut = 0
    if total > max_tokens:  # the most recent utterance alone is too long
        ids = tokenizer(kept[0], add_special_tokens=False).input_ids
        cut = len(ids) - max_tokens
        kept[0] = tokenizer.decode(ids[cut:])
    return EncodedUtterances(kept, len(utterances) - len(kept), cut)


def add_extractor_tokens(tokenizer) -> int:
    """
    Adds the `<persona>` and `<sep>` tokens a tokenizer lacks, as special tokens that absorb the spaces around them
    (as PAL's tokenizer did). Returns how many were added; resize the model's embeddings if it is not zero.
    """
    vocab = tokenizer.get_vocab()
    missing = [AddedToken(t, lstrip=True, rstrip=True, special=True) for t in EXTRACTOR_TOKENS if t not in vocab]
    return tokenizer.add_tokens(missing, special_tokens=True) if missing else 0


def check_extractor_tokenizer(tokenizer) -> None:
    """Raises a `ValueError` if the tokenizer cannot serve an extractor (no `<persona>`/`<sep>`, no eos or pad)."""
    missing = [t for t in EXTRACTOR_TOKENS if t not in tokenizer.get_vocab()]
    if missing:
        raise ValueError(f"The tokenizer lacks the extractor tokens {missing}; call `add_extractor_tokens` first.")
    for name in ("eos_token_id", "pad_token_id"):
        if getattr(tokenizer, name) is None:
            raise ValueError(f"The tokenizer has no {name[:-3]}; the persona extractor needs one.")


def format_source(utterances: Sequence[str]) -> str:
    """PAL's extractor source: the utterances joined by `" <sep> "`."""
    return f" {SEPARATOR_TOKEN} ".join(utterances)


def format_target(sentences: Sequence[str]) -> str:
    """PAL's extractor target: the persona sentences joined by `" <persona> "`."""
    return f" {PERSONA_TOKEN} ".join(sentences)


def filter_persona(
    sentences: Sequence[str],
    banned_phrases: Sequence[str] = PAL_BANNED_PHRASES,
    min_words: int = PAL_MIN_WORDS,
    max_words: int | None = PAL_MAX_WORDS,
) -> list[str]:
    """
    PAL's post-filter: drops sentences containing a banned phrase (case-insensitive) or with fewer than `min_words`
    or more than `max_words` whitespace-separated words, and repeated sentences (the first is kept).
    """
    kept, seen = [], set()
    for sentence in sentences:
        sentence = " ".join(sentence.split())
        words = len(sentence.split())
        key = sentence.lower()
        if not sentence or key in seen or any(phrase.lower() in key for phrase in banned_phrases):
            continue
        if words < min_words or (max_words is not None and words > max_words):
            continue
        seen.add(key)
        kept.append(sentence)
    return kept


# Words a persona sentence may use without the seeker having said them: grammar, pronouns, light verbs, and the
# words of the extractor's first-person templates ("i am", "i have", "i like", ...).
FUNCTION_WORDS = frozenset(
    """a about after again all also am an and any are as at be because been being but by can could did do does doing
    don done for from get gets getting got had has have having he her here him his how i if im in into is it its ive
    just like likes me more most much my myself no not now of on one or our out over really she so some still such
    than that the their them then there these they this those to too up us very was we were what when where which
    who will with would you your t s m re ve ll d""".split()
)
_WORD = re.compile(r"[a-z0-9]+")


def _stem(word: str) -> str:
    """A light suffix stripper, enough to match "worried" with "worry", "movies" with "movie", "jobs" with "job"."""
    for suffix in ("ies", "ied", "ing", "ed", "es", "s"):
        if word.endswith(suffix) and not word.endswith("ss") and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)] + ("i" if suffix in ("ies", "ied") else "")
            break
    if len(word) > 3 and word[-1] in "ey":
        word = word[:-1] + ("i" if word[-1] == "y" else "")
    return word


def content_stems(text: str) -> set[str]:
    """The stems of a text's content words (lower-cased, `FUNCTION_WORDS` left out)."""
    return {_stem(w) for w in _WORD.findall(text.lower()) if w not in FUNCTION_WORDS}


def grounding(sentence: str, utterances: Sequence[str]) -> float:
    """
    The share of a persona sentence's content words (`content_stems`) that the seeker used in `utterances`: 1.0
    when every one of them was said, 0.0 for a fact with no word of what was said (an invented one). A sentence with
    no content word counts as grounded.
    """
    words = content_stems(sentence)
    if not words:
        return 1.0
    said = set().union(*(content_stems(u) for u in utterances))
    return len(words & said) / len(words)


def ground_persona(sentences: Sequence[str], utterances: Sequence[str], min_grounding: float) -> list[str]:
    """Keeps the persona sentences whose `grounding` in the seeker's `utterances` is at least `min_grounding`."""
    if not 0.0 <= min_grounding <= 1.0:
        raise ValueError(f"min_grounding must be between 0 and 1, got {min_grounding}.")
    return [s for s in sentences if grounding(s, utterances) >= min_grounding]


def seeker_utterances(dialogue: str | Sequence[str] | Sequence[Mapping]) -> list[str]:
    """
    The seeker's utterances of one dialogue, whitespace-normalized: `dialogue` is a conversation of
    `{"role", "content"}` messages (a list, or the pipeline's `Chat` of one), from which the seeker's are taken in
    order; a string (the seeker's one utterance); or a list of seeker utterances.
    """
    dialogue = conversation_messages(dialogue) if isinstance(dialogue, str) else getattr(dialogue, "messages", dialogue)
    if isinstance(dialogue, bytes) or not isinstance(dialogue, Sequence):
        raise ValueError(
            "A dialogue is a string, a list of {'role', 'content'} messages or a list of seeker utterances, "
            f"got {type(dialogue).__name__}."
        )
    if len(dialogue) == 0:
        raise ValueError("The dialogue is empty: give at least one seeker utterance.")
    if all(isinstance(item, Mapping) for item in dialogue):
        utterances = [m["content"] for m in validate_conversation(dialogue) if m["role"] == SEEKER]
        if not utterances:
            raise ValueError("The conversation has no seeker ('user') message.")
    else:
        for i, item in enumerate(dialogue):
            if not isinstance(item, str):
                raise ValueError(f"Utterance {i} is of type {type(item).__name__}; give strings or messages, not both.")
            if not item.strip():
                raise ValueError(f"Utterance {i} is empty.")
        utterances = list(dialogue)
    return [" ".join(u.split()) for u in utterances]


class EncodedUtterances(NamedTuple):
    """The utterances a decoder-only extractor reads, and what fitting them cost."""

    utterances: list[str]
    dropped_utterances: int
    cut_tokens: int


class EncodedSource(NamedTuple):
    """A tokenized source, and what fitting it cost: oldest utterances dropped, tokens cut from the oldest kept."""

    input_ids: list[int]
    dropped_utterances: int
    cut_tokens: int


def _tokenize_source(tokenizer, utterances: Sequence[str]) -> list[int]:
    ids = tokenizer(format_source(utterances)).input_ids
    if not ids or ids[-1] != tokenizer.eos_token_id:
        ids = [*ids, tokenizer.eos_token_id]
    return ids


def encode_source(tokenizer, utterances: Sequence[str], max_length: int) -> EncodedSource:
    """
    Tokenizes the source of `utterances` (with the tokenizer's special tokens, always ending in eos). If it is longer
    than `max_length` tokens, the oldest utterances are dropped until it fits; if the most recent one alone is too
    long, its last tokens are kept. The result says how much was lost.
    """
    if not utterances:
        raise ValueError("No utterances to encode.")
    ids = _tokenize_source(tokenizer, utterances)
    if len(ids) <= max_length:
        return EncodedSource(ids, 0, 0)
    # Guess the first utterance to keep from per-utterance lengths, then check on the real tokenization.
    lengths = [len(tokenizer(u, add_special_tokens=False).input_ids) + 1 for u in utterances]
    start, total = len(utterances) - 1, lengths[-1] + 2
    while start > 0 and total + lengths[start - 1] <= max_length:
        start -= 1
        total += lengths[start]
    ids = _tokenize_source(tokenizer, utterances[start:])
    while len(ids) > max_length and start < len(utterances) - 1:
        start += 1
        ids = _tokenize_source(tokenizer, utterances[start:])
    while start > 0 and len(longer := _tokenize_source(tokenizer, utterances[start - 1 :])) <= max_length:
        start, ids = start - 1, longer
    cut = max(0, len(ids) - max_length)
    if cut:
        special = set(tokenizer.all_special_ids)
        lead = next((i for i, t in enumerate(ids) if t not in special), 0)
        if max_length <= lead + 1:
            raise ValueError(f"max_length={max_length} leaves no room for text after the special tokens.")
        ids = ids[:lead] + ids[lead + cut :]
    return EncodedSource(ids, start, cut)


def _set_only(params: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in params.items() if v is not None}


class PersonaExtractionPipeline(Pipeline):
    """
    Infers a seeker's persona sentences from what they have said, with PAL's persona extractor.

    Input, as `transformers` pipelines read it: one dialogue is a conversation of `{"role", "content"}` messages
    (its `"user"`/`"seeker"` messages are read, each one an utterance) or a string (one seeker utterance); a list of
    dialogues is a batch (there, a list of strings is one dialogue's seeker utterances); a Dataset or generator of
    dialogues streams. `batch_size` dialogues share one `generate` call; `num_workers` prepare them.

    Output per dialogue: its persona sentences after the post-filter; with `incremental=True`, PESConv's
    `persona_list` instead: after each seeker utterance from the 3rd on, the persona inferred from the utterances so
    far (`"<persona> s1 <persona> s2 <input>"`), all inferred in one `generate` call.

    Call (or init) parameters:
        incremental (`bool`, defaults to `False`): return the `persona_list` described above.
        post_filter (`bool`, defaults to `True`): apply PAL's post-filter; repeated sentences are always removed.
        banned_phrases (`list[str]`), min_words (`int`), max_words (`int | None`): the post-filter's settings,
            by default PAL's (`"my favorite color is"`, `"my favorite band"`; 2 to 25 words).
        min_grounding (`float`): keep only sentences whose `grounding` in the utterances read is at least this (0 to
            1; 0 keeps all), by default the model's `config.extractor_min_grounding`, else 0 (PAL has no such filter).
        max_input_length (`int`): source tokens read, by default PAL's 512 (or the model's limit if smaller). Longer
            sources keep their most recent utterances, and a warning says so.
        return_dropped (`bool`, defaults to `False`): return dicts that also give, per source, the number of oldest
            utterances dropped to fit (`{"persona": [...], "dropped_utterances": n}`, or with `incremental`,
            `{"persona_list": [...], "dropped_utterances": [n, ...]}`).
        Any generation parameter (`num_beams`, `max_length`, ...): defaults are PAL's decoding (10 beams, 128 tokens,
            early stopping) unless the model's generation config sets them.
    """

    _load_processor = False
    _load_image_processor = False
    _load_feature_extractor = False
    _load_tokenizer = True
    _pipeline_calls_generate = True
    _default_generation_config = GenerationConfig(**PAL_EXTRACTOR_DECODING)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.tokenizer is None:
            raise ValueError("The persona-extraction pipeline needs the extractor's tokenizer.")
        self.decoder_only = not self.model.config.is_encoder_decoder
        if self.decoder_only:
            if self.tokenizer.chat_template is None:
                raise ValueError("A decoder-only persona extractor needs a tokenizer with a chat template.")
            self._generation_defaults = {**CAUSAL_EXTRACTOR_DECODING, "pad_token_id": self.tokenizer.pad_token_id}
        else:
            check_extractor_tokenizer(self.tokenizer)

    def __call__(self, inputs, **kwargs):
        check_pipeline_inputs(inputs, seeker_utterances, "Dialogue")
        return super().__call__(inputs, **kwargs)

    def _sanitize_parameters(
        self,
        incremental: bool | None = None,
        post_filter: bool | None = None,
        banned_phrases: Sequence[str] | None = None,
        min_words: int | None = None,
        max_words: int | None = None,
        min_grounding: float | None = None,
        max_input_length: int | None = None,
        return_dropped: bool | None = None,
        **generate_kwargs,
    ):
        preprocess = {"incremental": incremental, "max_input_length": max_input_length}
        postprocess = {
            "post_filter": post_filter,
            "banned_phrases": banned_phrases,
            "min_words": min_words,
            "max_words": max_words,
            "min_grounding": min_grounding,
            "return_dropped": return_dropped,
        }
        return _set_only(preprocess), generate_kwargs, _set_only(postprocess)

    def encode(self, utterances: Sequence[str], max_input_length: int) -> EncodedSource:
        """The model input of one source: a seq2seq extractor's `encode_source`, or a decoder-only one's chat."""
        if not self.decoder_only:
            return encode_source(self.tokenizer, utterances, max_input_length)
        fitted = fit_utterances(self.tokenizer, utterances, max_input_length)
        ids = self.tokenizer.apply_chat_template(
            extractor_messages(fitted.utterances), add_generation_prompt=True, tokenize=True, return_dict=False
        )
        return EncodedSource(list(ids), fitted.dropped_utterances, fitted.cut_tokens)

    def default_max_input_length(self) -> int:
        """
        The source length the extractor was trained on (`config.extractor_max_input_length`, written by `pal-extractor
        train`), else PAL's 512 source tokens, or fewer if the model has fewer positions.
        """
        trained = getattr(self.model.config, "extractor_max_input_length", None)
        if trained:
            return trained
        if self.decoder_only:
            return CAUSAL_MAX_INPUT_LENGTH
        positions = getattr(self.model.config, "max_position_embeddings", None)
        return min(PAL_MAX_INPUT_LENGTH, positions) if positions else PAL_MAX_INPUT_LENGTH

    def preprocess(self, dialogue, incremental: bool = False, max_input_length: int | None = None):
        utterances = seeker_utterances(dialogue)
        max_input_length = max_input_length or self.default_max_input_length()
        if max_input_length < 2:
            raise ValueError(f"max_input_length={max_input_length} cannot hold an utterance and eos.")
        ends = range(PAL_FIRST_PERSONA_UTTERANCE, len(utterances) + 1) if incremental else [len(utterances)]
        prompts, dropped = [], []
        for end in ends:  # one source per persona wanted: all the utterances, or each prefix from the 3rd
            encoded = self.encode(utterances[:end], max_input_length)
            if encoded.dropped_utterances or encoded.cut_tokens:
                logger.warning(
                    "A source of %d utterances is longer than max_input_length=%d tokens: kept its %d most recent "
                    "utterances%s.",
                    end,
                    max_input_length,
                    end - encoded.dropped_utterances,
                    f" and cut {encoded.cut_tokens} tokens from the oldest of them" if encoded.cut_tokens else "",
                )
            prompts.append(encoded.input_ids)
            dropped.append(encoded.dropped_utterances)
        # One dialogue's token ids, unpadded: `_forward` pads the batch as the model needs and shares a decoder-only
        # extractor's prompt prefixes.
        sources = [utterances[:end] for end in ends]
        return {"dialogue": {"prompts": prompts, "dropped": dropped, "sources": sources, "incremental": incremental}}

    def _forward(self, model_inputs, **generate_kwargs):
        batch = model_inputs["dialogue"]  # one dialogue's dict, or a list of them (batch_size > 1)
        items = batch if isinstance(batch, list) else [batch]
        prompts = [prompt for item in items for prompt in item["prompts"]]
        sizes = [len(item["prompts"]) for item in items]
        sequences = self._generate(prompts, sizes, generate_kwargs) if prompts else []
        results, start = [], 0
        for item, size in zip(items, sizes, strict=True):
            kept = {k: v for k, v in item.items() if k != "prompts"}
            results.append({**kept, "sequences": sequences[start : start + size]})
            start += size
        return {"dialogue": results if isinstance(batch, list) else results[0]}

    def _generate(self, prompts: list[list[int]], sizes: list[int], generate_kwargs: dict) -> list[list[int]]:
        """The generated ids of every prompt (`sizes`: how many prompts each dialogue has, in order)."""
        generate_kwargs = self._prepare_generate_kwargs(generate_kwargs)
        pad_id = self.tokenizer.pad_token_id
        if not self.decoder_only:
            input_ids, attention_mask = pad_rows(prompts, pad_id)
            batch = {"input_ids": input_ids.to(self.device), "attention_mask": attention_mask.to(self.device)}
            return self.model.generate(**batch, **generate_kwargs).tolist()
        config = generate_kwargs.get("generation_config") or self.model.generation_config
        if generate_kwargs.get("num_beams", config.num_beams or 1) > 1:  # beam search reads each prompt whole
            input_ids, attention_mask = pad_rows(prompts, pad_id, side="left")
            batch = {"input_ids": input_ids.to(self.device), "attention_mask": attention_mask.to(self.device)}
            return self.model.generate(**batch, **generate_kwargs)[:, input_ids.shape[1] :].tolist()
        # The prompts of one dialogue (one per prefix of its utterances) are read in one pass over the longest.
        starts = [0]
        for size in sizes:
            starts.append(starts[-1] + size)
        groups = [list(range(a, b)) for a, b in zip(starts, starts[1:], strict=False) if b > a]
        return generate_with_shared_prefixes(self.model, prompts, groups, pad_id, **generate_kwargs).tolist()

    def decode_sentences(self, ids: Sequence[int]) -> list[str]:
        """
        The sentences of one generated sequence: the text between `<persona>` tokens (a decoder-only extractor's:
        its lines), special tokens removed.
        """
        if self.decoder_only:
            text = self.tokenizer.decode(ids, skip_special_tokens=True)
            return [" ".join(line.split()) for line in text.splitlines() if line.strip()]
        persona_id = self.tokenizer.convert_tokens_to_ids(PERSONA_TOKEN)
        segments: list[list[int]] = [[]]
        for token in ids:
            if token == persona_id:
                segments.append([])
            else:
                segments[-1].append(token)
        texts = self.tokenizer.batch_decode(segments, skip_special_tokens=True, clean_up_tokenization_spaces=True)
        return [" ".join(t.split()) for t in texts if t.strip()]

    def postprocess(
        self,
        model_outputs,
        post_filter: bool = True,
        banned_phrases: Sequence[str] = PAL_BANNED_PHRASES,
        min_words: int = PAL_MIN_WORDS,
        max_words: int | None = PAL_MAX_WORDS,
        min_grounding: float | None = None,
        return_dropped: bool = False,
    ):
        if min_grounding is None:
            min_grounding = getattr(self.model.config, "extractor_min_grounding", 0.0)
        item = model_outputs["dialogue"]
        personas = []
        for ids, source in zip(item["sequences"], item["sources"], strict=True):
            sentences = self.decode_sentences(ids)
            if post_filter:
                sentences = filter_persona(sentences, banned_phrases, min_words, max_words)
            else:
                sentences = filter_persona(sentences, banned_phrases=(), min_words=0, max_words=None)
            if min_grounding:
                sentences = ground_persona(sentences, source, min_grounding)
            personas.append(sentences)
        if item["incremental"]:
            persona_list = [pesconv_persona(sentences) for sentences in personas]
            if return_dropped:
                return {"persona_list": persona_list, "dropped_utterances": item["dropped"]}
            return persona_list
        return {"persona": personas[0], "dropped_utterances": item["dropped"][0]} if return_dropped else personas[0]


def save_extractor(model, tokenizer, output_dir: str | Path, max_input_length: int | None = None) -> Path:
    """
    Writes a hub-ready extractor folder: the model (safetensors), its generation config, the tokenizer, and this
    pipeline's code, registered in `config.json` under `custom_pipelines`, so that
    `pipeline("persona-extraction", model=folder, trust_remote_code=True)` loads it anywhere. `max_input_length`, the
    source length it was trained on, becomes the pipeline's default (`config.extractor_max_input_length`).
    """
    if max_input_length is not None:
        model.config.extractor_max_input_length = max_input_length
    pipe = PersonaExtractionPipeline(model=model, tokenizer=tokenizer, device=model.device)
    pipe.save_pretrained(output_dir)
    return Path(output_dir)


def register_pipeline_once(task: str, pipeline_class: type[Pipeline]) -> None:
    """
    Registers one of PAL's pipelines for text models of both families, unless a pipeline of that name is registered
    already: a hub folder's copy of this code, imported by `trust_remote_code`, leaves the package's one in place
    (instead of transformers' "already registered, overwriting" warning).
    """
    registered = PIPELINE_REGISTRY.supported_tasks.get(task)
    if registered is not None and registered["impl"].__name__ == pipeline_class.__name__:
        return
    PIPELINE_REGISTRY.register_pipeline(
        task, pipeline_class=pipeline_class, pt_model=(AutoModelForSeq2SeqLM, AutoModelForCausalLM), type="text"
    )


register_pipeline_once("persona-extraction", PersonaExtractionPipeline)

__all__ = [
    "EXTRACTOR_TOKENS",
    "PAL_BANNED_PHRASES",
    "CAUSAL_EXTRACTOR_DECODING",
    "EXTRACTOR_INSTRUCTION",
    "PAL_EXTRACTOR_DECODING",
    "PAL_FIRST_PERSONA_UTTERANCE",
    "EncodedSource",
    "PersonaExtractionPipeline",
    "add_extractor_tokens",
    "check_extractor_tokenizer",
    "encode_source",
    "extractor_messages",
    "fit_utterances",
    "filter_persona",
    "format_source",
    "format_persona_lines",
    "format_target",
    "save_extractor",
    "seeker_utterances",
]
