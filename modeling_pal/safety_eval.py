"""
`pal-safety-eval`: recall and false-positive rate of the crisis detector (`modeling_pal.safety`) per category on the
labelled set in `modeling_pal/safety_data/`, and its latency per message.

  pal-safety-eval                          # the held-out split: recall per risk category, FPR per safe category
  pal-safety-eval --split tune --errors    # the tune split, listing every miss and false alarm
  pal-safety-eval --rules-only             # the rule layer alone
  pal-safety-eval --fit                    # refit the semantic layer on the tune split (writes safety_weights.py)

The set: `messages.jsonl` (one message per line: text, label `risk`/`safe`, category, language, split) and
`conversations.jsonl` (multi-turn conversations: a risk conversation must be in safety mode by its last message, a
safe one never). The held-out split is never used to choose rules, weights or the threshold; `--fit` reads the tune
split only. A conversation counts as flagged when `assess_conversation` flags it.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "safety_data"
WEIGHTS_FILE = Path(__file__).resolve().parent / "safety_weights.py"
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
    from . import safety

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


def tune_examples(data_dir: Path = DATA_DIR) -> tuple[list[str], list[int], list[str]]:
    """The tune split's messages (normalised), labels (1 = risk) and categories: the semantic layer's training set."""
    from .safety import normalize_message

    messages, _ = load_set("tune", data_dir)
    return (
        [normalize_message(m["text"]) for m in messages],
        [int(m["label"] == "risk") for m in messages],
        [m["category"] for m in messages],
    )


def fit_semantic_layer(
    c: float = 4.0,
    target_recall: float = 0.99,
    folds: int = 5,
    seed: int = 0,
    data_dir: Path = DATA_DIR,
) -> dict[str, Any]:
    """
    A logistic regression over the MiniLM embeddings of the tune split (class-balanced, L2 with inverse strength
    `c`), and its threshold: the highest at which the cross-validated (`folds`) out-of-fold scores of the tune
    split's risk messages that no rule catches keep `target_recall`. Returns the weights, bias, threshold and the
    cross-validated figures.
    """
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    from .safety import SEMANTIC, rule_check

    texts, labels, categories = tune_examples(data_dir)
    x = SEMANTIC.embed(texts).numpy()
    y = np.array(labels)
    out_of_fold = np.zeros(len(texts))
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=seed).split(x, y):
        model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000).fit(x[train], y[train])
        out_of_fold[test] = model.predict_proba(x[test])[:, 1]
    ruled = np.array([rule_check(t, t) is not None for t in texts])
    candidates = np.sort(np.unique(out_of_fold))[::-1]
    threshold = 0.5
    for value in candidates:
        flagged = ruled | (out_of_fold >= value)
        if flagged[y == 1].mean() >= target_recall:
            threshold = float(value)
            break
    flagged = ruled | (out_of_fold >= threshold)
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000).fit(x, y)
    per_category = {}
    for category in sorted(set(categories)):
        index = np.array([cat == category for cat in categories])
        per_category[category] = float(flagged[index].mean())
    return {
        "weights": [float(w) for w in model.coef_[0]],
        "bias": float(model.intercept_[0]),
        "threshold": round(threshold, 4),
        "c": c,
        "cv_recall": float(flagged[y == 1].mean()),
        "cv_fpr": float(flagged[y == 0].mean()),
        "cv_flagged_per_category": per_category,
        "examples": len(texts),
    }


def write_weights(fit: dict[str, Any], path: Path = WEIGHTS_FILE) -> Path:
    """Writes the fitted layer as `safety_weights.py` (a Python file, so hub folders carry it beside safety.py)."""
    rows = [", ".join(f"{w:.6f}" for w in fit["weights"][i : i + 8]) for i in range(0, len(fit["weights"]), 8)]
    body = "\n".join(f"    {row}," for row in rows)
    path.write_text(
        '"""\n'
        "The crisis detector's semantic layer (`modeling_pal.safety.SemanticLayer`): a logistic regression over\n"
        "all-MiniLM-L6-v2 sentence embeddings (mean pooling, L2 norm), fitted on the tune split of\n"
        f"`modeling_pal/safety_data/` ({fit['examples']} messages, class-balanced, C={fit['c']}) by `pal-safety-eval --fit`.\n"
        "THRESHOLD keeps the target recall on the tune split's cross-validated scores "
        f"(recall {fit['cv_recall']:.3f}, FPR {fit['cv_fpr']:.3f}).\n"
        "Generated: edit by refitting, not by hand.\n"
        '"""\n\n'
        f"BIAS = {fit['bias']:.6f}\n"
        f"THRESHOLD = {fit['threshold']}\n"
        f"WEIGHTS = (\n{body}\n)\n",
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
    parser.add_argument("--target-recall", type=float, default=0.99, help="--fit: the tune recall to keep (0.99)")
    parser.add_argument("--c", type=float, default=4.0, help="--fit: inverse L2 strength of the regression (4.0)")
    args = parser.parse_args(argv)
    if args.fit:
        fit = fit_semantic_layer(c=args.c, target_recall=args.target_recall)
        path = write_weights(fit)
        print(
            f"Wrote {path}: threshold {fit['threshold']}, cross-validated tune recall {fit['cv_recall']:.1%}, "
            f"FPR {fit['cv_fpr']:.1%}. Reload the package to measure it."
        )
        return
    report = evaluate(args.split, rules_only=args.rules_only, threshold=args.threshold, progress=True)
    print(format_report(report, errors=args.errors))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
