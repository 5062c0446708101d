"""Names from outside the platform (partition keys, versions, drop files) never lead outside the
lake or the drop folder, and a drop that changes after it was read is read again."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import dagster as dg
import pytest
import yaml

from data_platform.definitions import build_definitions
from data_platform.defs.ingest.sensors import REINGEST_TAG, drop_sensor
from data_platform.defs.resources import resources_for
from data_platform.errors import UnsafePathError
from data_platform.lake.paths import inside
from data_platform.lake.releases import check_version
from data_platform.lake.store import Lake
from data_platform.sources.drops import batch_id_for, drop_for_batch, split_batch_id
from data_platform.sources.registry import load_registry
from data_platform_tests.conftest import registry_entry

HOSTILE_KEYS = [
    "chat:../../../../outside/x",
    "chat:..",
    "../chat:a.jsonl",
    "chat:a/b.jsonl",
    "chat:a.jsonl\n",
    "chat:a\x00.jsonl",
    "chat:" + "x" * 300,
    "chat",
    "Chat:a.jsonl",
]


@pytest.mark.parametrize("key", HOSTILE_KEYS)
def test_hostile_partition_keys_are_refused_before_any_path_is_built(key: str, tmp_path: Path) -> None:
    lake = Lake(tmp_path / "lake")
    with pytest.raises(UnsafePathError):
        split_batch_id(key)
    if "/" in key or "\x00" in key or "\n" in key or len(key) > 200:
        for build in (
            lambda: lake.partition_dir("raw", key),
            lambda: lake.gate_path("raw", key),
            lambda: lake.state_path("exact_dedup", key),
            lambda: lake.batch_sequence(key, "chat", "f"),
        ):
            with pytest.raises(UnsafePathError):
                build()
    assert not (tmp_path / "outside").exists()


@pytest.mark.parametrize("version", ["v4\n", "v0", "v٣", "../v1", "v1/../../x", "v", "V1", " v1", "v01"])
def test_release_versions_are_checked_whole(version: str) -> None:
    with pytest.raises(UnsafePathError):
        check_version(version)


def test_inside_follows_symlinks_before_judging(tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    (root / "escape").symlink_to(tmp_path)
    with pytest.raises(UnsafePathError, match="leads outside"):
        inside(root, "escape")
    assert inside(root, "ok.json") == root / "ok.json"


def write_home(home: Path) -> Path:
    entry = registry_entry("chat", "drops/chat")
    (home / "drops/chat").mkdir(parents=True)
    registry = home / "sources.yaml"
    registry.write_text(yaml.safe_dump({"sources": [entry]}), encoding="utf-8")
    return registry


def lines(start: int, count: int) -> str:
    return "".join(
        json.dumps({"id": f"r{i}", "text": f"a support message number {i}"}) + "\n"
        for i in range(start, start + count)
    )


def test_a_symlinked_drop_is_never_read_even_by_its_key(tmp_path: Path) -> None:
    registry = write_home(tmp_path)
    secret = tmp_path / "secret.jsonl"
    secret.write_text(lines(0, 3), encoding="utf-8")
    (tmp_path / "drops/chat/leak.jsonl").symlink_to(secret)
    with pytest.raises(UnsafePathError, match="not a regular file"):
        drop_for_batch(load_registry(registry), "chat:leak.jsonl")


def test_short_and_withheld_keys_map_back_to_their_file(tmp_path: Path) -> None:
    registry = write_home(tmp_path)
    long_name = tmp_path / "drops/chat" / ("n" * 230 + ".jsonl")
    long_name.write_text(lines(0, 1), encoding="utf-8")
    short = batch_id_for("chat", long_name)
    withheld = batch_id_for("chat", long_name, withhold_name=True)
    loaded = load_registry(registry)
    assert drop_for_batch(loaded, short).path == long_name
    drop = drop_for_batch(loaded, withheld)
    assert drop.path == long_name and drop.name_withheld and "nnnn" not in str(drop.shown_path)


@pytest.mark.slow
def test_traversal_key_through_a_real_run_writes_nothing_outside(tmp_path: Path) -> None:
    registry = write_home(tmp_path)
    defs = build_definitions(resources_for(tmp_path / "lake", registry))
    key = "chat:../../../../outside/x"
    with dg.instance_for_test() as instance:
        instance.add_dynamic_partitions("batches", [key])
        result = defs.resolve_job_def("ingest_job").execute_in_process(
            instance=instance, partition_key=key, raise_on_error=False
        )
    assert not result.success
    failure = next(e for e in result.all_events if e.is_step_failure)
    assert "UnsafePathError" in str(failure.step_failure_data.error.to_string())
    assert not any(p.name == "outside" for p in tmp_path.parent.parent.rglob("outside"))


@pytest.mark.slow
def test_a_drop_that_grows_after_ingestion_is_ingested_again(tmp_path: Path) -> None:
    registry = write_home(tmp_path)
    drop = tmp_path / "drops/chat/stream.jsonl"
    drop.write_text(lines(0, 5), encoding="utf-8")
    old = time.time() - 60
    os.utime(drop, (old, old))
    defs = build_definitions(resources_for(tmp_path / "lake", registry))
    lake = Lake(tmp_path / "lake")
    with dg.instance_for_test() as instance:

        def tick() -> list[dg.RunRequest]:
            context = dg.build_sensor_context(instance=instance, definitions=defs, resources=defs.resources)
            result = drop_sensor(context)
            instance.add_dynamic_partitions("batches", [r.partition_key for r in result.run_requests])
            for request in result.run_requests:
                defs.resolve_job_def("ingest_job").execute_in_process(
                    instance=instance, partition_key=request.partition_key, tags=request.tags
                )
            return result.run_requests

        assert [r.partition_key for r in tick()] == ["chat:stream.jsonl"]
        assert lake.stats("raw", "chat:stream.jsonl")["records_out"] == 5
        assert tick() == []
        with drop.open("a", encoding="utf-8") as handle:  # the writer wakes up again
            handle.write(lines(5, 4))
        [again] = tick()
        assert again.partition_key == "chat:stream.jsonl" and REINGEST_TAG in again.tags
        assert lake.stats("raw", "chat:stream.jsonl")["records_out"] == 9
        assert lake.stats("cleaned", "chat:stream.jsonl")["records_out"] == 9
        assert tick() == [], "requested once per change"
