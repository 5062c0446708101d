"""Memorisation: synthetic texts that are near copies of real ones, found through MinHash-LSH.

Synthetic texts are short edits of real records as often as not (a word added, case changed,
words reordered), so two views are compared, each with a banding that finds pairs from about
0.42 estimated Jaccard on: word trigrams (the same phrasing, at or above 0.7) and word sets
(the same words in any order, at or above 0.8, the share at which a recombined text is its
parent again). A text near either way counts. The real side is indexed once, the synthetic
texts are queried against it, then against each other (a generator repeating itself is
memorising too).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from data_platform.text.minhash import MinHashParams, near_pairs, text_signatures

# (shingles, the estimated Jaccard at which a pair is a near copy)
VIEWS = (
    (MinHashParams(ngram=3, num_perm=128, bands=32, rows=4), 0.7),
    (MinHashParams(ngram=1, num_perm=128, bands=32, rows=4), 0.8),
)


@dataclass(frozen=True)
class Memorisation:
    """Per synthetic text: the most similar real record's id and estimated Jaccard (null when no
    view finds a near copy), and whether it nearly repeats an earlier synthetic text."""

    matches: pl.DataFrame

    @property
    def repeated(self) -> int:
        return int(self.matches["repeats_earlier"].sum())

    @property
    def novel(self) -> pl.Series:
        """True for the texts that copy no real record and repeat no earlier synthetic one."""
        return self.matches["real_id"].is_null() & ~self.matches["repeats_earlier"]

    @property
    def copied(self) -> int:
        return int(self.matches["real_id"].is_not_null().sum())

    @property
    def share(self) -> float:
        return self.copied / self.matches.height if self.matches.height else 0.0


def memorisation(synthetic: pl.Series, real: pl.DataFrame) -> Memorisation:
    """Near copies of ``real`` (record_id, text) among ``synthetic`` texts."""
    parts, repeated = [], np.zeros(len(synthetic), dtype=bool)
    for params, threshold in VIEWS:
        own = text_signatures(synthetic, params)
        rows, others, similarity = near_pairs(text_signatures(real["text"], params), own, params, threshold)
        parts.append(
            pl.DataFrame(
                {
                    "row": rows.astype(np.int64),
                    "real_id": real["record_id"].gather(others),
                    "similarity": similarity,
                },
                schema={"row": pl.Int64, "real_id": pl.String, "similarity": pl.Float64},
            )
        )
        repeats, _, _ = near_pairs(own, None, params, threshold)
        repeated[repeats] = True
    closest = pl.concat(parts).sort("similarity", descending=True).unique("row", keep="first")
    matches = (
        pl.DataFrame({"row": np.arange(len(synthetic), dtype=np.int64)})
        .join(closest, on="row", how="left")
        .sort("row")
        .drop("row")
    )
    return Memorisation(matches=matches.with_columns(repeats_earlier=pl.Series(repeated)))
