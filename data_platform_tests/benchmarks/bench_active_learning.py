"""Active-learning learning curves on real labeled sets, with an annotator answering from gold.

    python -m data_platform_tests.benchmarks.bench_active_learning [--sets clinc goemotions]

- clinc: CLINC150 train split as the pool (15,100 utterances, 151 intents), its test split
  (5,500) for macro-F1;
- goemotions: GoEmotions comments with exactly one label (train pool, test split), the 28
  labels.

Both: 250 random seed labels (the same for every strategy), 17 rounds of 250 (4,500 labels).

Per set: curves per strategy (random, margin, entropy, diversity) in
.bench/active_learning/<set>/curves.json and docs/img/active_learning_<set>.png, and the labels
each strategy needs to reach random sampling's final macro-F1 (target: at most half).
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import polars as pl

from data_platform.annotation.active_learning import STRATEGIES, labels_to_reach, plot_curves, simulate
from data_platform_tests.conftest import PROJECT_ROOT

SHARED = PROJECT_ROOT.parent / "shared" / "data"
OUT = PROJECT_ROOT / ".bench" / "active_learning"


def load(name: str) -> tuple[pl.DataFrame, pl.DataFrame, str, str]:
    if name == "clinc":
        data = pl.read_ndjson(SHARED / "clinc150_intents" / "clinc150.jsonl")
        return (
            data.filter(pl.col("split") == "train"),
            data.filter(pl.col("split") == "test"),
            "text",
            "intent",
        )
    data = pl.read_ndjson(SHARED / "goemotions" / "goemotions.jsonl.gz").filter(
        pl.col("labels").list.len() == 1
    )
    data = data.with_columns(label=pl.col("labels").list.first())
    return data.filter(pl.col("split") == "train"), data.filter(pl.col("split") == "test"), "text", "label"


def run(name: str, strategies: tuple[str, ...], class_weight: str | None) -> dict:
    pool, test, text, label = load(name)
    started = time.perf_counter()
    curves = simulate(
        pool[text].to_list(),
        pool[label].to_list(),
        test[text].to_list(),
        test[label].to_list(),
        seed_size=250,
        batch_size=250,
        rounds=17,
        strategies=strategies,
        class_weight=class_weight,
        progress=lambda line: print(f"{name}: {line}", file=sys.stderr, flush=True),
    )
    random_final = next(c.macro_f1[-1] for c in curves if c.strategy == "random")
    result = {
        "pool": pool.height,
        "test": test.height,
        "seconds": round(time.perf_counter() - started),
        "curves": [c.as_dict() for c in curves],
        "random_final_macro_f1": random_final,
        "labels_to_reach_random_final": {c.strategy: labels_to_reach(c, random_final) for c in curves},
    }
    variant = name + ("" if class_weight is None else f"_{class_weight}")
    folder = OUT / variant
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "curves.json").write_text(json.dumps(result, indent=2) + "\n")
    plot_curves(
        curves,
        PROJECT_ROOT / "docs" / "img" / f"active_learning_{variant}.png",
        f"Active learning, {variant}",
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sets", nargs="+", default=["clinc", "goemotions"], choices=["clinc", "goemotions"])
    parser.add_argument("--strategies", nargs="+", default=list(STRATEGIES), choices=STRATEGIES)
    parser.add_argument("--class-weight", choices=["balanced"], help="the learner's class weights")
    args = parser.parse_args()
    if not SHARED.exists():
        print(f"skipped: {SHARED} is absent", file=sys.stderr)
        return
    for name in args.sets:
        result = run(name, tuple(args.strategies), args.class_weight)
        print(json.dumps({name: {k: v for k, v in result.items() if k != "curves"}}, indent=2))


if __name__ == "__main__":
    main()
