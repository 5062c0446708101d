"""Ingestion throughput and memory: raw tier from a generated drop of real sentences.

Run: ``.venv/bin/python -m data_platform_tests.benchmarks.bench_ingest [--sizes 100000 1000000]``
Each measurement runs in a fresh process so peak RSS belongs to that drop alone. The drop is
built from the bundled demo sample (CLINC utterances, UD sentences in 17 languages), each
record made unique, with an id, a text and two extra fields. Prints a markdown table and writes
.bench/ingest.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parents[2] / ".bench"


def make_drop(path: Path, records: int) -> None:
    from data_platform.demo.generator import load_sample

    texts = [r["text"] for r in load_sample("clinc150_sample.jsonl.gz")]
    texts += [r["text"] for r in load_sample("ud_sample.jsonl.gz")]
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8") as handle:
        for i in range(records):
            row = {"id": i, "text": f"{texts[i % len(texts)]} (#{i})", "channel": "chat", "score": i % 5}
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def child(path: Path, fmt: str) -> None:
    from data_platform.lake.store import Lake
    from data_platform.sources.readers import Drop
    from data_platform.sources.registry import adhoc_source
    from data_platform.tiers.raw import ingest_drop

    source = adhoc_source("bench", fmt, path.parent)
    drop = Drop(source, path, f"bench:{path.name}", datetime(2026, 1, 1, tzinfo=UTC))
    lake = Lake(path.parent / f"lake-{path.name}")
    start = time.perf_counter()
    info = ingest_drop(lake, drop)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    text_mb = info.stats["bytes_read"] / 1e6
    print(
        json.dumps({"records": info.records, "seconds": seconds, "peak_rss_mb": peak_mb, "text_mb": text_mb})
    )


def measure(path: Path, fmt: str) -> dict:
    output = subprocess.run(
        [sys.executable, "-m", "data_platform_tests.benchmarks.bench_ingest", "--child", str(path), fmt],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result = json.loads(output.strip().splitlines()[-1])
    size = path.stat().st_size
    result.update(
        file=path.name,
        format=fmt,
        file_mb=round(size / 1e6, 1),
        records_per_s=round(result["records"] / result["seconds"]),
        mb_per_s=round(result["text_mb"] / result["seconds"], 1),
    )
    return result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", nargs=2)
    parser.add_argument("--sizes", nargs="+", type=int, default=[100_000, 1_000_000, 2_000_000])
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]), args.child[1])
        return 0
    BENCH_DIR.mkdir(exist_ok=True)
    results = []
    for size in args.sizes:
        for suffix, fmt in ((".jsonl", "jsonl"), (".jsonl.gz", "jsonl.gz")):
            path = BENCH_DIR / f"drop-{size}{suffix}"
            if not path.exists():
                make_drop(path, size)
            results.append(measure(path, fmt))
            print(json.dumps(results[-1]), flush=True)
    (BENCH_DIR / "ingest.json").write_text(json.dumps(results, indent=2))
    print(
        "\n| drop | format | records | MB on disk | MB of JSON | seconds | records/s | MB/s | peak RSS (MB) |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['file']} | {r['format']} | {r['records']:,} | {r['file_mb']} | {r['text_mb']:.1f} "
            f"| {r['seconds']:.1f} "
            f"| {r['records_per_s']:,} | {r['mb_per_s']} | {r['peak_rss_mb']:.0f} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
