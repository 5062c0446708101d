"""Labels waiting for review: found after every import of human labels, kept out of releases.

``find_flags`` looks at the labels people gave and what they sit next to:

- ``annotators_disagree``: no value has a strict majority of a record's annotators;
- ``contradictory_label``: a record whose text is the same or nearly the same (label_errors.
  contradictions) as another's under a different label of a single-label task, where at least
  one of the two labels is a person's (two machine labels that differ on near-identical texts
  are the model's business, not a labelling conflict);
- ``likely_label_error``: confident learning (cleanlab) on out-of-fold probabilities of the
  task's examples plus the confirmed human labels flags a person's label (trained single-label
  tasks).

A record stays flagged until people review it: it goes first into the next round (rounds.py)
with the reason, and once annotators answered it in a round that picked it for review, the
label-error and contradiction flags on it are lifted (their consensus stands); disagreement is
lifted only by a majority. Flags live in ``<lake>/_annotation/flags.parquet``; a release holds
back every record with an open flag on one of its labels (``under_review``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import polars as pl

from data_platform.annotation.human_labels import apply_human_labels, consensus, human_entries, read_votes
from data_platform.annotation.label_errors import (
    contradictions,
    likely_label_errors,
    out_of_fold_probabilities,
)
from data_platform.annotation.labels import gated_records
from data_platform.annotation.training import training_examples
from data_platform.lake.atomic import write_parquet_atomic
from data_platform.lake.store import Lake
from data_platform.sources.registry import LabelerSpec

FILE = "_annotation/flags.parquet"
FLAG_SCHEMA = {
    "record_id": pl.String,
    "task": pl.String,
    "reason": pl.String,
    "detail": pl.String,
}


def flags_path(lake: Lake) -> Path:
    return lake.root / FILE


def read_flags(lake: Lake) -> pl.DataFrame:
    path = flags_path(lake)
    return pl.read_parquet(path) if path.exists() else pl.DataFrame(schema=FLAG_SCHEMA)


def refresh_flags(lake: Lake, specs: Mapping[str, LabelerSpec]) -> pl.DataFrame:
    """Find the open flags over the gated annotated tier and store them."""
    flags = find_flags(gated_records(lake), read_votes(lake), specs)
    write_parquet_atomic(flags_path(lake), flags)
    return flags


def reviewed_pairs(votes: pl.DataFrame) -> pl.DataFrame:
    """(record_id, task) that people answered in a round that picked the record for review."""
    return votes.filter(pl.col("reason").str.starts_with("review:")).select("record_id", "task").unique()


def find_flags(records: pl.DataFrame, votes: pl.DataFrame, specs: Mapping[str, LabelerSpec]) -> pl.DataFrame:
    """Flags over ``records`` (tier.gated_records) once the labels people confirmed are in place."""
    agreed = consensus(votes)
    records = apply_human_labels(records, human_entries(agreed))
    disputed = agreed.filter(pl.col("disputed")).join(
        votes.group_by("record_id", "task").agg(chosen=pl.col("values").list.join("|").sort().str.join(", ")),
        on=["record_id", "task"],
    )
    found = [
        disputed.select(
            "record_id",
            "task",
            reason=pl.lit("annotators_disagree"),
            detail=pl.format("answers: {}", "chosen"),
        ),
        *(_contradictory(records, task) for task in _single_label_tasks(records, specs)),
        *(_label_errors(agreed, task, spec) for task, spec in sorted(specs.items()) if not spec.multi_label),
    ]
    flags = pl.concat([f.cast(pl.Schema(FLAG_SCHEMA)) for f in found])
    lifted = flags.filter(pl.col("reason") != "annotators_disagree").join(
        reviewed_pairs(votes), on=["record_id", "task"], how="semi"
    )
    return flags.join(lifted, on=["record_id", "task", "reason"], how="anti").unique(maintain_order=True)


def _single_label_tasks(records: pl.DataFrame, specs: Mapping[str, LabelerSpec]) -> list[str]:
    multi = {task for task, spec in specs.items() if spec.multi_label}
    tasks = records.select(pl.col("labels").explode().struct.field("task").unique())["task"].to_list()
    return sorted(t for t in tasks if t and t not in multi and t != "language")


def _contradictory(records: pl.DataFrame, task: str) -> pl.DataFrame:
    labelled = records.select(
        "record_id",
        "text",
        entry=pl.col("labels").list.filter(pl.element().struct.field("task") == task).list.first(),
    ).filter(pl.col("entry").is_not_null())
    labelled = labelled.select(
        "record_id",
        "text",
        value=pl.col("entry").struct.field("value"),
        human=pl.col("entry").struct.field("human_confirmed"),
    )
    pairs = contradictions(labelled["text"], labelled["value"])
    sides = labelled.with_row_index("row").with_columns(pl.col("row").cast(pl.Int64))
    joined = pairs.join(sides, left_on="a", right_on="row").join(
        sides, left_on="b", right_on="row", suffix="_b"
    )
    joined = joined.filter(pl.col("human") | pl.col("human_b"))

    def side(me: str, other: str) -> pl.DataFrame:
        return joined.select(
            record_id=f"record_id{me}",
            task=pl.lit(task),
            reason=pl.lit("contradictory_label"),
            detail=pl.format(
                "{} text ({}) as {} labelled {}, here {}",
                "match",
                pl.col("similarity").round(2),
                f"record_id{other}",
                f"value{other}",
                f"value{me}",
            ),
        )

    return pl.concat([side("", "_b"), side("_b", "")])


def _label_errors(agreed: pl.DataFrame, task: str, spec: LabelerSpec) -> pl.DataFrame:
    human = agreed.filter((pl.col("task") == task) & ~pl.col("disputed"))
    empty = pl.DataFrame(schema=FLAG_SCHEMA)
    if human.is_empty():
        return empty
    texts, labels = training_examples(spec, human)
    proba, label_set = out_of_fold_probabilities(texts, labels)
    verdict = likely_label_errors(labels, proba, label_set).tail(human.height)
    return (
        human.select("record_id", "task")
        .with_columns(verdict.select("flagged", "label", "suggested", "quality"))
        .filter(pl.col("flagged"))
        .select(
            "record_id",
            "task",
            reason=pl.lit("likely_label_error"),
            detail=pl.format(
                "labelled {}, the model suggests {} (label quality {})",
                "label",
                "suggested",
                pl.col("quality").round(3),
            ),
        )
    )


def under_review(lake: Lake, records: pl.DataFrame) -> pl.Series:
    """Per record, ``<task>:<reason>`` of its first open flag, or null."""
    first = (
        read_flags(lake)
        .group_by("record_id", maintain_order=True)
        .agg(why=pl.format("{}:{}", "task", "reason").first())
    )
    return records.select("record_id").join(first, on="record_id", how="left", maintain_order="left")["why"]
