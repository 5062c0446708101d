"""Duplicates kept as alternates: a copy under other terms than the record it duplicates.

When a duplicate (exact or near) arrives under a different licence or consent basis than the
copy that was kept, dropping it would make the release depend on ingestion order: a release
whose profile refuses the kept copy's licence would lose the content, and one that admits both
would ship the worse-licensed copy. Such a duplicate stays in the tier with ``duplicate_of``
naming the kept record, and every release picks one survivor per cluster under its own
profile (tiers/released.py). Duplicates under the same terms are quarantined as before.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

# A batch's (licence, consent): the terms its records were ingested under.
Terms = Callable[[str], tuple[str | None, str | None]]
ALTERNATE_COLUMNS = {"duplicate_of": pl.String()}
ALTERNATE_DESCRIPTIONS = {
    "duplicate_of": "For a duplicate kept because its licence or consent differs from the kept "
    "copy's: that copy's record id (a release keeps one record per cluster); null otherwise"
}


def differs_from_kept(frame: pl.DataFrame, kept_batch: str, terms: Terms | None) -> pl.Series:
    """Per row, whether the record's licence or consent differs from those of the batch that
    holds its kept copy (column ``kept_batch``; null when the row duplicates nothing)."""
    if terms is None or frame.height == 0:
        return pl.Series("alternate", [False] * frame.height, dtype=pl.Boolean)
    batches = frame[kept_batch].drop_nulls().unique().to_list()
    kept_terms = pl.DataFrame(
        {
            kept_batch: batches,
            "_kept_licence": [terms(b)[0] for b in batches],
            "_kept_consent": [terms(b)[1] for b in batches],
        },
        schema={kept_batch: pl.String, "_kept_licence": pl.String, "_kept_consent": pl.String},
    )
    joined = frame.select(kept_batch, "licence", "consent").join(
        kept_terms, on=kept_batch, how="left", maintain_order="left"
    )
    differs = joined["_kept_licence"].ne_missing(joined["licence"]) | joined["_kept_consent"].ne_missing(
        joined["consent"]
    )
    return (differs & joined[kept_batch].is_not_null()).alias("alternate")
