"""Near-duplicate removal with MinHash-LSH, global across batches and order-independent.

A record is a near duplicate when it shares an LSH band with an earlier record and their
signatures agree on at least ``threshold`` of the permutations (estimated Jaccard similarity
of their word n-gram sets). "Earlier" means a batch with a lower sequence number, or an
earlier record of the same batch, so re-running or back-filling a batch gives the same result.

The index holds, per batch, the signature of every distinct content that passed the
non-duplicate rules: a pure function of the batch's raw data, computed from raw when a batch's
stored part is missing. Conversations are compared as whole dialogues (all turns' text).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import polars as pl

from data_platform.curation.alternates import Terms, differs_from_kept
from data_platform.sources.schema import content_text, quarantine_rows, record_field
from data_platform.text.lsh import BandTable
from data_platform.text.minhash import (
    MinHashParams,
    band_keys,
    exact_jaccard,
    has_words,
    shingle_sets,
    shingle_tokens,
    signatures,
)
from data_platform.text.tokens import Tokens, tokenize

NEAR_DUPLICATE = "near_duplicate"


def index_schema(params: MinHashParams) -> dict[str, pl.DataType]:
    """Index entries: who, from which batch, in which order, the MinHash signature, and with
    ``exact_jaccard`` the sorted distinct shingle hashes."""
    schema = {
        "record_id": pl.String(),
        "batch_id": pl.String(),
        "seq": pl.Int64(),
        "ord": pl.Int64(),
        "signature": pl.Array(pl.UInt32, params.num_perm),
    }
    return {**schema, "shingles": pl.List(pl.UInt32)} if params.exact_jaccard else schema


@dataclass(frozen=True)
class NearDupRules:
    params: MinHashParams = field(default_factory=MinHashParams)
    threshold: float = 0.8


@dataclass
class NearDupIndex:
    """Signatures of earlier records, their band keys and the band table over them."""

    params: MinHashParams
    records: pl.DataFrame = field(init=False)
    table: BandTable = field(init=False)

    def __post_init__(self) -> None:
        self.records = pl.DataFrame(schema=index_schema(self.params))
        self.table = BandTable(self.params.bands)
        self._matrices = [np.empty((0, self.params.num_perm), dtype=np.uint32)]
        self._keys = [np.empty((0, self.params.bands), dtype=np.uint64)]

    @property
    def matrix(self) -> np.ndarray:
        """Every row's signature (joined on first use: a growing index never needs it whole)."""
        self._matrices = [np.concatenate(self._matrices)]
        return self._matrices[0]

    @property
    def keys(self) -> np.ndarray:
        self._keys = [np.concatenate(self._keys)]
        return self._keys[0]

    def add(self, entries: pl.DataFrame) -> None:
        """Append index entries (``index_schema``) in order."""
        if entries.height == 0:
            return
        matrix = entries["signature"].to_numpy()
        keys = band_keys(matrix, self.params)
        self.table.add(keys, has_words(matrix))
        self._keys.append(keys)
        self._matrices.append(matrix)
        self.records = pl.concat([self.records, entries])

    def live(self) -> np.ndarray:
        """Rows that can match at all (records without words never do)."""
        return has_words(self.matrix)

    def band_frame(self) -> pl.DataFrame:
        """One row per (row, band) of a row that can match: the row and its band key."""
        rows = np.flatnonzero(self.live())
        return pl.DataFrame(
            {"row": np.repeat(rows, self.params.bands), "key": self.keys[rows].reshape(-1)},
            schema={"row": pl.Int64, "key": pl.UInt64},
        )

    def near_candidates(self, own: NearDupIndex) -> pl.DataFrame:
        rows, others = self.table.pairs(own.keys, own.live())
        return _candidate_rows(self, rows, others)


def _candidate_rows(index: NearDupIndex, rows: np.ndarray, others: np.ndarray) -> pl.DataFrame:
    """The entries ``others`` of ``index`` as candidates for ``rows``."""
    return index.records[others].select(pl.Series("row", rows, dtype=pl.Int64), pl.all())


@dataclass(frozen=True)
class NearDupResult:
    kept: pl.DataFrame
    quarantined: pl.DataFrame
    # Near duplicates under other terms than their kept copy (curation/alternates.py).
    alternates: pl.DataFrame


def index_entries(
    frame: pl.DataFrame, seq: int, first_ord: int, params: MinHashParams, tokens: Tokens | None = None
) -> pl.DataFrame:
    """Signatures of ``frame``'s records (which must carry record_id, batch_id, text, turns).

    ``tokens``: the records' tokens when the caller has them already (no second tokenising)."""
    if tokens is None:
        tokens = tokenize(frame.select(content_text().alias("content"))["content"])
    shingled = shingle_tokens(tokens, params.ngram)
    matrix = signatures(shingled, params)
    columns = {
        "record_id": frame["record_id"],
        "batch_id": frame["batch_id"],
        "seq": pl.Series([seq] * frame.height, dtype=pl.Int64),
        "ord": pl.Series(np.arange(first_ord, first_ord + frame.height), dtype=pl.Int64),
        "signature": pl.Series(matrix, dtype=pl.Array(pl.UInt32, params.num_perm)),
    }
    if params.exact_jaccard:
        columns["shingles"] = pl.Series(shingle_sets(shingled), dtype=pl.List(pl.UInt32))
    return pl.DataFrame(columns, schema=index_schema(params))


class CandidateSource(Protocol):
    def near_candidates(self, own: NearDupIndex) -> pl.DataFrame:
        """Entries sharing a band key with rows of ``own``: ``row`` plus the entry's columns."""
        ...


def remove_near_duplicates(
    frame: pl.DataFrame,
    entries: pl.DataFrame,
    sources: list[CandidateSource],
    rules: NearDupRules,
    terms: Terms | None = None,
) -> NearDupResult:
    """Quarantine the records of ``frame`` that nearly duplicate an entry of ``sources`` (earlier
    batches, earlier chunks) or an earlier record of ``frame``. ``entries`` are the index
    entries of ``frame``'s rows, in order. With ``terms``, near duplicates whose licence or
    consent differs from their kept copy's become alternates instead."""
    verdict = near_duplicate_matches(entries, sources, rules)
    removed = frame.with_row_index("_row").join(verdict, on="_row", how="inner")
    alternate = differs_from_kept(removed, "dup_batch", terms)
    alternates = removed.filter(alternate).with_columns(duplicate_of=pl.col("dup_of")).select(frame.columns)
    removed = removed.filter(~alternate)
    quarantined = quarantine_rows(
        removed,
        tier="cleaned",
        reason=NEAR_DUPLICATE,
        detail=pl.format(
            f"near duplicate of record {{}} (batch {{}}), {_similarity_kind(rules.params)} Jaccard {{}}",
            "dup_of",
            "dup_batch",
            pl.col("similarity").round(3),
        ),
        field=record_field(),
        related_id=pl.col("dup_of"),
    )
    kept = frame.with_row_index("_row").join(verdict, on="_row", how="anti").drop("_row")
    return NearDupResult(kept=kept, quarantined=quarantined, alternates=alternates)


def _similarity_kind(params: MinHashParams) -> str:
    return "exact" if params.exact_jaccard else "estimated"


def near_duplicate_matches(
    entries: pl.DataFrame, sources: list[CandidateSource], rules: NearDupRules
) -> pl.DataFrame:
    """For each entry (by position, ``_row``) that nearly duplicates an entry of ``sources`` or an
    earlier entry of its own: the earliest such entry's record and batch ids and the estimated
    Jaccard similarity."""
    own = NearDupIndex(rules.params)
    own.add(entries)
    candidates = pl.concat([source.near_candidates(own) for source in sources] + [_earlier_rows(own)])
    return _verify(candidates, own, rules.threshold)


def _earlier_rows(own: NearDupIndex) -> pl.DataFrame:
    """Candidates inside the chunk itself: only rows before the one judged."""
    rows, others = own.table.pairs(own.keys, own.live(), below=0)
    return _candidate_rows(own, rows, others)


def _verify(candidates: pl.DataFrame, own: NearDupIndex, threshold: float) -> pl.DataFrame:
    """Per row with at least one verified candidate: the earliest one (by batch sequence, then
    order in the batch). Similarity is the signature estimate, or the exact Jaccard of the
    shingle sets when the index keeps them. Rows without words never match."""
    schema = {"_row": pl.UInt32, "dup_of": pl.String, "dup_batch": pl.String, "similarity": pl.Float64}
    if candidates.height == 0:
        return pl.DataFrame(schema=schema)
    rows = candidates["row"].to_numpy()
    if own.params.exact_jaccard:
        similarity = exact_jaccard(own.records["shingles"].gather(rows), candidates["shingles"])
    else:
        similarity = (own.matrix[rows] == candidates["signature"].to_numpy()).mean(axis=1)
    verified = candidates.with_columns(similarity=similarity).filter(pl.col("similarity") >= threshold)
    return (
        verified.sort(["row", "seq", "ord"])
        .group_by("row", maintain_order=True)
        .first()
        .select(
            pl.col("row").cast(pl.UInt32).alias("_row"),
            pl.col("record_id").alias("dup_of"),
            pl.col("batch_id").alias("dup_batch"),
            "similarity",
        )
    )
