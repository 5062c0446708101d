"""Labelers on the shared labeled sets: quality and calibration.

    python -m data_platform_tests.benchmarks.bench_labelers

- intent: trained on CLINC150's train split (15,100 utterances, 151 labels with out-of-scope),
  scored on its test split (5,500);
- emotion: multi-label, trained on GoEmotions' train split (43,410 comments, 28 labels), scored
  on its test split (5,427);
- tone: the labeling functions over the emotion labeler, scored on GoEmotions test comments
  whose gold emotions all fall in one tone's proxy group (friendly: gratitude, joy, love, caring,
  admiration, approval, amusement, excitement, optimism; apologetic: remorse; frustrated: anger,
  annoyance, disappointment, disgust; neutral: neutral). Formal has no proxy there.

Writes .bench/labelers/results.json and the reliability figure docs/img/labeler_reliability.png
(each classifier before and after calibration), prints a Markdown table. Skips with a message
where ../shared/data is absent.
"""

from __future__ import annotations

import json
import sys
import time

import numpy as np
import polars as pl
from sklearn.metrics import accuracy_score, f1_score

from data_platform.annotation.calibration import (
    expected_calibration_error,
    plot_reliability,
    points,
    reliability_table,
)
from data_platform.annotation.labelers import TextClassifier
from data_platform.annotation.tone import HOT, REMORSE, TONES, WARM, ToneLabeler
from data_platform_tests.conftest import PROJECT_ROOT

SHARED = PROJECT_ROOT.parent / "shared" / "data"
OUT = PROJECT_ROOT / ".bench" / "labelers"
FIGURE = PROJECT_ROOT / "docs" / "img" / "labeler_reliability.png"
PROXIES = {"friendly": WARM, "apologetic": REMORSE[:1], "frustrated": HOT, "neutral": ("neutral",)}


def add_reliability(
    curves: dict,
    task: str,
    classifier: TextClassifier,
    texts: pl.Series,
    proba: np.ndarray,
    truth: np.ndarray,
) -> None:
    """Reliability tables of ``classifier`` after calibration and before (its own models)."""
    before = classifier.predict_proba(texts, calibrated=False)
    for name, p in ((f"{task}, calibrated", proba), (f"{task}, before", before)):
        curves[name] = reliability_table(*points(p, truth, multi_label=classifier.multi_label))


def intent(results: dict, curves: dict) -> None:
    data = pl.read_ndjson(SHARED / "clinc150_intents" / "clinc150.jsonl")
    train, test = data.filter(pl.col("split") == "train"), data.filter(pl.col("split") == "test")
    started = time.perf_counter()
    classifier = TextClassifier.train("intent", train["text"].to_list(), train["intent"].to_list())
    trained = time.perf_counter() - started
    started = time.perf_counter()
    proba = classifier.predict_proba(test["text"])
    predicted = time.perf_counter() - started
    truth = np.array([classifier.label_set.index(v) for v in test["intent"]])
    guess = np.asarray(classifier.label_set)[proba.argmax(axis=1)]
    add_reliability(curves, "intent", classifier, test["text"], proba, truth)
    results["intent"] = {
        "train_records": train.height,
        "test_records": test.height,
        "accuracy": round(accuracy_score(test["intent"], guess), 4),
        "macro_f1": round(f1_score(test["intent"], guess, average="macro"), 4),
        "ece_calibrated": round(expected_calibration_error(curves["intent, calibrated"]), 4),
        "ece_before": round(expected_calibration_error(curves["intent, before"]), 4),
        "train_seconds": round(trained, 1),
        "predict_records_per_s": round(test.height / predicted),
    }


def emotion(results: dict, curves: dict) -> TextClassifier:
    data = pl.read_ndjson(SHARED / "goemotions" / "goemotions.jsonl.gz")
    train, test = data.filter(pl.col("split") == "train"), data.filter(pl.col("split") == "test")
    started = time.perf_counter()
    classifier = TextClassifier.train(
        "emotion", train["text"].to_list(), train["labels"].to_list(), multi_label=True
    )
    trained = time.perf_counter() - started
    proba = classifier.predict_proba(test["text"])
    truth = np.zeros(proba.shape, dtype=np.int8)
    for row, labels in enumerate(test["labels"].to_list()):
        truth[row, [classifier.label_set.index(v) for v in labels]] = 1
    chosen = proba >= classifier.threshold
    chosen[np.arange(len(proba)), proba.argmax(axis=1)] = True
    add_reliability(curves, "emotion", classifier, test["text"], proba, truth)
    results["emotion"] = {
        "train_records": train.height,
        "test_records": test.height,
        "micro_f1": round(f1_score(truth, chosen, average="micro"), 4),
        "macro_f1": round(f1_score(truth, chosen, average="macro"), 4),
        "ece_calibrated": round(expected_calibration_error(curves["emotion, calibrated"]), 4),
        "ece_before": round(expected_calibration_error(curves["emotion, before"]), 4),
        "train_seconds": round(trained, 1),
    }
    tone(results, classifier, train, test, proba)
    return classifier


def proxy_tones(frame: pl.DataFrame) -> tuple[np.ndarray, list[str]]:
    """Which records have a tone proxy (gold emotions all in one group), and that tone."""
    group_of = {e: tone for tone, emotions in PROXIES.items() for e in emotions}
    groups = [{group_of.get(e) for e in labels} for labels in frame["labels"].to_list()]
    keep = np.array([len(g) == 1 and None not in g for g in groups])
    return keep, [next(iter(g)) for g, k in zip(groups, keep, strict=True) if k]


def tone_scores(proxy: list[str], proba: np.ndarray) -> dict:
    guess = [TONES[i] for i in proba.argmax(axis=1)]
    per_tone = f1_score(proxy, guess, labels=list(PROXIES), average=None)
    return {
        "accuracy": round(accuracy_score(proxy, guess), 4),
        "macro_f1_over_proxy_tones": round(float(np.mean(per_tone)), 4),
        "per_tone_f1": {t: round(float(v), 4) for t, v in zip(PROXIES, per_tone, strict=True)},
    }


def tone(
    results: dict,
    emotion_labeler: TextClassifier,
    train: pl.DataFrame,
    test: pl.DataFrame,
    emotion_proba: np.ndarray,
) -> None:
    """Hand-set rules, then the same rules with weights fitted on train-split proxies."""
    keep, proxy = proxy_tones(test)
    texts = test.filter(pl.Series(keep))["text"]
    labeler = ToneLabeler(emotion_labeler)
    results["tone"] = {
        "proxy_records": len(proxy),
        "proxy_counts": {t: proxy.count(t) for t in PROXIES},
        "hand_set": tone_scores(proxy, labeler.predict_proba(texts, emotion_proba[keep])),
    }
    train_keep, train_proxy = proxy_tones(train)
    train_texts = train.filter(pl.Series(train_keep))["text"]
    labeler.fit(train_texts, train_proxy, emotion_labeler.predict_proba(train_texts))
    fitted = tone_scores(proxy, labeler.predict_proba(texts, emotion_proba[keep]))
    results["tone"].update(fitted_on_train_proxies=fitted, fitted_records=len(train_proxy))


def main() -> None:
    if not SHARED.exists():
        print(f"skipped: {SHARED} is absent (the labeled sets live there)", file=sys.stderr)
        return
    results: dict = {}
    curves: dict[str, pl.DataFrame] = {}
    intent(results, curves)
    emotion(results, curves)
    plot_reliability(curves, FIGURE, "Labeler reliability (CLINC150 and GoEmotions test splits)")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
