"""The variables evaluation reads from released (or annotated) records, in one frame each.

A record's domain is its source's, from the registry; its length is in characters of its content
(a conversation's turns joined); its labels are the machine or human labels of each task other
than language, which has a column of its own.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from data_platform.sources.schema import content_text

LANGUAGE_TASK = "language"
UNKNOWN_DOMAIN = "unknown"


def records_profile(records: pl.DataFrame, domains: Mapping[str, str]) -> pl.DataFrame:
    """record_id, source_id, domain, lang, text and length of each record."""
    domain_of = pl.DataFrame(
        {"source_id": list(domains), "domain": list(domains.values())},
        schema={"source_id": pl.String, "domain": pl.String},
    )
    return (
        records.select("record_id", "source_id", "lang", text=content_text().fill_null(""))
        .join(domain_of, on="source_id", how="left")
        .with_columns(
            domain=pl.col("domain").fill_null(UNKNOWN_DOMAIN), length=pl.col("text").str.len_chars()
        )
    )


def label_rows(records: pl.DataFrame) -> pl.DataFrame:
    """record_id, source_id, lang, task and value: one row per label of a task other than
    language (a multi-label task gives a row per value)."""
    return (
        records.select("record_id", "source_id", "lang", "labels")
        .explode("labels")
        .drop_nulls("labels")
        .select("record_id", "source_id", "lang", pl.col("labels").struct.field("task", "value"))
        .filter(pl.col("task") != LANGUAGE_TASK)
    )


def non_empty(texts: pl.Series) -> pl.Series:
    """The texts that hold more than whitespace (nulls left out)."""
    present = texts.drop_nulls()
    return present.filter(present.str.strip_chars() != "")
