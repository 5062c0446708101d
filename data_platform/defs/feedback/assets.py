"""Model error reports and user feedback as gated partitions, and the collection requests."""

import dagster as dg
import polars as pl

from data_platform.defs.gates import gate_check_result
from data_platform.defs.metadata import OWNERS, markdown_table
from data_platform.defs.resources import LakeResource
from data_platform.evaluation.feedback import is_error
from data_platform.quality.feedback import judge_feedback
from data_platform.tiers.feedback import ingest_feedback, record_feedback_gate, update_requests

FEEDBACK = "feedback"
feedback_partitions = dg.DynamicPartitionsDefinition(name=FEEDBACK)


@dg.asset(
    partitions_def=feedback_partitions,
    group_name="feedback",
    kinds={"parquet"},
    owners=OWNERS,
    tags={"tier": "feedback"},
)
def model_feedback(context: dg.AssetExecutionContext, lake: LakeResource) -> dg.MaterializeResult:
    """One file of model error reports or user feedback dropped in the lake's _feedback/inbox/
    (task, predicted, expected, model, the record id or text, the release, slice tags): the
    reports kept, and each rejected line with its line number, field and why."""
    file, feedback = ingest_feedback(lake.lake(), context.partition_key)
    reports, rejected = feedback.reports, feedback.rejected
    return dg.MaterializeResult(
        metadata={
            "file": file,
            "reports": reports.height,
            "rejected": rejected.height,
            "dagster/row_count": reports.height,
            "errors": int(is_error(reports).sum()),
            "models": dg.MetadataValue.json(sorted(reports["model"].unique().to_list())),
            "rejected_lines": dg.MetadataValue.md(markdown_table(rejected.head(20), "none")),
        }
    )


@dg.asset_check(
    asset=model_feedback,
    blocking=True,
    partitions_def=feedback_partitions,
    description="Every kept report names task, prediction, expected label, model and a record "
    "(id or text) with a known kind; report ids unique; at most half the file's lines rejected.",
)
def feedback_gate(context: dg.AssetCheckExecutionContext, lake: LakeResource) -> dg.AssetCheckResult:
    result = judge_feedback(lake.lake(), context.partition_key)
    record_feedback_gate(lake.lake(), context.partition_key, result.passed)
    return gate_check_result(result, f"feedback {context.partition_key}")


@dg.asset(
    deps=[dg.AssetDep(model_feedback, partition_mapping=dg.AllPartitionMapping())],
    group_name="feedback",
    kinds={"parquet"},
    owners=OWNERS,
    tags={"tier": "feedback"},
)
def collection_requests(lake: LakeResource) -> dg.MaterializeResult:
    """What to collect next: per model and task, the slices (conditions on the expected label,
    language, source, length band and the reporters' tags) where SliceLine finds the error rate
    well above the model's average, each with a target count of records, the evidence and a
    status. A slice found again keeps its status; nothing is dropped."""
    requests = update_requests(lake.lake())
    shown = requests.select(
        "status", "model", "task", "slice", "target_count", "errors", "slice_size", "slice_error_rate"
    )
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": requests.height,
            "open_requests": requests.filter(pl.col("status") == "open").height,
            "requests": dg.MetadataValue.md(markdown_table(shown, "no slice stands out yet")),
        }
    )
