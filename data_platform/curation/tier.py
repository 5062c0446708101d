"""The cleaned tier's recipe: clean a raw partition part by part against the dedup indexes.

Both indexes (exact keys and near-dup signatures) hold, per batch, what that batch's raw data
contributes, stored under ``_state/`` and recomputed from raw when missing, so the result for
batch k depends only on batches with a lower sequence number and earlier records of batch k.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import asdict

import polars as pl

from data_platform.curation.cleaning import SEEN_SCHEMA, CleaningRules, clean_batch, extend_seen
from data_platform.curation.near_dedup import (
    NearDupIndex,
    index_entries,
    index_schema,
    remove_near_duplicates,
)
from data_platform.lake.store import Lake, PartitionInfo

EXACT_STATE = "exact_dedup"
NEAR_STATE = "near_dedup"


def batch_contribution(
    lake: Lake, batch_id: str, seq: int, rules: CleaningRules
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A batch's exact keys and near-dup entries, from its stored state or else from raw."""
    exact, near = lake.state_path(EXACT_STATE, batch_id), lake.state_path(NEAR_STATE, batch_id)
    if exact.exists() and near.exists():
        return pl.read_parquet(exact), pl.read_parquet(near)
    keys, entries = [], []
    for path in lake.record_files("raw", batch_id):
        result = clean_batch(pl.read_parquet(path), rules, pl.DataFrame(schema=SEEN_SCHEMA))
        keys.append(result.keys)
        first = sum(e.height for e in entries)
        entries.append(
            index_entries(
                result.distinct_candidates, seq, first, rules.near_dup.params, result.candidate_tokens
            )
        )
    empty = pl.DataFrame(schema=index_schema(rules.near_dup.params.num_perm))
    return _unique_keys(keys), pl.concat([empty, *entries])


def earlier_indexes(
    lake: Lake, seq: int, rules_for: Callable[[str], CleaningRules], near: NearDupIndex
) -> pl.DataFrame:
    """Fill ``near`` with every batch numbered below ``seq``; return the exact-key index."""
    seen = pl.DataFrame(schema=SEEN_SCHEMA)
    for earlier_seq, batch_id in sorted((s, b) for b, s in lake.batch_sequences().items() if s < seq):
        if not lake.has_partition("raw", batch_id):
            continue
        rules = rules_for(lake.stats("raw", batch_id)["source_id"])
        keys, entries = batch_contribution(lake, batch_id, earlier_seq, rules)
        seen = extend_seen(seen, keys)
        near.add(entries)
    return seen


def clean_partition(lake: Lake, batch_id: str, rules_for: Callable[[str], CleaningRules]) -> PartitionInfo:
    """Write the cleaned partition of ``batch_id`` and its contributions to both indexes."""
    lake.require_gate("raw", batch_id)
    raw_stats = lake.stats("raw", batch_id)
    seq, rules = raw_stats["seq"], rules_for(raw_stats["source_id"])
    near = NearDupIndex(rules.near_dup.params)
    seen = earlier_indexes(lake, seq, rules_for, near)
    own_keys: list[pl.DataFrame] = []
    own_entries: list[pl.DataFrame] = []

    def chunks() -> Iterator[tuple[pl.DataFrame, pl.DataFrame]]:
        nonlocal seen
        for path in lake.record_files("raw", batch_id):
            result = clean_batch(pl.read_parquet(path), rules, seen)
            seen = extend_seen(seen, result.keys)
            first = sum(e.height for e in own_entries)
            entries = index_entries(
                result.distinct_candidates, seq, first, rules.near_dup.params, result.candidate_tokens
            )
            kept_entries = result.kept.select("record_id").join(
                entries, on="record_id", maintain_order="left"
            )
            near_result = remove_near_duplicates(result.kept, kept_entries, near, rules.near_dup)
            near.add(entries)
            own_keys.append(result.keys)
            own_entries.append(entries)
            yield near_result.kept, pl.concat([result.quarantined, near_result.quarantined])

    summary = {"seq": seq, "source_id": raw_stats["source_id"], "rules": asdict(rules)}
    info = lake.write_partition("cleaned", batch_id, chunks(), summary)
    lake.write_state(EXACT_STATE, batch_id, _unique_keys(own_keys))
    empty = pl.DataFrame(schema=index_schema(rules.near_dup.params.num_perm))
    lake.write_state(NEAR_STATE, batch_id, pl.concat([empty, *own_entries]))
    return info


def _unique_keys(keys: list[pl.DataFrame]) -> pl.DataFrame:
    combined = pl.concat([pl.DataFrame(schema=SEEN_SCHEMA), *keys])
    return combined.unique("norm_sha256", keep="first", maintain_order=True)
