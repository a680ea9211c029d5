import math

import nltk
import punkt
import pytest
from pycocoevalcap.rouge.rouge import Rouge

from modeling_pal.evaluation.metrics import (
    generation_metrics,
    metric_tokenize,
    perplexity,
    persona_response_similarity,
    sent_tokenize,
    strategy_metrics,
    word_tokenize,
)

# A worked example: lower case, no punctuation, so the metric tokens are the words. None of the words is in METEOR's
# English function-word list, and no two different words match by stem, synonym or paraphrase.
#   hyp 1 = ref 1 = "my cat feels sad today"                        (5 tokens)
#   hyp 2 = "green elephants sing", ref 2 = "purple zebras dance slowly"   (3 / 4 tokens, nothing in common)
#   hyp 3 = "my parrot feels sad", ref 3 = "my dog feels very sad"   (4 / 5 tokens, common: my, feels, sad)
HYPOTHESES = ["my cat feels sad today", "green elephants sing", "my parrot feels sad"]
REFERENCES = ["my cat feels sad today", "purple zebras dance slowly", "my dog feels very sad"]
# Corpus n-gram matches / hypothesis n-grams, n = 1..4 (clipped counts):
#   n=1: 5 + 0 + 3 = 8 of 5 + 3 + 4 = 12;   n=2: 4 + 0 + 0 = 4 of 4 + 2 + 3 = 9
#   n=3: 3 + 0 + 0 = 3 of 3 + 1 + 2 = 6;    n=4: 2 + 0 + 0 = 2 of 2 + 0 + 1 = 3
# Hypothesis length c = 12, reference length r = 14 -> brevity penalty BP = exp(1 - 14 / 12) = 0.846482
BP = math.exp(1 - 14 / 12)


@pytest.fixture(scope="module")
def worked_scores():
    """All metrics of the worked example, METEOR included (one Java process for the module)."""
    return generation_metrics(HYPOTHESES, REFERENCES, vocab_size=100)


def test_word_tokenize_matches_nltk_documentation():
    # The example of `nltk.tokenize`'s module documentation. "York." and "them." end sentences in the middle of the
    # text: only the Punkt sentence split turns them into "York", "." and "them", ".".
    text = "Good muffins cost $3.88\nin New York.  Please buy me\ntwo of them.\n\nThanks."
    assert sent_tokenize(text) == ["Good muffins cost $3.88\nin New York.", "Please buy me\ntwo of them.", "Thanks."]
    assert word_tokenize(text) == [
        "Good", "muffins", "cost", "$", "3.88", "in", "New", "York", ".",
        "Please", "buy", "me", "two", "of", "them", ".", "Thanks", ".",
    ]  # fmt: skip


def test_metric_tokenize_sentences_contractions_punctuation():
    text = "I'm so sorry to hear that. Don't worry, Mr. Smith will help you! Have you talked to Dr. Lee? I can't say."
    assert metric_tokenize(text) == [
        "i", "'m", "so", "sorry", "to", "hear", "that", ".",
        "do", "n't", "worry", ",", "mr.", "smith", "will", "help", "you", "!",
        "have", "you", "talked", "to", "dr.", "lee", "?",
        "i", "ca", "n't", "say", ".",
    ]  # fmt: skip
    text = "I don't know what to do... My friends won't talk to me anymore. It's hard, isn't it?"
    assert metric_tokenize(text) == [
        "i", "do", "n't", "know", "what", "to", "do", "...", "my", "friends", "wo", "n't", "talk", "to", "me",
        "anymore", ".", "it", "'s", "hard", ",", "is", "n't", "it", "?",
    ]  # fmt: skip


@pytest.fixture
def nltk_punkt_tab(tmp_path, monkeypatch):
    """NLTK's own `punkt_tab` English model files, written from the same parameters, on NLTK's data path."""
    model = punkt.load_model("english")
    folder = tmp_path / "tokenizers" / "punkt_tab" / "english"
    folder.mkdir(parents=True)
    (folder / "abbrev_types.txt").write_text("".join(f"{word}\n" for word in sorted(model.abbrev_types)))
    (folder / "sent_starters.txt").write_text("".join(f"{word}\n" for word in sorted(model.sent_starters)))
    (folder / "collocations.tab").write_text("".join(f"{a}\t{b}\n" for a, b in sorted(model.collocations)))
    (folder / "ortho_context.tab").write_text(
        "".join(f"{word}\t{int(flags)}\n" for word, flags in sorted(model.ortho_context.items()))
    )
    monkeypatch.setattr(nltk.data, "path", [str(tmp_path), *nltk.data.path])
    nltk.tokenize._get_punkt_tokenizer.cache_clear()
    yield
    nltk.tokenize._get_punkt_tokenizer.cache_clear()


def test_metric_tokenize_equals_nltk_word_tokenize(nltk_punkt_tab):
    texts = [
        "Hi! I'm here for you... You said you can't sleep? That's hard. Mr. and Mrs. Lee said so at 3 p.m. today.",
        "She said \"it's fine,\" but it wasn't.I know (a little) about that; U.S. rules are strict!you see",
        "I cannot cannot work under these conditions! It's more'n enough.",
    ]
    for text in texts:
        assert metric_tokenize(text) == nltk.word_tokenize(text.lower())
        assert word_tokenize(text) == nltk.word_tokenize(text)


def test_strategy_metrics():
    # gold [0, 1, 1, 2], predicted [0, 1, 2, 2]: 3 of 4 right -> accuracy = micro F1 = 75.
    # Per-class F1: class 0: P = R = 1 -> 1; class 1: P = 1/1, R = 1/2 -> 2/3; class 2: P = 1/2, R = 1/1 -> 2/3.
    # macro = (1 + 2/3 + 2/3) / 3 = 77.78; weighted by support (1, 2, 1) = (1 + 4/3 + 2/3) / 4 = 75.
    scores = strategy_metrics([0, 1, 2, 2], [0, 1, 1, 2])
    assert scores == pytest.approx(
        {"accuracy": 75.0, "macro-f1": 100 * 7 / 9, "micro-f1": 75.0, "weighted-f1": 75.0}, abs=1e-9
    )


@pytest.mark.parametrize(
    "predicted, gold, message",
    [([], [], "empty"), ([0, 1], [0], "one entry each"), ([0, 8], [0, 1], "outside"), ([0, 1], [-1, 1], "outside")],
)
def test_strategy_metrics_errors(predicted, gold, message):
    with pytest.raises(ValueError, match=message):
        strategy_metrics(predicted, gold)


def test_perplexity():
    # 10 tokens with NLL ln 5 each: exp(10 ln 5 / 10) = 5.
    assert perplexity(10 * math.log(5), 10) == pytest.approx(5.0)
    with pytest.raises(ValueError, match="positive"):
        perplexity(1.0, 0)


def test_nltk_bleu(worked_scores):
    # corpus_bleu with method3 smoothing (no precision is 0 here). NLTK counts a hypothesis without any n-gram as one
    # n-gram (`max(1, count)`): hyp 2 has no 4-gram, so p4 = 2 / (2 + 1 + 1) = 1/2.
    #   bleu-1 = BP * 8/12 = 56.4321;   bleu-2 = BP * (8/12 * 4/9) ** (1/2) = 46.0766
    #   bleu-3 = BP * (8/12 * 4/9 * 3/6) ** (1/3) = 44.7902;   bleu-4 = BP * (8/12 * 4/9 * 3/6 * 1/2) ** (1/4) = 44.1605
    assert worked_scores["bleu-1"] == pytest.approx(100 * BP * 8 / 12)
    assert worked_scores["bleu-2"] == pytest.approx(100 * BP * (8 / 12 * 4 / 9) ** (1 / 2))
    assert worked_scores["bleu-3"] == pytest.approx(100 * BP * (8 / 12 * 4 / 9 * 3 / 6) ** (1 / 3))
    assert worked_scores["bleu-4"] == pytest.approx(100 * BP * (8 / 12 * 4 / 9 * 3 / 6 * 1 / 2) ** (1 / 4))
    assert worked_scores["bleu-4"] == pytest.approx(44.1605, abs=1e-4)


def test_coco_bleu(worked_scores):
    # pycocoevalcap Bleu(4) ("closest" reference length) uses the same counts but p4 = 2 / 3 (hyp 2 adds nothing):
    #   coco-bleu-4 = BP * (8/12 * 4/9 * 3/6 * 2/3) ** (1/4) = 47.4536; n = 1..3 as NLTK's (up to its 1e-9 smoothing).
    for k in (1, 2, 3):
        assert worked_scores[f"coco-bleu-{k}"] == pytest.approx(worked_scores[f"bleu-{k}"], rel=1e-7)
    assert worked_scores["coco-bleu-4"] == pytest.approx(100 * BP * (8 / 12 * 4 / 9 * 3 / 6 * 2 / 3) ** (1 / 4))
    assert worked_scores["coco-bleu-4"] == pytest.approx(47.4536, abs=1e-4)


def test_meteor(worked_scores):
    # METEOR 1.5, English (alpha 0.85, beta 0.2, gamma 0.6; all words are content words so delta cancels), corpus stats:
    #   matches m = 5 + 0 + 3 = 8, P = 8/12, R = 8/14, Fmean = P R / (alpha P + (1 - alpha) R) = 0.583942
    #   chunks: 0 for the exact pair 1 (METEOR counts none for a full match), 3 for pair 3 (my | feels | sad: "feels
    #   sad" is contiguous in the hypothesis only) -> penalty = gamma (3/8) ** beta = 0.493126
    #   METEOR = Fmean (1 - penalty) = 0.583942 * 0.506874 = 29.5985
    precision, recall = 8 / 12, 8 / 14
    fmean = precision * recall / (0.85 * precision + 0.15 * recall)
    assert worked_scores["meteor"] == pytest.approx(100 * fmean * (1 - 0.6 * (3 / 8) ** 0.2), abs=1e-4)


def test_cider(worked_scores):
    # CIDEr-D (pycocoevalcap Cider, sigma 6), 3 references -> idf of an n-gram = log 3 - log(max(1, df)).
    #   pair 1 (identical, 1..4-grams): cosine 1 for every n -> 10 * mean(1, 1, 1, 1) = 10
    #   pair 2: nothing in common -> 0
    #   pair 3, n = 1: shared my, feels, sad (df 2, weight a = log 3 - log 2); parrot (hyp), dog, very (ref) have weight
    #     b = log 3. cos = 3a^2 / (sqrt(3a^2 + b^2) sqrt(3a^2 + 2b^2)) = 0.221847; n = 2..4: no shared n-gram.
    #     Length penalty on bigram counts 3 vs 4: exp(-1 / (2 * 36)) = 0.986207
    #     -> 10 * mean(0.221847 * 0.986207, 0, 0, 0) = 0.546968
    #   CIDEr = (10 + 0 + 0.546968) / 3 = 3.515656 -> 351.5656
    a, b = math.log(3) - math.log(2), math.log(3)
    cosine = 3 * a**2 / (math.sqrt(3 * a**2 + b**2) * math.sqrt(3 * a**2 + 2 * b**2))
    pair_3 = 10 * cosine * math.exp(-1 / 72) / 4
    assert worked_scores["cider"] == pytest.approx(100 * (10 + 0 + pair_3) / 3)
    assert worked_scores["cider"] == pytest.approx(351.5656, abs=1e-4)


def test_rouge_l(worked_scores):
    # LCS: pair 1: 5 (P = R = 1 -> 1); pair 2: 0 -> 0; pair 3: 3, P = 3/4, R = 3/5 ->
    #   F = (1 + 1.2^2) P R / (R + 1.2^2 P) = 2.44 * 0.45 / (0.6 + 1.08) = 0.653571 (beta = 1 would give 0.666667)
    #   ROUGE-L = (1 + 0 + 0.653571) / 3 = 55.1190
    pair_3 = 2.44 * 0.75 * 0.6 / (0.6 + 1.44 * 0.75)
    assert worked_scores["rouge-l"] == pytest.approx(100 * (1 + 0 + pair_3) / 3)
    assert worked_scores["rouge-l"] == pytest.approx(55.1190, abs=1e-4)
    coco, _ = Rouge().compute_score(
        {i: [r] for i, r in enumerate(REFERENCES)}, {i: [h] for i, h in enumerate(HYPOTHESES)}
    )
    assert worked_scores["rouge-l"] == pytest.approx(100 * coco)


def test_distinct_ead_f1_length(worked_scores):
    # Unigrams: 12, unique 9 (my, cat, feels, sad, today, green, elephants, sing, parrot) -> distinct-1 = 75
    # Bigrams: 4 + 2 + 3 = 9, unique 8 ("feels sad" twice) -> distinct-2 = 88.8889; trigrams: 6, all unique -> 100
    # EAD with V = 100: ead-1 = 9 / (100 (1 - 0.99^12)) = 9 / 11.3615 = 79.2148
    #                   ead-2 = 8 / (100 (1 - 0.99^9)) = 8 / 8.6483 = 92.5040
    # Unigram F1: pair 1: 1, pair 2: 0, pair 3: P = 3/4, R = 3/5 -> 2/3; mean = 55.5556. Length: 12 / 3 = 4.
    assert worked_scores["distinct-1"] == pytest.approx(75.0)
    assert worked_scores["distinct-2"] == pytest.approx(100 * 8 / 9)
    assert worked_scores["distinct-3"] == pytest.approx(100.0)
    assert worked_scores["ead-1"] == pytest.approx(100 * 9 / (100 * (1 - 0.99**12)))
    assert worked_scores["ead-2"] == pytest.approx(100 * 8 / (100 * (1 - 0.99**9)))
    assert worked_scores["f1"] == pytest.approx(100 * (1 + 0 + 2 / 3) / 3)
    assert worked_scores["length"] == pytest.approx(4.0)
    assert set(worked_scores) == {
        *(f"bleu-{k}" for k in range(1, 5)), *(f"coco-bleu-{k}" for k in range(1, 5)), "meteor", "cider", "rouge-l",
        "distinct-1", "distinct-2", "distinct-3", "ead-1", "ead-2", "f1", "length",
    }  # fmt: skip


def test_distinct_off_by_one():
    # PAL's `range(len(sen) - k)` drops each response's last n-gram:
    #   unigrams: [my cat feels sad] [green elephants] [my parrot feels] -> 9, unique 7 -> 77.7778
    #   bigrams: 3 + 1 + 2 = 6, all unique -> 100; trigrams: 2 + 0 + 1 = 3, all unique -> 100
    scores = generation_metrics(HYPOTHESES, REFERENCES, vocab_size=100, distinct_off_by_one=True, meteor=False)
    assert "meteor" not in scores
    assert scores["distinct-1"] == pytest.approx(100 * 7 / 9)
    assert scores["distinct-2"] == pytest.approx(100.0)
    assert scores["distinct-3"] == pytest.approx(100.0)


def test_ead_splits_sentences_and_keeps_case():
    # Sentences: "I feel sad." / "Sad days." / "i feel sad." -> [I feel sad .] [Sad days .] [i feel sad .]
    #   unigrams: 11, unique 7 (I, i, Sad, sad are all distinct)
    #     -> ead-1 = 7 / (1000 (1 - 0.999^11)) = 7 / 10.9452 = 63.9552
    #   bigrams never cross a sentence: 3 + 2 + 3 = 8, unique 6 -> ead-2 = 6 / (1000 (1 - 0.999^8)) = 75.2629
    # Distinct lowercases: [i feel sad . sad days .] [i feel sad .] -> 11 unigrams, 5 unique -> 45.4545
    hypotheses = ["I feel sad. Sad days.", "i feel sad."]
    scores = generation_metrics(hypotheses, hypotheses, vocab_size=1000, meteor=False)
    assert scores["ead-1"] == pytest.approx(100 * 7 / (1000 * (1 - 0.999**11)))
    assert scores["ead-2"] == pytest.approx(100 * 6 / (1000 * (1 - 0.999**8)))
    assert scores["distinct-1"] == pytest.approx(100 * 5 / 11)


def test_ead_vocab_size_is_pal_tokenizer_size(tokenizer):
    # PAL's get_EAD_score.py uses V = 54,956: the size of PAL's tokenizer with its added tokens.
    assert len(tokenizer) == 54956


@pytest.mark.parametrize(
    "hypotheses, references, vocab_size, message",
    [
        ([], [], 100, "empty"),
        (["a b"], ["a b", "c"], 100, "one entry each"),
        (["a b"], ["a b"], 0, "vocab_size"),
        (["a b", "c"], ["a b", "  "], 100, r"References \[1\] have no tokens"),
    ],
)
def test_generation_metrics_errors(hypotheses, references, vocab_size, message):
    with pytest.raises(ValueError, match=message):
        generation_metrics(hypotheses, references, vocab_size=vocab_size, meteor=False)


def test_meteor_needs_java(monkeypatch):
    monkeypatch.setattr("modeling_pal.evaluation.metrics.shutil.which", lambda name: None)
    with pytest.raises(RuntimeError, match="Java runtime"):
        generation_metrics(HYPOTHESES, REFERENCES, vocab_size=100)


def test_persona_response_similarity():
    # all-MiniLM-L6-v2 cosine similarities published in the sentence-transformers README:
    # "The weather is lovely today." vs "It's so sunny outside!" 0.6660, vs "He drove to the stadium." 0.1046.
    persona = "The weather is lovely today."
    related = persona_response_similarity([persona], ["It's so sunny outside!"])
    unrelated = persona_response_similarity([persona], ["He drove to the stadium."])
    assert related == pytest.approx(0.6660, abs=5e-5)
    assert unrelated == pytest.approx(0.1046, abs=5e-5)
    assert related > unrelated
    mean = persona_response_similarity(
        [persona, persona, "I am a nurse."],
        ["It's so sunny outside!", "He drove to the stadium.", "I work long shifts at the hospital."],
        batch_size=2,
    )
    nurse = persona_response_similarity(["I am a nurse."], ["I work long shifts at the hospital."])
    assert nurse > unrelated
    assert mean == pytest.approx((related + unrelated + nurse) / 3, abs=1e-6)
    with pytest.raises(ValueError, match="one entry each"):
        persona_response_similarity([persona], [])
