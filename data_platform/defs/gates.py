"""Blocking quality gates: a GX-judged asset check per tier, recorded in the lake.

The check's verdict is stored beside the lake (bound to the digest of the data it judged), so
the next tier refuses to build from a failed or unchecked partition in any later run too, not
only in the same run where Dagster's blocking check stops downstream steps.
"""

import dagster as dg

from data_platform.defs.partitions import batch_partitions
from data_platform.defs.resources import LakeResource, RegistryResource
from data_platform.quality.suites import judge_partition
from data_platform.sources.drops import split_batch_id


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
        failed = result.failed
        return dg.AssetCheckResult(
            passed=result.passed,
            severity=dg.AssetCheckSeverity.ERROR,
            description=f"batch {batch_id}: "
            + (
                "all expectations met"
                if result.passed
                else "failed " + "; ".join(f"{o.label} ({o.unexpected_count} unexpected)" for o in failed)
            ),
            metadata={
                "batch_id": batch_id,
                "evaluated_expectations": len(result.outcomes),
                "failed_expectations": dg.MetadataValue.json([o.as_dict() for o in failed]),
                "all_expectations": dg.MetadataValue.json(
                    [
                        {"expectation": o.label, "success": o.success, "unexpected": o.unexpected_count}
                        for o in result.outcomes
                    ]
                ),
            },
        )

    return gate
