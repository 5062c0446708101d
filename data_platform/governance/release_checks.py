"""What the release gate checks on every released record, beyond its schema and counts.

One row per record: structured PII still found in its released text and turns, the first kind
of identifier the independent release scan (release_scan.py) finds in them, the reason its
licence fails the release's profile, the takedown request that reaches it (among those received
before the release was cut), and the first gap in its provenance chain (raw file and line, the
content hash, each tier's code version and data digest for its batch, labeler versions). The
gate expects zero, null, null, null and null."""

from __future__ import annotations

from typing import Any

import polars as pl

from data_platform.governance import licences, redaction, release_scan, takedown
from data_platform.lake.store import Lake

TIERS = ("raw", "cleaned", "annotated")


def governance_frame(lake: Lake, records: pl.DataFrame, manifest: dict[str, Any]) -> pl.DataFrame:
    """``records``: the released records (every release column)."""
    found = redaction.structured_findings(records).group_by("record_id").len("structured_pii")
    policy = licences.profile(manifest["licence_profile"]["name"])
    requests = [r for r in takedown.takedowns(lake) if r["received"] <= manifest["created_at"]]
    reached = takedown.matching_requests(lake, records, requests)
    return (
        records.select("record_id")
        .join(found, on="record_id", how="left", maintain_order="left")
        .with_columns(
            structured_pii=pl.col("structured_pii").fill_null(0).cast(pl.Int64),
            release_scan=release_scan.first_kind(records, release_scan.scan(records)),
            licence_refused=licences.licence_refusals(records["licence"], policy),
            takedown_request=reached,
            provenance_gap=provenance_gaps(lake, records, manifest),
        )
    )


def provenance_gaps(lake: Lake, records: pl.DataFrame, manifest: dict[str, Any]) -> pl.Series:
    """Per record, the first missing link of its provenance chain, or null."""
    batches = pl.DataFrame(
        {
            "batch_id": [b["batch_id"] for b in manifest["batches"]],
            "_batch_gap": [_batch_gap(lake, b["batch_id"]) for b in manifest["batches"]],
        },
        schema={"batch_id": pl.String, "_batch_gap": pl.String},
    )
    unversioned = pl.col("labels").list.eval(
        pl.element().struct.field("labeler_version").is_null()
        | pl.element().struct.field("labeler").is_null()
    )
    gap = (
        records.join(
            batches.with_columns(_listed=pl.lit(True)), on="batch_id", how="left", maintain_order="left"
        )
        .select(
            pl.when(pl.col("origin_file").is_null())
            .then(pl.lit("no raw file"))
            .when(pl.col("origin_line").is_null())
            .then(pl.lit("no raw line"))
            .when(pl.col("content_sha256").is_null())
            .then(pl.lit("no content hash"))
            .when(pl.col("_listed").is_null())
            .then(pl.format("batch {} is not in the manifest", "batch_id"))
            .when(pl.col("_batch_gap").is_not_null())
            .then(pl.col("_batch_gap"))
            .when(unversioned.list.any())
            .then(pl.lit("a label without labeler or labeler version"))
            .alias("provenance_gap")
        )
        .to_series()
    )
    return gap


def _batch_gap(lake: Lake, batch_id: str) -> str | None:
    for tier in TIERS:
        if not lake.has_partition(tier, batch_id):
            return f"no {tier} stats for batch {batch_id}"
        stats = lake.stats(tier, batch_id)
        for field in ("code_version", "digest"):
            if not stats.get(field):
                return f"{tier} stats of batch {batch_id} lack {field}"
    return None
