"""Freshness of a release per source: how old the newest drop behind its records was when the
release was cut, against the source's refresh cadence from the registry."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import polars as pl

FRESHNESS_SCHEMA: dict[str, pl.DataType] = {
    "source": pl.String(),
    "records": pl.UInt32(),
    "newest_drop": pl.Datetime("us", "UTC"),
    "oldest_drop": pl.Datetime("us", "UTC"),
    "age_hours": pl.Float64(),
    "cadence_hours": pl.Float64(),
    "stale": pl.Boolean(),
}


def freshness(records: pl.DataFrame, cadences: Mapping[str, int], as_of: datetime) -> pl.DataFrame:
    """Per source of ``records`` (source_id, ingested_at): records, newest and oldest drop, the
    newest's age in hours at ``as_of``, the cadence in hours (null for a source the registry no
    longer lists) and ``stale``: the newest drop is older than one cadence."""
    if records.is_empty():
        return pl.DataFrame(schema=FRESHNESS_SCHEMA)
    cadence = pl.DataFrame(
        {"source": list(cadences), "cadence_hours": [seconds / 3600 for seconds in cadences.values()]},
        schema={"source": pl.String, "cadence_hours": pl.Float64},
    )
    table = (
        records.group_by(pl.col("source_id").alias("source"))
        .agg(
            records=pl.len(), newest_drop=pl.col("ingested_at").max(), oldest_drop=pl.col("ingested_at").min()
        )
        .with_columns(age_hours=(pl.lit(as_of) - pl.col("newest_drop")).dt.total_seconds() / 3600)
        .join(cadence, on="source", how="left")
        .with_columns(stale=pl.col("age_hours") > pl.col("cadence_hours"))
        .sort("source")
    )
    return table.select(list(FRESHNESS_SCHEMA)).cast(pl.Schema(FRESHNESS_SCHEMA))
