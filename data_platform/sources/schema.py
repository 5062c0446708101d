"""The canonical record schema of the raw tier and the quarantine schema shared by all tiers."""

from __future__ import annotations

import polars as pl

from data_platform.lake.store import QUARANTINE_SCHEMA

TURN = pl.Struct({"speaker": pl.String, "text": pl.String})

RAW_SCHEMA: dict[str, pl.DataType] = {
    "record_id": pl.String(),
    "source_id": pl.String(),
    "batch_id": pl.String(),
    "kind": pl.String(),
    "text": pl.String(),
    "turns": pl.List(TURN),
    "lang": pl.String(),
    "licence": pl.String(),
    "consent": pl.String(),
    "origin_file": pl.String(),
    "origin_line": pl.Int64(),
    "origin_byte": pl.Int64(),
    "content_sha256": pl.String(),
    "ingested_at": pl.Datetime("us", "UTC"),
    "meta": pl.String(),
    "synthetic": pl.Boolean(),
    "synthetic_origin": pl.String(),
}

RAW_DESCRIPTIONS: dict[str, str] = {
    "record_id": "Stable id: sha256 of source id and the record's key within the source (32 hex)",
    "source_id": "Registry id of the source the record came from",
    "batch_id": "Partition key of the drop: source id, a colon, the file name",
    "kind": "text or conversation",
    "text": "Record text (text records); null for conversations",
    "turns": "Ordered speaker/text turns (conversations); null for text records",
    "lang": "Language declared by the source or the record (ISO 639-1), if any",
    "licence": "SPDX licence expression of the source",
    "consent": "Consent basis of the source",
    "origin_file": "Drop file the record was read from",
    "origin_line": "1-based line (jsonl) or data row (csv, parquet) in the drop file",
    "origin_byte": "Byte offset of the line in the decompressed file (jsonl only)",
    "content_sha256": "sha256 of the record content as delivered (text or canonical turns JSON)",
    "ingested_at": "When the drop landed (file modification time, UTC), so reruns are identical",
    "meta": "The input record as delivered: the JSON line itself, or the csv/parquet row as JSON",
    "synthetic": "Made by a generator (a source marked synthetic in the registry), not collected",
    "synthetic_origin": "Synthetic records: generator, recipe, task, slice and parent record ids (JSON)",
}

KINDS = ("text", "conversation")


def content_text() -> pl.Expr:
    """A record's words: the text itself, or all turns joined by newlines for conversations."""
    return pl.coalesce(
        pl.col("text"),
        pl.col("turns").list.eval(pl.element().struct.field("text")).list.join("\n"),
    )


def record_field() -> pl.Expr:
    """The field a record-level rule judged: the turns of a conversation, else the text."""
    return pl.when(pl.col("kind") == "conversation").then(pl.lit("turns")).otherwise(pl.lit("text"))


def quarantine_rows(
    records: pl.DataFrame,
    *,
    tier: str,
    reason: str | pl.Expr,
    detail: pl.Expr,
    field: pl.Expr,
    related_id: pl.Expr | None = None,
) -> pl.DataFrame:
    """Quarantine rows for ``records`` (canonical columns), with a stable reason code."""
    return records.select(
        "record_id",
        tier=pl.lit(tier),
        reason=pl.lit(reason) if isinstance(reason, str) else reason,
        detail=detail,
        related_id=pl.lit(None, pl.String) if related_id is None else related_id,
        field=field,
        batch_id="batch_id",
        source_id="source_id",
        origin_file="origin_file",
        origin_line="origin_line",
    ).select(list(QUARANTINE_SCHEMA))
