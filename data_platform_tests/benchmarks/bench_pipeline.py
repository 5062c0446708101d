"""The user's benchmark: drops land, the real daemon's drop sensor ticks, the queued batch runs
execute in their own processes, and ``data-platform release`` cuts a release, on a corpus
built from ../shared/data.

    python -m data_platform_tests.benchmarks.bench_pipeline [--short 1000000] [--documents 50000]

The corpus (plain JSON lines, so a drop's bytes are its text's bytes; built with a fixed seed):

- ``support`` (labels intent, emotion, tone): each record two utterances drawn from CLINC150,
  the user and system turns of SGD and the presidio-research sentences (names, addresses and
  numbers for the PII detectors), joined by a space;
- ``social`` (labels emotion, tone): two sentences drawn from GoEmotions comments, EmoBank
  sentences and the user turns of ConvAbuse;
- ``books`` (language only, the documents profile): 5-10 paragraphs of the Gutenberg documents.

The short texts land in ``--drops`` drops, alternating between support and social, the documents
in two drops of books. The labelers are trained first (``registry_job``, in this process, as the
demo does), then ``dagster dev`` (webserver, daemon, code server) starts on a fresh instance; the
clock starts when the drops land and stops when the release is cut.

Reported: seconds per run and per step from Dagster's own step stats (``get_run_step_stats``),
summed per tier and gate; records and MB per second from drop to release; the peak resident set
of every process (``VmHWM`` from /proc, read every half second: a process's last half second can
be missed). Writes .bench/pipeline/results.json and prints Markdown tables. Skips with a message
where ../shared/data is absent.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import dagster as dg
import numpy as np
import polars as pl
import yaml

from data_platform.definitions import build_definitions
from data_platform.defs.outcome import QUIET
from data_platform.defs.resources import resources_for
from data_platform.demo.generator import SAMPLE_DIR
from data_platform.demo.runner import prepare_home
from data_platform.lake.store import Lake
from data_platform_tests.conftest import PROJECT_ROOT, SHARED_DATA, dagster_dev

OUT = PROJECT_ROOT / ".bench" / "pipeline"
SEED = 16
TIERS = ("raw_records", "cleaned_records", "annotated_records")
LABELERS = {
    "intent": {"examples": str(SAMPLE_DIR / "intent_training.jsonl.gz"), "label_field": "intent"},
    "emotion": {
        "examples": str(SAMPLE_DIR / "emotion_training.jsonl.gz"),
        "label_field": "labels",
        "multi_label": True,
    },
}


def _jsonl(path: Path) -> pl.DataFrame:
    if path.suffix == ".gz":
        with gzip.open(path) as handle:
            return pl.read_ndjson(handle, infer_schema_length=None)
    return pl.read_ndjson(path, infer_schema_length=None)


def support_pool() -> pl.Series:
    clinc = _jsonl(SHARED_DATA / "clinc150_intents" / "clinc150.jsonl")["text"]
    turns = _jsonl(SHARED_DATA / "sgd_dialogues" / "sgd_dialogues.jsonl.gz").select(
        pl.col("turns").explode().struct.field("text")
    )["text"]
    presidio = _jsonl(SHARED_DATA / "presidio_synth_pii" / "presidio_synth_pii.jsonl")["text"]
    return pl.concat([clinc, turns, presidio]).drop_nulls().unique(maintain_order=True)


def social_pool() -> pl.Series:
    goemotions = _jsonl(SHARED_DATA / "goemotions" / "goemotions.jsonl.gz")["text"]
    emobank = _jsonl(SHARED_DATA / "emobank_vad_raters" / "emobank_items.jsonl.gz")["text"]
    convabuse = _jsonl(SHARED_DATA / "convabuse_raters" / "convabuse_ratings.jsonl.gz")["user"]
    return pl.concat([goemotions, emobank, convabuse]).drop_nulls().unique(maintain_order=True)


def paragraph_pool() -> pl.Series:
    books = _jsonl(SHARED_DATA / "gutenberg_docs" / "gutenberg_docs.jsonl.gz")
    paragraphs = books.select(pl.col("text").str.split("\n\n").explode().str.strip_chars())["text"]
    return paragraphs.filter(paragraphs.str.len_chars() >= 40).unique(maintain_order=True)


def joined_draws(pool: pl.Series, rows: int, parts: tuple[int, int], separator: str, seed: int) -> pl.Series:
    """``rows`` texts, each ``parts`` (low, high inclusive) pieces of ``pool`` drawn at random."""
    rng = np.random.default_rng(seed)
    counts = rng.integers(parts[0], parts[1] + 1, size=rows)
    picks = pool.gather(rng.integers(0, len(pool), size=int(counts.sum())))
    owner = np.repeat(np.arange(rows), counts)
    frame = pl.DataFrame({"row": owner, "piece": picks})
    return frame.group_by("row", maintain_order=True).agg(pl.col("piece").str.join(separator))["piece"]


def write_drop(path: Path, ids: list[str] | pl.Series, texts: pl.Series) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    pl.DataFrame({"id": ids, "text": texts}).write_ndjson(path)
    return path.stat().st_size


def build_corpus(staging: Path, short: int, documents: int, drops: int) -> dict[str, int]:
    """Write every drop under ``staging/<source>/``; return bytes per drop (relative path)."""
    sizes: dict[str, int] = {}
    pools = {"support": support_pool(), "social": social_pool()}
    per_drop = -(-short // drops)
    for k in range(drops):
        source = ("support", "social")[k % 2]
        rows = min(per_drop, short - k * per_drop)
        texts = joined_draws(pools[source], rows, (2, 2), " ", SEED + k)
        name = f"{source}/drop-{k:02d}.jsonl"
        sizes[name] = write_drop(staging / name, [f"{source}-{k}-{i}" for i in range(rows)], texts)
    paragraphs = paragraph_pool()
    for k in range(2):
        rows = documents // 2 + (documents % 2 if k == 0 else 0)
        texts = joined_draws(paragraphs, rows, (5, 10), "\n\n", SEED + 100 + k)
        name = f"books/drop-{k:02d}.jsonl"
        sizes[name] = write_drop(staging / name, [f"book-{k}-{i}" for i in range(rows)], texts)
    return sizes


def registry_document(home: Path) -> dict:
    common = {
        "owner": "bench",
        "consent": "public-dataset",
        "refresh_cadence": "1d",
        "completion": "stable",
        "settle_seconds": 0,
        "kind": "text",
        "format": "jsonl",
        "fields": {"id": "id", "text": "text"},
        "languages": ["en"],
    }
    return {
        "labelers": LABELERS,
        "sources": [
            {**common, "id": "support", "licence": "CC-BY-SA-4.0", "domain": "customer-support",
             "drop_folder": str(home / "drops" / "support"), "quality": "short-text",
             "label_tasks": ["intent", "emotion", "tone"]},
            {**common, "id": "social", "licence": "CC-BY-SA-4.0", "domain": "social",
             "drop_folder": str(home / "drops" / "social"), "quality": "short-text",
             "label_tasks": ["emotion", "tone"]},
            {**common, "id": "books", "licence": "CC0-1.0", "domain": "books",
             "drop_folder": str(home / "drops" / "books"), "quality": "documents"},
        ],
    }  # fmt: skip


class PeakMemory:
    """Every half second, the peak resident set (VmHWM) of each process in a process group."""

    def __init__(self, group: int) -> None:
        self.group = group
        self.peaks: dict[int, tuple[str, int]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        while not self._stop.wait(0.5):
            for entry in Path("/proc").iterdir():
                if entry.name.isdigit():
                    self._read(entry)

    def _read(self, entry: Path) -> None:
        try:
            if os.getpgid(int(entry.name)) != self.group:
                return
            status = (entry / "status").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, ProcessLookupError):
            return
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                self.peaks[int(entry.name)] = (command.strip()[:160], int(line.split()[1]) * 1024)


def wait_for_runs(instance: dg.DagsterInstance, expected: int, timeout: float) -> list[dg.DagsterRun]:
    """Every ingest run requested, once ``expected`` exist and none is queued or running."""
    deadline = time.monotonic() + timeout
    unfinished = {dg.DagsterRunStatus.QUEUED, dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED,
                  dg.DagsterRunStatus.NOT_STARTED}  # fmt: skip
    while True:
        runs = list(instance.get_runs(dg.RunsFilter(job_name="ingest_job")))
        done = [run for run in runs if run.status not in unfinished]
        if len(done) >= expected and len(done) == len(runs):
            return runs
        if time.monotonic() > deadline:
            raise TimeoutError(f"{len(done)} of {expected} ingest runs finished in {timeout:.0f} s")
        time.sleep(1)


def step_seconds(instance: dg.DagsterInstance, runs: list[dg.DagsterRun]) -> list[dict]:
    rows = []
    for run in runs:
        for step in instance.get_run_step_stats(run.run_id):
            if step.start_time is None or step.end_time is None:
                continue
            rows.append(
                {
                    "run": run.run_id[:8],
                    "job": run.job_name,
                    "partition": run.tags.get("dagster/partition", ""),
                    "step": step.step_key,
                    "status": step.status.value if step.status else "",
                    "seconds": step.end_time - step.start_time,
                    "start": step.start_time,
                    "end": step.end_time,
                }
            )
    return rows


def run_workers(instance: dg.DagsterInstance, runs: list[dg.DagsterRun]) -> dict[int, str]:
    """The process that ran each run ("Started process for run (pid: N)"), named by its batch."""
    named = {}
    for run in runs:
        for record in instance.all_logs(run.run_id, of_type=dg.DagsterEventType.ENGINE_EVENT):
            data = record.dagster_event.engine_event_data if record.dagster_event else None
            if data is not None and "pid" in data.metadata:
                named[int(data.metadata["pid"].value)] = (
                    f"run worker: {run.tags.get('dagster/partition', run.run_id)}"
                )
    return named


def step_group(step: str) -> str:
    """A tier's step or its gate (asset check steps name the asset)."""
    for tier in TIERS:
        if step == tier:
            return tier
        if tier in step:
            return f"{tier} gate"
    return step


def cut_release(home: Path, dagster_home: Path) -> float:
    env = {**os.environ, "DAGSTER_HOME": str(dagster_home), "DATA_PLATFORM_HOME": str(home)}
    started = time.perf_counter()
    subprocess.run(
        [str(Path(sys.executable).parent / "data-platform"), "release"], env=env, check=True, cwd=PROJECT_ROOT
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", type=int, default=1_000_000, help="short texts")
    parser.add_argument("--documents", type=int, default=50_000, help="documents")
    parser.add_argument("--drops", type=int, default=4, help="drops the short texts land in")
    parser.add_argument("--home", type=Path, default=OUT / "home")
    parser.add_argument("--timeout", type=float, default=7200, help="seconds to wait for the runs")
    args = parser.parse_args()
    if not (SHARED_DATA / "gutenberg_docs").is_dir():
        print(f"skipped: the shared data is not at {SHARED_DATA}")
        return
    results = run(args.home, args.short, args.documents, args.drops, args.timeout)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(report(results))


def run(home: Path, short: int, documents: int, drops: int, timeout: float) -> dict:
    dagster_home = prepare_home(home)
    staging = home / "staging"
    started = time.perf_counter()
    sizes = build_corpus(staging, short, documents, drops)
    built = time.perf_counter() - started
    print(f"corpus: {sum(sizes.values()) / 1e6:.1f} MB in {len(sizes)} drops ({built:.0f} s)")
    registry = home / "sources.yaml"
    registry.write_text(yaml.safe_dump(registry_document(home), sort_keys=False), encoding="utf-8")
    for source in ("support", "social", "books"):
        (home / "drops" / source).mkdir(parents=True, exist_ok=True)
    lake = Lake(home / "lake")
    defs = build_definitions(resources_for(lake.root, registry))
    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        started = time.perf_counter()
        trained = defs.resolve_job_def("registry_job").execute_in_process(instance=instance, run_config=QUIET)
        assert trained.success, "registry_job failed"
        training = time.perf_counter() - started
    with dagster_dev(home) as _url, PeakMemory(_dagster_group(home)) as memory:
        landed = time.perf_counter()
        for name in sizes:  # rename: a drop appears whole
            os.replace(staging / name, home / "drops" / name)
        with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
            runs = wait_for_runs(instance, len(sizes), timeout)
            ingested = time.perf_counter() - landed
            release_seconds = cut_release(home, dagster_home)
            total = time.perf_counter() - landed
            releases = list(instance.get_runs(dg.RunsFilter(job_name="release_job")))
            steps = step_seconds(instance, runs + releases)
            workers = run_workers(instance, runs)
    records = {tier: records_out(lake, tier.removesuffix("_records")) for tier in TIERS}
    return {
        "corpus": {
            "short_texts": short,
            "documents": documents,
            "drops": sizes,
            "bytes": sum(sizes.values()),
        },
        "training_seconds": training,
        "drop_to_annotated_seconds": ingested,
        "release_seconds": release_seconds,
        "drop_to_release_seconds": total,
        "runs": {run.run_id[:8]: run.status.value for run in runs},
        "records_out": records,
        "steps": steps,
        "peak_rss": sorted(
            ((workers.get(pid, command), rss) for pid, (command, rss) in memory.peaks.items()),
            key=lambda item: -item[1],
        ),
    }


def records_out(lake: Lake, tier: str) -> int:
    return sum(lake.stats(tier, batch).get("records_out", 0) for batch in lake.partitions(tier))


def _dagster_group(home: Path) -> int:
    """The process group of the `dagster dev` started for ``home`` (its log names the pid)."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                environ = (entry / "environ").read_bytes()
            except OSError:
                continue
            if f"DATA_PLATFORM_HOME={home}".encode() in environ.split(b"\0"):
                return os.getpgid(int(entry.name))
    raise RuntimeError(f"no dagster dev process runs for {home}")


def report(results: dict) -> str:
    corpus = results["corpus"]
    megabytes = corpus["bytes"] / 1e6
    total = results["drop_to_release_seconds"]
    annotated = results["records_out"]["annotated_records"]
    lines = [
        f"corpus: {corpus['short_texts']:,} short texts + {corpus['documents']:,} documents, "
        f"{megabytes:.1f} MB in {len(corpus['drops'])} drops",
        f"drop -> release: {total:.0f} s, {megabytes / total:.2f} MB/s, "
        f"{annotated / total:,.0f} annotated records/s (all batches annotated after "
        f"{results['drop_to_annotated_seconds']:.0f} s, release {results['release_seconds']:.0f} s; "
        f"labelers trained before: {results['training_seconds']:.0f} s)",
        "",
        "| step | runs | seconds (sum) | records out | MB/s of the drops |",
        "|---|---|---|---|---|",
    ]
    groups: dict[str, list[float]] = defaultdict(list)
    for step in results["steps"]:
        groups[step_group(step["step"])].append(step["seconds"])
    for group, seconds in sorted(groups.items(), key=lambda item: -sum(item[1])):
        out = results["records_out"].get(group, "")
        rate = megabytes / max(sum(seconds), 1e-9)
        lines.append(f"| {group} | {len(seconds)} | {sum(seconds):.1f} | {out} | {rate:.2f} |")
    lines += ["", "| peak RSS | process |", "|---|---|"]
    lines += [f"| {rss / 2**30:.2f} GiB | `{command}` |" for command, rss in results["peak_rss"][:8]]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
