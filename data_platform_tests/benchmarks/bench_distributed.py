"""1 vs 2 Celery workers on a 10-batch backfill (issue 16, item 6), as a user runs it.

Ten drops of real social-media texts (GoEmotions, EmoBank, ConvAbuse from ../shared/data, two
joined per record) land in a source's folder; the distributed set-up of `make demo-distributed`
(PostgreSQL, Redis, the run queue with four runs, `dagster dev`) starts with one Celery worker,
then again from scratch with two; the daemon's drop sensor queues the ten runs. Reported: seconds
from the first run queued to the last run finished (Dagster's run records), per-step seconds,
and the peak RSS of each worker's process group.

    .venv/bin/python -m data_platform_tests.benchmarks.bench_distributed [--records 40000]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import time
from pathlib import Path

import dagster as dg
import yaml

from data_platform.demo.cluster import LocalCluster
from data_platform_tests.benchmarks.bench_pipeline import (
    PeakMemory,
    joined_draws,
    social_pool,
    wait_for_runs,
    write_drop,
)

OUT = Path(".bench") / "distributed"
BATCHES = 10
SEED = 16


def land(home: Path, records: int) -> int:
    pool = social_pool()
    total = 0
    for k in range(BATCHES):
        texts = joined_draws(pool, records, (2, 2), " ", SEED + k)
        total += write_drop(
            home / "drops" / f"batch-{k:02d}.jsonl", [f"{k}-{i}" for i in range(records)], texts
        )
    source = {
        "id": "social",
        "owner": "bench",
        "licence": "CC-BY-4.0",
        "consent": "public-dataset",
        "domain": "social",
        "languages": ["en"],
        "kind": "text",
        "format": "jsonl",
        "drop_folder": "drops",
        "refresh_cadence": "1d",
        "settle_seconds": 0,
        "fields": {"id": "id"},
        "quality": "short-text",
    }
    (home / "sources.yaml").write_text(yaml.safe_dump({"sources": [source]}), encoding="utf-8")
    return total


def backfill(workers: int, records: int) -> dict:
    home = (OUT / f"workers-{workers}").resolve()
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    size = land(home, records)
    saved = dict(os.environ)
    with LocalCluster(home, workers=workers) as cluster:
        os.environ.update(cluster.env())
        try:
            peaks = [PeakMemory(worker.pid) for worker in cluster.worker_processes]
            for peak in peaks:
                peak.__enter__()
            with dg.DagsterInstance.get() as instance:
                runs = wait_for_runs(instance, BATCHES, timeout=3600)
                records_ = [instance.get_run_record_by_id(run.run_id) for run in runs]
                steps = [
                    {"step": s.step_key, "seconds": s.end_time - s.start_time}
                    for run in runs
                    for s in instance.get_run_step_stats(run.run_id)
                    if s.end_time and s.start_time
                ]
                statuses = sorted({run.status.value for run in runs})
            for peak in peaks:
                peak.__exit__()
        finally:
            os.environ.clear()
            os.environ.update(saved)
    start = min(r.create_timestamp.timestamp() for r in records_ if r is not None)
    end = max(r.end_time for r in records_ if r is not None and r.end_time)
    return {
        "workers": workers,
        "bytes": size,
        "records": records * BATCHES,
        "seconds": end - start,
        "statuses": statuses,
        "step_seconds": sum(s["seconds"] for s in steps),
        "worker_peak_rss_gib": [
            round(max((rss for _, rss in peak.peaks.values()), default=0) / 2**30, 2) for peak in peaks
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=40_000, help="records per batch")
    args = parser.parse_args()
    results = [backfill(workers, args.records) for workers in (1, 2)]
    speedup = results[0]["seconds"] / results[1]["seconds"]
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.json").write_text(json.dumps({"runs": results, "speedup": speedup}, indent=2))
    for result in results:
        print(
            f"{result['workers']} worker(s): {result['seconds']:.1f} s for {result['records']:,} records "
            f"({result['bytes'] / 1e6:.1f} MB), steps {result['step_seconds']:.1f} s, "
            f"runs {result['statuses']}, worker peak RSS {result['worker_peak_rss_gib']} GiB"
        )
    print(f"speed-up 1 -> 2 workers: {speedup:.2f}x")


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"bench_distributed: {time.perf_counter() - started:.0f} s")
