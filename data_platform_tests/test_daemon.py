"""The real daemon: its sensor tick finds drops, its run launcher runs each batch in its own
process (multiprocess executor, concurrency pools), and new drops keep being picked up."""

import json
import os
import shutil
import signal
import time
from pathlib import Path

import dagster as dg
import pytest
import yaml

from data_platform.lake.store import Lake
from data_platform_tests.conftest import PROJECT_ROOT, dagster_dev, registry_entry

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def land(home: Path, name: str, topic: str) -> None:
    rows = [
        {"id": f"{name}-{i}", "text": f"customer question {i} about {topic}, please help"} for i in range(30)
    ]
    path = home / "drops" / name
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")


def wait_for(predicate, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(2)


def daemon_home(tmp_path: Path) -> Path:
    """A home with this repository's dagster.yaml and one source, ``chat``, reading ``drops/``."""
    home = tmp_path / "home"
    (home / "drops").mkdir(parents=True)
    (home / "dagster_home").mkdir()
    shutil.copy(PROJECT_ROOT / "dagster.yaml", home / "dagster_home")
    source = registry_entry("chat", "drops")
    (home / "sources.yaml").write_text(yaml.safe_dump({"sources": [source]}), encoding="utf-8")
    return home


def test_daemon_ingests_drops_end_to_end(tmp_path: Path) -> None:
    home = daemon_home(tmp_path)
    land(home, "a.jsonl", "billing")
    land(home, "b.jsonl", "delivery")
    lake = Lake(home / "lake")

    def gated(batch: str) -> bool:
        return lake.gate_passed("annotated", batch)

    with dagster_dev(home):
        wait_for(lambda: gated("chat:a.jsonl") and gated("chat:b.jsonl"), 300, "both batches")
        land(home, "c.jsonl", "refunds")
        wait_for(lambda: gated("chat:c.jsonl"), 300, "the late batch")
    for batch in ("chat:a.jsonl", "chat:b.jsonl", "chat:c.jsonl"):
        assert lake.stats("annotated", batch)["records_out"] == 30
    sequences = lake.batch_sequences()
    assert sorted(sequences.values()) == [1, 2, 3]


def worker_pid(instance, run_id: str) -> int | None:
    for record in instance.all_logs(run_id, of_type=dg.DagsterEventType.ENGINE_EVENT):
        data = record.dagster_event.engine_event_data
        if data is not None and "pid" in data.metadata:
            return int(data.metadata["pid"].value)
    return None


def step_started(instance, run_id: str, step: str) -> bool:
    return any(
        record.dagster_event.step_key == step
        for record in instance.all_logs(run_id, of_type=dg.DagsterEventType.STEP_START)
    )


def test_a_run_killed_while_it_cleans_is_failed_and_the_next_batch_cleans(tmp_path: Path) -> None:
    """SIGKILL the run worker while its cleaned step runs: run monitoring fails the dead run,
    no partial cleaned partition is left, and the next batch (numbered after it, so judged
    against its raw partition) cleans."""
    home = daemon_home(tmp_path)
    rows = (
        json.dumps({"id": f"big-{i}", "text": f"question {i} about parcel {i * 7} and refund {i % 97}"})
        for i in range(300_000)
    )
    (home / "drops" / "a.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    lake = Lake(home / "lake")
    with dagster_dev(home):
        instance = dg.DagsterInstance.from_config(str(home / "dagster_home"))
        runs: list = []

        def cleaning_started() -> bool:
            runs[:] = instance.get_runs(filters=dg.RunsFilter(tags={"dagster/partition": "chat:a.jsonl"}))
            return bool(runs) and step_started(instance, runs[0].run_id, "cleaned_records")

        wait_for(cleaning_started, 300, "batch a to start cleaning")
        victim = runs[0].run_id
        os.kill(worker_pid(instance, victim), signal.SIGKILL)
        land(home, "b.jsonl", "delivery")
        wait_for(lambda: lake.gate_passed("annotated", "chat:b.jsonl"), 150, "batch b past the freed pool")
        assert instance.get_run_by_id(victim).status == dg.DagsterRunStatus.FAILURE
        assert not lake.has_partition("cleaned", "chat:a.jsonl")
