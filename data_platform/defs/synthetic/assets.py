"""Synthetic batches: candidates generated for a slice, their gate against real data, and the
promotion of a batch that passed into the synthetic source's drop folder."""

import json

import dagster as dg

from data_platform.defs.gates import gate_check_result
from data_platform.defs.metadata import OWNERS, markdown_table
from data_platform.defs.resources import LakeResource, RegistryResource
from data_platform.quality.synthetic import judge_synthetic
from data_platform.tiers.synthetic import ingest_candidates, promote, read_validation, validate_candidates

SYNTHETIC = "synthetic"
synthetic_partitions = dg.DynamicPartitionsDefinition(name=SYNTHETIC)


@dg.asset(
    partitions_def=synthetic_partitions,
    group_name="synthetic",
    kinds={"parquet"},
    owners=OWNERS,
    tags={"tier": "synthetic"},
)
def synthetic_candidates(
    context: dg.AssetExecutionContext, lake: LakeResource, registry: RegistryResource
) -> dg.MaterializeResult:
    """One batch of generated texts for one slice (task and conditions) from the lake's
    _synthetic/inbox/, each with its generator, recipe and parent records, measured against the
    slice's real records: length and word-mix distances, a real-vs-synthetic classifier's AUC,
    near copies of real records, and the labeler's macro-F1 with and without the batch."""
    store = lake.lake()
    file, candidates = ingest_candidates(store, context.partition_key)
    verdict = validate_candidates(store, registry.load(), context.partition_key)
    utility = verdict.utility
    return dg.MaterializeResult(
        metadata={
            "file": file.name,
            "task": candidates.task or "",
            "slice": json.dumps(candidates.conditions),
            "dagster/row_count": candidates.rows.height,
            "rejected_lines": dg.MetadataValue.md(markdown_table(candidates.rejected.head(20), "none")),
            "real_records": verdict.real_records,
            "length_js": verdict.length_js if verdict.length_js is not None else "not measured",
            "vocabulary_js": verdict.vocabulary_js if verdict.vocabulary_js is not None else "not measured",
            "real_vs_synthetic_auc": verdict.auc if verdict.auc is not None else "not measured",
            "synthetic_terms": dg.MetadataValue.json(verdict.synthetic_terms),
            "near_copies_of_real": verdict.copied,
            "near_repeats": verdict.repeated,
            "macro_f1_without": utility.macro_f1_without if utility else verdict.utility_note,
            "macro_f1_with": utility.macro_f1_with if utility else verdict.utility_note,
            "verdict": dg.MetadataValue.md(
                "passes" if verdict.passed else "\n".join(f"- {why}" for why in verdict.failures)
            ),
        }
    )


@dg.asset_check(
    asset=synthetic_candidates,
    blocking=True,
    partitions_def=synthetic_partitions,
    description="Every line well formed (text, generator, parents); enough real records in the "
    "slice to judge against; length and word-mix Jensen-Shannon, real-vs-synthetic AUC, near "
    "copies of real records and near repeats within the policy; the labeler's macro-F1 on held-out "
    "real examples not lower with the batch than without it (beyond the tolerance).",
)
def synthetic_gate(context: dg.AssetCheckExecutionContext, lake: LakeResource) -> dg.AssetCheckResult:
    store = lake.lake()
    result = judge_synthetic(store, context.partition_key)
    failures = read_validation(store, context.partition_key)["failures"]
    return gate_check_result(
        result,
        f"synthetic batch {context.partition_key}",
        reasons="; ".join(failures) or "none",
    )


@dg.asset(
    partitions_def=synthetic_partitions,
    deps=[synthetic_candidates],
    group_name="synthetic",
    kinds={"json"},
    owners=OWNERS,
    tags={"tier": "synthetic"},
)
def synthetic_promotion(
    context: dg.AssetExecutionContext, lake: LakeResource, registry: RegistryResource
) -> dg.MaterializeResult:
    """A synthetic batch that passed its gate, written as a drop of the registry's synthetic
    source: the drop sensor ingests it, and its records are tagged synthetic in every tier."""
    drop = promote(lake.lake(), registry.load(), context.partition_key)
    return dg.MaterializeResult(metadata={"drop": dg.MetadataValue.path(str(drop))})
