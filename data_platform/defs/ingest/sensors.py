"""The drop sensor (new files become batch partitions and runs) and the freshness schedule."""

import json
import time

import dagster as dg

from data_platform.defs.jobs import ingest_job, registry_job
from data_platform.defs.partitions import batch_partitions
from data_platform.defs.resources import RegistryResource
from data_platform.errors import RegistryError
from data_platform.sources.drops import batch_id_for, ready_drops


@dg.sensor(
    job=ingest_job,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Finds complete drops in every registered source's folder, adds a batch "
    "partition per drop and requests one ingest run for it.",
)
def drop_sensor(context: dg.SensorEvaluationContext, registry: RegistryResource) -> dg.SensorResult:
    # A drop is requested once: its run key stops a second launch, and batches that are already
    # partitions (registered by this sensor, the CLI, the demo or a person) are skipped even if
    # the cursor is lost. The cursor holds requested batches until their partition exists, so
    # it stays small however many drops have been seen.
    requested = set(json.loads(context.cursor)) if context.cursor else set()
    try:
        loaded = registry.load()
    except RegistryError as exc:
        return dg.SensorResult(skip_reason=str(exc))
    for error in loaded.errors:
        context.log.warning(f"source skipped: {error}")
    known = set(context.instance.get_dynamic_partitions(batch_partitions.name))
    now = time.time()
    new: list[str] = []
    for source in loaded.sources.values():
        try:
            drops = ready_drops(source, now)
        except OSError as exc:
            context.log.warning(f"source {source.id}: cannot list {source.drop_folder}: {exc}")
            continue
        new += [
            b for b in (batch_id_for(source.id, p) for p in drops) if b not in known and b not in requested
        ]
    cursor = json.dumps(sorted((requested - known) | set(new)))
    if not new:
        return dg.SensorResult(skip_reason="no new complete drops", cursor=cursor)
    return dg.SensorResult(
        run_requests=[dg.RunRequest(partition_key=b, run_key=b) for b in new],
        dynamic_partitions_requests=[batch_partitions.build_add_request(new)],
        cursor=cursor,
    )


freshness_schedule = dg.ScheduleDefinition(
    name="freshness_schedule",
    job=registry_job,
    cron_schedule="0 * * * *",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Hourly: re-read the registry and flag sources past their refresh cadence.",
)
