"""Synthetic data on a real task: does it help the intent labeler, and does the gate tell good
batches from bad ones? (issue 17)

    python -m data_platform_tests.benchmarks.bench_synthetic [--per-intent 20] [--seeds 3]

CLINC150 (../shared/data/clinc150_intents): a low-resource labeler is trained on ``per-intent``
real utterances per in-scope intent (150 intents, seeded samples of the train split) and scored by
macro-F1 on CLINC150's own test split (4,500 utterances it never saw). Synthetic utterances are
added per intent at shares of 0 to 2/3 of the training set, made by

- ``recombine``: the offline generator (synthetic/generators.py Recombiner) from that intent's
  real training utterances, the generator's own near-copy filter on;
- ``near-copies``: the real utterances with "please" appended, what a careless generator makes.

Each batch of each intent also goes through the gate's measures (tiers/synthetic_gate.py,
without the utility step, which this benchmark measures for all intents at once), so the pass
rate of the gate per generator is reported beside the F1. Last, the whole gate (utility
included, the labeler trained on 20 real utterances per intent) judges the independent set in
data_platform_tests/fixtures/synthetic_eval.jsonl.gz (36 batches written without reading our code;
synthetic_eval.md there). Writes .bench/synthetic/results.json; skips with a message where
../shared/data is absent.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter

import numpy as np
import polars as pl

from data_platform.annotation.labelers import TextClassifier
from data_platform.lake.atomic import write_json_atomic
from data_platform.synthetic.generators import Recombiner
from data_platform.tiers.synthetic_gate import validate_batch
from data_platform_tests.conftest import PROJECT_ROOT, SHARED_DATA

FIXTURES = PROJECT_ROOT / "data_platform_tests" / "fixtures"

OUT = PROJECT_ROOT / ".bench" / "synthetic"
SHARES = (0.0, 0.1, 0.25, 0.5, 2 / 3)


def clinc() -> tuple[pl.DataFrame, pl.DataFrame]:
    frame = pl.read_ndjson(SHARED_DATA / "clinc150_intents" / "clinc150.jsonl")
    in_scope = frame.filter(~pl.col("is_oos"))
    return in_scope.filter(pl.col("split") == "train"), in_scope.filter(pl.col("split") == "test")


def real_sample(train: pl.DataFrame, per_intent: int, seed: int) -> pl.DataFrame:
    shuffled = train.with_row_index("record_id").sample(fraction=1.0, shuffle=True, seed=seed)
    return (
        shuffled.group_by("intent", maintain_order=True)
        .head(per_intent)
        .select(pl.col("record_id").cast(pl.String), "text", "intent")
    )


def synthetic_pool(real: pl.DataFrame, per_intent: int, generator: str, seed: int) -> pl.DataFrame:
    """Up to ``per_intent`` synthetic utterances per intent, made from that intent's real ones."""
    parts = []
    for (intent,), group in real.group_by("intent", maintain_order=True):
        if generator == "recombine":
            made = Recombiner(seed=seed).generate(group, per_intent, slice_name=f"expected={intent}")["text"]
        else:
            made = (group["text"] + " please").head(per_intent)
        parts.append(pl.DataFrame({"text": made, "intent": [intent] * made.len()}))
    return pl.concat(parts)


def macro_f1(train: pl.DataFrame, test: pl.DataFrame) -> float:
    from sklearn.metrics import f1_score

    classifier = TextClassifier.train("intent", train["text"].to_list(), train["intent"].to_list())
    probabilities = classifier.fitted.predict_proba(test["text"])
    predicted = [classifier.label_set[k] for k in np.argmax(probabilities, axis=1)]
    return float(f1_score(test["intent"].to_list(), predicted, average="macro"))


def gate_pass_rate(real: pl.DataFrame, pool: pl.DataFrame) -> dict[str, float]:
    """Share of intents whose batch passes the gate's measures (no utility), and the mean of each."""
    verdicts = []
    for (intent,), group in real.group_by("intent", maintain_order=True):
        batch = pool.filter(pl.col("intent") == intent)["text"]
        verdicts.append(
            validate_batch(batch, group.select("record_id", "text"), None, task="intent", conditions={})
        )
    judged = [v for v in verdicts if v.real_records >= 20]
    return {
        "intents_judged": len(judged),
        "pass_rate": round(sum(v.passed for v in judged) / max(1, len(judged)), 3),
        "mean_auc": round(float(np.mean([v.auc for v in judged if v.auc is not None] or [np.nan])), 3),
        "mean_copied_share": round(float(np.mean([v.copied_share for v in judged] or [np.nan])), 3),
        "failures": dict(Counter(why.split(":")[0] for v in judged for why in v.failures)),
        "mean_length_js": round(
            float(np.mean([v.length_js for v in judged if v.length_js is not None] or [np.nan])), 3
        ),
    }


def independent_set(train: pl.DataFrame) -> list[dict[str, object]]:
    """The gate's verdict on every batch of the independent set, against its expected verdict."""
    lines = pl.read_ndjson(FIXTURES / "synthetic_eval.jsonl.gz")
    examples = real_sample(train, 20, 0)
    verdicts = []
    for (batch, intent, kind, expected), group in lines.group_by("batch", "intent", "kind", "expected"):
        real = train.with_row_index("record_id").filter(pl.col("intent") == intent)
        verdict = validate_batch(
            group["record"].struct.field("text"),
            real.select(pl.col("record_id").cast(pl.String), "text"),
            (examples["text"].to_list(), examples["intent"].to_list()),
            task="intent",
            conditions={"expected": intent},
        )
        verdicts.append(
            {
                "batch": batch,
                "kind": kind,
                "expected": expected,
                "verdict": "accept" if verdict.passed else "refuse",
                "failures": [why.split(":")[0] for why in verdict.failures],
            }
        )
        print(verdicts[-1], flush=True)
    return sorted(verdicts, key=lambda v: str(v["batch"]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-intent", type=int, default=20, help="real training utterances per intent")
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args()
    if not (SHARED_DATA / "clinc150_intents").is_dir():
        print(f"skipped: {SHARED_DATA / 'clinc150_intents'} is absent", file=sys.stderr)
        return 0
    train, test = clinc()
    rows = []
    gates = {}
    started = time.perf_counter()
    for seed in range(args.seeds):
        real = real_sample(train, args.per_intent, seed)
        for generator in ("recombine", "near-copies"):
            pool = synthetic_pool(real, 2 * args.per_intent, generator, seed)
            if seed == 0:
                gates[generator] = gate_pass_rate(real, pool)
                print(f"gate, {generator}: {gates[generator]}", flush=True)
            for share in SHARES:
                if share == 0 and generator != "recombine":
                    continue
                per_intent = round(args.per_intent * share / (1 - share))
                # group_by().head(0) keeps a row per group in this polars: no synthetic, no rows.
                added = pool.group_by("intent", maintain_order=True).head(per_intent).select("text", "intent")
                added = added if per_intent else added.clear()
                score = macro_f1(pl.concat([real.select("text", "intent"), added]), test)
                row = {
                    "seed": seed,
                    "generator": generator,
                    "share": round(share, 3),
                    "synthetic": added.height,
                    "macro_f1": round(score, 4),
                }
                rows.append(row)
                print(row, f"{time.perf_counter() - started:.0f} s", flush=True)
    judged = independent_set(train)
    table = pl.DataFrame(rows)
    summary = (
        table.group_by("generator", "share")
        .agg(
            pl.col("synthetic").mean(),
            pl.col("macro_f1").mean().alias("mean"),
            pl.col("macro_f1").std().alias("sd"),
        )
        .sort("generator", "share")
    )
    baseline = table.filter(pl.col("share") == 0)
    print(summary)
    write_json_atomic(
        OUT / "results.json",
        {
            "per_intent": args.per_intent,
            "seeds": args.seeds,
            "test_utterances": test.height,
            "rows": rows,
            "summary": summary.to_dicts(),
            "baseline_macro_f1": baseline["macro_f1"].mean(),
            "gate": gates,
            "independent_set": judged,
            "seconds": round(time.perf_counter() - started, 1),
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
