"""Incremental cleaning: ten batches of 100,000 documents, one after another, in one lake.

    python -m data_platform_tests.benchmarks.bench_incremental [--batches 10] [--docs 100000]

Each batch is a JSON-lines drop of real Gutenberg text (two random paragraphs per document, see
benchmarks/corpus.py) in which 5% of the documents copy a document of an earlier batch (half
exactly, half with 3% of words edited), so every batch is compared with the whole lake through
the on-disk index. A batch is ingested (raw tier) and cleaned (cleaned tier, quality profile
``documents``) in this process; per batch we record both times and the peak resident memory of
the process while the batch ran. Output: .bench/incremental/results.json and per_batch.png.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from data_platform.curation.cleaning import rules_for_source
from data_platform.lake.store import Lake
from data_platform.sources.readers import Drop
from data_platform.sources.registry import FieldMap, adhoc_source
from data_platform.tiers.cleaned import clean_partition
from data_platform.tiers.raw import ingest_drop
from data_platform_tests.benchmarks.corpus import edit_words, pool_paragraphs
from data_platform_tests.conftest import PROJECT_ROOT

BENCH = PROJECT_ROOT / ".bench" / "incremental"


class PeakMemory:
    """Peak resident memory of this process between ``start`` and ``stop`` (sampled)."""

    def __init__(self) -> None:
        self.peak, self._running = 0, False

    @staticmethod
    def current() -> int:
        with open("/proc/self/status") as handle:
            return next(int(line.split()[1]) * 1024 for line in handle if line.startswith("VmRSS"))

    def start(self) -> None:
        self.peak, self._running = self.current(), True
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while self._running:
            self.peak = max(self.peak, self.current())
            time.sleep(0.05)

    def stop(self) -> int:
        self._running = False
        self._thread.join()
        return self.peak


def write_batches(folder: Path, batches: int, docs: int, seed: int = 5) -> list[Path]:
    rng = np.random.default_rng(seed)
    pool = pool_paragraphs()["paragraph"].to_list()
    vocabulary = sorted({w for p in pool[:2000] for w in p.split(" ") if w.isalpha()})
    folder.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    paths = []
    for batch in range(batches):
        texts = []
        for _ in range(docs):
            if written and rng.random() < 0.05:
                source = written[int(rng.integers(len(written)))]
                texts.append(source if rng.random() < 0.5 else edit_words(source, 0.03, vocabulary, rng))
            else:
                first, second = rng.choice(len(pool), size=2, replace=False)
                texts.append(f"{pool[first]}\n\n{pool[second]}")
        path = folder / f"batch-{batch:02d}.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            for k, text in enumerate(texts):
                handle.write(json.dumps({"id": f"b{batch}-{k}", "text": text}) + "\n")
        written.extend(texts[:: max(1, docs // 20_000)])  # sources for later copies, bounded
        paths.append(path)
    return paths


def run(batches: int, docs: int) -> dict:
    drops = sorted((BENCH / "drops").glob("batch-*.jsonl"))
    if len(drops) != batches or json.loads(
        (BENCH / "drops.json").read_text() if (BENCH / "drops.json").exists() else "{}"
    ) != {"docs": docs}:
        drops = write_batches(BENCH / "drops", batches, docs)
        (BENCH / "drops.json").write_text(json.dumps({"docs": docs}))
    lake_root = BENCH / "lake"
    shutil.rmtree(lake_root, ignore_errors=True)
    lake = Lake(lake_root)
    source = adhoc_source("books", "jsonl", drops[0].parent, fields=FieldMap(id="id", text="text"))
    rules = rules_for_source(source)
    memory = PeakMemory()
    rows = []
    for number, path in enumerate(drops):
        drop = Drop(source, path, f"books:{path.name}", datetime.fromtimestamp(number, UTC))
        memory.start()
        started = time.perf_counter()
        ingest_drop(lake, drop)
        lake.record_gate("raw", drop.batch_id, {"passed": True})
        ingested = time.perf_counter()
        info = clean_partition(lake, drop.batch_id, lambda _: rules)
        cleaned = time.perf_counter()
        stats = lake.stats("cleaned", drop.batch_id)
        rows.append(
            {
                "batch": number + 1,
                "mb": round(path.stat().st_size / 1e6, 1),
                "ingest_s": round(ingested - started, 2),
                "clean_s": round(cleaned - ingested, 2),
                "peak_rss_mb": round(memory.stop() / 1e6),
                "kept": info.records,
                "near_duplicate": stats["quarantined_by_reason"].get("near_duplicate", 0),
                "exact_duplicate": stats["quarantined_by_reason"].get("exact_duplicate", 0),
            }
        )
        print(json.dumps(rows[-1]), file=sys.stderr)
    results = {"batches": rows, "docs_per_batch": docs}
    (BENCH / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    plot(rows, BENCH / "per_batch.png")
    return results


def plot(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    batches = [r["batch"] for r in rows]
    figure, (times, memory) = plt.subplots(1, 2, figsize=(10, 3.6))
    times.plot(batches, [r["clean_s"] for r in rows], marker="o", label="clean (cleaned tier)")
    times.plot(batches, [r["ingest_s"] for r in rows], marker="s", label="ingest (raw tier)")
    times.set(
        xlabel="batch (100,000 documents each)", ylabel="seconds", ylim=(0, None), title="Time per batch"
    )
    times.legend()
    memory.plot(batches, [r["peak_rss_mb"] for r in rows], marker="o", color="tab:red")
    memory.set(xlabel="batch", ylabel="MB", ylim=(0, None), title="Peak resident memory during the batch")
    figure.tight_layout()
    figure.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=10)
    parser.add_argument("--docs", type=int, default=100_000)
    args = parser.parse_args()
    results = run(args.batches, args.docs)
    print("| batch | MB | ingest s | clean s | peak RSS MB | kept | near dup | exact dup |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results["batches"]:
        print(
            f"| {r['batch']} | {r['mb']} | {r['ingest_s']} | {r['clean_s']} | {r['peak_rss_mb']} | "
            f"{r['kept']:,} | {r['near_duplicate']:,} | {r['exact_duplicate']:,} |"
        )


if __name__ == "__main__":
    main()
