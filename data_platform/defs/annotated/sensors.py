"""Sensors of the human loop: completed Label Studio exports, and partitions due for relabelling."""

import hashlib

import dagster as dg

from data_platform.annotation.human_labels import pending_exports
from data_platform.annotation.training import labelers_for
from data_platform.defs.annotated.assets import language_identifier
from data_platform.defs.jobs import annotate_job, human_labels_job
from data_platform.defs.resources import LakeResource, RegistryResource
from data_platform.errors import RegistryError
from data_platform.sources.drops import split_batch_id
from data_platform.tiers.annotated import relabel_due


@dg.sensor(
    job=human_labels_job,
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Finds Label Studio JSON exports dropped into the lake's _annotation/inbox/ that "
    "are not imported yet and requests a run that imports them and retrains the labelers.",
)
def label_studio_inbox_sensor(lake: LakeResource) -> dg.SensorResult:
    pending = pending_exports(lake.lake())
    if not pending:
        return dg.SensorResult(skip_reason="no new exports in the inbox")
    # The run key names the files' contents: the same exports are never requested twice.
    contents = hashlib.sha256(b"".join(hashlib.sha256(p.read_bytes()).digest() for p in pending))
    return dg.SensorResult(
        run_requests=[dg.RunRequest(run_key=f"human-labels-{contents.hexdigest()[:16]}")],
    )


@dg.sensor(
    job=annotate_job,
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Requests a relabelling run for every annotated partition whose labels came from "
    "other labeler versions or other human labels than the current ones.",
)
def relabel_sensor(lake: LakeResource, registry: RegistryResource) -> dg.SensorResult:
    store = lake.lake()
    try:
        sources = registry.load().sources
    except RegistryError as exc:
        return dg.SensorResult(skip_reason=str(exc))
    requests = []
    for batch_id in store.partitions("annotated"):
        source = sources.get(split_batch_id(batch_id)[0])
        if source is None:
            continue
        try:
            labelers = labelers_for(store, source.label_tasks)
        except FileNotFoundError:
            continue  # the labelers asset has not run yet: the next ingest run trains them
        signature = relabel_due(store, batch_id, language_identifier(), labelers)
        if signature:
            requests.append(dg.RunRequest(partition_key=batch_id, run_key=f"relabel-{batch_id}-{signature}"))
    if not requests:
        return dg.SensorResult(skip_reason="every annotated partition is labelled with the current labelers")
    return dg.SensorResult(run_requests=requests)
