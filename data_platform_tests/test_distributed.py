"""The distributed engine, really started (issue 16, item 5 and its faults): Dagster's instance on
PostgreSQL (Debian's server, initdb in a temporary folder), the run queue with four runs at once,
and every step a task on two Celery worker processes behind a Redis broker (Debian's
redis-server). Batches go through it with the bytes of the in-process run, a worker killed
mid-step gives its step to the other worker, and a broker or database outage ends in a clear
error, never a hang or a half-written partition."""

from __future__ import annotations

import gzip
import json
import os
import random
import shutil
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import dagster as dg
import pytest
import yaml

from data_platform.definitions import build_definitions
from data_platform.defs.resources import resources_for
from data_platform.demo.cluster import LocalCluster, missing_programs
from data_platform.demo.runner import ingest_new_drops
from data_platform.lake.store import TMP_PREFIX, Lake
from data_platform_tests.conftest import PROJECT_ROOT, registry_entry
from data_platform_tests.test_daemon import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.slow]
TIERS = ("raw", "cleaned", "annotated")
COMMENTS = PROJECT_ROOT / "data_platform" / "demo" / "sample" / "emotion_training.jsonl.gz"
FINISHED = (dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED)


if missing_programs():
    pytest.skip(
        f"{', '.join(missing_programs())} not installed: .ci/run installs Debian's postgresql, redis-server",
        allow_module_level=True,
    )


def comments() -> list[str]:
    """Real Reddit comments (GoEmotions, bundled with the demo: its SOURCE in ATTRIBUTION.md)."""
    with gzip.open(COMMENTS, "rt", encoding="utf-8") as lines:
        return [json.loads(line)["text"] for line in lines]


def land_batches(folder: Path, count: int, size: int, seed: int) -> None:
    """``count`` drops of real comments; each repeats comments of earlier drops (exact copies)
    and of its own, and changes one word of others (near copies), so that dedup across batches
    decides what each batch keeps."""
    rng = random.Random(seed)
    pool = comments()
    seen: list[str] = []
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        own = rng.sample(pool, size)
        copies = rng.sample(seen, min(len(seen), size // 10))
        near = [f"{text} indeed" for text in rng.sample(seen, min(len(seen), size // 20)) if len(text) > 60]
        texts = own + copies + near + own[: size // 20]
        rng.shuffle(texts)
        seen += own
        rows = (json.dumps({"id": f"{number}-{i}", "text": text}) for i, text in enumerate(texts))
        (folder / f"batch-{number:02d}.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")


def make_home(root: Path, sources: dict[str, str]) -> Path:
    """A home whose registry has one source per ``{source id: drop folder}``."""
    root.mkdir(parents=True)
    # The drops repeat comments on purpose: more of them are quarantined than a source allows.
    entries = [registry_entry(source, folder, max_quarantine_rate=0.9) for source, folder in sources.items()]
    (root / "sources.yaml").write_text(yaml.safe_dump({"sources": entries}), encoding="utf-8")
    return root


def in_process_digests(root: Path, sources: dict[str, Path]) -> dict[tuple[str, str], str]:
    """Run the drops of ``sources`` (reading the very files the cluster read: the raw tier records
    their paths) in this process, one batch after another in sequence order, with the sensor's
    tick applied as the demo does, on a SQLite instance and a lake of its own; its digests."""
    home = make_home(root, {source: str(folder) for source, folder in sources.items()})
    (home / "dagster_home").mkdir()
    shutil.copy(PROJECT_ROOT / "dagster.yaml", home / "dagster_home")
    lake = Lake(home / "lake")
    defs = build_definitions(resources_for(lake.root, home / "sources.yaml"))
    with dg.DagsterInstance.from_config(str(home / "dagster_home")) as instance:
        outcomes = ingest_new_drops(defs, instance, say=lambda _: None)
    assert all(outcomes.values()), outcomes
    return digests(lake)


def digests(lake: Lake) -> dict[tuple[str, str], str]:
    """Each partition's digest of its Parquet files: equal digests, equal bytes."""
    return {
        (tier, batch): lake.stats(tier, batch)["digest"] for tier in TIERS for batch in lake.partitions(tier)
    }


def runs_of(instance: dg.DagsterInstance, source: str) -> list[dg.DagsterRun]:
    return [
        run
        for run in instance.get_runs(filters=dg.RunsFilter(job_name="ingest_job"))
        if run.tags.get("dagster/partition", "").startswith(f"{source}:")
    ]


def all_finished(instance: dg.DagsterInstance, source: str, count: int) -> Callable[[], bool]:
    def finished() -> bool:
        runs = runs_of(instance, source)
        return len(runs) == count and all(run.status in FINISHED for run in runs)

    return finished


def celery_hosts(instance: dg.DagsterInstance, run_ids: list[str]) -> dict[str, str]:
    """Which Celery worker executed each step of these runs: {"<run>/<step>": worker name}."""
    hosts = {}
    for run_id in run_ids:
        for record in instance.all_logs(run_id, of_type=dg.DagsterEventType.ENGINE_EVENT):
            data = record.dagster_event.engine_event_data
            worker = data.metadata.get("Celery worker") if data is not None else None
            if worker is not None:
                hosts[f"{run_id}/{record.dagster_event.step_key}"] = str(worker.value)
    return hosts


def failure_message(instance: dg.DagsterInstance, run_id: str) -> str:
    messages = []
    for record in instance.all_logs(run_id):
        event = record.dagster_event
        error = getattr(event.event_specific_data, "error", None) if event is not None else None
        if error is not None:
            messages.append(error.to_string())
    return "\n".join(messages)


@pytest.fixture
def instance_of() -> Iterator[Callable[[LocalCluster], dg.DagsterInstance]]:
    """The cluster's own instance (PostgreSQL), opened with its environment."""
    opened: list[dg.DagsterInstance] = []
    saved = dict(os.environ)

    def open_instance(cluster: LocalCluster) -> dg.DagsterInstance:
        os.environ.update(cluster.env())
        opened.append(dg.DagsterInstance.get())
        return opened[-1]

    yield open_instance
    for instance in opened:
        instance.dispose()
    os.environ.clear()
    os.environ.update(saved)


def test_ten_batches_on_two_celery_workers_match_the_in_process_run(tmp_path: Path, instance_of) -> None:
    home = make_home(tmp_path / "cluster", {"chat": "drops"})
    land_batches(home / "drops", count=10, size=300, seed=16)
    with LocalCluster(home, workers=2) as cluster:
        instance = instance_of(cluster)
        wait_for(all_finished(instance, "chat", 10), 900, "the ten batch runs")
        runs = runs_of(instance, "chat")
        assert {run.status for run in runs} == {dg.DagsterRunStatus.SUCCESS}, [
            failure_message(instance, run.run_id) for run in runs if run.status != dg.DagsterRunStatus.SUCCESS
        ]
        hosts = celery_hosts(instance, [run.run_id for run in runs])
    expected = in_process_digests(tmp_path / "reference", {"chat": home / "drops"})
    assert len(expected) == 30
    assert digests(Lake(home / "lake")) == expected
    # 10 runs x 7 steps (three tiers, dedup state, three gates), spread over both workers.
    assert len(hosts) == 70
    assert {host.split("@")[0] for host in hosts.values()} == {"worker1", "worker2"}


@pytest.fixture(scope="module")
def faults_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalCluster]:
    """One cluster for the fault tests; each test has its own source and drop folder."""
    home = make_home(
        tmp_path_factory.mktemp("faults") / "home",
        {"killed": "killed", "nobroker": "nobroker", "restarted": "restarted"},
    )
    for folder in ("killed", "nobroker", "restarted"):
        (home / folder).mkdir()
    with LocalCluster(home, workers=2) as cluster:
        yield cluster


def started(instance: dg.DagsterInstance, source: str, step: str) -> Callable[[], bool]:
    def step_started() -> bool:
        return any(
            record.dagster_event.step_key == step
            for run in runs_of(instance, source)
            for record in instance.all_logs(run.run_id, of_type=dg.DagsterEventType.STEP_START)
        )

    return step_started


def test_a_worker_killed_mid_step_gives_the_step_to_another_with_the_same_bytes(
    faults_cluster: LocalCluster, tmp_path: Path, instance_of
) -> None:
    """SIGKILL the Celery process executing the cleaned step: the broker hands the task to a
    worker again, the run succeeds, and the partition has the bytes of an undisturbed run."""
    cluster = faults_cluster
    instance = instance_of(cluster)
    rng = random.Random(7)
    pool = comments()
    texts = (f"{rng.choice(pool)} {rng.choice(pool)}" for _ in range(150_000))
    rows = (json.dumps({"id": f"k-{i}", "text": text}) for i, text in enumerate(texts))
    staged = cluster.home / "big.jsonl"
    staged.write_text("\n".join(rows) + "\n", encoding="utf-8")
    staged.rename(cluster.home / "killed" / "big.jsonl")
    wait_for(started(instance, "killed", "cleaned_records"), 300, "the cleaned step to start")
    victims = cluster.step_processes()
    busy = [pid for pid in victims if _executing(pid)]
    assert busy, f"no Celery pool process is busy among {victims}"
    for pid in busy:
        os.kill(pid, signal.SIGKILL)
    wait_for(all_finished(instance, "killed", 1), 600, "the batch run after the kill")
    (run,) = runs_of(instance, "killed")
    assert run.status == dg.DagsterRunStatus.SUCCESS, failure_message(instance, run.run_id)
    starts = [
        record
        for record in instance.all_logs(run.run_id, of_type=dg.DagsterEventType.STEP_START)
        if record.dagster_event.step_key == "cleaned_records"
    ]
    assert len(starts) == 2, "the killed attempt and the one that finished"
    lake = Lake(cluster.home / "lake")
    expected = in_process_digests(tmp_path / "reference", {"killed": cluster.home / "killed"})
    assert {key: value for key, value in digests(lake).items() if key[1].startswith("killed:")} == expected
    assert not [p for p in (lake.root / "cleaned").iterdir() if p.name.startswith(TMP_PREFIX)]


def _executing(pid: int) -> bool:
    """Whether a Celery pool process is using the CPU (executing a step, not idle)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    first = int(fields[11]) + int(fields[12])
    time.sleep(0.5)
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return int(fields[11]) + int(fields[12]) > first


def test_with_the_broker_down_a_run_fails_at_once_naming_it(
    faults_cluster: LocalCluster, instance_of
) -> None:
    cluster = faults_cluster
    instance = instance_of(cluster)
    cluster.redis.stop()
    try:
        rows = (json.dumps({"id": f"n-{i}", "text": f"where is my parcel number {i}"}) for i in range(50))
        (cluster.home / "nobroker" / "a.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
        wait_for(all_finished(instance, "nobroker", 1), 180, "the run to fail")
    finally:
        cluster.redis.start()
    (run,) = runs_of(instance, "nobroker")
    assert run.status == dg.DagsterRunStatus.FAILURE
    message = failure_message(instance, run.run_id)
    assert f"the Celery broker {cluster.redis.url} cannot be reached" in message, message
    assert not Lake(cluster.home / "lake").has_partition("raw", "nobroker:a.jsonl")


def test_postgres_restarted_mid_backfill_every_run_ends_and_nothing_is_half_written(
    faults_cluster: LocalCluster, instance_of
) -> None:
    cluster = faults_cluster
    instance = instance_of(cluster)
    land_batches(cluster.home / "restarted", count=4, size=2000, seed=3)
    wait_for(started(instance, "restarted", "cleaned_records"), 300, "a batch to start cleaning")
    cluster.postgres.restart()
    wait_for(all_finished(instance, "restarted", 4), 900, "every run to end after the restart")
    lake = Lake(cluster.home / "lake")
    for run in runs_of(instance, "restarted"):
        batch = run.tags["dagster/partition"]
        if run.status == dg.DagsterRunStatus.SUCCESS:
            assert lake.gate_passed("annotated", batch)
        else:
            assert "connection" in failure_message(instance, run.run_id).lower()
        for tier in TIERS:
            folder = lake.partition_dir(tier, batch)
            assert not folder.exists() or lake.has_partition(tier, batch), f"{folder} is half-written"
    for tier in TIERS:
        assert not [p for p in (lake.root / tier).iterdir() if p.name.startswith(TMP_PREFIX)], (
            f"staging left in {tier}"
        )
