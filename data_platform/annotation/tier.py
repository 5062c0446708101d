"""The annotated tier's recipe: label a cleaned partition part by part."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import polars as pl

from data_platform.annotation.labelers import Labeler
from data_platform.annotation.labels import LanguagePolicy, annotate
from data_platform.annotation.language import LanguageIdentifier
from data_platform.lake.store import Lake, PartitionInfo
from data_platform.sources.registry import Source


def annotate_partition(
    lake: Lake,
    batch_id: str,
    source: Source,
    identifier: LanguageIdentifier,
    policy: LanguagePolicy,
    labelers: Mapping[str, Labeler] | None = None,
) -> PartitionInfo:
    """Label every part of the cleaned partition: language, then the source's label tasks."""
    labelers = labelers or {}
    lake.require_gate("cleaned", batch_id)
    cleaned_stats = lake.stats("cleaned", batch_id)

    def chunks() -> Iterator[tuple[pl.DataFrame, pl.DataFrame]]:
        for path in lake.record_files("cleaned", batch_id):
            yield annotate(pl.read_parquet(path), identifier, source.languages, policy, labelers)

    summary = {
        "seq": cleaned_stats["seq"],
        "source_id": source.id,
        "labelers": {
            "language": f"{identifier.name} {identifier.version}",
            **{task: f"{labeler.name} {labeler.version}" for task, labeler in sorted(labelers.items())},
        },
        "language_policy": vars(policy),
    }
    return lake.write_partition("annotated", batch_id, chunks(), summary)
