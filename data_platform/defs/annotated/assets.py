"""The annotated tier asset: language identification and the label columns."""

from functools import cache

import dagster as dg

from data_platform.annotation.labels import ANNOTATED_COLUMNS, ANNOTATED_DESCRIPTIONS, LanguagePolicy
from data_platform.annotation.language import LanguageIdentifier
from data_platform.annotation.tier import annotate_partition
from data_platform.curation.cleaning import CLEANED_DESCRIPTIONS
from data_platform.defs.cleaned.assets import CLEANED_SCHEMA, cleaned_records
from data_platform.defs.gates import build_gate_check
from data_platform.defs.metadata import OWNERS, column_lineage, partition_metadata, table_schema
from data_platform.defs.partitions import batch_partitions
from data_platform.defs.resources import LakeResource, RegistryResource
from data_platform.governance.redaction import PII_DESCRIPTIONS
from data_platform.sources.drops import split_batch_id
from data_platform.sources.schema import RAW_DESCRIPTIONS

ANNOTATED_SCHEMA = {**CLEANED_SCHEMA, **ANNOTATED_COLUMNS}


@cache
def language_identifier() -> LanguageIdentifier:
    return LanguageIdentifier()


@dg.asset(
    partitions_def=batch_partitions,
    deps=[cleaned_records],
    group_name="annotated",
    kinds={"parquet", "polars"},
    owners=OWNERS,
    tags={"tier": "annotated"},
    code_version="annotated-1",
    metadata={
        "dagster/column_schema": table_schema(
            ANNOTATED_SCHEMA,
            {**RAW_DESCRIPTIONS, **CLEANED_DESCRIPTIONS, **PII_DESCRIPTIONS, **ANNOTATED_DESCRIPTIONS},
        ),
        "dagster/column_lineage": column_lineage(
            cleaned_records.key,
            {
                "lang": ["text", "turns"],
                "lang_declared": ["lang"],
                "lang_confidence": ["text", "turns"],
                "labels": ["text", "turns"],
            },
        ),
    },
)
def annotated_records(
    context: dg.AssetExecutionContext, lake: LakeResource, registry: RegistryResource
) -> dg.MaterializeResult:
    """Cleaned records with machine labels: the identified language with its confidence and,
    in the ``labels`` column, one entry per task with value, confidence, labeler, labeler version
    and whether a human confirmed it. Records whose language confidently contradicts the
    languages the source declares are quarantined as ``unexpected_language``.
    """
    batch_id = context.partition_key
    source = registry.load().get(split_batch_id(batch_id)[0])
    identifier = language_identifier()
    info = annotate_partition(lake.lake(), batch_id, source, identifier, LanguagePolicy())
    return dg.MaterializeResult(
        metadata={**partition_metadata(info), "language_labeler": f"{identifier.name} {identifier.version}"}
    )


annotated_gate = build_gate_check("annotated", annotated_records)
