"""What a takedown request touched: the releases that held records it reaches, and the models
trained on those releases. ``record_impact`` keeps the answer in an append-only ledger
(``_governance/takedown_impact.jsonl``) that the ``takedown_impact`` audit query reads."""

from __future__ import annotations

from typing import Any

import polars as pl

from data_platform.governance.models import models
from data_platform.governance.takedown import matching_requests, takedowns
from data_platform.lake.ledgers import append_entry
from data_platform.lake.releases import list_releases, release_dir
from data_platform.lake.store import Lake


def takedown_report(lake: Lake, request_id: str) -> dict[str, Any]:
    requests = [r for r in takedowns(lake) if r["request_id"] == request_id]
    if not requests:
        raise ValueError(f"no takedown request {request_id!r} in the ledger")
    releases = []
    for version in list_releases(lake):
        records = pl.read_parquet(release_dir(lake, version) / "records-*.parquet")
        reached = records.filter(matching_requests(lake, records, requests).is_not_null())
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


IMPACT_LEDGER = "takedown_impact"


def record_impact(lake: Lake, report: dict[str, Any], computed_at: str) -> None:
    """One ledger line per release the request reached (or one with no release when it reached
    none), so auditors can query the impact as it stood when the request was filed."""
    request_id = report["request"]["request_id"]
    reached = report["releases"] or [{"release": None, "record_ids": []}]
    for entry in reached:
        append_entry(
            lake,
            IMPACT_LEDGER,
            {
                "request_id": request_id,
                "release": entry["release"],
                "record_ids": entry["record_ids"],
                "computed_at": computed_at,
            },
        )
