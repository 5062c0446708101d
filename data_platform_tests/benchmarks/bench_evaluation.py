"""The cost of evaluating a release of 1,000,000 records against a parent (issue 17; target:
under a minute on 2 cores).

    python -m data_platform_tests.benchmarks.bench_evaluation [--records 1000000]

Two releases are built from ../shared/data with real labels and languages: ``support`` (CLINC150
utterances, their gold intent), ``social`` (GoEmotions comments, their gold emotions) and
``multilingual`` (UD sentences in 17 languages, their gold language), each record two pieces of
its pool joined by a space so that few records repeat. The parent has 80% as many records and a
different mix (fewer multilingual records), so drift has something to find. Both are written as
release folders of a temporary lake and evaluated by ``evaluate_release``, the function the
``release_evaluation`` asset runs: reading the records, every measure, the figures and the HTML
report. Writes .bench/evaluation/results.json; skips with a message where ../shared/data is
absent.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import polars as pl

from data_platform.lake.atomic import write_json_atomic
from data_platform.lake.store import Lake
from data_platform.sources.registry import Registry, adhoc_source
from data_platform.sources.targets import CoverageTarget
from data_platform.tiers.evaluated import evaluate_release
from data_platform_tests.benchmarks.bench_pipeline import _jsonl
from data_platform_tests.conftest import PROJECT_ROOT, SHARED_DATA

OUT = PROJECT_ROOT / ".bench" / "evaluation"
CURRENT_MIX = {"support": 0.45, "social": 0.45, "multilingual": 0.10}
PARENT_MIX = {"support": 0.50, "social": 0.45, "multilingual": 0.05}
DOMAINS = {"support": "customer-support", "social": "social-media", "multilingual": "general"}
TARGETS = (
    CoverageTarget("language", "de", min_count=20_000),
    CoverageTarget("domain", "general", min_share=0.15),
    CoverageTarget("label", "transfer", task="intent", min_count=3_000),
    CoverageTarget("label", "grief", task="emotion", min_share=0.01),
)
LABEL = pl.Struct({"task": pl.String, "value": pl.String})


def pools() -> dict[str, pl.DataFrame]:
    """source -> text, lang and labels of every item of its pool."""
    clinc = _jsonl(SHARED_DATA / "clinc150_intents" / "clinc150.jsonl")
    emotions = _jsonl(SHARED_DATA / "goemotions" / "goemotions.jsonl.gz")
    ud = _jsonl(SHARED_DATA / "ud_multilingual_sentences" / "ud_sentences.jsonl.gz")
    return {
        "support": clinc.select(
            "text", lang=pl.lit("en"), labels=pl.concat_list(pl.struct(task=pl.lit("intent"), value="intent"))
        ),
        "social": emotions.select(
            "text",
            lang=pl.lit("en"),
            labels=pl.col("labels").list.eval(pl.struct(task=pl.lit("emotion"), value=pl.element())),
        ),
        "multilingual": ud.select("text", "lang", labels=pl.lit([], dtype=pl.List(LABEL))),
    }


def release_frame(
    pool: dict[str, pl.DataFrame], records: int, mix: dict[str, float], seed: int
) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    parts = []
    for source, share in mix.items():
        rows = int(records * share)
        items = pool[source]
        first = items.gather(rng.integers(0, items.height, rows))
        second = items["text"].gather(rng.integers(0, items.height, rows))
        parts.append(
            first.with_columns(
                text=pl.col("text") + " " + second,
                source_id=pl.lit(source),
                record_id=pl.lit(f"{seed}-{source}-") + pl.int_range(rows).cast(pl.String),
            )
        )
    frame = pl.concat(parts)
    turns = pl.lit(None, dtype=pl.List(pl.Struct({"speaker": pl.String, "text": pl.String})))
    return frame.select("record_id", "source_id", "text", turns.alias("turns"), "lang", "labels")


def write_release(lake: Lake, version: str, parent: str | None, frame: pl.DataFrame) -> None:
    folder = lake.root / "releases" / version
    folder.mkdir(parents=True)
    frame.write_parquet(folder / "records-00000.parquet")
    write_json_atomic(folder / "manifest.json", {"version": version, "parent_version": parent})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=1_000_000)
    args = parser.parse_args()
    if not SHARED_DATA.is_dir():
        print(f"bench_evaluation: skipped, no shared data at {SHARED_DATA}")
        return
    pool = pools()
    current = release_frame(pool, args.records, CURRENT_MIX, seed=2)
    parent = release_frame(pool, int(args.records * 0.8), PARENT_MIX, seed=1)
    sources = {s: replace(adhoc_source(s, "jsonl", Path(".")), domain=d) for s, d in DOMAINS.items()}
    registry = Registry(path=Path("bench"), sources=sources, errors=(), coverage=TARGETS)
    with tempfile.TemporaryDirectory() as folder:
        lake = Lake(Path(folder) / "lake")
        write_release(lake, "v1", None, parent)
        write_release(lake, "v2", "v1", current)
        del parent, current
        started = time.perf_counter()
        evaluated = evaluate_release(lake, "v2", registry)
        seconds = time.perf_counter() - started
    summary = evaluated.summary
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    results = {"records": args.records, "seconds": seconds, "peak_rss_gib": peak, "summary": summary}
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.json").write_text(json.dumps(results, indent=2, default=str))
    parts = ", ".join(f"{name} {s:.1f} s" for name, s in summary["seconds"].items())
    print(f"evaluate_release: {args.records:,} records against a parent of {int(args.records * 0.8):,}")
    print(
        f"  {seconds:.1f} s in all ({parts}; the rest reads the records and draws), peak RSS {peak:.2f} GiB"
    )
    print(f"  coverage gaps: {summary['coverage_gaps']}")
    largest = sorted(summary["drift"], key=lambda row: -row["psi"])[:5]
    print("  largest shifts: " + ", ".join(f"{row['variable']} {row['psi']:.3f}" for row in largest))
    print(f"  text drift AUC {summary['text_drift']['auc']:.3f}; diversity {summary['diversity']}")


if __name__ == "__main__":
    sys.exit(main())
