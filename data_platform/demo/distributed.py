"""`make demo-distributed`: the demo's drops through the distributed set-up, for a person to watch
in the UI. PostgreSQL holds the instance, the labelers train on a Celery worker, the daemon's drop
sensor queues one run per drop (four at a time), every step runs on one of the Celery workers,
and a release is cut by a run of its own. The servers stay up until Ctrl-C.

The in-process demo (`make demo`) also runs an active-learning round; this one shows the
distributed engine, so it stops at the release.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

import dagster as dg

from data_platform.defs.partitions import RELEASES
from data_platform.demo.cluster import LocalCluster
from data_platform.demo.generator import generate_demo
from data_platform.demo.runner import DEMO_CARD, DemoOutcome
from data_platform.errors import DataPlatformError
from data_platform.lake.releases import next_version
from data_platform.lake.store import Lake

FINISHED = (dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.CANCELED)
RUN_TIMEOUT_SECONDS = 1800.0
# Longer than the drop sensor's interval (30 s): no new run in this long means it found them all.
SENSOR_QUIET_SECONDS = 45.0


def run_distributed_demo(
    home: Path, workers: int = 2, say: Callable[[str], None] = print, serve: bool = True
) -> DemoOutcome:
    """Start the cluster under ``home``, put the demo through it and, with ``serve``, keep it up
    until interrupted."""
    home = _fresh(home)
    generate_demo(home)
    # The drops are held back until the labelers are trained: the sensor would find them at once.
    (home / "drops").rename(home / "incoming")
    drops = sum(1 for path in (home / "incoming").rglob("*") if path.is_file())
    # A plain `kill` stops the servers too, as Ctrl-C does.
    signal.signal(signal.SIGTERM, _interrupt)
    say(f"starting PostgreSQL, Redis, {workers} Celery workers and the Dagster webserver and daemon")
    with LocalCluster(home, workers=workers) as cluster:
        os.environ.update(cluster.env())
        with dg.DagsterInstance.get() as instance:
            say(f"the UI is at {cluster.url} (runs, their steps and which worker ran each)")
            say("training the labelers (registry_job) on a worker")
            _wait_for(instance, [_submit(cluster, "registry_job")], say)
            (home / "incoming").rename(home / "drops")
            say(f"{drops} drops landed; the drop sensor queues a run for each it accepts within 30 s")
            batches = _wait_for_ingest(instance, say)
            lake = Lake(home / "lake")
            version = next_version(lake)
            instance.add_dynamic_partitions(RELEASES, [version])
            config = {"ops": {"released_dataset": {"config": {"datasheet": DEMO_CARD}}}}
            say(f"cutting release {version} (release_job)")
            _wait_for(
                instance, [_submit(cluster, "release_job", config, {"dagster/partition": version})], say
            )
            say(f"release {version}: {lake.root / 'releases' / version / 'DATASHEET.md'}")
            if serve:
                say(f"the cluster stays up: browse {cluster.url}; Ctrl-C stops every server")
                _serve_until_interrupted()
    return DemoOutcome(lake=Lake(home / "lake"), batches=batches, release=version)


def _fresh(home: Path) -> Path:
    import shutil

    if home.exists():
        shutil.rmtree(home)
    home.mkdir(parents=True)
    return home.resolve()


def _submit(
    cluster: LocalCluster, job: str, run_config: dict | None = None, tags: dict[str, str] | None = None
) -> str:
    """Launch ``job`` through the webserver, as the Launchpad does; its run id."""
    from dagster_graphql import DagsterGraphQLClient

    client = DagsterGraphQLClient("127.0.0.1", port_number=cluster.ui_port)
    return client.submit_job_execution(job, run_config=run_config or {}, tags=tags or {})


def _wait_for(instance: dg.DagsterInstance, run_ids: list[str], say: Callable[[str], None]) -> None:
    deadline = time.monotonic() + RUN_TIMEOUT_SECONDS
    while True:
        runs = [instance.get_run_by_id(run_id) for run_id in run_ids]
        if all(run is not None and run.status in FINISHED for run in runs):
            break
        if time.monotonic() > deadline:
            raise DataPlatformError(
                f"runs {', '.join(run_ids)} did not finish in {RUN_TIMEOUT_SECONDS:.0f} s"
            )
        time.sleep(2)
    failed = [run.run_id for run in runs if run is not None and run.status != dg.DagsterRunStatus.SUCCESS]
    if failed:
        raise DataPlatformError(f"run(s) {', '.join(failed)} failed: open them in the UI to see why")
    say(f"{len(runs)} run(s) succeeded")


def _wait_for_ingest(instance: dg.DagsterInstance, say: Callable[[str], None]) -> dict[str, bool]:
    """Every batch run the drop sensor requests, followed to its end. The sensor refuses some
    drops on purpose (planted faults), so the runs are done when none is left unfinished and no
    new one appeared for longer than the sensor's interval."""
    deadline, reported, quiet_since = time.monotonic() + RUN_TIMEOUT_SECONDS, (-1, -1), time.monotonic()
    while True:
        runs = instance.get_runs(filters=dg.RunsFilter(job_name="ingest_job"))
        done = [run for run in runs if run.status in FINISHED]
        if (len(runs), len(done)) != reported:
            say(f"batch runs: {len(done)} finished, {len(runs) - len(done)} queued or running")
            reported, quiet_since = (len(runs), len(done)), time.monotonic()
        if runs and len(done) == len(runs) and time.monotonic() - quiet_since > SENSOR_QUIET_SECONDS:
            return {run.tags["dagster/partition"]: run.status == dg.DagsterRunStatus.SUCCESS for run in done}
        if time.monotonic() > deadline:
            raise DataPlatformError(f"batch runs still unfinished after {RUN_TIMEOUT_SECONDS:.0f} s")
        time.sleep(3)


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def _serve_until_interrupted() -> None:
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        return
