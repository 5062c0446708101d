"""The annotated tier's recipe: label a cleaned partition part by part, tell when a partition is
due for relabelling (new labeler versions or new human labels), and read the gated records that
rounds and review flags work on."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from typing import Any

import polars as pl

from data_platform.annotation.human_labels import consensus, human_entries, read_votes
from data_platform.annotation.labelers import Labeler
from data_platform.annotation.labels import LanguagePolicy, annotate
from data_platform.annotation.language import LanguageIdentifier
from data_platform.lake.atomic import canonical_json
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
    """Label every part of the cleaned partition: language, then the source's label tasks, then
    the labels annotators confirmed for its records."""
    labelers = labelers or {}
    agreed = _human_consensus(lake, batch_id, labelers)
    human = human_entries(agreed)
    lake.require_gate("cleaned", batch_id)
    cleaned_stats = lake.stats("cleaned", batch_id)

    def chunks() -> Iterator[tuple[pl.DataFrame, pl.DataFrame]]:
        for path in lake.record_files("cleaned", batch_id):
            yield annotate(pl.read_parquet(path), identifier, source.languages, policy, labelers, human)

    summary = {
        "seq": cleaned_stats["seq"],
        "source_id": source.id,
        **labelled_with(identifier, labelers, agreed),
        "language_policy": vars(policy),
    }
    return lake.write_partition("annotated", batch_id, chunks(), summary)


def labelled_with(
    identifier: LanguageIdentifier, labelers: Mapping[str, Labeler], agreed: pl.DataFrame
) -> dict[str, Any]:
    """What an annotated partition's labels come from: the labelers' versions and the imports of
    human labels (kept in its stats; a partition whose stats differ is due for relabelling)."""
    return {
        "labelers": {
            "language": f"{identifier.name} {identifier.version}",
            **{task: f"{labeler.name} {labeler.version}" for task, labeler in sorted(labelers.items())},
        },
        "human_labels": {
            "imports": sorted(agreed["import_id"].unique().to_list()),
            "confirmed": int((~agreed["disputed"]).sum()),
            "disputed": int(agreed["disputed"].sum()),
        },
    }


def relabel_due(
    lake: Lake, batch_id: str, identifier: LanguageIdentifier, labelers: Mapping[str, Labeler]
) -> str | None:
    """A short signature of what the partition would be labelled with now, when that differs
    from what it was labelled with (None: up to date)."""
    wanted = labelled_with(identifier, labelers, _human_consensus(lake, batch_id, labelers))
    stats = lake.stats("annotated", batch_id)
    if all(stats.get(key) == value for key, value in wanted.items()):
        return None
    return hashlib.sha256(canonical_json(wanted).encode()).hexdigest()[:12]


def _human_consensus(lake: Lake, batch_id: str, labelers: Mapping[str, Labeler]) -> pl.DataFrame:
    votes = read_votes(lake).filter((pl.col("batch_id") == batch_id) & pl.col("task").is_in(list(labelers)))
    return consensus(votes)
