"""The cleaned tier's recipe: clean a raw partition part by part against the dedup index."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import polars as pl

from data_platform.curation.cleaning import (
    SEEN_SCHEMA,
    CleaningRules,
    clean_batch,
    dedup_keys,
    extend_seen,
)
from data_platform.lake.store import Lake, PartitionInfo

DEDUP_STATE = "exact_dedup"


def earlier_keys(lake: Lake, seq: int, rules_for: Callable[[str], CleaningRules]) -> pl.DataFrame:
    """The exact-dedup index as of batch ``seq``: keys of every raw batch with a lower number.

    A batch whose keys are not stored yet (cleaned later, or never) has them computed from its
    raw partition: keys are a pure function of raw data, so the answer never depends on the
    order in which batches were cleaned.
    """
    seen = pl.DataFrame(schema=SEEN_SCHEMA)
    earlier = sorted((s, b) for b, s in lake.batch_sequences().items() if s < seq)
    for _, batch_id in earlier:
        if not lake.has_partition("raw", batch_id):
            continue
        state = lake.state_path(DEDUP_STATE, batch_id)
        if state.exists():
            keys = pl.read_parquet(state)
        else:
            source_id = lake.stats("raw", batch_id)["source_id"]
            keys = dedup_keys(lake.scan_records("raw", batch_id).collect(), rules_for(source_id))
        seen = extend_seen(seen, keys)
    return seen


def clean_partition(lake: Lake, batch_id: str, rules_for: Callable[[str], CleaningRules]) -> PartitionInfo:
    """Write the cleaned partition of ``batch_id`` and its contribution to the dedup index."""
    lake.require_gate("raw", batch_id)
    raw_stats = lake.stats("raw", batch_id)
    rules = rules_for(raw_stats["source_id"])
    seen = earlier_keys(lake, raw_stats["seq"], rules_for)
    own_keys: list[pl.DataFrame] = []

    def chunks() -> Iterator[tuple[pl.DataFrame, pl.DataFrame]]:
        nonlocal seen
        for path in lake.record_files("raw", batch_id):
            result = clean_batch(pl.read_parquet(path), rules, seen)
            seen = extend_seen(seen, result.keys)
            own_keys.append(result.keys)
            yield result.kept, result.quarantined

    summary = {"seq": raw_stats["seq"], "source_id": raw_stats["source_id"], "rules": vars(rules)}
    info = lake.write_partition("cleaned", batch_id, chunks(), summary)
    keys = pl.concat([pl.DataFrame(schema=SEEN_SCHEMA), *own_keys])
    lake.write_state(DEDUP_STATE, batch_id, keys.unique("norm_sha256", keep="first", maintain_order=True))
    return info
