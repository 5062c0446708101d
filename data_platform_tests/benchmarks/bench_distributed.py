"""1 vs 2 Celery workers on a 10-batch backfill (issue 16, item 6), as a user runs it.

Ten drops of real social-media texts (GoEmotions, EmoBank, ConvAbuse from ../shared/data, two
joined per record) land in a source's folder; the distributed set-up of `make demo-distributed`
(PostgreSQL, Redis, the run queue with four runs, `dagster dev`) starts with one Celery worker,
then again from scratch with two; the daemon's drop sensor queues the ten runs. Reported: seconds
from the first run queued to the last run finished (Dagster's run records), per-step seconds,
and the peak RSS of each worker's process group.

    .venv/bin/python -m data_platform_tests.benchmarks.bench_distributed [--records 40000]

``--soak 20 --records 250000`` runs the 5,000,000-record soak instead: twenty batches on two
workers, each batch's step seconds in sequence order (flat or not) and each worker's peak RSS.
"""

from __future__ import annotations

import argparse
import contextlib
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


def land(home: Path, batches: int, records: int) -> int:
    pool = social_pool()
    total = 0
    for k in range(batches):
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


def through_cluster(name: str, workers: int, batches: int, records: int) -> dict:
    """Land the drops, start the set-up, wait for every batch run; the runs' timings per batch
    and each worker's peak RSS."""
    home = (OUT / name).resolve()
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    size = land(home, batches, records)
    saved = dict(os.environ)
    with LocalCluster(home, workers=workers) as cluster, contextlib.ExitStack() as watching:
        os.environ.update(cluster.env())
        try:
            peaks = [watching.enter_context(PeakMemory(w.pid)) for w in cluster.worker_processes]
            with dg.DagsterInstance.get() as instance:
                runs = wait_for_runs(instance, batches, timeout=6 * 3600)
                per_run = [_run_timing(instance, run) for run in runs]
        finally:
            os.environ.clear()
            os.environ.update(saved)
    return {
        "workers": workers,
        "bytes": size,
        "records": records * batches,
        "seconds": max(r["end"] for r in per_run) - min(r["queued"] for r in per_run),
        "statuses": sorted({r["status"] for r in per_run}),
        "step_seconds": sum(r["step_seconds"] for r in per_run),
        "runs": sorted(per_run, key=lambda r: r["queued"]),
        "worker_peak_rss_gib": [
            round(max((rss for _, rss in peak.peaks.values()), default=0) / 2**30, 2) for peak in peaks
        ],
    }


def _run_timing(instance: dg.DagsterInstance, run: dg.DagsterRun) -> dict:
    record = instance.get_run_record_by_id(run.run_id)
    assert record is not None and record.end_time is not None, run.run_id
    steps = {
        s.step_key: s.end_time - s.start_time
        for s in instance.get_run_step_stats(run.run_id)
        if s.end_time and s.start_time
    }
    return {
        "partition": run.tags.get("dagster/partition", ""),
        "status": run.status.value,
        "queued": record.create_timestamp.timestamp(),
        "start": record.start_time,
        "end": record.end_time,
        "step_seconds": sum(steps.values()),
        "steps": steps,
    }


def scaling(records: int) -> None:
    results = [through_cluster(f"workers-{w}", w, BATCHES, records) for w in (1, 2)]
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


def soak(batches: int, records: int) -> None:
    """Many batches through two workers: is a batch's time flat as the lake grows, and does each
    worker stay under its memory bound?"""
    result = through_cluster("soak", 2, batches, records)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "soak.json").write_text(json.dumps(result, indent=2))
    print("| batch | step seconds | cleaned | dedup_state | annotated |")
    print("|---|---|---|---|---|")
    for run in result["runs"]:
        steps = run["steps"]
        print(
            f"| {run['partition'][:24]} | {run['step_seconds']:.1f} | {steps.get('cleaned_records', 0):.1f} "
            f"| {steps.get('dedup_state', 0):.1f} | {steps.get('annotated_records', 0):.1f} |"
        )
    seconds = [run["step_seconds"] for run in result["runs"]]
    quarter = max(1, len(seconds) // 4)
    first, last = sum(seconds[:quarter]) / quarter, sum(seconds[-quarter:]) / quarter
    print(
        f"soak: {result['records']:,} records ({result['bytes'] / 1e6:.1f} MB) in {result['seconds']:.0f} s, "
        f"runs {result['statuses']}; step seconds per batch, first quarter {first:.1f}, last {last:.1f} "
        f"({last / first:.2f}x); worker peak RSS {result['worker_peak_rss_gib']} GiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=40_000, help="records per batch")
    parser.add_argument("--soak", type=int, default=0, help="batches of a soak on two workers instead")
    args = parser.parse_args()
    if args.soak:
        soak(args.soak, args.records)
    else:
        scaling(args.records)


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"bench_distributed: {time.perf_counter() - started:.0f} s")
