"""`data-platform curate`: the cleaned tier's rules on one file, outside Dagster.

Reads a jsonl, jsonl.gz or parquet file of records with an id and a text field, and writes to
the output folder:

- ``kept.jsonl``: every kept record exactly as delivered, plus ``cluster_id`` (the id of the
  kept representative when the record has duplicates, else null);
- ``quarantined.jsonl``: every removed record as delivered plus ``reason`` (``exact_duplicate``,
  ``near_duplicate``, ``empty_text``, ``too_short``, a quality rule such as ``gopher_short_doc``,
  or a reader fault), ``detail``, ``field``
  and ``cluster_id``; unreadable lines carry their ``line`` instead of the record;
- ``summary.json``: counts by reason, clusters, time and throughput.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import polars as pl
from tqdm import tqdm

from data_platform.curation.cleaning import (
    EXACT_DUPLICATE,
    SEEN_SCHEMA,
    CleaningRules,
    clean_batch,
    extend_seen,
)
from data_platform.curation.near_dedup import (
    NEAR_DUPLICATE,
    NearDupIndex,
    index_entries,
    remove_near_duplicates,
)
from data_platform.sources.drops import one_file_drop
from data_platform.sources.readers import Drop, ReadStats, read_drop

DUPLICATE_REASONS = (EXACT_DUPLICATE, NEAR_DUPLICATE)


def curate_file(
    source_path: Path,
    output_dir: Path,
    *,
    rules: CleaningRules,
    id_field: str = "id",
    text_field: str = "text",
    progress: bool = True,
) -> dict[str, Any]:
    """Clean ``source_path`` into ``output_dir``; return the summary that is also written."""
    started = time.perf_counter()
    drop = one_file_drop(source_path, "curate", id_field, text_field, rules.min_chars)
    output_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="curate-", dir=output_dir))
    try:
        stats = _clean_to_parts(drop, rules, work, progress)
        summary = _write_outputs(work, output_dir, id_field)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    seconds = time.perf_counter() - started
    summary.update(
        input=str(source_path),
        records_in=stats.records_in,
        bytes_read=stats.bytes_read,
        seconds=round(seconds, 3),
        mb_per_s=round(stats.bytes_read / 1e6 / seconds, 2) if seconds else None,
        rules=asdict(rules),
    )
    (output_dir / "summary.json").write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n")
    return summary


def _clean_to_parts(drop: Drop, rules: CleaningRules, work: Path, progress: bool) -> ReadStats:
    stats = ReadStats()
    seen = pl.DataFrame(schema=SEEN_SCHEMA)
    near = NearDupIndex(rules.near_dup.params)
    indexed = 0
    bar = tqdm(desc="curate", unit="B", unit_scale=True, disable=not progress)
    for part, chunk in enumerate(read_drop(drop, stats)):
        result = clean_batch(chunk.records, rules, seen)
        seen = extend_seen(seen, result.keys)
        entries = index_entries(
            result.distinct_candidates, 1, indexed, rules.near_dup.params, result.candidate_tokens
        )
        indexed += entries.height
        kept_entries = result.kept.select("record_id").join(entries, on="record_id", maintain_order="left")
        near_result = remove_near_duplicates(result.kept, kept_entries, [near], rules.near_dup)
        near.add(entries)
        near_result.kept.select("record_id", "meta").write_parquet(work / f"kept-{part:05d}.parquet")
        removed = pl.concat([chunk.rejects, result.quarantined, near_result.quarantined])
        removed.join(chunk.records.select("record_id", "meta"), on="record_id", how="left").write_parquet(
            work / f"quarantined-{part:05d}.parquet"
        )
        bar.update(stats.bytes_read - bar.n)
    bar.close()
    return stats


def _write_outputs(work: Path, output_dir: Path, id_field: str) -> dict[str, Any]:
    kept = pl.scan_parquet(work / "kept-*.parquet")
    quarantined = pl.scan_parquet(work / "quarantined-*.parquet")
    roots = _cluster_roots(quarantined.filter(pl.col("reason").is_in(DUPLICATE_REASONS)).collect())
    input_id = pl.col("meta").str.json_path_match(f"$.{id_field}")
    members = roots.group_by("root").len()
    cluster_of = roots.select("record_id", cluster="root")
    representatives = members.select(pl.col("root").alias("record_id"), cluster="root")
    ids = pl.concat([kept.select("record_id", "meta"), quarantined.select("record_id", "meta")]).filter(
        pl.col("meta").is_not_null()
    )
    id_of = ids.select("record_id", cluster_input_id=input_id).collect()
    clusters = (
        pl.concat([cluster_of, representatives])
        .join(id_of, left_on="cluster", right_on="record_id", how="left")
        .select("record_id", cluster_id="cluster_input_id")
    )
    kept_lines = (
        kept.join(clusters.lazy(), on="record_id", how="left")
        .select(line=_with_fields(pl.struct("cluster_id")))
        .collect()
    )
    quarantined_lines = (
        quarantined.join(clusters.lazy(), on="record_id", how="left")
        .select(
            "reason",
            line=pl.when(pl.col("meta").is_not_null())
            .then(_with_fields(pl.struct("reason", "detail", "field", "cluster_id")))
            .otherwise(pl.struct("origin_line", "reason", "detail", "field").struct.json_encode()),
        )
        .collect()
    )
    _write_lines(output_dir / "kept.jsonl", kept_lines["line"])
    _write_lines(output_dir / "quarantined.jsonl", quarantined_lines["line"])
    by_reason = quarantined_lines.group_by("reason").len().sort("reason")
    return {
        "kept": kept_lines.height,
        "quarantined": quarantined_lines.height,
        "quarantined_by_reason": dict(by_reason.iter_rows()),
        "duplicate_clusters": members.height,
    }


def _with_fields(extra: pl.Expr) -> pl.Expr:
    """The delivered JSON object with ``extra``'s fields appended (no re-encoding of the record)."""
    encoded = extra.struct.json_encode()
    return pl.concat_str(pl.col("meta").str.strip_chars_end().str.head(-1), pl.lit(","), encoded.str.slice(1))


def _cluster_roots(duplicates: pl.DataFrame) -> pl.DataFrame:
    """Follow ``related_id`` links (a duplicate of a duplicate) to the kept representative."""
    links = duplicates.select("record_id", root="related_id")
    while True:
        stepped = links.join(
            links.select(pl.col("record_id").alias("root"), next="root"), on="root", how="left"
        )
        if stepped["next"].is_null().all():
            return links
        links = stepped.select("record_id", root=pl.coalesce("next", "root"))


def _write_lines(path: Path, lines: pl.Series) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for block in lines.to_frame().iter_slices(100_000):
            handle.write("\n".join(block["line"].to_list()))
            handle.write("\n")
