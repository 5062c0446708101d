"""Lineage events in the OpenLineage format (https://openlineage.io), one START and one COMPLETE
or FAIL per Dagster run, for catalogs such as Marquez that auditors already run. Events are
built with openlineage-python's classes and serialised by its own Serde."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from openlineage.client.event_v2 import InputDataset, Job, OutputDataset, Run, RunEvent, RunState
from openlineage.client.facet_v2 import (
    DatasetFacet,
    OutputDatasetFacet,
    RunFacet,
    error_message_run,
    job_type_job,
    output_statistics_output_dataset,
    schema_dataset,
)
from openlineage.client.serde import Serde

# Who made the events (a URI, as the spec asks): this package.
PRODUCER = "urn:python:data_platform"
JOB_NAMESPACE = "data_platform"


@dataclass(frozen=True)
class DatasetRef:
    """A dataset a run read or wrote: where it lives and, for outputs, rows and columns."""

    namespace: str
    name: str
    rows: int | None = None
    columns: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class RunFacts:
    """What one finished Dagster run did, as lineage needs it."""

    run_id: str
    job_name: str
    started: datetime
    ended: datetime
    succeeded: bool
    inputs: list[DatasetRef] = field(default_factory=list)
    outputs: list[DatasetRef] = field(default_factory=list)
    error: str | None = None


def run_events(facts: RunFacts) -> list[RunEvent]:
    """The run's START and COMPLETE (or FAIL) events, with its inputs and outputs."""
    job = Job(
        namespace=JOB_NAMESPACE,
        name=facts.job_name,
        facets={
            "jobType": job_type_job.JobTypeJobFacet(
                processingType="BATCH", integration="DAGSTER", jobType="JOB"
            )
        },
    )
    inputs = [InputDataset(namespace=d.namespace, name=d.name) for d in facts.inputs]
    outputs = [_output(d) for d in facts.outputs]
    end_facets: dict[str, RunFacet] = {}
    if not facts.succeeded and facts.error:
        end_facets["errorMessage"] = error_message_run.ErrorMessageRunFacet(
            message=facts.error, programmingLanguage="PYTHON"
        )
    return [
        RunEvent(
            eventType=RunState.START,
            eventTime=facts.started.isoformat(),
            run=Run(runId=facts.run_id),
            job=job,
            inputs=inputs,
            producer=PRODUCER,
        ),
        RunEvent(
            eventType=RunState.COMPLETE if facts.succeeded else RunState.FAIL,
            eventTime=facts.ended.isoformat(),
            run=Run(runId=facts.run_id, facets=end_facets),
            job=job,
            inputs=inputs,
            outputs=outputs,
            producer=PRODUCER,
        ),
    ]


def as_json_lines(events: list[RunEvent]) -> str:
    return "".join(Serde.to_json(event) + "\n" for event in events)


def _output(dataset: DatasetRef) -> OutputDataset:
    facets: dict[str, DatasetFacet] = {}
    if dataset.columns:
        facets["schema"] = schema_dataset.SchemaDatasetFacet(
            fields=[schema_dataset.SchemaDatasetFacetFields(name=n, type=t) for n, t in dataset.columns]
        )
    output_facets: dict[str, OutputDatasetFacet] = {}
    if dataset.rows is not None:
        output_facets["outputStatistics"] = (
            output_statistics_output_dataset.OutputStatisticsOutputDatasetFacet(rowCount=dataset.rows)
        )
    return OutputDataset(
        namespace=dataset.namespace, name=dataset.name, facets=facets, outputFacets=output_facets
    )
