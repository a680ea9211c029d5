"""
`pal-safety-eval`: recall and false-positive rate of the crisis detector (`modeling_pal.safety`) per category on the
labelled set in `modeling_pal/evaluation/safety_data/`, and its latency per message.

  pal-safety-eval                          # the held-out split: recall per risk category, FPR per safe category
  pal-safety-eval --split tune --errors    # the tune split, listing every miss and false alarm
  pal-safety-eval --rules-only             # the rule layer alone
  pal-safety-eval --fit                    # refit the semantic layer on tune (safety_weights.py, safety_exemplars.py)

The set: `messages.jsonl` (one message per line: text, label `risk`/`safe`, category, language, split) and
`conversations.jsonl` (multi-turn conversations: a risk conversation must be in safety mode by its last message, a
safe one never). The held-out split is never used to choose rules, weights or the threshold; `--fit` reads the tune
split only. A conversation counts as flagged when `assess_conversation` flags it.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "safety_data"
WEIGHTS_FILE = Path(__file__).resolve().parents[1] / "safety_weights.py"
EXEMPLARS_FILE = Path(__file__).resolve().parents[1] / "safety_exemplars.py"
SPLITS = ("tune", "heldout", "all")


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_set(split: str = "heldout", data_dir: Path = DATA_DIR) -> tuple[list[dict], list[dict]]:
    """The messages and conversations of a split (`"tune"`, `"heldout"` or `"all"`)."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}.")
    messages = load_jsonl(data_dir / "messages.jsonl")
    conversations = load_jsonl(data_dir / "conversations.jsonl")
    keep = (lambda row: True) if split == "all" else (lambda row: row["split"] == split)
    return [m for m in messages if keep(m)], [c for c in conversations if keep(c)]


def evaluate(
    split: str = "heldout",
    rules_only: bool = False,
    threshold: float | None = None,
    progress: bool = False,
    data_dir: Path = DATA_DIR,
) -> dict[str, Any]:
    """
    The detector's figures on a split: per category the items, the flagged ones and the rate (recall for a risk
    category, false-positive rate for a safe one), overall recall and FPR, the latency per message (median and p95,
    in ms, the encoder already loaded) and the misses and false alarms.
    """
    from modeling_pal import safety

    threshold = safety.THRESHOLD if threshold is None else threshold
    messages, conversations = load_set(split, data_dir)
    if not rules_only:
        safety.SEMANTIC.encoder()  # the one-off load is not a message's latency
        safety.crisis_check("warm up", threshold=threshold)
    items = [("message", m) for m in messages] + [("conversation", c) for c in conversations]
    if progress:
        from tqdm.auto import tqdm

        items = tqdm(items, desc=f"pal-safety-eval {split}", unit="item")
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    latencies: list[float] = []
    errors: list[dict[str, Any]] = []
    for kind, item in items:
        start = time.perf_counter()
        if kind == "message":
            match = safety.crisis_check(item["text"], rules_only=rules_only, threshold=threshold)
            latencies.append((time.perf_counter() - start) * 1000)
            flagged, how = match is not None, match
        else:
            state = safety.assess_conversation(item["messages"], rules_only=rules_only, threshold=threshold)
            flagged, how = state.flagged, state.match
        key = (item["label"], item["category"])
        counts[key][0] += 1
        counts[key][1] += flagged
        if flagged != (item["label"] == "risk"):
            text = item["text"] if kind == "message" else " | ".join(m["content"] for m in item["messages"])
            errors.append({"label": item["label"], "category": item["category"], "text": text,
                           "by": None if how is None else f"{how.rule} ({how.layer}, {how.score})"})
    categories = {}
    for (label, category), (total, flagged) in sorted(counts.items(), key=lambda kv: (kv[0][0] != "risk", kv[0][1])):
        categories[category] = {
            "label": label,
            "items": total,
            "flagged": flagged,
            "recall" if label == "risk" else "fpr": flagged / total,
        }
    risk = [v for v in categories.values() if v["label"] == "risk"]
    safe = [v for v in categories.values() if v["label"] == "safe"]
    ordered = sorted(latencies)
    return {
        "split": split,
        "layers": "rules" if rules_only else "rules+semantic",
        "threshold": None if rules_only else threshold,
        "recall": sum(v["flagged"] for v in risk) / max(1, sum(v["items"] for v in risk)),
        "fpr": sum(v["flagged"] for v in safe) / max(1, sum(v["items"] for v in safe)),
        "risk_items": sum(v["items"] for v in risk),
        "safe_items": sum(v["items"] for v in safe),
        "categories": categories,
        "latency_ms": {
            "median": statistics.median(ordered) if ordered else 0.0,
            "p95": ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] if ordered else 0.0,
            "max": ordered[-1] if ordered else 0.0,
        },
        "errors": errors,
    }


def format_report(report: dict[str, Any], errors: bool = False) -> str:
    """The report as a table: one row per category, then the overall figures and the latency."""
    lines = [
        f"pal-safety-eval: split {report['split']}, layers {report['layers']}"
        + (f", threshold {report['threshold']:.3f}" if report["threshold"] is not None else ""),
        f"{'category':<24}{'label':<7}{'items':>6}{'flagged':>9}  figure",
    ]
    for name, row in report["categories"].items():
        figure = f"recall {row['recall']:.1%}" if row["label"] == "risk" else f"FPR {row['fpr']:.1%}"
        lines.append(f"{name:<24}{row['label']:<7}{row['items']:>6}{row['flagged']:>9}  {figure}")
    latency = report["latency_ms"]
    lines += [
        f"overall: recall {report['recall']:.1%} of {report['risk_items']} risk items, FPR {report['fpr']:.1%} of "
        f"{report['safe_items']} safe items",
        f"latency per message: median {latency['median']:.1f} ms, p95 {latency['p95']:.1f} ms, max "
        f"{latency['max']:.1f} ms",
    ]
    if errors:
        for error in report["errors"]:
            kind = "MISS" if error["label"] == "risk" else "FALSE ALARM"
            lines.append(f"  {kind:<11} [{error['category']}] {error['text']!r}  <- {error['by']}")
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------------ fitting


def tune_examples(data_dir: Path = DATA_DIR) -> tuple[list[str], list[int], list[str], list[bool]]:
    """
    The semantic layer's training set: the tune split's messages as the layer reads them (normalised, without safe
    phrases and rejected rule matches; a message in another language through its English gloss, `safety.gloss`),
    their labels (1 = risk), categories and whether a rule flags them.
    """
    from modeling_pal.safety import _scan, detect_language, gloss, normalize_message, semantic_text

    messages, _ = load_set("tune", data_dir)
    texts, ruled, kept = [], [], []
    for m in messages:
        normalized = normalize_message(m["text"])
        match, rejected = _scan(normalized)
        language = detect_language(m["text"])
        if language != "en":
            glossed = gloss(m["text"], language)
            if glossed is None:
                continue
            normalized = normalize_message(glossed)
            native, (match, rejected) = match, _scan(normalized)
            match = native or match
        texts.append(semantic_text(normalized, rejected) or normalized)
        ruled.append(match is not None)
        kept.append(m)
    return texts, [int(m["label"] == "risk") for m in kept], [m["category"] for m in kept], ruled


# Background messages with any of these words are left out: they may speak of risk, and no one labelled them.
BACKGROUND_EXCLUDE = re.compile(
    r"suicid|kill|\bdie\b|dying|\bdead\b|death|hurt\s+(?:my|him|her)self|harm|end\s+(?:it|my\s+life|things)|pills|"
    r"overdos|\bcut|wrist|hang|jump|funeral|goodbye|not\s+(?:be\s+)?(?:here|alive|around)|live\s+anymore|wake\s+up|gone|"
    r"disappear|burden|better\s+off|point\s+(?:of|in)\s+living|exist|give\s+up|giving\s+up|no\s+point|can't\s+go\s+on|self",
    re.IGNORECASE,
)


def read_background(path: str | Path) -> list[str]:
    """
    Unlabelled everyday messages from a corpus file: the seeker turns of an ESConv-style `.jsonl` (`"dialog"` turns
    with `"speaker": "usr"`), or the utterances of a DailyDialog `dialogues_*.txt` (`__eou__`-separated).
    """
    path = Path(path)
    if path.suffix == ".jsonl":
        return [
            turn["text"]
            for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()
            for turn in json.loads(line)["dialog"]
            if turn.get("speaker") in ("usr", "seeker")
        ]
    lines = path.read_text(encoding="utf-8").splitlines()
    return [u.strip() for line in lines for u in line.split("__eou__") if u.strip()]


def background_examples(sources: Sequence[tuple[str, int]], seed: int = 0) -> list[str]:
    """`count` messages drawn (with `seed`) from each `(path, count)`, without `BACKGROUND_EXCLUDE` words or rules."""
    import random

    from modeling_pal.safety import normalize_message, rule_check, semantic_text

    rng = random.Random(seed)
    texts = []
    for path, count in sources:
        pool = [t for t in read_background(path) if not BACKGROUND_EXCLUDE.search(t) and rule_check(t) is None]
        texts += rng.sample(pool, min(count, len(pool)))
    return [semantic_text(normalize_message(t)) for t in texts]


def exemplar_features(x, risk, safe):
    """
    Nearest-exemplar features of embeddings `x` (rows, L2-normalised): the highest cosine similarity to the `risk`
    exemplars, to the `safe` exemplars, and the mean of the three highest to the risk exemplars.
    """
    import numpy as np

    sim_risk = x @ risk.T if len(risk) else np.zeros((len(x), 1))
    sim_safe = x @ safe.T if len(safe) else np.zeros((len(x), 1))
    top = np.sort(sim_risk, axis=1)[:, -3:]
    return np.stack([sim_risk.max(1), sim_safe.max(1), top.mean(1)], axis=1)


def quantize(rows, scale: float) -> str:
    """Rows of floats as int8 (value * `scale`) in base64: the exemplars as `safety_exemplars.py` stores them."""
    import base64

    import numpy as np

    data = np.clip(np.round(np.asarray(rows) * scale), -127, 127).astype(np.int8)
    return base64.b64encode(data.tobytes()).decode("ascii")


def dequantized(rows, scale: float):
    """The rows as the shipped exemplars hold them (int8 at `scale`, read back)."""
    import numpy as np

    return np.clip(np.round(np.asarray(rows) * scale), -127, 127) / scale


def fit_semantic_layer(
    background: Sequence[tuple[str, int]] = (),
    c: float = 4.0,
    max_fpr: float = 0.03,
    folds: int = 5,
    seed: int = 0,
    data_dir: Path = DATA_DIR,
    safe_exemplars: int = 800,
) -> dict[str, Any]:
    """
    The semantic layer: a logistic regression over the MiniLM embeddings of the tune split's English messages plus
    unlabelled everyday `background` messages as non-risk (`(path, count)` pairs, see `background_examples`), L2 with
    inverse strength `c`, the risk messages weighted to half the total; then a second, small logistic regression (the
    stack) over that regression's logit and the nearest-exemplar features (`exemplar_features`: similarity to the
    tune risk messages and to the tune safe messages plus `safe_exemplars` background ones), fitted on out-of-fold
    values (`folds`-fold cross-validation on tune, the exemplars of a fold being its training rows). Its threshold is
    the lowest at which rules plus the layer flag at most `max_fpr` of the tune split's safe messages on those
    out-of-fold scores: recall comes first, within that false-alarm budget. Returns the weights, bias, stack,
    exemplars, threshold and the cross-validated figures.
    """
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    from modeling_pal.safety import SEMANTIC

    texts, labels, categories, rule_flags = tune_examples(data_dir)
    extra = background_examples(background, seed)
    x = np.concatenate([SEMANTIC.embed(texts[i : i + 256]).numpy() for i in range(0, len(texts), 256)])
    xb = np.concatenate([SEMANTIC.embed(extra[i : i + 256]).numpy() for i in range(0, len(extra), 256)]) if extra else (
        np.zeros((0, x.shape[1]), dtype=x.dtype)
    )
    y = np.array(labels)
    rng = np.random.default_rng(seed)
    xb_exemplars = xb[rng.permutation(len(xb))[:safe_exemplars]]
    scale = float(127 / max(np.abs(x).max(), np.abs(xb_exemplars).max() if len(xb_exemplars) else 0))
    xq, xbq = dequantized(x, scale), dequantized(xb_exemplars, scale)  # the exemplars as shipped

    def fit(rows):
        features = np.concatenate([x[rows], xb])
        target = np.concatenate([y[rows], np.zeros(len(xb), dtype=y.dtype)])
        weight = np.ones(len(target))
        positives = target == 1
        weight[positives] = (len(target) - positives.sum()) / positives.sum()
        return LogisticRegression(C=c, max_iter=5000).fit(features, target, sample_weight=weight)

    def stack_features(model, rows, exemplar_rows):
        risk = xq[exemplar_rows][y[exemplar_rows] == 1]
        safe = np.concatenate([xq[exemplar_rows][y[exemplar_rows] == 0], xbq])
        logit = model.decision_function(x[rows])[:, None]
        return np.concatenate([logit, exemplar_features(x[rows], risk, safe)], axis=1)

    out_of_fold = np.zeros((len(texts), 4))
    plain = np.zeros(len(texts))
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=seed).split(x, y):
        model = fit(train)
        out_of_fold[test] = stack_features(model, test, train)
        plain[test] = model.predict_proba(x[test])[:, 1]
    stacker = LogisticRegression(C=1.0, max_iter=5000, class_weight="balanced").fit(out_of_fold, y)
    stacked = stacker.predict_proba(out_of_fold)[:, 1]
    ruled = np.array(rule_flags)

    def pick_threshold(scores):
        threshold = 1.0
        for value in np.sort(np.unique(scores))[::-1]:
            if (ruled | (scores >= value))[y == 0].mean() > max_fpr:
                break
            threshold = float(value)
        return threshold

    threshold = pick_threshold(stacked)
    flagged = ruled | (stacked >= threshold)
    semantic = stacked >= threshold
    plain_flagged = ruled | (plain >= pick_threshold(plain))
    model = fit(np.arange(len(texts)))
    per_category = {}
    for category in sorted(set(categories)):
        index = np.array([cat == category for cat in categories])
        per_category[category] = float(flagged[index].mean())
    risk_rows = x[y == 1]
    safe_rows = np.concatenate([x[y == 0], xb_exemplars])
    return {
        "weights": [float(w) for w in model.coef_[0]],
        "bias": float(model.intercept_[0]),
        "stack": [float(w) for w in stacker.coef_[0]] + [float(stacker.intercept_[0])],
        "scale": round(scale, 4),
        "risk_exemplars": quantize(risk_rows, round(scale, 4)),
        "safe_exemplars": quantize(safe_rows, round(scale, 4)),
        "exemplar_counts": (len(risk_rows), int((y == 0).sum()), len(xb_exemplars)),
        "threshold": round(threshold, 4),
        "c": c,
        "cv_recall": float(flagged[y == 1].mean()),
        "cv_fpr": float(flagged[y == 0].mean()),
        "cv_recall_without_exemplars": float(plain_flagged[y == 1].mean()),
        "cv_semantic_recall": float(semantic[y == 1].mean()),
        "cv_rule_missed_caught": f"{int((semantic & ~ruled & (y == 1)).sum())}/{int((~ruled & (y == 1)).sum())}",
        "cv_flagged_per_category": per_category,
        "examples": len(texts),
        "background": [f"{count} from {Path(path).parent.name}/{Path(path).name}" for path, count in background],
    }


def background_check(path: str | Path, threshold: float | None = None) -> dict[str, Any]:
    """The share of an unlabelled corpus's messages (`read_background`) that the detector flags, and which."""
    from modeling_pal import safety

    texts = read_background(path)
    flagged = [(t, m) for t in texts if (m := safety.crisis_check(t, threshold=threshold or safety.THRESHOLD))]
    return {"messages": len(texts), "flagged": len(flagged), "rate": len(flagged) / max(1, len(texts)),
            "examples": [(t, f"{m.rule} ({m.layer}, {m.score})") for t, m in flagged]}


def write_weights(fit: dict[str, Any], path: Path = WEIGHTS_FILE, exemplars_path: Path = EXEMPLARS_FILE) -> Path:
    """
    Writes the fitted layer as `safety_weights.py` and its exemplars as `safety_exemplars.py` (Python files, so hub
    folders carry them beside safety.py; the exemplars as base64 int8, no pickle).
    """
    rows = [", ".join(f"{w:.6f}" for w in fit["weights"][i : i + 8]) for i in range(0, len(fit["weights"]), 8)]
    body = "\n".join(f"    {row}," for row in rows)
    stack = ", ".join(f"{w:.6f}" for w in fit["stack"])
    path.write_text(
        '"""\n'
        "The crisis detector's semantic layer (`modeling_pal.safety.SemanticLayer`): a logistic regression over\n"
        "all-MiniLM-L6-v2 sentence embeddings (mean pooling, L2 norm), fitted on the tune split of\n"
        f"`modeling_pal/evaluation/safety_data/` ({fit['examples']} English messages, C={fit['c']}) plus everyday\n"
        "messages as non-risk "
        f"({', '.join(fit['background']) or 'none'}), by `pal-safety-eval --fit`;\n"
        "STACK weighs its logit and the nearest-exemplar similarities (`safety_exemplars.py`: highest to a risk\n"
        "exemplar, highest to a safe one, mean of the three highest to risk ones), then the bias.\n"
        "THRESHOLD is the lowest that keeps rules plus this layer within the false-alarm budget on the tune split's\n"
        f"cross-validated scores (tune recall {fit['cv_recall']:.3f}, FPR {fit['cv_fpr']:.3f}; without the exemplars "
        f"recall {fit['cv_recall_without_exemplars']:.3f};\n"
        f"this layer alone recall {fit['cv_semantic_recall']:.3f}, and {fit['cv_rule_missed_caught']} of the risk "
        "messages no rule catches).\n"
        "Generated: edit by refitting, not by hand.\n"
        '"""\n\n'
        f"BIAS = {fit['bias']:.6f}\n"
        f"THRESHOLD = {fit['threshold']}\n"
        f"STACK = ({stack})\n"
        f"WEIGHTS = (\n{body}\n)\n",
        encoding="utf-8",
    )
    risk, safe, background = fit["exemplar_counts"]

    def blob(name: str, encoded: str) -> str:
        lines = [encoded[i : i + 116] for i in range(0, len(encoded), 116)]
        return f"{name} = (\n" + "\n".join(f'    "{line}"' for line in lines) + "\n)\n"

    exemplars_path.write_text(
        '"""\n'
        "The nearest-exemplar part of the crisis detector's semantic layer: all-MiniLM-L6-v2 embeddings (L2 norm) of\n"
        f"the tune split's English risk messages ({risk}) and of its safe messages ({safe}) plus {background}\n"
        "everyday messages, as they are read (normalised, safe phrases removed), int8 (value * SCALE) in base64, row\n"
        "after row of DIM bytes. Written by `pal-safety-eval --fit`: edit by refitting, not by hand.\n"
        '"""\n\n'
        f"DIM = {len(fit['weights'])}\n"
        f"SCALE = {fit['scale']}\n"
        + blob("RISK", fit["risk_exemplars"])
        + blob("SAFE", fit["safe_exemplars"]),
        encoding="utf-8",
    )
    return path


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="pal-safety-eval", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--split", choices=SPLITS, default="heldout", help="the split to measure (default heldout)")
    parser.add_argument("--rules-only", action="store_true", help="the rule layer alone (no MiniLM)")
    parser.add_argument("--threshold", type=float, help="the semantic layer's threshold (default: the shipped one)")
    parser.add_argument("--errors", action="store_true", help="list every miss and false alarm")
    parser.add_argument("--json", help="also write the report to this JSON file")
    parser.add_argument("--fit", action="store_true", help="refit the semantic layer on the tune split and write it")
    parser.add_argument(
        "--max-fpr", type=float, default=0.03, help="--fit: the tune false-positive rate allowed (0.03)"
    )
    parser.add_argument("--c", type=float, default=4.0, help="--fit: inverse L2 strength of the regression (4.0)")
    parser.add_argument(
        "--background",
        action="append",
        default=[],
        metavar="FILE[:COUNT]",
        help="--fit: everyday messages to add as non-risk (ESConv .jsonl seeker turns or DailyDialog .txt), COUNT "
        "drawn (default 2000), repeatable; e.g. ../shared/data/esconv/train.jsonl:4000",
    )
    parser.add_argument(
        "--check",
        metavar="FILE",
        help="report the share of an unlabelled corpus's messages that the detector flags (e.g. ESConv test.jsonl)",
    )
    args = parser.parse_args(argv)
    if args.fit:
        background = []
        for spec in args.background:
            path, _, count = spec.rpartition(":") if spec.rpartition(":")[2].isdigit() else (spec, "", "2000")
            background.append((path, int(count)))
        fit = fit_semantic_layer(background, c=args.c, max_fpr=args.max_fpr)
        path = write_weights(fit)
        print(
            f"Wrote {path} and {EXEMPLARS_FILE.name}: threshold {fit['threshold']}, cross-validated tune recall "
            f"{fit['cv_recall']:.1%} (without exemplars {fit['cv_recall_without_exemplars']:.1%}), FPR "
            f"{fit['cv_fpr']:.1%}; per category {fit['cv_flagged_per_category']}. Reload the package to measure it."
        )
        return
    if args.check:
        check = background_check(args.check, args.threshold)
        print(f"{args.check}: {check['flagged']} of {check['messages']} messages flagged ({check['rate']:.2%})")
        for text, how in check["examples"] if args.errors else []:
            print(f"  {text!r}  <- {how}")
        return
    report = evaluate(args.split, rules_only=args.rules_only, threshold=args.threshold, progress=True)
    print(format_report(report, errors=args.errors))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
