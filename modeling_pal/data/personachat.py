"""
Readers for the (utterances, persona sentences) data a persona extractor learns from and is judged on:

- PAL's extractor CSVs (`persona_extractor/process_bart_df.py` output: `context`, `persona` columns);
- ParlAI PersonaChat/ConvAI2 text (`your persona:` / `partner's persona:` lines, then `partner\\tself` turns);
- Synthetic-Persona-Chat CSVs (`user 1 personas`, `user 2 personas`, `Best Generated Conversation`);
- PESConv dialogues (any ESConv layout) carrying the `persona` and `persona_list` that PAL's own extractor inferred.
"""

from __future__ import annotations

import argparse
import csv
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from modeling_pal.data.esconv import load_dialogues
from modeling_pal.pal_tokens import PERSONA_TOKEN, split_persona
from modeling_pal.persona_extraction import PAL_FIRST_PERSONA_UTTERANCE, SEPARATOR_TOKEN, ground_persona

logger = logging.getLogger(__name__)

# The eos marker PAL's CSVs end each field with.
CSV_EOS = "</s>"
PARLAI_SILENCE = "__SILENCE__"
SPC_COLUMNS = ("user 1 personas", "user 2 personas", "Best Generated Conversation")
SPC_TURN = re.compile(r"^[\s*_]*User ([12])[\s*_]*:[\s*_]*(.*)$")


@dataclass(frozen=True)
class PersonaExample:
    """One speaker of one dialogue: what they said, and their persona sentences."""

    utterances: tuple[str, ...]
    persona: tuple[str, ...]


@dataclass(frozen=True)
class PalPersonaDialogue:
    """A PESConv dialogue reduced to what the extractor sees and what PAL's extractor inferred from it."""

    seeker_utterances: tuple[str, ...]
    persona: tuple[str, ...]
    persona_list: tuple[tuple[str, ...], ...]


def _clean(text: str) -> str:
    return " ".join(text.split())


def _split(text: str, separator: str) -> tuple[str, ...]:
    pieces = (_clean(p) for p in text.replace(CSV_EOS, " ").split(separator))
    return tuple(p for p in pieces if p)


def read_pal_extractor_csv(path: str | Path) -> list[PersonaExample]:
    """
    Reads a PAL extractor CSV: one row per speaker, `context` = utterances joined by `" <sep> "`, `persona` = persona
    sentences joined by `" <persona> "`, each ending in `" </s>"`.
    """
    examples = []
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        missing = {"context", "persona"} - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path} is not a PAL extractor CSV: it lacks the column(s) {sorted(missing)}.")
        for row in reader:
            examples.append(
                PersonaExample(_split(row["context"], SEPARATOR_TOKEN), _split(row["persona"], PERSONA_TOKEN))
            )
    return examples


def read_convai2(path: str | Path) -> list[PersonaExample]:
    """
    Reads ParlAI PersonaChat/ConvAI2 text (`*_self_original*.txt`, `*_both_original*.txt`, with or without
    candidates). Each dialogue gives an example for the "self" speaker (`your persona:` lines, second column) and,
    where `partner's persona:` lines are given, one for the partner (first column, `__SILENCE__` left out).
    """
    examples: list[PersonaExample] = []
    self_persona: list[str] = []
    partner_persona: list[str] = []
    self_turns: list[str] = []
    partner_turns: list[str] = []

    def flush() -> None:
        for persona, turns in ((self_persona, self_turns), (partner_persona, partner_turns)):
            if persona and turns:
                examples.append(PersonaExample(tuple(turns), tuple(persona)))
            persona.clear()
            turns.clear()

    with open(path, encoding="utf-8") as f:
        for line_number, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip():
                continue
            number, _, text = line.partition(" ")
            if not number.isdigit():
                raise ValueError(f"{path}, line {line_number}: a ParlAI line starts with its turn number: {line!r}.")
            if number == "1":
                flush()
            if text.startswith("your persona:"):
                self_persona.append(_clean(text[len("your persona:") :]))
            elif text.startswith("partner's persona:"):
                partner_persona.append(_clean(text[len("partner's persona:") :]))
            else:
                fields = text.split("\t")
                if len(fields) < 2:
                    raise ValueError(f"{path}, line {line_number}: expected 'partner utterance<TAB>self utterance'.")
                if _clean(fields[0]) and fields[0].strip() != PARLAI_SILENCE:
                    partner_turns.append(_clean(fields[0]))
                if _clean(fields[1]):
                    self_turns.append(_clean(fields[1]))
    flush()
    return examples


def read_synthetic_persona_chat(path: str | Path) -> list[PersonaExample]:
    """
    Reads a Synthetic-Persona-Chat CSV: newline-separated persona sentences per user, and a conversation of
    `User 1: ...` / `User 2: ...` lines (markdown emphasis around the prefix allowed). A line without a prefix continues
    the previous utterance; lines before the first prefix and lines without a letter or digit are left out.
    """
    examples = []
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        missing = set(SPC_COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path} is not a Synthetic-Persona-Chat CSV: it lacks the column(s) {sorted(missing)}.")
        for row in reader:
            turns: dict[str, list[str]] = {"1": [], "2": []}
            speaker = None
            for line in row[SPC_COLUMNS[2]].splitlines():
                if match := SPC_TURN.match(line):
                    speaker = match.group(1)
                    turns[speaker].append(_clean(match.group(2)))
                elif speaker is not None and re.search(r"\w", line):
                    turns[speaker][-1] = _clean(f"{turns[speaker][-1]} {line}")
            for column, user in zip(SPC_COLUMNS[:2], turns, strict=True):
                persona = tuple(_clean(s) for s in row[column].splitlines() if s.strip())
                utterances = tuple(u for u in turns[user] if u)
                if persona and utterances:
                    examples.append(PersonaExample(utterances, persona))
    return examples


def read_pal_personas(path: str | Path) -> list[PalPersonaDialogue]:
    """
    Reads PESConv dialogues (any ESConv layout) that carry PAL's `persona` and `persona_list`. A dialogue whose
    `persona_list` does not have one entry per seeker utterance from the 3rd on is skipped with a warning (such a
    row belongs to another dialogue).
    """
    dialogues, skipped = [], 0
    for i, dialogue in enumerate(load_dialogues(path)):
        if dialogue.persona is None or dialogue.persona_list is None:
            raise ValueError(f"{path}: dialogue {i} has no 'persona' and 'persona_list'; it is not PESConv.")
        utterances = tuple(dialogue.seeker_utterances)
        if len(dialogue.persona_list) != max(0, len(utterances) - PAL_FIRST_PERSONA_UTTERANCE + 1):
            skipped += 1
            continue
        persona_list = tuple(tuple(split_persona(p)) for p in dialogue.persona_list)
        dialogues.append(PalPersonaDialogue(utterances, tuple(split_persona(dialogue.persona)), persona_list))
    if skipped:
        logger.warning(
            "Skipped %d dialogue(s) of %s whose persona_list does not match their seeker turns.", skipped, path
        )
    return dialogues


# Contractions that PAL's personas and PersonaChat's tokenized text split ("don t", "i m", "it s").
_SPLIT_NEGATION = re.compile(
    r"\b(do|does|did|is|was|are|were|ca|could|would|should|wo|have|has|had|ai|must|need)n t\b", re.IGNORECASE
)
_SPLIT_CONTRACTION = re.compile(
    r"\b(i|you|we|they|he|she|it|that|there|what|who|let) (m|re|ve|ll|d|s)\b", re.IGNORECASE
)
_SPLIT_APOSTROPHE = re.compile(r"(\w) ' (s|m|t|d|ll|re|ve)\b")
_SPACE_BEFORE_PUNCTUATION = re.compile(r" +([.,!?;:])")


def normalize_persona_sentence(sentence: str) -> str:
    """
    A persona sentence with split contractions joined ("i don t" -> "i don't", "i m" -> "i'm", "it ' s" -> "it's")
    and no space before punctuation: the form a decoder-only extractor learns to write.
    """
    text = _clean(sentence)
    text = _SPLIT_APOSTROPHE.sub(r"\1'\2", text)
    text = _SPLIT_NEGATION.sub(lambda m: f"{m.group(1)}n't", text)
    text = _SPLIT_CONTRACTION.sub(lambda m: f"{m.group(1)}'{m.group(2)}", text)
    return _SPACE_BEFORE_PUNCTUATION.sub(r"\1", text)


def split_heldout(
    dialogues: Sequence[PalPersonaDialogue], every: int
) -> tuple[list[PalPersonaDialogue], list[PalPersonaDialogue]]:
    """Splits dialogues into (train, held out): the dialogues at positions 0, `every`, 2 * `every`, ... are held out."""
    if every < 2:
        raise ValueError(f"Holding out every {every}-th dialogue leaves nothing to train on; use 2 or more.")
    return [d for i, d in enumerate(dialogues) if i % every], [d for i, d in enumerate(dialogues) if not i % every]


def pal_persona_examples(dialogues: Sequence[PalPersonaDialogue]) -> list[PersonaExample]:
    """One example per `persona_list` entry: the seeker utterances up to that turn, and PAL's persona after it."""
    return [
        PersonaExample(d.seeker_utterances[: k + PAL_FIRST_PERSONA_UTTERANCE], persona)
        for d in dialogues
        for k, persona in enumerate(d.persona_list)
    ]



READERS: dict[str, Callable[[Path], list[PersonaExample]]] = {
    "pal-csv": read_pal_extractor_csv,
    "convai2": read_convai2,
    "spc": read_synthetic_persona_chat,
}
PAL_PERSONAS = "pal-personas"


def data_spec(text: str) -> tuple[str, Path]:
    """Parses a `FORMAT:PATH` argument."""
    data_format, colon, path = text.partition(":")
    if not colon or data_format not in (*READERS, PAL_PERSONAS):
        raise argparse.ArgumentTypeError(f"{text!r}: use FORMAT:PATH with FORMAT in {[*READERS, PAL_PERSONAS]}.")
    if not Path(path).is_file():
        raise argparse.ArgumentTypeError(f"{text!r}: no file at {path}.")
    return data_format, Path(path)


def load_examples(
    specs: Sequence[tuple[str, Path]], heldout_every: int, limit: int | None = None, min_grounding: float = 0.0
) -> list[PersonaExample]:
    """
    Reads every `FORMAT:PATH` source (its first `limit` examples if given); from PESConv files, only the dialogues not
    held out for evaluation. With `min_grounding`, each example keeps only the persona sentences whose `grounding`
    in its utterances reaches it (PersonaChat personas hold many facts their speaker never says, which teach an
    extractor to invent), and an example left with none is dropped.
    """
    examples = []
    for data_format, path in specs:
        if data_format == PAL_PERSONAS:
            part = pal_persona_examples(split_heldout(read_pal_personas(path), heldout_every)[0])
        else:
            part = READERS[data_format](path)
        kept = part[:limit]
        if min_grounding:
            grounded = (
                PersonaExample(e.utterances, tuple(ground_persona(e.persona, e.utterances, min_grounding)))
                for e in kept
            )
            kept = [e for e in grounded if e.persona]
        examples.extend(kept)
        print(f"{data_format}:{path}: {len(kept)} of {len(part)} examples")
    return examples


__all__ = [
    "PAL_PERSONAS",
    "READERS",
    "data_spec",
    "load_examples",
    "PalPersonaDialogue",
    "PersonaExample",
    "pal_persona_examples",
    "read_convai2",
    "read_pal_extractor_csv",
    "read_pal_personas",
    "normalize_persona_sentence",
    "read_synthetic_persona_chat",
    "split_heldout",
]

