"""The synthetic inbox sensor: a partition and a run per new candidate batch."""

import dagster as dg

from data_platform.defs.jobs import synthetic_job
from data_platform.defs.resources import LakeResource
from data_platform.defs.synthetic.assets import SYNTHETIC
from data_platform.tiers.synthetic import pending_batches


@dg.sensor(
    jobs=[synthetic_job],
    minimum_interval_seconds=30,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Finds candidate batches of synthetic records in the lake's _synthetic/inbox/ and "
    "requests a run per new file: validation against real data, then promotion if it passed.",
)
def synthetic_sensor(context: dg.SensorEvaluationContext, lake: LakeResource) -> dg.SensorResult:
    pending = sorted(pending_batches(lake.lake()))
    if not pending:
        return dg.SensorResult(skip_reason="no new candidate batch in the inbox")
    known = set(context.instance.get_dynamic_partitions(SYNTHETIC))
    return dg.SensorResult(
        run_requests=[
            dg.RunRequest(job_name=synthetic_job.name, partition_key=key, run_key=f"synthetic-{key}")
            for key in pending
        ],
        dynamic_partitions_requests=[
            dg.AddDynamicPartitionsRequest(SYNTHETIC, [k for k in pending if k not in known])
        ],
    )
