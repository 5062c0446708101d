"""Drift of a release from its parent: the mixes of length, language, label, source and domain.

Each variable's shift is a PSI and a Jensen-Shannon divergence (evaluation/distances.py). A
source whose records come in several languages also gets its length and label shifts per
language, since a mix that stays level overall can move inside one language.
"""

from __future__ import annotations

import polars as pl

from data_platform.evaluation.distances import Shift, categorical_shift, numeric_shift
from data_platform.evaluation.profile import label_rows

# PSI bands used in practice: under 0.1 stable, 0.1-0.25 a moderate shift, over 0.25 a major one.
PSI_MODERATE = 0.1
PSI_MAJOR = 0.25
# A language of a source is compared on its own when both sides hold this many of its records:
# PSI over a few dozen records is noise (and a handful of misidentified records is no language).
MIN_LANGUAGE_RECORDS = 200


def mix_shifts(reference: pl.DataFrame, current: pl.DataFrame) -> list[Shift]:
    """Shifts of length and of the language, source and domain mixes (records_profile frames)."""
    return [
        numeric_shift("length", reference["length"], current["length"]),
        categorical_shift("language", reference["lang"], current["lang"]),
        categorical_shift("source", reference["source_id"], current["source_id"]),
        categorical_shift("domain", reference["domain"], current["domain"]),
    ]


def label_shifts(reference: pl.DataFrame, current: pl.DataFrame, scope: str = "") -> list[Shift]:
    """One shift per label task found on either side (label_rows frames)."""
    tasks = sorted(set(reference["task"].unique()) | set(current["task"].unique()))
    return [
        categorical_shift(
            f"label:{task}{scope}",
            reference.filter(pl.col("task") == task)["value"],
            current.filter(pl.col("task") == task)["value"],
        )
        for task in tasks
    ]


def per_language_shifts(
    reference: pl.DataFrame,
    current: pl.DataFrame,
    reference_labels: pl.DataFrame,
    current_labels: pl.DataFrame,
) -> list[Shift]:
    """Length and label shifts inside each language of every source that holds at least two
    languages with MIN_LANGUAGE_RECORDS records on both sides."""
    shifts = []
    for source, languages in _languages_per_source(reference, current).items():
        for lang in languages:
            scope = f"[{source}, {lang}]"
            inside = (pl.col("source_id") == source) & (pl.col("lang") == lang)
            shifts.append(
                numeric_shift(
                    f"length{scope}",
                    reference.filter(inside)["length"],
                    current.filter(inside)["length"],
                )
            )
            shifts.extend(label_shifts(reference_labels.filter(inside), current_labels.filter(inside), scope))
    return shifts


def release_drift(
    reference: pl.DataFrame,
    current: pl.DataFrame,
    reference_records: pl.DataFrame,
    current_records: pl.DataFrame,
) -> list[Shift]:
    """Every shift from ``reference`` to ``current`` (records_profile frames; the records they
    came from give the labels)."""
    reference_labels, current_labels = label_rows(reference_records), label_rows(current_records)
    return [
        *mix_shifts(reference, current),
        *label_shifts(reference_labels, current_labels),
        *per_language_shifts(reference, current, reference_labels, current_labels),
    ]


def shift_table(shifts: list[Shift]) -> pl.DataFrame:
    """variable, psi, jensen_shannon and the PSI band of each shift."""
    table = pl.DataFrame(
        [s.as_row() for s in shifts],
        schema={"variable": pl.String, "psi": pl.Float64, "jensen_shannon": pl.Float64},
    )
    return table.with_columns(
        band=pl.when(pl.col("psi") >= PSI_MAJOR)
        .then(pl.lit("major"))
        .when(pl.col("psi") >= PSI_MODERATE)
        .then(pl.lit("moderate"))
        .otherwise(pl.lit("stable"))
    )


def _languages_per_source(reference: pl.DataFrame, current: pl.DataFrame) -> dict[str, list[str]]:
    """source -> its languages large enough on both sides, for sources with two or more."""
    sizes = [
        side.drop_nulls(["source_id", "lang"])
        .group_by("source_id", "lang")
        .len()
        .filter(pl.col("len") >= MIN_LANGUAGE_RECORDS)
        for side in (reference, current)
    ]
    both = sizes[0].join(sizes[1], on=["source_id", "lang"]).sort("source_id", "lang")
    grouped = (
        both.group_by("source_id", maintain_order=True).agg("lang").filter(pl.col("lang").list.len() > 1)
    )
    return dict(zip(grouped["source_id"], grouped["lang"].to_list(), strict=True))
