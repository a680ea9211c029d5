"""
`pipeline("persona-support")`: PAL's supporter reply to a conversation, with the support strategy it chose and the
seeker persona it read. The persona is inferred by the companion persona extractor, as in PAL: none (`"<input>"`)
before the seeker's 3rd utterance, then the extractor's sentences for everything the seeker has said.

```python
from transformers import pipeline

support = pipeline("persona-support", model="path/to/pal", trust_remote_code=True)
support([{"role": "user", "content": "I lost my job and I don't know how to tell my family."}])
# -> {"response": "...", "strategy": "Question", "strategy_scores": {"Question": 0.41, ...}, "persona": [],
#     "safety": False}
```
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from transformers import AutoConfig, AutoModelForCausalLM, AutoModelForSeq2SeqLM, AutoTokenizer, Pipeline
from transformers.utils import logging

from .chat_layout import chat_views, persona_message, render_prompt
from .conversation import (
    SUPPORTER,
    check_pipeline_inputs,
    conversation_messages,
    decode_response,
    encode_pal_inputs,
    format_context,
    hard_prompt_ids,
    pad_rows,
    pal_batches,
    validate_conversation,
)
from .pal_tokens import format_persona, pesconv_persona
from .persona_extraction import (
    PAL_FIRST_PERSONA_UTTERANCE,
    PersonaExtractionPipeline,
    register_pipeline_once,
    seeker_utterances,
)
from .safety import SafetyState, assess_conversation, safety_reply
from .strategies import resolve_strategy_alpha, strategy_by_token_id

logger = logging.get_logger(__name__)

# Sequences of seeker utterances whose inferred persona is kept (the least recently used go first).
PERSONA_CACHE_SIZE = 1024
# The keys of every reply, generated or the fixed safety message.
REPLY_KEYS = ("response", "strategy", "strategy_scores", "persona", "safety")


def resolve_extractor(reference: str, model_folder: str | None) -> str:
    """
    Where to load a persona extractor named in a model's config from: a relative path is read against the model's
    folder when that folder is local, and against its repository when the model came from the Hub (`"../name"`
    beside `"owner/model"` is `"owner/name"`, the same layout as `models/` here); an absolute path or a hub id is
    returned as given.
    """
    path = Path(reference).expanduser()
    if model_folder and not Path(model_folder).is_dir() and reference.startswith("../"):
        owner, _, repo = str(model_folder).rpartition("/")
        sibling = reference[len("../") :].strip("/")
        if owner and repo and sibling and "/" not in sibling and "/" not in owner:
            return f"{owner}/{sibling}"
    if path.is_absolute() or not model_folder or not Path(model_folder).is_dir():
        return str(path)
    candidate = (Path(model_folder) / path).resolve()
    return str(candidate) if candidate.is_dir() or reference.startswith(".") else reference


def load_persona_extractor(location: str | os.PathLike, device=None) -> PersonaExtractionPipeline:
    """The persona-extraction pipeline of an extractor folder or hub id (seq2seq or decoder-only)."""
    try:
        decoder_only = not AutoConfig.from_pretrained(location).is_encoder_decoder
        model_class = AutoModelForCausalLM if decoder_only else AutoModelForSeq2SeqLM
        model = model_class.from_pretrained(location)
        tokenizer = AutoTokenizer.from_pretrained(location)
    except (OSError, ValueError) as error:
        raise ValueError(
            f"No persona extractor could be loaded from {str(location)!r} ({error}). Pass `persona_extractor=` (an "
            "extractor folder or a loaded persona-extraction pipeline), or the seeker's `persona=` sentences."
        ) from error
    return PersonaExtractionPipeline(model=model, tokenizer=tokenizer, device=device)


def load_adapter(model, adapter_dir: str | os.PathLike, is_trainable: bool = False):
    """
    `model` with the LoRA adapter saved in `adapter_dir` (`pal-train --lora`). peft is imported here only, so a model
    folder that ships this pipeline loads without it.
    """
    if not (Path(adapter_dir) / "adapter_config.json").is_file():
        raise FileNotFoundError(f"No adapter_config.json in {adapter_dir}: not a saved adapter.")
    try:
        from peft import PeftModel
    except ImportError as error:
        raise ImportError("Loading a LoRA adapter (`adapter=`) needs peft: `pip install peft`.") from error
    return PeftModel.from_pretrained(model, adapter_dir, is_trainable=is_trainable)


def as_conversation(inputs: str | Sequence[Mapping], strategy_names: Sequence[str]) -> list[dict]:
    """A validated conversation from a list of messages, or from a string (the seeker's first message)."""
    conversation = validate_conversation(conversation_messages(inputs), strategy_names)
    if conversation[-1]["role"] == SUPPORTER:
        raise ValueError(
            "The conversation ends with a supporter ('assistant') message; PAL writes the reply to the seeker, so end "
            "it with a seeker ('user') message."
        )
    return conversation


def is_batch(inputs: Any) -> bool:
    """Whether `inputs` is a list of conversations (each a string or a list of messages) rather than one."""
    return (
        isinstance(inputs, (list, tuple))
        and len(inputs) > 0
        and all(
            isinstance(item, str)
            or (isinstance(item, (list, tuple)) and not any(isinstance(message, str) for message in item))
            for item in inputs
        )
    )


def check_safety_option(value: bool | str) -> bool | str:
    """`True`, `False` or `"rules"` (the rule layer alone); anything else is an error."""
    if value is True or value is False or value == "rules":
        return value
    raise ValueError(f"safety_check must be True, False or 'rules', got {value!r}.")


class PersonaSupportPipeline(Pipeline):
    """
    PAL's supporter reply to a conversation, with the strategy it chose and the seeker persona it read.

    Input: one conversation, a list of `{"role", "content"}` messages (`"user"`/`"seeker"` and
    `"assistant"`/`"supporter"`, supporter turns optionally with their `"strategy"`) that ends with the seeker, or a
    string (the seeker's first message); or a list of conversations (each one of those), decoded `batch_size` at a
    time in one `generate` call (inputs right-padded, as the encoder-decoder needs). Unless
    `config.fusion_mask_padding`, PAL's fusion attends over padding, so a conversation is only decoded with those of
    the same padded length: with greedy decoding, a batch gives what each conversation gives alone.

    Output per conversation: `{"response", "strategy", "strategy_scores", "persona", "safety"}`: the reply (clean
    text), the strategy it opens with, the probability of each strategy, the persona sentences read (`[]` when none)
    and whether the reply is the fixed safety message (`False` for a generated one).

    Safety check (on by default): once any seeker message of a conversation signals a risk of suicide or self-harm
    ([`modeling_pal.safety.assess_conversation`]: rules plus the MiniLM semantic layer), the conversation is in
    safety mode and every reply is not generated but fixed: `CRISIS_RESPONSE` the first time, the shorter
    `CRISIS_FOLLOW_UP` once a safety message is in the conversation (both name the helplines; a risk message in
    another language adds the international helpline link), with `"safety": True`, `"strategy": None`,
    `"strategy_scores": {}` and `"persona": []`. `safety_check=False` turns it off; `safety_check="rules"` runs the
    rule layer alone (no MiniLM). `pipe.safety_state(conversation)` gives the conversation's `SafetyState`.

    Streaming: pass a `transformers` streamer (`streamer=TextIteratorStreamer(tokenizer, skip_prompt=True,
    skip_special_tokens=True)`) with one conversation. PAL decodes `[start, strategy, response...]`: `skip_prompt`
    drops the start token and `skip_special_tokens` the strategy token, so the streamer sees only the response text
    (before `decode_response`'s clean-up of spaces around apostrophes and punctuation). A safety reply ends the
    streamer without text.

    Persona: PAL's rule, with the companion extractor: none (`"<input>"`) before the seeker's 3rd utterance, then the
    sentences the extractor infers from all seeker utterances so far. Inferred personas are cached per sequence of
    seeker utterances, so a growing chat only infers its newest prefix. A model without persona
    (`config.fuse_persona=False`, the Joint baseline) needs no extractor.

    Init parameters:
        persona_extractor (`str`, `os.PathLike` or `Pipeline`, *optional*): an extractor folder or hub id, or a loaded
            persona-extraction pipeline. Defaults to the model config's `persona_extractor`, a path relative to the
            model's folder (e.g. `"../persona-extractor"`), an absolute path or a hub id. Loaded on first use.
        persona_cache_size (`int`, defaults to 1024): sequences of seeker utterances whose persona is kept.
        adapter (`str` or `os.PathLike`, *optional*): a LoRA adapter folder (`pal-train --lora`) loaded onto the model.

    Call (or init) parameters:
        safety_check (`bool` or `"rules"`, defaults to `True`): answer a conversation in safety mode (a seeker message
            about suicide or self-harm) with the fixed safety message instead of a generated reply; `False` turns the
            check off, `"rules"` runs the rule layer only (without the MiniLM semantic layer).
        persona (`list[str]`): the seeker's persona sentences, used instead of inferring one (`[]`: no persona).
        strategy (`str`): the strategy to reply with, by name (`"Question"` or `"[Question]"`); PAL chooses otherwise.
        alpha (`str` or 8 floats): the per-strategy alphas of PAL's controllable generation, a preset name
            (`"released"`, `"per-strategy"`, `"off"`) or values; defaults to `config.strategy_alpha`.
        Any generation parameter (`max_new_tokens`, `do_sample`, `num_beams`, ...) or strategy-control option of
            [`PalForConditionalGeneration.generate`] (`selection_alpha`, `sample_strategy`, ...): defaults are the
            model's generation config (PAL's sampling).
    """

    _load_processor = False
    _load_image_processor = False
    _load_feature_extractor = False
    _load_tokenizer = True
    _pipeline_calls_generate = True

    def __init__(
        self,
        *args,
        persona_extractor: str | os.PathLike | Pipeline | None = None,
        persona_cache_size: int = PERSONA_CACHE_SIZE,
        adapter: str | os.PathLike | None = None,
        safety_check: bool | str = True,
        **kwargs,
    ):
        if persona_extractor is not None and not isinstance(persona_extractor, (str, os.PathLike, Pipeline)):
            raise ValueError(
                "persona_extractor must be an extractor folder, a hub id or a persona-extraction pipeline, got "
                f"{type(persona_extractor).__name__}."
            )
        super().__init__(*args, **kwargs)
        if self.tokenizer is None:
            raise ValueError("The persona-support pipeline needs the PAL model's tokenizer.")
        if not hasattr(self.model.config, "strategy_names"):
            raise ValueError(f"The persona-support pipeline needs a PAL model, got {type(self.model).__name__}.")
        if adapter is not None:
            self.model = load_adapter(self.model, adapter)
        self.safety_check = check_safety_option(safety_check)
        self._persona_extractor = persona_extractor
        self.persona_cache_size = persona_cache_size
        self.persona_cache: OrderedDict[tuple[str, ...], list[str]] = OrderedDict()

    @property
    def chat_model(self) -> bool:
        """Whether the model is a decoder-only PAL chat model (`PalLlamaForCausalLM`) rather than BlenderBot-small."""
        return not self.model.config.is_encoder_decoder

    def safety_state(self, inputs, safety_check: bool | str | None = None) -> SafetyState:
        """The safety state of one conversation (a list of messages or a string) under the pipeline's safety check."""
        check = self.safety_check if safety_check is None else check_safety_option(safety_check)
        if not check:
            return SafetyState(False)
        return assess_conversation(inputs, rules_only=check == "rules")

    @property
    def needs_persona(self) -> bool:
        """Whether the model reads a persona (fused, in the prompt, or before the context by the hard-prompt
        baseline)."""
        config = self.model.config
        if self.chat_model:
            return config.use_persona
        return config.fuse_persona or config.persona_in_context

    @property
    def persona_extractor(self) -> Pipeline | None:
        """
        The persona-extraction pipeline this pipeline runs (loaded on first use), or `None` when the model reads no
        persona or no extractor is given or configured.
        """
        if not self.needs_persona:
            return None
        configured = self.model.config.persona_extractor
        if self._persona_extractor is None and configured:
            self._persona_extractor = resolve_extractor(configured, self.model.name_or_path)
        if isinstance(self._persona_extractor, (str, os.PathLike)):
            self._persona_extractor = load_persona_extractor(self._persona_extractor, self.device)
        return self._persona_extractor

    def __call__(self, inputs, **kwargs):
        check_pipeline_inputs(inputs, lambda c: as_conversation(c, self.model.config.strategy_names), "Conversation")
        streamer = kwargs.get("streamer", self._forward_params.get("streamer"))
        batch_size = kwargs.get("batch_size") or self._batch_size or 1
        if streamer is not None and (is_batch(inputs) or not isinstance(inputs, (str, list, tuple)) or batch_size > 1):
            raise ValueError("A streamer follows one reply: give one conversation at a time.")
        return super().__call__(inputs, **kwargs)

    def _sanitize_parameters(
        self,
        persona: Sequence[str] | None = None,
        strategy: str | None = None,
        alpha: str | Sequence[float] | None = None,
        safety_check: bool | str | None = None,
        **generate_kwargs,
    ):
        preprocess = {} if safety_check is None else {"safety_check": check_safety_option(safety_check)}
        if persona is not None:
            format_persona(persona)  # a clear error now for a malformed persona
            preprocess["persona"] = [sentence.strip() for sentence in persona]
        if strategy is not None:
            self.model.config.strategy_index(strategy)
            generate_kwargs["strategy"] = strategy
        if alpha is not None:
            generate_kwargs["strategy_alpha"] = resolve_strategy_alpha(alpha, self.model.config.num_strategies)
        if generate_kwargs.get("num_return_sequences", 1) != 1:
            raise ValueError(
                "The persona-support pipeline writes one reply per conversation: drop `num_return_sequences`."
            )
        if generate_kwargs.get("use_strategy_control", True) is not True:
            raise ValueError("The persona-support pipeline always decodes with strategy control.")
        return preprocess, generate_kwargs, {}

    def infer_personas(self, conversations: Sequence[Sequence[Mapping]]) -> list[list[str] | None]:
        """
        The persona of each conversation by PAL's rule: `None` before the seeker's 3rd utterance, else the sentences
        the extractor infers from all seeker utterances so far (one extractor call for those not in the cache).
        """
        return self.personas_of([tuple(seeker_utterances(conversation)) for conversation in conversations])

    def persona_lists(self, conversations: Sequence[Sequence[Mapping]]) -> list[list[list[str]]]:
        """
        PESConv's `persona_list` of each conversation: the persona after each seeker utterance from the 3rd on (what
        a PAL chat model reads before each supporter turn), inferred in one extractor call for the prefixes not in
        the cache.
        """
        utterances = [tuple(seeker_utterances(conversation)) for conversation in conversations]
        prefixes = [[u[:end] for end in range(PAL_FIRST_PERSONA_UTTERANCE, len(u) + 1)] for u in utterances]
        found = self.personas_of([key for keys in prefixes for key in keys])
        lists, start = [], 0
        for keys in prefixes:
            lists.append([list(p) for p in found[start : start + len(keys)]])
            start += len(keys)
        return lists

    def personas_of(self, keys: Sequence[tuple[str, ...]]) -> list[list[str] | None]:
        """The persona inferred from each sequence of seeker utterances (`None` for fewer than 3), cached."""
        found: dict[tuple[str, ...], list[str]] = {}
        for key in keys:
            if key in self.persona_cache:
                self.persona_cache.move_to_end(key)
                found[key] = self.persona_cache[key]
        missing = list(dict.fromkeys(k for k in keys if len(k) >= PAL_FIRST_PERSONA_UTTERANCE and k not in found))
        if missing:
            extractor = self.persona_extractor
            if extractor is None:
                raise ValueError(
                    "This PAL model reads the seeker's persona, and no persona extractor is configured "
                    "(config.persona_extractor): pass `persona_extractor=` (an extractor folder or a loaded "
                    "persona-extraction pipeline) when creating the pipeline, or the seeker's `persona=` sentences."
                )
            options = self.model.config.persona_extractor_kwargs or {}
            inferred = extractor([list(key) for key in missing], batch_size=len(missing), **options)
            for key, sentences in zip(missing, inferred, strict=True):
                found[key] = self.persona_cache[key] = sentences
        while len(self.persona_cache) > self.persona_cache_size:
            self.persona_cache.popitem(last=False)
        return [found.get(key) for key in keys]

    def check_last_message(self, text: str) -> None:
        """
        An over-long conversation keeps its most recent tokens (as PAL reads it), but a last message that alone does
        not fit would be read only in part: that is an error.
        """
        length = len(self.tokenizer.encode(text, add_special_tokens=False, verbose=False))
        if length > self.model.config.max_input_length:
            raise ValueError(
                f"The last message alone takes {length} tokens, more than the model reads "
                f"(max_input_length={self.model.config.max_input_length}); shorten it."
            )

    def encode(self, context: str, persona: str | None) -> tuple[list[int], list[int] | None]:
        """One conversation's context ids and, for a model that fuses a persona, persona ids (both unpadded)."""
        config = self.model.config
        if config.persona_in_context:  # the hard-prompt baseline: the persona, then the context's last tokens
            persona_ids = self.tokenizer.encode(persona, add_special_tokens=False)
            room = config.max_input_length - len(persona_ids)
            if room < 1:
                raise ValueError(f"The persona has {len(persona_ids)} tokens, more than the model's input can hold.")
            batch, _ = encode_pal_inputs(self.tokenizer, [context], None, room)  # warns when it cuts the context
            return hard_prompt_ids(persona_ids, batch["input_ids"][0].tolist(), config.max_input_length), None
        personas = [persona] if config.fuse_persona else None
        batch, _ = encode_pal_inputs(self.tokenizer, [context], personas, config.max_input_length)
        return batch["input_ids"][0].tolist(), batch["persona_input_ids"][0].tolist() if personas else None

    def chat_inputs(self, conversations, persona: list[str] | None) -> dict:
        """Both views of each conversation's prompt for a PAL chat model, and the persona each reply reads."""
        config = self.model.config
        if not self.needs_persona:
            if persona:
                logger.warning_once("This model reads no persona (config.use_persona=False): `persona` is ignored.")
            lists = [None] * len(conversations)
        elif persona is not None:
            lists = [None] * len(conversations)
        else:
            lists = self.persona_lists(conversations)
        persona_rows, plain_rows, used = [], [], []
        for conversation, persona_list in zip(conversations, lists, strict=True):
            views = chat_views(conversation, persona_list, config.system_prompt, config.strategy_names)
            persona_view = views.persona_view
            if self.needs_persona and persona:
                persona_view = [*persona_view, persona_message(persona)]
            views_to_render = (persona_view, views.plain_view)
            prompts = [render_prompt(self.tokenizer, view, config.max_input_length) for view in views_to_render]
            if prompts[0].dropped_messages:
                logger.warning(
                    "The conversation is longer than the model reads (max_input_length=%d tokens): its %d oldest "
                    "messages were left out.",
                    config.max_input_length,
                    prompts[0].dropped_messages,
                )
            persona_rows.append(prompts[0].input_ids)
            plain_rows.append(prompts[1].input_ids)
            if not self.needs_persona:
                used.append([])
            elif persona is not None:
                used.append(list(persona))
            else:
                used.append(persona_list[-1] if persona_list else [])
        return {"input_ids": persona_rows, "plain_input_ids": plain_rows, "persona": used}

    def preprocess(self, conversation, persona: list[str] | None = None, safety_check: bool | str | None = None):
        """
        One conversation (a string, a list of messages, or the `Chat` a pipeline makes of one) into its unpadded
        token ids, or, in safety mode, its fixed safety reply: `_forward` pads the batch as the model needs and
        batches it by PAL's one rule (`pal_batches`).
        """
        conversation = as_conversation(conversation, self.model.config.strategy_names)
        check = self.safety_check if safety_check is None else safety_check
        reply = safety_reply(conversation, rules_only=check == "rules") if check else None
        if reply is not None:
            return {"conversation": {"safety": {key: reply[key] for key in REPLY_KEYS}}}
        encode = self.chat_inputs if self.chat_model else self.encode_conversations
        rows = encode([conversation], persona)
        return {"conversation": {**{key: values[0] for key, values in rows.items()}, "safety": None}}

    def encode_conversations(self, conversations, persona: list[str] | None = None) -> dict:
        """Each conversation's context ids, persona ids (`None` without fusion) and the persona it reads."""
        if not self.needs_persona:
            if persona:
                logger.warning_once("This model reads no persona (config.fuse_persona=False): `persona` is ignored.")
            sentences, texts = [[]] * len(conversations), [None] * len(conversations)
        elif persona is not None:
            sentences, texts = [persona] * len(conversations), [format_persona(persona)] * len(conversations)
        else:
            inferred = self.infer_personas(conversations)
            sentences = [s or [] for s in inferred]
            texts = [format_persona([]) if s is None else pesconv_persona(s) for s in inferred]
        names = self.model.config.strategy_names
        for conversation in conversations:
            self.check_last_message(conversation[-1]["content"])
        rows = [self.encode(format_context(c, names), text) for c, text in zip(conversations, texts, strict=True)]
        return {
            "input_ids": [context for context, _ in rows],
            "persona_input_ids": [persona_ids for _, persona_ids in rows],
            "persona": [list(s) for s in sentences],
        }

    def _forward(self, model_inputs, **generate_kwargs):
        batch = model_inputs["conversation"]  # one conversation's dict, or a list of them (batch_size > 1)
        items = batch if isinstance(batch, list) else [batch]
        results = [dict(item) for item in items]
        todo = [i for i, item in enumerate(items) if item["safety"] is None]
        if not todo and generate_kwargs.get("streamer") is not None:
            generate_kwargs["streamer"].end()  # nothing is generated: whoever reads the streamer stops waiting
        if todo:
            generate_kwargs = {**self._prepare_generate_kwargs(generate_kwargs), "return_dict_in_generate": True}
            rows = {key: [items[i][key] for i in todo] for key in items[todo[0]] if key != "safety"}
            decode = self._chat_forward if self.chat_model else self._seq2seq_forward
            output = decode(rows, generate_kwargs)
            for j, i in enumerate(todo):
                results[i].update(sequence=output["sequences"][j], strategy_scores=output["strategy_scores"][j])
        return {"conversation": results if isinstance(batch, list) else results[0]}

    def _seq2seq_forward(self, model_inputs, generate_kwargs):
        """PAL's (BlenderBot-small) replies: right-padded batches by PAL's one rule, one `generate` call each."""
        contexts, personas = model_inputs["input_ids"], model_inputs["persona_input_ids"]
        pad_id = self.tokenizer.pad_token_id
        sequences, scores = [None] * len(contexts), [None] * len(contexts)
        persona_lengths = None if personas[0] is None else [len(p) for p in personas]
        for rows in pal_batches([len(c) for c in contexts], persona_lengths, self.model.config.fusion_reads_padding):
            ids, mask = pad_rows([contexts[i] for i in rows], pad_id)
            batch = {"input_ids": ids.to(self.device), "attention_mask": mask.to(self.device)}
            if personas[0] is not None:
                ids, mask = pad_rows([personas[i] for i in rows], pad_id)
                batch.update(persona_input_ids=ids.to(self.device), persona_attention_mask=mask.to(self.device))
            output = self.model.generate(**batch, **generate_kwargs)
            step = output["strategy_scores"].shape[0] // len(rows)  # beams share their row's strategy distribution
            for j, i in enumerate(rows):
                sequences[i] = output["sequences"][j].tolist()
                scores[i] = output["strategy_scores"][j * step].tolist()
        return {"sequences": sequences, "strategy_scores": scores}

    def _chat_forward(self, model_inputs, generate_kwargs):
        """A PAL chat model's replies: both views left-padded into one batch, decoded in one `generate` call."""
        pad_id = self.tokenizer.pad_token_id
        ids, mask = pad_rows(model_inputs["input_ids"], pad_id, side="left")
        plain_ids, plain_mask = pad_rows(model_inputs["plain_input_ids"], pad_id, side="left")
        output = self.model.generate(
            input_ids=ids.to(self.device),
            attention_mask=mask.to(self.device),
            plain_input_ids=plain_ids.to(self.device),
            plain_attention_mask=plain_mask.to(self.device),
            **generate_kwargs,
        )
        prompt_length = max(ids.shape[1], plain_ids.shape[1])
        rows = len(model_inputs["input_ids"])
        step = output["strategy_scores"].shape[0] // rows  # beams share their row's strategy distribution
        return {
            "sequences": [row[prompt_length:].tolist() for row in output["sequences"]],
            "strategy_scores": [output["strategy_scores"][j * step].tolist() for j in range(rows)],
        }

    def postprocess(self, model_outputs):
        item = model_outputs["conversation"]
        if item["safety"] is not None:
            return item["safety"]
        config = self.model.config
        names = strategy_by_token_id(config.strategy_token_ids, config.strategy_names)
        sequence = item["sequence"]  # a chat model's: [strategy, reply...]; BlenderBot-small's: [start, strategy, ...]
        if self.chat_model:
            strategy, response = sequence[0], self.tokenizer.decode(sequence[1:], skip_special_tokens=True).strip()
        else:
            strategy, response = sequence[1], decode_response(self.tokenizer, sequence)
        return {
            "response": response,
            "strategy": names[int(strategy)],
            "strategy_scores": dict(zip(config.strategy_names, item["strategy_scores"], strict=True)),
            "persona": item["persona"],
            "safety": False,
        }


register_pipeline_once("persona-support", PersonaSupportPipeline)

__all__ = [
    "PERSONA_CACHE_SIZE",
    "REPLY_KEYS",
    "PersonaSupportPipeline",
    "check_safety_option",
    "load_adapter",
    "load_persona_extractor",
    "resolve_extractor",
]
