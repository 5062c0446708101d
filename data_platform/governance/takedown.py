"""Takedown requests: an append-only ledger, and which records a request reaches.

A request names one scope: record ids, a whole source, a field of the delivered record (an
author or user id: ``meta`` holds the record as delivered), or a text whose exact and near
copies must go. For a text the ledger keeps its normalised sha256 and its MinHash signature,
never the text itself. Every release cut after a request leaves out what it reaches
(tiers/released.py); ``governance/impact.py`` reports which earlier releases held it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
import polars as pl

from data_platform.lake.ledgers import append_entry, read_entries
from data_platform.lake.store import Lake
from data_platform.sources.schema import content_text
from data_platform.text.minhash import MinHashParams, near_pairs, text_signatures
from data_platform.text.normalize import normalised_sha256

LEDGER = "takedowns"
PARAMS = MinHashParams()
NEAR_THRESHOLD = 0.8


@dataclass(frozen=True)
class Scope:
    record_ids: tuple[str, ...] = ()
    source_id: str | None = None
    field: str | None = None
    value: str | None = None
    text: str | None = None

    def check(self) -> None:
        given = [
            bool(self.record_ids),
            self.source_id is not None,
            self.field is not None,
            self.text is not None,
        ]
        if sum(given) != 1:
            raise ValueError(
                "a takedown names exactly one scope: record ids, a source, a field=value or a text"
            )
        if self.field is not None and (not self.field.isidentifier() or self.value is None):
            raise ValueError(
                f"field scope needs a plain field name and a value, not {self.field!r}={self.value!r}"
            )
        if self.text is not None and not self.text.strip():
            raise ValueError("a text takedown needs a non-empty text")


def file_takedown(lake: Lake, scope: Scope, reason: str = "", received: str | None = None) -> dict[str, Any]:
    """Append a request to the ledger; returns the entry (with its new request id)."""
    scope.check()
    entry: dict[str, Any] = {
        "request_id": f"td-{uuid.uuid4().hex[:12]}",
        "received": received or datetime.now(UTC).isoformat(timespec="seconds"),
        "reason": reason,
        "record_ids": list(scope.record_ids),
        "source_id": scope.source_id,
        "field": scope.field,
        "value": scope.value,
    }
    if scope.text is not None:
        text = pl.Series([scope.text])
        entry["text_sha256"] = normalised_sha256(text)[0]
        entry["signature"] = text_signatures(text, PARAMS)[0].tolist()
    append_entry(lake, LEDGER, entry)
    return entry


def takedowns(lake: Lake) -> list[dict[str, Any]]:
    return read_entries(lake, LEDGER)


def matching_requests(lake: Lake, records: pl.DataFrame, requests: list[dict[str, Any]]) -> pl.Series:
    """Per record, the first request (in ledger order) that reaches it, or null. ``records``
    needs record_id, batch_id, source_id, text, turns and norm_sha256."""
    records = _with_delivered_meta(lake, records, requests)
    hit = pl.Series("request_id", [None] * records.height, dtype=pl.String)
    near = _near_text_matches(records, [r for r in requests if r.get("signature")])
    for request in requests:
        reached = _exact_reach(records, request)
        if request.get("signature"):
            # fill_null: a record near no request compares as null, and null | False is null
            reached = reached | (near == request["request_id"]).fill_null(False)
        hit = hit.zip_with(hit.is_not_null() | ~reached, pl.Series([request["request_id"]] * records.height))
    return hit


def _with_delivered_meta(lake: Lake, records: pl.DataFrame, requests: list[dict[str, Any]]) -> pl.DataFrame:
    """``records`` with ``meta`` as delivered, read from the raw tier when a field scope needs
    it: later tiers and releases hold it redacted (an author's e-mail is PII too)."""
    if not any(r["field"] is not None for r in requests):
        return records
    delivered = pl.concat(
        [lake.scan_records("raw", b).select("record_id", "batch_id", "meta") for b in lake.partitions("raw")]
    ).collect()
    return records.drop("meta", strict=False).join(
        delivered, on=["record_id", "batch_id"], how="left", maintain_order="left"
    )


def _exact_reach(records: pl.DataFrame, request: dict[str, Any]) -> pl.Series:
    if request["record_ids"]:
        return records["record_id"].is_in(request["record_ids"])
    if request["source_id"] is not None:
        return records["source_id"] == request["source_id"]
    if request["field"] is not None:
        values = records.select(pl.col("meta").str.json_path_match(f"$.{request['field']}"))
        return (values.to_series() == request["value"]).fill_null(False)
    return records["norm_sha256"] == request["text_sha256"]


def _near_text_matches(records: pl.DataFrame, requests: list[dict[str, Any]]) -> pl.Series:
    """Per record, a text request whose signature it shares a band with and agrees with on at
    least NEAR_THRESHOLD of the permutations (estimated Jaccard), or null."""
    found = pl.Series("request_id", [None] * records.height, dtype=pl.String)
    if not requests or records.height == 0:
        return found
    taken = np.array([r["signature"] for r in requests], dtype=np.uint32)
    mine = text_signatures(records.select(content_text()).to_series(), PARAMS)
    rows, others, _ = near_pairs(taken, mine, PARAMS, NEAR_THRESHOLD)
    ids = np.array([r["request_id"] for r in requests], dtype=object)
    values = found.to_list()
    for row, other in zip(rows, others, strict=True):
        values[row] = values[row] or ids[other]
    return pl.Series("request_id", values, dtype=pl.String)
