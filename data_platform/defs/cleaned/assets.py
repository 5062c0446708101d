"""The cleaned tier asset: normalised, filtered, exact-deduplicated across batches."""

import dagster as dg

from data_platform.curation.cleaning import rules_for_source
from data_platform.curation.review import precision_by_rule, review_dir
from data_platform.defs.gates import build_gate_check
from data_platform.defs.metadata import OWNERS, column_lineage, partition_metadata, table_schema
from data_platform.defs.partitions import batch_partitions
from data_platform.defs.raw.assets import raw_records
from data_platform.defs.resources import LakeResource, RegistryResource
from data_platform.lake.store import Lake
from data_platform.tiers.cleaned import clean_partition, record_dedup_state
from data_platform.tiers.schema import CLEANED_COLUMN_DESCRIPTIONS, CLEANED_SCHEMA


@dg.asset(
    partitions_def=batch_partitions,
    deps=[raw_records],
    group_name="cleaned",
    kinds={"parquet", "polars"},
    owners=OWNERS,
    tags={"tier": "cleaned"},
    code_version="dedup-state-1",
)
def dedup_state(
    context: dg.AssetExecutionContext, lake: LakeResource, registry: RegistryResource
) -> dg.MaterializeResult:
    """What one batch contributes to the cross-batch dedup indexes: its distinct normalised-
    content keys, MinHash signatures and LSH band keys, computed from its raw partition alone.
    Cleaning a later batch reads these instead of waiting for this batch's cleaning, so batches
    clean side by side (no pool) and still give the bytes of cleaning them one at a time."""
    sources = registry.load()
    entries = record_dedup_state(
        lake.lake(), context.partition_key, lambda source_id: rules_for_source(sources.get(source_id))
    )
    return dg.MaterializeResult(metadata={"index_entries": entries})


@dg.asset(
    partitions_def=batch_partitions,
    deps=[raw_records, dedup_state],
    group_name="cleaned",
    kinds={"parquet", "polars", "duckdb"},
    owners=OWNERS,
    tags={"tier": "cleaned"},
    code_version="cleaned-1",
    metadata={
        "dagster/column_schema": table_schema(CLEANED_SCHEMA, CLEANED_COLUMN_DESCRIPTIONS),
        "dagster/column_lineage": column_lineage(
            raw_records.key,
            {
                "text": ["text"],
                "turns": ["turns"],
                "text_chars": ["text", "turns"],
                "norm_sha256": ["text", "turns"],
                "mojibake_fixed": ["text", "turns"],
                "templated_turns": ["turns"],
                "meta": ["meta"],
                "pii": ["text", "turns", "meta"],
            },
        ),
    },
)
def cleaned_records(
    context: dg.AssetExecutionContext, lake: LakeResource, registry: RegistryResource
) -> dg.MaterializeResult:
    """Records of one batch after mojibake repair, NFC and whitespace normalisation, with empty,
    too-short, low-quality (the source's Gopher/C4/FineWeb profile), exact- and near-duplicate
    records removed. Duplicates are judged against this batch and every batch with a lower
    sequence number (their dedup_state; a batch still being ingested is waited for); each
    removal is quarantined with its reason and, for duplicates, the id of the record that was
    kept.
    """
    sources = registry.load()

    info = clean_partition(
        lake.lake(), context.partition_key, lambda source_id: rules_for_source(sources.get(source_id))
    )
    return dg.MaterializeResult(metadata={**partition_metadata(info), **spot_check_metadata(lake.lake())})


def spot_check_metadata(lake: Lake) -> dict:
    """Each rule's precision from the human verdicts so far (``data-platform review``)."""
    report = precision_by_rule(lake)
    rows = [
        f"| {r['rule']} | {r['reviewed']} | {r['precision']:.3f} | [{r['ci95'][0]:.3f}, {r['ci95'][1]:.3f}] |"
        for r in report
    ]
    table = "\n".join(["| rule | reviewed | precision | 95% CI |", "|---|---|---|---|", *rows])
    return {
        "spot_check_precision": dg.MetadataValue.md(
            table if rows else "no verdicts yet: run `data-platform review`"
        ),
        "spot_check_sample": dg.MetadataValue.path(str(review_dir(lake))),
    }


cleaned_gate = build_gate_check("cleaned", cleaned_records)
