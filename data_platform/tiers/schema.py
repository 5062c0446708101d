"""Every tier's columns and descriptions, and every quarantine reason code, in one place.

Each domain defines the columns it adds and the codes it quarantines under, next to the code
that writes them; this module composes them per tier, so the Dagster assets (column schemas),
the GX suites (expected columns, admitted reason codes) and the recipes read one definition.
"""

from __future__ import annotations

import polars as pl

from data_platform.annotation.labels import ANNOTATED_COLUMNS, ANNOTATED_DESCRIPTIONS, UNEXPECTED_LANGUAGE
from data_platform.curation.cleaning import CLEANED_COLUMNS, CLEANED_DESCRIPTIONS, CLEANING_REASONS
from data_platform.curation.near_dedup import NEAR_DUPLICATE
from data_platform.curation.quality import quality_reason_codes
from data_platform.curation.relevance import IRRELEVANT
from data_platform.governance.redaction import PII_COLUMNS, PII_DESCRIPTIONS
from data_platform.sources.limits import REASONS as JSON_LIMIT_REASONS
from data_platform.sources.readers import READER_REASONS
from data_platform.sources.schema import RAW_DESCRIPTIONS, RAW_SCHEMA

CLEANED_SCHEMA: dict[str, pl.DataType] = {**RAW_SCHEMA, **CLEANED_COLUMNS, **PII_COLUMNS}
ANNOTATED_SCHEMA: dict[str, pl.DataType] = {**CLEANED_SCHEMA, **ANNOTATED_COLUMNS}
TIER_SCHEMAS = {"raw": RAW_SCHEMA, "cleaned": CLEANED_SCHEMA, "annotated": ANNOTATED_SCHEMA}
# The columns a release carries, in this order; the record hash last, computed from the others.
RELEASE_COLUMNS = [
    "record_id",
    "source_id",
    "batch_id",
    "kind",
    "text",
    "turns",
    "lang",
    "lang_confidence",
    "labels",
    "licence",
    "consent",
    "origin_file",
    "origin_line",
    "ingested_at",
    "content_sha256",
    "norm_sha256",
    "pii",
    "duplicate_of",
    "synthetic",
    "synthetic_origin",
    "record_sha256",
]
RELEASE_SCHEMA: dict[str, pl.DataType] = {
    **{column: ANNOTATED_SCHEMA[column] for column in RELEASE_COLUMNS if column in ANNOTATED_SCHEMA},
    "record_sha256": pl.String(),
}


def with_missing_columns(frame: pl.LazyFrame, tier: str) -> pl.LazyFrame:
    """A partition written before a column joined ``tier`` reads with that column as null, so a
    lake from an earlier version stays usable (for a release cut, for instance) after an upgrade."""
    present = set(frame.collect_schema().names())
    missing = [
        pl.lit(None, dtype).alias(name) for name, dtype in TIER_SCHEMAS[tier].items() if name not in present
    ]
    return frame.with_columns(missing) if missing else frame


CLEANED_COLUMN_DESCRIPTIONS = {**RAW_DESCRIPTIONS, **CLEANED_DESCRIPTIONS, **PII_DESCRIPTIONS}
ANNOTATED_COLUMN_DESCRIPTIONS = {**CLEANED_COLUMN_DESCRIPTIONS, **ANNOTATED_DESCRIPTIONS}
RELEASE_COLUMN_DESCRIPTIONS = {
    **ANNOTATED_COLUMN_DESCRIPTIONS,
    "record_sha256": "sha256 of record id, released content and labels",
}

# Every code a tier may quarantine a record under: the raw tier's readers and JSON limits; the
# cleaned tier's cleaning, quality, relevance and near-duplicate rules; the annotated tier's
# language check.
QUARANTINE_REASONS: dict[str, frozenset[str]] = {
    "raw": frozenset((*READER_REASONS, *JSON_LIMIT_REASONS.values())),
    "cleaned": frozenset((*CLEANING_REASONS, *quality_reason_codes(), IRRELEVANT, NEAR_DUPLICATE)),
    "annotated": frozenset((UNEXPECTED_LANGUAGE,)),
}
