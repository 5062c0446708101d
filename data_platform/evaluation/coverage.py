"""Coverage of a release against the registry's targets: each gap named and sized in records.

A share target is met when the slice's records are at least that share of the whole (of the
records labelled for the task, for a label); the records still ``needed`` are those that, added
to the slice, would meet every minimum the target sets: for a share s with c of n records,
x >= (s * n - c) / (1 - s), since (c + x) / (n + x) >= s.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import polars as pl

from data_platform.sources.targets import CoverageTarget

COVERAGE_SCHEMA = {
    "slice": pl.String,
    "dimension": pl.String,
    "task": pl.String,
    "value": pl.String,
    "count": pl.Int64,
    "of": pl.Int64,
    "share": pl.Float64,
    "min_count": pl.Int64,
    "min_share": pl.Float64,
    "needed": pl.Int64,
    "met": pl.Boolean,
}
_COLUMN_OF = {"language": "lang", "domain": "domain", "source": "source_id"}


def coverage(profile: pl.DataFrame, labels: pl.DataFrame, targets: Iterable[CoverageTarget]) -> pl.DataFrame:
    """One row per target: the slice's count and share, its minimums, the records still needed
    and whether it is met (``profile``: records_profile, ``labels``: label_rows)."""
    rows = [_row(target, *_count(profile, labels, target)) for target in targets]
    return pl.DataFrame(rows, schema=COVERAGE_SCHEMA, orient="row")


def records_needed(count: int, of: int, min_count: int | None, min_share: float | None) -> int:
    """How many records of the slice must be added to meet both minimums."""
    by_count = 0 if min_count is None else min_count - count
    by_share = 0
    if min_share is not None:  # an empty slice needs a record whatever the whole holds
        by_share = max(int(count == 0), math.ceil((min_share * of - count) / (1 - min_share) - 1e-9))
    return max(0, by_count, by_share)


def gaps(table: pl.DataFrame) -> pl.DataFrame:
    """The targets not met, the largest shortfall first."""
    return table.filter(~pl.col("met")).sort("needed", "slice", descending=[True, False])


def _count(profile: pl.DataFrame, labels: pl.DataFrame, target: CoverageTarget) -> tuple[int, int]:
    """(records in the slice, records the share is of)."""
    if target.dimension == "label":
        task = labels.filter(pl.col("task") == target.task)
        return (
            task.filter(pl.col("value") == target.value)["record_id"].n_unique(),
            task["record_id"].n_unique(),
        )
    column = profile[_COLUMN_OF[target.dimension]]
    return int((column == target.value).sum()), profile.height


def _row(target: CoverageTarget, count: int, of: int) -> tuple:
    needed = records_needed(count, of, target.min_count, target.min_share)
    return (
        target.slice_name,
        target.dimension,
        target.task,
        target.value,
        count,
        of,
        count / of if of else 0.0,
        target.min_count,
        target.min_share,
        needed,
        needed == 0,
    )
