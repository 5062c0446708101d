"""Blocking quality gates: a GX-judged asset check per tier, recorded in the lake.

The check's verdict is stored beside the lake (bound to the digest of the data it judged), so
the next tier refuses to build from a failed or unchecked partition in any later run too, not
only in the same run where Dagster's blocking check stops downstream steps.
"""

import json

import dagster as dg

from data_platform.defs.partitions import batch_partitions
from data_platform.defs.resources import LakeResource, RegistryResource
from data_platform.quality.gx_runner import GateResult
from data_platform.quality.suites import judge_partition
from data_platform.sources.drops import split_batch_id


def failure_table(result: GateResult) -> str:
    """The failed expectations as a table the UI shows without a click."""
    if result.passed:
        return f"All {len(result.outcomes)} expectations met."
    rows = [
        "| suite | expectation | column | unexpected | of | example rows |",
        "|---|---|---|---|---|---|",
    ]
    for outcome in result.failed:
        examples = json.dumps(outcome.examples[:3], default=str).replace("|", "\\|")
        error = f" (error: {outcome.error})" if outcome.error else ""
        rows.append(
            f"| {outcome.suite} | {outcome.expectation}{error} | {outcome.column or ''} "
            f"| {outcome.unexpected_count} | {outcome.element_count} | `{examples}` |"
        )
    return "\n".join(rows)


def gate_check_result(result: GateResult, subject: str, **metadata: str | int) -> dg.AssetCheckResult:
    """An ERROR-severity check result that says which expectations failed, how often, and where."""
    failed = result.failed
    summary = "; ".join(
        f"{o.label}: {o.unexpected_count} of {o.element_count} unexpected"
        + (f", e.g. {json.dumps(o.examples[0], default=str)}" if o.examples else "")
        for o in failed
    )
    return dg.AssetCheckResult(
        passed=result.passed,
        severity=dg.AssetCheckSeverity.ERROR,
        description=f"{subject}: " + ("all expectations met" if result.passed else f"failed {summary}"),
        metadata={
            **metadata,
            "failures": dg.MetadataValue.md(failure_table(result)),
            "expectations_met": f"{len(result.outcomes) - len(failed)} of {len(result.outcomes)}",
            "failed_expectations": dg.MetadataValue.json([o.as_dict() for o in failed]),
            "all_expectations": dg.MetadataValue.json(
                [
                    {"expectation": o.label, "success": o.success, "unexpected": o.unexpected_count}
                    for o in result.outcomes
                ]
            ),
        },
    )


# The tiers a failed gate keeps a batch out of.
DOWNSTREAM = {
    "raw": ("dedup_state", "cleaned_records", "annotated_records"),
    "cleaned": ("annotated_records",),
}


def report_stopped_downstream(
    instance: dg.DagsterInstance, tier: str, batch_id: str, result: GateResult
) -> None:
    """Say on each later tier's asset, for this batch, which gate stopped it and why: the run
    that stopped never reached those steps, so without this their partitions would say only
    that the run failed."""
    failed = [o.label for o in result.failed]
    for asset in DOWNSTREAM.get(tier, ()):
        instance.report_runless_asset_event(
            dg.AssetObservation(
                asset_key=asset,
                partition=batch_id,
                description=f"not built: the {tier} gate stopped batch {batch_id} ({'; '.join(failed)})",
                metadata={"stopped_by": f"{tier}_gate", "failed_expectations": dg.MetadataValue.json(failed)},
            )
        )


def build_gate_check(tier: str, asset: dg.AssetsDefinition) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=asset,
        name=f"{tier}_gate",
        blocking=True,
        # Partition-scoped checks (a preview in 1.13) give each batch its own gate status in the UI.
        partitions_def=batch_partitions,
        description=(
            f"Great Expectations suites {tier}_rows, {tier}_ids and {tier}_conservation on the "
            "stored partition. Failing blocks promotion to the next tier."
        ),
    )
    def gate(
        context: dg.AssetCheckExecutionContext, lake: LakeResource, registry: RegistryResource
    ) -> dg.AssetCheckResult:
        batch_id = context.partition_key
        source = registry.load().get(split_batch_id(batch_id)[0])
        store = lake.lake()
        result = judge_partition(store, tier, batch_id, source)
        store.record_gate(tier, batch_id, result.summary())
        if not result.passed:
            report_stopped_downstream(context.instance, tier, batch_id, result)
        return gate_check_result(result, f"batch {batch_id}", batch_id=batch_id)

    return gate
