"""The drop sensor against a real (temporary, SQLite-backed) Dagster instance."""

import json
import os
import time
from pathlib import Path

import dagster as dg
import polars as pl
import pytest
import yaml

from data_platform.definitions import build_definitions
from data_platform.defs.ingest.sensors import drop_sensor, ingest_failure_sensor
from data_platform.defs.partitions import BATCHES
from data_platform.defs.resources import resources_for
from data_platform.evaluation.slices import REQUEST_SCHEMA
from data_platform.lake.atomic import write_parquet_atomic
from data_platform.lake.store import Lake
from data_platform.sources.registry import load_registry
from data_platform.tiers.feedback import requests_path
from data_platform_tests.conftest import registry_entry


def write_registry(home: Path, **changes: object) -> Path:
    entry = registry_entry("chat", "drops/chat", licence="MIT", settle_seconds=60, fields=None, **changes)
    bad = {**entry, "id": "mystery", "licence": "No-Such-Licence", "drop_folder": "drops/mystery"}
    path = home / "sources.yaml"
    path.write_text(yaml.safe_dump({"sources": [entry, bad]}), encoding="utf-8")
    (home / "drops/chat").mkdir(parents=True, exist_ok=True)
    (home / "drops/mystery").mkdir(parents=True, exist_ok=True)
    return path


def land(path: Path, age_seconds: float) -> None:
    path.write_text(json.dumps({"text": "hello there"}) + "\n", encoding="utf-8")
    stamp = time.time() - age_seconds
    os.utime(path, (stamp, stamp))


def tick(home: Path, registry: Path, instance: dg.DagsterInstance, cursor: str | None) -> dg.SensorResult:
    defs = build_definitions(resources_for(home / "lake", registry))
    context = dg.build_sensor_context(
        instance=instance, cursor=cursor, definitions=defs, resources=defs.resources
    )
    return drop_sensor(context)


@pytest.fixture
def instance():
    with dg.instance_for_test() as instance:
        yield instance


def test_new_complete_drops_become_partitions_and_runs_once(tmp_path: Path, instance) -> None:
    registry = write_registry(tmp_path)
    land(tmp_path / "drops/chat/a.jsonl", age_seconds=3600)
    land(tmp_path / "drops/chat/b.jsonl", age_seconds=3600)
    land(tmp_path / "drops/mystery/x.jsonl", age_seconds=3600)
    result = tick(tmp_path, registry, instance, None)
    keys = ["chat:a.jsonl", "chat:b.jsonl"]
    assert [r.partition_key for r in result.run_requests] == keys
    assert [r.run_key for r in result.run_requests] == keys
    [add] = result.dynamic_partitions_requests
    assert list(add.partition_keys) == keys
    again = tick(tmp_path, registry, instance, result.cursor)
    assert again.run_requests == [] and again.skip_reason.skip_message == "no new complete drops"
    assert json.loads(again.cursor)["requested"] == keys
    # Once the daemon has added the partitions, the cursor forgets them: it stays small.
    instance.add_dynamic_partitions("batches", keys)
    assert json.loads(tick(tmp_path, registry, instance, again.cursor).cursor)["requested"] == []


def test_restarted_sensor_without_cursor_skips_registered_partitions(tmp_path: Path, instance) -> None:
    registry = write_registry(tmp_path)
    land(tmp_path / "drops/chat/a.jsonl", age_seconds=3600)
    first = tick(tmp_path, registry, instance, None)
    instance.add_dynamic_partitions("batches", [r.partition_key for r in first.run_requests])
    land(tmp_path / "drops/chat/c.jsonl", age_seconds=3600)
    restarted = tick(tmp_path, registry, instance, None)
    assert [r.partition_key for r in restarted.run_requests] == ["chat:c.jsonl"]


def test_file_still_being_written_is_not_picked_up(tmp_path: Path, instance) -> None:
    registry = write_registry(tmp_path)
    land(tmp_path / "drops/chat/fresh.jsonl", age_seconds=1)
    land(tmp_path / "drops/chat/.hidden.jsonl", age_seconds=3600)
    land(tmp_path / "drops/chat/upload.jsonl.part", age_seconds=3600)
    result = tick(tmp_path, registry, instance, None)
    assert result.run_requests == []
    os.utime(tmp_path / "drops/chat/fresh.jsonl", (time.time() - 120, time.time() - 120))
    assert [r.partition_key for r in tick(tmp_path, registry, instance, None).run_requests] == [
        "chat:fresh.jsonl"
    ]


def test_marker_rule_waits_for_the_done_file(tmp_path: Path, instance) -> None:
    registry = write_registry(tmp_path, completion="marker")
    land(tmp_path / "drops/chat/a.jsonl", age_seconds=3600)
    assert tick(tmp_path, registry, instance, None).run_requests == []
    (tmp_path / "drops/chat/a.jsonl.done").touch()
    assert [r.partition_key for r in tick(tmp_path, registry, instance, None).run_requests] == [
        "chat:a.jsonl"
    ]


def test_unreadable_registry_skips_the_tick_instead_of_crashing(tmp_path: Path, instance) -> None:
    registry = tmp_path / "sources.yaml"
    registry.write_text("sources: [", encoding="utf-8")
    result = tick(tmp_path, registry, instance, None)
    assert result.run_requests == [] and "not valid YAML" in result.skip_reason.skip_message


def test_symlinks_are_refused_and_reported_once(tmp_path: Path, instance, capfd) -> None:
    registry = write_registry(tmp_path)
    outside = tmp_path / "secret.jsonl"
    land(outside, age_seconds=3600)
    (tmp_path / "drops/chat/link.jsonl").symlink_to(outside)
    land(tmp_path / "drops/chat/real.jsonl", age_seconds=3600)
    first = tick(tmp_path, registry, instance, None)
    assert [r.partition_key for r in first.run_requests] == ["chat:real.jsonl"]
    assert capfd.readouterr().err.count("link.jsonl is a symlink") == 1
    tick(tmp_path, registry, instance, first.cursor)
    assert capfd.readouterr().err.count("link.jsonl is a symlink") == 0, "reported once"


@pytest.mark.parametrize("policy", ["hash", "refuse"])
def test_file_names_with_personal_data_are_hashed_or_refused(tmp_path: Path, instance, capfd, policy) -> None:
    registry = write_registry(tmp_path, pii_in_file_names=policy)
    land(tmp_path / "drops/chat/export_for_jane.doe@example.com.jsonl", age_seconds=3600)
    keys = [r.partition_key for r in tick(tmp_path, registry, instance, None).run_requests]
    messages = capfd.readouterr().err
    assert "EMAIL_ADDRESS" in messages and "jane.doe" not in messages
    if policy == "refuse":
        assert keys == []
    else:
        [key] = keys
        assert key.startswith("chat:drop-") and key.endswith(".jsonl") and "jane" not in key


def test_over_long_names_get_a_stable_short_key(tmp_path: Path, instance) -> None:
    registry = write_registry(tmp_path)
    name = "q" * 240 + ".jsonl"
    land(tmp_path / "drops/chat" / name, age_seconds=3600)
    [request] = tick(tmp_path, registry, instance, None).run_requests
    assert len(request.partition_key.encode()) <= 180 and "~" in request.partition_key
    assert [r.partition_key for r in tick(tmp_path, registry, instance, None).run_requests] == [
        request.partition_key
    ], "the same file gives the same key"


def test_batches_are_numbered_when_found_not_when_their_runs_start(tmp_path: Path, instance) -> None:
    """Runs side by side start in any order; the numbers that order cleaning must not follow."""
    registry = write_registry(tmp_path)
    for name in ("c.jsonl", "a.jsonl", "b.jsonl"):
        land(tmp_path / "drops/chat" / name, age_seconds=3600)
    first = tick(tmp_path, registry, instance, None)
    lake = Lake(tmp_path / "lake")
    assert lake.batch_sequences() == {"chat:a.jsonl": 1, "chat:b.jsonl": 2, "chat:c.jsonl": 3}
    instance.add_dynamic_partitions(BATCHES, [r.partition_key for r in first.run_requests])
    land(tmp_path / "drops/chat/0.jsonl", age_seconds=3600)
    tick(tmp_path, registry, instance, first.cursor)
    assert lake.batch_sequences()["chat:0.jsonl"] == 4
    # A run that takes its number itself (the raw step) keeps the one the sensor gave.
    assert lake.batch_sequence("chat:b.jsonl", "chat", "b.jsonl") == 2


def test_a_batch_whose_run_failed_before_ingesting_is_let_go(tmp_path: Path, instance) -> None:
    """Later batches wait for an earlier batch still being ingested; one whose run failed before
    its raw step (broker down, worker lost) is marked so, and they go on without it."""
    registry = write_registry(tmp_path)
    land(tmp_path / "drops/chat/a.jsonl", age_seconds=3600)
    tick(tmp_path, registry, instance, None)
    lake = Lake(tmp_path / "lake")
    defs = build_definitions(resources_for(lake.root, registry))
    run = instance.create_run_for_job(
        defs.resolve_job_def("ingest_job"), tags={"dagster/partition": "chat:a.jsonl"}
    )
    context = dg.build_run_status_sensor_context(
        sensor_name="ingest_failure_sensor",
        dagster_instance=instance,
        dagster_run=run,
        dagster_event=dg.DagsterEvent(
            event_type_value=dg.DagsterEventType.RUN_FAILURE.value, job_name="ingest_job"
        ),
        resources=defs.resources,
    ).for_run_failure()
    assert not lake.ingestion_failed("chat:a.jsonl")
    ingest_failure_sensor(context)
    assert lake.ingestion_failed("chat:a.jsonl")


def test_drops_of_a_source_serving_an_open_request_are_queued_first(tmp_path: Path, instance) -> None:
    registry = write_registry(tmp_path, serves=["language=de", "expected=transfer"])
    land(tmp_path / "drops/chat/a.jsonl", age_seconds=3600)
    assert tick(tmp_path, registry, instance, None).run_requests[0].tags == {}  # no request yet
    requests = [
        {
            "request_id": "r1",
            "status": "open",
            "conditions": json.dumps({"language": "de", "length": "0-19"}),
        },
        {"request_id": "r2", "status": "open", "conditions": json.dumps({"expected": "transfer"})},
        {"request_id": "r3", "status": "met", "conditions": json.dumps({"language": "de"})},
        {"request_id": "r4", "status": "open", "conditions": json.dumps({"language": "fr"})},
    ]
    frame = pl.DataFrame(requests).join(pl.DataFrame(schema=REQUEST_SCHEMA), on="request_id", how="left")
    write_parquet_atomic(requests_path(Lake(tmp_path / "lake")), frame.select(list(REQUEST_SCHEMA)))
    [run] = tick(tmp_path, registry, instance, None).run_requests
    assert run.tags == {"dagster/priority": "2"}  # r1 and r2; r3 is met, r4 another language


def test_a_serves_entry_that_is_no_condition_is_rejected(tmp_path: Path) -> None:
    loaded = load_registry(write_registry(tmp_path, serves=["German please"]))
    assert "chat" not in loaded.sources
    assert any("field 'serves'" in str(error) for error in loaded.errors)
