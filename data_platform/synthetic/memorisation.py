"""Memorisation: synthetic texts that are near copies of real ones, found through MinHash-LSH.

Synthetic texts are short edits of real records as often as not (a word added, case changed),
so shingles are word trigrams and the banding finds pairs from about 0.42 estimated Jaccard on;
a pair at or above ``NEAR_COPY`` counts. The real side is indexed once, the synthetic texts are
queried against it, then against each other (a generator repeating itself is memorising too).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from data_platform.text.minhash import MinHashParams, near_pairs, text_signatures

SHORT_TEXT_PARAMS = MinHashParams(ngram=3, num_perm=128, bands=32, rows=4)
NEAR_COPY = 0.7


@dataclass(frozen=True)
class Memorisation:
    """Per synthetic text: the most similar real record's id and estimated Jaccard (null when none
    reaches ``NEAR_COPY``), and whether it nearly repeats an earlier synthetic text."""

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


def memorisation(
    synthetic: pl.Series,
    real: pl.DataFrame,
    params: MinHashParams = SHORT_TEXT_PARAMS,
    threshold: float = NEAR_COPY,
) -> Memorisation:
    """Near copies of ``real`` (record_id, text) among ``synthetic`` texts."""
    real_signatures = text_signatures(real["text"], params)
    own = text_signatures(synthetic, params)
    rows, others, similarity = near_pairs(real_signatures, own, params, threshold)
    pairs = pl.DataFrame(
        {"row": rows.astype(np.int64), "real_id": real["record_id"].gather(others), "similarity": similarity}
    )
    closest = pairs.sort("similarity", descending=True).unique("row", keep="first")
    matches = (
        pl.DataFrame({"row": np.arange(len(synthetic), dtype=np.int64)})
        .join(closest, on="row", how="left")
        .sort("row")
        .drop("row")
    )
    repeats, _, _ = near_pairs(own, None, params, threshold)
    repeated = np.zeros(len(synthetic), dtype=bool)
    repeated[repeats] = True
    return Memorisation(matches=matches.with_columns(repeats_earlier=pl.Series(repeated)))
