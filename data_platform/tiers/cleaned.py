"""The cleaned tier's recipe: clean a raw partition part by part against the dedup indexes.

Both indexes (exact keys and near-dup signatures) hold, per batch, what that batch's raw data
contributes (curation/earlier.py), so the result for batch k depends only on batches with a
lower sequence number and earlier records of batch k. Each batch's contribution is written by
its own step (``record_dedup_state``, right after raw), or computed from raw by the first batch
that needs it, so batches clean side by side, in any order, with the bytes of cleaning them one
at a time in sequence order. Earlier batches are read from the lake shard by shard; this
batch's own earlier parts are held in memory.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict

import polars as pl

from data_platform.curation.cleaning import SEEN_SCHEMA, CleaningRules, clean_batch, extend_seen
from data_platform.curation.earlier import (
    EarlierBatches,
    contribution_from_raw,
    has_contribution,
    write_contribution,
)
from data_platform.curation.near_dedup import (
    NearDupIndex,
    index_entries,
    remove_near_duplicates,
)
from data_platform.curation.review import draw_sample
from data_platform.governance import pii
from data_platform.governance.redaction import redact_records, tier_mode
from data_platform.lake.store import Lake, PartitionInfo


def batch_terms(lake: Lake, batch_id: str) -> tuple[str | None, str | None]:
    """The licence and consent a batch's records were ingested under (stamped per record by the
    raw tier, so a later registry change does not rewrite history)."""
    first = lake.scan_records("raw", batch_id).select("licence", "consent").head(1).collect()
    return (first["licence"][0], first["consent"][0]) if first.height else (None, None)


def redacted_behind(
    parts: Iterator[tuple[pl.DataFrame, pl.DataFrame]], key: bytes | None
) -> Iterator[tuple[pl.DataFrame, pl.DataFrame]]:
    """Each part with its kept records redacted, in order. Redaction needs nothing from the
    dedup state, so a part is redacted on a second thread while the next one is cleaned (both
    run in Polars and compiled kernels that release the GIL); one part waits at most."""
    with ThreadPoolExecutor(1) as redactor:
        waiting: tuple[Future[pl.DataFrame], pl.DataFrame] | None = None
        for kept, quarantined in parts:
            submitted = redactor.submit(redact_records, kept, key)
            if waiting is not None:
                yield waiting[0].result(), waiting[1]
            waiting = (submitted, quarantined)
        if waiting is not None:
            yield waiting[0].result(), waiting[1]


def clean_partition(lake: Lake, batch_id: str, rules_for: Callable[[str], CleaningRules]) -> PartitionInfo:
    """Write the cleaned partition of ``batch_id`` and its contributions to both indexes. The
    kept records are stored with their PII redacted (governance/redaction.py)."""
    lake.require_gate("raw", batch_id)
    raw_stats = lake.stats("raw", batch_id)
    seq, rules = raw_stats["seq"], rules_for(raw_stats["source_id"])
    params = rules.near_dup.params
    key = pii.key_from_env()
    terms = functools.cache(lambda batch: batch_terms(lake, batch))
    earlier = EarlierBatches(lake, seq, rules_for, batch_id)
    own_index = NearDupIndex(params)
    own_seen = pl.DataFrame(schema=SEEN_SCHEMA)  # this batch's keys, first holder first

    def seen_for(keys: pl.Series) -> pl.DataFrame:
        mine = own_seen.join(pl.DataFrame({"norm_sha256": keys}), on="norm_sha256", how="semi")
        return pl.concat([earlier.exact_matches(keys), mine]).unique("norm_sha256", keep="first")

    def cleaned_parts() -> Iterator[tuple[pl.DataFrame, pl.DataFrame]]:
        """(kept, quarantined) per raw part, before redaction, in order."""
        nonlocal own_seen
        for path in lake.record_files("raw", batch_id):
            result = clean_batch(pl.read_parquet(path), rules, seen_for, terms)
            own_seen = extend_seen(own_seen, result.keys)
            first = own_index.records.height
            entries = index_entries(result.distinct_candidates, seq, first, params, result.candidate_tokens)
            kept_entries = result.kept.select("record_id").join(
                entries, on="record_id", maintain_order="left"
            )
            near_result = remove_near_duplicates(
                result.kept, kept_entries, [earlier, own_index], rules.near_dup, terms
            )
            own_index.add(entries)
            kept = pl.concat([near_result.kept, result.alternates, near_result.alternates])
            yield kept, pl.concat([result.quarantined, near_result.quarantined])

    summary = {
        "seq": seq,
        "source_id": raw_stats["source_id"],
        "rules": asdict(rules),
        "pii": {"mode": tier_mode(key), "key_id": pii.key_id(key)},
    }
    info = lake.write_partition("cleaned", batch_id, redacted_behind(cleaned_parts(), key), summary)
    if not has_contribution(lake, batch_id):  # the dedup_state step did not run before
        write_contribution(lake, batch_id, own_seen, own_index.records, params)
    draw_sample(lake, batch_id)
    return info


def record_dedup_state(lake: Lake, batch_id: str, rules_for: Callable[[str], CleaningRules]) -> int:
    """Write what the batch contributes to the dedup indexes (exact keys, signatures, band keys:
    a pure function of its raw partition and rules, curation/earlier.py), so that cleaning later
    batches reads it instead of waiting for this batch's cleaning. Returns its index entries."""
    lake.require_gate("raw", batch_id)
    raw_stats = lake.stats("raw", batch_id)
    rules = rules_for(raw_stats["source_id"])
    keys, entries = contribution_from_raw(lake, batch_id, raw_stats["seq"], rules)
    write_contribution(lake, batch_id, keys, entries, rules.near_dup.params)
    return entries.height
