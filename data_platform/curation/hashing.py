"""Stable content hashes computed column-wise (DuckDB's sha256 runs over the whole column)."""

from __future__ import annotations

import duckdb
import polars as pl


def sha256_column(values: pl.Series) -> pl.Series:
    """sha256 hex digest of each UTF-8 string; stable across versions and machines."""
    frame = pl.DataFrame({"value": values})
    with duckdb.connect() as connection:
        connection.register("frame", frame)
        digests = connection.sql("select sha256(value) as digest from frame").pl()["digest"]
    return digests.alias(values.name)
