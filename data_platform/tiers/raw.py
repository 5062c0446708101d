"""The raw tier's recipe: read a drop in chunks and publish it as one lake partition."""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl

from data_platform.lake.store import Lake, PartitionInfo
from data_platform.sources.drops import drop_file_facts
from data_platform.sources.readers import DEFAULT_CHUNK_ROWS, Drop, ReadStats, read_drop


def ingest_drop(lake: Lake, drop: Drop, *, chunk_rows: int = DEFAULT_CHUNK_ROWS) -> PartitionInfo:
    """Write the raw partition of ``drop``; records in = accepted + quarantined."""
    seq = lake.batch_sequence(drop.batch_id, drop.source.id, str(drop.shown_path))
    stats = ReadStats()
    summary: dict[str, object] = {
        "seq": seq,
        "source_id": drop.source.id,
        "file": str(drop.shown_path),
        **drop_file_facts(drop),
    }

    def chunks() -> Iterator[tuple[pl.DataFrame, pl.DataFrame]]:
        for chunk in read_drop(drop, stats, chunk_rows=chunk_rows):
            yield chunk.records, chunk.rejects
        summary.update(
            records_in=stats.records_in,
            blank_lines=stats.blank_lines,
            bytes_read=stats.bytes_read,
        )

    try:
        info = lake.write_partition("raw", drop.batch_id, chunks(), summary)
    except BaseException:
        lake.mark_ingestion(drop.batch_id, failed=True)
        raise
    lake.mark_ingestion(drop.batch_id, failed=False)
    return info
