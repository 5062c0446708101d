"""What earlier batches contributed to the dedup indexes, read from the lake on demand.

Cleaning batch k compares it with every batch numbered below k. Holding all of that in memory
would grow with the lake, and rebuilding it every batch would make each batch slower than the
last. Instead each batch leaves three kinds of state (pure functions of its raw data and rules,
recomputed from raw when missing):

- ``exact_dedup/<batch>``: its distinct normalised-content keys;
- ``near_dedup/<batch>``: its MinHash signatures in ``ord`` order, in small row groups, so the
  few signatures a candidate needs are read without the rest of the file;
- ``near_bands/shard-SS/<batch>``: its LSH band keys, split into ``SHARDS`` files by key.

A chunk of batch k then scans, shard by shard, only the band keys of earlier batches and joins
them with its own keys; exact keys are joined the same way. Memory holds one shard of keys at a
time and cost per batch grows only with the bytes of keys scanned, not with signatures.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import polars as pl

from data_platform.curation.cleaning import SEEN_SCHEMA, CleaningRules, clean_batch
from data_platform.curation.near_dedup import NearDupIndex, NearDupRules, index_entries, index_schema
from data_platform.errors import EarlierBatchPendingError
from data_platform.lake.store import Lake
from data_platform.text.minhash import MinHashParams, band_keys

EXACT_STATE = "exact_dedup"
NEAR_STATE = "near_dedup"
BANDS_STATE = "near_bands"
SHARDS = 16
# How long cleaning waits for an earlier batch still being ingested, and how often it looks.
EARLIER_WAIT_SECONDS = 900.0
EARLIER_POLL_SECONDS = 1.0
SIGNATURE_ROW_GROUP = 2048
CANDIDATE_SCHEMA = {"row": pl.Int64, "seq": pl.Int64, "ord": pl.Int64}


def band_rows(entries: pl.DataFrame, params: MinHashParams) -> pl.DataFrame:
    """One row per (entry, band): the band key and the entry's place in its batch."""
    keys = (
        band_keys(entries["signature"].to_numpy(), params) if entries.height else np.empty((0, params.bands))
    )
    return pl.DataFrame(
        {
            "key": keys.reshape(-1).astype(np.uint64),
            "seq": np.repeat(entries["seq"].to_numpy(), params.bands),
            "ord": np.repeat(entries["ord"].to_numpy(), params.bands),
        },
        schema={"key": pl.UInt64, "seq": pl.Int64, "ord": pl.Int64},
    )


def write_contribution(lake: Lake, batch_id: str, keys: pl.DataFrame, entries: pl.DataFrame, params) -> None:
    lake.write_state(EXACT_STATE, batch_id, keys)
    lake.write_state(NEAR_STATE, batch_id, entries, row_group_size=SIGNATURE_ROW_GROUP)
    bands = band_rows(entries, params).with_columns(_shard=(pl.col("key") % SHARDS).cast(pl.Int64))
    for shard in range(SHARDS):
        part = bands.filter(pl.col("_shard") == shard).drop("_shard").sort("key")
        lake.write_state(f"{BANDS_STATE}/shard-{shard:02d}", batch_id, part)


def has_contribution(lake: Lake, batch_id: str) -> bool:
    kinds = [EXACT_STATE, NEAR_STATE, *(f"{BANDS_STATE}/shard-{s:02d}" for s in range(SHARDS))]
    return all(lake.state_path(kind, batch_id).exists() for kind in kinds)


def contribution_from_raw(
    lake: Lake, batch_id: str, seq: int, rules: CleaningRules
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A batch's exact keys and near-dup entries, recomputed from its raw partition."""
    keys: list[pl.DataFrame] = []
    entries: list[pl.DataFrame] = []
    for path in lake.record_files("raw", batch_id):
        result = clean_batch(pl.read_parquet(path), rules, pl.DataFrame(schema=SEEN_SCHEMA))
        keys.append(result.keys)
        first = sum(e.height for e in entries)
        entries.append(
            index_entries(
                result.distinct_candidates, seq, first, rules.near_dup.params, result.candidate_tokens
            )
        )
    return unique_keys(keys), pl.concat([pl.DataFrame(schema=index_schema(rules.near_dup.params)), *entries])


def unique_keys(keys: list[pl.DataFrame]) -> pl.DataFrame:
    combined = pl.concat([pl.DataFrame(schema=SEEN_SCHEMA), *keys])
    return combined.unique("norm_sha256", keep="first", maintain_order=True)


def ingested_before(lake: Lake, seq: int, wait_seconds: float) -> list[tuple[int, str]]:
    """(seq, batch) of every batch numbered below ``seq`` whose raw partition exists. A batch gets
    its number when its ingestion starts, so one still being ingested is waited for (cleaning
    without it would depend on which run came first); one whose ingestion failed is left out,
    as cleaning one batch at a time in order would leave it out."""
    deadline = time.monotonic() + wait_seconds
    while True:
        earlier = sorted((s, b) for b, s in lake.batch_sequences().items() if s < seq)
        pending = [
            (s, b) for s, b in earlier if not lake.has_partition("raw", b) and not lake.ingestion_failed(b)
        ]
        if not pending:
            return [(s, b) for s, b in earlier if lake.has_partition("raw", b)]
        if time.monotonic() >= deadline:
            names = ", ".join(f"{b} (#{s})" for s, b in pending)
            raise EarlierBatchPendingError(
                f"batch #{seq} is judged against every batch numbered before it, and {names} "
                f"still had no raw partition after {wait_seconds:.0f} s: let its run finish "
                "(or fail) and run this batch again"
            )
        time.sleep(EARLIER_POLL_SECONDS)


class EarlierBatches:
    """The dedup state of every batch numbered below ``seq``, as lazy scans of the lake.

    Given the batch being cleaned (``batch_id``) whose own contribution is on disk already (its
    dedup_state step ran), the earlier state its keys can meet is read once, up front: the
    earlier owners of its exact keys and, per shard, the earlier entries sharing one of its band
    keys. Each part then looks its keys up there instead of scanning every earlier batch again,
    which made a batch's cleaning grow with the parts it has times the batches before it. A key
    outside the batch's own contribution is still looked up by a scan."""

    def __init__(
        self,
        lake: Lake,
        seq: int,
        rules_for: Callable[[str], CleaningRules],
        batch_id: str | None = None,
    ) -> None:
        self.lake, self.seq = lake, seq
        self.batches = ingested_before(lake, seq, EARLIER_WAIT_SECONDS)
        for earlier_seq, earlier_batch in self.batches:
            if not has_contribution(lake, earlier_batch):
                rules = rules_for(lake.stats("raw", earlier_batch)["source_id"])
                keys, entries = contribution_from_raw(lake, earlier_batch, earlier_seq, rules)
                write_contribution(lake, earlier_batch, keys, entries, rules.near_dup.params)
        self.batch_of = {s: b for s, b in self.batches}
        self._exact: tuple[pl.Series, pl.DataFrame] | None = None
        self._bands: dict[int, tuple[pl.Series, pl.DataFrame]] = {}
        # the earlier entries that can be near duplicates of the batch's records
        self._entries: pl.DataFrame | None = None
        if batch_id is not None and self.batches and has_contribution(lake, batch_id):
            self._read_what_the_batch_meets(
                batch_id, rules_for(lake.stats("raw", batch_id)["source_id"]).near_dup
            )

    def _files(self, kind: str) -> list[Path]:
        return [self.lake.state_path(kind, batch_id) for _, batch_id in self.batches]

    def _read_what_the_batch_meets(self, batch_id: str, rules: NearDupRules) -> None:
        own = pl.read_parquet(self.lake.state_path(EXACT_STATE, batch_id), columns=["norm_sha256"])
        covered = own["norm_sha256"]
        self._exact = (covered, self._scan_exact(covered))
        pairs = []
        for shard in range(SHARDS):
            kind = f"{BANDS_STATE}/shard-{shard:02d}"
            mine = pl.read_parquet(self.lake.state_path(kind, batch_id), columns=["key", "ord"])
            keys = mine["key"].unique()
            entries = pl.scan_parquet(self._files(kind)).join(keys.to_frame().lazy(), on="key", how="semi")
            self._bands[shard] = (keys, entries.collect())
            pairs.append(mine.rename({"ord": "own_ord"}).join(self._bands[shard][1], on="key").drop("key"))
        self._entries = self._entries_that_verify(batch_id, pl.concat(pairs).unique(), rules)
        # band entries naming nothing that can pass are of no use to any part
        ids = self._entries.select("seq", "ord")
        self._bands = {
            shard: (keys, entries.join(ids, on=["seq", "ord"], how="semi"))
            for shard, (keys, entries) in self._bands.items()
        }

    def _entries_that_verify(self, batch_id: str, pairs: pl.DataFrame, rules: NearDupRules) -> pl.DataFrame:
        """The earlier entries (``pairs``: own_ord, seq, ord) that pass the similarity threshold
        with some record of the batch they share a band key with: no other can pass with any
        part of it. One earlier batch's entries are held at a time; with exact Jaccard (shingle
        sets) every named entry is kept."""
        if rules.params.exact_jaccard:
            return pl.concat(
                [entries for _, entries in self._read_entries(pairs.select("seq", "ord").unique())]
            )
        own = (
            pl.scan_parquet(self.lake.state_path(NEAR_STATE, batch_id))
            .select(own_ord="ord", own_signature="signature")
            .join(pairs.select("own_ord").unique().lazy(), on="own_ord", how="semi")
            .collect()
        )
        kept = [pl.DataFrame(schema=index_schema(rules.params))]
        for group, entries in self._read_entries(pairs):
            matched = group.join(own, on="own_ord").join(entries.select("ord", "signature"), on="ord")
            agree = matched["own_signature"].to_numpy() == matched["signature"].to_numpy()
            passing = matched.filter(pl.Series(agree.mean(axis=1) >= rules.threshold))
            kept.append(entries.join(passing.select("ord").unique(), on="ord", how="semi"))
        return pl.concat(kept)

    def exact_matches(self, keys: pl.Series) -> pl.DataFrame:
        """Earlier owners of ``keys`` (the first batch by sequence number owns a key)."""
        if not self.batches:
            return pl.DataFrame(schema=SEEN_SCHEMA)
        wanted = keys.unique()
        found = []
        if self._exact is not None:
            covered, owners = self._exact
            found.append(owners.join(wanted.to_frame(), on="norm_sha256", how="semi"))
            wanted = wanted.filter(~wanted.is_in(covered.implode()))
        if wanted.len():
            found.append(self._scan_exact(wanted))
        return pl.concat([pl.DataFrame(schema=SEEN_SCHEMA), *found])

    def _scan_exact(self, keys: pl.Series) -> pl.DataFrame:
        wanted = pl.DataFrame({"norm_sha256": keys}).lazy()
        found = pl.concat(
            [
                pl.scan_parquet(path).with_columns(_seq=pl.lit(s, pl.Int64))
                for (s, _), path in zip(self.batches, self._files(EXACT_STATE), strict=True)
            ]
        ).join(wanted, on="norm_sha256", how="semi")
        return found.sort("_seq").unique("norm_sha256", keep="first").drop("_seq").collect()

    def near_candidates(self, own: NearDupIndex) -> pl.DataFrame:
        """Entries of earlier batches sharing a band key with a row of ``own``: the row, the
        entry's record and batch ids, its ``seq``/``ord`` and its signature (of the keys read
        up front, only entries that can pass the threshold)."""
        own_keys = own.band_frame()
        if not self.batches or own_keys.height == 0:
            return candidate_frame([], own.params)
        own_keys = own_keys.with_columns(_shard=(pl.col("key") % SHARDS).cast(pl.Int64))
        known, scanned = [pl.DataFrame(schema=CANDIDATE_SCHEMA)], [pl.DataFrame(schema=CANDIDATE_SCHEMA)]
        for shard in range(SHARDS):
            mine = own_keys.filter(pl.col("_shard") == shard).drop("_shard")
            if shard in self._bands:
                covered, entries = self._bands[shard]
                known.append(mine.join(entries, on="key").select("row", "seq", "ord"))
                mine = mine.filter(~pl.col("key").is_in(covered.implode()))
            if mine.height == 0:
                continue
            scan = pl.scan_parquet(self._files(f"{BANDS_STATE}/shard-{shard:02d}"))
            scanned.append(scan.join(mine.lazy(), on="key").select("row", "seq", "ord").collect())
        parts = []
        if self._entries is not None:
            parts.append(pl.concat(known).unique().join(self._entries, on=["seq", "ord"]))
        pairs = pl.concat(scanned).unique()
        parts.extend(group.join(entries, on=["seq", "ord"]) for group, entries in self._read_entries(pairs))
        return candidate_frame(parts, own.params)

    def _read_entries(self, pairs: pl.DataFrame) -> Iterator[tuple[pl.DataFrame, pl.DataFrame]]:
        """Per earlier batch, its pairs and its index entries they name (only the row groups
        holding them are read)."""
        for (seq,), group in pairs.group_by("seq"):
            path = self.lake.state_path(NEAR_STATE, self.batch_of[seq])
            ords = group["ord"].unique().sort()
            yield group, pl.scan_parquet(path).filter(pl.col("ord").is_in(ords.implode())).collect()


def candidate_frame(parts: list[pl.DataFrame], params: MinHashParams) -> pl.DataFrame:
    """Candidates in one shape whatever their origin (this batch or earlier ones)."""
    schema = pl.Schema({"row": pl.Int64(), **index_schema(params)})
    return pl.concat(
        [pl.DataFrame(schema=schema), *(part.select(list(schema)).cast(schema) for part in parts)]
    )
