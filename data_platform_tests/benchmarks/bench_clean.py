"""Cleaned-tier cost per batch: normalisation, filters, exact and near dedup against the index.

Run: ``.venv/bin/python -m data_platform_tests.benchmarks.bench_clean [--batches 3 --docs 12000]``.
Batches are consecutive slices of the Gutenberg paragraphs longer than 200 characters (the set
holds two editions of several books, so later batches meet real exact and near duplicates of
earlier ones). Each batch is ingested, its raw gate marked passed, then timed through
``clean_partition``. The issue-4 benchmark (ten batches of 100,000, peers side by side) extends it.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from data_platform.curation.cleaning import CleaningRules
from data_platform.lake.store import Lake
from data_platform.sources.readers import Drop
from data_platform.sources.registry import adhoc_source
from data_platform.tiers.cleaned import clean_partition
from data_platform.tiers.raw import ingest_drop

GUTENBERG = Path(__file__).resolve().parents[3] / "shared/data/gutenberg_docs/gutenberg_docs.jsonl.gz"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--batches", type=int, default=3)
    parser.add_argument("--docs", type=int, default=12_000)
    args = parser.parse_args()
    if not GUTENBERG.exists():
        print(f"skipped: {GUTENBERG} is absent (the shared datasets live in ../shared/data)")
        return 0
    paragraphs = (
        pl.read_ndjson(GUTENBERG)
        .select(pl.col("text").str.split("\n\n"))
        .explode("text")
        .filter(pl.col("text").str.len_chars() > 200)["text"]
    )
    root = Path(tempfile.mkdtemp(prefix="bench-clean-"))
    try:
        lake = Lake(root / "lake")
        source = adhoc_source("gutenberg", "jsonl", root)
        print("| batch | documents | MB | kept | exact dups | near dups | seconds | MB/s | peak RSS MB |")
        print("|---|---|---|---|---|---|---|---|---|")
        for batch in range(args.batches):
            texts = paragraphs.slice(batch * args.docs, args.docs)
            path = root / f"batch-{batch}.jsonl"
            pl.DataFrame({"id": [f"{batch}-{i}" for i in range(texts.len())], "text": texts}).write_ndjson(
                path
            )
            drop = Drop(source, path, f"gutenberg:{path.name}", datetime(2026, 1, 1, tzinfo=UTC))
            ingest_drop(lake, drop)
            lake.record_gate("raw", drop.batch_id, {"passed": True})
            start = time.perf_counter()
            info = clean_partition(lake, drop.batch_id, lambda _: CleaningRules())
            seconds = time.perf_counter() - start
            reasons = info.stats["quarantined_by_reason"]
            megabytes = path.stat().st_size / 1e6
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(
                f"| {batch + 1} | {texts.len():,} | {megabytes:.1f} | {info.records:,} "
                f"| {reasons.get('exact_duplicate', 0):,} | {reasons.get('near_duplicate', 0):,} "
                f"| {seconds:.2f} | {megabytes / seconds:.1f} | {peak:.0f} |",
                flush=True,
            )
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
