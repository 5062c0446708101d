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
    releases, delivered = [], _delivered_fields(lake)
    for version in list_releases(lake):
        records = pl.read_parquet(release_root(lake) / version / "records-*.parquet")
        records = records.join(delivered, on="record_id", how="left")
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


def _delivered_fields(lake: Lake) -> pl.DataFrame:
    """Each record's ``meta`` (the record as delivered) from the annotated tier, read once:
    releases do not carry it and field scopes need it."""
    batches = lake.partitions("annotated")
    if not batches:
        return pl.DataFrame(schema={"record_id": pl.String, "meta": pl.String})
    delivered = pl.concat([lake.scan_records("annotated", b).select("record_id", "meta") for b in batches])
    return delivered.unique("record_id").collect()
