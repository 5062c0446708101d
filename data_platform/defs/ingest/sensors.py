"""The drop sensor (new files become batch partitions and runs) and the freshness schedule."""

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from data_platform.defs.jobs import ingest_job, registry_job
from data_platform.defs.partitions import BATCHES, batch_partitions
from data_platform.defs.resources import LakeResource, RegistryResource
from data_platform.errors import RegistryError
from data_platform.governance.pii import pii_in_names
from data_platform.lake.store import Lake
from data_platform.sources.drops import (
    batch_id_for,
    changed_since_ingested,
    drop_for_batch,
    ready_drops,
    split_batch_id,
    symlinks,
)
from data_platform.sources.registry import Registry, Source
from data_platform.tiers.feedback import ingestion_priorities

REINGEST_TAG = "data_platform/reingest"
# The run queue starts runs with a higher value of this tag first (QueuedRunCoordinator).
PRIORITY_TAG = "dagster/priority"


@dataclass
class _Cursor:
    """Batches requested but not yet partitions, and files already reported (so a refused
    symlink or name is reported once, not every 30 seconds)."""

    requested: set[str] = field(default_factory=set)
    reported: set[str] = field(default_factory=set)
    # Reports that still apply this tick; the others are forgotten, so the cursor stays small.
    seen: set[str] = field(default_factory=set)

    @classmethod
    def read(cls, text: str | None) -> "_Cursor":
        document = json.loads(text) if text else {}
        if isinstance(document, list):  # the cursor of earlier versions: requested batches only
            return cls(requested=set(document))
        return cls(set(document.get("requested", [])), set(document.get("reported", [])))

    def dump(self) -> str:
        return json.dumps({"requested": sorted(self.requested), "reported": sorted(self.reported)})


@dg.sensor(
    job=ingest_job,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Finds complete drops in every registered source's folder, adds a batch "
    "partition per drop and requests one ingest run for it; re-ingests a drop that changed "
    "after it was read, and reports symlinks and file names holding personal data.",
)
def drop_sensor(
    context: dg.SensorEvaluationContext, registry: RegistryResource, lake: LakeResource
) -> dg.SensorResult:
    # A drop is requested once: its run key stops a second launch, and batches that are already
    # partitions (registered by this sensor, the CLI, the demo or a person) are skipped even if
    # the cursor is lost. The cursor holds requested batches until their partition exists, so
    # it stays small however many drops have been seen.
    cursor = _Cursor.read(context.cursor)
    try:
        loaded = registry.load()
    except RegistryError as exc:
        return dg.SensorResult(skip_reason=str(exc), cursor=cursor.dump())
    for error in loaded.errors:
        context.log.warning(f"source skipped: {error}")
    known = set(context.instance.get_dynamic_partitions(BATCHES))
    now, store = time.time(), lake.lake()
    new: list[str] = []
    changed: list[dg.RunRequest] = []
    for source in loaded.sources.values():
        try:
            drops = ready_drops(source, now)
            refused = symlinks(source)
        except OSError as exc:
            context.log.warning(f"source {source.id}: cannot list {source.drop_folder}: {exc}")
            continue
        for link in refused:
            _report_once(
                context,
                cursor,
                f"link:{link}",
                f"source {source.id}: {link} is a symlink; "
                "drops are read only from regular files in the folder, deliver the file itself",
            )
        for batch_id, path in _batch_keys(context, cursor, source, drops):
            if batch_id in cursor.requested:
                continue
            if batch_id not in known:
                new.append(batch_id)
            elif request := _reingest_request(context, store, batch_id, path):
                changed.append(request)
    cursor.requested = (cursor.requested - known) | set(new)
    cursor.reported &= cursor.seen
    _number_in_discovery_order(store, loaded, new)
    if not new and not changed:
        return dg.SensorResult(skip_reason="no new complete drops", cursor=cursor.dump())
    # Drops of sources that serve an open collection request are queued first.
    priorities = ingestion_priorities(store, loaded.sources)
    return dg.SensorResult(
        run_requests=[_batch_run(b, priorities) for b in new] + changed,
        dynamic_partitions_requests=[batch_partitions.build_add_request(new)] if new else [],
        cursor=cursor.dump(),
    )


def _batch_run(batch_id: str, priorities: dict[str, int]) -> dg.RunRequest:
    """The batch's run; a source serving open requests gets Dagster's queue priority."""
    served = priorities.get(split_batch_id(batch_id)[0], 0)
    tags = {PRIORITY_TAG: str(served)} if served else {}
    return dg.RunRequest(partition_key=batch_id, run_key=batch_id, tags=tags)


def _number_in_discovery_order(store: Lake, registry: Registry, batches: list[str]) -> None:
    """Give each new batch its sequence number now, in the order the drops were found.

    Cleaning judges batch k against the batches numbered below it. If the number were taken when
    a run's raw step starts, batches run side by side (the run queue, Celery workers) would be
    numbered in whichever order their runs happened to start, and the same drops would clean
    differently from one run to the next."""
    for batch_id in batches:
        drop = drop_for_batch(registry, batch_id)
        store.batch_sequence(batch_id, drop.source.id, str(drop.shown_path))


@dg.run_failure_sensor(
    monitored_jobs=[ingest_job],
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Marks a batch whose ingest run failed before its raw partition was written (a "
    "broker or worker lost, a run never started), so that later batches clean without it instead "
    "of waiting for it.",
)
def ingest_failure_sensor(context: dg.RunFailureSensorContext, lake: LakeResource) -> None:
    batch_id = context.dagster_run.tags.get("dagster/partition")
    store = lake.lake()
    if batch_id is not None and not store.has_partition("raw", batch_id):
        store.mark_ingestion(batch_id, failed=True)
        context.log.info(f"batch {batch_id}: its run failed before ingesting it; later batches go on")


def _batch_keys(
    context: dg.SensorEvaluationContext, cursor: _Cursor, source: Source, drops: list[Path]
) -> list[tuple[str, Path]]:
    """The drops' batch keys, each with its file; a name holding personal data is hashed, or refused, by the
    source's policy, and reported without the name. The names are scanned in one pass."""
    found = pii_in_names([path.name for path in drops])
    keys = []
    for path, kinds in zip(drops, found, strict=True):
        if not kinds:
            keys.append((batch_id_for(source.id, path), path))
            continue
        withheld = batch_id_for(source.id, path, withhold_name=True)
        what = f"source {source.id}: a drop's file name holds personal data ({', '.join(kinds)})"
        if source.pii_in_file_names == "refuse":
            _report_once(
                context,
                cursor,
                f"pii:{withheld}",
                f"{what}; not ingested (pii_in_file_names: refuse): rename it to ingest it",
            )
            continue
        _report_once(
            context, cursor, f"pii:{withheld}", f"{what}; ingested as {withheld}, the name is kept nowhere"
        )
        keys.append((withheld, path))
    return keys


def _reingest_request(
    context: dg.SensorEvaluationContext, store: Lake, batch_id: str, path: Path
) -> dg.RunRequest | None:
    """A run that ingests a drop again when its file changed after it was read (a writer that
    paused longer than the settle time, then went on): the partition is replaced whole."""
    try:
        if not changed_since_ingested(path, store.stats("raw", batch_id)):
            return None
    except OSError:  # not ingested yet (the run is queued), or the file just went away
        return None
    status = path.stat()
    context.log.warning(
        f"drop {batch_id} changed after it was ingested (now {status.st_size} bytes): ingesting it again; "
        "batches cleaned after it were not compared with its new records"
    )
    return dg.RunRequest(
        partition_key=batch_id,
        run_key=f"{batch_id}@{status.st_size}-{status.st_mtime_ns}",
        tags={REINGEST_TAG: "the drop changed after it was ingested"},
    )


def _report_once(context: dg.SensorEvaluationContext, cursor: _Cursor, key: str, message: str) -> None:
    cursor.seen.add(key)
    if key not in cursor.reported:
        cursor.reported.add(key)
        context.log.warning(message)


freshness_schedule = dg.ScheduleDefinition(
    name="freshness_schedule",
    job=registry_job,
    cron_schedule="0 * * * *",
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Hourly: re-read the registry and flag sources past their refresh cadence.",
)
