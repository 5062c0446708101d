"""The feedback inbox sensor: a partition and a run per new file, then a run of the requests."""

import hashlib

import dagster as dg

from data_platform.defs.feedback.assets import FEEDBACK
from data_platform.defs.jobs import feedback_job, requests_job
from data_platform.defs.resources import LakeResource
from data_platform.tiers.feedback import gated_report_keys, pending_feedback


@dg.sensor(
    jobs=[feedback_job, requests_job],
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Finds model error reports and user feedback dropped in the lake's "
    "_feedback/inbox/, adds a partition and a run per new file; once every file is in, requests "
    "the run that turns the gated reports into collection requests.",
)
def feedback_sensor(context: dg.SensorEvaluationContext, lake: LakeResource) -> dg.SensorResult:
    store = lake.lake()
    pending = sorted(pending_feedback(store))
    if pending:
        known = set(context.instance.get_dynamic_partitions(FEEDBACK))
        return dg.SensorResult(
            run_requests=[
                dg.RunRequest(job_name=feedback_job.name, partition_key=key, run_key=f"feedback-{key}")
                for key in pending
            ],
            dynamic_partitions_requests=[feedback_partitions_to_add(known, pending)],
        )
    gated = gated_report_keys(store)
    if not gated:
        return dg.SensorResult(skip_reason="no feedback in the inbox")
    # The run key names the gated partitions: the same set is never summarised twice.
    digest = hashlib.sha256("\n".join(gated).encode()).hexdigest()[:16]
    return dg.SensorResult(
        run_requests=[dg.RunRequest(job_name=requests_job.name, run_key=f"requests-{digest}")]
    )


def feedback_partitions_to_add(known: set[str], keys: list[str]) -> dg.AddDynamicPartitionsRequest:
    return dg.AddDynamicPartitionsRequest(FEEDBACK, [k for k in keys if k not in known])
