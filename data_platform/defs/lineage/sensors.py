"""OpenLineage events per finished run: a sensor reads the runs that ended since its cursor,
what each materialized and what that was built from, and writes their START and COMPLETE or FAIL
events to ``<lake>/_lineage/openlineage/<run id>.jsonl`` (and to ``$OPENLINEAGE_URL`` when set)."""

import os
from datetime import UTC, datetime
from pathlib import Path

import dagster as dg

from data_platform.defs.resources import LakeResource
from data_platform.interchange.openlineage import DatasetRef, RunFacts, as_json_lines, run_events
from data_platform.lake.atomic import write_bytes_atomic
from data_platform.lake.store import Lake

RUNS_PER_TICK = 200
FINISHED = [dg.DagsterRunStatus.SUCCESS, dg.DagsterRunStatus.FAILURE]


def lineage_dir(lake: Lake) -> Path:
    return lake.root / "_lineage" / "openlineage"


@dg.sensor(
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Writes OpenLineage START and COMPLETE/FAIL events for every run that ended: the "
    "job, the asset partitions it wrote (rows, columns) and those they were built from; to the "
    "lake's _lineage/openlineage/ and to $OPENLINEAGE_URL when set.",
)
def openlineage_sensor(context: dg.SensorEvaluationContext, lake: LakeResource) -> dg.SensorResult:
    after = datetime.fromtimestamp(float(context.cursor or 0), UTC)
    records = context.instance.get_run_records(
        filters=dg.RunsFilter(statuses=FINISHED, updated_after=after),
        order_by="update_timestamp",
        ascending=True,
        limit=RUNS_PER_TICK,
    )
    if not records:
        return dg.SensorResult(skip_reason="no run ended since the last tick")
    store = lake.lake()
    graph = context.repository_def.asset_graph if context.repository_def else None
    for record in records:
        facts = run_facts(context.instance, record, graph, store)
        events = run_events(facts)
        write_bytes_atomic(lineage_dir(store) / f"{facts.run_id}.jsonl", as_json_lines(events).encode())
        _emit(events)
    return dg.SensorResult(cursor=str(records[-1].update_timestamp.timestamp()))


def run_facts(instance: dg.DagsterInstance, record, graph, lake: Lake) -> RunFacts:
    """What a finished run read and wrote, from its event log and the asset graph."""
    run = record.dagster_run
    namespace = lake.root.resolve().as_uri()
    outputs: dict[str, DatasetRef] = {}
    inputs: dict[str, DatasetRef] = {}
    materialized = instance.get_records_for_run(run.run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION)
    for event in materialized.records:
        materialization = event.asset_materialization
        if materialization is None:
            continue
        key, partition = materialization.asset_key, materialization.partition
        metadata = materialization.metadata
        rows = metadata.get("dagster/row_count")
        count = rows.value if rows is not None and isinstance(rows.value, int) else None
        name = _dataset_name(key, partition)
        outputs[name] = DatasetRef(namespace, name, rows=count, columns=_columns(graph, key))
        for parent in graph.get(key).parent_keys if graph is not None and graph.has(key) else ():
            parent_partition = partition if _same_partitions(graph, key, parent) else None
            inputs.setdefault(
                _dataset_name(parent, parent_partition),
                DatasetRef(namespace, _dataset_name(parent, parent_partition)),
            )
    started = datetime.fromtimestamp(record.start_time or record.create_timestamp.timestamp(), UTC)
    ended = datetime.fromtimestamp(record.end_time or record.update_timestamp.timestamp(), UTC)
    return RunFacts(
        run_id=run.run_id,
        job_name=run.job_name,
        started=started,
        ended=ended,
        succeeded=run.status == dg.DagsterRunStatus.SUCCESS,
        inputs=[inputs[n] for n in sorted(inputs) if n not in outputs],
        outputs=[outputs[n] for n in sorted(outputs)],
        error=None if run.status == dg.DagsterRunStatus.SUCCESS else _failure(instance, run.run_id),
    )


def _dataset_name(key: dg.AssetKey, partition: str | None) -> str:
    return key.to_user_string() + (f"/{partition}" if partition else "")


def _same_partitions(graph, key: dg.AssetKey, parent: dg.AssetKey) -> bool:
    mine, theirs = graph.get(key).partitions_def, graph.get(parent).partitions_def
    return mine is not None and mine == theirs


def _columns(graph, key: dg.AssetKey) -> tuple[tuple[str, str], ...]:
    if graph is None or not graph.has(key):
        return ()
    schema = graph.get(key).metadata.get("dagster/column_schema")
    if schema is None:
        return ()
    return tuple((column.name, column.type) for column in schema.columns)


def _failure(instance: dg.DagsterInstance, run_id: str) -> str:
    """The first step failure's message, else the run failure's."""
    for kind in (dg.DagsterEventType.STEP_FAILURE, dg.DagsterEventType.RUN_FAILURE):
        found = instance.get_records_for_run(run_id, of_type=kind, limit=1).records
        if found:
            event = found[0].event_log_entry.dagster_event
            if event is None:
                continue
            error = getattr(event.event_specific_data, "error", None)
            return error.message.strip() if error is not None else (event.message or kind.value)
    return "the run failed"


def _emit(events) -> None:
    """Send the events to the catalog at $OPENLINEAGE_URL, when one is configured."""
    if not os.environ.get("OPENLINEAGE_URL"):
        return
    from openlineage.client import OpenLineageClient

    client = OpenLineageClient()
    for event in events:
        client.emit(event)
