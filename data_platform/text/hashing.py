"""Stable content hashes computed column-wise (DuckDB's sha256 runs over the whole column)."""

from __future__ import annotations

import threading

import duckdb
import polars as pl

_local = threading.local()


def _connection() -> duckdb.DuckDBPyConnection:
    # Opening a DuckDB connection costs milliseconds; chunks are hashed thousands of times.
    if not hasattr(_local, "connection"):
        _local.connection = duckdb.connect()
    return _local.connection


def sha256_column(values: pl.Series) -> pl.Series:
    """sha256 hex digest of each UTF-8 string; stable across versions and machines."""
    connection = _connection()
    connection.register("hash_input", pl.DataFrame({"value": values}))
    try:
        digests = connection.sql("select sha256(value) as digest from hash_input").pl()["digest"]
    finally:
        connection.unregister("hash_input")
    return digests.alias(values.name)
