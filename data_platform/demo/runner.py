"""Run the whole graph on the demo drops against a persistent Dagster instance.

The drop sensor is evaluated exactly as the daemon would (same code, same instance), its
partition requests are applied, and each requested run executes in this process; the release is
then registered and cut. Everything is recorded in the instance's storage, so the UI started on
the same DAGSTER_HOME shows the runs, check results and lineage afterwards.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from data_platform.definitions import build_definitions
from data_platform.defs.ingest.sensors import drop_sensor
from data_platform.defs.partitions import batch_partitions, release_partitions
from data_platform.defs.resources import resources_for
from data_platform.demo.generator import generate_demo
from data_platform.errors import DataPlatformError
from data_platform.lake.releases import next_version
from data_platform.lake.store import Lake

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# Failed gates are expected in the demo; their details belong in the UI, not on the terminal.
QUIET = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}


@dataclass(frozen=True)
class DemoOutcome:
    lake: Lake
    batches: dict[str, bool]
    release: str


def prepare_home(home: Path) -> Path:
    """A fresh demo home holding the project's dagster.yaml; returns its DAGSTER_HOME."""
    if home.exists():
        shutil.rmtree(home)
    dagster_home = home / "dagster_home"
    dagster_home.mkdir(parents=True)
    shutil.copy(PROJECT_ROOT / "dagster.yaml", dagster_home / "dagster.yaml")
    return dagster_home


def ingest_new_drops(
    defs: dg.Definitions, instance: dg.DagsterInstance, say: Callable[[str], None]
) -> dict[str, bool]:
    """One sensor tick, applied: add the requested partitions and run each requested batch."""
    context = dg.build_sensor_context(instance=instance, definitions=defs, resources=defs.resources)
    requested = drop_sensor(context)
    batches = [request.partition_key for request in requested.run_requests]
    instance.add_dynamic_partitions(batch_partitions.name, batches)
    ingest = defs.resolve_job_def("ingest_job")
    outcomes = {}
    for position, batch_id in enumerate(batches, start=1):
        result = ingest.execute_in_process(
            instance=instance,
            partition_key=batch_id,
            raise_on_error=False,
            run_config=QUIET,
            tags={"dagster/run_key": batch_id},
        )
        outcomes[batch_id] = result.success
        say(f"[{position}/{len(batches)}] {batch_id}: {run_outcome(result)}")
    return outcomes


def run_outcome(result: dg.ExecuteInProcessResult) -> str:
    """Promoted, stopped by a gate, or failed with the error (a crash is not a gate's verdict)."""
    if result.success:
        return "promoted"
    errors = [
        event.step_failure_data.error
        for event in result.all_events
        if event.is_step_failure and event.step_failure_data.error is not None
    ]
    crashes = [e for e in errors if e.cls_name != "DagsterAssetCheckFailedError"]
    if crashes:
        return f"FAILED in a step: {crashes[0].cls_name}: {crashes[0].message.strip()}"
    return "stopped by a gate"


def cut_next_release(defs: dg.Definitions, instance: dg.DagsterInstance, lake: Lake) -> str:
    version = next_version(lake)
    instance.add_dynamic_partitions(release_partitions.name, [version])
    result = defs.resolve_job_def("release_job").execute_in_process(
        instance=instance, partition_key=version, raise_on_error=False, run_config=QUIET
    )
    if not result.success:  # without this a broken release would pass for one that exists
        raise DataPlatformError(f"release {version}: {run_outcome(result)}")
    return version


def run_demo(home: Path, say: Callable[[str], None] = print) -> DemoOutcome:
    dagster_home = prepare_home(home)
    registry = generate_demo(home)
    say(f"demo drops and registry written under {home}")
    lake = Lake(home / "lake")
    defs = build_definitions(resources_for(lake.root, registry))
    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        defs.resolve_job_def("registry_job").execute_in_process(
            instance=instance, raise_on_error=False, run_config=QUIET
        )
        batches = ingest_new_drops(defs, instance, say)
        say("cutting the release")
        version = cut_next_release(defs, instance, lake)
    return DemoOutcome(lake=lake, batches=batches, release=version)
