"""The raw tier asset: one partition per source drop."""

import dagster as dg

from data_platform.defs.gates import build_gate_check
from data_platform.defs.metadata import OWNERS, partition_metadata, table_schema
from data_platform.defs.partitions import batch_partitions
from data_platform.defs.resources import LakeResource, RegistryResource
from data_platform.sources.drops import drop_for_batch
from data_platform.sources.schema import RAW_DESCRIPTIONS, RAW_SCHEMA
from data_platform.tiers.raw import ingest_drop


@dg.asset(
    partitions_def=batch_partitions,
    group_name="raw",
    kinds={"parquet", "polars"},
    owners=OWNERS,
    tags={"tier": "raw"},
    code_version="raw-1",
    metadata={"dagster/column_schema": table_schema(RAW_SCHEMA, RAW_DESCRIPTIONS)},
)
def raw_records(
    context: dg.AssetExecutionContext, lake: LakeResource, registry: RegistryResource
) -> dg.MaterializeResult:
    """Typed canonical records of one source drop, exactly as delivered: each with its source,
    licence, consent, origin (file, line, byte offset) and content hash. Rows that cannot be
    parsed or lack required fields are in the partition's quarantine with reason, line and field.
    """
    drop = drop_for_batch(registry.load(), context.partition_key)
    info = ingest_drop(lake.lake(), drop)
    context.log.info(
        f"{drop.shown_path}: {info.stats['records_in']} rows in, {info.records} records, "
        f"{info.quarantined} quarantined"
    )
    return dg.MaterializeResult(
        metadata={
            **partition_metadata(info),
            "source_id": drop.source.id,
            "licence": drop.source.licence,
            "drop_file": dg.MetadataValue.path(str(drop.shown_path)),
            "bytes_read": int(info.stats["bytes_read"]),
        }
    )


raw_gate = build_gate_check("raw", raw_records)
