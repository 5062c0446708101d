"""Run the whole graph on the demo drops against a persistent Dagster instance.

The drop sensor is evaluated exactly as the daemon would (same code, same instance), its
partition requests are applied, and each requested run executes in this process; the release is
then registered and cut. Everything is recorded in DAGSTER_HOME, so the UI shows the runs,
check results and lineage afterwards.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import dagster as dg

from data_platform import settings
from data_platform.demo.generator import generate_demo

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# Failed gates are expected in the demo; their details belong in the UI, not on the terminal.
QUIET = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}


def prepare_home(home: Path) -> None:
    """Fresh demo home with the project's dagster.yaml; env vars point the code at it."""
    if home.exists():
        shutil.rmtree(home)
    dagster_home = home / "dagster_home"
    dagster_home.mkdir(parents=True)
    shutil.copy(PROJECT_ROOT / "dagster.yaml", dagster_home / "dagster.yaml")
    os.environ[settings.HOME_ENV] = str(home)
    os.environ["DAGSTER_HOME"] = str(dagster_home)
    os.environ.pop(settings.REGISTRY_ENV, None)


def run_demo(home: Path, say: Callable[[str], None] = print) -> dict:
    prepare_home(home)
    generate_demo(home)
    say(f"demo drops and registry written under {home}")
    # Imported only now: resources read DATA_PLATFORM_HOME when the definitions load.
    from data_platform.defs.ingest.sensors import drop_sensor
    from data_platform.definitions import defs
    from data_platform.lake.releases import next_version

    instance = dg.DagsterInstance.get()
    defs.resolve_job_def("registry_job").execute_in_process(
        instance=instance, raise_on_error=False, run_config=QUIET
    )
    context = dg.build_sensor_context(instance=instance, definitions=defs, resources=defs.resources)
    requested = drop_sensor(context)
    batches = [request.partition_key for request in requested.run_requests]
    instance.add_dynamic_partitions("batches", batches)
    ingest = defs.resolve_job_def("ingest_job")
    outcomes = {}
    for position, batch_id in enumerate(batches, start=1):
        say(f"[{position}/{len(batches)}] ingest run for batch {batch_id}")
        result = ingest.execute_in_process(
            instance=instance,
            partition_key=batch_id,
            raise_on_error=False,
            run_config=QUIET,
            tags={"dagster/run_key": batch_id},
        )
        outcomes[batch_id] = result.success
    lake = defs.resources["lake"].lake()  # type: ignore[union-attr]
    version = next_version(lake)
    instance.add_dynamic_partitions("releases", [version])
    say(f"cutting release {version}")
    defs.resolve_job_def("release_job").execute_in_process(
        instance=instance, partition_key=version, raise_on_error=False, run_config=QUIET
    )
    return {"batches": outcomes, "release": version}
