"""Label-error detection with injected noise on a real labeled set.

    python -m data_platform_tests.benchmarks.bench_label_errors [--rows N]

CLINC150's train split (15,100 utterances, 151 intents incl. out-of-scope): 5% and 10% of the
labels are replaced by a different intent drawn uniformly (seed 7); out-of-fold probabilities
come from 5-fold cross-validation of the labelers' TF-IDF logistic regression; confident
learning (cleanlab, prune by noise rate) flags records. Precision and recall of the flags
against the injected errors; the original labels' own suspects (flagged while not injected)
count as false positives, so precision is a lower bound. Writes .bench/label_errors/results.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np
import polars as pl

from data_platform.annotation.label_errors import likely_label_errors, out_of_fold_probabilities
from data_platform_tests.conftest import PROJECT_ROOT

SHARED = PROJECT_ROOT.parent / "shared" / "data" / "clinc150_intents" / "clinc150.jsonl"
OUT = PROJECT_ROOT / ".bench" / "label_errors"


def inject(labels: list[str], share: float, seed: int) -> tuple[list[str], np.ndarray]:
    rng = np.random.default_rng(seed)
    label_set = sorted(set(labels))
    noisy = list(labels)
    chosen = rng.choice(len(labels), size=round(share * len(labels)), replace=False)
    for row in chosen:
        noisy[row] = rng.choice([v for v in label_set if v != labels[row]])
    injected = np.zeros(len(labels), dtype=bool)
    injected[chosen] = True
    return noisy, injected


def run(rows: int | None) -> dict:
    train = pl.read_ndjson(SHARED).filter(pl.col("split") == "train")
    if rows:
        train = train.sample(rows, seed=7)
    texts, labels = train["text"].to_list(), train["intent"].to_list()
    results = {"records": len(texts)}
    for share in (0.05, 0.10):
        noisy, injected = inject(labels, share, seed=7)
        started = time.perf_counter()
        proba, label_set = out_of_fold_probabilities(texts, noisy)
        found = likely_label_errors(noisy, proba, label_set)
        seconds = time.perf_counter() - started
        flagged = found["flagged"].to_numpy()
        hits = int((flagged & injected).sum())
        results[f"noise_{int(share * 100)}pct"] = {
            "injected": int(injected.sum()),
            "flagged": int(flagged.sum()),
            "precision": round(hits / max(flagged.sum(), 1), 4),
            "recall": round(hits / injected.sum(), 4),
            "suggested_label_right_on_caught": round(
                float(
                    np.mean(
                        found["suggested"].to_numpy()[flagged & injected]
                        == np.asarray(labels)[flagged & injected]
                    )
                ),
                4,
            ),
            "seconds": round(seconds, 1),
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=None, help="sample this many training records")
    args = parser.parse_args()
    if not SHARED.exists():
        print(f"skipped: {SHARED} is absent", file=sys.stderr)
        return
    results = run(args.rows)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
