"""The release cadence: cut a new version when gated batches are waiting (off by default)."""

import dagster as dg

from data_platform.defs.jobs import release_job
from data_platform.defs.partitions import release_partitions
from data_platform.defs.resources import LakeResource
from data_platform.lake.releases import list_releases, next_version, read_manifest


@dg.sensor(
    job=release_job,
    minimum_interval_seconds=24 * 3600,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Once a day: if annotated batches passed their gate since the last release, "
    "register the next version and cut it. Turn on in the UI to release on a schedule.",
)
def release_sensor(context: dg.SensorEvaluationContext, lake: LakeResource) -> dg.SensorResult:
    store = lake.lake()
    released = list_releases(store)
    already = {b["batch_id"] for b in read_manifest(store, released[-1])["batches"]} if released else set()
    waiting = [
        b for b in store.partitions("annotated") if store.gate_passed("annotated", b) and b not in already
    ]
    if not waiting:
        return dg.SensorResult(skip_reason="no newly gated batches since the last release")
    version = next_version(store)
    return dg.SensorResult(
        run_requests=[dg.RunRequest(partition_key=version, run_key=f"release-{version}")],
        dynamic_partitions_requests=[release_partitions.build_add_request([version])],
    )
