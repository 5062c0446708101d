"""The annotated tier asset: language identification and the label columns."""

from functools import cache

import dagster as dg
import polars as pl

from data_platform.annotation.labels import LanguagePolicy
from data_platform.annotation.language import LanguageIdentifier
from data_platform.annotation.training import current as current_labelers
from data_platform.annotation.training import ensure_labelers, labelers_for
from data_platform.defs.cleaned.assets import cleaned_records
from data_platform.defs.gates import build_gate_check
from data_platform.defs.metadata import (
    OWNERS,
    column_lineage,
    markdown_table,
    partition_metadata,
    table_schema,
)
from data_platform.defs.partitions import batch_partitions
from data_platform.defs.resources import LakeResource, RegistryResource
from data_platform.lake.store import Lake
from data_platform.sources.drops import split_batch_id
from data_platform.sources.registry import DERIVED_TASKS
from data_platform.tiers.annotated import annotate_partition
from data_platform.tiers.schema import ANNOTATED_COLUMN_DESCRIPTIONS, ANNOTATED_SCHEMA


@cache
def language_identifier() -> LanguageIdentifier:
    return LanguageIdentifier()


@dg.asset(
    deps=["human_labels"],
    group_name="annotated",
    kinds={"scikitlearn", "skops"},
    owners=OWNERS,
    code_version="labelers-1",
)
def labelers(lake: LakeResource, registry: RegistryResource) -> dg.MaterializeResult:
    """The trained labelers the annotated tier uses (intent, emotion; tone reads emotion): trained
    from the examples the registry's ``labelers:`` section names plus the labels annotators
    confirmed, calibrated on held-out examples, saved under the lake's ``_labelers/`` with their
    content hash as version; tone's combination is refitted to people's tone labels. A task is
    retrained only when its examples, settings or human labels change."""
    state = ensure_labelers(lake.lake(), registry.load().labelers)
    return dg.MaterializeResult(
        metadata={
            **{f"{task}_version": entry["version"] for task, entry in state.items()},
            **{f"{task}_human_labels": entry.get("human_labels", 0) for task, entry in state.items()},
            "labelers": dg.MetadataValue.json(state),
        }
    )


@dg.asset(
    partitions_def=batch_partitions,
    deps=[cleaned_records, labelers],
    group_name="annotated",
    kinds={"parquet", "polars"},
    owners=OWNERS,
    tags={"tier": "annotated"},
    code_version="annotated-1",
    metadata={
        "dagster/column_schema": table_schema(
            ANNOTATED_SCHEMA,
            ANNOTATED_COLUMN_DESCRIPTIONS,
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
    sources = registry.load()
    source = sources.get(split_batch_id(batch_id)[0])
    store = lake.lake()
    tasks = {DERIVED_TASKS.get(task, task) for task in source.label_tasks}
    if not tasks <= set(current_labelers(store)):  # e.g. a sensor run before the labelers asset
        ensure_labelers(store, sources.labelers)
    identifier = language_identifier()
    task_labelers = labelers_for(store, source.label_tasks)
    info = annotate_partition(store, batch_id, source, identifier, LanguagePolicy(), task_labelers)
    return dg.MaterializeResult(
        metadata={
            **partition_metadata(info),
            "language_labeler": f"{identifier.name} {identifier.version}",
            "labelers": dg.MetadataValue.json(info.stats["labelers"]),
            "human_labels": dg.MetadataValue.json(info.stats["human_labels"]),
            "label_distribution": dg.MetadataValue.md(label_distribution(store, batch_id)),
        }
    )


def label_distribution(lake: Lake, batch_id: str) -> str:
    """Per task and value: records and mean confidence, the ten most frequent values per task."""
    entries = (
        lake.scan_records("annotated", batch_id)
        .select(pl.col("labels").explode())
        .unnest("labels")
        .group_by("task", "value")
        .agg(records=pl.len(), mean_confidence=pl.col("confidence").mean().round(3))
        .sort(["task", "records"], descending=[False, True])
        .group_by("task", maintain_order=True)
        .head(10)
        .collect()
    )
    return markdown_table(entries)


annotated_gate = build_gate_check("annotated", annotated_records)
