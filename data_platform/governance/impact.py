"""What a takedown request touched: the releases that held records it reaches, and the models
trained on those releases."""

from __future__ import annotations

from typing import Any

import polars as pl

from data_platform.governance.models import models
from data_platform.governance.takedown import matching_requests, takedowns
from data_platform.lake.releases import list_releases, release_root
from data_platform.lake.store import Lake


def takedown_report(lake: Lake, request_id: str) -> dict[str, Any]:
    requests = [r for r in takedowns(lake) if r["request_id"] == request_id]
    if not requests:
        raise ValueError(f"no takedown request {request_id!r} in the ledger")
    releases = []
    for version in list_releases(lake):
        records = _with_delivered_fields(
            lake, pl.read_parquet(release_root(lake) / version / "records-*.parquet")
        )
        reached = records.filter(matching_requests(records, requests).is_not_null())
        if reached.height:
            releases.append(
                {
                    "release": version,
                    "records": reached.height,
                    "record_ids": reached["record_id"].sort().to_list(),
                    "models": [f"{m['name']} {m['version']}" for m in models(lake, release=version)],
                }
            )
    return {"request": requests[0], "releases": releases}


def _with_delivered_fields(lake: Lake, records: pl.DataFrame) -> pl.DataFrame:
    """Releases do not carry the record as delivered (``meta``); field scopes need it, so it
    comes back from the annotated tier by record id."""
    batches = lake.partitions("annotated")
    if not batches:
        return records.with_columns(meta=pl.lit(None, pl.String))
    delivered = pl.concat([lake.scan_records("annotated", b).select("record_id", "meta") for b in batches])
    return records.join(delivered.unique("record_id").collect(), on="record_id", how="left")
