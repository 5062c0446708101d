"""How much synthetic data a release may hold: a share of its records, enforced per release."""

from __future__ import annotations

import math
import sys

import polars as pl

# At most a tenth of a release is generated unless the release asks otherwise: enough to fill
# named gaps, too little to let generated text dominate what a model learns.
MAX_SYNTHETIC_SHARE = 0.1


def synthetic_allowed(real: int, max_share: float) -> int:
    """The most synthetic records a release of ``real`` collected records may hold so that they are
    at most ``max_share`` of it."""
    if not 0 <= max_share <= 1:
        raise ValueError(f"the synthetic share must be between 0 and 1, got {max_share}")
    if max_share == 1:
        return sys.maxsize
    # The small epsilon keeps shares such as 0.1 from losing a record to floating point.
    return math.floor(real * max_share / (1 - max_share) + 1e-9)


def over_cap(records: pl.DataFrame, max_share: float) -> pl.Series:
    """Per record, a detail naming the cap when it is a synthetic record beyond it, else null.
    Which synthetic records stay is fixed by record id (a hash), so a recut keeps the same ones."""
    synthetic = records["synthetic"].fill_null(False)
    allowed = synthetic_allowed(int((~synthetic).sum()), max_share)
    rank = records.select(
        pl.when(pl.col("synthetic").fill_null(False))
        .then(pl.col("record_id").rank("ordinal").over(pl.col("synthetic").fill_null(False)))
        .alias("rank")
    )["rank"]
    detail = f"synthetic share capped at {max_share:g}"
    return records.select(
        pl.when(rank > allowed).then(pl.lit(detail)).otherwise(pl.lit(None, pl.String)).alias("over_cap")
    )["over_cap"]
