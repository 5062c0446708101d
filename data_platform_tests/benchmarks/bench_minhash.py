"""MinHash signature throughput on the Gutenberg documents (word 5-grams, 112 permutations).

Run: ``.venv/bin/python -m data_platform_tests.benchmarks.bench_minhash``. Measures reading the
jsonl.gz, then tokenising + shingling + signing in chunks of 2,000 documents, after one warm-up
call (numba compiles on first use and caches). The full side-by-side benchmark against
datatrove and rensa (issue 4) builds on this.
"""

from __future__ import annotations

import resource
import time
from pathlib import Path

import polars as pl

from data_platform.text.minhash import MinHashParams, shingle, signatures

GUTENBERG = Path(__file__).resolve().parents[3] / "shared/data/gutenberg_docs/gutenberg_docs.jsonl.gz"
CHUNK = 2_000


def main() -> int:
    if not GUTENBERG.exists():
        print(f"skipped: {GUTENBERG} is absent (the shared datasets live in ../shared/data)")
        return 0
    params = MinHashParams()
    signatures(shingle(pl.Series(["warm up the compiled kernels"]), params.ngram), params)
    start = time.perf_counter()
    texts = pl.read_ndjson(GUTENBERG, schema_overrides={"text": pl.String})["text"]
    read = time.perf_counter() - start
    megabytes = texts.str.len_bytes().sum() / 1e6
    shingling = signing = 0.0
    for offset in range(0, texts.len(), CHUNK):
        t0 = time.perf_counter()
        shingled = shingle(texts.slice(offset, CHUNK), params.ngram)
        t1 = time.perf_counter()
        signatures(shingled, params)
        t2 = time.perf_counter()
        shingling, signing = shingling + t1 - t0, signing + t2 - t1
    total = read + shingling + signing
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("| documents | MB of text | read s | tokenise+shingle s | sign s | MB/s | peak RSS MB |")
    print("|---|---|---|---|---|---|---|")
    print(
        f"| {texts.len():,} | {megabytes:.1f} | {read:.2f} | {shingling:.2f} | {signing:.2f} "
        f"| {megabytes / total:.1f} | {peak:.0f} |"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
